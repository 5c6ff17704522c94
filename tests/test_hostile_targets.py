"""Hostile targets: whatever a server does, the run leaves its store as found, shows no credential, stays
bounded in time and memory, and writes a true report. docs/live-targets.md names each guarantee's test.

Each server here misbehaves in the ways a broken or hostile stand-in does (answers 200, numeric ids,
empty or wrong bodies, stores on 400 and 403, honours a sent id, keeps what it said it deleted, echoes the
credentials in every encoding, sends endless or trickled bodies, throttles forever). The child runs are
independent and mostly start-up, so they run side by side; each is bounded by its own options.
"""

from __future__ import annotations

import base64
import binascii
import html
import itertools
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

import pytest
from _fault_servers import FaultServer
from _live import AUTH, FORBIDDEN, ROOT, SUBSET, Finished, child_env, run_suite, side_by_side, start_suite, store

from eloqua_conformance.mock import Identity, MockConfig, SegmentService, running_server
from eloqua_conformance.mock.messages import Response, empty_response, json_response
from eloqua_conformance.mock.routing import Operation, Route, match_route
from eloqua_conformance.mock.seed import default_seed
from eloqua_conformance.mock.variants.authn import PasswordNotChecked

REPORTS = ("conformance.json", "junit.xml", "conformance.html", "summary.md")
STALE = "stale report of an earlier run"
OLD = "1500000000"
OTHERS = ({"id": "50", "name": "ecs-0badc0de-leftover", "createdAt": OLD, "updatedAt": OLD},
          {"id": "60", "name": "Copy of Quarterly audience", "createdAt": OLD, "updatedAt": OLD})  # fmt: skip
_SUITE = "eloqua_conformance/suite/"
WRITES = (*SUBSET, *(f"{_SUITE}test_{area}.py" for area in ("valid", "ro", "authz", "shape", "notfound")))
_PYTHON_ERROR = re.compile(r"\b(Type|Attribute|Key|Index|Value|Recursion|UnicodeDecode|Memory)Error\b")
_TRACEBACK = re.compile(r"Traceback \(most recent call last\)|RecursionError|UnicodeDecodeError|MemoryError")


def _route(request):
    found = match_route(request.method, request.path)
    return found.operation if isinstance(found, Route) else None


# --- store: every wrong way to answer a write ------------------------------------------------
class MessyWrites(SegmentService):
    """Stores what the reference stores, answering creates and copies every wrong way in turn; also stores a
    copy it answers 400 (invalid body) or 403 (forbidden) for, honours an `id` and `createdAt` sent in a copy's
    body, and never deletes the first segment it is asked to delete (answering every DELETE of it 200)."""

    KINDS = ("200-not-201", "numeric-id", "empty-201", "wrong-type", "html-201", "nested-201", "bad-utf8-201",
             "float-id")  # fmt: skip

    def __init__(self, config):
        super().__init__(config)
        self._lock = threading.Lock()
        self._kinds = itertools.cycle(self.KINDS)
        self._creates = 0
        self.kept: str | None = None  # the id every DELETE is answered 200 for, and that is never deleted

    def handle(self, request):
        operation = _route(request)
        if operation is Operation.DELETE:
            segment_id = request.path.rstrip("/").rsplit("/", 1)[-1]
            with self._lock:
                if self.kept is None and segment_id in self.segment_ids():
                    self.kept = segment_id
                keep = segment_id == self.kept
            if keep:
                return empty_response(200)
        response = super().handle(request)
        if operation is Operation.COPY and response.status in (400, 403):
            writer = next(identity for identity in self.config.identities if identity.can_create)
            headers = tuple((k, v) for k, v in request.headers if k not in ("authorization", "content-type"))
            headers += (("authorization", writer.basic_authorization()), ("content-type", "application/json"))
            super().handle(replace(request, headers=headers, body=b"{}"))  # stored all the same
        if operation in (Operation.COPY, Operation.CREATE) and response.status == 201:
            with self._lock:
                self._creates += operation is Operation.CREATE
                first_create = operation is Operation.CREATE and self._creates == 1
                kind = None if first_create else next(self._kinds)
            return self._garble(response, kind) if kind else response
        return response

    def copy_segment(self, source, body, identity):
        copy = super().copy_segment(source, body, identity)
        if isinstance(body.get("id"), str) and body["id"].isdigit():  # RO-01's id: honoured
            copy["id"] = body["id"]
        if isinstance(body.get("createdAt"), str):
            copy["createdAt"] = body["createdAt"]  # and a creation time from 2001
        return copy

    @staticmethod
    def _garble(response, kind):
        body = response.json()
        if kind == "200-not-201":
            return Response(200, response.body, response.headers)
        if kind == "numeric-id":
            return json_response(201, {**body, "id": int(body["id"])})
        if kind == "float-id":
            return json_response(201, {**body, "id": float(body["id"])})
        if kind == "empty-201":
            return empty_response(201)
        if kind == "wrong-type":
            return json_response(201, {**body, "type": "Segment"})
        if kind == "html-201":
            return Response(201, f"<html>created {body['id']}</html>".encode(), (("content-type", "text/html"),))
        if kind == "nested-201":
            deep = b'{"id":"' + body["id"].encode() + b'","x":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
            return Response(201, deep, (("content-type", "application/json"),))
        return Response(201, response.body[:-1] + b',"note":"\xff\xfe"}', (("content-type", "application/json"),))


