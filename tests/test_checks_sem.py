"""SEM checks: the source untouched, the name honoured or refused (never altered), and the copy's elements and
their nested content against the source's, both at depth complete."""

from __future__ import annotations

import copy as deep

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
    retrieve_answered,
)

from eloqua_conformance.checks import Context, sem
from eloqua_conformance.resources import SEGMENTS_ROOT as API_ROOT

FILTER = {
    "type": "ContactFilter",
    "id": "501",
    "name": "EMEA",
    "scope": "local",
    "statement": "701 OR 702",
    "x_e10_isTemplate": "false",
    "criteria": [
        {"type": "ContactFieldCriterion", "id": "701", "fieldId": "100001",
         "condition": {"type": "TextValueCondition", "operator": "equal", "value": "EMEA"}},
        {"type": "ContactFieldCriterion", "id": "702", "fieldId": "100002",
         "condition": {"type": "TextValueCondition", "operator": "notEqual", "value": "Retail"}},
    ],
}  # fmt: skip
LIST = {"type": "ContactList", "id": "601", "name": "Do not contact"}


def _elements(fltr=None, lst=None, ids=("201", "202")):
    return [
        {"type": "ContactFilterSegmentElement", "id": ids[0], "isIncluded": "true", "filter": fltr or FILTER},
        {"type": "ContactListSegmentElement", "id": ids[1], "isIncluded": "false", "list": lst or LIST},
    ]


SOURCE = contact_segment(id=SOURCE_ID, name="Source", updatedAt="1764180000", elements=_elements(ids=("101", "102")))


def _judged(copy_elements, answered_elements=None, sent=None):
    """A 201 (with `answered_elements`, default: none, as at depth minimal) and its retrieve with `copy_elements`."""
    answer = contact_segment(elements=answered_elements)
    exchange = copy_answered(json_response(201, answer), sent or {"name": "Copy"})
    retrieved = retrieve_answered(json_response(200, contact_segment(elements=copy_elements)))
    return Context(source=SOURCE, retrieved=retrieved), exchange


def _retrieved_twice(first, second):
    """Two GETs of the source, answered with `first` then `second` (before and after a copy)."""
    with mocked_api() as (api, router):
        router.get(f"{API_ROOT}/segment/{SOURCE_ID}").mock(side_effect=[first, second])
        return api.retrieve(SOURCE_ID), api.retrieve(SOURCE_ID)


# --- SEM-01 -----------------------------------------------------------------------------------
@covers_pass(sem.source_unchanged)
def test_sem_01_passes_an_untouched_source():
    later = {**deep.deepcopy(SOURCE), "x_e10_accessedAt": "1764190000"}  # other server-side fields may move
    later["elements"][0]["count"] = "12"  # so may a count
    before, after = _retrieved_twice(json_response(200, SOURCE), json_response(200, later))
    sem.source_unchanged(Context(before=before, after=after), None)


@covers_fail(sem.source_unchanged)
@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "Copy"),
        ("updatedAt", "1764189999"),
        ("elements", list(reversed(SOURCE["elements"]))),
        ("elements", _elements(fltr={**FILTER, "statement": "701"}, ids=("101", "102"))),
        ("name", None),
    ],
    ids=["renamed", "updated", "reordered", "filter-changed", "name-gone"],
)
def test_sem_01_fails_a_source_the_copy_changed(key, value):
    after = contact_segment(**{**SOURCE, key: value})
    before, after = _retrieved_twice(json_response(200, SOURCE), json_response(200, after))
    failure = expect_failure("SEM-01", sem.source_unchanged, Context(before=before, after=after), None)
    assert failure.expected.startswith(f"source {key} unchanged: ")
    assert failure.exchanges == (before, after)


@pytest.mark.parametrize(
    "after", [json_response(404, [{"type": "ObjectNotFound"}]), raw_response(200, b"<html></html>", "text/html")]
)
def test_sem_01_fails_a_source_no_longer_readable(after):
    before, after = _retrieved_twice(json_response(200, SOURCE), after)
    expect_failure("SEM-01", sem.source_unchanged, Context(before=before, after=after), None)


# --- SEM-02, SEM-03 ---------------------------------------------------------------------------
NAMES = ["  padded name  ", "Сегмент 分段 🚀", "n" * 100]


@covers_pass(sem.name_honoured)
@pytest.mark.parametrize("name", NAMES, ids=["spaces", "unicode", "long"])
def test_sem_02_passes_the_exact_name(name):
    sem.name_honoured(Context(), copy_answered(json_response(201, contact_segment(name=name)), {"name": name}))


def _length_refusal(name):
    error = [{"type": "ObjectValidationError", "property": "name",
              "requirement": {"type": "ValidTextLengthRequirement", "maximum": 100}, "value": name}]  # fmt: skip
    return copy_answered(json_response(400, error), {"name": name})


