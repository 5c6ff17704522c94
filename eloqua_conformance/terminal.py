"""What a conformance run prints: the header lines and the `conformance` section at the end."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eloqua_conformance.session import ConformanceSession
from eloqua_conformance.verdicts import OUTCOMES

__all__ = ["header", "summary"]


def header(session: ConformanceSession, seed: int, profile: str) -> list[str]:
    """Target, identities, options and seed: enough to reproduce the run from its log."""
    settings = session.settings
    target = settings.target_url or f"in-process {settings.embedded_service}"
    lines = [f"conformance target: {target} [{settings.origins.get('--target-url', 'default')}]"]
    if settings.auth:
        forbidden = settings.forbidden_auth.describe() if settings.forbidden_auth else "(none: 403 not exercised)"
        lines.append(f"conformance identities: {settings.auth.describe()}, forbidden: {forbidden}")
    lines.append(
        "conformance options: "
        f"fault-injection={'on' if settings.fault_injection else 'off'}, strict={'on' if settings.strict else 'off'}, "
        f"source-segment-id={settings.source_segment_id or '(suite creates its own)'}, "
        f"request-timeout={settings.request_timeout:g}s, max-rps={settings.max_rps or 'unlimited'}, "
        f"wait-budget={settings.wait_budget:g}s"
    )
    if settings.selected is not None or settings.skipped:
        chosen = ", ".join(sorted(settings.selected)) if settings.selected is not None else "all"
        skipped = f"; skipped {', '.join(sorted(settings.skipped))}" if settings.skipped else ""
        lines.append(f"conformance requirements: {chosen}{skipped}")
    lines.append(f"hypothesis profile {profile!r}, seed {seed} (repeat with --hypothesis-seed={seed})")
    return lines


def _gone_sources(session: ConformanceSession) -> list[str]:
    """The failed requirements whose curl lines name a segment the run has deleted since."""
    from eloqua_conformance.report.evidence import reproduce_note

    assert session.run is not None
    recorder = session.run.recorder
    deleted = frozenset(recorder.ever_created) - set(recorder.created_ids())
    return [result.requirement.id for result in session.ledger.results()
            if any("no longer exists" in reproduce_note(exchange, deleted)
                   for _, failure in result.failures for exchange in failure.exchanges[:3])]  # fmt: skip


def summary(terminal: Any, session: ConformanceSession, redact: Callable[[str], str] = str) -> None:
    """Every requirement that did not pass, what the run did to the target, the counts and the verdict.

    A run that could not test the target says why and what it cleaned up, not forty requirements not exercised.
    """
    def write(line: str) -> None:
        terminal.write_line(redact(line))

    results = session.ledger.results()
    terminal.section("conformance")
    for result in results:
        if session.untestable and not result.tests:
            continue
        if result.outcome not in ("pass", "not-selected"):
            reason = result.reason().splitlines()[0] if result.reason() else ""
            write(f"{result.outcome.upper():14} {result.requirement.id} ({result.requirement.level}) "
                  f"{result.requirement.title}: {reason}")  # fmt: skip
    not_selected = [result.requirement.id for result in results if result.outcome == "not-selected"]
    if not_selected and not session.untestable:
        write(f"NOT-SELECTED   {len(not_selected)} requirements: {', '.join(not_selected)}")
    for reason in session.ledger.left_out:
        write(f"LEFT OUT       {reason}: the verdict cannot be certified")
    the_run = session.run
    if the_run is not None:
        for line in the_run.recorder.retries:
            write(f"RETRIED        {line}")
        cleanup = the_run.cleanup
        if the_run.left_behind:
            write(f"LEFT BEHIND    segments {', '.join(the_run.left_behind)} could not be deleted")
        gone = _gone_sources(session)
        if gone:
            write(f"REPRODUCE      the curl lines of {', '.join(gone)} name segments this run created and deleted at "
                  "clean-up; run with --source-segment-id ID (a segment that stays) to print lines that still work")
        created = max(cleanup.created, the_run.recorder.created_total)
        swept = f"; {len(the_run.swept)} leftovers of earlier runs swept" if the_run.swept else ""
        write(f"segments: {created} created and {created - len(the_run.left_behind)} deleted by this run{swept}; "
              f"left behind: {len(the_run.left_behind)} ({cleanup.checked})")  # fmt: skip
    if session.cut_short:
        write(f"CUT SHORT      {session.cut_short}")
    if session.untestable:
        write(f"UNTESTABLE     {session.untestable}")
    counts = ", ".join(f"{sum(r.outcome == o for r in results)} {o}" for o in OUTCOMES)
    write(f"{len(results)} requirements: {counts}")
    verdict = "untestable" if session.untestable else session.ledger.verdict(session.settings.strict)
    if session.cut_short and verdict == "certified":
        verdict = "conformant-partial"
    write(f"verdict: {verdict} — report: {session.report}")
