"""PROP: schemathesis-generated copy requests: valid ones get 201 and a conformant copy, invalid ones a 4xx."""

import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation

from eloqua_conformance import checks
from eloqua_conformance.catalogue import load_openapi
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


def _send(api, segment_id, body):
    if isinstance(body, bytes | bytearray):
        return api.copy(segment_id, content=bytes(body))
    return api.copy(segment_id, body)


@pytest.mark.requirement("PROP-01")
@given(data=st.data())
def test_schema_valid_bodies_get_201_and_a_conformant_copy(run, source, data):
    case = data.draw(valid_copy_cases(int(source["id"])), label="case")
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("name"), str):
        body = {**body, "name": run.prefix + body["name"]}  # every name this run creates carries its prefix
    earlier = set(run.recorder.seen_ids)
    exchange = _send(run.api, source["id"], body)
    note(exchange.curl())
    try:
        checks.prop_01_valid_body_copied(exchange, source["id"], earlier)
        checks.prop_01_schemathesis_agrees(exchange, schemathesis_findings(case, exchange, POSITIVE_CHECKS))
    finally:
        created = exchange.json().get("id") if exchange.status == 201 and isinstance(exchange.json(), dict) else None
        if created in run.recorder.created_ids():
            run.delete_created(created)  # keep the target's store small during long runs


@pytest.mark.requirement("PROP-02")
@given(data=st.data())
def test_schema_invalid_bodies_and_path_ids_get_a_documented_4xx(run, source, data):
    case = data.draw(invalid_copy_cases(int(source["id"]), {"name": run.name("prop-bad-id")}), label="case")
    location = negative_location(case)
    if location == ParameterLocation.PATH:
        segment_id = case.path_parameters["id"]
        assume(not is_integer_id(segment_id))  # schemathesis may produce a valid-looking id; that is no test
        exchange = _send(run.api, segment_id, case.body)
    else:
        assume(location == ParameterLocation.BODY and is_invalid_body(case.body))
        exchange = _send(run.api, source["id"], case.body)
    note(exchange.curl())
    checks.prop_02_documented_4xx(exchange)  # stricter than schemathesis: a 5xx never rejects bad input
    checks.prop_02_schemathesis_agrees(exchange, schemathesis_findings(case, exchange, NEGATIVE_CHECKS))


ELEMENT_FIELDS = sorted(load_openapi()["components"]["schemas"]["SegmentElement"]["properties"])
WRONG_TYPES = st.one_of(st.integers(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))  # fmt: skip


@pytest.mark.requirement("PROP-02")
@settings(max_examples=max(100, settings().max_examples))  # one small request each: cheap enough to cover 19 fields
@given(field=st.sampled_from(ELEMENT_FIELDS), value=WRONG_TYPES)
def test_one_mistyped_element_field_gets_a_documented_4xx(run, source, field, value):
    # Exactly one wrong field per request: with several, a server that skips one would still answer 400.
    element = {"type": "ContactFilterSegmentElement", "isIncluded": "true"}
    if field == "permissions" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = 7  # an array of strings is what permissions should be
    body = {"name": run.name("prop-element"), "elements": [{**element, field: value}]}
    exchange = run.api.copy(source["id"], body)
    note(exchange.curl())
    checks.prop_02_documented_4xx(exchange)
