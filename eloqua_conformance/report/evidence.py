"""A recorded exchange as report evidence: request, response, body excerpts and a curl line."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from eloqua_conformance.exchange import Exchange

__all__ = ["BODY_EXCERPT", "exchange_evidence", "reproduce_note"]

_SEGMENT_ID = re.compile(r"/segment/([^/]+)(?:/copy)?$", re.IGNORECASE)

BODY_EXCERPT = 2000  # characters of each body kept in a report
_MARGIN = 4096  # characters past the excerpt that are masked with it (a secret encoded is shorter)


def exchange_evidence(
    exchange: Exchange, redact: Callable[[str], str], deleted: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """What was sent and what came back, every secret masked; `deleted`: ids the run created and deleted."""
    return {
        "request": {
            "line": redact(f"{exchange.method} {exchange.url}"),
            "headers": _headers(exchange.request_headers, redact),
            **_body(exchange.request_body, redact, len(exchange.request_body)),
        },
        "response": {
            "status": exchange.status,
            "headers": _headers(exchange.response_headers, redact),
            **_body(exchange.response_body, redact, exchange.size),
        },
        "network_error": redact(exchange.network_error) or None,
        "curl": exchange.curl(redact),
        "reproduce_note": redact(reproduce_note(exchange, deleted)) or None,
    }


def reproduce_note(exchange: Exchange, deleted: frozenset[str]) -> str:
    """What the curl line needs first, and whether the segment it names is gone (the run deleted it)."""
    notes = [f"first: {exchange.reproduce.setup}"] if exchange.reproduce and exchange.reproduce.setup else []
    match = _SEGMENT_ID.search(exchange.url.split("?", 1)[0])
    if match and unquote(match[1]) in deleted:
        notes.append(f"segment {unquote(match[1])} no longer exists: this run created it and deleted it at clean-up; "
                     "run with --source-segment-id ID to copy a segment that stays")  # fmt: skip
    return "; ".join(notes)


def _headers(headers: dict[str, str], redact: Callable[[str], str]) -> dict[str, str]:
    return {redact(name): redact(value) for name, value in headers.items()}


def _body(body: bytes, redact: Callable[[str], str], size: int) -> dict[str, Any]:
    # Masked before it is cut, so a secret across the cut cannot survive in part; the text masked is the
    # excerpt and a margin longer than any encoded secret (so a huge body costs no more than a small one).
    limit = BODY_EXCERPT + _MARGIN
    while True:
        window = body[: 4 * limit].decode("utf-8", "replace")[:limit]
        text = redact(window)
        # Masking shortens the text; the part shown must stay a margin short of where the window ends.
        if len(text) >= limit - _MARGIN // 2 or 4 * limit >= len(body):
            break
        limit *= 2
    cut = len(text) > BODY_EXCERPT or 4 * limit < len(body) or size > len(body)
    return {"body": text[:BODY_EXCERPT], "body_bytes": max(size, len(body)), "body_truncated": cut}
