"""SHAPE checks against crafted copy answers: a conforming 201, each way to miss it, and what the contract allows."""

from __future__ import annotations

import email.utils
import time

import pytest
from _respx_api import (
    NONE,
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
    retrieve_answered,
)

from eloqua_conformance.checks import Context, shape

NOW = time.time()
WINDOW = Context(window=(NOW - 2, NOW))


def _created(**overrides):
    return copy_answered(json_response(201, contact_segment(**overrides)))


# --- SHAPE-01 -------------------------------------------------------------------------------
@covers_pass(shape.created_json_contact_segment)
@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"]
)
def test_shape_01_passes_201_json_contact_segment(content_type):
    shape.created_json_contact_segment(NONE, copy_answered(json_response(201, contact_segment(), content_type)))


@pytest.mark.parametrize("depth", ["minimal", "partial"])
def test_shape_01_passes_a_201_at_any_depth(depth):
    # The depth of the copy's answer is the server's (notes §8): a minimal one is still a ContactSegment.
    minimal = {"type": "ContactSegment", "id": "1001", "name": "Copy", "createdAt": str(int(NOW)), "depth": depth}
    shape.created_json_contact_segment(NONE, copy_answered(json_response(201, minimal)))


def test_shape_01_passes_sparse_body_with_undocumented_properties():
    body = contact_segment(elements=None, permissions=None, isBlankTemplate="false", x_e10_createdBy="9")
    shape.created_json_contact_segment(NONE, copy_answered(json_response(201, body)))


@covers_fail(shape.created_json_contact_segment)
@pytest.mark.parametrize("status", [200, 202])
def test_shape_01_fails_success_status_other_than_201(status):
    exchange = copy_answered(json_response(status, contact_segment()))
    failure = expect_failure("SHAPE-01", shape.created_json_contact_segment, NONE, exchange)
    assert failure.expected == "status 201"
    assert failure.actual.startswith(f"{status}, ")


@pytest.mark.parametrize("content_type", ["text/html", "text/plain", "application/problem+json", None])
def test_shape_01_fails_content_type_other_than_json(content_type):
    exchange = copy_answered(json_response(201, contact_segment(), "application/json"))
    exchange = copy_answered(raw_response(201, exchange.response_body, content_type))
    failure = expect_failure("SHAPE-01", shape.created_json_contact_segment, NONE, exchange)
    assert "application/json" in failure.expected
    assert (content_type or "(none)") in failure.actual


def test_shape_01_fails_body_that_is_not_json():
    exchange = copy_answered(raw_response(201, b'{"type": "ContactSegment",', "application/json"))
    failure = expect_failure("SHAPE-01", shape.created_json_contact_segment, NONE, exchange)
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
        ({"folderId": None}, "folderId"),  # null: no property is nullable
    ],
)
def test_shape_01_fails_property_of_wrong_json_type(overrides, where):
    body = {**contact_segment(), **overrides}
    exchange = copy_answered(json_response(201, body))
    failure = expect_failure("SHAPE-01", shape.created_json_contact_segment, NONE, exchange)
    assert failure.expected == "a body valid against ContactSegment"
    assert failure.actual.startswith(f"{where}: ")


def test_shape_01_fails_json_array_body():
    exchange = copy_answered(json_response(201, [contact_segment()]))
    assert "(root)" in expect_failure("SHAPE-01", shape.created_json_contact_segment, NONE, exchange).actual


def test_a_body_without_type_is_left_to_shape_02():
    # The documented schema requires nothing (Eloqua omits empty properties), so SHAPE-01 accepts it.
    shape.created_json_contact_segment(NONE, _created(type=None))
    expect_failure("SHAPE-02", shape.type_is_contact_segment, NONE, _created(type=None))


# --- SHAPE-02 -------------------------------------------------------------------------------
@covers_pass(shape.type_is_contact_segment)
def test_shape_02_passes_contact_segment_type():
    shape.type_is_contact_segment(NONE, _created())


