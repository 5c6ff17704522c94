"""Every conformance test proves catalogue requirements, and every requirement has tests and a check."""

from __future__ import annotations

import importlib.util
import inspect

import pytest

from eloqua_conformance import checks
from eloqua_conformance.activation import suite_dir
from eloqua_conformance.catalogue import area_titles, requirements

TESTS = suite_dir()
# The suite's modules are imported here outside a conformance run, where its markers are not registered.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnknownMarkWarning")


def _conformance_tests() -> dict[str, tuple[str, ...]]:
    """Test function name -> requirement IDs of its markers, for every suite module."""
    found = {}
    for path in sorted(TESTS.glob("test_*.py")):
        spec = importlib.util.spec_from_file_location(f"_mapping_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module_marks = getattr(module, "pytestmark", [])
        module_marks = module_marks if isinstance(module_marks, list) else [module_marks]
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("test_") and function.__module__ == module.__name__:
                marks = [*module_marks, *getattr(function, "pytestmark", [])]
                found[f"{path.name}::{name}"] = tuple(
                    rid for mark in marks if mark.name == "requirement" for rid in mark.args
                )
    return found


def test_suite_modules_are_named_after_catalogue_areas():
    modules = {name.split("::")[0].removeprefix("test_").removesuffix(".py") for name in _conformance_tests()}
    assert modules == {code.lower() for code in area_titles()}


def test_every_conformance_test_carries_a_requirement():
    unmarked = [name for name, ids in _conformance_tests().items() if not ids]
    assert not unmarked


def test_every_requirement_has_a_test():
    covered = {rid for ids in _conformance_tests().values() for rid in ids}
    assert [entry.id for entry in requirements() if entry.id not in covered] == []


def test_markers_name_only_catalogue_requirements():
    known = {entry.id for entry in requirements()}
    assert {rid for ids in _conformance_tests().values() for rid in ids} <= known


@pytest.mark.parametrize("entry", requirements(), ids=lambda entry: entry.id)
def test_every_requirement_has_a_check_named_in_its_docstring(entry):
    assert checks.CHECKS.get(entry.id), f"no check function's docstring starts with {entry.id}:"
    for check in checks.CHECKS[entry.id]:
        assert check.__doc__.startswith(f"{entry.id}:")
