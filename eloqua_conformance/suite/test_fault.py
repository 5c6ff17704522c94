"""FAULT: with --fault-injection, `Prefer: code=500` on a valid copy request gets 500 and creates nothing."""

import pytest

from eloqua_conformance import checks
from eloqua_conformance.fixtures import not_exercised


@pytest.mark.requirement("FAULT-01")
def test_prefer_code_500_gets_500(run, api, source):
    if not run.settings.fault_injection:
        not_exercised("--fault-injection not given")
    name = run.name("fault")
    checks.fault_01_injected_500(api.copy(source["id"], {"name": name}, headers={"Prefer": "code=500"}))
    search = api.search(name)
    body = search.json()
    created = [e for e in body.get("elements", []) if e.get("name") == name] if isinstance(body, dict) else []
    assert not created, f"FAULT-01: the injected 500 still created segment(s) {[e.get('id') for e in created]}"
