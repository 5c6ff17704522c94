"""`eloqua-conformance replay`: a report's failure run again, against the broken server and a fixed one."""

from __future__ import annotations

import json

from _live import AUTH, FORBIDDEN, run_cli, store

from eloqua_conformance.mock import SegmentService, default_config, running_server
from eloqua_conformance.mock.variants import VARIANTS


def test_replay_fails_again_against_the_broken_server_passes_against_a_fixed_one_and_leaves_both_as_found(tmp_path):
    broken = VARIANTS["PasswordNotChecked"](default_config())
    with running_server(broken) as url:
        first = run_cli("--target-url", url, "--auth", AUTH, "--forbidden-auth", FORBIDDEN, "--report-dir", "first",
                        cwd=tmp_path)  # fmt: skip
        assert first.returncode == 1, first.tail()
        report = tmp_path / "first" / "conformance.json"
        failed = [e["id"] for e in json.loads(report.read_text())["requirements"] if e["outcome"] == "fail"]
        assert failed == ["AUTHN-02"]
        before = store(broken)
        again = run_cli("replay", str(report), "--target-url", url, "--auth", AUTH, cwd=tmp_path)
        assert store(broken) == before
    assert again.returncode == 1, again.tail()
    assert "replaying AUTHN-02: it was fail (expected status 401; actual 201" in again.stdout
    assert "STILL FAILS AUTHN-02 (MUST) A wrong password gets 401: expected status 401; actual 201" in again.stdout

    fixed = SegmentService(default_config())
    before = store(fixed)
    with running_server(fixed) as url:
        replayed = run_cli("replay", str(report), "--target-url", url, "--auth", AUTH, cwd=tmp_path)
    assert replayed.returncode == 0, replayed.tail()
    assert "NOW PASS     AUTHN-02 (MUST) A wrong password gets 401" in replayed.stdout
    assert store(fixed) == before


def test_a_report_without_failures_has_nothing_to_replay(tmp_path):
    # One area is enough for a report in which nothing failed; the other requirements are reported not selected.
    passed = run_cli("--requirement", "AUTHN", "--report-dir", "out", cwd=tmp_path)
    assert passed.returncode == 0, passed.tail()
    outcomes = {e["outcome"] for e in json.loads((tmp_path / "out" / "conformance.json").read_text())["requirements"]}
    assert outcomes == {"pass", "not-selected"}, outcomes
    result = run_cli("replay", "out/conformance.json", cwd=tmp_path)
    assert result.returncode == 4 and "nothing to replay: no requirement failed in it" in result.stderr
