"""`eloqua-conformance diff`: what changed between two runs, and exit 1 only for a regression."""

from __future__ import annotations

import subprocess
import sys
from functools import partial

import pytest
from _live import run_cli, side_by_side


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Two certified runs of the reference mock and one of a variant that breaks AUTHN-02 (in-process, side by side)."""
    where = tmp_path_factory.mktemp("diff")
    runs = {"certified-1": [], "certified-2": [],
            "failing": ["--embedded-service=eloqua_conformance.mock.variants:PasswordNotChecked"]}  # fmt: skip
    with side_by_side({name: partial(run_cli, *args, "--strict", "--report-dir", name, cwd=where)
                       for name, args in runs.items()}) as futures:  # fmt: skip
        for name, future in futures.items():
            done = future.result()
            assert done.returncode == (1 if name == "failing" else 0), done.tail()
    return {name: where / name / "conformance.json" for name in runs}


def _diff(*args):
    return subprocess.run([sys.executable, "-m", "eloqua_conformance", "diff", *map(str, args)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_a_newly_failing_requirement_is_listed_first_with_its_failure_and_exits_1(reports):
    result = _diff(reports["certified-1"], reports["failing"])
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "verdict: certified -> not-conformant; 1 requirement(s) changed outcome"
    assert lines[1].startswith("REGRESSED  AUTHN-02 (MUST) A wrong password gets 401: pass -> fail")
    assert lines[2].strip().startswith("expected status 401; actual 201")


def test_a_fixed_requirement_is_a_change_not_a_regression(reports):
    result = _diff(reports["failing"], reports["certified-1"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "CHANGED    AUTHN-02 (MUST) A wrong password gets 401: fail -> pass" in result.stdout


def test_two_certified_runs_differ_in_nothing(reports):
    result = _diff(reports["certified-1"], reports["certified-2"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "verdict: certified -> certified; 0 requirement(s) changed outcome"


def test_a_file_that_is_not_a_report_is_a_usage_error(tmp_path, reports):
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    result = _diff(reports["certified-1"], other)
    assert result.returncode == 4 and "not a conformance.json" in result.stderr
