"""VALID checks against crafted answers to malformed copy requests, and the shape of Eloqua's 400 bodies."""

from __future__ import annotations

import pytest
from _respx_api import (
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

from eloqua_conformance import checks

_ERROR = [{"type": "ObjectValidationError", "property": "name", "requirement": {"type": "TypeRequirement"}}]
_JSON_TEXT = {"content": b'{"name": "x"}'}
_UNKNOWN = {"name": "x", "x_e10_isTemplate": "false", "isBlankTemplate": "false"}
# Label, check, what the conformance test sends, the status it requires, statuses a broken server might answer.
STATUS_CASES = [
    ("truncated", checks.valid_01_not_json, {"content": b'{"name":'}, 400, [201, 500]),
    ("text", checks.valid_01_not_json, {"content": b"not json"}, 400, [200, 415]),
    ("array", checks.valid_02_not_an_object, {"content": b"[]"}, 400, [201, 500]),
    ("null", checks.valid_02_not_an_object, {"content": b"null"}, 400, [201]),
    ("name-object", checks.valid_03_wrong_property_type, {"body": {"name": {"first": "x"}}}, 400, [201, 500]),
    ("isIncluded-number", checks.valid_03_wrong_property_type, {"body": {"elements": [{"isIncluded": 1}]}}, 400, [201]),
    ("abc", checks.valid_04_non_numeric_id, {"segment_id": "abc"}, 400, [404, 500]),
    ("decimal", checks.valid_04_non_numeric_id, {"segment_id": "1.5"}, 400, [201]),
    ("zero", checks.valid_06_non_positive_id, {"segment_id": "0"}, 400, [201, 500]),
    ("minus-one", checks.valid_06_non_positive_id, {"segment_id": "-1"}, 404, [201, 403]),  # 404 tolerated
    ("no-content-type", checks.valid_07_content_type, {**_JSON_TEXT, "content_type": None}, 400, [201, 500]),
    ("text-plain", checks.valid_07_content_type, {**_JSON_TEXT, "content_type": "text/plain"}, 415, [201]),
    ("unknown-properties", checks.valid_08_unknown_properties_ignored, {"body": _UNKNOWN}, 201, [400]),
]
PASSING, FAILING = status_params(STATUS_CASES)


def _answered(status, request):
    body = contact_segment() if 200 <= status < 300 else _ERROR
    return copy_answered(json_response(status, body), **request)


@covers_pass(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "status"), PASSING)
def test_status_check_passes_the_required_status(check, request_, status):
    check(_answered(status, request_))


@covers_fail(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "required", "status"), FAILING)
def test_status_check_fails_any_other_status(check, request_, required, status):
    failure = expect_failure(requirement_of(check), check, _answered(status, request_))
    assert failure.expected.startswith("status ")
    assert str(required) in failure.expected
    assert failure.actual.startswith(f"{status}, ")


def test_valid_06_tolerates_404_and_says_so_when_failing():
    checks.valid_06_non_positive_id(_answered(404, {"segment_id": "0"}))
    failure = expect_failure("VALID-06", checks.valid_06_non_positive_id, _answered(201, {"segment_id": "0"}))
    assert failure.expected == "status 400 or 404"


def test_valid_07_sends_no_content_type_when_asked():
    exchange = _answered(400, {"content": b'{"name": "x"}', "content_type": None})
    assert "content-type" not in exchange.request_headers
    checks.valid_07_content_type(exchange)
    failure = expect_failure("VALID-07", checks.valid_07_content_type, _answered(201, {"content_type": None}))
    assert failure.expected == "status 400 or 415"


# --- VALID-05: 400 bodies ---------------------------------------------------------------------
@covers_pass(checks.valid_05_validation_error_body)
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
    checks.valid_05_validation_error_body(copy_answered(json_response(400, body), content=b"{"))


@pytest.mark.parametrize("status", [201, 401, 404, 500])
def test_valid_05_examines_only_400s(status):
    checks.valid_05_validation_error_body(copy_answered(raw_response(status, b"<html></html>", "text/html")))


@covers_fail(checks.valid_05_validation_error_body)
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
    ],
    ids=["empty-array", "array-with-string", "no-type", "type-not-string", "json-string", "html", "empty"],
)
def test_valid_05_fails_anything_but_typed_error_objects(content, shown):
    exchange = copy_answered(raw_response(400, content, "application/json"), content=b"{")
    failure = expect_failure("VALID-05", checks.valid_05_validation_error_body, exchange)
    assert failure.expected == "Eloqua validation errors: objects with a string type"
    assert shown in failure.actual