# --- credentials: a server that echoes them in every encoding ---------------------------------------
# Characters that JSON, percent-encoding and HTML each write differently.
ADMIN = Identity(site="Zq9Site", user="ops.auditor", password='Pw/zq9+7f3a"9c\\41é', token="Tk-zq9/51b2+e8d4=c7a6",
                 can_create=True, user_id="901", display_name="Zq9 Auditor")  # fmt: skip
READER = Identity(site="Zq9Site", user="ops.viewer", password="Pw-zq9-88d1b0c3f5", token="Tk-zq9-2c4f6a9e1d3b",
                  can_create=False, user_id="902", display_name="Zq9 Viewer")  # fmt: skip
SECRETS = (ADMIN.password, READER.password, ADMIN.token, READER.token)
_B64 = re.compile(r"[A-Za-z0-9+/_-]{8,}")


class EchoesCredentials(PasswordNotChecked):
    """Accepts a known user with any password (so AUTHN-02 fails, with evidence), and echoes the Authorization
    header it got, raw, percent-encoded, JSON-escaped and decoded, in headers and bodies of every answer."""

    def handle(self, request):
        response = super().handle(request)
        sent = request.header("authorization") or ""
        try:
            decoded = base64.b64decode(sent.partition(" ")[2], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = sent
        echo = {"echo": sent, "echoPercent": quote(sent, safe=""), "login": decoded, "loginPercent": quote(decoded)}
        headers = (*response.headers, ("x-echo", sent), ("x-echo-login", quote_plus(decoded)))
        if response.status >= 400 or not response.body:
            return json_response(response.status, [{"type": "Echo", **echo}], headers[1:])
        body = response.json()
        if isinstance(body, dict):
            body["description"] = f"made for {decoded} with {sent}"
            return json_response(response.status, body, headers[1:])
        return Response(response.status, response.body, headers)


def _leaks(text: str) -> list[str]:
    """Every credential in `text` in any form: raw, encoded, or inside base64 (also URL-safe, percent-encoded)."""
    found = []
    for secret in SECRETS:
        lower_hex = re.sub(r"%[0-9A-F]{2}", lambda found: found.group().lower(), quote(secret, safe=""))
        forms = {secret, quote(secret, safe=""), lower_hex, quote_plus(secret), html.escape(secret),
                 json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}  # fmt: skip
        found += [f"{secret!r} as {form!r}" for form in forms if form in text]
    for token in _B64.findall(unquote(text)) + _B64.findall(text):
        plain = token.replace("-", "+").replace("_", "/")
        for offset in range(4):
            chunk = plain[offset:]
            chunk = chunk[: len(chunk) - (len(chunk) % 4 == 1)]
            try:
                decoded = base64.b64decode(chunk + "=" * (-len(chunk) % 4)).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                continue
            found += [f"{secret!r} in base64 {token[:40]}" for secret in SECRETS if secret in decoded]
    return found


# --- bounds: throttling ------------------------------------------------------------------------
class ThrottlesCopies(SegmentService):
    """Answers every copy 429 or 503, in turn, forever; the first with an unparseable `Retry-After: ²`."""

    def __init__(self, config):
        super().__init__(config)
        self._count = itertools.count()

    def handle(self, request):
        if _route(request) is not Operation.COPY:
            return super().handle(request)
        number = next(self._count)
        after = "²" if number == 0 else "1"
        if number % 2:
            return json_response(503, [{"type": "Unavailable", "message": "down"}])
        return json_response(429, [{"type": "TooManyRequests", "message": "slow down"}], (("retry-after", after),))


class ThrottlesOnceLong(SegmentService):
    """Answers the third copy once with 429 and `Retry-After: 30`; `throttled` is set when it has."""

    def __init__(self, config):
        super().__init__(config)
        self._count = itertools.count(1)
        self.throttled = threading.Event()

    def handle(self, request):
        if _route(request) is Operation.COPY and next(self._count) == 3:
            self.throttled.set()
            return json_response(429, [{"type": "TooManyRequests", "message": "wait"}], (("retry-after", "30"),))
        return super().handle(request)


class PreflightAnswersHostileJson(SegmentService):
    """Answers the list operation 200 with 200 000 `[` after a byte that is not UTF-8."""

    def handle(self, request):
        if _route(request) is Operation.LIST:
            return Response(200, b"\xff" + b"[" * 200_000, (("content-type", "application/json"),))
        return super().handle(request)


def _is_copy(request) -> bool:
    return request.method == "POST" and request.path.endswith("/copy")


# --- running them -------------------------------------------------------------------------------
@dataclass
class Outcome:
    result: Finished
    reports: Path
    before: dict
    after: dict
    service: SegmentService
    extra: dict

    def report(self) -> dict:
        return json.loads((self.reports / "conformance.json").read_text(encoding="utf-8"))

    def outputs(self) -> dict[str, str]:
        files = {path.name: path.read_text("utf-8", "replace") for path in self.reports.iterdir() if path.is_file()}
        return {"stdout": self.result.stdout, "stderr": self.result.stderr, **files}


def _stale(reports: Path) -> Path:
    """A report dir holding an earlier run's four files, which the run must replace."""
    reports.mkdir(parents=True)
    for name in REPORTS:
        (reports / name).write_text(STALE, encoding="utf-8")
    return reports


def _seeded(service_class, **config):
    return service_class(MockConfig(seed_segments=(*default_seed(), *OTHERS), **config))


def _served(reports, service, *args, env=None, timeout=120):
    before = store(service)
    with running_server(service) as url:
        result = run_suite("--target-url", url, f"--report-dir={reports}", *args, env=env, timeout=timeout)
    return Outcome(result, reports, before, store(service), service, {})


def _messy(reports):
    return _served(reports, _seeded(MessyWrites), "--auth", AUTH, "--forbidden-auth", FORBIDDEN, *WRITES)


def _echo(reports, scheme):
    service = EchoesCredentials(MockConfig(identities=(ADMIN, READER)))
    if scheme == "basic":  # on the command line, and -l: pytest prints every local of a failing test
        args = ["-l", "--record-har", f"--auth=basic:{ADMIN.login}:{ADMIN.password}",
                f"--forbidden-auth=basic:{READER.login}:{READER.password}"]  # fmt: skip
        return _served(reports, service, *args, *SUBSET, f"{_SUITE}test_authz.py")
    env = {"CONFORMANCE_AUTH": f"bearer:{ADMIN.token}", "CONFORMANCE_FORBIDDEN_AUTH": f"bearer:{READER.token}",
           "CONFORMANCE_RECORD_HAR": "1"}  # fmt: skip
    return _served(reports, service, "-l", *SUBSET, f"{_SUITE}test_authz.py", env=env)


def _faulted(reports, fault, args, **server):
    service = _seeded(SegmentService)
    before = store(service)
    with FaultServer(service, fault, **server) as faulty:
        result = run_suite("--target-url", faulty.url, "--auth", AUTH, f"--report-dir={reports}", *args)
    return Outcome(result, reports, before, store(service), service, {"faulted": list(faulty.faulted)})


def _endless(reports):
    """The run against copies answered with an endless body, in a child whose peak memory is measured."""
    service = _seeded(SegmentService)
    before = store(service)
    with FaultServer(service, "endless", when=_is_copy) as faulty:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=dev",
                   "--target-url", faulty.url, "--auth", AUTH, f"--report-dir={reports}", *SUBSET]  # fmt: skip
        started = time.monotonic()
        with open(reports.parent / "endless.out", "w+") as out, open(reports.parent / "endless.err", "w+") as err:
            child = subprocess.Popen(command, cwd=ROOT, env=child_env(), stdout=out, stderr=err)
            _, status, usage = os.wait4(child.pid, 0)  # the child's own peak RSS, in KiB on Linux
            child.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0), err.seek(0)
            result = Finished(child.returncode, out.read(), err.read(), time.monotonic() - started)
    return Outcome(result, reports, before, store(service), service, {"peak_rss_mib": usage.ru_maxrss / 1024})


