"""Write every report file of a run into the report directory."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eloqua_conformance.session import ConformanceSession

from .har import HAR_NAME, render_har
from .html import render_html
from .json_report import render_json
from .junit import render_junit
from .markdown import render_markdown
from .model import build_report

__all__ = ["HTML_NAME", "RENDERERS", "remove_reports", "write_reports", "write_run_reports"]

HTML_NAME = "conformance.html"
RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "conformance.json": render_json,
    "junit.xml": render_junit,
    HTML_NAME: render_html,
    "summary.md": render_markdown,
}


def write_run_reports(session: ConformanceSession, untestable: str | None = None, cut_short: str | None = None) -> str:
    """Every report file of the run into --report-dir; the HTML page's path, or why nothing was written."""
    from hypothesis import core
    from hypothesis import settings as hypothesis_settings

    report = build_report(session.ledger, session.run, started=session.started,
                          duration=time.monotonic() - session.clock, seed=core.global_force_seed,
                          profile=hypothesis_settings.get_current_profile_name(), settings=session.settings,
                          untestable=untestable, cut_short=cut_short)  # fmt: skip
    try:
        page = write_reports(report, session.settings.report_dir)
        if session.settings.record_har and session.run is not None:
            traffic = render_har(session.run.recorder.snapshot(), session.run.redact)
            (session.settings.report_dir / HAR_NAME).write_text(traffic, encoding="utf-8", errors="replace")
        return str(page)
    except OSError as error:
        return f"not written ({error})"


def remove_reports(directory: Path) -> list[str]:
    """Delete the report files an earlier run left in `directory` (only those this suite writes); what went."""
    removed = []
    for name in [*RENDERERS, HAR_NAME]:
        path = directory / name
        try:
            if path.is_file() or path.is_symlink():
                path.unlink()
                removed.append(name)
        except OSError:
            pass  # written over at the end, or the write fails and says so
    return removed


def write_reports(report: dict[str, Any], directory: Path) -> Path:
    """Render and write each file (creating `directory`); the path of the HTML page."""
    directory.mkdir(parents=True, exist_ok=True)
    rendered = {name: render(report) for name, render in RENDERERS.items()}  # all or none: a renderer may fail
    for name, text in rendered.items():
        (directory / name).write_text(text, encoding="utf-8", errors="replace")
    return directory / HTML_NAME
