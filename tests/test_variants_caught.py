"""Every broken variant of the reference mock is caught, with exactly the requirement IDs it declares.

The suite runs once per variant (strict, in-process, fixed Hypothesis seed), each in a child forked from the warm
process of tests/_live.py; the reference mock must be certified. The runs use the smallest budget, `dev`
(tests/_live.py's VARIANTS_PROFILE): a variant caught there does not need the luck of a larger one; .ci/run runs
them at the default `ci` budget as well, so that CI also holds every variant to exactly its IDs there. The runs
start in the background as soon as collection is over (tests/_live.py's Batch). The kill rate goes to
reports/kill-rate.json. A few runs are repeated in processes of their own, and must report exactly what their
forked twins report.
"""

from __future__ import annotations

import inspect
import json
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from _live import BACKGROUND_NICENESS, VARIANTS_PROFILE, Batch, run_pytest, start_early

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.mock import SegmentService
from eloqua_conformance.mock.variants import PROPERTY_ONLY, VARIANTS, as_declared, violations
from eloqua_conformance.mock.variants.verify import REFERENCE, ROOT, SEED, SuiteRun, run_suite
from eloqua_conformance.profiles import PROFILES

# tests/_live.py as a plugin of the session: its pytest_collection_finish starts this module's runs early.
pytest_plugins = ["_live"]

_REFERENCE = "reference"
# Repeated in processes of their own. The property-only variants are caught by generated input alone, so a
# child that generated other input than a fresh process would show there first.
_SEPARATE = (_REFERENCE, *sorted(PROPERTY_ONLY)[:2])
KILL_RATE = ROOT / "reports" / "kill-rate.json"
_VERDICT_LINE = re.compile(r"^(FAIL|ERROR)\s+[A-Z]+-\d{2} |^verdict: ")


def _service(name: str) -> str:
    return REFERENCE if name == _REFERENCE else f"eloqua_conformance.mock.variants:{name}"


def _runner(children: str) -> object:
    def run(args: Sequence[str], timeout: float) -> tuple[int, str]:
        finished = run_pytest(args, timeout=timeout, children=children, niceness=BACKGROUND_NICENESS)
        return finished.returncode, finished.output

    return run


@dataclass(frozen=True)
class Runs:
    """This module's suite runs: forked ones by name, the repetitions in processes of their own, the wall time."""

    forked: dict[str, SuiteRun]
    separate: dict[str, SuiteRun]
    base: Path  # reports of forked run NAME are in base/NAME, of its repetition in base/separate/NAME
    seconds: float

    def __getitem__(self, name: str) -> SuiteRun:
        return self.forked[name]


def _wanted(session: pytest.Session) -> tuple[list[str], list[str]]:
    """The runs the selected tests need (all of them for the kill rate), and those to repeat in processes."""
    here = [item for item in session.items if item.path == Path(__file__) and "runs" in item.fixturenames]
    names = {item.originalname for item in here if isinstance(item, pytest.Function)}
    separate = list(_SEPARATE) if "test_forked_runs_report_what_separate_processes_report" in names else []
    if "test_kill_rate_is_100_percent" in names:
        return [_REFERENCE, *VARIANTS], separate
    chosen = {item.callspec.params["name"] for item in here if hasattr(item, "callspec")} | set(separate)
    reference = [_REFERENCE] if "test_reference_mock_is_certified" in names or separate else []
    return [*reference, *(name for name in VARIANTS if name in chosen)], separate


def _batch(names: list[str], separate: list[str]) -> tuple[Batch, tempfile.TemporaryDirectory[str]]:
    # Not tmp_path_factory: concurrent pytest sessions of the same user prune each other's numbered base dirs.
    base = tempfile.TemporaryDirectory(prefix="variants-")
    # The processes first: each spends its first second starting up, while forks fill the other core.
    jobs = {("separate", name): partial(run_suite, _service(name), Path(base.name, "separate", name),
                                        profile=VARIANTS_PROFILE, runner=_runner("process"))
            for name in separate}  # fmt: skip
    jobs |= {("forked", name): partial(run_suite, _service(name), Path(base.name, name), profile=VARIANTS_PROFILE,
                                       runner=_runner("fork")) for name in names}  # fmt: skip
    return Batch(jobs), base


