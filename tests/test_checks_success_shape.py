"""SHAPE and RO checks against crafted copy responses: what a conforming 201 looks like, and each way to miss it."""

from __future__ import annotations

import time

import httpx
import pytest
from _respx_api import (
    SOURCE_ID,
    contact_segment,
    copy_answered,
    covers_fail,
    covers_pass,
    element,
    expect_failure,
    json_response,
    mocked_api,
    raw_response,
)

from eloqua_conformance import checks

NOW = time.time()


def _created(**overrides):
    return copy_answered(json_response(201, contact_segment(**overrides)))


# --- SHAPE-01 -------------------------------------------------------------------------------
@covers_pass(checks.shape_01_created_json_contact_segment)
@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"]
)
def test_shape_01_passes_201_json_contact_segment(content_type):
    checks.shape_01_created_json_contact_segment(copy_answered(json_response(201, contact_segment(), content_type)))


def test_shape_01_passes_sparse_body_with_undocumented_properties():
    body = contact_segment(elements=None, permissions=None, isBlankTemplate="false", x_e10_createdBy="9")
    checks.shape_01_created_json_contact_segment(copy_answered(json_response(201, body)))


@covers_fail(checks.shape_01_created_json_contact_segment)
@pytest.mark.parametrize("status", [200, 202])
def test_shape_01_fails_success_status_other_than_201(status):
    exchange = copy_answered(json_response(status, contact_segment()))
    failure = expect_failure("SHAPE-01", checks.shape_01_created_json_contact_segment, exchange)
    assert failure.expected == "status 201"
    assert failure.actual.startswith(f"{status}, ")


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "application/problem+json", None])
def test_shape_01_fails_content_type_other_than_json(content_type):
    exchange = copy_answered(json_response(201, contact_segment(), "application/json"))
    exchange = copy_answered(raw_response(201, exchange.response_body, content_type))
    failure = expect_failure("SHAPE-01", checks.shape_01_created_json_contact_segment, exchange)
    assert "application/json" in failure.expected
    assert (content_type or "(none)") in failure.actual


def test_shape_01_fails_body_that_is_not_json():
    exchange = copy_answered(raw_response(201, b'{"type": "ContactSegment",', "application/json"))
    failure = expect_failure("SHAPE-01", checks.shape_01_created_json_contact_segment, exchange)
    assert "does not parse" in failure.actual


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"name": 42}, "name"),
        ({"id": 1001}, "id"),
        ({"type": ["ContactSegment"]}, "type"),
        ({"elements": {"type": "ContactFilterSegmentElement"}}, "elements"),
        ({"elements": [element("filter", "2001", "501", included=True)]}, "elements/0/isIncluded"),
        ({"permissions": "fullControl"}, "permissions"),
    ],
)
def test_shape_01_fails_property_of_wrong_json_type(overrides, where):
    failure = expect_failure("SHAPE-01", checks.shape_01_created_json_contact_segment, _created(**overrides))
    assert failure.expected == "a body valid against ContactSegment"
    assert failure.actual.startswith(f"{where}: ")


def test_shape_01_fails_json_array_body():
    failure = expect_failure(
        "SHAPE-01", checks.shape_01_created_json_contact_segment, copy_answered(json_response(201, [contact_segment()]))
    )
    assert "(root)" in failure.actual


def test_a_body_without_type_is_left_to_shape_02():
    # The documented schema requires nothing (Eloqua omits empty properties), so SHAPE-01 accepts it.
    checks.shape_01_created_json_contact_segment(_created(type=None))
    expect_failure("SHAPE-02", checks.shape_02_type_is_contact_segment, _created(type=None))


# --- SHAPE-02 -------------------------------------------------------------------------------
@covers_pass(checks.shape_02_type_is_contact_segment)
def test_shape_02_passes_contact_segment_type():
    checks.shape_02_type_is_contact_segment(_created())


@covers_fail(checks.shape_02_type_is_contact_segment)
@pytest.mark.parametrize(("type_name", "shown"), [("Segment", "'Segment'"), (None, "None"), ("contactsegment", "")])
def test_shape_02_fails_other_or_missing_type(type_name, shown):
    failure = expect_failure("SHAPE-02", checks.shape_02_type_is_contact_segment, _created(type=type_name))
    assert failure.expected == 'type "ContactSegment"'
    assert shown in failure.actual


def test_shape_02_fails_a_copy_that_did_not_succeed():
    exchange = copy_answered(json_response(400, {"type": "ObjectValidationError"}))
    assert expect_failure("SHAPE-02", checks.shape_02_type_is_contact_segment, exchange).expected == "status 201"


def test_shape_02_fails_non_object_json_body():
    exchange = copy_answered(json_response(201, "ContactSegment"))
    assert "no JSON object" in expect_failure("SHAPE-02", checks.shape_02_type_is_contact_segment, exchange).actual


