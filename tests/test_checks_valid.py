"""VALID checks against crafted answers to malformed and well-formed-but-unusual copy requests, Eloqua's 400 bodies,
and the state after refused ones."""

from __future__ import annotations

import pytest
from _respx_api import (
    NONE,
    contact_segment,
    copy_answered,
    covers_fail,
    covers_pass,
    expect_failure,
    json_response,
    raw_response,
    requirement_of,
    status_params,
)
from _state_cases import ADDED, UNCHANGED, assert_added, assert_unchanged, assert_unreadable

from eloqua_conformance.checks import valid

_ERROR = [{"type": "ObjectValidationError", "property": "name", "requirement": {"type": "TypeRequirement"}}]
_JSON_TEXT = {"content": b'{"name": "x"}'}
_UNKNOWN = {"name": "x", "x_e10_isTemplate": "false", "isBlankTemplate": "false"}
# Label, check, what the conformance test sends, the status it requires, statuses a broken server might answer.
STATUS_CASES = [
    ("truncated", valid.not_json, {"content": b'{"name":'}, 400, [201, 500]),
    ("text", valid.not_json, {"content": b"not json"}, 400, [200, 415]),
    ("array", valid.not_an_object, {"content": b"[]"}, 400, [201, 500]),
    ("null", valid.not_an_object, {"content": b"null"}, 400, [201]),
    ("name-object", valid.wrong_property_type, {"body": {"name": {"first": "x"}}}, 400, [201, 500]),
    ("name-null", valid.wrong_property_type, {"body": {"name": None}}, 400, [201]),
    ("isIncluded-number", valid.wrong_property_type, {"body": {"elements": [{"isIncluded": 1}]}}, 400, [201]),
    ("abc", valid.non_numeric_id, {"segment_id": "abc"}, 400, [404, 500]),
    ("decimal", valid.non_numeric_id, {"segment_id": "1.5"}, 400, [201]),
    ("zero", valid.non_positive_id, {"segment_id": "0"}, 400, [201, 500]),
    ("minus-one", valid.non_positive_id, {"segment_id": "-1"}, 404, [201, 403]),  # 404 tolerated
    ("no-content-type", valid.content_type, {**_JSON_TEXT, "content_type": None}, 400, [201, 500]),
    ("text-plain", valid.content_type, {**_JSON_TEXT, "content_type": "text/plain"}, 415, [201]),
    ("unknown-properties", valid.unknown_properties_ignored, {"body": _UNKNOWN}, 201, [400]),
    ("empty-body", valid.empty_body, {"content": b""}, 400, [201]),
    ("second-object", valid.trailing_data, {"content": b'{"name": "x"} {}'}, 400, [201]),
    ("nan", valid.nan_or_infinity, {"content": b'{"name": "x", "x_score": NaN}'}, 400, [201]),
    ("charset", valid.media_type_parameters_accepted,
     {**_JSON_TEXT, "content_type": "application/json; charset=utf-8"}, 201, [415, 400]),
    ("path-case", valid.path_case_ignored, {}, 201, [404]),
]  # fmt: skip
PASSING, FAILING = status_params(STATUS_CASES)


def _answered(status, request):
    body = contact_segment() if 200 <= status < 300 else _ERROR
    return copy_answered(json_response(status, body), **request)


@covers_pass(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "status"), PASSING)
def test_status_check_passes_the_required_status(check, request_, status):
    check(NONE, _answered(status, request_))


@covers_fail(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "required", "status"), FAILING)
def test_status_check_fails_any_other_status(check, request_, required, status):
    failure = expect_failure(requirement_of(check), check, NONE, _answered(status, request_))
    assert failure.expected.startswith("status ")
    assert str(required) in failure.expected
    assert failure.actual.startswith(f"{status}, ")


def test_valid_06_tolerates_404_and_says_so_when_failing():
    valid.non_positive_id(NONE, _answered(404, {"segment_id": "0"}))
    failure = expect_failure("VALID-06", valid.non_positive_id, NONE, _answered(201, {"segment_id": "0"}))
    assert failure.expected == "status 400 or 404"


def test_valid_07_sends_no_content_type_when_asked():
    exchange = _answered(400, {"content": b'{"name": "x"}', "content_type": None})
    assert "content-type" not in exchange.request_headers
    valid.content_type(NONE, exchange)
    failure = expect_failure("VALID-07", valid.content_type, NONE, _answered(201, {"content_type": None}))
    assert failure.expected == "status 400 or 415"


def test_valid_09_sends_an_empty_body_when_asked():
    exchange = _answered(400, {"content": b""})
    assert exchange.request_body == b"" and exchange.request_headers["content-type"] == "application/json"


# --- VALID-05: 400 bodies ---------------------------------------------------------------------
@covers_pass(valid.validation_error_body)
@pytest.mark.parametrize(
    "body",
    [
        {"type": "ObjectValidationError", "property": "name", "value": "{}"},
        [{"type": "EndpointParameterError", "parameter": "id"}],
        [{"type": "ObjectValidationError"}, {"type": "ObjectValidationError", "property": "elements"}],
    ],
    ids=["object", "array-of-one", "array-of-two"],
)
def test_valid_05_passes_eloqua_validation_errors(body):
    valid.validation_error_body(NONE, copy_answered(json_response(400, body), content=b"{"))


@pytest.mark.parametrize("status", [201, 401, 404, 500])
def test_valid_05_examines_only_400s(status):
    valid.validation_error_body(NONE, copy_answered(raw_response(status, b"<html></html>", "text/html")))


@covers_fail(valid.validation_error_body)
@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"[]", "[]"),
        (b'[{"type": "ObjectValidationError"}, "name"]', '"name"'),
        (b'{"property": "name"}', '"property"'),
        (b'{"type": 400}', '"type": 400'),
        (b'"bad request"', '"bad request"'),
        (b"<html><body>Bad Request</body></html>", "<html>"),
        (b"", "(empty)"),
        (b"[" * 5000 + b"]" * 5000, "[[["),
    ],
    ids=["empty-array", "array-with-string", "no-type", "type-not-string", "json-string", "html", "empty", "nested"],
)
def test_valid_05_fails_anything_but_typed_error_objects(content, shown):
    exchange = copy_answered(raw_response(400, content, "application/json"), content=b"{")
    failure = expect_failure("VALID-05", valid.validation_error_body, NONE, exchange)
    assert failure.expected == "Eloqua validation errors: objects with a string type"
    assert shown in failure.actual


# --- VALID-14 ---------------------------------------------------------------------------------
@covers_pass(valid.refused_request_creates_nothing)
@pytest.mark.parametrize(("before", "after"), UNCHANGED)
def test_valid_14_passes_when_no_segment_was_added(before, after):
    assert_unchanged(valid.refused_request_creates_nothing, before, after)


@covers_fail(valid.refused_request_creates_nothing)
@pytest.mark.parametrize(("after", "shown"), ADDED)
def test_valid_14_fails_when_a_refused_body_was_stored(after, shown):
    assert_added("VALID-14", valid.refused_request_creates_nothing, after, shown)


def test_valid_14_fails_when_the_segments_cannot_be_listed():
    assert_unreadable("VALID-14", valid.refused_request_creates_nothing)
