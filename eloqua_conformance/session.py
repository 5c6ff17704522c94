"""The state of one conformance run inside pytest, kept in the config's stash."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from eloqua_conformance.run import Run
from eloqua_conformance.settings import Settings
from eloqua_conformance.verdicts import Ledger

__all__ = ["ConformanceSession", "current"]


@dataclass
class ConformanceSession:
    """Settings, outcomes and the open run of one conformance run."""

    settings: Settings
    ledger: Ledger = field(default_factory=Ledger)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))  # for the report
    clock: float = field(default_factory=time.monotonic)  # for the duration
    selected: frozenset[str] = frozenset()  # requirement IDs some collected test carries
    run: Run | None = None  # once the first test asked for it
    serving: tuple[str, ...] = ()  # the requirement IDs of the test running now
    unusable: str = ""  # why the preflight found the target untestable, if it did
    interrupted: str = ""  # what stopped the run early (a signal, pytest.exit, collection errors), if anything
    completed: int = 0  # tests whose whole protocol (setup, call, teardown) ran
    deselected: int = 0  # tests -k, -m, --lf or --requirement left out
    collected: frozenset[str] = frozenset()  # files of every collected test, before any was deselected
    report: str = "not written"  # where conformance.html went, or why it did not
    untestable: str = ""  # at the end: why the target could not be tested (exit status 2), if so
    cut_short: str = ""  # at the end: why not every selected test ran, if so


KEY = pytest.StashKey[ConformanceSession]()


def current(config: pytest.Config) -> ConformanceSession | None:
    """The conformance run of this pytest run, or None when none was asked for."""
    return config.stash.get(KEY, None)
