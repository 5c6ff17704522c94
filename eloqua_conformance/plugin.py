"""The pytest plugin: options, the run's fixtures, per-requirement verdicts and the exit status."""

from __future__ import annotations

import os
import random
import shlex
import signal
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import core as hypothesis_core
from hypothesis import settings as hypothesis_settings

from eloqua_conformance.catalogue import requirements
from eloqua_conformance.client import INTERRUPTS, TargetGone
from eloqua_conformance.profiles import PROFILES, register_profiles
from eloqua_conformance.report import build_report, write_reports
from eloqua_conformance.run import Run, TargetUnusable, open_run, preflight
from eloqua_conformance.settings import Settings, add_options, ini_origin, resolve_settings
from eloqua_conformance.verdicts import NOT_EXERCISED, Ledger

SETTINGS = pytest.StashKey[Settings]()
LEDGER = pytest.StashKey[Ledger]()
RUN = pytest.StashKey[Run]()
STARTED = pytest.StashKey[tuple[datetime, float]]()  # wall clock for the report, monotonic for the duration
REPORT = pytest.StashKey[str]()  # where conformance.html was written, or why it was not

register_profiles()


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requirement(*ids): catalogue requirements the test proves")
    config.addinivalue_line("markers", "whole_run: examines every exchange of the run, so it runs last")
    profile = config.getoption("hypothesis_profile", None)
    if profile is not None and profile not in PROFILES:
        raise pytest.UsageError(
            f"--hypothesis-profile: unknown profile {profile!r} from {_profile_origin(config)}; "
            f"choose one of {', '.join(PROFILES)}"
        )
    settings = resolve_settings(config, dict(os.environ))
    if settings.embedded:
        # The reference mock honours Prefer and has a read-only identity, so plain `pytest` exercises all.
        settings = replace(settings, fault_injection=True)
    config.stash[SETTINGS] = settings
    config.stash[LEDGER] = Ledger()


def _profile_origin(config: pytest.Config) -> str:
    """Where --hypothesis-profile came from; pytest reads ini addopts, then PYTEST_ADDOPTS, then the command line."""

    def given(args: Iterable[str]) -> bool:
        return any(arg == "--hypothesis-profile" or arg.startswith("--hypothesis-profile=") for arg in args)

    if given(config.invocation_params.args):
        return "--hypothesis-profile (command line)"
    if given(shlex.split(os.environ.get("PYTEST_ADDOPTS", ""))):
        return "PYTEST_ADDOPTS (environment)"
    return ini_origin(config, "addopts")


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[STARTED] = (datetime.now(UTC), time.monotonic())


