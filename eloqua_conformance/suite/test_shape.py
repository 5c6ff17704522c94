"""SHAPE: a successful copy is a 201 JSON ContactSegment with a new id, in Eloqua's observed value forms."""

import pytest

from eloqua_conformance import checks
from eloqua_conformance.fixtures import copy_of


@pytest.mark.requirement("SHAPE-01")
def test_copy_answers_201_with_a_json_contact_segment(standard_copy):
    checks.shape_01_created_json_contact_segment(standard_copy)


@pytest.mark.requirement("SHAPE-02")
def test_copy_type_is_contact_segment(standard_copy):
    checks.shape_02_type_is_contact_segment(standard_copy)


@pytest.mark.requirement("SHAPE-03")
def test_copy_gets_an_id_never_seen_before(run, source):
    earlier = set(run.recorder.seen_ids)
    checks.shape_03_new_id(copy_of(run, source), source["id"], earlier)


@pytest.mark.requirement("SHAPE-04")
def test_ids_are_decimal_digits(standard_copy):
    checks.shape_04_ids_are_digits(standard_copy)


@pytest.mark.requirement("SHAPE-05")
def test_timestamps_are_unix_seconds_of_now(standard_copy):
    checks.shape_05_timestamps_unix_seconds(standard_copy)


@pytest.mark.requirement("SHAPE-06")
def test_is_included_is_true_or_false(standard_copy):
    checks.shape_06_is_included_flags(standard_copy)


@pytest.mark.requirement("SHAPE-07")
def test_depth_is_minimal_partial_or_complete(api, standard_copy):
    checks.shape_07_depth_values(standard_copy)
    checks.shape_07_depth_values(api.retrieve(standard_copy.json()["id"], depth="complete"))
