"""The CI recipes a team copies run as written: action.yml's steps and the GitLab job, with bash, offline.

Each recipe installs the suite with pip from the session's wheel (the wheelhouse is the only package source) and
certifies the reference mock. GitHub Actions and GitLab CI are emulated only as far as these recipes need: each
`run:` step or script in bash with the runner's options, `${{ ... }}` expressions and GitLab variables expanded,
and the runner's files (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT) provided as temporary files.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from _installed import ROOT, InstalledSuite, installed_suite, reference_mock, remove_if_passed

__all__ = ["installed_suite"]  # the fixture, imported so that pytest finds it

ADMIN = "basic:TestSite\\admin:admin-password"
READER = "basic:TestSite\\reader:reader-password"
PASSWORDS = ("admin-password", "reader-password")
STEP_TIMEOUT = 300  # seconds for one step; the suite's run against the mock is the long one
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
GITLAB_JOB = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))[
    "eloqua-conformance"
]
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# The job's environment, as a team may set it: Hypothesis's dev profile, 10 examples per property instead of 30.
# What is under test here is the recipe, not the mock: every test of the suite still runs and every requirement is
# exercised; tests/test_distribution.py certifies the installed wheel at the default profile.
QUICK_RUN = {"PYTEST_ADDOPTS": "--hypothesis-profile=dev"}


# --- GitHub Actions: action.yml -------------------------------------------------------------
@dataclass
class Step:
    name: str
    status: int | None  # None: not run (a `uses:` step)
    output: str = ""


def _expand(text: str, context: dict[str, str]) -> str:
    """`${{ inputs.x }}`-style expressions replaced from `context`; any other expression fails the test."""

    def value(match: re.Match[str]) -> str:
        if match.group(1) not in context:
            pytest.fail(f"action.yml uses ${{{{ {match.group(1)} }}}}, which this emulation does not provide")
        return context[match.group(1)]

    return _EXPRESSION.sub(value, text)


def _action_context(inputs: dict[str, str], runner_temp: Path) -> dict[str, str]:
    """What the action's expressions may name: its inputs (declared defaults filled in) and a few contexts."""
    declared = ACTION["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"inputs action.yml does not declare: {unknown}"
    missing = [name for name, spec in declared.items() if spec.get("required") and name not in inputs]
    assert not missing, f"required inputs not given: {missing}"
    values = {name: inputs.get(name, str(spec.get("default", ""))) for name, spec in declared.items()}
    return {
        **{f"inputs.{name}": value for name, value in values.items()},
        "github.action_path": str(ROOT),
        "runner.temp": str(runner_temp),
    }


def _should_run(step: dict[str, Any], failed: bool) -> bool:
    """GitHub's rule for a step's `if:`, for the conditions a run step of this action may use."""
    condition = str(step.get("if", "success()")).strip()
    if condition not in {"success()", "always()"}:
        pytest.fail(f"step {step.get('name')!r}: cannot emulate `if: {condition}`")
    return condition == "always()" or not failed


@pytest.fixture(scope="module")
def runner_temp(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """RUNNER_TEMP of one job that uses the action more than once, as a workflow may (hence `artifact-name`).

    Each use runs every step as written; the second finds the venv the first left in RUNNER_TEMP, as it would on
    a runner, so its install step re-creates no venv from nothing and installs no closure again (6.1 -> 2.8 s).
    """
    path = tmp_path_factory.mktemp("runner-temp")
    # Passed: the action's venv (60 MB) need not be kept for a look.
    request.addfinalizer(lambda: remove_if_passed(request.session, path))
    return path


def _run_action(installed: InstalledSuite, workspace: Path, runner_temp: Path,
                inputs: dict[str, str]) -> tuple[list[Step], Path]:  # fmt: skip
    """Run action.yml's steps in order like a runner; returns each step's result and the GITHUB_* files' folder."""
    runner = workspace.parent / "runner-files"  # one set per use of the action, like a runner's per step
    runner.mkdir()
    files = {name: runner / name.lower() for name in ("GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT", "GITHUB_ENV")}
    for path in files.values():
        path.touch()
    context = _action_context(inputs, runner_temp)
    env = {**installed.env, **QUICK_RUN, **{name: str(path) for name, path in files.items()}, "GITHUB_ACTIONS": "true",
           "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_WORKSPACE": str(workspace),
           "RUNNER_TEMP": str(runner_temp)}  # fmt: skip
    steps: list[Step] = []
    failed = False
    for index, step in enumerate(ACTION["runs"]["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        # `uses:` steps are other actions, not emulated: setup-python (the venv's python3 stands in) and
        # upload-artifact (so nothing is uploaded; the tests check that the report directory was written).
        if "uses" in step:
            steps.append(Step(name, None))
            continue
        if not _should_run(step, failed):
            steps.append(Step(name, None, "skipped after a failed step"))
            continue
        assert step.get("shell") == "bash", f"step {name!r}: a composite run step needs `shell: bash`"
        script = runner / f"step-{index}.sh"
        script.write_text(_expand(step["run"], context), encoding="utf-8")
        step_env = {**env, **{key: _expand(str(value), context) for key, value in step.get("env", {}).items()}}
        # What the runner runs for `shell: bash`.
        argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        result = subprocess.run(argv, cwd=workspace, env=step_env, capture_output=True, text=True,
                                timeout=STEP_TIMEOUT, check=False)  # fmt: skip
        steps.append(Step(name, result.returncode, result.stdout + result.stderr))
        failed = failed or result.returncode != 0
    return steps, runner


def _outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)


def _log(steps: list[Step]) -> str:
    return "\n".join(f"--- {step.name}: {step.status}\n{step.output[-4000:]}" for step in steps)


def test_action_certifies_the_reference_mock(installed_suite: InstalledSuite, runner_temp: Path,
                                             tmp_path: Path) -> None:  # fmt: skip
    workspace, mock_dir = tmp_path / "workspace", tmp_path / "mock"
    workspace.mkdir()
    mock_dir.mkdir()
    with reference_mock(installed_suite, mock_dir) as mock:
        inputs = {"target-url": mock.url, "auth": ADMIN, "forbidden-auth": READER, "fault-injection": "true",
                  "strict": "true", "suite-version": str(installed_suite.wheel)}  # fmt: skip
        steps, runner = _run_action(installed_suite, workspace, runner_temp, inputs)
    log = _log(steps)
    ran = {step.name: step.status for step in steps if step.status is not None}
    assert ran == {"Install the suite": 0, "Run the conformance suite": 0, "Post the summary": 0}, log
    assert "verdict: certified" in next(step.output for step in steps if step.name == "Run the conformance suite")
    assert _outputs(runner / "github_output").get("verdict") == "certified", log
    assert "certified" in (runner / "github_step_summary").read_text(encoding="utf-8"), log
    assert (workspace / "reports" / "summary.md").is_file()
    assert not [word for word in PASSWORDS if word in log], f"a password is in the action's log:\n{log}"


def test_action_fails_with_the_suites_status_and_still_posts_a_summary(installed_suite: InstalledSuite,
                                                                       runner_temp: Path,
                                                                       tmp_path: Path) -> None:  # fmt: skip
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    inputs = {"target-url": f"http://127.0.0.1:{_free_port()}", "auth": ADMIN,
              "suite-version": str(installed_suite.wheel)}  # fmt: skip
    steps, runner = _run_action(installed_suite, workspace, runner_temp, inputs)
    log = _log(steps)
    statuses = {step.name: step.status for step in steps}
    assert statuses["Run the conformance suite"] == 2, f"nothing listens on the target, so exit 2:\n{log}"
    assert statuses["Post the summary"] == 0, log
    assert (runner / "github_step_summary").read_text(encoding="utf-8").strip(), "the job summary stayed empty"


def test_github_example_uses_the_action_with_declared_inputs() -> None:
    workflow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    uses = [step for job in workflow["jobs"].values() for step in job["steps"]
            if str(step.get("uses", "")).endswith("/eloqua-conformance@v0.2.0")]  # fmt: skip
    assert len(uses) == 1, "the example should run the suite through its composite action, pinned to a tag"
    given = set(uses[0].get("with", {}))
    assert given <= set(ACTION["inputs"]), f"inputs action.yml does not declare: {given - set(ACTION['inputs'])}"
    assert {name for name, spec in ACTION["inputs"].items() if spec.get("required")} <= given


# --- GitLab CI: examples/ci/gitlab-ci.yml ---------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _gitlab_variables(variables: dict[str, Any], overrides: dict[str, str]) -> dict[str, str]:
    """The job's variables as GitLab exports them: `$NAME`/`${NAME}` in a value expanded from earlier ones."""
    values: dict[str, str] = {}
    for name, value in {**{k: str(v) for k, v in variables.items()}, **overrides}.items():
        values[name] = re.sub(r"\$\{?(\w+)\}?", lambda m: values.get(m.group(1), m.group(0)), value)
    return values


def _gitlab_shell(lines: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """One of the job's scripts in one bash, as the runner runs it (stopping at the first failing command).

    The job's container goes away after the job; here, whatever the script left running in the background (the
    stand-in server) is stopped with it: the script runs in a session of its own, stopped as a process group.
    """
    script = "set -eo pipefail\n" + "\n".join(lines) + "\n"
    process = subprocess.Popen(["bash", "--noprofile", "--norc", "-c", script], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        output, _ = process.communicate(timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        output = f"(the script ran over {STEP_TIMEOUT} s)"
    finally:
        _stop_group(process.pid)
    process.wait()
    return process.returncode, output


def _group_alive(pgid: int) -> list[int]:
    """Processes of group `pgid` that have not exited (zombies count as exited: nobody may be left to reap them)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


def _stop_group(pgid: int, timeout: float = 10) -> None:
    """TERM what the script left running (the stand-in server); fail if it outlives `timeout`."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if left := _group_alive(pgid):
        os.killpg(pgid, signal.SIGKILL)
        pytest.fail(f"processes {left} outlived SIGTERM by {timeout} s")


def test_gitlab_job_certifies_the_reference_mock(installed_suite: InstalledSuite, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    variables = _gitlab_variables(GITLAB_JOB["variables"], {"SUITE": str(installed_suite.wheel),
                                                            "SERVER_PORT": str(_free_port())})  # fmt: skip
    env = {**installed_suite.env, **QUICK_RUN, **variables, "CI": "true", "GITLAB_CI": "true"}
    status, output = _gitlab_shell(GITLAB_JOB["script"], project, env)
    after_status, after_output = _gitlab_shell(GITLAB_JOB.get("after_script", []), project, env)
    assert status == 0, f"the job's script exited {status}:\n{output[-6000:]}"
    assert "verdict: certified" in output, output[-6000:]
    assert after_status == 0, after_output
    assert "certified" in after_output, f"after_script printed no verdict:\n{after_output}"
    for path in [*GITLAB_JOB["artifacts"]["paths"], GITLAB_JOB["artifacts"]["reports"]["junit"]]:
        assert (project / path).exists(), f"the job's artefact {path} was not written"
    assert not [word for word in PASSWORDS if word in output + after_output], "a password is in the job log"
