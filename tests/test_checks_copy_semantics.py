"""SEM, STATE and PROP checks: the source untouched, names and elements mirrored, copies persistent and distinct."""

from __future__ import annotations

import pytest
from _respx_api import (
    COPY_ROUTE,
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
    requirement_of,
)

from eloqua_conformance import checks
from eloqua_conformance.resources import SEGMENTS_ROOT as API_ROOT

SOURCE = contact_segment(
    id=SOURCE_ID,
    name="Source",
    updatedAt="1764180000",
    elements=[element("filter", "101", "501", "true"), element("list", "102", "601", "false")],
)
COPY_ELEMENTS = [element("filter", "201", "501", "true"), element("list", "202", "601", "false")]


def _retrieved_twice(first, second):
    """Two GETs of the source, answered with `first` then `second` (before and after a copy)."""
    with mocked_api() as (api, router):
        router.get(f"{API_ROOT}/segment/{SOURCE_ID}").mock(side_effect=[first, second])
        return api.retrieve(SOURCE_ID), api.retrieve(SOURCE_ID)


def _copied(**overrides):
    return copy_answered(json_response(201, contact_segment(**{"elements": COPY_ELEMENTS, **overrides})))


# --- SEM-01 -----------------------------------------------------------------------------------
@covers_pass(checks.sem_01_source_unchanged)
def test_sem_01_passes_an_untouched_source():
    later = {**SOURCE, "x_e10_accessedAt": "1764190000"}  # other server-side fields may move
    checks.sem_01_source_unchanged(*_retrieved_twice(json_response(200, SOURCE), json_response(200, later)))


@covers_fail(checks.sem_01_source_unchanged)
@pytest.mark.parametrize(
    ("key", "value"),
    [("name", "Copy"), ("updatedAt", "1764189999"), ("elements", list(reversed(SOURCE["elements"]))), ("name", None)],
)
def test_sem_01_fails_a_source_the_copy_changed(key, value):
    after = contact_segment(**{**SOURCE, key: value})
    before, after = _retrieved_twice(json_response(200, SOURCE), json_response(200, after))
    failure = expect_failure("SEM-01", checks.sem_01_source_unchanged, before, after)
    assert failure.expected == f"source {key} unchanged: {SOURCE[key]!r}"
    assert failure.actual == f"now {value!r}"
    assert failure.exchanges == (before, after)


@pytest.mark.parametrize(
    "after", [json_response(404, [{"type": "ObjectNotFound"}]), raw_response(200, b"<html></html>", "text/html")]
)
def test_sem_01_fails_a_source_no_longer_readable(after):
    before, after = _retrieved_twice(json_response(200, SOURCE), after)
    expect_failure("SEM-01", checks.sem_01_source_unchanged, before, after)


# --- SEM-02, SEM-03 ---------------------------------------------------------------------------
NAMES = ["  padded name  ", "Сегмент 分段 🚀", "n" * 100]


@covers_pass(checks.sem_02_name_honoured)
@pytest.mark.parametrize("name", NAMES, ids=["spaces", "unicode", "long"])
def test_sem_02_passes_the_exact_name(name):
    checks.sem_02_name_honoured(copy_answered(json_response(201, contact_segment(name=name)), {"name": name}))


@covers_fail(checks.sem_02_name_honoured)
@pytest.mark.parametrize(
    ("sent", "got"), [(NAMES[0], NAMES[0].strip()), (NAMES[1], "??????? ?? ?"), (NAMES[2], NAMES[2][:50]), ("x", None)]
)
def test_sem_02_fails_an_altered_name(sent, got):
    exchange = copy_answered(json_response(201, contact_segment(name=got)), {"name": sent})
    failure = expect_failure("SEM-02", checks.sem_02_name_honoured, exchange)
    assert (failure.expected, failure.actual) == (f"name {sent!r}", f"name {got!r}")


@covers_pass(checks.sem_03_default_name)
def test_sem_03_passes_a_server_chosen_name():
    checks.sem_03_default_name(copy_answered(json_response(201, contact_segment(name="Copy of Source")), {}))


@covers_fail(checks.sem_03_default_name)
@pytest.mark.parametrize("name", ["", "   ", None, 7])
def test_sem_03_fails_an_empty_or_missing_name(name):
    exchange = copy_answered(json_response(201, contact_segment(name=name)), {})
    assert expect_failure("SEM-03", checks.sem_03_default_name, exchange).actual == f"name {name!r}"


