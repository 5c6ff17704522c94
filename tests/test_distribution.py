"""The wheel as a team installs it: what it carries, and that it certifies the reference mock from outside the checkout.

Every test uses the session's `installed_suite`: the wheel built from this checkout, installed offline into a
fresh venv with only its runtime dependencies (a dependency the wheel forgets to declare fails these tests).
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import textwrap
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _installed import ROOT, InstalledSuite, Venv, installed_suite, reference_mock, wheel_metadata
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

__all__ = ["installed_suite"]  # the fixture, imported so that pytest finds it

ADMIN = "basic:TestSite\\admin:admin-password"
READER = "basic:TestSite\\reader:reader-password"
REPORT_FILES = ["conformance.html", "conformance.json", "junit.xml", "summary.md"]
SUITE_TIMEOUT = 300  # seconds for one run of the suite against the mock
SPEC_FILES = ("openapi.yaml", "requirements.yaml", "report.schema.json")


def _outside(tmp_path: Path) -> Path:
    """A working directory in no checkout: nothing above it that pytest or Python could pick the project up from."""
    where = tmp_path / "elsewhere"
    where.mkdir()
    markers = ("pyproject.toml", "setup.py", "setup.cfg", "pytest.ini", "tox.ini", "conftest.py", ".git")
    found = [parent / marker for parent in where.parents for marker in markers if (parent / marker).exists()]
    assert not found, f"{where} is not outside every project: {found}"
    assert not where.is_relative_to(ROOT)
    return where


def _run(venv: Venv, argv: list[str], cwd: Path, timeout: float = SUITE_TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, env=venv.env, capture_output=True, text=True, timeout=timeout, check=False)


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    out, err = result.stdout[-4000:], result.stderr[-4000:]
    return f"exit {result.returncode}\n--- stdout (end)\n{out}\n--- stderr (end)\n{err}"


# --- what the wheel carries -----------------------------------------------------------------
def test_wheel_carries_the_spec_the_suite_and_the_entry_points(installed_suite: InstalledSuite) -> None:
    with zipfile.ZipFile(installed_suite.wheel) as wheel:
        names = set(wheel.namelist())
        for spec in SPEC_FILES:
            member = f"eloqua_conformance/spec/{spec}"
            assert member in names, f"the wheel lacks {member}"
            assert wheel.read(member) == (ROOT / "spec" / spec).read_bytes(), f"{member} differs from spec/{spec}"
        suite = sorted(path.name for path in (ROOT / "eloqua_conformance" / "suite").glob("test_*.py"))
        assert suite, "no eloqua_conformance/suite/test_*.py in the checkout"
        missing = [name for name in suite if f"eloqua_conformance/suite/{name}" not in names]
        assert not missing, f"the wheel lacks these suite modules: {missing}"
        entry_points_txt = next(name for name in names if re.fullmatch(r"[^/]+\.dist-info/entry_points\.txt", name))
        entry_points = configparser.ConfigParser()
        entry_points.read_string(wheel.read(entry_points_txt).decode("utf-8"))
    assert entry_points.get("console_scripts", "eloqua-conformance", fallback=None) == "eloqua_conformance.cli:main"
    assert entry_points.get("pytest11", "eloqua_conformance", fallback=None) == "eloqua_conformance.plugin"


def test_wheelhouse_has_the_runtime_dependencies_only(installed_suite: InstalledSuite) -> None:
    # The point of rebuilding the wheelhouse from the runtime closure: a test tool that the suite imports at run
    # time without declaring it (respx, junitparser, openapi-spec-validator...) is absent from the venv.
    requires = [Requirement(line) for line in wheel_metadata(installed_suite.wheel).get_all("Requires-Dist") or []]
    runtime = {canonicalize_name(req.name) for req in requires if req.marker is None or "extra" not in str(req.marker)}
    dev_only = {canonicalize_name(req.name) for req in requires if req.marker and 'extra == "dev"' in str(req.marker)}
    dev_only -= runtime
    assert {"respx", "junitparser", "openapi-spec-validator"} <= dev_only, "the dev extra changed; update this test"
    wheels = installed_suite.wheelhouse.glob("*.whl")
    housed = {canonicalize_name(parse_wheel_filename(path.name)[0]) for path in wheels}
    assert runtime <= housed, f"runtime dependencies missing from the wheelhouse: {runtime - housed}"
    assert not dev_only & housed, f"dev-only packages in the wheelhouse: {dev_only & housed}"


# --- the installed suite, run from elsewhere ------------------------------------------------
def test_installed_console_script_certifies_the_reference_mock(installed_suite: InstalledSuite, tmp_path: Path) -> None:
    cwd = _outside(tmp_path)
    where = _run(installed_suite, ["python", "-c", "import eloqua_conformance as s; print(s.__file__)"], cwd)
    assert where.returncode == 0, _explain(where)
    assert Path(where.stdout.strip()).is_relative_to(installed_suite.root), f"imported from {where.stdout.strip()}"
    script = shutil.which("eloqua-conformance", path=installed_suite.env["PATH"])
    assert script and Path(script).parent == installed_suite.bin_dir, f"eloqua-conformance on PATH is {script}"
    (cwd / "out").mkdir()
    with reference_mock(installed_suite, cwd) as mock:
        # Space-separated option values on purpose: that is how people type them.
        result = _run(installed_suite, ["eloqua-conformance", "--target-url", mock.url, "--auth", ADMIN,
                                        "--forbidden-auth", READER, "--fault-injection", "--strict",
                                        "--report-dir", "out"], cwd)  # fmt: skip
        status = mock.stop()
    assert status is not None, "the reference mock is still running"
    assert result.returncode == 0, _explain(result)
    assert "verdict: certified" in result.stdout, _explain(result)
    assert sorted(path.name for path in (cwd / "out").iterdir()) == REPORT_FILES
    assert json.loads((cwd / "out" / "conformance.json").read_text(encoding="utf-8"))["verdict"] == "certified"


def test_installed_plugin_runs_the_suite_in_plain_pytest(installed_suite: InstalledSuite, tmp_path: Path) -> None:
    cwd = _outside(tmp_path)
    (cwd / "out").mkdir()
    with reference_mock(installed_suite, cwd) as mock:
        # No test paths and no -p: the plugin comes in through its pytest11 entry point and brings the suite.
        # Every test of it runs, with the dev profile's 10 examples per property: what is under test is how
        # pytest finds the suite; the console-script test above certifies at the default profile.
        result = _run(installed_suite, ["python", "-m", "pytest", "--target-url", mock.url, "--auth", ADMIN,
                                        "--report-dir", "out", "--hypothesis-profile", "dev"], cwd)  # fmt: skip
    assert result.returncode == 0, _explain(result)
    assert sorted(path.name for path in (cwd / "out").iterdir()) == REPORT_FILES
    # Without --forbidden-auth and --fault-injection some requirements are not exercised: partial, not certified.
    verdict = json.loads((cwd / "out" / "conformance.json").read_text(encoding="utf-8"))["verdict"]
    assert verdict == "conformant-partial", _explain(result)


# --- the installed plugin stays out of other projects ---------------------------------------
_OTHER_PROJECT = {
    "pyproject.toml": """
        [project]
        name = "other-project"
        version = "1.0"

        [tool.pytest.ini_options]
        testpaths = ["tests"]
        """,
    "tests/conftest.py": """
        import pytest

        # Fixture names the suite uses too: the project's own must win.
        @pytest.fixture
        def source():
            return "the project's own source"

        @pytest.fixture
        def api():
            return "the project's own api"
        """,
    "tests/test_other.py": """
        import pytest
        from hypothesis import given, strategies as st

        def test_passes():
            assert "a" in "abc"

        def test_fails():
            pytest.fail("fails on purpose: the results with and without the suite must show one failure")

        @given(st.integers())
        def test_hypothesis(number):
            assert number + 0 == number

        def test_own_source(source):
            assert source == "the project's own source"

        def test_own_api(api):
            assert api == "the project's own api"
        """,
}
_SHORT_SUMMARY = re.compile(r"^(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (\S+)", re.MULTILINE)
_COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)")


def _other_project_results(venv: Venv, project: Path) -> tuple[int, dict[str, str], dict[str, int]]:
    """Exit status, outcome per test id and the closing line's counts of the project's own pytest run."""
    result = _run(venv, ["python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA"], project, timeout=120)
    outcomes = {test_id: outcome for outcome, test_id in _SHORT_SUMMARY.findall(result.stdout)}
    closing = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    counts = {kind: int(number) for number, kind in _COUNTS.findall(closing)}
    return result.returncode, outcomes, counts


def test_wheel_leaves_another_projects_results_unchanged(installed_suite: InstalledSuite, tmp_path: Path) -> None:
    elsewhere = _outside(tmp_path)
    # One copy of the project per run, so that the runs, side by side, share no .hypothesis or __pycache__.
    without_project, with_project = elsewhere / "without-suite", elsewhere / "with-suite"
    for project in (without_project, with_project):
        for name, text in _OTHER_PROJECT.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    # The two venvs side by side; in the suite's venv, --help after the run, which leaves it its byte code.
    with ThreadPoolExecutor(max_workers=1) as pool:
        without_run = pool.submit(_other_project_results, installed_suite.without_suite, without_project)
        with_suite = _other_project_results(installed_suite, with_project)
        help_text = _run(installed_suite, ["python", "-m", "pytest", "--help"], with_project, timeout=120)
        without = without_run.result()
    expected = {f"tests/test_other.py::test_{name}": "PASSED" for name in ("passes", "hypothesis", "own_source",
                                                                            "own_api")}  # fmt: skip
    expected["tests/test_other.py::test_fails"] = "FAILED"
    assert without == (1, expected, {"failed": 1, "passed": 4}), "the project's own run is not what this test expects"
    assert with_suite == without, "installing the suite changed another project's pytest results"

    assert help_text.returncode == 0, _explain(help_text)
    lines = help_text.stdout.splitlines()
    option = next((i for i, line in enumerate(lines) if line.lstrip().startswith("--target-url")), None)
    assert option is not None, f"pytest --help does not list --target-url:\n{help_text.stdout}"
    heading = next(line for line in reversed(lines[:option]) if line and not line[0].isspace())
    assert "conformance" in heading.lower(), f"--target-url is listed under {heading!r}"