@covers_fail(shape.type_is_contact_segment)
@pytest.mark.parametrize(("type_name", "shown"), [("Segment", "'Segment'"), (None, "None"), ("contactsegment", "")])
def test_shape_02_fails_other_or_missing_type(type_name, shown):
    failure = expect_failure("SHAPE-02", shape.type_is_contact_segment, NONE, _created(type=type_name))
    assert failure.expected == 'type "ContactSegment"'
    assert shown in failure.actual


def test_shape_02_fails_a_copy_that_did_not_succeed():
    exchange = copy_answered(json_response(400, {"type": "ObjectValidationError"}))
    assert expect_failure("SHAPE-02", shape.type_is_contact_segment, NONE, exchange).expected == "status 201"


def test_shape_02_fails_non_object_json_body():
    exchange = copy_answered(json_response(201, "ContactSegment"))
    assert "not an object" in expect_failure("SHAPE-02", shape.type_is_contact_segment, NONE, exchange).actual


# --- SHAPE-03 -------------------------------------------------------------------------------
@covers_pass(shape.new_id)
def test_shape_03_passes_id_never_seen():
    with mocked_api() as (api, router):
        router.post(path__regex=r"/copy$").mock(return_value=json_response(201, contact_segment(id="1001")))
        earlier = frozenset(api.recorder.seen_ids)  # taken before the copy, as the conformance tests do
        exchange = api.copy(SOURCE_ID, {"name": "Copy"})
    shape.new_id(Context(source={"id": SOURCE_ID}, earlier_ids=earlier), exchange)


@covers_fail(shape.new_id)
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
    context = Context(source={"id": SOURCE_ID}, earlier_ids=frozenset(earlier))
    failure = expect_failure("SHAPE-03", shape.new_id, context, _created(id=new_id))
    assert failure.expected == expected
    assert repr(new_id) in failure.actual


# --- SHAPE-04 -------------------------------------------------------------------------------
@covers_pass(shape.ids_are_digits)
@pytest.mark.parametrize("overrides", [{}, {"folderId": None, "elements": None}, {"elements": [{"type": "X"}]}])
def test_shape_04_passes_digit_ids_where_present(overrides):
    shape.ids_are_digits(NONE, _created(**overrides))


def test_shape_04_leaves_a_numeric_folder_id_to_shape_01():
    shape.ids_are_digits(NONE, _created(folderId=312))


@covers_fail(shape.ids_are_digits)
@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"id": "abc"}, "id"),
        ({"id": "-1500196"}, "id"),
        ({"folderId": "F-312"}, "folderId"),
        ({"elements": [element("filter", "e1", "501")]}, "elements/0/id"),
        ({"id": "\uff11\uff12"}, "id"),  # fullwidth digits: Unicode decimals, not the ASCII ones Eloqua uses
        ({"folderId": True}, "folderId"),
    ],
)
def test_shape_04_fails_ids_that_are_not_decimal_digits(overrides, key):
    failure = expect_failure("SHAPE-04", shape.ids_are_digits, NONE, _created(**overrides))
    assert repr(key) in failure.actual


def test_shape_04_judges_element_ids_of_the_copy_retrieved():
    retrieved = retrieve_answered(json_response(200, contact_segment(elements=[element("list", "x9", "601")])))
    failure = expect_failure("SHAPE-04", shape.ids_are_digits, Context(retrieved=retrieved), _created(elements=None))
    assert "elements/0/id" in failure.actual


def test_shape_04_fails_id_with_trailing_newline():
    expect_failure("SHAPE-04", shape.ids_are_digits, NONE, _created(id="1001\n"))


# --- SHAPE-05 -------------------------------------------------------------------------------
@covers_pass(shape.timestamps_unix_seconds)
@pytest.mark.parametrize(
    "overrides",
    [
        {"createdAt": str(int(NOW)), "updatedAt": str(int(NOW))},
        {"createdAt": str(int(NOW) - 23 * 3600), "updatedAt": None},
        {"createdAt": None, "updatedAt": None},
    ],
)
def test_shape_05_passes_unix_seconds_within_a_day(overrides):
    shape.timestamps_unix_seconds(WINDOW, _created(**overrides))


