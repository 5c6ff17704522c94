"""Every check is registered, lives in its area's module, and has a test it passes and a test it fails."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

from _respx_api import COVERAGE_TAG, requirement_of

from eloqua_conformance import checks
from eloqua_conformance.catalogue import area_titles, requirements

HERE = Path(__file__).resolve().parent
_ID = re.compile(r"^[A-Z]+-\d{2}:")


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


def test_check_modules_are_named_after_the_catalogue_areas():
    assert {module.__name__.rsplit(".", 1)[-1] for module in checks.AREAS} == {code.lower() for code in area_titles()}


def test_no_check_is_left_unregistered():
    # A function of an area module whose docstring names a requirement is a check: the registry must have it.
    registered = {check for functions in checks.CHECKS.values() for check in functions}
    unregistered = [
        f"{module.__name__}.{name}"
        for module in checks.AREAS
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and _ID.match(function.__doc__ or "") and function not in registered
    ]
    assert unregistered == []


def test_every_registered_check_is_in_the_module_of_its_area_and_its_docstring_names_it():
    for requirement_id, functions in checks.CHECKS.items():
        for check in functions:
            assert check.__module__ == f"eloqua_conformance.checks.{requirement_id.split('-')[0].lower()}"
            assert check.__doc__.startswith(f"{requirement_id}:")
