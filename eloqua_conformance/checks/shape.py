"""SHAPE: a successful copy is a 201 JSON ContactSegment whose server-set values agree with what the suite knows."""

from __future__ import annotations

import email.utils
import re
import time
from collections import Counter
from typing import Any

from eloqua_conformance.exchange import NO_JSON, Exchange
from eloqua_conformance.failure import fail

from ._common import (
    as_dict,
    body_of,
    created_body,
    element_dicts,
    expect_status,
    got,
    json_problem,
    media_type,
    schema_errors,
    show,
)
from .registry import Context, check

__all__ = [
    "accept_header_optional",
    "created_json_contact_segment",
    "creator_is_the_requester",
    "depth_values",
    "element_ids_unique",
    "ids_are_digits",
    "is_included_flags",
    "new_id",
    "stored_copy",
    "timestamps_are_now",
    "timestamps_unix_seconds",
    "type_is_contact_segment",
]

_DIGITS = re.compile(r"[0-9]+")  # always used with fullmatch: "$" would also match before a final newline
_DAY = 24 * 3600
SKEW = 300  # seconds a server-set timestamp may differ from the Date header or the suite's clock
_AUDIT = ("createdBy", "createdByName", "updatedBy", "updatedByName")


def _is_digits(value: Any) -> bool:
    return isinstance(value, str | int) and not isinstance(value, bool) and bool(_DIGITS.fullmatch(str(value)))


def stored_copy(context: Context, exchange: Exchange | None) -> Any:
    """The copy at complete depth: the retrieve when the context has a readable one, else the 201 body."""
    readable = context.retrieved is not None and context.retrieved.status == 200
    retrieved = body_of(context.retrieved) if readable else None
    return retrieved if isinstance(retrieved, dict) else body_of(exchange)


