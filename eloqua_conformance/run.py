"""One conformance run: the target, one client per credential role, and what the run created."""

from __future__ import annotations

import importlib
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from eloqua_conformance.client import (
    ACCEPT_ENCODING,
    MAX_RETRIES,
    RateLimiter,
    Recorder,
    SegmentApi,
    WaitBudget,
    http_client,
)
from eloqua_conformance.credentials import Credential, Redactor
from eloqua_conformance.exchange import NO_JSON, Exchange, Reproduction, serve_mock
from eloqua_conformance.resources import API_PREFIX
from eloqua_conformance.settings import Settings, trust

if TYPE_CHECKING:
    from eloqua_conformance.checks import Listing

__all__ = ["EMBEDDED_URL", "Cleanup", "Run", "TargetUnusable", "open_run", "preflight", "redactor_for"]

EMBEDDED_URL = "http://embedded-reference-mock"
EMBEDDED_MOCK_URL = "http://127.0.0.1:8080"  # where curl lines of an in-process run send: the mock served locally
SUITE_PREFIX = "ecs-"  # every run's prefix is SUITE_PREFIX + 8 hex digits + "-"
_RUN_NAME = re.compile(r"^ecs-[0-9a-f]{8}-")


class TargetUnusable(Exception):
    """The target cannot be tested at all (unreachable, TLS failure, credentials rejected)."""


@dataclass
class Cleanup:
    """What the clean-up at the end of the run did, and what it found left."""

    created: int = 0  # segments the run is known to have made: from 2xx answers and from the listing
    deleted: int = 0
    left_behind: list[str] = field(default_factory=list)
    checked: str = "not run"  # how the store was checked afterwards, or why it could not be


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
    preexisting: frozenset[str] = frozenset()  # ids already named with the prefix when the run started
    cleanup: Cleanup = field(default_factory=Cleanup)
    # The last listing taken after refused requests, and how many exchanges were recorded then: still the
    # store's state if nothing was sent since, so the next refusals start from it (fixtures.py).
    latest_listing: tuple[int, Listing] | None = None
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

    def delete_created(self, segment_id: int | str) -> Exchange:
        """Delete a segment this run created; refuses any other id."""
        segment_id = str(segment_id)
        if segment_id not in self.recorder.created_ids() or segment_id in self.preexisting:
            raise ValueError(f"refusing to delete segment {segment_id}: this run did not create it")
        return self.api.delete(segment_id)

    def clean_up(self) -> list[str]:
        """Delete everything the run made, by the state of the store; the ids left behind.

        What the run made: every id a 2xx answer to its creates and copies named, and every segment whose
        name carries the run's prefix (which no one else uses) that was not there when the run started:
        so a server that stores a copy while answering 400 or 403, or answers without a usable id, is
        cleaned up too. Each is deleted (a failed delete is retried once); then the store is listed again,
        and whatever of the run's is still there is left behind.
        """
        report = self.cleanup
        if not self.recorder.writes and not self.recorder.created_ids():
            report.checked = "nothing to clean up: the run sent no create or copy"
            return []
        known = self.recorder.ever_created | set(self.recorder.created_ids())
        listed = self._ours()
        pending = list(dict.fromkeys([*self.recorder.created_ids(), *(listed or [])]))
        report.created = len(known | set(listed or []))
        failed: list[str] = []
        for segment_id in pending:
            if not segment_id.strip() or segment_id in self.preexisting:
                continue
            statuses = []
            for _ in range(2):
                statuses.append(self.api.delete(segment_id).status)
                if statuses[-1] in (200, 204, 404):
                    break
            if statuses[-1] not in (200, 204, 404):
                failed.append(segment_id)
        after = self._ours()
        if after is None:
            report.checked = "not checked: the list request after the clean-up did not answer with a segment list"
            remaining = failed
        else:
            report.checked = f"listed segments named *{self.prefix}* after the clean-up"
            remaining = [*failed, *after]
        report.left_behind = sorted(set(remaining), key=lambda i: (len(i), i))
        report.deleted = max(0, report.created - len(report.left_behind))
        return report.left_behind

    def _carrying_prefix(self) -> list[str] | None:
        """Ids of the segments whose name holds the run's prefix (None: the target would not list them).

        Anywhere in the name ("Copy of ecs-…" too) where the target's search takes a leading `*`, else at its start.
        """
        found = self.named(self.prefix, anywhere=True)
        if found is None:
            found = self.named(self.prefix)
        return None if found is None else [i for i in dict.fromkeys(map(_segment_id, found)) if i]

    def _ours(self) -> list[str] | None:
        """Ids of the segments named with the run's prefix that were not there at its start (None: no list)."""
        found = self._carrying_prefix()
        return None if found is None else [i for i in found if i not in self.preexisting]

    def note_start(self) -> None:
        """Remember what already carries the prefix as the run starts (normally nothing): it is never deleted."""
        self.preexisting = frozenset(self._carrying_prefix() or ())

    def named(self, prefix: str, max_pages: int = 50, anywhere: bool = False) -> list[dict[str, object]] | None:
        """The segments whose name starts with `prefix` (`anywhere`: holds it), as the list operation shows them
        (minimal depth); None when the target did not answer the first page with a segment list."""
        found: list[dict[str, object]] = []
        for page in range(1, max_pages + 1):
            listing = self.api.search(prefix, page=page, count=100, anywhere=anywhere)
            body = listing.json()
            elements = body.get("elements") if listing.status == 200 and isinstance(body, dict) else None
            if not isinstance(elements, list):
                return found if page > 1 else None
            elements = [e for e in elements if isinstance(e, dict)]
            found += [e for e in elements if _holds(e.get("name"), prefix, anywhere)]
            if len(elements) < 100:
                break
        return found

    def sweep(self, max_pages: int = 50) -> list[str]:
        """Delete leftovers of earlier runs: segments named like a run's and created before this one."""
        # List everything first: deleting while paging shifts the pages.
        listed = self.named(SUITE_PREFIX, max_pages) or []
        stale = [_segment_id(segment) for segment in listed if self._is_stale(segment)]
        return [i for i in stale if i and self.api.delete(i).status in (200, 204)]

    def _is_stale(self, segment: dict[str, object]) -> bool:
        name, created = str(segment.get("name", "")), str(segment.get("createdAt", ""))
        older = created.isascii() and created.isdigit() and len(created) < 16 and int(created) < int(self.started)
        return bool(_RUN_NAME.match(name)) and not name.startswith(self.prefix) and older and "id" in segment

    def close(self) -> None:
        self.http.close()


