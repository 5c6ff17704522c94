"""One conformance run: the target, one client per credential role, and what the run created."""

from __future__ import annotations

import importlib
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from eloqua_conformance.client import RateLimiter, Recorder, SegmentApi
from eloqua_conformance.credentials import Credential, Redactor
from eloqua_conformance.exchange import NO_JSON, Exchange
from eloqua_conformance.resources import API_PREFIX
from eloqua_conformance.settings import Settings

__all__ = ["EMBEDDED_URL", "Run", "TargetUnusable", "open_run", "preflight"]

EMBEDDED_URL = "http://embedded-reference-mock"
SUITE_PREFIX = "ecs-"  # every run's prefix is SUITE_PREFIX + 8 hex digits + "-"
_RUN_NAME = re.compile(r"^ecs-[0-9a-f]{8}-")


class TargetUnusable(Exception):
    """The target cannot be tested at all (unreachable, TLS failure, credentials rejected)."""


@dataclass
class Run:
    """Everything a conformance test needs, shared by the session."""

    settings: Settings
    http: httpx.Client
    recorder: Recorder
    api: SegmentApi  # the main identity
    forbidden: SegmentApi | None  # an identity that may not create, if configured
    auth: Credential  # the main identity's credentials
    forbidden_auth: Credential | None
    redact: Redactor
    target_label: str
    selected: frozenset[str] = frozenset()  # requirement IDs this run's tests may judge
    prefix: str = field(default_factory=lambda: f"{SUITE_PREFIX}{secrets.token_hex(4)}-")
    started: float = field(default_factory=time.time)
    left_behind: list[str] = field(default_factory=list)  # ids clean-up could not delete
    swept: list[str] = field(default_factory=list)  # leftovers of earlier runs deleted by --sweep
    gone: str = ""  # why the target is taken to have stopped answering, once it has
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _names: int = 0

    def __repr__(self) -> str:
        # Short on purpose: pytest prints fixture values in failure reports.
        return f"Run(target={self.target_label!r}, prefix={self.prefix!r})"

    @property
    def anonymous(self) -> SegmentApi:
        return self.api.as_identity(None)

    def name(self, label: str) -> str:
        """A segment name carrying the run prefix, unique within the run."""
        with self._lock:
            self._names += 1
            return f"{self.prefix}{label}-{self._names}"

    def delete_created(self, segment_id: str) -> Exchange:
        """Delete a segment this run created; refuses any other id."""
        if segment_id not in self.recorder.created_ids():
            raise ValueError(f"refusing to delete segment {segment_id}: this run did not create it")
        return self.api.delete(segment_id)

    def clean_up(self) -> list[str]:
        """Delete everything the run created (a failed delete is retried once); the ids left behind."""
        for segment_id in self.recorder.created_ids():
            # The recorder forgets an id once its delete succeeded, so this retries only failures.
            for _ in range(2):
                if segment_id in self.recorder.created_ids():
                    self.delete_created(segment_id)
        return self.recorder.created_ids()

    def named(self, prefix: str, max_pages: int = 50) -> list[dict[str, object]]:
        """The segments whose name starts with `prefix`, as the list operation shows them (minimal depth)."""
        found: list[dict[str, object]] = []
        for page in range(1, max_pages + 1):
            listing = self.api.search(prefix, page=page, count=100)
            body = listing.json()
            elements = body.get("elements", []) if listing.status == 200 and isinstance(body, dict) else []
            elements = [e for e in elements if isinstance(e, dict)] if isinstance(elements, list) else []
            found += [e for e in elements if str(e.get("name", "")).startswith(prefix)]
            if len(elements) < 100:
                break
        return found

    def sweep(self, max_pages: int = 50) -> list[str]:
        """Delete leftovers of earlier runs: segments named like a run's and created before this one."""
        # List everything first: deleting while paging shifts the pages.
        stale = [str(segment["id"]) for segment in self.named(SUITE_PREFIX, max_pages) if self._is_stale(segment)]
        return [segment_id for segment_id in stale if self.api.delete(segment_id).status in (200, 204)]

    def _is_stale(self, segment: dict[str, object]) -> bool:
        name, created = str(segment.get("name", "")), str(segment.get("createdAt", ""))
        older = created.isdigit() and int(created) < int(self.started)
        return bool(_RUN_NAME.match(name)) and not name.startswith(self.prefix) and older and "id" in segment

    def close(self) -> None:
        self.http.close()