@covers_fail(shape.timestamps_unix_seconds)
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
    failure = expect_failure("SHAPE-05", shape.timestamps_unix_seconds, WINDOW, _created(**{key: value}))
    assert failure.expected == f"{key} in Unix seconds near {int(NOW)}"
    assert failure.actual == f"{key} {value!r}"


def test_shape_05_fails_timestamp_with_trailing_newline():
    expect_failure("SHAPE-05", shape.timestamps_unix_seconds, WINDOW, _created(createdAt=f"{int(NOW)}\n"))


# --- SHAPE-08 -------------------------------------------------------------------------------
def _dated(date, **overrides):
    response = json_response(201, contact_segment(**overrides))
    response.headers["Date"] = email.utils.formatdate(date, usegmt=True)
    return copy_answered(response)


@covers_pass(shape.timestamps_are_now)
@pytest.mark.parametrize("offset", [0, -120, 240], ids=["now", "two-minutes-before", "four-minutes-after"])
def test_shape_08_passes_timestamps_within_minutes_of_the_date_header_and_the_clock(offset):
    stamp = str(int(NOW) + offset)
    shape.timestamps_are_now(WINDOW, _dated(NOW, createdAt=stamp, updatedAt=stamp))


def test_shape_08_passes_without_a_date_header_and_leaves_milliseconds_to_shape_05():
    shape.timestamps_are_now(WINDOW, _created(createdAt=str(int(NOW))))
    shape.timestamps_are_now(WINDOW, _created(createdAt=str(int(NOW * 1000)), updatedAt=None))


@covers_fail(shape.timestamps_are_now)
@pytest.mark.parametrize(
    ("date", "stamp", "expected"),
    [
        (NOW, int(NOW) - 3600, "within 300 s of the response's Date"),  # an hour off: local time taken for UTC
        (NOW + 86400, int(NOW) + 86400, "within 300 s of the suite's clock"),  # a server a day ahead, Date too
        (None, int(NOW) - 20 * 3600, "within 300 s of the suite's clock"),  # SHAPE-05's day would let it through
    ],
    ids=["an-hour-behind-its-date", "a-day-ahead", "hours-behind-no-date"],
)
def test_shape_08_fails_timestamps_far_from_the_date_header_or_the_clock(date, stamp, expected):
    exchange = _dated(date, createdAt=str(stamp)) if date else _created(createdAt=str(stamp))
    failure = expect_failure("SHAPE-08", shape.timestamps_are_now, WINDOW, exchange)
    assert expected in failure.expected
    assert failure.actual == f"createdAt {stamp}"


def test_shape_08_fails_an_update_before_the_creation():
    exchange = _created(createdAt=str(int(NOW)), updatedAt=str(int(NOW) - 60))
    assert (
        expect_failure("SHAPE-08", shape.timestamps_are_now, WINDOW, exchange).expected
        == "updatedAt not before createdAt"
    )


# --- SHAPE-06 -------------------------------------------------------------------------------
@covers_pass(shape.is_included_flags)
def test_shape_06_passes_true_false_or_absent():
    elements = [element("filter", "1", "5", "true"), element("list", "2", "6", "false"), {"type": "X", "id": "3"}]
    shape.is_included_flags(NONE, _created(elements=elements))


@covers_fail(shape.is_included_flags)
@pytest.mark.parametrize("flag", [True, "True", "yes", "1", None], ids=["bool", "True", "yes", "1", "null"])
def test_shape_06_fails_other_is_included_values(flag):
    elements = [element("filter", "1", "5", "true"), element("list", "2", "6", flag)]
    failure = expect_failure("SHAPE-06", shape.is_included_flags, NONE, _created(elements=elements))
    assert failure.actual == f"elements/1/isIncluded {flag!r}"


# --- SHAPE-07 -------------------------------------------------------------------------------
@covers_pass(shape.depth_values)
def test_shape_07_passes_documented_depths_of_copy_and_retrieve():
    retrieved = retrieve_answered(json_response(200, contact_segment(depth="partial")))
    copy = _created(depth="complete", elements=[element("filter", "1", "5", depth="minimal")])
    shape.depth_values(Context(retrieved=retrieved), copy)


