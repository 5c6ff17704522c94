"""Every check of every catalogue requirement has a test it passes and a test it fails, in test_checks_*.py."""

from __future__ import annotations

import importlib
from pathlib import Path

from _respx_api import COVERAGE_TAG, requirement_of

from eloqua_conformance import checks
from eloqua_conformance.catalogue import requirements

HERE = Path(__file__).resolve().parent


def _declared():
    """(check, outcome) pairs declared by @covers_pass/@covers_fail on the tests of every test_checks_* module."""
    found = set()
    for path in sorted(HERE.glob("test_checks_*.py")):
        # Under pytest's prepend import mode this is the module pytest collected, not a second copy.
        module = importlib.import_module(path.stem)
        for name, test in vars(module).items():
            if name.startswith("test_") and callable(test):
                found |= set(getattr(test, COVERAGE_TAG, ()))
    return found


def test_every_check_has_a_passing_and_a_failing_test():
    declared = _declared()
    missing = [
        f"{requirement_id} {check.__name__} {outcome}"
        for requirement_id, functions in checks.CHECKS.items()
        for check in functions
        for outcome in ("pass", "fail")
        if (check, outcome) not in declared
    ]
    assert missing == []


def test_covered_requirements_are_exactly_the_catalogue():
    covered = {requirement_of(check) for check, _ in _declared()}
    assert covered == {entry.id for entry in requirements()} == set(checks.CHECKS)


def test_tags_name_only_registered_checks():
    registered = {check for functions in checks.CHECKS.values() for check in functions}
    assert {check for check, _ in _declared()} <= registered
