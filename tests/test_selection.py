"""Selecting requirements (--requirement, -k, -m, a file, --lf), refusing -n, and naming a wrong base URL."""

from __future__ import annotations

import json
import time

from _live import AUTH, run_cli, run_suite

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.mock import SegmentService, default_config, running_server

VARIANTS = "eloqua_conformance.mock.variants"


def _outcomes(report_dir) -> dict[str, str]:
    report = json.loads((report_dir / "conformance.json").read_text(encoding="utf-8"))
    return {entry["id"]: entry["outcome"] for entry in report["requirements"]}


def _verdict(report_dir) -> str:
    return json.loads((report_dir / "conformance.json").read_text(encoding="utf-8"))["verdict"]


def test_one_requirement_fails_a_server_that_breaks_it_and_leaves_the_rest_not_selected(tmp_path):
    broken = run_cli("--requirement", "AUTHN-02", f"--embedded-service={VARIANTS}:PasswordNotChecked",
                     "--report-dir", "broken", cwd=tmp_path)  # fmt: skip
    assert broken.returncode == 1, broken.tail()
    assert "FAIL           AUTHN-02 (MUST)" in broken.stdout
    assert {rid for rid, outcome in _outcomes(tmp_path / "broken").items() if outcome == "fail"} == {"AUTHN-02"}

    reference = run_cli("--requirement", "AUTHN-02", "--report-dir", "reference", cwd=tmp_path)
    assert reference.returncode == 0, reference.tail()
    outcomes = _outcomes(tmp_path / "reference")
    assert outcomes.pop("AUTHN-02") == "pass"
    assert set(outcomes.values()) == {"not-selected"}
    assert _verdict(tmp_path / "reference") == "conformant-partial"


def test_an_area_selects_all_of_its_requirements_and_a_skipped_one_is_not_selected(tmp_path):
    result = run_cli("--requirement", "AUTHN", "--skip-requirement", "AUTHN-06", "--report-dir", "out", cwd=tmp_path)
    assert result.returncode == 0, result.tail()
    passed = {rid for rid, outcome in _outcomes(tmp_path / "out").items() if outcome == "pass"}
    assert passed == {f"AUTHN-0{n}" for n in range(1, 10) if n != 6}


def test_k_selects_by_requirement_id(tmp_path):
    result = run_cli("--report-dir", "out", "--", "-k", "AUTHN-02", cwd=tmp_path)
    assert result.returncode == 0, result.tail()
    assert {rid for rid, outcome in _outcomes(tmp_path / "out").items() if outcome != "not-selected"} == {"AUTHN-02"}
    assert "LEFT OUT" in result.stdout and _verdict(tmp_path / "out") == "conformant-partial"


def test_m_selects_by_level_and_never_certifies(tmp_path):
    result = run_cli("--report-dir", "out", "--", "-m", "must", cwd=tmp_path)
    assert result.returncode == 0, result.tail()
    outcomes = _outcomes(tmp_path / "out")
    levels = {entry.id: entry.level for entry in requirements()}
    assert {outcomes[rid] for rid, level in levels.items() if level == "MUST"} == {"pass"}
    # A test proving a MUST and a SHOULD (the state machine) carries both markers, so a few SHOULDs run too.
    should = [outcomes[rid] for rid, level in levels.items() if level == "SHOULD"]
    assert set(should) <= {"pass", "not-selected"} and should.count("not-selected") >= 10
    assert _verdict(tmp_path / "out") == "conformant-partial"


def test_a_single_file_judges_no_run_wide_requirement_on_nothing(tmp_path):
    result = run_suite("eloqua_conformance/suite/test_status.py", f"--report-dir={tmp_path}")
    assert result.returncode == 0, result.tail()
    outcomes = _outcomes(tmp_path)
    assert {outcomes[rid] for rid in ("STATUS-01", "STATUS-02", "STATUS-03", "SHAPE-03")} == {"not-exercised"}
    assert "fail" not in outcomes.values() and _verdict(tmp_path) == "conformant-partial"


def test_last_failed_reruns_only_what_failed_and_says_the_rest_was_left_out(tmp_path):
    broken = [f"--embedded-service={VARIANTS}:PasswordNotChecked", "--report-dir", "out"]
    assert run_cli(*broken, cwd=tmp_path).returncode == 1
    again = run_cli(*broken, "--", "--lf", cwd=tmp_path)
    assert again.returncode == 1, again.tail()
    assert "= 1 failed in" in again.stdout and "LEFT OUT" in again.stdout, again.tail()
    outcomes = _outcomes(tmp_path / "out")
    assert outcomes["AUTHN-02"] == "fail" and outcomes["SHAPE-01"] == "not-selected"


def test_collect_only_lists_each_tests_requirements(tmp_path):
    result = run_cli("--", "--collect-only", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.tail()
    assert "test_authn.py::test_wrong_password_gets_401  requirements: AUTHN-02" in result.stdout
    assert "verdict" not in result.stdout  # nothing ran, so nothing is judged


def test_xdist_is_refused_with_one_line(tmp_path):
    result = run_cli("--", "-n", "2", cwd=tmp_path)
    assert result.returncode == 4, result.tail()
    assert "-n/--dist: a conformance run judges the whole run in one process" in result.stderr
    assert "Traceback" not in result.output


def test_strict_in_the_console_script_is_the_should_gate(tmp_path):
    service = f"--embedded-service={VARIANTS}:TrimsName"  # breaks SEM-02, a SHOULD
    assert run_cli(service, "--requirement", "SEM-02", cwd=tmp_path).returncode == 0
    strict = run_cli(service, "--requirement", "SEM-02", "--strict", cwd=tmp_path)
    assert strict.returncode == 1, strict.tail()
    assert "FAIL           SEM-02 (SHOULD)" in strict.stdout


def test_a_target_url_with_the_api_path_is_named_as_the_slip(tmp_path):
    with running_server(SegmentService(default_config())) as url:
        started = time.monotonic()
        result = run_cli("--target-url", f"{url}/api/REST/2.0", "--auth", AUTH, cwd=tmp_path)
        seconds = time.monotonic() - started
    assert result.returncode == 2, result.tail()
    assert seconds < 15
    lines = [line for line in result.output.splitlines() if "no Eloqua contact-segment API answers" in line]
    assert len(lines) == 1 and f"try --target-url {url}" in lines[0], result.tail()
    assert "Traceback" not in result.output and "passed" not in result.stdout


def test_the_console_script_loads_only_the_plugins_a_run_needs(tmp_path):
    # pytest-benchmark, pytest-xdist, anyio's, respx's and schemathesis's plugins are installed here: none loads.
    result = run_cli("--", "--collect-only", cwd=tmp_path)
    assert result.returncode == 0, result.tail()
    (plugins,) = [line for line in result.stdout.splitlines() if line.startswith("plugins: ")]
    assert [name.rsplit("-", 1)[0] for name in plugins.removeprefix("plugins: ").split(", ")] == ["hypothesis"]
