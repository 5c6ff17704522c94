"""The suite as a team installs it: the project's wheel in a fresh virtual environment, built and installed offline.

`installed_suite` (session-scoped) builds the wheel from this checkout, reconstructs a wheelhouse of its *runtime*
dependency closure from the distributions installed here, and creates two venvs from that wheelhouse: one with
the wheel, one with only its dependencies (to compare another project's pytest run with and without the plugin).
Nothing is fetched and nothing is cached across sessions. Import it as `from _installed import installed_suite`.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "eloqua-conformance"
PIP_TIMEOUT = 300  # seconds for one pip command; an offline install of the whole closure takes a few
MOCK_START_TIMEOUT = 30  # seconds the reference mock gets to print its banner

# Left out of the copy the wheel is built from: VCS data, build output and caches. A stale build/lib in
# particular would leak files deleted from the package into the wheel (setuptools reuses it).
_NOT_SOURCE = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".venv", "venv",
                                     ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".schemathesis",
                                     ".node", "node_modules")  # fmt: skip
# Written by the installer, not part of a distribution: a repacked wheel must not carry them.
_INSTALLER_FILES = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}
_BANNER = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


@dataclass(frozen=True)
class Venv:
    """A virtual environment and the environment variables to run its commands with, offline."""

    root: Path
    wheelhouse: Path

    @property
    def bin_dir(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> Path:
        return self.bin_dir / "python"

    @property
    def env(self) -> dict[str, str]:
        return venv_environment(self.root, self.wheelhouse)


@dataclass(frozen=True)
class InstalledSuite(Venv):
    """The venv with the suite's wheel installed; `without_suite` has the same dependencies but not the wheel."""

    wheel: Path
    without_suite: Venv
    seconds: dict[str, float] = field(default_factory=dict)  # how long each set-up stage took