def _plan(session: pytest.Session) -> tuple[Batch, tempfile.TemporaryDirectory[str]] | None:
    names, separate = _wanted(session)
    return _batch(names, separate) if names else None


_take = start_early(_plan)  # in the background of the tests before this module's


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[Runs]:
    """One strict suite run per variant (and the reference) and the repetitions."""
    batch, base = _take(request.session)
    with base:
        done = batch.finish()
        forked = {name: run for (kind, name), run in done.items() if kind == "forked"}
        separate = {name: run for (kind, name), run in done.items() if kind == "separate"}
        assert batch.started is not None
        yield Runs(forked, separate, Path(base.name), time.monotonic() - batch.started)


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


def test_reference_mock_is_certified(runs: Runs) -> None:
    run = runs[_REFERENCE]
    if (run.returncode, run.failed) != (0, frozenset()):
        pytest.fail(_explain(_REFERENCE, run, frozenset()), pytrace=False)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_is_caught_with_exactly_its_declared_ids(runs: Runs, name: str) -> None:
    run, declared = runs[name], violations(name)
    if run.returncode != 1 or not as_declared(name, run.failed):
        pytest.fail(_explain(name, run, declared), pytrace=False)


def test_kill_rate_is_100_percent(runs: Runs, capsys: pytest.CaptureFixture[str]) -> None:
    caught = [name for name in VARIANTS if runs[name].caught]
    exact = [name for name in VARIANTS if runs[name].caught and as_declared(name, runs[name].failed)]
    wall, budget = runs.seconds, PROFILES[VARIANTS_PROFILE]
    summary = {
        "kill_rate": len(caught) / len(VARIANTS),
        "caught": len(caught),
        "variants": len(VARIANTS),
        "exactly_as_declared": len(exact),
        "survivors": sorted(set(VARIANTS) - set(caught)),
        "hypothesis_seed": SEED,
        "hypothesis_profile": f"{VARIANTS_PROFILE} ({budget['max_examples']} examples per property test, "
                              f"{budget['stateful_step_count']} state-machine steps)",
        "parallel_runs": "one per core, from the end of collection, in the background of the other tests",
        "children": "forked from one warm process (tests/_live.py)",
        "wall_seconds": round(wall, 1),
        "runs": {
            name: {"declared": sorted(violations(name)) if name in VARIANTS else [], "reported": sorted(run.failed),
                   "exit": run.returncode, "seconds": round(run.seconds, 1)}
            for name, run in runs.forked.items()
        },
    }  # fmt: skip
    KILL_RATE.parent.mkdir(exist_ok=True)
    KILL_RATE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    with capsys.disabled():
        print(f"\nkill rate {len(caught)}/{len(VARIANTS)} = {summary['kill_rate']:.0%} "
              f"({len(exact)} with exactly the declared IDs); {len(runs.forked)} suite runs forked and "
              f"{len(runs.separate)} in processes of their own, done {wall:.0f} s after collection; seed {SEED}; "
              f"written to {KILL_RATE.relative_to(ROOT)}")  # fmt: skip
    if summary["survivors"]:
        pytest.fail(f"survivors: {', '.join(summary['survivors'])}", pytrace=False)


def _traffic(report_dir: Path) -> dict[str, object]:
    report = json.loads((report_dir / "conformance.json").read_text(encoding="utf-8"))
    return {"requests": report["requests"], "outcomes": {e["id"]: e["outcome"] for e in report["requirements"]}}


def test_forked_runs_report_what_separate_processes_report(runs: Runs) -> None:
    """A child forked from the warm process draws the same input as a fresh process, so everything matches."""
    for name, alone in runs.separate.items():
        forked = runs[name]
        expected = (alone.returncode, alone.failed)
        assert (forked.returncode, forked.failed) == expected, _explain(name, forked, alone.failed)
        # The same requests, answered alike: the same generated input, not merely the same verdict.
        assert _traffic(runs.base / name) == _traffic(runs.base / "separate" / name), name


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