def test_sem_03_fails_a_copy_without_name_that_was_refused():
    exchange = copy_answered(json_response(400, [{"type": "ObjectValidationError", "property": "name"}]), {})
    assert expect_failure("SEM-03", checks.sem_03_default_name, exchange).expected == "status 201"


# --- SEM-04 -----------------------------------------------------------------------------------
@covers_pass(checks.sem_04_elements_mirror)
def test_sem_04_passes_mirrored_elements_with_new_ids():
    checks.sem_04_elements_mirror(SOURCE, _copied())


@covers_fail(checks.sem_04_elements_mirror)
@pytest.mark.parametrize(
    "elements",
    [
        list(reversed(COPY_ELEMENTS)),
        COPY_ELEMENTS[:1],
        [*COPY_ELEMENTS, element("filter", "203", "502")],
        [element("filter", "201", "501", "false"), COPY_ELEMENTS[1]],
        [element("filter", "201", "599", "true"), COPY_ELEMENTS[1]],
        [element("list", "201", "501", "true"), COPY_ELEMENTS[1]],
    ],
    ids=["reordered", "element-lost", "element-added", "isIncluded-flipped", "other-filter", "filter-became-list"],
)
def test_sem_04_fails_elements_that_do_not_mirror(elements):
    failure = expect_failure("SEM-04", checks.sem_04_elements_mirror, SOURCE, _copied(elements=elements))
    assert failure.expected.startswith("elements (type, isIncluded, reference) [('ContactFilterSegmentElement'")


def test_sem_04_fails_reused_element_ids():
    elements = [element("filter", "101", "501", "true"), COPY_ELEMENTS[1]]
    failure = expect_failure("SEM-04", checks.sem_04_elements_mirror, SOURCE, _copied(elements=elements))
    assert (failure.expected, failure.actual) == ("new element ids", "element ids ['101'] reused from the source")


# --- STATE-01 ---------------------------------------------------------------------------------
def _created_then_retrieved(created_body, retrieved):
    with mocked_api() as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(return_value=json_response(201, created_body))
        router.get(f"{API_ROOT}/segment/1001").mock(return_value=retrieved)
        return api.copy(SOURCE_ID, {"name": "Copy"}), api.retrieve("1001")


@covers_pass(checks.state_01_persistent)
def test_state_01_passes_a_copy_read_back_alike():
    made = contact_segment(elements=COPY_ELEMENTS, depth=None)
    read = {**made, "depth": "complete", "count": "0"}
    checks.state_01_persistent(*_created_then_retrieved(made, json_response(200, read)))


@covers_fail(checks.state_01_persistent)
@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ({"name": "Renamed"}, "name 'Copy'"),
        ({"elements": COPY_ELEMENTS[:1]}, "elements [('ContactFilterSegmentElement'"),
        ({"elements": None}, "elements [('ContactFilterSegmentElement'"),
    ],
)
def test_state_01_fails_a_copy_that_reads_back_differently(read, expected):
    made = contact_segment(elements=COPY_ELEMENTS)
    created, retrieved = _created_then_retrieved(made, json_response(200, contact_segment(**{**made, **read})))
    failure = expect_failure("STATE-01", checks.state_01_persistent, created, retrieved)
    assert failure.expected.startswith(expected)


@pytest.mark.parametrize("status", [404, 500])
def test_state_01_fails_a_copy_that_cannot_be_retrieved(status):
    created, retrieved = _created_then_retrieved(contact_segment(), json_response(status, [{"type": "x"}]))
    assert expect_failure("STATE-01", checks.state_01_persistent, created, retrieved).expected == "status 200"


# --- STATE-02 ---------------------------------------------------------------------------------
def _three_copies(*answers):
    """Copy the source twice, then copy the first copy; the target answers with `answers` in order."""
    with mocked_api() as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(side_effect=list(answers))
        first, second = api.copy(SOURCE_ID, {"name": "first"}), api.copy(SOURCE_ID, {"name": "second"})
        return first, second, api.copy(first.json().get("id", "0"), {"name": "copy-of-copy"})


def _copy_with_id(segment_id, elements=COPY_ELEMENTS):
    return json_response(201, contact_segment(id=segment_id, elements=elements))


@covers_pass(checks.state_02_copy_of_copy)
def test_state_02_passes_three_distinct_copies():
    checks.state_02_copy_of_copy(*_three_copies(_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id("1003")))


