"""The one HTTP client of the suite: every request goes through `SegmentApi` and is recorded.

Whatever the target does, a request ends within `--request-timeout` (a deadline for the whole response,
not per read), reads at most MAX_BODY bytes of body, and never raises from the target's answer: a fault
becomes an exchange with status 0 and a `network_error` naming it. Waits for 429 and 503 draw on a
wait budget shared by the run and end early on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import email.utils
import json
import re
import ssl
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import httpcore
import httpx

from eloqua_conformance.credentials import MASK, Secret
from eloqua_conformance.exchange import Exchange, Reproduction
from eloqua_conformance.resources import SEGMENTS_ROOT

__all__ = ["DEFAULT_WAIT_BUDGET", "GONE_AFTER", "INTERRUPTS", "MAX_BODY", "MAX_RETRIES", "Interrupts", "RateLimiter",
           "Recorder", "SegmentApi", "TargetGone", "TargetThrottled", "WaitBudget", "http_client",
           "retry_after"]  # fmt: skip

MAX_RETRIES = 3  # for 429 and 503, Eloqua's "slow down" and "temporarily unavailable"
DEFAULT_WAIT_BUDGET = 120.0  # seconds a run may spend waiting out 429 and 503 in all
CLEANUP_WAIT = 30.0  # seconds of waiting the clean-up may spend on its own, after the run's budget
GONE_AFTER = 3  # consecutive faults (or requests still throttled after every retry) that end the run
MAX_BODY = 16 * 1024 * 1024  # bytes of response body read; beyond, the exchange is cut off and fails
RECORD_BYTES = 64 * 1024 * 1024  # bytes of bodies the recorder keeps whole; beyond, older ones are compacted
ACCEPT_ENCODING = "gzip, deflate"  # what the client can decode within MAX_BODY
_FAULT = re.compile(r"\bcode\s*=\s*5\d\d\b")
_WRITE = re.compile(r"/segment(?:/[^/]+/copy)?/?$", re.IGNORECASE)  # create and copy
_UNSET: Any = object()


class TargetGone(Exception):
    """The target stopped answering mid-run: the run cannot go on (exit status 2)."""


class TargetThrottled(TargetGone):
    """The target throttles or is unavailable beyond the wait budget (exit status 2)."""


class Interrupts:
    """Ctrl-C and SIGTERM, acted on only between requests (install `handler` for both signals).

    A KeyboardInterrupt raised inside pytest's own hooks is an internal error, and one raised while a
    response is read leaves the connection in an unknown state. So the handler only notes the signal,
    and `check` raises where stopping is safe: before each request, after each wait, and before each test.
    Waits end within a tenth of a second of a signal. A second signal stops at once.
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
        deadline = time.monotonic() + max(0.0, seconds)
        while self.pending is None and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.1))


INTERRUPTS = Interrupts()


def retry_after(headers: dict[str, str], attempt: int) -> float:
    """Seconds to wait before retrying: Retry-After (seconds or HTTP date), else 1, 2, 4 s. Never raises."""
    value = str(headers.get("retry-after", "")).strip()
    if value.isascii() and value.isdigit():  # "²".isdigit() is true, and int("²") raises
        return float(min(int(value[:12]), 10**9))
    if value:
        try:
            when = email.utils.parsedate_to_datetime(value)
            return min(max(0.0, when.timestamp() - time.time()), 1e9)
        except (TypeError, ValueError, OverflowError, IndexError, AttributeError):
            pass
    return float(2**min(attempt, 10))


class WaitBudget:
    """Seconds the run may still spend waiting out 429 and 503 (thread-safe)."""

    def __init__(self, seconds: float = DEFAULT_WAIT_BUDGET) -> None:
        self._lock = threading.Lock()
        self.total = seconds
        self.spent = 0.0

    @property
    def left(self) -> float:
        with self._lock:
            return max(0.0, self.total - self.spent)

    def take(self, seconds: float) -> bool:
        """Spend `seconds` if that many are left; False (spending nothing) if not."""
        with self._lock:
            if seconds > self.total - self.spent + 1e-9:
                return False
            self.spent += seconds
            return True

    def extend(self, seconds: float) -> None:
        """Allow `seconds` more from now on (the clean-up gets its own allowance)."""
        with self._lock:
            self.total = max(self.total, self.spent) + seconds


