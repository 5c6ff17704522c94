"""The run's lifecycle inside pytest: open and preflight, signals, clean-up, and ending when the target is gone."""

from __future__ import annotations

import signal
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from eloqua_conformance.client import CLEANUP_WAIT, INTERRUPTS, TargetGone
from eloqua_conformance.run import Run, TargetUnusable, open_run, preflight
from eloqua_conformance.session import ConformanceSession

__all__ = ["STOPPED", "end_if_gone", "exit_when_gone", "note_gone", "opened_run", "serve"]

# What pytest prints as it exits; the reason itself is the UNTESTABLE line of the conformance summary
# (and in every report), so the terminal says it once.
STOPPED = "the run stopped with exit status 2: the target could not be tested (UNTESTABLE above says why)"


@contextmanager
def opened_run(session: ConformanceSession) -> Iterator[Run]:
    """The run's clients after a preflight; everything it made is deleted at the end, whatever happens.

    The signal handlers go in first, so Ctrl-C or SIGTERM during the preflight's waits acts within a
    second too; the clean-up then runs with SIGTERM ignored (Ctrl-C a second time still stops it).
    """
    the_run = open_run(session.settings, session.selected)  # its recorder serves no requirement: set-up
    session.run = the_run
    # SIGTERM cleans up like Ctrl-C does; both stop the run between requests, never in the middle of one.
    previous = {signum: signal.signal(signum, INTERRUPTS.handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            preflight(the_run)
            the_run.note_start()
        except (TargetUnusable, TargetGone) as error:
            session.unusable = str(error)
            pytest.exit(STOPPED, returncode=2)
        if the_run.settings.sweep:
            the_run.swept += the_run.sweep()
        the_run.recorder.serving = session.serving
        yield the_run
    finally:
        the_run.recorder.serving = ()  # what follows is clean-up, whichever test ran last
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not abort the clean-up
        signal.signal(signal.SIGINT, previous[signal.SIGINT])  # Ctrl-C again does: the person asked twice
        INTERRUPTS.pending = None  # the signal that ended the run must not stop its clean-up too
        try:
            _clean_up(the_run)
        finally:
            signal.signal(signal.SIGTERM, previous[signal.SIGTERM])
            the_run.close()


def _clean_up(the_run: Run) -> None:
    """Delete what the run made, within a wait allowance of its own; a target gone by then leaves it behind."""
    the_run.api.budget.extend(min(CLEANUP_WAIT, the_run.settings.wait_budget))
    try:
        the_run.left_behind = the_run.clean_up()
        if the_run.settings.sweep:
            the_run.swept += the_run.sweep()
    except TargetGone as error:
        left = {*the_run.recorder.created_ids(), *the_run.cleanup.left_behind}
        the_run.left_behind = the_run.cleanup.left_behind = sorted(left, key=lambda i: (len(i), i))
        the_run.cleanup.checked = "not finished: the target did not answer during the clean-up"
        the_run.cleanup.deleted = max(0, the_run.cleanup.created - len(left))
        the_run.gone = the_run.gone or str(error)


def serve(session: ConformanceSession, ids: tuple[str, ...]) -> None:
    """The requirements of the test about to run: every exchange it sends is recorded as serving them."""
    session.serving = ids
    if session.run is not None:
        session.run.recorder.serving = ids


def note_gone(session: ConformanceSession, call: pytest.CallInfo[None]) -> None:
    """A test phase that found the target gone marks the run, so it ends after this test."""
    if call.excinfo is not None and isinstance(call.excinfo.value, TargetGone) and session.run is not None:
        session.run.gone = str(call.excinfo.value)


def exit_when_gone(session: ConformanceSession) -> Generator[None, Any, Any]:
    """Wrap a test phase: the target stopped answering, so end the run now, with one line and no traceback."""
    try:
        return (yield)
    except TargetGone as error:
        if session.run is not None:
            session.run.gone = str(error)
        pytest.exit(STOPPED, returncode=2)


def end_if_gone(session: ConformanceSession) -> None:
    """After a test: a target found gone (in any phase) ends the run with exit status 2."""
    if session.run is not None and session.run.gone:
        pytest.exit(STOPPED, returncode=2)
