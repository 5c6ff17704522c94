"""STATE checks: the 201 against the copy read back, copies of copies, a copy whose source is deleted, a burst."""

from __future__ import annotations

import pytest
from _respx_api import (
    COPY_ROUTE,
    NONE,
    SOURCE_ID,
    copy_answered,
    covers_fail,
    covers_pass,
    element,
    expect_failure,
    json_response,
    listing,
    mocked_api,
    retrieve_answered,
)
from _respx_api import contact_segment as _contact_segment

from eloqua_conformance.checks import Context, state

COPY_ELEMENTS = [element("filter", "201", "501", "true"), element("list", "202", "601", "false")]
STAMPS = {"createdAt": "1764180000", "updatedAt": "1764180000"}  # fixed: a 201 and its retrieve are built apart


def contact_segment(**overrides):
    return _contact_segment(**{**STAMPS, **overrides})


def _made_and_read(made, read):
    return copy_answered(json_response(201, made)), retrieve_answered(read)


# --- STATE-01 ---------------------------------------------------------------------------------
@covers_pass(state.persistent)
@pytest.mark.parametrize(
    "made",
    [
        contact_segment(elements=COPY_ELEMENTS, depth="complete"),
        {"type": "ContactSegment", "id": "1001", "name": "Copy", "depth": "minimal"},
        contact_segment(depth="partial", elements=[{"type": e["type"], "id": e["id"]} for e in COPY_ELEMENTS]),
    ],
    ids=["complete", "minimal", "partial"],
)
def test_state_01_passes_a_201_of_any_depth_that_the_copy_read_back_carries(made):
    read = {**contact_segment(elements=COPY_ELEMENTS), "depth": "complete", "count": "0", "accessedAt": "1"}
    exchange, retrieved = _made_and_read(made, json_response(200, read))
    state.persistent(Context(retrieved=retrieved), exchange)


def test_state_01_passes_without_a_retrieve_to_compare():
    state.persistent(NONE, copy_answered(json_response(201, contact_segment())))


@covers_fail(state.persistent)
@pytest.mark.parametrize(
    ("read", "shown"),
    [
        ({"name": "Renamed"}, "name is 'Renamed', answered 'Copy'"),
        ({"elements": COPY_ELEMENTS[:1]}, "elements is"),
        ({"elements": COPY_ELEMENTS[::-1]}, "elements/0/type is 'ContactListSegmentElement'"),
        ({"folderId": None}, "folderId missing"),
        ({"elements": [{**COPY_ELEMENTS[0], "filter": {"type": "ContactFilter", "id": "9"}}, COPY_ELEMENTS[1]]},
         "elements/0/filter/id is '9'"),
    ],
    ids=["renamed", "element-lost", "reordered", "folder-dropped", "filter-replaced"],
)  # fmt: skip
def test_state_01_fails_a_copy_that_reads_back_differently(read, shown):
    made = contact_segment(elements=COPY_ELEMENTS)
    exchange, retrieved = _made_and_read(made, json_response(200, contact_segment(**{**made, **read})))
    failure = expect_failure("STATE-01", state.persistent, Context(retrieved=retrieved), exchange)
    assert failure.expected == "the copy as the 201 answered it (depth and calculated fields aside)"
    assert shown in failure.actual


@pytest.mark.parametrize("status", [404, 500])
def test_state_01_fails_a_copy_that_cannot_be_retrieved(status):
    exchange, retrieved = _made_and_read(contact_segment(), json_response(status, [{"type": "x"}]))
    assert expect_failure("STATE-01", state.persistent, Context(retrieved=retrieved), exchange).expected == "status 200"


# --- STATE-02 ---------------------------------------------------------------------------------
def _three_copies(*answers):
    """Copy the source twice, then copy the first copy; the target answers with `answers` in order."""
    with mocked_api() as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(side_effect=list(answers))
        first, second = api.copy(SOURCE_ID, {"name": "first"}), api.copy(SOURCE_ID, {"name": "second"})
        return first, second, api.copy("1001", {"name": "copy-of-copy"})


def _copy_with_id(segment_id, elements=COPY_ELEMENTS):
    return json_response(201, contact_segment(id=segment_id, elements=elements))


def _context(copies, of_copy_elements=COPY_ELEMENTS):
    first = contact_segment(id="1001", elements=COPY_ELEMENTS)
    retrieved = retrieve_answered(json_response(200, contact_segment(id="1003", elements=of_copy_elements)), "1003")
    return Context(exchanges=copies, source=first, retrieved=retrieved)


@covers_pass(state.copy_of_copy)
def test_state_02_passes_three_distinct_copies_the_last_mirroring_its_source():
    copies = _three_copies(_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id("1003", None))
    state.copy_of_copy(
        _context(copies, [element("filter", "301", "501"), element("list", "302", "601", "false")]), None
    )


@covers_fail(state.copy_of_copy)
@pytest.mark.parametrize("ids", [("1001", "1001", "1003"), ("1001", "1002", "1001"), ("1001", "1001", "1001")])
def test_state_02_fails_duplicate_ids(ids):
    copies = _three_copies(*(_copy_with_id(i) for i in ids))
    failure = expect_failure("STATE-02", state.copy_of_copy, _context(copies), None)
    assert (failure.expected, failure.actual) == ("3 distinct ids", f"ids {list(ids)}")


