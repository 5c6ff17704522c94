"""A recorded exchange as report evidence: request, response, body excerpts and a curl line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eloqua_conformance.exchange import Exchange

__all__ = ["BODY_EXCERPT", "exchange_evidence"]

BODY_EXCERPT = 2000  # characters of each body kept in a report


def exchange_evidence(exchange: Exchange, redact: Callable[[str], str]) -> dict[str, Any]:
    """What was sent and what came back, every secret masked."""
    return {
        "request": {
            "line": redact(f"{exchange.method} {exchange.url}"),
            "headers": _headers(exchange.request_headers, redact),
            **_body(exchange.request_body, redact),
        },
        "response": {
            "status": exchange.status,
            "headers": _headers(exchange.response_headers, redact),
            **_body(exchange.response_body, redact),
        },
        "network_error": redact(exchange.network_error) or None,
        "curl": exchange.curl(redact),
    }


def _headers(headers: dict[str, str], redact: Callable[[str], str]) -> dict[str, str]:
    return {redact(name): redact(value) for name, value in headers.items()}


def _body(body: bytes, redact: Callable[[str], str]) -> dict[str, Any]:
    # Masked before it is cut, so a secret across the cut cannot survive in part.
    text = redact(body.decode("utf-8", "replace"))
    return {"body": text[:BODY_EXCERPT], "body_bytes": len(body), "body_truncated": len(text) > BODY_EXCERPT}
