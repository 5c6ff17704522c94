"""What every check module shares: safe reading of whatever a target answered, statuses, short excerpts.

A target may answer anything: no JSON, invalid UTF-8, JSON that is not an object, values of any type
anywhere, nesting deep enough to exhaust the interpreter. Every reader here turns that into a value a
check can test (NO_JSON, an empty list, None), so a check ends in its own RequirementFailure or passes,
never in a TypeError or RecursionError of ours.
"""

from __future__ import annotations

import functools
import json
import reprlib
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from eloqua_conformance.catalogue import load_openapi
from eloqua_conformance.exchange import NO_JSON, Exchange
from eloqua_conformance.failure import fail

__all__ = [
    "DOCUMENTED_4XX",
    "FLAGGED_READ_ONLY",
    "MAX_NESTING",
    "NO_JSON",
    "READ_ONLY_BY_DESCRIPTION",
    "as_dict",
    "as_list",
    "body_of",
    "created_body",
    "element_dicts",
    "expect_status",
    "got",
    "json_problem",
    "media_type",
    "no_new_segments",
    "schema_errors",
    "sent_body",
    "show",
    "status_check",
    "strings",
    "text_of",
]

DOCUMENTED_4XX = frozenset({400, 401, 403, 404})
MAX_NESTING = 100  # deeper JSON is judged as unreadable: no documented value nests beyond a few levels


def _flagged_read_only() -> tuple[str, ...]:
    properties = load_openapi()["components"]["schemas"]["ContactSegment"]["properties"]
    return tuple(name for name, schema in properties.items() if schema.get("readOnly"))


FLAGGED_READ_ONLY = _flagged_read_only()  # from the spec's readOnly flags, not retyped
READ_ONLY_BY_DESCRIPTION = ("type", "permissions", "count", "lastCalculatedAt")  # contract notes §10.3

_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 4, 120, 120, 10, 10


def show(value: Any) -> str:
    """A bounded repr for failure messages, whatever the value's size or depth."""
    return _SHORT.repr(value)


def _nesting(value: Any) -> int:
    # Iterative: a recursive walk would itself fail on the documents it is there to refuse.
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            return deepest
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children)
    return deepest


_CACHED = 1 << 20  # bodies up to 1 MiB are parsed once; a bigger one is parsed each time it is read


def _parse(raw: bytes) -> Any:
    """JSON of `raw`, or NO_JSON; cached because many checks read the same body (callers never mutate it)."""
    return _parse_cached(raw) if len(raw) <= _CACHED else _parse_once(raw)


@functools.lru_cache(maxsize=256)
def _parse_cached(raw: bytes) -> Any:
    return _parse_once(raw)


def _parse_once(raw: bytes) -> Any:
    if not raw.strip():
        return NO_JSON
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError, MemoryError):
        return NO_JSON
    return NO_JSON if _nesting(value) > MAX_NESTING else value


def body_of(exchange: Exchange | None) -> Any:
    """The response body as JSON, or NO_JSON (empty, not JSON, not UTF-8, or nested too deeply)."""
    return NO_JSON if exchange is None else _parse(bytes(exchange.response_body))


def sent_body(exchange: Exchange) -> dict[str, Any]:
    """The request body when it was a JSON object, else {}."""
    sent = _parse(bytes(exchange.request_body))
    return sent if isinstance(sent, dict) else {}


def json_problem(exchange: Exchange) -> str:
    """Why the response body is no JSON, for failure messages."""
    raw = bytes(exchange.response_body)
    if not raw.strip():
        return "an empty body"
    try:
        json.loads(raw)
    except RecursionError:
        return "JSON nested too deeply to read"
    except UnicodeDecodeError:
        return f"a body that is not UTF-8 text, so not JSON: {text_of(exchange)[:120]!r}"
    except json.JSONDecodeError as error:  # the parser's own words: a person reads this, not a traceback
        return f"a body that is not JSON ({error.msg} at character {error.pos}): {text_of(exchange)[:120]!r}"
    except ValueError:
        return f"a body that is not JSON: {text_of(exchange)[:120]!r}"
    return f"JSON nested deeper than {MAX_NESTING} levels"


