"""The one HTTP client of the suite: every request goes through `SegmentApi` and is recorded."""

from __future__ import annotations

import email.utils
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from eloqua_conformance.credentials import MASK, decode_basic
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.resources import SEGMENTS_ROOT

__all__ = ["INTERRUPTS", "MAX_RETRIES", "Interrupts", "RateLimiter", "Recorder", "SegmentApi", "TargetGone"]

MAX_RETRIES = 3  # for 429 and 503, Eloqua's "slow down" and "temporarily unavailable"
MAX_WAIT = 30.0  # seconds: a longer Retry-After is capped so a run stays bounded in time
GONE_AFTER = 3  # consecutive network faults after which the target is taken to be gone
_FAULT = re.compile(r"\bcode\s*=\s*5\d\d\b")
_UNSET: Any = object()


class TargetGone(Exception):
    """The target stopped answering mid-run: the run cannot go on (exit status 2)."""


class Interrupts:
    """Ctrl-C and SIGTERM, acted on only between requests (install `handler` for both signals).

    A KeyboardInterrupt raised while a copy is in flight loses the id of the segment the target has just
    created, so clean-up could not delete it; and one raised inside pytest's own hooks is an internal
    error. So the handler only notes the signal, and `check` raises where stopping is safe: before and
    after each request, and before each test. A second signal stops at once.
    """

    def __init__(self) -> None:
        self.pending: int | None = None

    def handler(self, signum: int, frame: Any) -> None:
        if self.pending is not None:
            raise KeyboardInterrupt(f"signal {signum} (twice)")
        self.pending = signum

    def check(self) -> None:
        """Raise KeyboardInterrupt for a signal noted earlier (in the main thread only, where pytest expects it)."""
        if self.pending is not None and threading.current_thread() is threading.main_thread():
            signum, self.pending = self.pending, None
            raise KeyboardInterrupt(f"signal {signum}")

    def sleep(self, seconds: float) -> None:
        """time.sleep that ends early when a signal is noted."""
        deadline = time.monotonic() + seconds
        while self.pending is None and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))


INTERRUPTS = Interrupts()


def retry_after(headers: dict[str, str], attempt: int) -> float:
    """Seconds to wait before retrying: Retry-After (seconds or HTTP date), else 1, 2, 4 s; capped."""
    value = headers.get("retry-after", "").strip()
    if value.isdigit():
        return min(float(value), MAX_WAIT)
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return min(max(0.0, when.timestamp() - time.time()), MAX_WAIT)
        except (TypeError, ValueError):
            pass
    return min(2.0**attempt, MAX_WAIT)


