"""NOTFOUND checks: 404 for a segment that never existed or was deleted, and the refused copy creates nothing."""

from __future__ import annotations

import pytest
from _respx_api import NONE, contact_segment, copy_answered, covers_fail, covers_pass, expect_failure, json_response
from _state_cases import ADDED, UNCHANGED, assert_added, assert_unchanged, assert_unreadable

from eloqua_conformance.checks import notfound

CASES = [(notfound.never_existed, "NOTFOUND-01", "999999999"), (notfound.deleted, "NOTFOUND-02", "1002")]


@covers_pass(notfound.never_existed, notfound.deleted)
@pytest.mark.parametrize(("check", "requirement_id", "segment_id"), CASES)
def test_404_passes(check, requirement_id, segment_id):
    check(NONE, copy_answered(json_response(404, [{"type": "NotFound"}]), segment_id=segment_id))


@covers_fail(notfound.never_existed, notfound.deleted)
@pytest.mark.parametrize(("check", "requirement_id", "segment_id"), CASES)
@pytest.mark.parametrize("status", [201, 400, 410, 500])
def test_anything_but_404_fails(check, requirement_id, segment_id, status):
    answer = contact_segment() if status == 201 else [{"type": "x"}]
    exchange = copy_answered(json_response(status, answer), segment_id=segment_id)
    assert expect_failure(requirement_id, check, NONE, exchange).actual.startswith(f"{status}, ")


@covers_pass(notfound.missing_copy_creates_nothing)
@pytest.mark.parametrize(("before", "after"), UNCHANGED)
def test_notfound_03_passes_when_no_segment_was_added(before, after):
    assert_unchanged(notfound.missing_copy_creates_nothing, before, after)


@covers_fail(notfound.missing_copy_creates_nothing)
@pytest.mark.parametrize(("after", "shown"), ADDED)
def test_notfound_03_fails_when_the_404_left_a_segment(after, shown):
    assert_added("NOTFOUND-03", notfound.missing_copy_creates_nothing, after, shown)


def test_notfound_03_fails_when_the_segments_cannot_be_listed():
    assert_unreadable("NOTFOUND-03", notfound.missing_copy_creates_nothing)