def _signalled(reports):
    """SIGTERM while the run waits out a 429 with Retry-After 30; how long the run took to end after it."""
    service = _seeded(ThrottlesOnceLong)
    before = store(service)
    with running_server(service) as url:
        child = start_suite("--target-url", url, "--auth", AUTH, f"--report-dir={reports}", *SUBSET)
        try:
            if not service.throttled.wait(60):
                raise AssertionError("the run never reached the throttled copy")
            time.sleep(0.3)  # into the wait
            sent = time.monotonic()
            child.send_signal(signal.SIGTERM)
            stdout, stderr = child.communicate(timeout=30)
            took = time.monotonic() - sent
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    return Outcome(Finished(child.returncode, stdout, stderr, took), reports, before, store(service), service, {})


def _usage(reports, args, env):
    return Outcome(run_suite(*args, env=env, timeout=60), reports, {}, {}, None, {})


JOBS = {
    "messy": _messy,
    "echo-basic": partial(_echo, scheme="basic"),
    "echo-bearer": partial(_echo, scheme="bearer"),
    "endless": _endless,
    "trickle": partial(_faulted, fault="trickle", args=["--request-timeout=2", *SUBSET], when=_is_copy, times=1),
    "throttles": lambda reports: _served(reports, _seeded(ThrottlesCopies), "--auth", AUTH, "--wait-budget=3",
                                         *SUBSET),
    "sigterm": _signalled,
    "preflight": lambda reports: _served(reports, _seeded(PreflightAnswersHostileJson), "--auth", AUTH, *SUBSET),
    "ftp-password": partial(_usage, args=[], env={"CONFORMANCE_TARGET_URL": "ftp://u:Pw-ftp-3c9d1e@h.example"}),
    "zero-width-token": partial(_usage, args=["--target-url", "http://127.0.0.1:9",
                                              "--auth", "bearer:admin-token\u200bTk-zw-77a1"], env=None),
}  # fmt: skip
EXIT_2 = ("endless", "throttles", "sigterm", "preflight")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    jobs = {name: partial(job, _stale(base / name / "reports")) for name, job in JOBS.items()}
    with side_by_side(jobs) as futures:
        yield futures