def test_sem_02_passes_a_long_name_refused_for_its_length():
    sem.name_honoured(Context(), _length_refusal("x" * 113))  # the limit is the server's (notes give no maximum)


def test_sem_02_passes_a_repeated_name_refused_as_not_unique():
    error = [{"type": "ObjectValidationError", "property": "name", "requirement": {"type": "UniquenessRequirement"}}]
    exchange = copy_answered(json_response(400, error), {"name": "Taken"})
    sem.name_honoured(Context(names_seen=frozenset({"Taken"})), exchange)


def test_sem_02_passes_when_no_name_was_sent():
    sem.name_honoured(Context(), copy_answered(json_response(201, contact_segment(name="Copy of X")), {}))


@covers_fail(sem.name_honoured)
@pytest.mark.parametrize(
    ("sent", "got"),
    [(NAMES[0], NAMES[0].strip()), (NAMES[1], "??????? ?? ?"), ("x" * 113, "x" * 100), ("x", None)],
    ids=["trimmed", "mangled", "truncated", "dropped"],
)
def test_sem_02_fails_an_altered_name(sent, got):
    exchange = copy_answered(json_response(201, contact_segment(name=got)), {"name": sent})
    failure = expect_failure("SEM-02", sem.name_honoured, Context(), exchange)
    assert (failure.expected, failure.actual) == (f"name {sent!r}"[:125], f"name {got!r}"[:125])


@pytest.mark.parametrize(
    ("name", "requirement", "seen"),
    [("short name", "ValidTextLengthRequirement", ()), ("Fresh", "UniquenessRequirement", ("Other",)),
     ("plain", "TextWithNoHtmlRequirement", ())],
    ids=["short-name-refused-for-length", "unused-name-refused-as-taken", "no-markup-refused-as-markup"],
)  # fmt: skip
def test_sem_02_fails_a_refusal_that_does_not_apply(name, requirement, seen):
    error = [{"type": "ObjectValidationError", "property": "name", "requirement": {"type": requirement}}]
    exchange = copy_answered(json_response(400, error), {"name": name})
    failure = expect_failure("SEM-02", sem.name_honoured, Context(names_seen=frozenset(seen)), exchange)
    assert failure.expected == "status 201"


@covers_pass(sem.default_name)
def test_sem_03_passes_a_server_chosen_name():
    sem.default_name(Context(), copy_answered(json_response(201, contact_segment(name="Copy of Source")), {}))


@covers_fail(sem.default_name)
@pytest.mark.parametrize("name", ["", "   ", None, 7])
def test_sem_03_fails_an_empty_or_missing_name(name):
    exchange = copy_answered(json_response(201, contact_segment(name=name)), {})
    assert expect_failure("SEM-03", sem.default_name, Context(), exchange).actual == f"name {name!r}"


def test_sem_03_fails_a_copy_without_name_that_was_refused():
    exchange = copy_answered(json_response(400, [{"type": "ObjectValidationError", "property": "name"}]), {})
    assert expect_failure("SEM-03", sem.default_name, Context(), exchange).expected == "status 201"


# --- SEM-04 -----------------------------------------------------------------------------------
def _new_local_filter():
    """The source's local filter duplicated under new ids, its statement following them."""
    criteria = [{**c, "id": new} for c, new in zip(FILTER["criteria"], ("801", "802"), strict=True)]
    return {**FILTER, "id": "555", "criteria": criteria, "statement": "801 OR 802"}


@covers_pass(sem.elements_mirror)
@pytest.mark.parametrize(
    "copy_elements",
    [_elements(), _elements(fltr=_new_local_filter())],
    ids=["same-filter", "local-filter-duplicated"],
)
def test_sem_04_passes_mirrored_elements_at_depth_complete(copy_elements):
    sem.elements_mirror(*_judged(copy_elements))  # the 201 carried no elements: the retrieve is what counts


def test_sem_04_passes_when_the_body_named_elements():
    sem.elements_mirror(*_judged([], sent={"name": "Copy", "elements": []}))  # §5: source or body is open


def test_sem_04_judges_the_201_when_no_retrieve_was_made():
    sem.elements_mirror(
        Context(source=SOURCE), copy_answered(json_response(201, contact_segment(elements=_elements())))
    )


