"""The recipes in examples/: each runs the suite against a generic mock tool and leaves nothing running.

The tool recipes install Prism, Mockoon and WireMock from npm (about 220 MB) and need Java for WireMock, so
they carry the `third_party` marker, which plain `pytest` deselects: `pytest -m third_party` runs them (.ci/run
does, after the README's commands). The CI recipes are checked in every run; they download nothing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
RECIPE_TIMEOUT = 600  # seconds; a first run installs the tool from npm

# What each tool needs; the requirements it cannot meet whatever its configuration (examples/README.md says
# why); and the requirements the suite may report as errors rather than failures against it.
TOOLS = {
    "prism": {
        "needs": ("node", "npm"),
        "fails": {"SHAPE-03", "SHAPE-05", "SHAPE-07", "SHAPE-08", "SHAPE-09", "AUTHN-02", "AUTHN-03", "AUTHN-04",
                  "AUTHN-06", "AUTHN-07", "AUTHN-08", "AUTHZ-01", "NOTFOUND-01", "NOTFOUND-02", "VALID-03", "VALID-05",
                  "VALID-06", "VALID-13", "SEM-02", "SEM-04", "STATUS-02", "PROP-01", "PROP-02", "STATE-01", "STATE-02",
                  "STATE-04"},
        "errors": {"NOTFOUND-01"},  # every GET answers 200, so no absent id can be found to copy
    },
    "mockoon": {"needs": ("node", "npm"), "fails": {"STATE-04"}, "errors": set()},
    "wiremock": {
        "needs": ("npm", "java"),
        "fails": {"NOTFOUND-02", "VALID-10", "VALID-13", "SEM-04", "STATE-01", "STATE-04"},
        "errors": set(),
    },
}  # fmt: skip
_LINE = re.compile(r"^(FAIL|ERROR|NOT-EXERCISED)\s+([A-Z]+-\d+) \((MUST|SHOULD)\)", re.MULTILINE)
_STARTED = re.compile(r"started \w+ \(process group (\d+)\)")


def _outcomes(report_dir: Path, stdout: str) -> dict[str, tuple[str, str]]:
    """Requirement id -> (level, outcome): from conformance.json, or the terminal section without the writer."""
    if (ROOT / "eloqua_conformance" / "report").is_dir():
        report = json.loads((report_dir / "conformance.json").read_text(encoding="utf-8"))
        return {entry["id"]: (entry["level"], entry["outcome"]) for entry in report["requirements"]}
    return {rid: (level, outcome.lower()) for outcome, rid, level in _LINE.findall(stdout)}


def _group_members(pgid: int) -> list[str]:
    """`ps` lines of the processes still in process group `pgid`."""
    listing = subprocess.run(["ps", "-eo", "pgid=,pid=,stat=,args="], capture_output=True, text=True, check=True)
    return [line for line in listing.stdout.splitlines() if line.split()[0] == str(pgid)]


def _run_recipe(tool: str, report_dir: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run examples/TOOL/run.sh as a user would; on a timeout, TERM its process group (its trap stops the tool)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_")}
    env.update(PYTHON=sys.executable, REPORT_DIR=str(report_dir))
    started = time.monotonic()
    with subprocess.Popen(
        ["bash", str(EXAMPLES / tool / "run.sh")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    ) as process:  # fmt: skip
        try:
            stdout, stderr = process.communicate(timeout=RECIPE_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)  # the recipe's trap then stops the tool
            stdout, stderr = process.communicate(timeout=30)
            pytest.fail(f"{tool} recipe ran over {RECIPE_TIMEOUT} s:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    result = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return result, time.monotonic() - started


@pytest.mark.third_party
@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_recipe_runs_the_suite_names_what_the_tool_fails_and_leaves_nothing_running(tool, tmp_path):
    missing = [command for command in TOOLS[tool]["needs"] if shutil.which(command) is None]
    if missing:
        pytest.skip(f"the {tool} recipe needs {' and '.join(missing)}, not found on PATH")
    result, seconds = _run_recipe(tool, tmp_path)
    output = result.stdout + result.stderr
    print(f"{tool}: exit {result.returncode} in {seconds:.1f} s")
    assert result.returncode in (0, 1), f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    assert "Traceback (most recent call last)" not in output and "INTERNALERROR" not in output

    outcomes = _outcomes(tmp_path, result.stdout)
    failing = {rid for rid, (_, outcome) in outcomes.items() if outcome in ("fail", "error")}
    errors = {rid for rid, (_, outcome) in outcomes.items() if outcome == "error"}
    assert errors <= TOOLS[tool]["errors"], f"the suite broke down on {sorted(errors - TOOLS[tool]['errors'])}"
    assert TOOLS[tool]["fails"] <= failing, f"expected {tool} to fail {sorted(TOOLS[tool]['fails'] - failing)}"
    for rid in failing:  # every failure is named on the terminal too, requirement id first
        assert re.search(rf"^(FAIL|ERROR)\s+{rid} \(", result.stdout, re.MULTILINE), rid
    must_failed = any(level == "MUST" for rid, (level, _) in outcomes.items() if rid in failing)
    assert result.returncode == (1 if must_failed else 0)

    (pgid,) = {int(found) for found in _STARTED.findall(result.stderr)}
    deadline = time.monotonic() + 5
    while _group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _group_members(pgid) == [], f"{tool} left processes behind"
