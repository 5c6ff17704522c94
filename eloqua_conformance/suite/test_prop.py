"""PROP: schemathesis-generated copy requests: valid ones get 201 and pass every copy check of the registry, invalid
ones a documented 4xx, and none of those creates anything."""

import time
from dataclasses import replace

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from eloqua_conformance.catalogue import load_openapi
from eloqua_conformance.checks import Context, copy_checks, prop, valid
from eloqua_conformance.checks._common import body_of
from eloqua_conformance.fixtures import context_of, names_seen, not_exercised, refusals_leave_no_trace
from eloqua_conformance.strategies import (
    NEGATIVE_CHECKS,
    POSITIVE_CHECKS,
    invalid_copy_cases,
    is_integer_id,
    is_invalid_body,
    negative_location,
    schemathesis_findings,
    valid_copy_cases,
)

NONE = Context()
SHOULD_COPY_CHECKS = sorted({entry.requirement_id for entry in copy_checks() if not entry.is_must})


@pytest.fixture(scope="module")
def generated_copies():
    """(context, exchange) of every copy PROP-01 made, for the SHOULD copy checks after it."""
    return []


def _send(api, segment_id, body):
    if isinstance(body, bytes | bytearray):
        return api.copy(segment_id, content=bytes(body))
    return api.copy(segment_id, body)


def _prefixed(run, body):
    """The body with the run's prefix on its name: every segment the run may create carries it."""
    if isinstance(body, dict) and isinstance(body.get("name"), str):
        return {**body, "name": run.prefix + body["name"]}
    return body


def _findings(case, exchange, checks):
    try:
        return tuple(schemathesis_findings(case, exchange, checks))
    except Exception as error:  # schemathesis's own checks must not end the run on a target's odd answer
        return (f"schemathesis could not judge the answer: {type(error).__name__}: {error}",)


@pytest.mark.requirement("PROP-01")
@given(data=st.data())
def test_schema_valid_bodies_get_201_and_a_conformant_copy(run, source, identity, generated_copies, data):
    case = data.draw(valid_copy_cases(int(source["id"])), label="case")
    earlier, names, started = frozenset(run.recorder.seen_ids), names_seen(run), time.time()
    exchange = _send(run.api, source["id"], _prefixed(run, case.body))
    note(exchange.curl())
    context = context_of(run, source, identity, exchange, earlier, started, names)
    try:
        prop.valid_body_copied(context, exchange)
        prop.valid_schemathesis_agrees(replace(context, findings=_findings(case, exchange, POSITIVE_CHECKS)), exchange)
        generated_copies.append((context, exchange))
    finally:
        body = body_of(exchange)
        created = body.get("id") if exchange.status == 201 and isinstance(body, dict) else None
        if created in run.recorder.created_ids():
            run.delete_created(created)  # keep the target's store small during long runs


@pytest.mark.requirement(*SHOULD_COPY_CHECKS)
def test_generated_copies_meet_every_should_copy_check(generated_copies):
    if not generated_copies:
        not_exercised("PROP-01 made no copy to judge (not selected, or it failed first)")
    for context, exchange in generated_copies:
        prop.should_copy_checks(context, exchange)  # a failure's curl line reproduces the generated request


@pytest.mark.requirement("PROP-02")
def test_schema_invalid_bodies_and_path_ids_get_a_documented_4xx(run, source):
    cases = invalid_copy_cases(int(source["id"]), {"name": run.name("prop-bad-id")})  # built once: it is costly

    @given(data=st.data())
    def invalid_case(data):
        case = data.draw(cases, label="case")
        location = negative_location(case)
        if location == ParameterLocation.PATH:
            segment_id = case.path_parameters["id"]
            assume(not is_integer_id(segment_id))  # schemathesis may produce a valid-looking id; that is no test
            exchange = _send(run.api, segment_id, case.body)
        else:
            assume(location == ParameterLocation.BODY and is_invalid_body(case.body))
            exchange = _send(run.api, source["id"], _prefixed(run, case.body))
        note(exchange.curl())
        prop.documented_4xx(NONE, exchange)  # stricter than schemathesis: a 5xx never rejects bad input
        findings = _findings(case, exchange, NEGATIVE_CHECKS)
        prop.invalid_schemathesis_agrees(Context(findings=findings), exchange)

    with refusals_leave_no_trace(run, valid.refused_request_creates_nothing):  # a failure of that names VALID-14
        invalid_case()


ELEMENT_FIELDS = sorted(load_openapi()["components"]["schemas"]["SegmentElement"]["properties"])
WRONG_TYPES = st.one_of(st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))  # fmt: skip


@pytest.mark.requirement("PROP-02")
def test_one_mistyped_element_field_gets_a_documented_4xx(run, source):
    @settings(max_examples=max(100, settings().max_examples))  # one small request each: cheap enough for 19 fields
    @given(field=st.sampled_from(ELEMENT_FIELDS), value=WRONG_TYPES)
    def mistyped(field, value):
        # Exactly one wrong field per request: with several, a server that skips one would still answer 400.
        element = {"type": "ContactFilterSegmentElement", "isIncluded": "true"}
        if field == "permissions" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = 7  # an array of strings is what permissions should be
        body = {"name": run.name("prop-element"), "elements": [{**element, field: value}]}
        exchange = run.api.copy(source["id"], body)
        note(exchange.curl())
        prop.documented_4xx(NONE, exchange)

    with refusals_leave_no_trace(run, valid.refused_request_creates_nothing):
        mistyped()