def test_state_02_fails_when_a_copy_is_refused():
    copies = _three_copies(_copy_with_id("1001"), _copy_with_id("1002"), json_response(404, [{"type": "NotFound"}]))
    assert expect_failure("STATE-02", state.copy_of_copy, _context(copies), None).expected == "status 201"


@pytest.mark.parametrize(
    ("elements", "shown"),
    [(COPY_ELEMENTS[:1], "1 elements"), ([{**COPY_ELEMENTS[0], "filter": {"type": "ContactFilter", "id": "501",
      "name": "gone"}}, COPY_ELEMENTS[1]], "lost scope")],
    ids=["element-lost", "filter-content-lost"],
)  # fmt: skip
def test_state_02_fails_a_copy_of_a_copy_that_lost_something(elements, shown):
    first = [element("filter", "201", "501", scope="global"), COPY_ELEMENTS[1]]
    first[0]["filter"]["scope"] = "global"
    copies = _three_copies(_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id("1003"))
    context = Context(exchanges=copies, source=contact_segment(id="1001", elements=first),
                      retrieved=_context(copies, elements).retrieved)  # fmt: skip
    failure = expect_failure("STATE-02", state.copy_of_copy, context, None)
    assert failure.expected == "the copy of the copy carries the first copy's elements and their content"
    assert shown in failure.actual


def test_state_02_fails_a_copy_without_id():
    copies = _three_copies(_copy_with_id("1001"), _copy_with_id("1002"), _copy_with_id(None))
    expect_failure("STATE-02", state.copy_of_copy, _context(copies), None)


# --- STATE-03 ---------------------------------------------------------------------------------
def _before_after(after):
    before = retrieve_answered(json_response(200, contact_segment(elements=COPY_ELEMENTS)))
    return Context(before=before, after=retrieve_answered(after))


@covers_pass(state.copy_outlives_its_source)
def test_state_03_passes_a_copy_unchanged_by_its_source_deletion():
    after = json_response(200, {**contact_segment(elements=COPY_ELEMENTS), "updatedAt": "1764199999", "count": "3"})
    state.copy_outlives_its_source(_before_after(after), None)


@covers_fail(state.copy_outlives_its_source)
@pytest.mark.parametrize(
    ("after", "shown"),
    [
        (json_response(404, [{"type": "NotFound"}]), "404"),
        (json_response(200, contact_segment(elements=COPY_ELEMENTS[1:])), "elements: (root) is"),
        (json_response(200, contact_segment(elements=[{**COPY_ELEMENTS[0], "filter": None}, COPY_ELEMENTS[1]])),
         "elements: 0/filter is None"),
        (json_response(200, contact_segment(name="Copy of a deleted segment", elements=COPY_ELEMENTS)), "name:"),
    ],
    ids=["copy-deleted-too", "element-lost", "filter-lost", "renamed"],
)  # fmt: skip
def test_state_03_fails_a_copy_its_source_deletion_changed(after, shown):
    failure = expect_failure("STATE-03", state.copy_outlives_its_source, _before_after(after), None)
    assert shown in failure.actual


# --- STATE-04 ---------------------------------------------------------------------------------
def _burst(*ids):
    return tuple(copy_answered(json_response(201, contact_segment(id=i, name=f"b-{n}"))) for n, i in enumerate(ids))


@covers_pass(state.burst_all_stored)
def test_state_04_passes_distinct_ids_all_listed():
    copies = _burst("1", "2", "3")
    stored = listing(("1", "b-0"), ("2", "b-1"), ("3", "b-2"), ("9", "ecs-other"))
    state.burst_all_stored(Context(exchanges=copies, listing_after=stored), None)


@covers_fail(state.burst_all_stored)
@pytest.mark.parametrize(
    ("ids", "stored", "shown"),
    [
        (("1", "2", "2"), (), "id '2' for 'b-2'"),
        (("1", "2", "3"), (("1", "b-0"), ("3", "b-2")), "'2': 'b-1'"),
        (("1", "2", "3"), (("1", "b-0"), ("2", "b-2"), ("3", "b-2")), "'2': 'b-1'"),
    ],
    ids=["duplicate-id", "one-not-stored", "one-overwritten"],
)
def test_state_04_fails_duplicate_or_unstored_copies(ids, stored, shown):
    context = Context(exchanges=_burst(*ids), listing_after=listing(*stored))
    assert shown in expect_failure("STATE-04", state.burst_all_stored, context, None).actual


def test_state_04_fails_a_refused_copy_and_an_unreadable_list():
    refused = (*_burst("1"), copy_answered(json_response(400, [{"type": "x"}])))
    expect_failure("STATE-04", state.burst_all_stored, Context(exchanges=refused), None)
    unreadable = Context(exchanges=_burst("1"), listing_after=listing(problem="GET answered 500"))
    assert expect_failure("STATE-04", state.burst_all_stored, unreadable, None).actual == "GET answered 500"
