"""One request and its response, as recorded by the client, and its `curl` reproduction.

Whatever a target sends is safe here: JSON is parsed within bounds of depth and size (deeper or larger
is taken as not JSON, never a RecursionError or a memory blow-up), NaN and Infinity are not JSON, and
bytes that are not UTF-8 are replaced, never raised on.
"""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["EVIDENCE_BYTES", "MAX_JSON_DEPTH", "MAX_JSON_VALUES", "NO_JSON", "Exchange", "Reproduction", "parse_json"]

NO_JSON: Any = object()  # what `json()` returns for an empty, non-JSON, truncated or unreasonably deep body
_EXCERPT = 600
MAX_JSON_DEPTH = 64  # a segment is about 6 deep; deeper is no segment and would exhaust recursion in checks
MAX_JSON_VALUES = 1_000_000  # an upper bound of arrays, objects and array items; bounds the memory a parse takes
EVIDENCE_BYTES = 8192  # of each body, what the run keeps of an exchange when it keeps too much (Recorder)
_KEPT_NODES = 256  # of a kept exchange's JSON, how many values its summary holds


@dataclass(frozen=True)
class Reproduction:
    """What a curl line needs beyond the request: credentials from the environment, and where to send it."""

    auth: tuple[str, ...] = ()  # curl arguments replacing the Authorization header, e.g. ("-u", '"$ELOQUA_AUTH"')
    base_url: str = ""  # replaces the target's base URL (in-process runs: the reference mock served locally)
    setup: str = ""  # what to do before running the line, e.g. "export ELOQUA_AUTH='SITE\\USER:PASSWORD'"
    variable: str = ""  # the environment variable `auth` reads the credentials from, e.g. "ELOQUA_AUTH"

    def without_credentials(self) -> Reproduction:
        """The same place to send to, for a request that carries made-up credentials or none."""
        return Reproduction(base_url=self.base_url, setup=serve_mock(self.base_url))


def serve_mock(base_url: str) -> str:
    """How to start the reference mock where an in-process run's curl lines send (empty: not in-process)."""
    if not base_url:
        return ""
    return f"python -m eloqua_conformance.mock --port {base_url.rsplit(':', 1)[-1]} & (its banner shows the identities)"


