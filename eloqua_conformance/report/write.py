"""Write every report file of a run into the report directory."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from eloqua_conformance.session import ConformanceSession

from .html import render_html
from .json_report import render_json
from .junit import render_junit
from .markdown import render_markdown
from .model import build_report

__all__ = ["HTML_NAME", "RENDERERS", "write_reports", "write_run_reports"]

HTML_NAME = "conformance.html"
RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "conformance.json": render_json,
    "junit.xml": render_junit,
    HTML_NAME: render_html,
    "summary.md": render_markdown,
}


def write_run_reports(session: ConformanceSession) -> str:
    """Every report file of the run into --report-dir; the HTML page's path, or why nothing was written."""
    from hypothesis import core
    from hypothesis import settings as hypothesis_settings

    assert session.run is not None
    report = build_report(session.ledger, session.run, started=session.started,
                          duration=time.monotonic() - session.clock, seed=core.global_force_seed,
                          profile=hypothesis_settings.get_current_profile_name())  # fmt: skip
    try:
        return str(write_reports(report, session.settings.report_dir))
    except OSError as error:
        return f"not written ({error})"


def write_reports(report: dict[str, Any], directory: Path) -> Path:
    """Render and write each file (creating `directory`); the path of the HTML page."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, render in RENDERERS.items():
        (directory / name).write_text(render(report), encoding="utf-8")
    return directory / HTML_NAME