@covers_fail(shape.depth_values)
@pytest.mark.parametrize(
    ("overrides", "key"),
    [({"depth": "full"}, "depth"), ({"elements": [element("list", "1", "5", depth="Complete")]}, "elements/0/depth")],
)
def test_shape_07_fails_undocumented_depth(overrides, key):
    failure = expect_failure("SHAPE-07", shape.depth_values, NONE, _created(**overrides))
    assert repr(key) in failure.actual


def test_shape_07_fails_an_undocumented_depth_of_the_copy_retrieved():
    retrieved = retrieve_answered(json_response(200, contact_segment(depth="everything")))
    failure = expect_failure("SHAPE-07", shape.depth_values, Context(retrieved=retrieved), _created())
    assert failure.exchanges == (retrieved,)


def test_shape_07_fails_body_that_is_not_an_object():
    exchange = copy_answered(raw_response(201, b"<html></html>", "text/html"))
    assert "text/html" in expect_failure("SHAPE-07", shape.depth_values, NONE, exchange).actual


# --- SHAPE-09 -------------------------------------------------------------------------------
OWN = contact_segment(id="900", createdBy="9", createdByName="Jane Doe", updatedBy="9", updatedByName="Jane Doe")


@covers_pass(shape.creator_is_the_requester)
@pytest.mark.parametrize("overrides", [{"createdByName": "Jane Doe"}, {"createdBy": None, "updatedBy": None}])
def test_shape_09_passes_the_requester_as_creator(overrides):
    shape.creator_is_the_requester(Context(identity=OWN), _created(**overrides))


def test_shape_09_passes_when_the_server_names_no_creator_on_its_own_segment():
    shape.creator_is_the_requester(Context(identity={"id": "900"}), _created(createdBy="77"))


@covers_fail(shape.creator_is_the_requester)
@pytest.mark.parametrize(
    ("key", "value"), [("createdBy", "1"), ("updatedBy", "77"), ("createdByName", "Eloqua System")]
)
def test_shape_09_fails_another_creator(key, value):
    failure = expect_failure("SHAPE-09", shape.creator_is_the_requester, Context(identity=OWN),
                             _created(**{"createdByName": "Jane Doe", key: value}))  # fmt: skip
    assert failure.expected.startswith(f"{key} {OWN[key]!r}, as on segment '900'")
    assert failure.actual == f"{key} {value!r}"


# --- SHAPE-10 -------------------------------------------------------------------------------
@covers_pass(shape.element_ids_unique)
def test_shape_10_passes_distinct_element_ids():
    shape.element_ids_unique(NONE, _created())


@covers_fail(shape.element_ids_unique)
def test_shape_10_fails_a_repeated_element_id():
    elements = [element("filter", "2001", "501"), element("list", "2001", "601")]
    failure = expect_failure("SHAPE-10", shape.element_ids_unique, NONE, _created(elements=elements))
    assert failure.actual == "element ids '2001' appear more than once"


def test_shape_10_judges_the_copy_retrieved_when_the_201_has_no_elements():
    elements = [element("filter", "7", "501"), element("list", "7", "601")]
    retrieved = retrieve_answered(json_response(200, contact_segment(elements=elements)))
    expect_failure("SHAPE-10", shape.element_ids_unique, Context(retrieved=retrieved), _created(elements=None))


# --- SHAPE-11 -------------------------------------------------------------------------------
@covers_pass(shape.accept_header_optional)
def test_shape_11_passes_a_json_201():
    shape.accept_header_optional(NONE, copy_answered(json_response(201, contact_segment()), headers={"Accept": "*/*"}))


@covers_fail(shape.accept_header_optional)
@pytest.mark.parametrize(
    ("response", "shown"),
    [(json_response(406, [{"type": "NotAcceptable"}]), "406"), (raw_response(201, b"<x/>", "application/xml"), "xml")],
)
def test_shape_11_fails_406_or_another_media_type(response, shown):
    exchange = copy_answered(response, headers={"Accept": "*/*"})
    assert shown in expect_failure("SHAPE-11", shape.accept_header_optional, NONE, exchange).actual