def _holds(name: object, prefix: str, anywhere: bool) -> bool:
    return isinstance(name, str) and (prefix in name if anywhere else name.startswith(prefix))


def _segment_id(segment: dict[str, object]) -> str:
    value = segment.get("id")
    if isinstance(value, bool) or not isinstance(value, int | str):
        return ""
    return str(value)


def redactor_for(settings: Settings, *credentials: Credential | None) -> Redactor:
    """A redactor of every secret the run knows: those of `credentials` and of the settings."""
    redact = Redactor()
    for credential in (settings.auth, settings.forbidden_auth, *credentials):
        if credential is not None:
            redact.add(*credential.secrets())
    return redact


def _embedded_client(settings: Settings) -> tuple[httpx.Client, Credential, Credential]:
    from eloqua_conformance.mock import ServiceTransport, default_config

    module_name, _, class_name = settings.embedded_service.partition(":")
    config = default_config()
    service = getattr(importlib.import_module(module_name), class_name)(config)
    writer = next(identity for identity in config.identities if identity.can_create)
    reader = next(identity for identity in config.identities if not identity.can_create)
    if writer.password is None or reader.password is None:  # default_config() gives both a Basic password
        raise TargetUnusable("the reference mock's default identities have no Basic password")
    http = httpx.Client(transport=ServiceTransport(service), timeout=settings.request_timeout,
                        headers={"Accept-Encoding": ACCEPT_ENCODING})  # fmt: skip
    return (
        http,
        Credential("basic", writer.site, writer.user, writer.password),
        Credential("basic", reader.site, reader.user, reader.password),
    )


def _reproduction(credential: Credential, variable: str, option: str, base_url: str) -> Reproduction:
    """How curl lines of one identity send its credentials; in-process, against the reference mock served locally."""
    if credential.scheme == "bearer":
        variable = variable.replace("_AUTH", "_TOKEN")
    args, export = credential.curl_auth(variable)
    if base_url:
        return Reproduction(args, base_url, f"{serve_mock(base_url)}; {export}", variable)
    return Reproduction(args, "", f"{export}  (the {option} credentials)", variable)


def open_run(settings: Settings, selected: frozenset[str] = frozenset()) -> Run:
    """Build the run's clients; the embedded default gets the reference mock, in-process."""
    if settings.embedded:
        http, auth, forbidden_auth = _embedded_client(settings)
        label = "embedded reference mock (in-process)"
        base_url = EMBEDDED_URL
    else:
        assert settings.target_url is not None and settings.auth is not None
        http = http_client(settings.request_timeout, trust(settings.ca_bundle))
        auth, forbidden_auth = settings.auth, settings.forbidden_auth  # type: ignore[assignment]
        label = settings.target_url
        base_url = settings.target_url
    redact = redactor_for(settings, auth, forbidden_auth)
    protected = frozenset({str(settings.source_segment_id)} if settings.source_segment_id is not None else ())
    recorder = Recorder(protected)
    budget = WaitBudget(settings.wait_budget)
    base = EMBEDDED_MOCK_URL if settings.embedded else ""
    api = SegmentApi(http, base_url, recorder, RateLimiter(settings.max_rps), auth.header(), redact, budget,
                     _reproduction(auth, "ELOQUA_AUTH", "--auth", base))  # fmt: skip
    forbidden = None
    if forbidden_auth:
        how = _reproduction(forbidden_auth, "ELOQUA_FORBIDDEN_AUTH", "--forbidden-auth", base)
        forbidden = api.as_identity(forbidden_auth.header(), how)
    return Run(settings, http, recorder, api, forbidden, auth, forbidden_auth, redact, label, selected)


def preflight(run: Run) -> None:
    """Raise TargetUnusable when the target cannot be tested at all: no answer, credentials refused, no API."""
    exchange = run.api.search(run.prefix, count=1)
    if exchange.network_error:
        how = "unreachable" if exchange.network_error.startswith("network fault") else "unusable"
        raise TargetUnusable(f"target {run.target_label} {how}: {exchange.network_error}")
    if exchange.status in (429, 503):
        raise TargetUnusable(
            f"target throttles/unavailable: GET {exchange.url} still answered {exchange.status} after "
            f"{MAX_RETRIES} retries"
        )
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
