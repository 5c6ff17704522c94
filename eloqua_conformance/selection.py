"""Which requirements a run selects: --requirement/--skip-requirement, and -k, -m, --lf or test paths.

Each conformance test carries `@pytest.mark.requirement(ID, ...)`; here every such test also gets its IDs
as keywords (so `-k AUTHN-02` works) and its levels and areas as markers (so `-m must`, `-m authn` work).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eloqua_conformance.activation import suite_dir
from eloqua_conformance.catalogue import area_titles, requirement, requirements
from eloqua_conformance.settings import Settings

__all__ = ["left_out", "marker_lines", "requirement_ids", "select", "tag"]


def requirement_ids(item: pytest.Item) -> tuple[str, ...]:
    return tuple(rid for marker in item.iter_markers("requirement") for rid in marker.args)


def marker_lines() -> list[str]:
    """The markers a conformance run registers."""
    lines = ["requirement(*ids): catalogue requirements the test proves",
             "whole_run: examines every exchange of the run, so it runs last",
             "must: proves a MUST requirement", "should: proves a SHOULD requirement"]  # fmt: skip
    areas = [f"{code.lower()}: proves a requirement of area {code} ({title})" for code, title in area_titles().items()]
    return lines + areas


def tag(items: list[pytest.Item]) -> None:
    """Give each test its requirement IDs as keywords and its levels and areas as markers."""
    known = {entry.id for entry in requirements()}
    for item in items:
        ids = requirement_ids(item)
        for rid in ids:
            if rid not in known:
                raise pytest.UsageError(f"{item.nodeid}: unknown requirement {rid!r} in its marker")
            entry = requirement(rid)
            item.extra_keyword_matches.add(rid)
            item.add_marker(entry.level.lower())
            item.add_marker(entry.area.lower())


def select(config: pytest.Config, items: list[pytest.Item], settings: Settings) -> None:
    """Deselect the tests that --requirement and --skip-requirement leave out."""
    if settings.selected is None and not settings.skipped:
        return
    chosen = settings.selected if settings.selected is not None else frozenset(e.id for e in requirements())
    chosen -= settings.skipped
    keep = [item for item in items if set(requirement_ids(item)) & chosen]
    dropped = [item for item in items if item not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def left_out(config: pytest.Config, collected: frozenset[str], deselected: int) -> list[str]:
    """Why this run does not run the whole suite (empty: it does); `collected` are the collected tests' files."""
    reasons = [f"{deselected} test(s) deselected"] if deselected else []
    suite = suite_dir()
    modules = {Path(path).resolve() for path in collected}
    missing = sorted(path.name for path in suite.glob("test_*.py") if path.resolve() not in modules)
    if missing:
        reasons.append(f"test modules not run: {', '.join(missing)}")
    narrowed = [arg for arg in config.args if "::" in arg]
    if narrowed:
        reasons.append(f"only some tests named: {', '.join(narrowed)}")
    return reasons