# --- SHAPE-03 -------------------------------------------------------------------------------
@covers_pass(checks.shape_03_new_id)
def test_shape_03_passes_id_never_seen():
    with mocked_api() as (api, router):
        router.post(path__regex=r"/copy$").mock(return_value=json_response(201, contact_segment(id="1001")))
        earlier = set(api.recorder.seen_ids)  # taken before the copy, as the conformance tests do
        exchange = api.copy(SOURCE_ID, {"name": "Copy"})
    checks.shape_03_new_id(exchange, SOURCE_ID, earlier)


@covers_fail(checks.shape_03_new_id)
@pytest.mark.parametrize(
    ("new_id", "earlier", "expected"),
    [
        (SOURCE_ID, set(), "an id other than the source's (12)"),
        ("7", {"5", "7"}, "an id not seen before in the run"),
        (None, set(), "a non-empty string id"),
        ("", set(), "a non-empty string id"),
        (1001, set(), "a non-empty string id"),
    ],
)
def test_shape_03_fails_missing_or_reused_id(new_id, earlier, expected):
    failure = expect_failure("SHAPE-03", checks.shape_03_new_id, _created(id=new_id), SOURCE_ID, earlier)
    assert failure.expected == expected
    assert repr(new_id) in failure.actual


# --- SHAPE-04 -------------------------------------------------------------------------------
@covers_pass(checks.shape_04_ids_are_digits)
@pytest.mark.parametrize("overrides", [{}, {"folderId": None, "elements": None}, {"elements": [{"type": "X"}]}])
def test_shape_04_passes_digit_ids_where_present(overrides):
    checks.shape_04_ids_are_digits(_created(**overrides))


@covers_fail(checks.shape_04_ids_are_digits)
@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"id": "abc"}, "id"),
        ({"id": "-1500196"}, "id"),
        ({"folderId": "F-312"}, "folderId"),
        ({"elements": [element("filter", "e1", "501")]}, "elements/0/id"),
        ({"id": "\uff11\uff12"}, "id"),  # fullwidth digits: Unicode decimals, not the ASCII ones Eloqua uses
    ],
)
def test_shape_04_fails_ids_that_are_not_decimal_digits(overrides, key):
    failure = expect_failure("SHAPE-04", checks.shape_04_ids_are_digits, _created(**overrides))
    assert repr(key) in failure.actual


def test_shape_04_fails_id_with_trailing_newline():
    expect_failure("SHAPE-04", checks.shape_04_ids_are_digits, _created(id="1001\n"))


# --- SHAPE-05 -------------------------------------------------------------------------------
@covers_pass(checks.shape_05_timestamps_unix_seconds)
@pytest.mark.parametrize(
    "overrides",
    [
        {"createdAt": str(int(NOW)), "updatedAt": str(int(NOW))},
        {"createdAt": str(int(NOW) - 23 * 3600), "updatedAt": None},
        {"createdAt": None, "updatedAt": None},
    ],
)
def test_shape_05_passes_unix_seconds_within_a_day(overrides):
    checks.shape_05_timestamps_unix_seconds(_created(**overrides), NOW)


@covers_fail(checks.shape_05_timestamps_unix_seconds)
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("createdAt", str(int(NOW * 1000))),  # milliseconds
        ("updatedAt", str(int(NOW) - 2 * 24 * 3600)),
        ("createdAt", int(NOW)),
        ("createdAt", "2026-01-01T00:00:00Z"),
        ("updatedAt", "/Date(1764180000000)/"),
    ],
)
def test_shape_05_fails_timestamps_not_unix_seconds_of_now(key, value):
    failure = expect_failure("SHAPE-05", checks.shape_05_timestamps_unix_seconds, _created(**{key: value}), NOW)
    assert failure.expected == f"{key} in Unix seconds near {int(NOW)}"
    assert failure.actual == f"{key} {value!r}"


def test_shape_05_fails_timestamp_with_trailing_newline():
    expect_failure("SHAPE-05", checks.shape_05_timestamps_unix_seconds, _created(createdAt=f"{int(NOW)}\n"), NOW)


# --- SHAPE-06 -------------------------------------------------------------------------------
@covers_pass(checks.shape_06_is_included_flags)
def test_shape_06_passes_true_false_or_absent():
    elements = [element("filter", "1", "5", "true"), element("list", "2", "6", "false"), {"type": "X", "id": "3"}]
    checks.shape_06_is_included_flags(_created(elements=elements))


@covers_fail(checks.shape_06_is_included_flags)
@pytest.mark.parametrize("flag", [True, "True", "yes", "1", None], ids=["bool", "True", "yes", "1", "null"])
def test_shape_06_fails_other_is_included_values(flag):
    elements = [element("filter", "1", "5", "true"), element("list", "2", "6", flag)]
    failure = expect_failure("SHAPE-06", checks.shape_06_is_included_flags, _created(elements=elements))
    assert failure.actual == f"elements/1/isIncluded {flag!r}"


