"""SHAPE: a successful copy is a 201 JSON ContactSegment with a new id, in Eloqua's observed value forms, whose
server-set values (timestamps, creator, element ids) agree with what the suite knows."""

import pytest

from eloqua_conformance.checks import Context, shape
from eloqua_conformance.fixtures import copied


@pytest.mark.requirement("SHAPE-01")
def test_copy_answers_201_with_a_json_contact_segment(standard_copy):
    exchange, context = standard_copy
    shape.created_json_contact_segment(context, exchange)


@pytest.mark.requirement("SHAPE-02")
def test_copy_type_is_contact_segment(standard_copy):
    exchange, context = standard_copy
    shape.type_is_contact_segment(context, exchange)


@pytest.mark.requirement("SHAPE-03")
def test_copy_gets_an_id_never_seen_before(run, source, identity):
    exchange, context = copied(run, source, identity)
    shape.new_id(context, exchange)


@pytest.mark.requirement("SHAPE-04")
def test_ids_are_decimal_digits(standard_copy):
    exchange, context = standard_copy
    shape.ids_are_digits(context, exchange)


@pytest.mark.requirement("SHAPE-05")
def test_timestamps_are_unix_seconds_of_now(standard_copy):
    exchange, context = standard_copy
    shape.timestamps_unix_seconds(context, exchange)


@pytest.mark.requirement("SHAPE-06")
def test_is_included_is_true_or_false(standard_copy):
    exchange, context = standard_copy
    shape.is_included_flags(context, exchange)


@pytest.mark.requirement("SHAPE-07")
def test_depth_is_minimal_partial_or_complete(standard_copy):
    exchange, context = standard_copy  # the context holds the copy retrieved at depth complete
    shape.depth_values(context, exchange)


@pytest.mark.requirement("SHAPE-08")
def test_timestamps_are_the_time_of_the_copy(standard_copy):
    exchange, context = standard_copy
    shape.timestamps_are_now(context, exchange)


@pytest.mark.requirement("SHAPE-09")
def test_the_creator_is_the_identity_that_copied(standard_copy):
    exchange, context = standard_copy
    shape.creator_is_the_requester(context, exchange)


@pytest.mark.requirement("SHAPE-10")
def test_element_ids_are_distinct(standard_copy):
    exchange, context = standard_copy
    shape.element_ids_unique(context, exchange)


@pytest.mark.requirement("SHAPE-11")
@pytest.mark.parametrize("accept", ["*/*", "text/plain, application/json;q=0.9"], ids=["any", "json-among-others"])
def test_accept_is_optional_and_the_answer_is_json(run, api, source, accept):
    exchange = api.copy(source["id"], {"name": run.name("accept")}, headers={"Accept": accept})
    shape.accept_header_optional(Context(), exchange)