def _embedded_client(settings: Settings) -> tuple[httpx.Client, Credential, Credential]:
    from eloqua_conformance.mock import ServiceTransport, default_config

    module_name, _, class_name = settings.embedded_service.partition(":")
    config = default_config()
    service = getattr(importlib.import_module(module_name), class_name)(config)
    writer = next(identity for identity in config.identities if identity.can_create)
    reader = next(identity for identity in config.identities if not identity.can_create)
    http = httpx.Client(transport=ServiceTransport(service), timeout=settings.request_timeout)
    return (
        http,
        Credential("basic", writer.site, writer.user, writer.password),
        Credential("basic", reader.site, reader.user, reader.password),
    )


def open_run(settings: Settings, selected: frozenset[str] = frozenset()) -> Run:
    """Build the run's clients; the embedded default gets the reference mock, in-process."""
    if settings.embedded:
        http, auth, forbidden_auth = _embedded_client(settings)
        label = "embedded reference mock (in-process)"
        base_url = EMBEDDED_URL
    else:
        assert settings.target_url is not None and settings.auth is not None
        http = httpx.Client(timeout=settings.request_timeout, follow_redirects=False)
        auth, forbidden_auth = settings.auth, settings.forbidden_auth  # type: ignore[assignment]
        label = settings.target_url
        base_url = settings.target_url
    redact = Redactor()
    for credential in (auth, forbidden_auth):
        if credential is not None:
            redact.add(*credential.secrets())
    recorder = Recorder()
    api = SegmentApi(http, base_url, recorder, RateLimiter(settings.max_rps), auth.header(), redact)
    forbidden = api.as_identity(forbidden_auth.header()) if forbidden_auth else None
    return Run(settings, http, recorder, api, forbidden, auth, forbidden_auth, redact, label, selected)


def preflight(run: Run) -> None:
    """Raise TargetUnusable when the target cannot be tested at all: no answer, credentials refused, no API."""
    exchange = run.api.search(run.prefix, count=1)
    if exchange.network_error:
        raise TargetUnusable(f"target {run.target_label} unreachable: {exchange.network_error}")
    if exchange.status == 401:
        raise TargetUnusable(
            f"target {run.target_label} rejected the credentials given by "
            f"{run.settings.origins.get('--auth', 'the embedded default')}: GET {exchange.url} answered 401"
        )
    body = exchange.json()
    if exchange.status == 200 and isinstance(body, dict) and isinstance(body.get("elements"), list):
        return
    raise TargetUnusable(
        f"no Eloqua contact-segment API answers under {run.target_label}: GET {exchange.url.split('?')[0]} "
        f"answered {_what(exchange)}; {_likely_slip(run.target_label)}"
    )


def _what(exchange: Exchange) -> str:
    media = exchange.content_type.split(";")[0].strip() or "no Content-Type"
    if exchange.status != 200:
        return f"{exchange.status} ({media})"
    if "html" in media:
        return "200 with an HTML page (a login or portal page?)"
    if exchange.json() is NO_JSON:
        return f"200 with a body that is not JSON ({media})"
    return "200 with JSON that is not a segment list (no elements array)"


def _likely_slip(target: str) -> str:
    path = urlsplit(target).path
    at = path.lower().find("/api/")
    if at >= 0:
        base = target[: len(target) - len(path) + at] or target
        return f"--target-url must end before {path[at:]} (the suite adds {API_PREFIX}): try --target-url {base}"
    return "--target-url is the instance's base URL, such as https://secure.p01.eloqua.com"
