"""conformance.html: one self-contained page, readable at a glance, every value escaped."""

from __future__ import annotations

from typing import Any

from .html_evidence import error_html, failure_html
from .html_meta import metadata_html
from .model import OUTCOMES, verdict_meaning
from .style import CSS
from .text import html_text as _e

__all__ = ["render_html"]

_TITLES = {"certified": "Certified", "conformant-partial": "Conformant, partially exercised",
           "not-conformant": "Not conformant", "untestable": "Untestable"}  # fmt: skip
_LABELS = {"pass": "passed", "fail": "failed", "error": "errors", "not-exercised": "not exercised",
           "not-selected": "not selected"}  # fmt: skip
# Even if a value escaped its escaping, the page may load and run nothing.
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def render_html(report: dict[str, Any]) -> str:
    """The whole page: verdict banner, counts, requirements by area with evidence, run metadata."""
    verdict = report["verdict"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(verdict)}: Eloqua segment-copy conformance</title>",
        f"<style>{CSS}</style></head><body>",
        _banner(report),
        "<main>",
        _tiles(report),
        _attention(report),
        _requirements(report),
        metadata_html(report),
        "</main></body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _banner(report: dict[str, Any]) -> str:
    verdict, target = report["verdict"], report["target"]
    where = target["url"] or f"{target['label']}: {target['embedded_service']}"
    return (
        f'<header class="banner {_e(verdict)}"><div>'
        f'<p class="eyebrow">Eloqua segment-copy conformance · verdict <code>{_e(verdict)}</code></p>'
        f"<h1>{_e(_TITLES.get(verdict, verdict))}</h1>"
        f'<p class="meaning">{_e(verdict_meaning(verdict, report["strict"]))}</p>'
        f"{_stopped(report)}"
        f'<p class="where">Target {_e(where)} · started {_e(report["started_at"])} · '
        f"{report['duration_seconds']:.1f} s · {report['requests']['total']} requests · "
        f"suite {_e(report['suite']['version'])}</p>"
        "</div></header>"
    )


def _stopped(report: dict[str, Any]) -> str:
    """Why the target could not be tested, and that the run was cut short, in the banner."""
    lines = []
    if report["untestable"]:
        lines.append(f'<p class="stopped">Untestable: {_e(report["untestable"])}</p>')
    if report["cut_short"]:
        lines.append(f'<p class="stopped">Cut short: {_e(report["cut_short"])}</p>')
    return "".join(lines)


def _tiles(report: dict[str, Any]) -> str:
    counts = report["counts"]
    tiles = [
        f'<div class="tile {outcome if counts[outcome] else "zero"}"><b>{counts[outcome]}</b>'
        f"<span>{_LABELS[outcome]}</span></div>"
        for outcome in OUTCOMES
    ]
    for level in ("MUST", "SHOULD"):
        entries = [entry for entry in report["requirements"] if entry["level"] == level]
        passed = sum(entry["outcome"] == "pass" for entry in entries)
        tiles.append(f'<div class="tile"><b>{passed}/{len(entries)}</b><span>{level} passed</span></div>')
    return f'<section class="tiles">{"".join(tiles)}</section>'


def _attention(report: dict[str, Any]) -> str:
    entries = [entry for entry in report["requirements"] if entry["outcome"] != "pass"]
    if report["untestable"]:  # a run that could not test the target lists only what it did establish
        entries = [entry for entry in entries if entry["tests"]]
    items = [
        f'<li><span class="badge {entry["outcome"]}">{entry["outcome"]}</span> '
        f'<a href="#{_e(entry["id"])}">{_e(entry["id"])}</a> ({entry["level"]}) {_e(entry["title"])}'
        f'<span class="reason"> — {_e(_first_line(entry["reason"] or ""))}</span></li>'
        for entry in entries
    ]
    problems = [
        f"<li>failed outside any requirement: <code>{_e(test)}</code></li>" for test in report["unattributed_failures"]
    ]
    problems += [f"<li>segment {_e(segment)} could not be deleted</li>" for segment in report["left_behind"]]
    if not items and not problems:
        return ""
    return f'<section class="attention"><h2>Needs attention</h2><ul>{"".join(items + problems)}</ul></section>'


def _requirements(report: dict[str, Any]) -> str:
    rows = []
    for area in report["areas"]:
        members = [entry for entry in report["requirements"] if entry["area"] == area["code"]]
        passed = sum(entry["outcome"] == "pass" for entry in members)
        rows.append(
            f'<tbody><tr class="area" id="area-{_e(area["code"])}"><th colspan="4">{_e(area["code"])} · '
            f"{_e(area['title'])}<small>{passed} of {len(members)} passed</small></th></tr>"
        )
        rows += [_row(entry) for entry in members]
        rows.append("</tbody>")
    return (
        '<section><h2>Requirements</h2><table class="reqs">'
        '<colgroup><col class="id"><col class="level"><col class="outcome"><col></colgroup>'
        "<thead><tr><th>ID</th><th>Level</th><th>Outcome</th><th>Requirement</th></tr></thead>"
        f"{''.join(rows)}</table></section>"
    )


def _row(entry: dict[str, Any]) -> str:
    outcome = entry["outcome"]
    level = entry["level"] if entry["level"] == "MUST" else f'<span class="should">{entry["level"]}</span>'
    reason = f'<div class="reason">{_e(entry["reason"])}</div>' if entry["reason"] else ""
    evidence = "".join(failure_html(failure) for failure in entry["failures"])
    evidence += "".join(error_html(error) for error in entry["errors"])
    return (
        f'<tr class="{outcome}" id="{_e(entry["id"])}"><td class="id">{_e(entry["id"])}</td><td>{level}</td>'
        f'<td><span class="badge {outcome}">{outcome}</span></td>'
        f"<td>{_e(entry['title'])}{_tests(entry)}{reason}{evidence}</td></tr>"
    )


def _tests(entry: dict[str, Any]) -> str:
    if not entry["tests"]:
        return ""
    items = "".join(f"<li><code>{_e(test['test'])}</code> {_e(test['outcome'])}</li>" for test in entry["tests"])
    count = len(entry["tests"])
    return f'<details class="tests"><summary>{count} test{"s" if count > 1 else ""}</summary><ul>{items}</ul></details>'


def _first_line(text: str, limit: int = 160) -> str:
    line = (text.splitlines() or [""])[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"
