"""Run the conformance suite against embedded services in child pytests, and read what each reported failed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REFERENCE", "ROOT", "SEED", "Runner", "SuiteRun", "failed_ids", "run_suite", "run_suites", "suite_args",
           "suite_command"]  # fmt: skip

ROOT = Path(__file__).resolve().parents[3]  # the checkout: kill-rate files go to its reports/
REFERENCE = "eloqua_conformance.mock:SegmentService"
# A fixed seed makes every run repeat the same generated requests, so a variant is caught or not, every time.
SEED = 2
_OUTCOME_LINE = re.compile(r"^(FAIL|ERROR)\s+([A-Z]+-\d{2}) \(", re.MULTILINE)
# Starts `python -m pytest ARGS` from the checkout (CONFORMANCE_* cleared) and waits: its exit status and output.
Runner = Callable[[Sequence[str], float], tuple[int, str]]


@dataclass(frozen=True)
class SuiteRun:
    """One strict run of the suite against an embedded service."""

    service: str
    returncode: int
    failed: frozenset[str]  # requirement IDs reported fail or error
    seconds: float
    output: str

    @property
    def caught(self) -> bool:
        return self.returncode == 1 and bool(self.failed)


def suite_args(service: str, report_dir: Path, seed: int = SEED, profile: str | None = None) -> list[str]:
    """The child pytest's arguments: the conformance tests only, strict, in-process against `service`."""
    args = ["-q", "eloqua_conformance/suite", "-p", "no:cacheprovider", "--conformance-strict",
            f"--embedded-service={service}", f"--report-dir={report_dir}", f"--hypothesis-seed={seed}"]  # fmt: skip
    return [*args, f"--hypothesis-profile={profile}"] if profile else args


def suite_command(service: str, report_dir: Path, seed: int = SEED, profile: str | None = None) -> list[str]:
    """The child pytest's argv, for a process of its own."""
    return [sys.executable, "-m", "pytest", *suite_args(service, report_dir, seed, profile)]


def failed_ids(report_dir: Path, output: str) -> frozenset[str]:
    """IDs with outcome fail or error: from conformance.json when written, else the terminal's conformance section."""
    report = report_dir / "conformance.json"
    if report.is_file():
        entries = json.loads(report.read_text(encoding="utf-8")).get("requirements", [])
        return frozenset(e["id"] for e in entries if e.get("outcome") in ("fail", "error"))
    return frozenset(match[1] for match in _OUTCOME_LINE.finditer(output))


def _in_a_process(args: Sequence[str], timeout: float) -> tuple[int, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_")}
    result = subprocess.run([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=environment, capture_output=True,
                            text=True, timeout=timeout, check=False)  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def run_suite(
    service: str,
    report_dir: Path,
    seed: int = SEED,
    profile: str | None = None,
    timeout: float = 600,
    runner: Runner | None = None,
) -> SuiteRun:
    """Run the suite from the project root with CONFORMANCE_* cleared; fault injection is on in-process.

    By default the child is a process of its own (start-up included in `seconds`); `runner` may start it
    another way, such as the self-tests' forks of a warm process.
    """
    started = time.monotonic()
    returncode, output = (runner or _in_a_process)(suite_args(service, report_dir, seed, profile), timeout)
    return SuiteRun(service, returncode, failed_ids(report_dir, output), time.monotonic() - started, output)


def run_suites(
    services: Mapping[str, str],
    base: Path,
    seed: int = SEED,
    profile: str | None = None,
    workers: int = 2,
    timeout: float = 600,
    runner: Runner | None = None,
) -> dict[str, SuiteRun]:
    """One run per named service, `workers` at a time (each is CPU-bound), reports in `base`/NAME."""
    with ThreadPoolExecutor(max(1, workers)) as pool:
        done = pool.map(lambda name: run_suite(services[name], base / name, seed, profile, timeout, runner), services)
        return dict(zip(services, done, strict=True))
