"""The run metadata on the HTML page: target, suite, spec hashes, seed, timing, requests, options."""

from __future__ import annotations

from typing import Any

from .text import html_text as _e

__all__ = ["metadata_html"]


def metadata_html(report: dict[str, Any]) -> str:
    """Run and Options sections: what was tested, with what, from where; how to repeat it."""
    target, spec, hypothesis = report["target"], report["spec"], report["hypothesis"]
    statuses = ", ".join(f"{status}: {count}" for status, count in report["requests"]["by_status"].items())
    rows = [
        ("Target", target["url"] or target["label"]),
        ("Embedded service", target["embedded_service"] or "none (remote target)"),
        ("Verdict", f"{report['verdict']} ({'strict: SHOULD gates too' if report['strict'] else 'MUST gates'})"),
        ("Suite", f"{report['suite']['name']} {report['suite']['version']}"),
        ("OpenAPI", f"{spec['openapi']['path']} sha256 {spec['openapi']['sha256']}"),
        ("Catalogue", f"{spec['catalogue']['path']} sha256 {spec['catalogue']['sha256']}"),
        ("Hypothesis", f"profile {hypothesis['profile']}, seed {hypothesis['seed']} "
                       f"(repeat with --hypothesis-seed={hypothesis['seed']})"),
        ("Started", report["started_at"]),
        ("Duration", f"{report['duration_seconds']:.3f} s"),
        ("Requests", f"{report['requests']['total']} in all; by status {statuses or 'none'}"),
        ("Left behind", ", ".join(report["left_behind"]) or "nothing"),
    ]  # fmt: skip
    meta = "".join(f"<tr><th>{_e(name)}</th><td>{_e(value)}</td></tr>" for name, value in rows)
    options = "".join(
        f"<tr><th><code>{_e(flag)}</code></th><td><code>{_e(_value(option['value']))}</code></td>"
        f'<td class="muted">{_e(option["source"])}</td></tr>'
        for flag, option in report["options"].items()
    )
    return (
        f'<section><h2>Run</h2><table class="meta">{meta}</table></section>'
        '<section><h2>Options</h2><table class="meta options">'
        f"<thead><tr><th>Option</th><th>Value</th><th>From</th></tr></thead>{options}</table></section>"
    )


def _value(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)