@covers_fail(checks.state_02_copy_of_copy)
@pytest.mark.parametrize("ids", [("1001", "1001", "1003"), ("1001", "1002", "1001"), ("1001", "1001", "1001")])
def test_state_02_fails_duplicate_ids(ids):
    first, second, of_copy = _three_copies(*(_copy_with_id(i) for i in ids))
    failure = expect_failure("STATE-02", checks.state_02_copy_of_copy, first, second, of_copy)
    assert (failure.expected, failure.actual) == ("three distinct ids", f"ids {list(ids)}")


def test_state_02_fails_when_a_copy_is_refused():
    answers = [_copy_with_id("1001"), _copy_with_id("1002"), json_response(404, [{"type": "ObjectNotFound"}])]
    assert expect_failure("STATE-02", checks.state_02_copy_of_copy, *_three_copies(*answers)).expected == "status 201"


def test_state_02_fails_a_copy_of_a_copy_that_lost_elements():
    answers = [_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id("1003", COPY_ELEMENTS[:1])]
    failure = expect_failure("STATE-02", checks.state_02_copy_of_copy, *_three_copies(*answers))
    assert failure.expected == "the copy of the copy mirrors its elements"


def test_state_02_fails_a_copy_without_id():
    answers = [_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id(None)]
    expect_failure("STATE-02", checks.state_02_copy_of_copy, *_three_copies(*answers))


# --- PROP-01, PROP-02 -------------------------------------------------------------------------
@covers_pass(checks.prop_01_valid_body_copied)
def test_prop_01_passes_a_conforming_copy():
    exchange = copy_answered(
        json_response(201, contact_segment(id="1001")), {"name": "\u00e9\U0001f600", "elements": []}
    )
    checks.prop_01_valid_body_copied(exchange, SOURCE_ID, {"5", "6"})


@covers_fail(checks.prop_01_valid_body_copied)
@pytest.mark.parametrize(
    ("response", "sent", "inner"),
    [
        (json_response(500, [{"type": "ServerError"}]), {"name": "x"}, "STATUS-01"),
        (json_response(201, contact_segment(), "text/html"), {"name": "x"}, "SHAPE-01"),
        (json_response(201, contact_segment(type="Segment")), {"name": "x"}, "SHAPE-02"),
        (json_response(201, contact_segment(id="5")), {"name": "x"}, "SHAPE-03"),
        (json_response(201, contact_segment(folderId="77")), {"name": "x", "folderId": "77"}, "RO-01"),
    ],
)
def test_prop_01_wraps_the_inner_failure_naming_prop_01(response, sent, inner):
    failure = expect_failure(
        "PROP-01", checks.prop_01_valid_body_copied, copy_answered(response, sent), SOURCE_ID, {"5"}
    )
    assert failure.actual.startswith(f"{inner}: ")
    assert failure.__cause__ is None  # `from None`: the report shows PROP-01, not a chained inner failure


@covers_pass(checks.prop_02_documented_4xx)
@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_prop_02_passes_documented_4xx(status):
    checks.prop_02_documented_4xx(copy_answered(json_response(status, [{"type": "x"}]), content=b'{"name": 1}'))


@covers_fail(checks.prop_02_documented_4xx)
@pytest.mark.parametrize("status", [201, 409, 422, 500])
def test_prop_02_fails_any_other_status(status):
    exchange = copy_answered(json_response(status, [{"type": "x"}]), content=b'{"name": 1}')
    failure = expect_failure("PROP-02", checks.prop_02_documented_4xx, exchange)
    assert (failure.expected, failure.actual) == (
        "status 400 or 401 or 403 or 404",
        f"{status}, Content-Type application/json",
    )


SCHEMATHESIS_CHECKS = [checks.prop_01_schemathesis_agrees, checks.prop_02_schemathesis_agrees]


@covers_pass(*SCHEMATHESIS_CHECKS)
@pytest.mark.parametrize("check", SCHEMATHESIS_CHECKS, ids=requirement_of)
def test_prop_passes_when_schemathesis_finds_nothing(check):
    check(copy_answered(json_response(201, contact_segment())), [])


@covers_fail(*SCHEMATHESIS_CHECKS)
@pytest.mark.parametrize("check", SCHEMATHESIS_CHECKS, ids=requirement_of)
def test_prop_fails_with_every_schemathesis_finding(check):
    exchange = copy_answered(raw_response(500, b"oops", "text/plain"))
    findings = ["Server error", "Undocumented Content-Type: text/plain"]
    failure = expect_failure(requirement_of(check), check, exchange, findings)
    assert failure.expected == "nothing found by schemathesis's own checks"
    assert failure.actual == "Server error; Undocumented Content-Type: text/plain"
    assert failure.exchanges == (exchange,)