class Recorder:
    """Every exchange of the run, the segment ids seen, and the ids the run created (thread-safe).

    Created ids are tracked here, where every response passes, so no test can forget to register one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.seen_ids: set[str] = set()
        self.created: dict[str, None] = {}  # insertion-ordered set of ids not yet deleted
        self.created_total = 0
        self.retries: list[str] = []  # one line per 429/503 that was waited out
        self.consecutive_faults = 0

    def add(self, exchange: Exchange) -> None:
        body = exchange.json() if 200 <= exchange.status < 300 else None
        segment_id = body.get("id") if isinstance(body, dict) else None
        with self._lock:
            self.exchanges.append(exchange)
            if isinstance(segment_id, str) and body.get("type", "ContactSegment") == "ContactSegment":
                self.seen_ids.add(segment_id)
                if exchange.method == "POST" and exchange.status == 201:
                    self.created[segment_id] = None
                    self.created_total += 1
            if exchange.method == "DELETE" and exchange.status in (200, 204, 404):
                self.created.pop(_last_path_segment(exchange.url), None)

    def note_retry(self, line: str) -> None:
        with self._lock:
            self.retries.append(line)

    def note_fault(self, faulted: bool) -> int:
        """Count consecutive network faults; the count so far."""
        with self._lock:
            self.consecutive_faults = self.consecutive_faults + 1 if faulted else 0
            return self.consecutive_faults

    def created_ids(self) -> list[str]:
        with self._lock:
            return list(self.created)

    def snapshot(self) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges)

    def status_counts(self) -> Counter[int]:
        return Counter(exchange.status for exchange in self.snapshot())


def _last_path_segment(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


class RateLimiter:
    """Spaces requests at least 1/max_rps seconds apart, across threads."""

    def __init__(self, max_rps: float | None) -> None:
        self._interval = 1.0 / max_rps if max_rps else 0.0
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        if not self._interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        time.sleep(max(0.0, start - now))


class SegmentApi:
    """Segment operations as one identity (`authorization` is the Authorization header, or None)."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        recorder: Recorder,
        limiter: RateLimiter,
        authorization: str | None,
        redact: Callable[[str], str] = str,
    ) -> None:
        self.http = http
        self.redact = redact  # applied to recorded headers, so no exchange ever holds a secret
        self.base_url = base_url.rstrip("/")
        self.recorder = recorder
        self.limiter = limiter
        self.authorization = authorization

    def as_identity(self, authorization: str | None) -> SegmentApi:
        """The same client, sending another Authorization header (None: none at all)."""
        return SegmentApi(self.http, self.base_url, self.recorder, self.limiter, authorization, self.redact)

    def url(self, path: str) -> str:
        return f"{self.base_url}{SEGMENTS_ROOT}{path}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = _UNSET,
        content: bytes | None = None,
        content_type: str | None = "application/json",
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Exchange:
        """Send one request and record it; a network fault gives an exchange with status 0."""
        sent_headers = {"Accept": "application/json"}
        if self.authorization is not None:
            sent_headers["Authorization"] = self.authorization
        if json_body is not _UNSET:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
        if content is not None and content_type is not None:
            sent_headers["Content-Type"] = content_type
        sent_headers.update(headers or {})
        request = self.http.build_request(method, self.url(path), content=content, headers=sent_headers, params=params)
        exchange = Exchange(
            method=method,
            url=str(request.url),
            request_headers={name: self._masked(name, value) for name, value in request.headers.items()},
            request_body=content or b"",
            fault_requested=bool(_FAULT.search(sent_headers.get("Prefer", ""))),
        )
        for attempt in range(MAX_RETRIES + 1):
            self.limiter.wait()
            self._send(request, exchange)
            if exchange.status not in (429, 503) or attempt == MAX_RETRIES:
                break
            wait = retry_after(exchange.response_headers, attempt)
            line = f"{exchange.status} on {method} {exchange.url}: retry {attempt + 1} after {wait:g} s"
            self.recorder.note_retry(line)
            time.sleep(wait)
        # A server may echo credentials back (an error page quoting the Authorization header): the record
        # of the response is masked too, so no check message or report can carry a secret.
        exchange.response_headers = {name: self.redact(value) for name, value in exchange.response_headers.items()}
        masked = self.redact(exchange.response_body.decode("utf-8", "surrogateescape"))
        exchange.response_body = masked.encode("utf-8", "surrogateescape")
        self.recorder.add(exchange)
        return exchange

    def _masked(self, name: str, value: str) -> str:
        """A header value with every secret masked, including a Basic credential that decodes to one.

        AUTHN-02 sends the real user with a wrong password: `redact` does not know that base64, but it
        decodes to `Site\\User:<password>-wrong`, so it is masked whole.
        """
        masked = self.redact(value)
        scheme, _, token = masked.partition(" ")
        if name.lower() != "authorization" or scheme.lower() != "basic" or MASK in token:
            return masked
        login = decode_basic(token)
        if login is None:
            return masked
        decoded = f"{login.site}\\{login.user}:{login.password}"
        return f"{scheme} {MASK}" if self.redact(decoded) != decoded else masked

    def _send(self, request: httpx.Request, exchange: Exchange) -> None:
        """Fill `exchange` with the outcome of one attempt; raise TargetGone after too many faults in a row."""
        exchange.status, exchange.response_headers, exchange.response_body, exchange.network_error = 0, {}, b"", ""
        try:
            response = self.http.send(request)
            exchange.status = response.status_code
            exchange.response_headers = dict(response.headers)
            exchange.response_body = response.content
        except httpx.TransportError as error:
            exchange.network_error = f"network fault: {type(error).__name__}: {error}".rstrip(": ")
        if self.recorder.note_fault(bool(exchange.network_error)) >= GONE_AFTER:
            self.recorder.add(exchange)
            raise TargetGone(f"target stopped answering: {GONE_AFTER} network faults in a row, last: "
                             f"{exchange.method} {exchange.url}: {exchange.network_error}")

    # --- the operation under test --------------------------------------------------------
    def copy(self, segment_id: int | str, body: Any = _UNSET, **kwargs: Any) -> Exchange:
        """POST .../segment/{id}/copy; `segment_id` is sent verbatim (percent-encoded)."""
        if body is _UNSET and "content" not in kwargs:
            body = {}
        return self.request("POST", f"/segment/{quote(str(segment_id), safe='')}/copy", json_body=body, **kwargs)

    # --- supporting operations -----------------------------------------------------------
    def create(self, body: dict[str, Any]) -> Exchange:
        return self.request("POST", "/segment", json_body=body)

    def retrieve(self, segment_id: int | str, depth: str = "complete") -> Exchange:
        return self.request("GET", f"/segment/{segment_id}", params={"depth": depth})

    def delete(self, segment_id: int | str) -> Exchange:
        return self.request("DELETE", f"/segment/{segment_id}")

    def search(self, name_prefix: str, page: int = 1, count: int = 100) -> Exchange:
        params = {"search": f"name='{name_prefix}*'", "page": str(page), "count": str(count), "depth": "minimal"}
        return self.request("GET", "/segments", params=params)
