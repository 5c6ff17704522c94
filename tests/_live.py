"""Helpers of the live self-tests: the suite as a child pytest against real servers on 127.0.0.1."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from eloqua_conformance.mock import Request, Response, SegmentService, default_config

__all__ = ["AUTH", "FORBIDDEN", "ROOT", "SUBSET", "Finished", "Recording", "Seen", "child_env", "run_cli", "run_suite",
           "side_by_side", "start_suite", "store", "wait_for"]  # fmt: skip

ROOT = Path(__file__).resolve().parents[1]
_ADMIN = next(identity for identity in default_config().identities if identity.can_create)
_READER = next(identity for identity in default_config().identities if not identity.can_create)
AUTH = f"basic:{_ADMIN.login}:{_ADMIN.password}"
FORBIDDEN = f"basic:{_READER.login}:{_READER.password}"
# A part of the suite that creates sources and copies and takes well under a second against the mock.
SUBSET = ("eloqua_conformance/suite/test_authn.py", "eloqua_conformance/suite/test_sem.py")
_ID = re.compile(r"/segment/([^/]+)(/copy)?$", re.IGNORECASE)


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment without the suite's own variables or PYTEST_ADDOPTS, plus `extra`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_") and k != "PYTEST_ADDOPTS"}
    return {**clean, **(extra or {})}


def _command(args: tuple[str, ...], profile: str | None = "dev") -> list[str]:
    chosen = [f"--hypothesis-profile={profile}"] if profile else []
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *chosen, *args]


@dataclass
class Finished:
    """A finished child run: exit status, output, wall time."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def tail(self) -> str:
        return f"exit {self.returncode} after {self.seconds:.1f} s\n{self.stdout[-3000:]}\n{self.stderr[-2000:]}"


def run_suite(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120, profile: str | None = "dev"
) -> Finished:
    """Run the suite in a child pytest from the project root (CONFORMANCE_* cleared) and wait for it.

    `profile` is passed as --hypothesis-profile (None: not passed, so PYTEST_ADDOPTS or addopts may set it).
    """
    started = time.monotonic()
    done = subprocess.run(_command(args, profile), cwd=ROOT, env=child_env(env), capture_output=True, text=True,
                          timeout=timeout)  # fmt: skip
    return Finished(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120) -> Finished:
    """Run `python -m eloqua_conformance ARGS` (the console script, dev profile) from `cwd` and wait for it."""
    started = time.monotonic()
    # After a subcommand's name (replay), before everything else: the profile goes to the run either way.
    at = 1 if args[:1] == ("replay",) else 0
    command = [sys.executable, "-m", "eloqua_conformance", *args[:at], "--hypothesis-profile=dev", *args[at:]]
    done = subprocess.run(command, cwd=cwd, env=child_env(env), capture_output=True, text=True, timeout=timeout)
    return Finished(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


def start_suite(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start the suite in a child pytest; read its output with communicate()."""
    return subprocess.Popen(_command(args), cwd=ROOT, env=child_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def wait_for(condition, timeout: float, what: str) -> None:
    """Poll `condition` until true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.005)


def store(service: SegmentService) -> dict[str, object]:
    """Every stored segment, by id: what "the store is as it was" compares."""
    return {segment_id: service.get(segment_id) for segment_id in service.segment_ids()}


@dataclass(frozen=True)
class Seen:
    """One request a server answered: when it arrived (monotonic), what it was, what it got."""

    at: float
    method: str
    path: str
    status: int
    body: bytes = b""

    @property
    def segment_id(self) -> str | None:
        """The id in the path of a segment request (retrieve, delete, copy), else None."""
        found = _ID.search(self.path)
        if not found:
            return None
        # The mock reads 0001 as segment 1; so must anything that checks which segment a request touched.
        return str(int(found.group(1))) if found.group(1).isdigit() else found.group(1)

    @property
    def is_copy(self) -> bool:
        return self.method == "POST" and self.path.lower().endswith("/copy")


@dataclass
class _Log:
    lock: threading.Lock = field(default_factory=threading.Lock)
    seen: list[Seen] = field(default_factory=list)


class Recording(SegmentService):
    """The reference mock, keeping every request it answered (a test reads `seen`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._log = _Log()

    def handle(self, request: Request) -> Response:
        arrived = time.monotonic()
        response = self.answer(request)
        with self._log.lock:
            self._log.seen.append(Seen(arrived, request.method, request.path, response.status, response.body))
        return response

    def answer(self, request: Request) -> Response:
        """The response; a variant overrides this, so the log holds what the client really got."""
        return super().handle(request)

    @property
    def seen(self) -> list[Seen]:
        with self._log.lock:
            return list(self._log.seen)

    def copies_created(self) -> int:
        return sum(1 for seen in self.seen if seen.is_copy and seen.status == 201)


@contextmanager
def side_by_side(jobs: dict[str, Callable[[], object]], workers: int = 2) -> Iterator[dict[str, Future]]:
    """Start independent child runs at once; a test reads its own with `.result()` (which re-raises).

    Each run spends most of its time starting pytest, on one core; the machine has two.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield {name: pool.submit(job) for name, job in jobs.items()}