def _no_traceback(outcome):
    found = {name: match.group() for name, text in outcome.outputs().items() if (match := _TRACEBACK.search(text))}
    assert not found, outcome.result.tail()


def test_a_server_answering_writes_every_wrong_way_has_its_store_left_as_found(runs):
    outcome = runs["messy"].result()
    result, service = outcome.result, outcome.service
    assert result.returncode == 1, result.tail()
    _no_traceback(outcome)
    # Everything the run made is gone, however it was answered; the one segment the server kept while
    # answering its DELETE 200 is the one, and the only one, reported left behind.
    kept = service.kept
    assert kept is not None and set(outcome.after) - set(outcome.before) == {kept}, result.tail()
    assert {k: v for k, v in outcome.after.items() if k != kept} == outcome.before, "touched what it did not make"
    report = outcome.report()
    assert report["left_behind"] == [kept] == report["cleanup"]["left_behind"]
    assert f"LEFT BEHIND    segments {kept} could not be deleted" in result.stdout
    assert re.search(r"deleted by this run; left behind: 1 \(listed segments named \*ecs-[0-9a-f]{8}-\*", result.stdout)
    assert report["cleanup"]["created"] >= 20, "creates, copies, copies stored on 400 and 403"
    # However a body was garbled, it ended its test as a named failure, not as an exception of the suite's own.
    crashes = [(entry["id"], error["message"]) for entry in report["requirements"] for error in entry["errors"]
               if _PYTHON_ERROR.search(error["message"])]  # fmt: skip
    assert not crashes


@pytest.mark.parametrize("scheme", ["basic", "bearer"])
def test_a_server_echoing_credentials_in_every_encoding_gets_none_shown(runs, scheme):
    outcome = runs[f"echo-{scheme}"].result()
    assert outcome.result.returncode in (0, 1), outcome.result.tail()
    _no_traceback(outcome)
    outputs = outcome.outputs()
    assert {*REPORTS, "traffic.har"} <= set(outputs) and not any(STALE in text for text in outputs.values())
    if scheme == "basic":  # the wrong password of AUTHN-02 was accepted, so its failure shows its request
        assert "FAIL           AUTHN-02 (MUST)" in outcome.result.stdout
        assert 'curl -u "${ELOQUA_AUTH}"-wrong' in outcome.result.stdout
    leaks = {name: found for name, text in outputs.items() if (found := _leaks(text))}
    assert not leaks


