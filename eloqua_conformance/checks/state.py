"""STATE: what a copy answered is what was stored; copies of copies, deleted sources and bursts keep that true."""

from __future__ import annotations

from typing import Any

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import fail

from ._common import as_dict, body_of, created_body, expect_status, got, show
from ._elements import VOLATILE, content_problem, difference, same, structure_problem
from .registry import Context, check

__all__ = ["burst_all_stored", "copy_of_copy", "copy_outlives_its_source", "persistent"]

# Rendered or computed per read: a 201 and a later retrieve may differ in these and still agree.
_PER_READ = frozenset({"depth", "accessedAt", "count", "lastCalculatedAt", "isStale"})


def _read(requirement_id: str, exchange: Exchange | None) -> dict[str, Any]:
    exchange = expect_status(requirement_id, exchange, [200])
    body = as_dict(body_of(exchange))
    if body is None:
        raise fail(requirement_id, "the segment as a JSON object", got(exchange), exchange)
    return body


@check("STATE-01", copy=True)
def persistent(context: Context, exchange: Exchange | None) -> None:
    """STATE-01: the copy retrieved by id answers 200, and every property the 201 carried, nested too, is stored so."""
    made = created_body("STATE-01", exchange)
    if context.retrieved is None:
        return
    assert exchange is not None
    read = _read("STATE-01", context.retrieved)
    problem = difference(made, read, _PER_READ)
    if problem:
        raise fail("STATE-01", "the copy as the 201 answered it (depth and calculated fields aside)",
                   f"retrieved, {problem}", exchange, context.retrieved)  # fmt: skip


@check("STATE-02")
def copy_of_copy(context: Context, exchange: Exchange | None) -> None:
    """STATE-02: two copies and a copy of a copy succeed with three distinct ids; the last mirrors its source."""
    ids = [created_body("STATE-02", each).get("id") for each in context.exchanges]
    if len({show(i) for i in ids}) != len(ids) or not all(isinstance(i, str) and i for i in ids):
        raise fail("STATE-02", f"{len(ids)} distinct ids", f"ids {show(ids)}", *context.exchanges)
    if context.source is None or context.retrieved is None:
        return
    of_copy = _read("STATE-02", context.retrieved)
    problem = structure_problem(context.source, of_copy) or content_problem(context.source, of_copy)
    if problem:
        raise fail("STATE-02", "the copy of the copy carries the first copy's elements and their content", problem,
                   *context.exchanges[-1:], context.retrieved)  # fmt: skip


@check("STATE-03")
def copy_outlives_its_source(context: Context, exchange: Exchange | None) -> None:
    """STATE-03: after its source is deleted, a copy still answers 200 with the same name, elements and content."""
    before = _read("STATE-03", context.before)
    after = _read("STATE-03", context.after)
    for key in ("name", "elements"):
        if not (same(before.get(key), after.get(key)) and same(after.get(key), before.get(key))):
            problem = difference(before.get(key), after.get(key), VOLATILE) or f"now {show(after.get(key))}"
            raise fail("STATE-03", f"the copy's {key} as before its source was deleted", f"{key}: {problem}",
                       *(e for e in (context.before, exchange, context.after) if e is not None))  # fmt: skip


@check("STATE-04")
def burst_all_stored(context: Context, exchange: Exchange | None) -> None:
    """STATE-04: concurrent copies all get 201 and distinct ids, and every one of them is stored."""
    answered = {}
    for each in context.exchanges:
        body = created_body("STATE-04", each)
        segment_id = body.get("id")
        if not isinstance(segment_id, str) or not segment_id or segment_id in answered:
            raise fail("STATE-04", f"{len(context.exchanges)} distinct ids",
                       f"id {show(segment_id)} for {show(body.get('name'))}", *context.exchanges)  # fmt: skip
        answered[segment_id] = body.get("name")
    listing = context.listing_after
    if listing is None:
        return
    if listing.problem:
        raise fail("STATE-04", "the run's segments listed after the burst", listing.problem, *listing.exchanges[-1:])
    stored = dict(listing.segments)
    lost = {i: n for i, n in answered.items() if i not in stored or (isinstance(n, str) and stored[i] != n)}
    if lost:
        raise fail("STATE-04", f"all {len(answered)} copies stored, each under its name",
                   f"not listed as answered: {show(lost)}", *listing.exchanges[-1:])  # fmt: skip
