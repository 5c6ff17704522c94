"""Whatever a target answers, every registered check passes or fails with a named RequirementFailure: never a
TypeError, AttributeError, KeyError or RecursionError of the suite's own.

Every check is run against answers and contexts built from hostile bodies: not JSON, invalid UTF-8, JSON that is
not an object, nesting past what Python can parse, and every documented property with the wrong type.
"""

from __future__ import annotations

import itertools
import json

import pytest

from eloqua_conformance.checks import CHECKS, Context, Listing
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import RequirementFailure

_WRONG = {"type": 7, "id": ["1"], "name": {"x": 1}, "folderId": True, "createdAt": 1.5, "updatedAt": None,
          "createdBy": [], "depth": {}, "permissions": "all", "elements": "none", "count": [1]}  # fmt: skip
_ELEMENTS = [
    "an element that is a string",
    None,
    {"type": ["ContactFilterSegmentElement"], "id": {"x": 1}, "isIncluded": 1, "filter": "f", "list": 7},
    {"type": "ContactFilterSegmentElement", "id": "1", "filter": {"id": None, "scope": 5, "criteria": {"a": 1},
                                                                  "statement": 7}},
    {"type": "ContactFilterSegmentElement", "id": "2", "filter": {"scope": "local", "criteria": [None, 5, {"id": []}],
                                                                  "statement": ["-1"]}},
    {"type": "ContactListSegmentElement", "id": "3", "list": {"id": {"deep": [[[]]]}}},
]  # fmt: skip
BODIES = [
    b"",
    b"   ",
    b"not json",
    b"\xff\xfe\x00\x01 invalid utf-8",
    b"[]",
    b"null",
    b"42",
    b'"ContactSegment"',
    b"[" * 100_000,  # past the interpreter's recursion limit
    json.dumps(json.loads("[" * 150 + "]" * 150)).encode(),  # parses, but deeper than anything documented
    json.dumps({"a": [{"b": [{"c": 1}]}] * 3}).encode(),
    json.dumps(_WRONG).encode(),
    json.dumps({"type": "ContactSegment", "id": "1", "elements": _ELEMENTS}).encode(),
    json.dumps({"type": "ContactSegment", "id": "2", "elements": [{"id": "1"}, {"id": "1"}], "createdAt": "9" * 40,
                "updatedAt": "-1", "name": "\ud800"}).encode(),
    b'{"type": "ContactSegment", "id": "1e999", "count": 1e999, "x": 123456789012345678901234567890}',
]  # fmt: skip
STATUSES = [0, 200, 201, 400, 401, 404, 500]
SENT = [b'{"name": "n"}', b'{"name": ["n"], "elements": 5, "depth": 5, "folderId": {}}', b"\xff", b"[1]"]


def _exchange(status, body, sent=SENT[0], content_type="application/json"):
    return Exchange(
        method="POST", url="https://target.invalid/api/REST/2.0/assets/contact/segment/12/copy",
        request_headers={"content-type": "application/json"}, request_body=sent, status=status,
        response_headers={"content-type": content_type, "date": "not a date"} if status else {},
        response_body=body, network_error="" if status else "network fault: ConnectError: refused",
    )  # fmt: skip


def _parsed(body):
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return body.decode("utf-8", "replace")


def _contexts(body):
    hostile = _exchange(200, body)
    value = _parsed(body)
    yield Context()
    yield Context(source=value, retrieved=hostile, before=hostile, after=hostile, identity=value,
                  earlier_ids=frozenset({"1"}), window=(0.0, 1e12), exchanges=(hostile, _exchange(201, body)),
                  listing_before=Listing((("1", "a"),)), listing_after=Listing((("1", "a"), ("2", "b"))),
                  names_seen=frozenset({"n"}), findings=("schemathesis said so",))  # fmt: skip
    yield Context(source={"id": value, "elements": value}, retrieved=_exchange(0, b""), identity={"createdBy": value})


CASES = [
    pytest.param(requirement_id, check, id=f"{requirement_id}-{check.__name__}")
    for requirement_id, functions in CHECKS.items()
    for check in functions
]


@pytest.mark.parametrize(("requirement_id", "check"), CASES)
def test_every_check_ends_in_its_own_failure_or_passes_whatever_the_target_answers(requirement_id, check):
    for body, status, sent in itertools.product(BODIES, STATUSES, SENT):
        exchange = _exchange(status, body, sent, "text/html" if status == 404 else "application/json")
        for context in _contexts(body):
            try:
                check(context, exchange)
            except RequirementFailure as failure:
                assert failure.requirement_id == requirement_id
                str(failure)  # renders, with its curl lines
