"""From pytest's test reports to requirement outcomes in the run's ledger."""

from __future__ import annotations

import pytest

from eloqua_conformance.selection import requirement_ids
from eloqua_conformance.verdicts import NOT_EXERCISED, Ledger

__all__ = ["record"]


def record(ledger: Ledger, item: pytest.Item, report: pytest.TestReport, call: pytest.CallInfo[None]) -> None:
    """Count one phase's report for the requirements its test carries."""
    ids = requirement_ids(item)
    if not ids:
        if report.failed:
            ledger.record_unattributed(item.nodeid)
        return
    if report.when == "call" and report.passed:
        ledger.record_pass(item.nodeid, ids)
    elif report.failed:
        error = call.excinfo.value if call.excinfo else AssertionError(report.longreprtext)
        message = (str(error).strip() or type(error).__name__).splitlines()[0]
        ledger.record_failure(item.nodeid, ids, error, f"{report.when}: {type(error).__name__}: {message}")
    elif report.skipped:
        reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else "skipped"
        reason = reason.removeprefix("Skipped: ")
        if reason.startswith(NOT_EXERCISED):
            ledger.record_not_exercised(item.nodeid, ids, reason.removeprefix(NOT_EXERCISED))
