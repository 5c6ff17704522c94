"""The evidence of a failed requirement on the HTML page: expected, actual, exchanges, curl."""

from __future__ import annotations

import json
from typing import Any

from eloqua_conformance.exchange import NO_JSON, parse_json

from .text import html_text as _e

__all__ = ["error_html", "failure_html"]


def failure_html(failure: dict[str, Any]) -> str:
    """One failure in a <details>: expected, actual, and each exchange with its curl line."""
    exchanges = failure["exchanges"]
    blocks = [_exchange(exchange, index, len(exchanges)) for index, exchange in enumerate(exchanges, 1)]
    if failure["exchanges_total"] > len(exchanges):
        blocks.append(f'<p class="muted">The first {len(exchanges)} of {failure["exchanges_total"]} exchanges.</p>')
    return (
        f"<details><summary>Evidence from <code>{_e(failure['test'])}</code></summary>"
        f'<div class="evidence"><dl><dt>Expected</dt><dd>{_e(failure["expected"])}</dd>'
        f"<dt>Actual</dt><dd>{_e(failure['actual'])}</dd></dl>{''.join(blocks)}</div></details>"
    )


def _exchange(exchange: dict[str, Any], index: int, total: int) -> str:
    request, response = exchange["request"], exchange["response"]
    sent = "\n".join([request["line"], *_header_lines(request["headers"]), "", _body(request)])
    if exchange["network_error"]:
        got = exchange["network_error"]
    else:
        got = "\n".join([f"HTTP {response['status']}", *_header_lines(response["headers"]), "", _body(response)])
    return (
        f"<h4>Exchange {index} of {total}: request</h4><pre>{_e(sent.rstrip())}</pre>"
        f"<h4>Response</h4><pre>{_e(got.rstrip())}</pre>"
        f"<h4>Reproduce</h4><pre>{_e(exchange['curl'])}</pre>"
        + (f"<p>{_e(exchange['reproduce_note'])}</p>" if exchange["reproduce_note"] else "")
    )


def _header_lines(headers: dict[str, str]) -> list[str]:
    return [f"{name}: {value}" for name, value in headers.items()]


def _body(message: dict[str, Any]) -> str:
    if message["body_truncated"]:
        return f"{message['body']}\n… ({message['body_bytes']} bytes in all)"
    parsed = parse_json(str(message["body"]))  # bounded in depth and size: never a RecursionError
    if parsed is NO_JSON:  # a whole JSON body reads better indented; anything else is shown as it came
        return str(message["body"])
    return json.dumps(parsed, indent=2, ensure_ascii=False)


def error_html(error: dict[str, Any]) -> str:
    """One error (a test that broke before it could judge) in a <details>."""
    return (
        f"<details><summary>Error in <code>{_e(error['test'])}</code></summary>"
        f'<div class="evidence"><pre>{_e(error["message"])}</pre></div></details>'
    )
