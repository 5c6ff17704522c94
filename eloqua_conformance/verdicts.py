"""Per-requirement outcomes of a run, gathered from test reports, and the run's verdict.

A run's verdict is certified, conformant-partial or not-conformant; or untestable when the target could
not be tested (exit status 2), which the report decides (see report/model.py) since only the end of the
run knows it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from eloqua_conformance.catalogue import Requirement, requirements
from eloqua_conformance.failure import RequirementFailure

__all__ = ["NOT_EXERCISED", "OUTCOMES", "VERDICTS", "Ledger", "RequirementResult"]

NOT_EXERCISED = "not exercised: "  # prefix of the skip reason a test gives when it cannot exercise
OUTCOMES = ("pass", "fail", "error", "not-exercised", "not-selected")
VERDICTS = ("certified", "conformant-partial", "not-conformant", "untestable")


@dataclass
class RequirementResult:
    """What the run established about one requirement."""

    requirement: Requirement
    passed: list[str] = field(default_factory=list)  # node ids
    failures: list[tuple[str, RequirementFailure]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    not_exercised: list[tuple[str, str]] = field(default_factory=list)
    cut_short: list[tuple[str, str]] = field(default_factory=list)  # its test stopped on another requirement
    selected: bool = True  # some test of it was collected and not deselected

    @property
    def outcome(self) -> str:
        # A failure shows whatever was selected: a test chosen for one requirement may break another.
        if self.failures:
            return "fail"
        if self.errors:
            return "error"
        if not self.selected:
            return "not-selected"
        if self.passed:
            return "pass"
        return "not-exercised"

    @property
    def tests(self) -> list[str]:
        others = [name for name, _ in self.failures] + [
            name for name, _ in self.errors + self.not_exercised + self.cut_short
        ]
        return sorted({*self.passed, *others})

    def reason(self) -> str:
        if self.outcome == "not-selected":
            return "not selected: no test of it was chosen to run"
        if self.failures:
            failure = self.failures[0][1]
            return f"expected {failure.expected}; actual {failure.actual}"
        if self.errors:
            return self.errors[0][1]
        if self.not_exercised and not self.passed:
            return self.not_exercised[0][1]
        if self.cut_short and not self.passed:
            return self.cut_short[0][1]
        return "" if self.passed else "no test of this requirement ran"


class Ledger:
    """Requirement results, filled from pytest reports (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results = {entry.id: RequirementResult(entry) for entry in requirements()}
        self.unattributed: list[str] = []  # failed tests that prove no requirement (the self-tests)
        self.left_out: list[str] = []  # why the run did not run the whole suite; non-empty: never certified

    def select(self, chosen: frozenset[str], left_out: list[str]) -> None:
        """Requirements outside `chosen` are not-selected; `left_out` says what the run did not run."""
        with self._lock:
            for rid, result in self._results.items():
                result.selected = rid in chosen
            self.left_out = list(left_out)

    def record_unattributed(self, nodeid: str) -> None:
        with self._lock:
            self.unattributed.append(nodeid)

    def record_pass(self, nodeid: str, ids: tuple[str, ...]) -> None:
        with self._lock:
            for rid in ids:
                self._results[rid].passed.append(nodeid)

    def record_failure(self, nodeid: str, ids: tuple[str, ...], error: BaseException, text: str) -> None:
        """A RequirementFailure counts against the requirement it names; anything else is an error of all `ids`."""
        with self._lock:
            if isinstance(error, RequirementFailure):
                # Kept to the end of the run for the reports: only a bounded copy of each exchange.
                error.exchanges = tuple(exchange.compact() for exchange in error.exchanges)
                self._results[error.requirement_id].failures.append((nodeid, error))
                for rid in set(ids) - {error.requirement_id}:
                    reason = f"its test {nodeid} stopped on {error.requirement_id} before judging it"
                    self._results[rid].cut_short.append((nodeid, reason))
            else:
                for rid in ids:
                    self._results[rid].errors.append((nodeid, text))

    def record_not_exercised(self, nodeid: str, ids: tuple[str, ...], reason: str) -> None:
        with self._lock:
            for rid in ids:
                self._results[rid].not_exercised.append((nodeid, reason))

    def results(self) -> list[RequirementResult]:
        with self._lock:
            return list(self._results.values())

    def failed(self, level: str) -> list[RequirementResult]:
        return [r for r in self.results() if r.requirement.level == level and r.outcome in {"fail", "error"}]

    def exit_status(self, pytest_status: int, strict: bool) -> int:
        """pytest's status, except that failed tests make it 1 only when a MUST (with strict, a SHOULD) failed."""
        gating_failed = self.failed("MUST") or (strict and self.failed("SHOULD")) or self.unattributed
        return 0 if pytest_status == 1 and not gating_failed else pytest_status

    def verdict(self, strict: bool) -> str:
        """certified, conformant-partial or not-conformant; a run that left anything out is never certified."""
        results = self.results()
        gating = [r for r in results if r.requirement.is_must or strict]
        if any(r.outcome in {"fail", "error"} for r in gating):
            return "not-conformant"
        left_out = self.left_out or any(r.outcome == "not-selected" for r in results)
        if all(r.outcome == "pass" for r in gating) and not left_out:
            return "certified"
        return "conformant-partial"
