"""VALID: malformed bodies, wrongly typed properties and bad path ids get 400, never 2xx or 5xx."""

import pytest

from eloqua_conformance import checks
from eloqua_conformance.fixtures import not_exercised


@pytest.mark.requirement("VALID-01")
@pytest.mark.parametrize("raw", [b'{"name": ', b"not json", b"\xff\xfe\x00garbage"], ids=["truncated", "text", "bytes"])
def test_body_that_is_not_json_is_400(api, source, raw):
    checks.valid_01_not_json(api.copy(source["id"], content=raw))


@pytest.mark.requirement("VALID-02")
@pytest.mark.parametrize("body", [[], "name", 42, None, True], ids=["array", "string", "number", "null", "boolean"])
def test_json_that_is_not_an_object_is_400(api, source, body):
    checks.valid_02_not_an_object(api.copy(source["id"], body))


@pytest.mark.requirement("VALID-03")
@pytest.mark.parametrize(
    "body",
    [
        {"elements": {"type": "ContactFilterSegmentElement"}},
        {"elements": ["ContactFilterSegmentElement"]},
        {"name": {"value": "a name in an object"}},
        {"permissions": "Retrieve"},
        {"permissions": [1, 2]},
        {"elements": [{"type": "ContactListSegmentElement", "isIncluded": 1}]},
    ],
    ids=["elements-object", "element-string", "name-object", "permissions-string", "permissions-numbers",
         "element-isIncluded-number"],
)  # fmt: skip
def test_documented_property_of_a_forbidden_type_is_400(run, api, source, body):
    checks.valid_03_wrong_property_type(api.copy(source["id"], body))


@pytest.mark.requirement("VALID-04")
@pytest.mark.parametrize("segment_id", ["abc", "1.5"])
def test_non_numeric_path_id_is_400(run, api, segment_id):
    checks.valid_04_non_numeric_id(api.copy(segment_id, {"name": run.name("bad-id")}))


@pytest.mark.requirement("VALID-06")
@pytest.mark.parametrize("segment_id", [0, -1])
def test_zero_or_negative_path_id_is_400(run, api, segment_id):
    checks.valid_06_non_positive_id(api.copy(segment_id, {"name": run.name("bad-id")}))


@pytest.mark.requirement("VALID-07")
@pytest.mark.parametrize("content_type", [None, "text/plain"], ids=["missing", "text-plain"])
def test_missing_or_non_json_content_type_is_400_or_415(run, api, source, content_type):
    body = f'{{"name": "{run.name("content-type")}"}}'.encode()
    checks.valid_07_content_type(api.copy(source["id"], content=body, content_type=content_type))


@pytest.mark.requirement("VALID-08")
def test_unknown_body_properties_are_ignored(run, api, source):
    body = {"name": run.name("extra"), "x_e10_isTemplate": "false", "isBlankTemplate": True}
    checks.valid_08_unknown_properties_ignored(api.copy(source["id"], body))


@pytest.mark.whole_run
@pytest.mark.requirement("VALID-05")
def test_every_400_body_carries_eloqua_validation_errors(run):
    answered_400 = [exchange for exchange in run.recorder.snapshot() if exchange.status == 400]
    if not answered_400:
        not_exercised("the run provoked no 400")
    for exchange in answered_400:
        checks.valid_05_validation_error_body(exchange)
