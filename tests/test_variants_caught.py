"""Every broken variant of the reference mock is caught, with exactly the requirement IDs it declares.

The suite runs in a child pytest per variant (strict, in-process, fixed Hypothesis seed, the default `ci`
budget of 30 examples per property test), two at a time; the reference mock must be certified. The kill
rate goes to reports/kill-rate.json.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.mock import SegmentService
from eloqua_conformance.mock.variants import PROPERTY_ONLY, VARIANTS, violations
from eloqua_conformance.mock.variants.verify import REFERENCE, ROOT, SEED, SuiteRun, run_suite

_WORKERS = min(2, os.cpu_count() or 1)  # each child is CPU-bound: more than the cores only queues
_REFERENCE = "reference"
KILL_RATE = ROOT / "reports" / "kill-rate.json"
_WALL = pytest.StashKey[float]()  # wall time of all the runs
_VERDICT_LINE = re.compile(r"^(FAIL|ERROR)\s+[A-Z]+-\d{2} |^verdict: ")


def _service(name: str) -> str:
    return REFERENCE if name == _REFERENCE else f"eloqua_conformance.mock.variants:{name}"


def _wanted(session: pytest.Session) -> list[str]:
    """The runs the selected tests need: all of them for the kill rate, else the reference and chosen variants."""
    here = [item for item in session.items if item.path == Path(__file__) and "runs" in item.fixturenames]
    if any(item.name == "test_kill_rate_is_100_percent" for item in here):
        return [_REFERENCE, *VARIANTS]
    chosen = {item.callspec.params["name"] for item in here if hasattr(item, "callspec")}
    reference = [_REFERENCE] if any(item.name == "test_reference_mock_is_certified" for item in here) else []
    return [*reference, *(name for name in VARIANTS if name in chosen)]


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[dict[str, SuiteRun]]:
    """One strict suite run per variant (and the reference), `_WORKERS` at a time; also the wall time."""
    names = _wanted(request.session)
    started = time.monotonic()
    # Not tmp_path_factory: concurrent pytest sessions of the same user prune each other's numbered base dirs.
    with tempfile.TemporaryDirectory(prefix="variants-") as base, ThreadPoolExecutor(_WORKERS) as pool:
        done = pool.map(lambda name: run_suite(_service(name), Path(base, name)), names)
        results = dict(zip(names, done, strict=True))
    request.config.stash[_WALL] = time.monotonic() - started
    yield results


def _explain(name: str, run: SuiteRun, declared: frozenset[str]) -> str:
    lines = [f"{name}: exit {run.returncode}; declared {sorted(declared)}, reported {sorted(run.failed)}"]
    if declared - run.failed:
        lines.append(f"  not reported: {sorted(declared - run.failed)}")
    if run.failed - declared:
        lines.append(f"  reported but not declared: {sorted(run.failed - declared)}")
    if name in PROPERTY_ONLY:
        lines.append("  (found by generated input only: the seed, the budget, and the short string literals of the "
                     "package, which Hypothesis mines for constants, decide that input)")  # fmt: skip
    verdicts = [line for line in run.output.splitlines() if _VERDICT_LINE.match(line)]
    return "\n".join([*lines, *verdicts] if verdicts else [*lines, run.output[-3000:]])


def test_reference_mock_is_certified(runs: dict[str, SuiteRun]) -> None:
    run = runs[_REFERENCE]
    if (run.returncode, run.failed) != (0, frozenset()):
        pytest.fail(_explain(_REFERENCE, run, frozenset()), pytrace=False)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_is_caught_with_exactly_its_declared_ids(runs: dict[str, SuiteRun], name: str) -> None:
    run, declared = runs[name], violations(name)
    if run.returncode != 1 or run.failed != declared:
        pytest.fail(_explain(name, run, declared), pytrace=False)


def test_kill_rate_is_100_percent(
    runs: dict[str, SuiteRun], pytestconfig: pytest.Config, capsys: pytest.CaptureFixture[str]
) -> None:
    caught = [name for name in VARIANTS if runs[name].caught]
    exact = [name for name in VARIANTS if runs[name].caught and runs[name].failed == violations(name)]
    wall = pytestconfig.stash[_WALL]
    summary = {
        "kill_rate": len(caught) / len(VARIANTS),
        "caught": len(caught),
        "variants": len(VARIANTS),
        "exactly_as_declared": len(exact),
        "survivors": sorted(set(VARIANTS) - set(caught)),
        "hypothesis_seed": SEED,
        "hypothesis_profile": "ci (30 examples per property test, 8 state-machine steps)",
        "parallel_runs": _WORKERS,
        "wall_seconds": round(wall, 1),
        "runs": {
            name: {"declared": sorted(violations(name)) if name in VARIANTS else [], "reported": sorted(run.failed),
                   "exit": run.returncode, "seconds": round(run.seconds, 1)}
            for name, run in runs.items()
        },
    }  # fmt: skip
    KILL_RATE.parent.mkdir(exist_ok=True)
    KILL_RATE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nkill rate {len(caught)}/{len(VARIANTS)} = {summary['kill_rate']:.0%} "
              f"({len(exact)} with exactly the declared IDs), {len(runs)} suite runs in {wall:.0f} s, "
              f"{_WORKERS} at a time, seed {SEED}; written to {KILL_RATE.relative_to(ROOT)}")  # fmt: skip
    if summary["survivors"]:
        pytest.fail(f"survivors: {', '.join(summary['survivors'])}", pytrace=False)


def test_declared_ids_cover_every_catalogue_requirement() -> None:
    catalogue = {entry.id for entry in requirements()}
    declared = set().union(*(violations(name) for name in VARIANTS))
    assert declared - catalogue == set(), "declared IDs that are not in the catalogue"
    assert catalogue - declared == set(), "requirements no variant breaks"


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_overrides_one_public_decision_and_says_what_it_breaks(name: str) -> None:
    cls = VARIANTS[name]
    assert cls.__bases__ == (SegmentService,), "a variant is a direct subclass of the reference mock"
    decisions = {n for n, member in inspect.getmembers(SegmentService, inspect.isfunction) if not n.startswith("_")}
    overridden = {n for n, member in vars(cls).items() if inspect.isfunction(member) and not n.startswith("_")}
    assert len(overridden) == 1 and overridden <= decisions, f"overrides {sorted(overridden)}"
    assert cls.__doc__ and violations(name), "a docstring saying what it breaks, and the IDs it violates"
