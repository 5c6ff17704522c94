"""PROP checks: a generated valid copy passes every MUST copy check of the registry (SHOULD ones fail under their
own ID), the contract's allowed refusals pass, and generated invalid input gets a documented 4xx."""

from __future__ import annotations

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
    raw_response,
    requirement_of,
    retrieve_answered,
)

from eloqua_conformance.checks import Context, copy_checks, prop

NOW = time.time()
SOURCE = contact_segment(
    id=SOURCE_ID, elements=[element("filter", "101", "501"), element("list", "102", "601", "false")]
)
OWN = contact_segment(id="900", createdBy="9", updatedBy="9")


def _context(**overrides):
    return Context(source=SOURCE, identity=OWN, earlier_ids=frozenset({"5"}), window=(NOW - 2, NOW), **overrides)


def test_the_registry_runs_must_checks_first_and_every_area_with_copy_checks_is_in_it():
    entries = copy_checks()
    musts = [entry.is_must for entry in entries]
    assert musts == sorted(musts, reverse=True)
    assert {entry.requirement_id.split("-")[0] for entry in entries} == {"SHAPE", "RO", "SEM", "STATE"}


# --- PROP-01 ----------------------------------------------------------------------------------
@covers_pass(prop.valid_body_copied)
def test_prop_01_passes_a_conforming_copy():
    exchange = copy_answered(
        json_response(201, contact_segment(id="1001")), {"name": "\u00e9\U0001f600", "elements": []}
    )
    prop.valid_body_copied(_context(), exchange)


@pytest.mark.parametrize(
    ("sent", "requirement"),
    [({"name": "x" * 60}, "ValidTextLengthRequirement"),
     ({"name": "n", "elements": [{"isIncluded": "maybe"}]}, "BooleanRequirement")],
    ids=["long-name", "not-a-boolean"],
)  # fmt: skip
def test_prop_01_passes_a_refusal_the_contract_allows(sent, requirement):
    refusal = [{"type": "ObjectValidationError", "requirement": {"type": requirement}}]
    exchange = copy_answered(json_response(400, refusal), sent)
    prop.valid_body_copied(_context(), exchange)
    prop.should_copy_checks(_context(), exchange)


@covers_fail(prop.valid_body_copied)
@pytest.mark.parametrize(
    ("response", "sent", "inner"),
    [
        (json_response(500, [{"type": "ServerError"}]), {"name": "x"}, "STATUS-01"),
        (json_response(201, contact_segment(), "text/html"), {"name": "x"}, "SHAPE-01"),
        (json_response(201, contact_segment(type="Segment")), {"name": "x"}, "SHAPE-02"),
        (json_response(201, contact_segment(id="5")), {"name": "x"}, "SHAPE-03"),
        (json_response(201, contact_segment(folderId="77")), {"name": "x", "folderId": "77"}, "RO-01"),
        (json_response(201, contact_segment(createdBy="1")), {"name": "x"}, "SHAPE-09"),
        (json_response(400, [{"type": "ObjectValidationError", "requirement": {"type": "BooleanRequirement"}}]),
         {"name": "x", "elements": [{"isIncluded": "true"}]}, "SHAPE-01"),
    ],
    ids=["500", "not-json", "type", "id-reused", "read-only-honoured", "creator", "refusal-that-does-not-apply"],
)  # fmt: skip
def test_prop_01_wraps_the_inner_must_failure_naming_prop_01(response, sent, inner):
    failure = expect_failure("PROP-01", prop.valid_body_copied, _context(), copy_answered(response, sent))
    assert failure.actual.startswith(f"{inner}: ")
    assert failure.__cause__ is None  # `from None`: the report shows PROP-01, not a chained inner failure


def test_prop_01_judges_the_copy_read_back_for_must_checks():
    elements = [element("filter", "7", "501"), element("list", "7", "601", "false")]
    retrieved = retrieve_answered(json_response(200, contact_segment(elements=elements)))
    failure = expect_failure("PROP-01", prop.valid_body_copied, _context(retrieved=retrieved),
                             copy_answered(json_response(201, contact_segment(elements=None))))  # fmt: skip
    assert failure.actual.startswith("SHAPE-10: ")


@pytest.mark.parametrize(
    ("answer", "sent", "requirement_id"),
    [
        (contact_segment(name="trimmed"), {"name": " trimmed "}, "SEM-02"),
        (contact_segment(folderId="F-1"), {"name": "Copy"}, "SHAPE-04"),
        (contact_segment(elements=[element("filter", "201", "501")]), {"name": "Copy"}, "SEM-04"),
    ],
    ids=["name-altered", "id-not-digits", "element-lost"],
)
def test_should_copy_checks_fail_under_their_own_id(answer, sent, requirement_id):
    exchange = copy_answered(json_response(201, answer), sent)
    prop.valid_body_copied(_context(), exchange)  # no MUST is broken
    expect_failure(requirement_id, prop.should_copy_checks, _context(), exchange)


@covers_pass(prop.valid_schemathesis_agrees, prop.invalid_schemathesis_agrees)
@pytest.mark.parametrize(
    "check", [prop.valid_schemathesis_agrees, prop.invalid_schemathesis_agrees], ids=requirement_of
)
def test_prop_passes_when_schemathesis_finds_nothing(check):
    check(NONE, copy_answered(json_response(201, contact_segment())))


@covers_fail(prop.valid_schemathesis_agrees, prop.invalid_schemathesis_agrees)
@pytest.mark.parametrize(
    "check", [prop.valid_schemathesis_agrees, prop.invalid_schemathesis_agrees], ids=requirement_of
)
def test_prop_fails_with_every_schemathesis_finding(check):
    exchange = copy_answered(raw_response(500, b"oops", "text/plain"))
    findings = ("Server error", "Undocumented Content-Type: text/plain")
    failure = expect_failure(requirement_of(check), check, Context(findings=findings), exchange)
    assert failure.expected == "nothing found by schemathesis's own checks"
    assert failure.actual == "Server error; Undocumented Content-Type: text/plain"
    assert failure.exchanges == (exchange,)


# --- PROP-02 ----------------------------------------------------------------------------------
@covers_pass(prop.documented_4xx)
@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_prop_02_passes_documented_4xx(status):
    prop.documented_4xx(NONE, copy_answered(json_response(status, [{"type": "x"}]), content=b'{"name": 1}'))


@covers_fail(prop.documented_4xx)
@pytest.mark.parametrize("status", [201, 409, 422, 500])
def test_prop_02_fails_any_other_status(status):
    exchange = copy_answered(json_response(status, [{"type": "x"}]), content=b'{"name": 1}')
    failure = expect_failure("PROP-02", prop.documented_4xx, NONE, exchange)
    assert (failure.expected, failure.actual) == (
        "status 400 or 401 or 403 or 404",
        f"{status}, Content-Type application/json",
    )
