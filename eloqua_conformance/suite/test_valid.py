"""VALID: a body is one complete JSON object of documented types, and a path id a positive integer; anything else
gets 400 (never 2xx or 5xx) and creates nothing. Media-type parameters and the path's letter case do not matter."""

from typing import Any

import pytest

from eloqua_conformance.catalogue import load_openapi
from eloqua_conformance.checks import Context, valid
from eloqua_conformance.client import SegmentApi
from eloqua_conformance.fixtures import not_exercised, refusals_leave_no_trace
from eloqua_conformance.resources import API_PREFIX, SEGMENTS_ROOT

NONE = Context()
_SCHEMAS = load_openapi()["components"]["schemas"]
# Each JSON type a documented property's schema forbids: every property is a string or an array, none nullable.
WRONG: dict[str, dict[str, Any]] = {
    "string": {"null": None, "number": 7, "boolean": True, "object": {"value": "x"}, "array": ["x"]},
    "array": {"null": None, "number": 7, "boolean": True, "object": {"value": "x"}, "string": "x"},
}
TABLE = [
    (schema, prop, _SCHEMAS[schema]["properties"][prop]["type"])
    for schema in ("ContactSegment", "SegmentElement")
    for prop in _SCHEMAS[schema]["properties"]
]
_ELEMENT = {"type": "ContactFilterSegmentElement", "isIncluded": "true"}


class _Spelled(SegmentApi):
    """The same client and identity, with the API prefix spelled in another letter case."""

    def __init__(self, api, prefix):
        super().__init__(api.http, api.base_url, api.recorder, api.limiter, api.authorization, api.redact)
        self.prefix = prefix

    def url(self, path):
        return f"{self.base_url}{self.prefix}{SEGMENTS_ROOT.removeprefix(API_PREFIX)}{path}"


def _refused(run, judge, send):
    """Send what `send` sends, judge each answer with `judge`, and judge that nothing was created: a failure of
    that names VALID-14, whichever requirement the test was selected for."""
    with refusals_leave_no_trace(run, valid.refused_request_creates_nothing):
        for exchange in send():
            judge(NONE, exchange)


@pytest.mark.requirement("VALID-01")
@pytest.mark.parametrize("raw", [b'{"name": ', b"not json", b"\xff\xfe\x00garbage"], ids=["truncated", "text", "bytes"])
def test_body_that_is_not_json_is_400(run, api, source, raw):
    _refused(run, valid.not_json, lambda: [api.copy(source["id"], content=raw)])


@pytest.mark.requirement("VALID-02")
@pytest.mark.parametrize("body", [[], "name", 42, None, True], ids=["array", "string", "number", "null", "boolean"])
def test_json_that_is_not_an_object_is_400(run, api, source, body):
    _refused(run, valid.not_an_object, lambda: [api.copy(source["id"], body)])


@pytest.mark.requirement("VALID-03")
@pytest.mark.parametrize(
    "body",
    [
        {"elements": {"type": "ContactFilterSegmentElement"}},
        {"elements": ["ContactFilterSegmentElement"]},
        {"permissions": [1, 2]},
        {"elements": [{"type": "ContactListSegmentElement", "isIncluded": 1}]},
    ],
    ids=["elements-object", "element-string", "permissions-numbers", "element-isIncluded-number"],
)  # fmt: skip
def test_documented_property_of_a_forbidden_type_is_400(run, api, source, body):
    _refused(run, valid.wrong_property_type, lambda: [api.copy(source["id"], {"name": run.name("typed"), **body})])


@pytest.mark.requirement("VALID-03")
@pytest.mark.parametrize(("schema", "prop", "documented"), TABLE, ids=[f"{s}.{p}" for s, p, _ in TABLE])
def test_every_documented_property_with_each_forbidden_type_is_400(run, api, source, schema, prop, documented):
    # One wrong property per request: with several, a server that skips one would still answer 400.
    def send():
        for value in WRONG[documented].values():
            if schema == "ContactSegment":
                body = {"name": run.name("typed"), prop: value}
            else:
                body = {"name": run.name("typed"), "elements": [{**_ELEMENT, prop: value}]}
            yield api.copy(source["id"], body)

    _refused(run, valid.wrong_property_type, send)