def test_an_endless_body_is_cut_off_and_the_run_stays_small(runs):
    outcome = runs["endless"].result()
    result = outcome.result
    assert result.returncode == 2, result.tail()
    assert outcome.extra["peak_rss_mib"] < 512, f"peak RSS {outcome.extra['peak_rss_mib']:.0f} MiB"
    _no_traceback(outcome)
    assert "response cut off: 201 with a body of more than 16777216 bytes" in result.stdout
    assert outcome.after == outcome.before, result.tail()


def test_a_trickling_server_is_cut_off_at_the_request_timeout(runs):
    outcome = runs["trickle"].result()
    result = outcome.result
    ((start, end),) = outcome.extra["faulted"]
    assert end - start < 3, f"the trickled response lasted {end - start:.1f} s under --request-timeout 2"
    assert re.search(r"FAIL +[A-Z]+-\d\d .*no complete response within 2 s \(--request-timeout\)", result.stdout)
    assert result.returncode == 1, result.tail()
    _no_traceback(outcome)
    assert outcome.after == outcome.before


def test_a_server_throttling_forever_ends_the_run_within_the_wait_budget(runs):
    outcome = runs["throttles"].result()
    result = outcome.result
    assert result.returncode == 2, result.tail()
    assert result.seconds < 3 + 12, "the wait budget (3 s) plus start-up, set-up and clean-up"
    lines = [line for line in result.output.splitlines() if "target throttles/unavailable" in line]
    assert len(lines) == 1 and lines[0].startswith("UNTESTABLE "), result.tail()
    assert "--wait-budget" in lines[0]
    _no_traceback(outcome)
    assert outcome.after == outcome.before


def test_sigterm_during_a_wait_ends_the_run_within_2_seconds_with_clean_up_done(runs):
    outcome = runs["sigterm"].result()
    result = outcome.result
    assert result.returncode == 2, result.tail()
    assert result.seconds < 2, f"the run took {result.seconds:.1f} s to end after SIGTERM"
    assert outcome.after == outcome.before, "the clean-up ran"
    assert "interrupted by SIGTERM" in outcome.report()["untestable"]
    _no_traceback(outcome)


@pytest.mark.parametrize("name", EXIT_2)
def test_every_exit_2_run_writes_four_fresh_reports_saying_untestable_and_why(runs, name):
    outcome = runs[name].result()
    assert outcome.result.returncode == 2, outcome.result.tail()
    texts = {file: (outcome.reports / file).read_text(encoding="utf-8") for file in REPORTS}
    assert not any(STALE in text for text in texts.values())
    report = outcome.report()
    assert report["verdict"] == "untestable" and report["untestable"] and report["cut_short"]
    assert "untestable" in texts["summary.md"] and report["untestable"][:40] in html.unescape(texts["conformance.html"])
    assert 'name="verdict" value="untestable"' in texts["junit.xml"] and 'type="untestable"' in texts["junit.xml"]
    assert "verdict: untestable — report:" in outcome.result.stdout
    assert "CUT SHORT " in outcome.result.stdout
    _no_traceback(outcome)


def test_a_preflight_answer_of_200k_brackets_is_untestable_not_a_crash(runs):
    outcome = runs["preflight"].result()
    assert "answered 200 with a body that is not JSON" in outcome.report()["untestable"]


@pytest.mark.parametrize(("name", "secret", "option"), [
    ("ftp-password", "Pw-ftp-3c9d1e", "--target-url: bad value from CONFORMANCE_TARGET_URL (environment)"),
    ("zero-width-token", "Tk-zw-77a1", "--auth: bad value from --auth (command line): bearer: the token cannot be "
                                       "sent in an Authorization header: character 12 is a non-ASCII"),
])  # fmt: skip
def test_credentials_that_cannot_be_used_are_usage_errors_that_do_not_echo_them(runs, name, secret, option):
    result = runs[name].result().result
    assert result.returncode == 4, result.tail()
    assert option in result.stderr
    assert secret not in result.output and "admin-token" not in result.output
    assert "Traceback" not in result.output
