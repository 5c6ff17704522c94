"""RO: read-only and server-set properties sent in a copy body are ignored: not an error, not honoured."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import fail

from ._common import FLAGGED_READ_ONLY, READ_ONLY_BY_DESCRIPTION, body_of, created_body, sent_body, show
from .registry import Context, check

__all__ = [
    "SERVER_SET",
    "depth_not_honoured",
    "described_read_only_not_honoured",
    "flagged_read_only_not_honoured",
    "server_set_not_honoured",
]

# Set by the server although neither flagged nor described read-only (contract notes §10.3, §9).
SERVER_SET = ("createdByName", "updatedByName", "isStale", "dependencyName")


def _not_echoed(requirement_id: str, exchange: Exchange | None, keys: Iterable[str]) -> dict[str, Any]:
    body = created_body(requirement_id, exchange)
    assert exchange is not None
    sent = sent_body(exchange)
    echoed = {key: body[key] for key in keys if key in sent and key in body and body[key] == sent[key]}
    if echoed:
        raise fail(requirement_id, "sent read-only values ignored", f"the copy carries the sent {show(echoed)}",
                   exchange)  # fmt: skip
    return body


@check("RO-01", copy=True)
def flagged_read_only_not_honoured(context: Context, exchange: Exchange | None) -> None:
    """RO-01: 201, and no flagged read-only value sent in the body comes back in the copy."""
    # depth has three possible values, none distinctive: depth_not_honoured judges it by difference instead.
    _not_echoed("RO-01", exchange, [key for key in FLAGGED_READ_ONLY if key != "depth"])


def _rendering(exchange: Exchange) -> Any:
    """How deep a copy was answered: its depth, or (without one) which properties it carries."""
    body = body_of(exchange)
    if not isinstance(body, dict):
        return None
    return body["depth"] if isinstance(body.get("depth"), str) else tuple(sorted(body))


@check("RO-01")
def depth_not_honoured(context: Context, exchange: Exchange | None) -> None:
    """RO-01: copies whose bodies each name another depth are all answered alike: the body does not pick the depth."""
    copies = context.exchanges
    for each in copies:
        created_body("RO-01", each)
    answered = {str(sent_body(each).get("depth")): _rendering(each) for each in copies}
    if len(set(map(show, answered.values()))) > 1:
        shown = ", ".join(f"sent {sent} -> {show(got)}" for sent, got in answered.items())
        raise fail("RO-01", "the same depth whatever depth the body names (the server chooses it)", shown, *copies)


@check("RO-02")
def described_read_only_not_honoured(context: Context, exchange: Exchange | None) -> None:
    """RO-02: 201, type still ContactSegment, no sent permissions/count/lastCalculatedAt comes back."""
    body = _not_echoed("RO-02", exchange, READ_ONLY_BY_DESCRIPTION[1:])
    assert exchange is not None  # created_body refused None
    if body.get("type") != "ContactSegment":
        raise fail("RO-02", 'type "ContactSegment"', f"type {show(body.get('type'))}", exchange)


@check("RO-03")
def server_set_not_honoured(context: Context, exchange: Exchange | None) -> None:
    """RO-03: 201, and no sent createdByName, updatedByName, isStale or dependencyName comes back."""
    _not_echoed("RO-03", exchange, SERVER_SET)
