"""Write every report file of a run into the report directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .html import render_html
from .json_report import render_json
from .junit import render_junit
from .markdown import render_markdown

__all__ = ["HTML_NAME", "RENDERERS", "write_reports"]

HTML_NAME = "conformance.html"
RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {
    "conformance.json": render_json,
    "junit.xml": render_junit,
    HTML_NAME: render_html,
    "summary.md": render_markdown,
}


def write_reports(report: dict[str, Any], directory: Path) -> Path:
    """Render and write each file (creating `directory`); the path of the HTML page."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, render in RENDERERS.items():
        (directory / name).write_text(render(report), encoding="utf-8")
    return directory / HTML_NAME
