"""The pytest plugin (entry point `pytest11`): thin hooks over the run's modules.

Inert unless a conformance run is asked for (see activation.py): it then resolves the settings once,
tags and selects the conformance tests, books every test report against its requirements, and writes
the verdict and the reports at the end.
"""

from __future__ import annotations

import gc
import os
import random
import signal
from collections.abc import Callable, Generator, Iterator
from dataclasses import replace
from typing import Any

import pytest

from eloqua_conformance import activation, lifecycle, outcomes, selection, terminal
from eloqua_conformance.client import INTERRUPTS
from eloqua_conformance.credentials import Redactor
from eloqua_conformance.run import redactor_for
from eloqua_conformance.session import KEY, ConformanceSession, current
from eloqua_conformance.settings import add_options, resolve_settings

_REDACT = pytest.StashKey[Redactor]()
_CONFIG: dict[str, pytest.Config] = {}  # pytest_keyboard_interrupt is given no config


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


@pytest.hookimpl(tryfirst=True)  # before Hypothesis's plugin loads the profile --hypothesis-profile names
def pytest_configure(config: pytest.Config) -> None:
    if not activation.asked_for(config):
        return
    if getattr(config.option, "numprocesses", None) or getattr(config.option, "dist", "no") != "no":
        raise pytest.UsageError("-n/--dist: a conformance run judges the whole run in one process; run it without -n")
    from eloqua_conformance.profiles import register_profiles  # Hypothesis is set up only for a conformance run

    register_profiles(config)
    settings = resolve_settings(config, dict(os.environ))
    if settings.embedded:
        # The reference mock honours Prefer and has a read-only identity, so plain `pytest` exercises all.
        settings = replace(settings, fault_injection=True)
    for line in selection.marker_lines():
        config.addinivalue_line("markers", line)
    activation.point_at_suite(config, against_target=not settings.embedded)
    config.stash[KEY] = ConformanceSession(settings)
    _CONFIG["config"] = config


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CONFIG.get("config") is config:
        del _CONFIG["config"]


def _seed() -> int:
    """The Hypothesis seed of this run: --hypothesis-seed, or a fresh one that is printed to reproduce it."""
    from hypothesis import core

    seed: int | None = vars(core)["global_force_seed"]  # typed as always None in Hypothesis's own annotations
    if seed is None:
        seed = vars(core)["global_force_seed"] = random.SystemRandom().getrandbits(32)
    return seed


def _profile() -> str:
    from hypothesis import settings

    return str(settings.get_current_profile_name())


def pytest_report_header(config: pytest.Config) -> list[str]:
    session = current(config)
    return terminal.header(session, _seed(), _profile()) if session else []


@pytest.hookimpl(tryfirst=True)  # before -k, -m and --lf deselect, so they see the IDs and markers
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    conformance = current(config)
    if conformance is None:
        return
    _seed()
    conformance.collected = frozenset(str(item.path) for item in items)
    selection.tag(items)
    selection.select(config, items, conformance.settings)
    items.sort(key=lambda item: item.get_closest_marker("whole_run") is not None)


def pytest_deselected(items: list[pytest.Item]) -> None:
    if items and (conformance := current(items[0].config)) is not None:
        conformance.deselected += sum(1 for item in items if selection.requirement_ids(item))


def pytest_collection_finish(session: pytest.Session) -> None:
    conformance = current(session.config)
    if conformance is None:
        return
    conformance.selected = frozenset(rid for item in session.items for rid in selection.requirement_ids(item))
    left_out = selection.left_out(session.config, conformance.collected, conformance.deselected)
    conformance.ledger.select(conformance.selected, left_out)
    _freeze_heap()
    if session.config.option.collectonly:
        write = session.config.get_terminal_writer().line
        write("conformance: the requirements of each collected test")
        for item in session.items:
            write(f"{item.nodeid}  requirements: {', '.join(selection.requirement_ids(item)) or '(none)'}")


def _freeze_heap() -> None:
    """Move the heap built so far out of the garbage collector's sight, once collection is over.

    Modules, the parsed spec and the strategies live until the run ends, yet every full collection scans them
    again, and pytest collects five times over at exit (for unraisable exceptions). gc.freeze() leaves them
    out of those scans (a `dev` run's collections: 0.27 s -> 0.14 s); what the tests allocate is collected as
    before.
    """
    gc.collect()
    gc.freeze()