@check("SHAPE-01", copy=True)
def created_json_contact_segment(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-01: exactly 201, Content-Type application/json, a body valid against ContactSegment."""
    exchange = expect_status("SHAPE-01", exchange, [201])
    if media_type(exchange) != "application/json":
        raise fail("SHAPE-01", "Content-Type application/json", got(exchange), exchange)
    body = body_of(exchange)
    if body is NO_JSON:
        raise fail("SHAPE-01", "a JSON body", f"{json_problem(exchange)}, which does not parse as JSON", exchange)
    errors = schema_errors(body)
    if errors:
        raise fail("SHAPE-01", "a body valid against ContactSegment", "; ".join(errors[:5]), exchange)


@check("SHAPE-02", copy=True)
def type_is_contact_segment(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-02: the copy's type is "ContactSegment"."""
    body = created_body("SHAPE-02", exchange)
    if body.get("type") != "ContactSegment":
        raise fail("SHAPE-02", 'type "ContactSegment"', f"type {show(body.get('type'))}", exchange)


@check("SHAPE-03", copy=True)
def new_id(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-03: a non-empty id, not the source's, not any segment id seen earlier in the run."""
    body = created_body("SHAPE-03", exchange)
    segment_id = body.get("id")
    source = as_dict(context.source) or {}
    if not isinstance(segment_id, str) or not segment_id:
        raise fail("SHAPE-03", "a non-empty string id", f"id {show(segment_id)}", exchange)
    if "id" in source and segment_id == str(source["id"]):
        raise fail("SHAPE-03", f"an id other than the source's ({source['id']})", f"id {segment_id!r}", exchange)
    if segment_id in context.earlier_ids:
        raise fail("SHAPE-03", "an id not seen before in the run", f"id {segment_id!r} was already used", exchange)


@check("SHAPE-04", copy=True)
def ids_are_digits(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-04: the copy's id, folderId and element ids, where present, are decimal digits."""
    body = created_body("SHAPE-04", exchange)
    found = {"id": body.get("id"), "folderId": body.get("folderId")}
    for index, element in enumerate(element_dicts(stored_copy(context, exchange))):
        found[f"elements/{index}/id"] = element.get("id")
    # A number is SHAPE-01's (the schema's) concern; here only its digits count.
    bad = {k: v for k, v in found.items() if v is not None and not (_is_digits(v))}
    if bad:
        raise fail("SHAPE-04", "ids of decimal digits", show(bad), exchange)


@check("SHAPE-05", copy=True)
def timestamps_unix_seconds(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-05: createdAt/updatedAt, where present, are Unix seconds within a day of the suite's clock."""
    body = created_body("SHAPE-05", exchange)
    now = context.window[1] if context.window else time.time()
    for key in ("createdAt", "updatedAt"):
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not _DIGITS.fullmatch(value) or abs(int(value) - now) > _DAY:
            raise fail("SHAPE-05", f"{key} in Unix seconds near {int(now)}", f"{key} {show(value)}", exchange)


def _server_clock(exchange: Exchange) -> float | None:
    """The response's Date header in Unix seconds; None when absent or unreadable (HTTP's rule, not Eloqua's)."""
    value = exchange.response_headers.get("date", "")
    try:
        return email.utils.parsedate_to_datetime(value).timestamp() if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


@check("SHAPE-08", copy=True)
def timestamps_are_now(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-08: createdAt/updatedAt of a new copy are the time of the copy: the Date header's and the suite's."""
    body = created_body("SHAPE-08", exchange)
    earliest, latest = context.window or (time.time(), time.time())
    assert exchange is not None  # created_body refused None
    date = _server_clock(exchange)
    stamps: dict[str, int] = {}
    for key in ("createdAt", "updatedAt"):
        value = body.get(key)
        if not isinstance(value, str) or not _DIGITS.fullmatch(value) or len(value) > 12:
            continue  # absent, or not Unix seconds at all: SHAPE-05's concern
        stamps[key] = stamp = int(value)
        if date is not None and abs(stamp - date) > SKEW:
            raise fail("SHAPE-08", f"{key} within {SKEW} s of the response's Date ({int(date)})", f"{key} {value}",
                       exchange)  # fmt: skip
        if not earliest - SKEW <= stamp <= latest + SKEW:
            raise fail("SHAPE-08", f"{key} within {SKEW} s of the suite's clock ({int(earliest)}-{int(latest)})",
                       f"{key} {value}", exchange)  # fmt: skip
    if stamps.keys() == {"createdAt", "updatedAt"} and stamps["updatedAt"] < stamps["createdAt"]:
        raise fail("SHAPE-08", "updatedAt not before createdAt", show(stamps), exchange)


@check("SHAPE-06", copy=True)
def is_included_flags(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-06: every element's isIncluded, where present, is "true" or "false"."""
    created_body("SHAPE-06", exchange)
    for index, element in enumerate(element_dicts(stored_copy(context, exchange))):
        if "isIncluded" in element and element["isIncluded"] not in ("true", "false"):
            raise fail("SHAPE-06", '"true" or "false"', f"elements/{index}/isIncluded {show(element['isIncluded'])}",
                       exchange)  # fmt: skip


@check("SHAPE-07", copy=True)
def depth_values(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-07: depth of the segment and of its elements, where present, is minimal/partial/complete."""
    for judged in (exchange, context.retrieved):
        if judged is None:
            continue
        expect_status("SHAPE-07", judged, [200, 201])
        body = body_of(judged)
        if not isinstance(body, dict):
            raise fail("SHAPE-07", "a JSON object body", got(judged), judged)
        depths: dict[str, Any] = {"depth": body.get("depth")}
        depths |= {f"elements/{i}/depth": e.get("depth") for i, e in enumerate(element_dicts(body))}
        bad = {k: v for k, v in depths.items() if v is not None and v not in ("minimal", "partial", "complete")}
        if bad:
            raise fail("SHAPE-07", "minimal, partial or complete", show(bad), judged)


@check("SHAPE-09", copy=True)
def creator_is_the_requester(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-09: createdBy/updatedBy (and their names) are the requester's, as on a segment it created itself."""
    body = created_body("SHAPE-09", exchange)
    own = as_dict(context.identity) or {}
    for key in _AUDIT:
        if key in body and key in own and body[key] != own[key]:
            raise fail("SHAPE-09", f"{key} {show(own[key])}, as on segment {show(own.get('id'))} this identity created",
                       f"{key} {show(body[key])}", exchange)  # fmt: skip


@check("SHAPE-10", copy=True)
def element_ids_unique(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-10: the copy's element ids, where present, are distinct (judged on the copy at complete depth)."""
    created_body("SHAPE-10", exchange)
    ids = [e.get("id") for e in element_dicts(stored_copy(context, exchange)) if e.get("id") is not None]
    repeated = [shown for shown, times in Counter(map(show, ids)).items() if times > 1]
    if repeated:
        raise fail("SHAPE-10", "distinct element ids", f"element ids {', '.join(repeated)} appear more than once",
                   *(e for e in (exchange, context.retrieved) if e is not None))  # fmt: skip


@check("SHAPE-11")
def accept_header_optional(context: Context, exchange: Exchange | None) -> None:
    """SHAPE-11: a copy whose Accept header is */* or lists JSON among others still gets 201 and JSON."""
    exchange = expect_status("SHAPE-11", exchange, [201])
    if media_type(exchange) != "application/json" or not isinstance(body_of(exchange), dict):
        raise fail("SHAPE-11", "a JSON body (Content-Type application/json)", got(exchange), exchange)