def _id_text(value: Any) -> str | None:
    """A segment id as text, whatever its JSON type (a server may send 12, "12" or 12.0); None if it is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value.strip() and len(value) <= 200:
        return value
    return None


def is_write(exchange: Exchange) -> bool:
    """A create or a copy: a request that may make a segment."""
    return exchange.method == "POST" and bool(_WRITE.search(urlsplit(exchange.url).path))


class Recorder:
    """Every exchange of the run, the segment ids seen, and the ids the run created (thread-safe).

    Created ids are tracked here, where every response passes, so no test can forget to register one:
    any 2xx answer to a create or copy counts, whatever the status and the id's JSON type. An id seen
    earlier in the run that this run did not create is never taken as created (a server that honours an
    `id` sent in the body must not make the run delete someone else's segment); nor is a protected id.
    What is kept of each exchange is bounded (Exchange.compact), so memory stays bounded.
    """

    def __init__(self, protected: frozenset[str] = frozenset()) -> None:
        self._lock = threading.Lock()
        self.exchanges: list[Exchange] = []
        self.seen_ids: set[str] = set()
        self.created: dict[str, None] = {}  # insertion-ordered set of ids not yet deleted
        self.ever_created: set[str] = set()
        self.created_total = 0
        self.protected = set(protected)  # never taken as created (--source-segment-id)
        self.writes = 0  # create and copy requests sent
        self.retries: list[str] = []  # one line per 429/503 that was waited out
        self.consecutive_faults = 0
        self.consecutive_throttled = 0
        self.kept_bytes = 0  # bytes of bodies the recorded exchanges hold
        self.serving: tuple[str, ...] = ()  # the requirement IDs of the test running now (set by the plugin)
        self._compacted = 0  # exchanges before this index are compact copies

    def add(self, exchange: Exchange) -> None:
        body = exchange.json() if 200 <= exchange.status < 300 else None
        segment_id = _id_text(body.get("id")) if isinstance(body, dict) else None
        write = is_write(exchange)
        with self._lock:
            self.exchanges.append(exchange)
            self._keep_within_budget(exchange)
            self.writes += write
            ours = segment_id not in self.seen_ids or segment_id in self.ever_created
            if segment_id is not None and write and segment_id not in self.protected and ours:
                self.created[segment_id] = None
                self.ever_created.add(segment_id)
                self.created_total += 1
            if segment_id is not None and isinstance(body, dict) and body.get("type", "ContactSegment") in (
                "ContactSegment",
            ):
                self.seen_ids.add(segment_id)
            if exchange.method == "DELETE" and exchange.status in (200, 204, 404):
                self.created.pop(_last_path_segment(exchange.url), None)

    def _keep_within_budget(self, exchange: Exchange) -> None:
        """Past RECORD_BYTES of bodies kept, the oldest exchanges are kept as compact copies (Exchange.compact).

        The copy replaces the entry here only: whoever holds the exchange itself (the test that made it, a
        fixture) keeps it whole. Against an ordinary target nothing is ever compacted.
        """
        self.kept_bytes += _bytes_of(exchange)
        while self.kept_bytes > RECORD_BYTES and self._compacted < len(self.exchanges):
            old = self.exchanges[self._compacted]
            compact = old.compact()
            self.exchanges[self._compacted] = compact
            self.kept_bytes += _bytes_of(compact) - _bytes_of(old)
            self._compacted += 1

    def note_retry(self, line: str) -> None:
        with self._lock:
            self.retries.append(line)

    def note_fault(self, faulted: bool) -> int:
        """Count consecutive network faults; the count so far."""
        with self._lock:
            self.consecutive_faults = self.consecutive_faults + 1 if faulted else 0
            return self.consecutive_faults

    def note_throttled(self, throttled: bool) -> int:
        """Count consecutive requests still throttled after every retry; the count so far."""
        with self._lock:
            self.consecutive_throttled = self.consecutive_throttled + 1 if throttled else 0
            return self.consecutive_throttled

    def created_ids(self) -> list[str]:
        with self._lock:
            return list(self.created)

    def snapshot(self) -> list[Exchange]:
        with self._lock:
            return list(self.exchanges)

    def count(self) -> int:
        """How many exchanges the run has recorded so far."""
        with self._lock:
            return len(self.exchanges)

    def status_counts(self) -> Counter[int]:
        return Counter(exchange.status for exchange in self.snapshot())


def _bytes_of(exchange: Exchange) -> int:
    return len(exchange.request_body) + len(exchange.response_body)


def _last_path_segment(url: str) -> str:
    return unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])


class RateLimiter:
    """Spaces requests at least 1/max_rps seconds apart, across threads; the wait ends early on a signal."""

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
        INTERRUPTS.sleep(start - now)


# --- a deadline for the whole response ---------------------------------------------------
# httpx's timeouts bound each read; a server trickling a byte a second never trips them. The deadline of
# the request in flight (per thread) caps the timeout of every socket operation httpcore makes for it.
_DEADLINE = threading.local()


def _bounded(timeout: float | None, timeout_error: type[Exception]) -> float | None:
    deadline: float | None = getattr(_DEADLINE, "at", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise timeout_error("no complete response within the request timeout")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:  # fmt: skip
        tls = self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:  # fmt: skip
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(super().connect_tcp(host, port, bounded, local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> httpcore.NetworkStream:  # fmt: skip
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(super().connect_unix_socket(path, bounded, socket_options))


def http_client(timeout: float, verify: ssl.SSLContext | bool = True) -> httpx.Client:
    """The run's httpx client: no redirects, env proxies honoured, every socket operation under the deadline."""
    http = httpx.Client(timeout=timeout, verify=verify, follow_redirects=False,
                        headers={"Accept-Encoding": ACCEPT_ENCODING})  # fmt: skip
    # httpx has no public hook for the network backend; its pools take one, read when a connection opens.
    transports = [getattr(http, "_transport", None), *getattr(http, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if isinstance(pool, httpcore.ConnectionPool) and hasattr(pool, "_network_backend"):
            pool._network_backend = _DeadlineBackend()
    return http


def _decode(body: bytes, encoding: str, limit: int) -> tuple[bytes, bool, str]:
    """`body` decoded per Content-Encoding, at most `limit` bytes: (body, cut off, problem or "")."""
    for coding in reversed([part.strip().lower() for part in encoding.split(",") if part.strip()]):
        if coding == "identity":
            continue
        if coding not in ("gzip", "x-gzip", "deflate"):
            return body, False, f"Content-Encoding {coding!r}, which the suite did not accept ({ACCEPT_ENCODING})"
        wbits = [zlib.MAX_WBITS | 16] if coding != "deflate" else [zlib.MAX_WBITS, -zlib.MAX_WBITS]
        for bits in wbits:
            try:
                decoder = zlib.decompressobj(bits)
                plain = decoder.decompress(body, limit + 1)
            except zlib.error as error:
                problem = f"a body that does not decode as Content-Encoding {coding}: {error}"
                continue
            if len(plain) > limit or decoder.unconsumed_tail:
                return plain[:limit], True, ""
            body, problem = plain, ""
            break
        if problem:
            return body, False, problem
    return body, False, ""


def _read_body(response: httpx.Response, deadline: float) -> tuple[bytes, int, bool, bool]:
    """The body, at most MAX_BODY bytes: (body, bytes received, cut off, already decoded)."""
    if response.is_stream_consumed:  # an in-process transport hands over a response already read (and decoded)
        content = response.content
        return content[:MAX_BODY], len(content), len(content) > MAX_BODY, True
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        room = MAX_BODY - size
        size += len(chunk)
        if size > MAX_BODY:
            chunks.append(chunk[:room])
            return b"".join(chunks), size, True, False
        chunks.append(chunk)
        if time.monotonic() > deadline:  # a transport without the deadline backend (in-process) ends here
            raise httpx.ReadTimeout("no complete response within the request timeout")
    return b"".join(chunks), size, False, False


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
        budget: WaitBudget | None = None,
        reproduce: Reproduction | None = None,
    ) -> None:
        self.http = http
        self.redact = redact  # applied to recorded headers and bodies, so no exchange ever holds a secret
        self.base_url = base_url.rstrip("/")
        self.recorder = recorder
        self.limiter = limiter
        self.authorization = None if authorization is None else Secret(authorization)  # repr shows ***
        self.budget = budget if budget is not None else WaitBudget()
        self.reproduce = reproduce  # how a curl line sends these credentials (see Exchange.curl)
        timeouts = [t for t in (http.timeout.connect, http.timeout.read, http.timeout.write) if t is not None]
        self.timeout = max(timeouts, default=10.0)  # the whole-response deadline

    def __repr__(self) -> str:
        return f"<SegmentApi {self.base_url} as {'nobody' if self.authorization is None else MASK}>"

    def as_identity(self, authorization: str | None, reproduce: Reproduction | None = None) -> SegmentApi:
        """The same client, sending another Authorization header (None: none at all).

        `reproduce` says how a curl line sends it; without one, curl lines print the header as sent (masked).
        """
        where = self.reproduce.without_credentials() if self.reproduce else None
        return SegmentApi(self.http, self.base_url, self.recorder, self.limiter, authorization, self.redact,
                          self.budget, reproduce or where)  # fmt: skip

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
        """Send one request and record it; a fault gives an exchange with status 0 naming it. Never raises
        but TargetGone (the target stopped answering, or throttles beyond the wait budget) and
        KeyboardInterrupt (a signal noted before the request or during a wait)."""
        INTERRUPTS.check()
        sent_headers = {"Accept": "application/json"}
        if self.authorization is not None:
            sent_headers["Authorization"] = self.authorization
        if json_body is not _UNSET:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8", "surrogatepass")
        if content is not None and content_type is not None:
            sent_headers["Content-Type"] = content_type
        sent_headers.update(headers or {})
        fault_requested = bool(_FAULT.search(str(sent_headers.get("Prefer", ""))))
        try:
            request = self.http.build_request(method, self.url(path), content=content, headers=sent_headers,
                                              params=params)  # fmt: skip
        except Exception as error:  # a header that cannot be encoded, a URL httpx refuses
            masked = {name: self._masked(value) for name, value in sent_headers.items()}
            why = self.redact(f"request not sent: {type(error).__name__}: {error}")
            exchange = Exchange(method, self.url(path), masked, content or b"", fault_requested=fault_requested,
                                network_error=why)  # fmt: skip
            self.recorder.add(exchange)
            return exchange
        del sent_headers  # the raw Authorization header lives on in `request` only (httpx masks it in repr)
        exchange = Exchange(
            method=method,
            url=str(request.url),
            request_headers={name: self._masked(value) for name, value in request.headers.items()},
            request_body=content or b"",
            fault_requested=fault_requested,
            reproduce=self.reproduce,
            started_at=time.time(),
            requirements=self.recorder.serving,
        )
        clock = time.monotonic()
        try:
            self._attempts(request, exchange)
        finally:
            exchange.elapsed = time.monotonic() - clock
            self._finish(exchange)
        return exchange

    def _attempts(self, request: httpx.Request, exchange: Exchange) -> None:
        """Send, waiting out 429 and 503 up to MAX_RETRIES times within the wait budget."""
        for attempt in range(MAX_RETRIES + 1):
            self.limiter.wait()
            INTERRUPTS.check()  # before the request: nothing is lost
            self._send(request, exchange)
            if exchange.status not in (429, 503) or exchange.fault_requested or attempt == MAX_RETRIES:
                break
            wait = retry_after(exchange.response_headers, attempt)
            what = f"{exchange.status} on {exchange.method} {exchange.url}"
            if not self.budget.take(wait):
                raise TargetThrottled(
                    f"target throttles/unavailable: {what} asks to wait {wait:g} s, more than is left of the "
                    f"wait budget ({self.budget.left:g} of {self.budget.total:g} s; --wait-budget)"
                )
            self.recorder.note_retry(f"{what}: retry {attempt + 1} after {wait:g} s")
            INTERRUPTS.sleep(wait)
            INTERRUPTS.check()  # a signal during the wait stops the run now, not after the wait
        throttled = exchange.status in (429, 503) and not exchange.fault_requested
        if self.recorder.note_throttled(throttled) >= GONE_AFTER:
            raise TargetThrottled(
                f"target throttles/unavailable: {GONE_AFTER} requests in a row still answered 429 or 503 after "
                f"{MAX_RETRIES} retries each, last: {exchange.status} on {exchange.method} {exchange.url}"
            )

    def _finish(self, exchange: Exchange) -> None:
        """Mask what came back and record the exchange."""
        # A server may echo credentials back (an error page quoting the Authorization header): the record
        # of the response is masked too, so no check message or report can carry a secret.
        exchange.response_headers = {self.redact(k): self.redact(v) for k, v in exchange.response_headers.items()}
        masked = self.redact(exchange.response_body.decode("utf-8", "surrogateescape"))
        exchange.response_body = masked.encode("utf-8", "surrogateescape")
        exchange.network_error = self.redact(exchange.network_error)
        self.recorder.add(exchange)

    def _masked(self, value: str) -> str:
        """A header value with every secret masked (the redactor also masks base64 that decodes to one)."""
        return self.redact(str(value))

    def _send(self, request: httpx.Request, exchange: Exchange) -> None:
        """Fill `exchange` with the outcome of one attempt; raise TargetGone after too many faults in a row."""
        exchange.status, exchange.response_headers, exchange.response_body, exchange.network_error = 0, {}, b"", ""
        exchange.body_bytes, exchange.truncated = -1, False
        deadline = time.monotonic() + self.timeout
        _DEADLINE.at = deadline
        try:
            response = self.http.send(request, stream=True)
            try:
                status, headers = response.status_code, dict(response.headers)
                raw, received, cut, decoded = _read_body(response, deadline)
            finally:
                response.close()
            encoding = "" if decoded else headers.get("content-encoding", "")
            body, cut_in_decoding, problem = _decode(raw, encoding, MAX_BODY)
            exchange.response_headers, exchange.response_body = headers, body
            exchange.body_bytes = max(received, len(body)) if cut or cut_in_decoding else -1
            if cut or cut_in_decoding:
                exchange.truncated = True
                exchange.network_error = (f"response cut off: {status} with a body of more than {MAX_BODY} bytes "
                                          "(the suite reads at most 16 MiB of a response)")  # fmt: skip
            elif problem:
                exchange.network_error = f"unusable response: {status} with {problem}"
            else:
                exchange.status = status
        except Exception as error:  # whatever the target does: a fault of this exchange, never a crash
            late = time.monotonic() >= deadline - 0.01
            kind = f"{type(error).__name__}: {error}".rstrip(": ")
            if late and isinstance(error, httpx.TimeoutException):
                kind = f"{type(error).__name__}: no complete response within {self.timeout:g} s (--request-timeout)"
            exchange.network_error = f"network fault: {kind}"
        finally:
            _DEADLINE.at = None
        if exchange.truncated:  # keep little of a body that is judged a failure anyway
            exchange.response_body = exchange.response_body[:8192]
        if self.recorder.note_fault(bool(exchange.network_error)) >= GONE_AFTER:
            self._finish(exchange)
            raise TargetGone(self.redact(f"target stopped answering usably: {GONE_AFTER} faults in a row, last: "
                                         f"{exchange.method} {exchange.url}: {exchange.network_error}"))  # fmt: skip

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
        return self.request("GET", f"/segment/{quote(str(segment_id), safe='')}", params={"depth": depth})

    def delete(self, segment_id: int | str) -> Exchange:
        # Percent-encoded: an id a target made up ("../segments") must not reach another resource.
        return self.request("DELETE", f"/segment/{quote(str(segment_id), safe='')}")

    def search(self, name_prefix: str, page: int = 1, count: int = 100, anywhere: bool = False) -> Exchange:
        """GET .../segments?search=name='PREFIX*' (`anywhere`: '*PREFIX*', the prefix anywhere in the name)."""
        pattern = f"*{name_prefix}*" if anywhere else f"{name_prefix}*"
        params = {"search": f"name='{pattern}'", "page": str(page), "count": str(count), "depth": "minimal"}
        return self.request("GET", "/segments", params=params)
