"""`eloqua-conformance diff OLD.json NEW.json`: the requirements whose outcome changed between two runs.

Exit 1 when a requirement that passed in OLD fails (or errors) in NEW, so CI can gate on regressions
rather than on the absolute verdict; 0 otherwise; 4 when a file is not a conformance report.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Change", "changes", "main"]

_FAILING = {"fail", "error"}


@dataclass(frozen=True)
class Change:
    """One requirement whose outcome differs between the two runs."""

    id: str
    level: str
    title: str
    old: str  # outcome in the old run, or "absent"
    new: str
    detail: str  # the new failure's expected/actual, or the new reason

    @property
    def regression(self) -> bool:
        return self.old == "pass" and self.new in _FAILING

    @property
    def order(self) -> tuple[int, str]:
        """Newly failing first, then any other change to failing, then the rest."""
        return (0 if self.regression else 1 if self.new in _FAILING else 2, self.id)


def _load(path: Path) -> dict[str, Any]:
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: cannot read a conformance report: {error}") from None
    if not isinstance(report, dict) or not str(report.get("format", "")).startswith("eloqua-conformance-report/"):
        raise ValueError(f"{path}: not a conformance.json (no eloqua-conformance-report format)")
    return report


def _detail(entry: dict[str, Any]) -> str:
    failures = entry.get("failures") or []
    if failures:
        return f"expected {failures[0].get('expected')}; actual {failures[0].get('actual')}"
    return str(entry.get("reason") or "")


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every requirement whose outcome differs, in the order they should be read."""
    before = {entry["id"]: entry for entry in old.get("requirements", [])}
    found = []
    for entry in new.get("requirements", []):
        was = before.get(entry["id"], {}).get("outcome", "absent")
        if was != entry["outcome"]:
            found.append(Change(entry["id"], entry["level"], entry["title"], was, entry["outcome"], _detail(entry)))
    return sorted(found, key=lambda change: change.order)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2:
        print("usage: eloqua-conformance diff OLD.json NEW.json", file=sys.stderr)
        return 4
    try:
        old, new = (_load(Path(arg)) for arg in argv)
    except ValueError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 4
    found = changes(old, new)
    print(f"verdict: {old.get('verdict')} -> {new.get('verdict')}; {len(found)} requirement(s) changed outcome")
    for change in found:
        mark = "REGRESSED" if change.regression else "CHANGED"
        print(f"{mark:10} {change.id} ({change.level}) {change.title}: {change.old} -> {change.new}")
        if change.new in _FAILING and change.detail:
            print(f"           {change.detail}")
    regressions = sum(change.regression for change in found)
    if regressions:
        print(f"{regressions} requirement(s) passed before and fail now")
    return 1 if regressions else 0