@pytest.mark.requirement("VALID-04")
@pytest.mark.parametrize("segment_id", ["abc", "1.5", "{source}abc"], ids=["letters", "decimal", "digits-then-letters"])
def test_non_numeric_path_id_is_400(run, api, source, segment_id):
    target = segment_id.format(source=source["id"])
    _refused(run, valid.non_numeric_id, lambda: [api.copy(target, {"name": run.name("bad-id")})])


@pytest.mark.requirement("VALID-06")
@pytest.mark.parametrize("segment_id", [0, -1])
def test_zero_or_negative_path_id_is_400(run, api, segment_id):
    _refused(run, valid.non_positive_id, lambda: [api.copy(segment_id, {"name": run.name("bad-id")})])


@pytest.mark.requirement("VALID-07")
@pytest.mark.parametrize("content_type", [None, "text/plain"], ids=["missing", "text-plain"])
def test_missing_or_non_json_content_type_is_400_or_415(run, api, source, content_type):
    body = f'{{"name": "{run.name("content-type")}"}}'.encode()
    _refused(run, valid.content_type, lambda: [api.copy(source["id"], content=body, content_type=content_type)])


@pytest.mark.requirement("VALID-08")
def test_unknown_body_properties_are_ignored(run, api, source):
    body = {"name": run.name("extra"), "x_e10_isTemplate": "false", "isBlankTemplate": True}
    valid.unknown_properties_ignored(NONE, api.copy(source["id"], body))


@pytest.mark.requirement("VALID-09")
def test_empty_body_is_400(run, api, source):
    _refused(run, valid.empty_body, lambda: [api.copy(source["id"], content=b"")])


@pytest.mark.requirement("VALID-10")
@pytest.mark.parametrize("after", [b' {"name": "second"}', b"garbage", b"]"], ids=["second-object", "text", "bracket"])
def test_anything_after_the_json_value_is_400(run, api, source, after):
    body = f'{{"name": "{run.name("trailing")}"}}'.encode() + after
    _refused(run, valid.trailing_data, lambda: [api.copy(source["id"], content=body)])


@pytest.mark.requirement("VALID-11")
@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_400(run, api, source, constant):
    body = f'{{"name": "{run.name("nan")}", "x_e10_score": {constant}}}'.encode()
    _refused(run, valid.nan_or_infinity, lambda: [api.copy(source["id"], content=body)])


@pytest.mark.requirement("VALID-12")
@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/json;charset=UTF-8"]
)
def test_json_media_type_with_parameters_is_accepted(run, api, source, content_type):
    body = f'{{"name": "{run.name("media-type")}"}}'.encode()
    valid.media_type_parameters_accepted(NONE, api.copy(source["id"], content=body, content_type=content_type))


@pytest.mark.requirement("VALID-13")
@pytest.mark.parametrize("prefix", ["/api/rest/2.0", "/API/REST/2.0"])
def test_path_case_does_not_matter(run, api, source, prefix):
    spelled = _Spelled(api, prefix)  # the client spells /api/REST/2.0; this request spells it otherwise
    valid.path_case_ignored(NONE, spelled.copy(source["id"], {"name": run.name("path-case")}))


@pytest.mark.requirement("VALID-14")
def test_refused_bodies_and_path_ids_create_nothing(run, api, source):
    # Each answer is judged by its own requirement first, so a body that was not refused fails that one.
    cases = [
        (valid.not_json, lambda: api.copy(source["id"], content=b'{"name": ')),
        (valid.empty_body, lambda: api.copy(source["id"], content=b"")),
        (valid.not_an_object, lambda: api.copy(source["id"], [])),
        (valid.wrong_property_type, lambda: api.copy(source["id"], {"name": 7})),
        (valid.non_numeric_id, lambda: api.copy("abc", {"name": run.name("refused")})),
    ]
    with refusals_leave_no_trace(run, valid.refused_request_creates_nothing):
        for judge, send in cases:
            judge(NONE, send())


@pytest.mark.whole_run
@pytest.mark.requirement("VALID-05")
def test_every_400_body_carries_eloqua_validation_errors(run):
    answered_400 = [exchange for exchange in run.recorder.snapshot() if exchange.status == 400]
    if not answered_400:
        not_exercised("the run provoked no 400")
    for exchange in answered_400:
        valid.validation_error_body(NONE, exchange)
