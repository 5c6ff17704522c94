"""Framework-free HTTP request and response values that the service core speaks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

__all__ = ["JsonObject", "Request", "Response", "empty_response", "json_response"]

JsonObject = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """One HTTP request: decoded path, raw query string, lower-cased header names, body bytes."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header_values(self, name: str) -> list[str]:
        """Every value of header `name` (case-insensitive), in order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key == wanted]

    def header(self, name: str) -> str | None:
        """The first value of header `name`, or None."""
        values = self.header_values(name)
        return values[0] if values else None

    def query_param(self, name: str) -> str | None:
        """The first value of query parameter `name`, or None."""
        for key, value in parse_qsl(self.query, keep_blank_values=True):
            if key == name:
                return value
        return None


@dataclass(frozen=True)
class Response:
    """One HTTP response; `headers` never includes Content-Length (the adapters add it)."""

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def json(self) -> Any:
        """The body parsed as JSON (for tests and adapters)."""
        return json.loads(self.body)


def json_response(status: int, payload: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """A JSON response; ASCII escapes keep lone surrogates a client sent representable."""
    body = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return Response(status, body, (("content-type", "application/json"), *headers))


def empty_response(status: int, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """A response with no body."""
    return Response(status, b"", headers)
