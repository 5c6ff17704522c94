"""`eloqua-conformance replay REPORT [--requirement ID ...] [suite options]`: run a report's failures again.

A replay runs the tests of each failed requirement once more, with the report's Hypothesis seed and
profile, against the target the options name: the fixtures create a source with the same elements,
the tests send the same requests (same seed, same generated input) with the credentials given now
(reports hold only masked ones), judge them with the same checks and clean up what they created.
It then says, per requirement, whether it still fails (with expected and actual) or now passes.
Exit 1 when one still fails, 0 when all now pass, 4 for a report with nothing to replay.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "replay_args"]

_FAILING = {"fail", "error"}


def _split(argv: Sequence[str]) -> tuple[Path | None, list[str], list[str]]:
    """The report, the requirements asked for, and the other arguments (suite options)."""
    report: Path | None = None
    wanted: list[str] = []
    rest: list[str] = []
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--requirement" and args:
            wanted.append(args.pop(0))
        elif arg.startswith("--requirement="):
            wanted.append(arg.split("=", 1)[1])
        elif report is None and not arg.startswith("-"):
            report = Path(arg)
        else:
            rest.append(arg)
    return report, wanted, rest


def replay_args(report: dict[str, Any], wanted: list[str], rest: list[str], report_dir: Path) -> list[str]:
    """The console script's arguments that run `wanted` again as the report's run did."""
    hypothesis = report.get("hypothesis", {})
    args = [f"--requirement={rid}" for rid in wanted]
    if hypothesis.get("seed") is not None:
        args.append(f"--hypothesis-seed={hypothesis['seed']}")
    if hypothesis.get("profile"):
        args.append(f"--hypothesis-profile={hypothesis['profile']}")
    if report.get("strict"):
        args.append("--strict")
    return [*args, f"--report-dir={report_dir}", *rest]


def main(argv: Sequence[str], run_suite: Callable[[list[str]], int]) -> int:
    path, wanted, rest = _split(argv)
    if path is None:
        print("usage: eloqua-conformance replay REPORT [--requirement ID ...] --target-url URL --auth CRED",
              file=sys.stderr)  # fmt: skip
        return 4
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        entries = {entry["id"]: entry for entry in old["requirements"]}
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"ERROR: {path}: not a conformance.json: {error}", file=sys.stderr)
        return 4
    failed = [rid for rid, entry in entries.items() if entry.get("outcome") in _FAILING]
    wanted = [rid.upper() for rid in wanted] or failed
    unknown = [rid for rid in wanted if rid not in entries]
    if unknown or not wanted:
        why = f"unknown requirement {', '.join(unknown)}" if unknown else "no requirement failed in it"
        print(f"ERROR: {path}: nothing to replay: {why}", file=sys.stderr)
        return 4
    for rid in wanted:
        failure = (entries[rid].get("failures") or [{}])[0]
        print(f"replaying {rid}: it was {entries[rid]['outcome']}"
              + (f" (expected {failure['expected']}; actual {failure['actual']})" if failure else ""))  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="eloqua-replay-") as scratch:
        report_dir = Path(scratch)
        status = run_suite(replay_args(old, wanted, rest, report_dir))
        new_path = report_dir / "conformance.json"
        if not new_path.is_file():
            print(f"replay: the run wrote no report (exit {status})", file=sys.stderr)
            return status or 2
        new = {entry["id"]: entry for entry in json.loads(new_path.read_text(encoding="utf-8"))["requirements"]}
    still = [rid for rid in wanted if new[rid]["outcome"] in _FAILING]
    for rid in wanted:
        entry = new[rid]
        if rid in still:
            failure = (entry.get("failures") or [{}])[0]
            detail = entry["reason"]
            if failure:
                detail = f"expected {failure.get('expected')}; actual {failure.get('actual')}"
            print(f"STILL FAILS {rid} ({entry['level']}) {entry['title']}: {detail}")
        else:
            print(f"NOW {entry['outcome'].upper():8} {rid} ({entry['level']}) {entry['title']}")
    return 1 if still else 0
