"""FAULT: with --fault-injection, `Prefer: code=500` on a valid copy request gets 500 and creates nothing."""

import pytest

from eloqua_conformance.checks import Context, fault
from eloqua_conformance.fixtures import not_exercised, refusals_leave_no_trace


@pytest.mark.requirement("FAULT-01")
def test_prefer_code_500_gets_500_and_creates_nothing(run, api, source):
    if not run.settings.fault_injection:
        not_exercised("--fault-injection not given")
    with refusals_leave_no_trace(run, fault.injected_fault_creates_nothing):
        exchange = api.copy(source["id"], {"name": run.name("fault")}, headers={"Prefer": "code=500"})
        fault.injected_500(Context(), exchange)