def _seed(config: pytest.Config) -> int:
    """The Hypothesis seed of this run: --hypothesis-seed, or a fresh one that is printed to reproduce it."""
    if hypothesis_core.global_force_seed is None:
        hypothesis_core.global_force_seed = random.SystemRandom().getrandbits(32)
    return int(hypothesis_core.global_force_seed)


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = config.stash[SETTINGS]
    target = settings.target_url or f"in-process {settings.embedded_service}"
    origin = settings.origins.get("--target-url", "default")
    lines = [f"conformance target: {target} [{origin}]"]
    if settings.auth:
        forbidden = settings.forbidden_auth.describe() if settings.forbidden_auth else "(none: 403 not exercised)"
        lines.append(f"conformance identities: {settings.auth.describe()}, forbidden: {forbidden}")
    lines.append(
        "conformance options: "
        f"fault-injection={'on' if settings.fault_injection else 'off'}, strict={'on' if settings.strict else 'off'}, "
        f"source-segment-id={settings.source_segment_id or '(suite creates its own)'}, "
        f"request-timeout={settings.request_timeout:g}s, max-rps={settings.max_rps or 'unlimited'}"
    )
    seed = _seed(config)
    lines.append(
        f"hypothesis profile {hypothesis_settings.get_current_profile_name()!r}, seed {seed} "
        f"(repeat with --hypothesis-seed={seed})"
    )
    return lines


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Against a real target only the conformance tests run; the self-tests belong to the embedded default."""
    if not config.stash[SETTINGS].embedded and collection_path.name == "selftest":
        return True
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    _seed(config)
    known = {entry.id for entry in requirements()}
    for item in items:
        for rid in _requirement_ids(item):
            if rid not in known:
                raise pytest.UsageError(f"{item.nodeid}: unknown requirement {rid!r} in its marker")
    items.sort(key=lambda item: item.get_closest_marker("whole_run") is not None)


def _requirement_ids(item: pytest.Item) -> tuple[str, ...]:
    return tuple(rid for marker in item.iter_markers("requirement") for rid in marker.args)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if call.excinfo is not None and isinstance(call.excinfo.value, TargetGone) and RUN in item.config.stash:
        item.config.stash[RUN].gone = str(call.excinfo.value)
    ids = _requirement_ids(item)
    ledger = item.config.stash[LEDGER]
    if not ids:
        if report.failed:
            ledger.record_unattributed(item.nodeid)
        return report
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
    return report


def _exit_when_gone(item: pytest.Item) -> Iterator[Any]:
    """The target stopped answering during this phase: end the run now, with one line and no traceback."""
    try:
        return (yield)
    except TargetGone as error:
        if RUN in item.config.stash:
            item.config.stash[RUN].gone = str(error)
        pytest.exit(str(error), returncode=2)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[Any]:
    return (yield from _exit_when_gone(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[Any]:
    return (yield from _exit_when_gone(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    return (yield from _exit_when_gone(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    """A target that stopped answering ends the run with exit status 2 and one line, not a cascade of failures."""
    INTERRUPTS.check()  # a Ctrl-C or SIGTERM noted between tests stops the run here
    result = yield
    gone = item.config.stash.get(RUN, None)
    if gone is not None and gone.gone:
        pytest.exit(gone.gone, returncode=2)
    return result


# --- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def conformance_settings(pytestconfig: pytest.Config) -> Settings:
    """The effective settings of the run."""
    return pytestconfig.stash[SETTINGS]


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Iterator[Run]:
    """The run: clients per role, the run prefix, and clean-up of everything it created."""
    the_run = open_run(pytestconfig.stash[SETTINGS])
    try:
        preflight(the_run)
    except TargetUnusable as error:
        the_run.close()
        pytest.exit(str(error), returncode=2)
    pytestconfig.stash[RUN] = the_run
    # SIGTERM cleans up like Ctrl-C does; both stop the run between requests, never in the middle of one.
    previous = {signum: signal.signal(signum, INTERRUPTS.handler) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        if the_run.settings.sweep:
            the_run.swept += the_run.sweep()
        yield the_run
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not abort the clean-up
        signal.signal(signal.SIGINT, previous[signal.SIGINT])  # Ctrl-C again does: the person asked twice
        INTERRUPTS.pending = None  # the signal that ended the run must not stop its clean-up too
        try:
            the_run.left_behind = the_run.clean_up()
            if the_run.settings.sweep:
                the_run.swept += the_run.sweep()
        except TargetGone as error:
            the_run.left_behind = the_run.recorder.created_ids()
            the_run.gone = str(error)
        finally:
            signal.signal(signal.SIGTERM, previous[signal.SIGTERM])
        the_run.close()


# --- the end of the run -----------------------------------------------------------------
def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    ledger, settings = config.stash[LEDGER], config.stash[SETTINGS]
    if RUN not in config.stash:
        return
    results = ledger.results()
    counts = {outcome: sum(r.outcome == outcome for r in results) for outcome in ("pass", "fail", "error")}
    counts["not-exercised"] = sum(r.outcome == "not-exercised" for r in results)
    write = terminalreporter.write_line
    terminalreporter.section("conformance")
    for result in results:
        if result.outcome != "pass":
            reason = result.reason().splitlines()[0] if result.reason() else ""
            write(f"{result.outcome.upper():14} {result.requirement.id} ({result.requirement.level}) "
                  f"{result.requirement.title}: {reason}")
    the_run = config.stash[RUN]
    for line in the_run.recorder.retries:
        write(f"RETRIED        {line}")
    if the_run.left_behind:
        write(f"LEFT BEHIND    segments {', '.join(the_run.left_behind)} could not be deleted")
    created = the_run.recorder.created_total
    swept = f"; {len(the_run.swept)} leftovers of earlier runs swept" if the_run.swept else ""
    write(f"segments: {created} created and {created - len(the_run.left_behind)} deleted by this run{swept}")
    summary = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
    write(f"{len(results)} requirements: {summary}")
    write(f"verdict: {ledger.verdict(settings.strict)} — report: {config.stash.get(REPORT, 'not written')}")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """0 when no MUST failed (and, with --strict, no SHOULD); SHOULD failures alone do not fail the run.

    Then the reports are written, whatever the outcome.
    """
    config = session.config
    if RUN not in config.stash:
        return
    ledger, settings = config.stash[LEDGER], config.stash[SETTINGS]
    if (
        exitstatus == pytest.ExitCode.TESTS_FAILED
        and not ledger.failed("MUST")
        and not (settings.strict and ledger.failed("SHOULD"))
        and not ledger.unattributed
    ):
        session.exitstatus = pytest.ExitCode.OK
    config.stash[REPORT] = _write_reports(config)


def _write_reports(config: pytest.Config) -> str:
    """Every report file into --report-dir; the HTML page's path, or why nothing was written."""
    started, clock = config.stash[STARTED]
    report = build_report(
        config.stash[LEDGER],
        config.stash[RUN],
        started=started,
        duration=time.monotonic() - clock,
        seed=hypothesis_core.global_force_seed,
        profile=hypothesis_settings.get_current_profile_name(),
    )
    try:
        return str(write_reports(report, config.stash[SETTINGS].report_dir))
    except OSError as error:
        return f"not written ({error})"
