"""AUTHZ checks: 403 for an identity that may not create, and its refused copy creates nothing, under any name."""

from __future__ import annotations

import pytest
from _respx_api import NONE, contact_segment, copy_answered, covers_fail, covers_pass, expect_failure, json_response
from _state_cases import ADDED, UNCHANGED, assert_added, assert_unchanged, assert_unreadable

from eloqua_conformance.checks import authz
from eloqua_conformance.credentials import basic_header

_READER = {"authorization": basic_header("Site", "Reader", "pw")}


@covers_pass(authz.forbidden_identity)
def test_authz_01_passes_403():
    authz.forbidden_identity(NONE, copy_answered(json_response(403, [{"type": "Forbidden"}]), **_READER))


@covers_fail(authz.forbidden_identity)
@pytest.mark.parametrize("status", [201, 401])
def test_authz_01_fails_anything_but_403(status):
    answer = contact_segment() if status == 201 else [{"type": "x"}]
    exchange = copy_answered(json_response(status, answer), **_READER)
    assert expect_failure("AUTHZ-01", authz.forbidden_identity, NONE, exchange).expected == "status 403"


@covers_pass(authz.forbidden_copy_creates_nothing)
@pytest.mark.parametrize(("before", "after"), UNCHANGED)
def test_authz_02_passes_when_no_segment_was_added(before, after):
    assert_unchanged(authz.forbidden_copy_creates_nothing, before, after)


@covers_fail(authz.forbidden_copy_creates_nothing)
@pytest.mark.parametrize(("after", "shown"), ADDED)
def test_authz_02_fails_when_the_forbidden_copy_was_stored_under_any_name(after, shown):
    assert_added("AUTHZ-02", authz.forbidden_copy_creates_nothing, after, shown)


def test_authz_02_fails_when_the_segments_cannot_be_listed():
    assert_unreadable("AUTHZ-02", authz.forbidden_copy_creates_nothing)
