"""One request and its response, as recorded by the client, and its `curl` reproduction."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

__all__ = ["NO_JSON", "Exchange"]

NO_JSON: Any = object()  # what `json()` returns for an empty or non-JSON body
_EXCERPT = 600


@dataclass
class Exchange:
    """A request the suite sent and what came back (status 0 when nothing came back)."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    network_error: str = ""
    fault_requested: bool = False  # the request carried `Prefer: code=5xx`

    def json(self) -> Any:
        """The response body as JSON, or NO_JSON."""
        return _parse(self.response_body)

    def sent_json(self) -> Any:
        """The request body as JSON, or NO_JSON."""
        return _parse(self.request_body)

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    def curl(self, redact: Any = str) -> str:
        """A copy-pasteable curl line; `redact` masks secrets."""
        parts = ["curl", "-i", "-X", self.method, self.url]
        for name, value in self.request_headers.items():
            if name.lower() in {"host", "content-length", "accept-encoding", "connection", "user-agent"}:
                continue
            parts += ["-H", f"{name}: {value}"]
        if self.request_body:
            parts += ["--data-binary", self.request_body.decode("utf-8", "replace")]
        return redact(shlex.join(parts))

    def summary(self, redact: Any = str) -> str:
        """Request line and response status, with body excerpts, for failure messages."""
        sent = _excerpt(self.request_body)
        got = self.network_error or f"{self.status} {self.content_type} {_excerpt(self.response_body)}".strip()
        return redact(f"{self.method} {self.url} {sent} -> {got}".strip())


def _parse(body: bytes) -> Any:
    if not body:
        return NO_JSON
    try:
        return json.loads(body)
    except ValueError:
        return NO_JSON


def _excerpt(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    return text if len(text) <= _EXCERPT else text[:_EXCERPT] + f"... ({len(body)} bytes)"