def pytest_sessionstart(session: pytest.Session) -> None:
    """A run's previous report files go first: a run that stops early must not leave stale results for CI."""
    conformance = current(session.config)
    if conformance is not None and not session.config.option.collectonly:
        from eloqua_conformance.report import remove_reports

        remove_reports(conformance.settings.report_dir)


def _redactor(config: pytest.Config, conformance: ConformanceSession) -> Callable[[str], str]:
    if conformance.run is not None:
        return conformance.run.redact
    if _REDACT not in config.stash:
        config.stash[_REDACT] = redactor_for(conformance.settings)
    return config.stash[_REDACT]


def _mask(report: pytest.TestReport, redact: Callable[[str], str]) -> None:
    """No secret in what pytest prints of a test: its failure (with -l, the locals too) and captured output."""
    if report.failed and report.longrepr is not None:
        text = report.longreprtext
        masked = redact(text)
        if masked != text:
            report.longrepr = masked
    elif isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
        path, line, reason = report.longrepr
        report.longrepr = (path, line, redact(str(reason)))
    report.sections = [(name, redact(content)) for name, content in report.sections]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    conformance = current(item.config)
    if conformance is not None:
        _mask(report, _redactor(item.config, conformance))
        lifecycle.note_gone(conformance, call)
        outcomes.record(conformance.ledger, item, report, call)
    return report


def pytest_keyboard_interrupt(excinfo: pytest.ExceptionInfo[BaseException]) -> None:
    """Ctrl-C, SIGTERM, pytest.exit or collection errors: what stopped the run, for its reports."""
    config = _CONFIG.get("config")
    if config is None:
        return
    conformance = current(config)
    if conformance is None or conformance.interrupted:
        return
    error = excinfo.value
    message = str(getattr(error, "msg", "") or error).strip() or type(error).__name__
    if isinstance(error, KeyboardInterrupt) and message.startswith("signal "):
        number = message.split()[1]
        name = signal.Signals(int(number)).name if number.isdigit() else number
        message = f"interrupted by {name} ({message})"
    conformance.interrupted = _redactor(config, conformance)(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, Any, Any]:
    conformance = current(item.config)
    return (yield from lifecycle.exit_when_gone(conformance)) if conformance else (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    conformance = current(item.config)
    return (yield from lifecycle.exit_when_gone(conformance)) if conformance else (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, Any, Any]:
    conformance = current(item.config)
    return (yield from lifecycle.exit_when_gone(conformance)) if conformance else (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[Any]:
    conformance = current(item.config)
    if conformance is None:
        return (yield)
    INTERRUPTS.check()  # a Ctrl-C or SIGTERM noted between tests stops the run here
    lifecycle.serve(conformance, selection.requirement_ids(item))
    result = yield
    conformance.completed += 1
    lifecycle.end_if_gone(conformance)
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    conformance = current(config)
    if conformance is not None and not config.option.collectonly:
        terminal.summary(terminalreporter, conformance, _redactor(config, conformance))


def _stop_reasons(session: pytest.Session, conformance: ConformanceSession, exitstatus: int) -> tuple[str, str]:
    """(why the target could not be tested, why the run stopped before its last test); "" when not so."""
    gone = conformance.run.gone if conformance.run is not None else ""
    stopped = conformance.unusable or gone or conformance.interrupted
    untestable = ""
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        untestable = stopped or "pytest ended the run early (exit status 2)"
    elif exitstatus == pytest.ExitCode.INTERNAL_ERROR:
        stopped = stopped or "an internal error of pytest or a plugin"
    cut_short = ""
    total = len(session.items)
    if conformance.completed < total:
        why = stopped or str(session.shouldstop or session.shouldfail or "") or "the run stopped early"
        cut_short = f"{conformance.completed} of {total} selected tests ran"
        cut_short += "" if why == untestable else f": {why}"  # the reason is said once, as why it is untestable
    return untestable, cut_short


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The exit status says what the verdict says; then the reports are written, whatever the outcome."""
    conformance = current(session.config)
    if conformance is None or session.config.option.collectonly:
        return
    from eloqua_conformance.report import write_run_reports

    session.exitstatus = conformance.ledger.exit_status(int(exitstatus), conformance.settings.strict)
    conformance.untestable, conformance.cut_short = _stop_reasons(session, conformance, int(session.exitstatus))
    conformance.report = write_run_reports(conformance, conformance.untestable or None, conformance.cut_short or None)
