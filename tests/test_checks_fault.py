"""FAULT checks: `Prefer: code=500` gets 500, and the injected failure creates nothing."""

from __future__ import annotations

import httpx
import pytest
from _respx_api import NONE, contact_segment, copy_answered, covers_fail, covers_pass, expect_failure, json_response
from _state_cases import ADDED, UNCHANGED, assert_added, assert_unchanged, assert_unreadable

from eloqua_conformance.checks import fault

_SERVER_ERROR = [{"type": "ServerError"}]


@covers_pass(fault.injected_500)
def test_fault_01_passes_500_for_prefer_code_500():
    fault.injected_500(NONE, copy_answered(json_response(500, _SERVER_ERROR), headers={"Prefer": "code=500"}))


@covers_fail(fault.injected_500)
@pytest.mark.parametrize("status", [201, 502])
def test_fault_01_fails_a_prefer_code_500_that_was_ignored(status):
    exchange = copy_answered(json_response(status, contact_segment()), headers={"Prefer": "code=500"})
    failure = expect_failure("FAULT-01", fault.injected_500, NONE, exchange)
    assert failure.expected == "status 500"
    assert failure.actual.startswith(f"{status}, ")


def test_fault_01_fails_a_network_fault():
    exchange = copy_answered(httpx.ReadTimeout("timed out"), headers={"Prefer": "code=500"})
    assert expect_failure("FAULT-01", fault.injected_500, NONE, exchange).actual.startswith("network fault")


@covers_pass(fault.injected_fault_creates_nothing)
@pytest.mark.parametrize(("before", "after"), UNCHANGED)
def test_fault_01_passes_when_the_failed_copy_left_nothing(before, after):
    assert_unchanged(fault.injected_fault_creates_nothing, before, after)


@covers_fail(fault.injected_fault_creates_nothing)
@pytest.mark.parametrize(("after", "shown"), ADDED)
def test_fault_01_fails_when_the_failed_copy_was_written(after, shown):
    assert_added("FAULT-01", fault.injected_fault_creates_nothing, after, shown)


def test_fault_01_fails_when_the_segments_cannot_be_listed():
    assert_unreadable("FAULT-01", fault.injected_fault_creates_nothing)
