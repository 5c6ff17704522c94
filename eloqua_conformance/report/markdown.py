"""summary.md: a short Markdown summary for $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import html
import re
from typing import Any

from .model import OUTCOMES, verdict_meaning

__all__ = ["render_markdown"]

_MARK = {"certified": "✅", "conformant-partial": "⚠️", "not-conformant": "❌", "untestable": "⛔"}
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_REASON = 160  # characters of a reason shown in the table


def render_markdown(report: dict[str, Any]) -> str:
    """Verdict line, a table of outcomes per area, and a table of every requirement that did not pass."""
    verdict, counts = report["verdict"], report["counts"]
    target = report["target"]["url"] or report["target"]["label"]
    lines = [
        f"## {_MARK.get(verdict, '')} Eloqua segment-copy conformance: **{verdict}**",
        "",
        f"{verdict_meaning(verdict, report['strict'])} Target {_text(target)}; suite {report['suite']['version']}; "
        f"Hypothesis seed {report['hypothesis']['seed']}; {report['duration_seconds']:.1f} s; "
        f"{report['requests']['total']} requests.",
        "",
    ]
    if report["untestable"]:
        lines += [f"**Untestable:** {_text(report['untestable'])}", ""]
    if report["cut_short"]:
        lines += [f"**Cut short:** {_text(report['cut_short'])}", ""]
    if report["left_behind"]:
        lines += [f"**Left behind:** {len(report['left_behind'])} segments: {_text(', '.join(report['left_behind']))}",
                  ""]  # fmt: skip
    lines += [
        "| Area | " + " | ".join(outcome.replace("-", " ").capitalize() for outcome in OUTCOMES) + " |",
        "|---|" + "--:|" * len(OUTCOMES),
    ]
    for area in report["areas"]:
        members = [entry for entry in report["requirements"] if entry["area"] == area["code"]]
        tally = " | ".join(str(sum(entry["outcome"] == outcome for entry in members)) for outcome in OUTCOMES)
        lines.append(f"| {area['code']} {_text(area['title'])} | {tally} |")
    lines.append(f"| **all {len(report['requirements'])}** | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |")
    others = [entry for entry in report["requirements"] if entry["outcome"] != "pass"]
    if report["untestable"]:  # a run that could not test the target lists only what it did establish
        others = [entry for entry in others if entry["tests"]]
    if others:
        lines += ["", "| Requirement | Level | Outcome | Reason |", "|---|---|---|---|"]
        for entry in others:
            reason = _text(_shorten(entry["reason"] or ""))
            title = _text(entry["title"])
            lines.append(f"| {entry['id']} {title} | {entry['level']} | {entry['outcome']} | {reason} |")
    return "\n".join(lines) + "\n"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _REASON else text[: _REASON - 1] + "…"


def _text(text: str) -> str:
    """Plain text that Markdown and the HTML it allows show literally, on one line."""
    return html.escape(_SPECIAL.sub(r"\\\1", " ".join(text.split())), quote=False)