@dataclass(repr=False)
class Exchange:
    """A request the suite sent and what came back (status 0 when nothing usable came back)."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: bytes
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: bytes = b""
    network_error: str = ""
    fault_requested: bool = False  # the request carried `Prefer: code=5xx`
    body_bytes: int = -1  # how long the response body was (-1: as long as response_body)
    truncated: bool = False  # the body passed the size cap or the deadline, and was cut off
    reproduce: Reproduction | None = None  # how its curl line reaches the target and sends the credentials
    started_at: float = 0.0  # wall clock (time.time()) when the request was sent
    elapsed: float = 0.0  # seconds until the response was complete (or failed)
    requirements: tuple[str, ...] = ()  # the requirement IDs of the test that sent it
    # A compact copy (what the recorder keeps of a large exchange) answers json() from this summary.
    _summary: Any = field(default=None, compare=False)

    def json(self) -> Any:
        """The response body as JSON, or NO_JSON."""
        if self._summary is not None:
            return self._summary[0]
        return NO_JSON if self.truncated else parse_json(self.response_body)

    def sent_json(self) -> Any:
        """The request body as JSON, or NO_JSON."""
        if self._summary is not None:
            return self._summary[1]
        return parse_json(self.request_body)

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    @property
    def size(self) -> int:
        """Bytes of response body the target sent (at least; more when it was cut off)."""
        return len(self.response_body) if self.body_bytes < 0 else self.body_bytes

    def curl(self, redact: Any = str) -> str:
        """A copy-pasteable curl line; `redact` masks secrets.

        Credentials the run was given come from environment variables (`reproduce.auth`), so the line
        works as printed once they are exported; a header the suite made up is printed as it was sent.
        """
        how = self.reproduce or Reproduction()
        url = how.base_url + self.url[len(self.url.split("/api/", 1)[0]) :] if how.base_url else self.url
        parts = ["curl", "-i", "-X", self.method, url]
        for name, value in self.request_headers.items():
            skipped = {"host", "content-length", "accept-encoding", "connection", "user-agent"}
            if name.lower() in skipped or (how.auth and name.lower() == "authorization"):
                continue
            parts += ["-H", f"{name}: {value}"]
        if self.request_body:
            parts += ["--data-binary", self.request_body.decode("utf-8", "replace")]
        line = str(redact(shlex.join(parts)))
        # Not quoted by shlex on purpose: the shell must expand the variable.
        return f"{line[:4]} {' '.join(how.auth)}{line[4:]}" if how.auth else line

    def summary(self, redact: Any = str) -> str:
        """Request line and response status, with body excerpts, for failure messages."""
        sent = _excerpt(self.request_body)
        got = self.network_error or f"{self.status} {self.content_type} {_excerpt(self.response_body, self.size)}"
        return str(redact(f"{self.method} {self.url} {sent} -> {got.strip()}".strip()))

    def compact(self) -> Exchange:
        """This exchange with each body cut to EVIDENCE_BYTES; json() still answers, from a bounded summary.

        The recorder keeps this of a large exchange, so memory stays bounded however much a target sends.
        """
        if len(self.response_body) <= EVIDENCE_BYTES and len(self.request_body) <= EVIDENCE_BYTES:
            return self
        summary = (_prune(self.json()), _prune(self.sent_json()))
        return replace(self, response_body=self.response_body[:EVIDENCE_BYTES], body_bytes=self.size,
                       request_body=self.request_body[:EVIDENCE_BYTES], _summary=summary)  # fmt: skip

    def __repr__(self) -> str:
        # Short: pytest's -l prints locals, and a body may be megabytes.
        outcome = self.network_error or f"{self.status}, {self.size} bytes"
        return f"<Exchange {self.method} {self.url} -> {outcome}>"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes | str) -> Any:
    """`body` as JSON, or NO_JSON: empty, not JSON, not UTF-8, NaN/Infinity, too deep or too large."""
    if not body:
        return NO_JSON
    raw = body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body
    # An upper bound of the values a parse would build, counted without parsing (brackets in strings count too).
    if raw.count(b"[") + raw.count(b"{") + raw.count(b",") > MAX_JSON_VALUES:
        return NO_JSON
    try:
        value = json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError, MemoryError):
        # ValueError covers bad UTF-8 (UnicodeDecodeError) and integers too long to convert.
        return NO_JSON
    return value if _depth_within(value, MAX_JSON_DEPTH) else NO_JSON


def _depth_within(value: Any, limit: int) -> bool:
    """Whether `value` nests at most `limit` arrays and objects deep (iterative: no recursion to exhaust)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            if isinstance(node, float) and not math.isfinite(node):
                return False  # 1e400 parses as infinity
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def _prune(value: Any) -> Any:
    """A bounded copy of parsed JSON: its first _KEPT_NODES values depth first, strings up to 256 characters.

    Depth first, so the first items of a list are kept whole (an error list keeps whole errors).
    """
    budget = [_KEPT_NODES]

    def copy(node: Any, depth: int) -> Any:
        budget[0] -= 1
        if isinstance(node, str):
            return node[:256]
        if not isinstance(node, dict | list) or depth > 8:
            return node if not isinstance(node, dict | list) else type(node)()
        kept: Any = {} if isinstance(node, dict) else []
        for key, child in node.items() if isinstance(node, dict) else enumerate(node):
            if budget[0] <= 0:
                break
            item = copy(child, depth + 1)
            if isinstance(kept, dict):
                kept[str(key)[:256]] = item
            else:
                kept.append(item)
        return kept

    return value if value is NO_JSON else copy(value, 0)


def _excerpt(body: bytes, size: int | None = None) -> str:
    text = body[: _EXCERPT * 4].decode("utf-8", "replace")
    size = len(body) if size is None else size
    return text if len(text) <= _EXCERPT and size <= len(body) else text[:_EXCERPT] + f"... ({size} bytes)"
