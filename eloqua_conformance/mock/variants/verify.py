"""Run the conformance suite against one embedded service in a child pytest, and read what it reported failed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["REFERENCE", "ROOT", "SEED", "SuiteRun", "failed_ids", "run_suite", "suite_command"]

ROOT = Path(__file__).resolve().parents[3]  # the checkout: kill-rate files go to its reports/
REFERENCE = "eloqua_conformance.mock:SegmentService"
# A fixed seed makes every run repeat the same generated requests, so a variant is caught or not, every time.
SEED = 2
_OUTCOME_LINE = re.compile(r"^(FAIL|ERROR)\s+([A-Z]+-\d{2}) \(", re.MULTILINE)


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


def suite_command(service: str, report_dir: Path, seed: int = SEED, profile: str | None = None) -> list[str]:
    """The child pytest's argv: the conformance tests only, strict, in-process against `service`."""
    command = [sys.executable, "-m", "pytest", "-q", "eloqua_conformance/suite", "-p", "no:cacheprovider"]
    command += ["--conformance-strict", f"--embedded-service={service}", f"--report-dir={report_dir}",
                f"--hypothesis-seed={seed}"]  # fmt: skip
    return [*command, f"--hypothesis-profile={profile}"] if profile else command


def failed_ids(report_dir: Path, output: str) -> frozenset[str]:
    """IDs with outcome fail or error: from conformance.json when written, else the terminal's conformance section."""
    report = report_dir / "conformance.json"
    if report.is_file():
        entries = json.loads(report.read_text(encoding="utf-8")).get("requirements", [])
        return frozenset(e["id"] for e in entries if e.get("outcome") in ("fail", "error"))
    return frozenset(match[1] for match in _OUTCOME_LINE.finditer(output))


def run_suite(
    service: str, report_dir: Path, seed: int = SEED, profile: str | None = None, timeout: float = 600
) -> SuiteRun:
    """Run the suite from the project root with CONFORMANCE_* cleared; fault injection is on in-process."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_")}
    started = time.monotonic()
    result = subprocess.run(
        suite_command(service, report_dir, seed, profile),
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    return SuiteRun(service, result.returncode, failed_ids(report_dir, output), time.monotonic() - started, output)