@covers_fail(sem.elements_mirror)
@pytest.mark.parametrize(
    ("copy_elements", "shown"),
    [
        (list(reversed(_elements())), "element 0 has type"),
        (_elements()[:1], "1 elements"),
        ([*_elements(), element("filter", "203", "502")], "3 elements"),
        ([{**_elements()[0], "isIncluded": "false"}, _elements()[1]], "isIncluded 'false'"),
        (_elements(lst={**LIST, "id": "699"}), "not the shared list '601'"),
        (_elements(fltr={**FILTER, "id": "599", "scope": "global"}, ids=("201", "202")), "element 0 references"),
        ([{**_elements()[0], "filter": None}, _elements()[1]], "has filter None"),
        ([{k: v for k, v in _elements()[0].items() if k != "filter"}, _elements()[1]], "references nothing"),
    ],
    ids=["reordered", "element-lost", "element-added", "isIncluded-flipped", "shared-list-replaced",
         "reference-changed", "filter-null", "filter-gone"],
)  # fmt: skip
def test_sem_04_fails_elements_that_do_not_mirror(copy_elements, shown):
    source = SOURCE if "global" not in str(copy_elements) else {**SOURCE, "elements": _elements(
        fltr={**FILTER, "scope": "global"}, ids=("101", "102"))}  # fmt: skip
    context, exchange = _judged(copy_elements)
    failure = expect_failure("SEM-04", sem.elements_mirror, Context(source=source, retrieved=context.retrieved),
                             exchange)  # fmt: skip
    assert failure.expected.startswith("the source's elements, in order: [('ContactFilterSegmentElement'")
    assert shown in failure.actual


def test_sem_04_fails_reused_element_ids():
    failure = expect_failure("SEM-04", sem.elements_mirror, *_judged(_elements(ids=("101", "202"))))
    assert (failure.expected, failure.actual) == ("new element ids", "element ids '101' reused from the source")


@pytest.mark.parametrize(
    "retrieved", [json_response(404, [{"type": "x"}]), raw_response(200, b"[", "application/json")]
)
def test_sem_04_fails_a_copy_that_cannot_be_read_back(retrieved):
    context = Context(source=SOURCE, retrieved=retrieve_answered(retrieved))
    expect_failure("SEM-04", sem.elements_mirror, context, copy_answered(json_response(201, contact_segment())))


# --- SEM-05 -----------------------------------------------------------------------------------
@covers_pass(sem.elements_content)
@pytest.mark.parametrize(
    "copy_elements",
    [
        _elements(),
        _elements(fltr=_new_local_filter()),
        _elements(fltr={**FILTER, "permissions": ["Retrieve"], "createdAt": "1764190000", "count": "12"}),
        _elements(fltr={**FILTER, "statement": "701  OR  702"}),
        _elements(fltr={**_new_local_filter(), "name": "Filter Criteria 1"}),
    ],
    ids=["same", "local-filter-duplicated", "server-set-fields-differ", "statement-spacing", "duplicate-renamed"],
)
def test_sem_05_passes_the_source_content(copy_elements):
    sem.elements_content(*_judged(copy_elements))


def test_sem_05_leaves_structure_to_sem_04():
    sem.elements_content(*_judged(_elements()[:1]))


@covers_fail(sem.elements_content)
@pytest.mark.parametrize(
    ("fltr", "lst", "shown"),
    [
        ({k: v for k, v in FILTER.items() if k != "criteria"}, None, "criteria None, the source's has 2 criteria"),
        ({**FILTER, "criteria": FILTER["criteria"][:1]}, None, "the source's has 2 criteria"),
        ({**FILTER, "criteria": FILTER["criteria"][::-1]}, None, "criterion 0 is {'condition'"),
        ({**FILTER, "criteria": [FILTER["criteria"][0], FILTER["criteria"][0]]}, None, "criterion 1 has id '701'"),
        ({**FILTER, "statement": "701 AND 702"}, None, "statement '701 AND 702'"),
        ({**_new_local_filter(), "statement": "701 OR 702"}, None, "expected '801 OR 802'"),
        ({**FILTER, "name": "EMEA (copy)"}, None, "name 'EMEA (copy)'"),
        ({k: v for k, v in FILTER.items() if k != "x_e10_isTemplate"}, None, "lost x_e10_isTemplate"),
        ({**FILTER, "criteria": [{**FILTER["criteria"][0], "condition": {"type": "TextValueCondition"}},
                                 FILTER["criteria"][1]]}, None, "criterion 0 is"),
        (None, {**LIST, "name": "Renamed"}, "list name 'Renamed'"),
        ({**_new_local_filter(), "criteria": [{**c, "id": "801"} for c in FILTER["criteria"]],
          "statement": "801 OR 801"}, None, "which another criterion of the copy has too"),
    ],
    ids=["criteria-lost", "criterion-lost", "criteria-reordered", "criteria-duplicated", "statement-changed",
         "statement-not-following-new-ids", "filter-renamed", "undocumented-field-lost", "condition-lost",
         "list-renamed", "criteria-merged-under-one-id"],
)  # fmt: skip
def test_sem_05_fails_content_lost_merged_or_changed(fltr, lst, shown):
    failure = expect_failure("SEM-05", sem.elements_content, *_judged(_elements(fltr=fltr, lst=lst)))
    assert failure.expected == "the source's filter and list content, nothing lost, merged or duplicated"
    assert shown in failure.actual