# --- SHAPE-07 -------------------------------------------------------------------------------
@covers_pass(checks.shape_07_depth_values)
def test_shape_07_passes_documented_depths_of_copy_and_retrieve():
    checks.shape_07_depth_values(_created(depth="complete", elements=[element("filter", "1", "5", depth="minimal")]))
    with mocked_api() as (api, router):
        retrieved = json_response(200, contact_segment(depth="partial"))
        router.get(path__regex=r"/segment/1001$").mock(return_value=retrieved)
        checks.shape_07_depth_values(api.retrieve("1001", depth="partial"))


@covers_fail(checks.shape_07_depth_values)
@pytest.mark.parametrize(
    ("overrides", "key"),
    [({"depth": "full"}, "depth"), ({"elements": [element("list", "1", "5", depth="Complete")]}, "elements/0/depth")],
)
def test_shape_07_fails_undocumented_depth(overrides, key):
    failure = expect_failure("SHAPE-07", checks.shape_07_depth_values, _created(**overrides))
    assert repr(key) in failure.actual


def test_shape_07_fails_body_that_is_not_an_object():
    exchange = copy_answered(raw_response(201, b"<html></html>", "text/html"))
    assert "text/html" in expect_failure("SHAPE-07", checks.shape_07_depth_values, exchange).actual


# --- RO-01, RO-02 ---------------------------------------------------------------------------
FLAGGED = {
    "id": "987654321",
    "folderId": "987654322",
    "createdBy": "987654323",
    "createdAt": "1000000001",
    "updatedBy": "987654324",
    "updatedAt": "1000000002",
    "scheduledFor": "1000000003",
    "depth": "minimal",
}
DESCRIBED = {"permissions": ["ConformanceSuiteOnly"], "count": "424242", "lastCalculatedAt": "1000000004"}


@covers_pass(checks.ro_01_flagged_read_only_not_honoured)
def test_ro_01_passes_when_server_sets_its_own_values():
    exchange = copy_answered(json_response(201, contact_segment(count="3")), {"name": "Copy", **FLAGGED})
    checks.ro_01_flagged_read_only_not_honoured(exchange)


@covers_fail(checks.ro_01_flagged_read_only_not_honoured)
@pytest.mark.parametrize("key", sorted(set(FLAGGED) - {"depth"}))
def test_ro_01_fails_each_echoed_flagged_value(key):
    exchange = copy_answered(json_response(201, contact_segment(**{key: FLAGGED[key]})), {"name": "Copy", **FLAGGED})
    failure = expect_failure("RO-01", checks.ro_01_flagged_read_only_not_honoured, exchange)
    echoed = {key: FLAGGED[key]}
    assert failure.actual == f"the copy carries the sent {echoed}"


def test_ro_01_tolerates_the_sent_depth():
    # depth has three possible values; a copy rendered at the sent one is no evidence of honouring it.
    exchange = copy_answered(json_response(201, contact_segment(depth=FLAGGED["depth"])), {"name": "Copy", **FLAGGED})
    checks.ro_01_flagged_read_only_not_honoured(exchange)


def test_ro_01_fails_a_copy_that_did_not_succeed():
    exchange = copy_answered(httpx.Response(400, json={"type": "ObjectValidationError"}), {"name": "x", **FLAGGED})
    assert expect_failure("RO-01", checks.ro_01_flagged_read_only_not_honoured, exchange).expected == "status 201"


@covers_pass(checks.ro_02_described_read_only_not_honoured)
def test_ro_02_passes_when_type_and_server_values_stand():
    sent = {"name": "Copy", "type": "NotAContactSegment", **DESCRIBED}
    exchange = copy_answered(json_response(201, contact_segment(count="0", lastCalculatedAt="1764180000")), sent)
    checks.ro_02_described_read_only_not_honoured(exchange)


@covers_fail(checks.ro_02_described_read_only_not_honoured)
@pytest.mark.parametrize("key", sorted(DESCRIBED))
def test_ro_02_fails_each_echoed_described_value(key):
    sent = {"name": "Copy", "type": "NotAContactSegment", **DESCRIBED}
    exchange = copy_answered(json_response(201, contact_segment(**{key: DESCRIBED[key]})), sent)
    failure = expect_failure("RO-02", checks.ro_02_described_read_only_not_honoured, exchange)
    assert repr(key) in failure.actual


def test_ro_02_fails_an_honoured_type():
    sent = {"name": "Copy", "type": "NotAContactSegment"}
    exchange = copy_answered(json_response(201, contact_segment(type="NotAContactSegment")), sent)
    failure = expect_failure("RO-02", checks.ro_02_described_read_only_not_honoured, exchange)
    assert failure.actual == "type 'NotAContactSegment'"
