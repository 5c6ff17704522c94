"""Check functions, one per requirement, shared by the example tests and the property-based run.

Each takes exchanges (and what it compares them with) and raises `RequirementFailure` naming the
requirement; each docstring starts with the requirement ID.
"""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from eloqua_conformance.catalogue import load_openapi
from eloqua_conformance.exchange import NO_JSON, Exchange
from eloqua_conformance.failure import RequirementFailure, fail

__all__ = ["CHECKS", "DOCUMENTED_4XX", "FLAGGED_READ_ONLY", "READ_ONLY_BY_DESCRIPTION", "schema_errors"]

FLAGGED_READ_ONLY = ("id", "folderId", "createdBy", "createdAt", "updatedBy", "updatedAt", "scheduledFor", "depth")
READ_ONLY_BY_DESCRIPTION = ("type", "permissions", "count", "lastCalculatedAt")
DOCUMENTED_4XX = frozenset({400, 401, 403, 404})
_DIGITS = re.compile(r"[0-9]+")  # always used with fullmatch: "$" would also match before a final newline
_DAY = 24 * 3600
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|\bat [\w.$]+\([\w]+\.java:\d+\)|Exception in thread")


@functools.cache
def _validator(schema_name: str) -> Draft202012Validator:
    resource = Resource.from_contents(load_openapi(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource("urn:openapi", resource)
    return Draft202012Validator({"$ref": f"urn:openapi#/components/schemas/{schema_name}"}, registry=registry)


def schema_errors(instance: Any, schema_name: str = "ContactSegment") -> list[str]:
    """Messages of every way `instance` breaks the documented schema (empty: valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in _validator(schema_name).iter_errors(instance)
    ]


def _media_type(exchange: Exchange) -> str:
    return exchange.content_type.split(";", 1)[0].strip().lower()


def _got(exchange: Exchange) -> str:
    if exchange.network_error:
        return exchange.network_error
    return f"{exchange.status}, Content-Type {exchange.content_type or '(none)'}"


def _expect_status(requirement_id: str, exchange: Exchange, allowed: Iterable[int]) -> None:
    allowed = sorted(allowed)
    if exchange.status not in allowed:
        raise fail(requirement_id, f"status {' or '.join(map(str, allowed))}", _got(exchange), exchange)


def _body(requirement_id: str, exchange: Exchange) -> dict[str, Any]:
    """The 201 body as an object, or the failure of `requirement_id` (a copy that did not succeed)."""
    _expect_status(requirement_id, exchange, [201])
    body = exchange.json()
    if not isinstance(body, dict):
        raise fail(requirement_id, "a JSON object body", "no JSON object in the body", exchange)
    return body


# --- Success response shape --------------------------------------------------------------
def shape_01_created_json_contact_segment(exchange: Exchange) -> None:
    """SHAPE-01: exactly 201, Content-Type application/json, a body valid against ContactSegment."""
    _expect_status("SHAPE-01", exchange, [201])
    if _media_type(exchange) != "application/json":
        raise fail("SHAPE-01", "Content-Type application/json", _got(exchange), exchange)
    body = exchange.json()
    if body is NO_JSON:
        raise fail("SHAPE-01", "a JSON body", "a body that does not parse as JSON", exchange)
    errors = schema_errors(body)
    if errors:
        raise fail("SHAPE-01", "a body valid against ContactSegment", "; ".join(errors[:5]), exchange)


def shape_02_type_is_contact_segment(exchange: Exchange) -> None:
    """SHAPE-02: the copy's type is "ContactSegment"."""
    body = _body("SHAPE-02", exchange)
    if body.get("type") != "ContactSegment":
        raise fail("SHAPE-02", 'type "ContactSegment"', f"type {body.get('type')!r}", exchange)


def shape_03_new_id(exchange: Exchange, source_id: str, earlier_ids: Iterable[str]) -> None:
    """SHAPE-03: a non-empty id, not the source's, not any segment id seen earlier in the run."""
    body = _body("SHAPE-03", exchange)
    new_id = body.get("id")
    if not isinstance(new_id, str) or not new_id:
        raise fail("SHAPE-03", "a non-empty string id", f"id {new_id!r}", exchange)
    if new_id == str(source_id):
        raise fail("SHAPE-03", f"an id other than the source's ({source_id})", f"id {new_id!r}", exchange)
    if new_id in set(earlier_ids):
        raise fail("SHAPE-03", "an id not seen before in the run", f"id {new_id!r} was already used", exchange)


def shape_04_ids_are_digits(exchange: Exchange) -> None:
    """SHAPE-04: the copy's id, folderId and element ids, where present, are decimal digits."""
    body = _body("SHAPE-04", exchange)
    found = {"id": body.get("id"), "folderId": body.get("folderId")}
    for index, element in enumerate(_elements(body)):
        found[f"elements/{index}/id"] = element.get("id")
    bad = {key: value for key, value in found.items() if value is not None and not _DIGITS.fullmatch(str(value))}
    if bad:
        raise fail("SHAPE-04", "ids of decimal digits", f"{bad}", exchange)


def shape_05_timestamps_unix_seconds(exchange: Exchange, now: float | None = None) -> None:
    """SHAPE-05: createdAt/updatedAt, where present, are Unix seconds within a day of the suite's clock."""
    body = _body("SHAPE-05", exchange)
    now = time.time() if now is None else now
    for key in ("createdAt", "updatedAt"):
        value = body.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not _DIGITS.fullmatch(value) or abs(int(value) - now) > _DAY:
            raise fail("SHAPE-05", f"{key} in Unix seconds near {int(now)}", f"{key} {value!r}", exchange)


def shape_06_is_included_flags(exchange: Exchange) -> None:
    """SHAPE-06: every element's isIncluded, where present, is "true" or "false"."""
    for index, element in enumerate(_elements(_body("SHAPE-06", exchange))):
        if "isIncluded" in element and element["isIncluded"] not in ("true", "false"):
            raise fail("SHAPE-06", '"true" or "false"', f"elements/{index}/isIncluded {element['isIncluded']!r}",
                       exchange)  # fmt: skip


def shape_07_depth_values(exchange: Exchange) -> None:
    """SHAPE-07: depth of the segment and of its elements, where present, is minimal/partial/complete."""
    _expect_status("SHAPE-07", exchange, [200, 201])
    body = exchange.json()
    if not isinstance(body, dict):
        raise fail("SHAPE-07", "a JSON object body", _got(exchange), exchange)
    depths = {"depth": body.get("depth")}
    depths |= {f"elements/{i}/depth": e.get("depth") for i, e in enumerate(_elements(body))}
    bad = {k: v for k, v in depths.items() if v is not None and v not in ("minimal", "partial", "complete")}
    if bad:
        raise fail("SHAPE-07", "minimal, partial or complete", f"{bad}", exchange)


# --- Read-only fields --------------------------------------------------------------------
def _not_echoed(requirement_id: str, exchange: Exchange, keys: Iterable[str]) -> None:
    body = _body(requirement_id, exchange)
    sent = exchange.sent_json()
    sent = sent if isinstance(sent, dict) else {}
    echoed = {key: body[key] for key in keys if key in sent and key in body and body[key] == sent[key]}
    if echoed:
        raise fail(requirement_id, "sent read-only values ignored", f"the copy carries the sent {echoed}", exchange)


def ro_01_flagged_read_only_not_honoured(exchange: Exchange) -> None:
    """RO-01: 201, and no flagged read-only value sent in the body comes back in the copy."""
    # depth has three possible values, none distinctive: a copy rendered at the sent depth proves nothing.
    _not_echoed("RO-01", exchange, [key for key in FLAGGED_READ_ONLY if key != "depth"])


def ro_02_described_read_only_not_honoured(exchange: Exchange) -> None:
    """RO-02: 201, type still ContactSegment, no sent permissions/count/lastCalculatedAt comes back."""
    body = _body("RO-02", exchange)
    if body.get("type") != "ContactSegment":
        raise fail("RO-02", 'type "ContactSegment"', f"type {body.get('type')!r}", exchange)
    _not_echoed("RO-02", exchange, READ_ONLY_BY_DESCRIPTION[1:])


# --- Status expectations -----------------------------------------------------------------
def _status_check(requirement_id: str, allowed: Iterable[int], doc: str) -> Callable[[Exchange], None]:
    allowed = tuple(allowed)

    def check(exchange: Exchange) -> None:
        _expect_status(requirement_id, exchange, allowed)

    check.__doc__ = f"{requirement_id}: {doc}"
    check.__name__ = f"{requirement_id.lower().replace('-', '_')}_status"
    return check


authn_01_missing_credentials = _status_check("AUTHN-01", [401], "no credentials get 401.")
authn_02_wrong_password = _status_check("AUTHN-02", [401], "a wrong password gets 401.")
authn_03_unknown_user = _status_check("AUTHN-03", [401], "an unknown user gets 401.")
authn_04_unknown_bearer_token = _status_check("AUTHN-04", [401], "an unknown bearer token gets 401.")
authn_05_malformed_authorization = _status_check("AUTHN-05", [401], "a malformed Authorization header gets 401.")
authn_06_credentials_checked_first = _status_check("AUTHN-06", [401], "unauthenticated bad requests get 401.")
authz_01_forbidden_identity = _status_check("AUTHZ-01", [403], "an identity that may not create gets 403.")
notfound_01_never_existed = _status_check("NOTFOUND-01", [404], "a segment that never existed gets 404.")
notfound_02_deleted = _status_check("NOTFOUND-02", [404], "a deleted segment gets 404.")
valid_01_not_json = _status_check("VALID-01", [400], "a body that is not JSON gets 400.")
valid_02_not_an_object = _status_check("VALID-02", [400], "JSON that is not an object gets 400.")
valid_03_wrong_property_type = _status_check("VALID-03", [400], "a documented property of a forbidden type gets 400.")
valid_04_non_numeric_id = _status_check("VALID-04", [400], "a non-numeric path id gets 400.")
valid_06_non_positive_id = _status_check("VALID-06", [400, 404], "a zero or negative path id gets 400 (404 tolerated).")
valid_07_content_type = _status_check("VALID-07", [400, 415], "a missing or non-JSON Content-Type gets 400 or 415.")
valid_08_unknown_properties_ignored = _status_check("VALID-08", [201], "unknown body properties are ignored.")
fault_01_injected_500 = _status_check("FAULT-01", [500], "Prefer code=500 gets 500.")
prop_02_documented_4xx = _status_check("PROP-02", sorted(DOCUMENTED_4XX), "invalid input gets a documented 4xx.")


def authz_02_forbidden_copy_creates_nothing(search: Exchange, name: str) -> None:
    """AUTHZ-02: after a forbidden copy, no segment carries the requested name."""
    _expect_status("AUTHZ-02", search, [200])
    body = search.json()
    elements = body.get("elements", []) if isinstance(body, dict) else None
    if not isinstance(elements, list):
        raise fail("AUTHZ-02", "a list result (an object with an elements array) to look in",
                   f"a body that is not one: {search.response_body[:200]!r}", search)  # fmt: skip
    if name in [e.get("name") for e in elements if isinstance(e, dict)]:
        raise fail("AUTHZ-02", f"no segment named {name!r}", "the forbidden copy was created", search)


def valid_05_validation_error_body(exchange: Exchange) -> None:
    """VALID-05: a 400 body is a validation error object, or a non-empty array of them, each with a string type."""
    if exchange.status != 400:
        return
    body = exchange.json()
    items = body if isinstance(body, list) else [body]
    if not items or not all(isinstance(item, dict) and isinstance(item.get("type"), str) for item in items):
        excerpt = exchange.response_body[:200].decode("utf-8", "replace") or "(empty)"
        raise fail("VALID-05", "Eloqua validation errors: objects with a string type", excerpt, exchange)


# --- Status codes across the run ---------------------------------------------------------
def status_01_no_unrequested_5xx(exchange: Exchange) -> None:
    """STATUS-01: no 5xx unless the request asked for one with Prefer: code=5xx."""
    if exchange.status >= 500 and not exchange.fault_requested:
        raise fail("STATUS-01", "no 5xx for a request that did not ask for one", _got(exchange), exchange)


def status_03_error_body_json_or_empty(exchange: Exchange) -> None:
    """STATUS-03: a 4xx/5xx body is empty, or JSON holding no stack trace."""
    if exchange.status < 400 or not exchange.response_body.strip():
        return
    text = exchange.response_body.decode("utf-8", "replace")
    # JSON escapes a stack trace's newlines and tabs; search the decoded strings as well as the raw text.
    if exchange.json() is NO_JSON or _TRACEBACK.search(text) or _TRACEBACK.search("\n".join(_strings(exchange.json()))):
        raise fail("STATUS-03", "an empty or JSON error body, no stack trace", f"{_got(exchange)}: {text[:200]!r}",
                   exchange)  # fmt: skip


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        node = list(node.values())
    return [text for value in node for text in _strings(value)] if isinstance(node, list) else []


# --- Copy semantics ----------------------------------------------------------------------
def _elements(body: dict[str, Any]) -> list[dict[str, Any]]:
    elements = body.get("elements")
    return [e for e in elements if isinstance(e, dict)] if isinstance(elements, list) else []


def _reference(element: dict[str, Any]) -> tuple[str, Any]:
    for key in ("filter", "list"):
        if isinstance(element.get(key), dict):
            return key, element[key].get("id")
    return "", None


def _element_shape(body: Any) -> list[tuple[Any, Any, tuple[str, Any]]]:
    """(type, isIncluded, reference) per element; something that is not an object stands as itself."""
    elements = body.get("elements") if isinstance(body, dict) else None
    if not isinstance(elements, list):
        return []
    return [(e.get("type"), e.get("isIncluded"), _reference(e)) if isinstance(e, dict) else (e, None, ("", None))
            for e in elements]  # fmt: skip


def sem_01_source_unchanged(before: Exchange, after: Exchange) -> None:
    """SEM-01: the source's name, elements and updatedAt are the same before and after a copy."""
    _expect_status("SEM-01", after, [200])
    old, new = before.json(), after.json()
    if not isinstance(new, dict) or not isinstance(old, dict):
        raise fail("SEM-01", "the source readable as JSON before and after", _got(after), before, after)
    for key in ("name", "elements", "updatedAt"):
        if old.get(key) != new.get(key):
            raise fail("SEM-01", f"source {key} unchanged: {old.get(key)!r}", f"now {new.get(key)!r}", before, after)


def sem_02_name_honoured(exchange: Exchange) -> None:
    """SEM-02: the copy's name is exactly the name sent."""
    body = _body("SEM-02", exchange)
    sent = exchange.sent_json()
    sent = sent if isinstance(sent, dict) else {}
    if body.get("name") != sent.get("name"):
        raise fail("SEM-02", f"name {sent.get('name')!r}", f"name {body.get('name')!r}", exchange)


def sem_03_default_name(exchange: Exchange) -> None:
    """SEM-03: a copy requested without a name still has a non-empty name."""
    name = _body("SEM-03", exchange).get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("SEM-03", "a non-empty name", f"name {name!r}", exchange)


def sem_04_elements_mirror(source: dict[str, Any], exchange: Exchange) -> None:
    """SEM-04: same element count and order, type, isIncluded and filter/list reference; new element ids."""
    body = _body("SEM-04", exchange)
    expected, actual = _element_shape(source), _element_shape(body)
    if expected != actual:
        raise fail("SEM-04", f"elements (type, isIncluded, reference) {expected}", f"{actual}", exchange)
    reused = {e.get("id") for e in _elements(source)} & {e.get("id") for e in _elements(body)} - {None}
    if reused:
        raise fail("SEM-04", "new element ids", f"element ids {sorted(reused)} reused from the source", exchange)


# --- Stateful ----------------------------------------------------------------------------
def state_01_persistent(created: Exchange, retrieved: Exchange) -> None:
    """STATE-01: the copy retrieved by id has the name and elements of the 201 body."""
    _expect_status("STATE-01", retrieved, [200])
    made, read = created.json(), retrieved.json()
    made = made if isinstance(made, dict) else {}
    if not isinstance(read, dict) or read.get("name") != made.get("name"):
        got = read.get("name") if isinstance(read, dict) else "no JSON object"
        raise fail("STATE-01", f"name {made.get('name')!r}", f"{got!r}", created, retrieved)
    if _element_shape(read) != _element_shape(made):
        raise fail("STATE-01", f"elements {_element_shape(made)}", f"{_element_shape(read)}", created, retrieved)


def state_02_copy_of_copy(first: Exchange, second: Exchange, of_copy: Exchange) -> None:
    """STATE-02: two copies and a copy of a copy all succeed with three distinct ids."""
    ids = [_body("STATE-02", exchange).get("id") for exchange in (first, second, of_copy)]
    if len(set(ids)) != 3 or not all(isinstance(i, str) and i for i in ids):
        raise fail("STATE-02", "three distinct ids", f"ids {ids}", first, second, of_copy)
    if _element_shape(of_copy.json()) != _element_shape(first.json()):
        raise fail("STATE-02", "the copy of the copy mirrors its elements", f"{_element_shape(of_copy.json())}",
                   of_copy)  # fmt: skip


# --- Across the run and property-based ----------------------------------------------------
def status_02_every_status_observed(counts: Counter[int], statuses: Iterable[int]) -> None:
    """STATUS-02: each of these documented statuses was answered at least once in the run."""
    missing = [status for status in sorted(statuses) if not counts.get(status)]
    if missing:
        seen = ", ".join(f"{status}x{count}" for status, count in sorted(counts.items()))
        raise fail("STATUS-02", f"each of {sorted(statuses)} observed", f"never saw {missing}; saw {seen}")


def prop_01_valid_body_copied(exchange: Exchange, source_id: str, earlier_ids: Iterable[str]) -> None:
    """PROP-01: a schema-valid body gets 201 and passes every MUST check of a successful copy."""
    try:
        status_01_no_unrequested_5xx(exchange)
        shape_01_created_json_contact_segment(exchange)
        shape_02_type_is_contact_segment(exchange)
        shape_03_new_id(exchange, source_id, earlier_ids)
        ro_01_flagged_read_only_not_honoured(exchange)
    except RequirementFailure as failure:
        raise fail("PROP-01", failure.expected, f"{failure.requirement_id}: {failure.actual}", exchange) from None


def _schemathesis_agrees(requirement_id: str, exchange: Exchange, findings: list[str]) -> None:
    if findings:
        raise fail(requirement_id, "nothing found by schemathesis's own checks", "; ".join(findings), exchange)


def prop_01_schemathesis_agrees(exchange: Exchange, findings: list[str]) -> None:
    """PROP-01: schemathesis's checks (server error, status, content type, response schema) find nothing."""
    _schemathesis_agrees("PROP-01", exchange, findings)


def prop_02_schemathesis_agrees(exchange: Exchange, findings: list[str]) -> None:
    """PROP-02: schemathesis's checks (server error, documented status) find nothing."""
    _schemathesis_agrees("PROP-02", exchange, findings)


def _registry() -> dict[str, tuple[Callable[..., None], ...]]:
    """Requirement ID to its checks, read from the docstrings (each starts with its ID)."""
    found: dict[str, tuple[Callable[..., None], ...]] = {}
    for value in list(globals().values()):
        match = re.match(r"([A-Z]+-\d{2}):", getattr(value, "__doc__", None) or "")
        if callable(value) and match and getattr(value, "__module__", None) == __name__:
            found[match[1]] = (*found.get(match[1], ()), value)
    return found


CHECKS = _registry()