def text_of(exchange: Exchange) -> str:
    return bytes(exchange.response_body).decode("utf-8", "replace")


def as_dict(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def element_dicts(body: Any) -> list[dict[str, Any]]:
    """The segment's elements that are objects; anything else yields none."""
    segment = as_dict(body)
    return [e for e in as_list(segment.get("elements")) if isinstance(e, dict)] if segment else []


def media_type(exchange: Exchange) -> str:
    return exchange.content_type.split(";", 1)[0].strip().lower()


def got(exchange: Exchange) -> str:
    if exchange.network_error:
        return exchange.network_error
    return f"{exchange.status}, Content-Type {exchange.content_type or '(none)'}"


def expect_status(requirement_id: str, exchange: Exchange | None, allowed: Iterable[int]) -> Exchange:
    """The exchange, when it got one of `allowed`; else the failure of `requirement_id`."""
    statuses = sorted(allowed)
    if exchange is None:
        raise fail(requirement_id, f"status {' or '.join(map(str, statuses))}", "no request was sent")
    if exchange.status not in statuses:
        raise fail(requirement_id, f"status {' or '.join(map(str, statuses))}", got(exchange), exchange)
    return exchange


def created_body(requirement_id: str, exchange: Exchange | None) -> dict[str, Any]:
    """The 201 body as an object, or the failure of `requirement_id` (a copy that did not succeed)."""
    exchange = expect_status(requirement_id, exchange, [201])
    body = body_of(exchange)
    if not isinstance(body, dict):
        actual = "JSON that is not an object" if body is not NO_JSON else json_problem(exchange)
        raise fail(requirement_id, "a JSON object body", actual, exchange)
    return body


def strings(node: Any) -> list[str]:
    """Every string anywhere in a JSON value (keys aside), iteratively."""
    found, stack = [], [node]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


@functools.cache
def _validator(schema_name: str) -> Draft202012Validator:
    resource = Resource.from_contents(load_openapi(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{schema_name}"}, registry=registry)


def schema_errors(instance: Any, schema_name: str = "ContactSegment") -> list[str]:
    """Messages of every way `instance` breaks the documented schema (empty: valid)."""
    try:
        found = list(_validator(schema_name).iter_errors(instance))
    except RecursionError:
        return ["(root): nested too deeply to validate"]
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {_message(error)}" for error in found]


def _message(error: Any) -> str:
    # jsonschema's message quotes the whole instance; keep it short whatever the target sent.
    if error.validator == "type":
        return f"{show(error.instance)} is not of type {show(error.validator_value)}"
    return str(error.message)[:200]


def status_check(requirement_id: str, allowed: Iterable[int], doc: str, module: str, name: str) -> Any:
    """A check that the answer has one of `allowed` statuses, defined as if in `module` (its area's)."""
    statuses = tuple(allowed)

    def judge(context: Any, exchange: Exchange | None) -> None:
        expect_status(requirement_id, exchange, statuses)

    judge.__doc__ = f"{requirement_id}: {doc}"
    judge.__name__ = judge.__qualname__ = name
    judge.__module__ = module
    return judge


def no_new_segments(requirement_id: str, context: Any) -> None:
    """The run's segments after refused requests are those before them: none added (deleted ones aside).

    Judged on every segment whose name carries the run's prefix, whatever name the refused request asked
    for: a server that refuses a copy and stores it anyway under another name shows here too.
    """
    before, after = context.listing_before, context.listing_after
    if before is None or after is None:
        return
    for listing in (before, after):
        if listing.problem:
            raise fail(requirement_id, "the run's segments listed before and after the refused requests",
                       listing.problem, *listing.exchanges[-1:])  # fmt: skip
    earlier = before.ids()
    new = {segment_id: name for segment_id, name in after.segments if segment_id not in earlier}
    if new:
        evidence = (*context.exchanges[:2], *after.exchanges[-1:])
        raise fail(requirement_id, f"no new segment: {len(before.segments)} carried the run's prefix before",
                   f"{len(after.segments)} after; new: {show(new)}", *evidence)  # fmt: skip
