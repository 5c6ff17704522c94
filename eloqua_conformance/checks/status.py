"""STATUS: across the run, no unrequested 5xx, every documented status seen, and no HTML or stack trace in errors."""

from __future__ import annotations

import re

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import fail

from ._common import body_of, got, media_type, strings, text_of
from .registry import Context, check

__all__ = ["error_body_not_html_or_trace", "every_status_observed", "no_unrequested_5xx"]

_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|\bat [\w.$]+\([\w]+\.java:\d+\)|Exception in thread")
_HTML = re.compile(r"^\s*(<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@check("STATUS-01")
def no_unrequested_5xx(context: Context, exchange: Exchange | None) -> None:
    """STATUS-01: no 5xx unless the request asked for one with Prefer: code=5xx."""
    if exchange is not None and exchange.status >= 500 and not exchange.fault_requested:
        raise fail("STATUS-01", "no 5xx for a request that did not ask for one", got(exchange), exchange)


@check("STATUS-02")
def every_status_observed(context: Context, exchange: Exchange | None) -> None:
    """STATUS-02: each of these documented statuses was answered at least once in the run."""
    missing = [status for status in sorted(context.statuses) if not context.counts.get(status)]
    if missing:
        seen = ", ".join(f"{status}x{count}" for status, count in sorted(context.counts.items()))
        raise fail("STATUS-02", f"each of {sorted(context.statuses)} observed", f"never saw {missing}; saw {seen}")


@check("STATUS-03")
def error_body_not_html_or_trace(context: Context, exchange: Exchange | None) -> None:
    """STATUS-03: a 4xx/5xx body is empty, JSON or plain text, never an HTML page and never a stack trace."""
    if exchange is None or exchange.status < 400 or not bytes(exchange.response_body).strip():
        return
    text = text_of(exchange)
    html = media_type(exchange) in _HTML_TYPES or bool(_HTML.search(text[:2000]))
    # JSON escapes a stack trace's newlines and tabs; search the decoded strings as well as the raw text.
    trace = _TRACEBACK.search(text) or _TRACEBACK.search("\n".join(strings(body_of(exchange))))
    if html or trace:
        what = "an HTML page" if html else "a stack trace"
        raise fail("STATUS-03", "an error body that is empty, JSON or plain text, with no stack trace",
                   f"{got(exchange)}, {what}: {text[:200]!r}", exchange)  # fmt: skip