def venv_environment(venv: Path, wheelhouse: Path) -> dict[str, str]:
    """The parent's environment, with the venv first on PATH and nothing that would steer the suite or pip."""
    env = {
        key: value
        for key, value in os.environ.items()
        # CONFORMANCE_* and PYTEST_ADDOPTS would configure the run under test; PYTHONPATH/PYTHONHOME would let
        # the checkout or the parent's packages in; the parent's PIP_* point at other package sources.
        if not key.startswith(("CONFORMANCE_", "PIP_"))
        and key not in {"PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
        # A team's CI writes byte code. Inherited, PYTHONDONTWRITEBYTECODE would have every process here compile
        # again each module it imports, and pytest rewrite each plugin again: seconds per process. What is
        # written goes into these throwaway venvs (the interpreter's own library comes compiled).
        and key != "PYTHONDONTWRITEBYTECODE"
    }
    env["PATH"] = os.pathsep.join([str(venv / "bin"), os.environ.get("PATH", os.defpath)])
    env["VIRTUAL_ENV"] = str(venv)
    env["PIP_NO_INDEX"] = "1"
    env["PIP_FIND_LINKS"] = str(wheelhouse)
    env["PIP_CONFIG_FILE"] = os.devnull  # the machine's pip.conf adds indexes, find-links and constraints
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(argv: list[str | Path], *, env: dict[str, str] | None = None, cwd: Path | None = None,
        timeout: float = PIP_TIMEOUT) -> str:  # fmt: skip
    """Run a set-up command and return its stdout; on failure, fail the test with its output."""
    args = [str(arg) for arg in argv]
    result = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {result.returncode}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


# --- the wheel ----------------------------------------------------------------------------
# PEP 517's build_wheel hook of the backend named in pyproject.toml, in the source tree (argv: backend, out dir).
_BUILD_WHEEL = """
import importlib, sys
module, _, attributes = sys.argv[1].partition(":")
backend = importlib.import_module(module)
for attribute in filter(None, attributes.split(".")):
    backend = getattr(backend, attribute)
print(backend.build_wheel(sys.argv[2]))
"""


def build_wheel(repo: Path, work: Path) -> Path:
    """Build the project's wheel offline, from a copy of the checkout so the build writes nothing into it."""
    source = work / "source"
    shutil.copytree(repo, source, symlinks=True, ignore=_NOT_SOURCE)  # symlinks: eloqua_conformance/spec -> ../spec
    out = work / "dist"
    out.mkdir()
    build_system = tomllib.loads((source / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    assert "backend-path" not in build_system, "an in-tree backend: build_wheel does not put it on sys.path"
    # The hook `pip wheel --no-build-isolation` ends up calling, in a process of its own in the source tree as pip
    # runs it, without pip's start-up and wheel cache around it (1.2 s against 0.4 s). No build isolation: that
    # would fetch setuptools; the dev extra installs it here.
    # -P: the source tree is the working directory, not a place to import from.
    name = run([sys.executable, "-P", "-c", _BUILD_WHEEL, build_system["build-backend"], out], cwd=source)
    wheels = list(out.glob("*.whl"))
    assert [wheel.name for wheel in wheels] == [name.strip().splitlines()[-1]], f"the build made {wheels}"
    return wheels[0]


def wheel_metadata(wheel: Path) -> Message:
    """The METADATA of a wheel, parsed like importlib.metadata parses an installed one."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        text = archive.read(name).decode("utf-8")
    return HeaderParser().parsestr(text)


def runtime_requirements(wheel: Path) -> list[Requirement]:
    """The wheel's Requires-Dist that apply with no extra requested: what `pip install <wheel>` pulls in."""
    requirements = [Requirement(line) for line in wheel_metadata(wheel).get_all("Requires-Dist") or []]
    return [req for req in requirements if _applies(req, set())]


# --- the wheelhouse -----------------------------------------------------------------------
def _applies(requirement: Requirement, extras: set[str]) -> bool:
    """Whether a requirement holds on this interpreter when the depending distribution is asked for `extras`."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in {"", *extras})


def dependency_closure(requirements: Iterable[Requirement]) -> list[metadata.Distribution]:
    """The installed distributions that satisfy `requirements`, recursively, honouring extras and markers."""
    found: dict[str, metadata.Distribution] = {}
    extras_of: dict[str, set[str]] = {}
    pending = list(requirements)
    while pending:
        requirement = pending.pop()
        name = canonicalize_name(requirement.name)
        if name == canonicalize_name(PROJECT):
            continue
        try:
            dist = found[name] if name in found else metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"runtime dependency {requirement} is not installed here, so no offline wheelhouse has it")
        if not requirement.specifier.contains(dist.version, prereleases=True):
            pytest.fail(f"runtime dependency {requirement}: {dist.version} is installed here")
        new_extras = set(requirement.extras) - extras_of.get(name, set())
        if name in found and not new_extras:
            continue
        found[name] = dist
        extras_of[name] = extras_of.get(name, set()) | new_extras
        # Re-walk the distribution's requirements whenever an extra is added: it may switch more on.
        pending += [req for req in map(Requirement, dist.requires or []) if _applies(req, extras_of[name])]
    return sorted(found.values(), key=lambda dist: canonicalize_name(dist.metadata["Name"]))


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")


def _wheel_tags(wheel_file: str) -> str:
    """The compressed tag set of a filename (py2.py3-none-any) from the Tag lines of a dist-info WHEEL file."""
    tags = [line.split(":", 1)[1].strip().split("-") for line in wheel_file.splitlines() if line.startswith("Tag:")]
    assert tags, "dist-info WHEEL file without a Tag line"
    return "-".join(".".join(dict.fromkeys(tag[part] for tag in tags)) for part in range(3))


def repack(dist: metadata.Distribution, out: Path) -> Path:
    """Zip an installed distribution's files back into a wheel, with its own tags and a regenerated RECORD."""
    name, version = dist.metadata["Name"], dist.version
    if dist.files is None:
        pytest.fail(f"{name} {version} is installed without a file list (RECORD), so it cannot be repacked")
    wheel_file = dist.read_text("WHEEL")
    if wheel_file is None:
        pytest.fail(f"{name} {version} was not installed from a wheel (no dist-info WHEEL file)")
    dist_info = next(f.parts[0] for f in dist.files if f.parts[0].endswith(".dist-info"))
    path = out / f"{re.sub(r'[-_.]+', '_', name)}-{version.replace('-', '_')}-{_wheel_tags(wheel_file)}.whl"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    # ZIP_STORED: these wheels live for one session, so compressing them is only time spent.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for file in dist.files:
            # Outside site-packages ("../../../bin/..."): console scripts, which pip regenerates from
            # entry_points.txt. Byte code is regenerated too, and the installer's own files are not the wheel's.
            if file.parts[0] == ".." or "__pycache__" in file.parts or file.suffix == ".pyc":
                continue
            if file.parts[0] == dist_info and file.name in _INSTALLER_FILES:
                continue
            data = Path(str(dist.locate_file(file))).read_bytes()
            archive.writestr(file.as_posix(), data)
            writer.writerow([file.as_posix(), _record_hash(data), len(data)])
        writer.writerow([f"{dist_info}/RECORD", "", ""])
        archive.writestr(f"{dist_info}/RECORD", record.getvalue())
    return path


def build_wheelhouse(requirements: list[Requirement], out: Path) -> Path:
    """A directory of wheels of the installed closure of `requirements`, for `pip install --no-index`."""
    out.mkdir(parents=True)
    for dist in dependency_closure(requirements):
        repack(dist, out)
    return out


# --- the venvs ----------------------------------------------------------------------------
def install(venv: Venv, requirements: list[str | Path], *, pip_of: Path | None = None) -> None:
    """`pip install` `requirements` into `venv` from the wheelhouse alone: with the venv's own pip, or `pip_of`'s."""
    if pip_of is None:
        argv: list[str | Path] = [venv.python, "-m", "pip"]
        env = venv.env
    else:  # pip >= 22.3 (as every Python 3.11 bundles) installs into another interpreter's environment
        argv = [pip_of, "-m", "pip", "--python", venv.python]
        env = {**venv.env, "PYTHONDONTWRITEBYTECODE": "1"}  # that interpreter's tree is not a throwaway one
    # --no-compile: byte code is written on first import anyway, and compiling every file costs seconds here.
    run([*argv, "install", "--no-compile", "-q", *requirements], env=env)


def create_venv_with_pip(root: Path, wheelhouse: Path, out: Path) -> Venv:
    """A new venv with this interpreter's pip in it, as a team's CI has pip (the GitLab job runs it).

    Not through ensurepip, which runs pip from a zip (no byte code can be cached for it), then compiles all of pip:
    3.4 CPU s. This interpreter's own pip, repacked into a wheel like the dependencies and installed with itself,
    is the same pip for 0.9 s.
    """
    run([sys.executable, "-m", "venv", "--without-pip", root])
    out.mkdir()
    pip_wheel = repack(metadata.distribution("pip"), out)
    install(Venv(root, out), [pip_wheel], pip_of=Path(sys.executable))  # out, not the wheelhouse: pip is no dependency
    return Venv(root, wheelhouse)


@contextmanager
def _timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    start = time.monotonic()
    yield
    seconds[stage] = round(time.monotonic() - start, 1)


@functools.cache
def _set_up(session_temp: Path) -> InstalledSuite:
    """Build and install once per session (keyed by its temporary directory), whichever module asks first."""
    work = Path(tempfile.mkdtemp(prefix="installed-suite-", dir=session_temp))
    seconds: dict[str, float] = {}
    wheelhouse = work / "wheelhouse"
    with ThreadPoolExecutor(max_workers=2) as pool:  # two cores: side by side
        with _timed(seconds, "venvs, wheel and wheelhouse"):
            # The suite's venv gets its pip while the wheel is built. The other venv needs none: it only runs pytest.
            made = pool.submit(create_venv_with_pip, work / "venv", wheelhouse, work / "pip")
            bare = Venv(work / "venv-without-suite", wheelhouse)
            run([sys.executable, "-m", "venv", "--without-pip", bare.root])
            wheel = build_wheel(ROOT, work)
            requirements = runtime_requirements(wheel)
            build_wheelhouse(requirements, wheelhouse)
            venv = made.result()
        with _timed(seconds, "installs"):
            with_suite = pool.submit(install, venv, [wheel])  # the venv's own pip, as a team's `pip install`
            dependencies: list[str | Path] = [str(requirement) for requirement in requirements]
            without_suite = pool.submit(install, bare, dependencies, pip_of=Path(sys.executable))
            with_suite.result()
            without_suite.result()
    return InstalledSuite(venv.root, venv.wheelhouse, wheel=wheel, without_suite=bare, seconds=seconds)


@pytest.fixture(scope="session")
def installed_suite(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> InstalledSuite:
    """The suite's wheel installed into a fresh venv from an offline wheelhouse of its runtime dependencies."""
    # Each module that imports this fixture gets a fixture of its own, session scope or not; the cache above
    # is what makes them share one wheel and one pair of venvs.
    installed = _set_up(tmp_path_factory.getbasetemp())
    # Some 150 MB in 6,000 files once set up (the runs' byte code adds more): gone once the session passed, kept
    # for a look when something failed. Left to pytest, they would be deleted at the exit of some later session
    # (it keeps three), slowing that down.
    request.addfinalizer(lambda: remove_if_passed(request.session, installed.root.parent))
    return installed


def remove_if_passed(session: pytest.Session, path: Path) -> None:
    """Delete `path` if no test of the session has failed so far."""
    if session.testsfailed == 0:
        shutil.rmtree(path, ignore_errors=True)


# --- the reference mock, from a venv ------------------------------------------------------
@dataclass
class MockServer:
    """A reference mock started from a venv; `stop()` ends it and returns its exit status."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self, timeout: float = 10) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"the reference mock did not stop within {timeout} s of SIGTERM")
        return self.process.returncode


@contextmanager
def reference_mock(venv: Venv, cwd: Path) -> Iterator[MockServer]:
    """`python -m eloqua_conformance.mock --port 0` from `venv`, on 127.0.0.1; stopped however the block ends."""
    log = cwd / "mock-server.log"
    with log.open("wb") as out:  # a file, not a pipe: a pipe nobody reads would block the server when full
        process = subprocess.Popen([str(venv.python), "-m", "eloqua_conformance.mock", "--port", "0",
                                    "--log-level", "warning"], cwd=cwd, env=venv.env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
    try:
        server = MockServer(process, _wait_for_banner(process, log), log)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_banner(process: subprocess.Popen[bytes], log: Path) -> str:
    """The URL from the mock's first line, `Eloqua reference mock listening on http://127.0.0.1:PORT`."""
    deadline = time.monotonic() + MOCK_START_TIMEOUT
    while time.monotonic() < deadline:
        first = log.read_text(encoding="utf-8", errors="replace").partition("\n")
        if first[1]:  # a complete first line
            if match := _BANNER.search(first[0]):
                return match.group(1)
            with suppress(subprocess.TimeoutExpired):
                process.wait(5)  # most likely a traceback: let it be written whole
            pytest.fail(f"the reference mock's first line is not its banner:\n{log.read_text()}")
        if process.poll() is not None:
            pytest.fail(f"the reference mock exited {process.returncode} before listening:\n{log.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"the reference mock printed no banner within {MOCK_START_TIMEOUT} s:\n{log.read_text()}")
