"""The client's bounds, in-process: masking in every form, no crash on any answer, waits within a budget,
creation tracked from any 2xx, bounded memory, and option values that cannot overflow or sleep for years.

tests/test_hostile_targets.py proves the same guarantees end to end against servers on loopback.
"""

from __future__ import annotations

import base64
import gzip
import json
import threading
import time
from datetime import UTC, datetime
from urllib.parse import quote

import httpx
import jsonschema
import pytest
from _respx_api import COPY_ROUTE, SOURCE_ID, json_response, mocked_api, raw_response
from hypothesis import given, settings
from hypothesis import strategies as st

from eloqua_conformance import client
from eloqua_conformance.client import (
    INTERRUPTS,
    MAX_BODY,
    Recorder,
    TargetThrottled,
    WaitBudget,
    _decode,
    retry_after,
)
from eloqua_conformance.credentials import MASK, CredentialError, Redactor, basic_header, parse_credential
from eloqua_conformance.exchange import EVIDENCE_BYTES, NO_JSON, Exchange, parse_json
from eloqua_conformance.report import build_report
from eloqua_conformance.report.junit import render_junit
from eloqua_conformance.resources import REPORT_SCHEMA, spec_file
from eloqua_conformance.settings import Settings, _ca_bundle, _number_in, _url
from eloqua_conformance.verdicts import Ledger

SITE, USER, PASSWORD = "Zq9Site", "ops.auditor", 'Pw/zq9+7f3a"9c\\41é'
BASIC = parse_credential(f"basic:{SITE}\\{USER}:{PASSWORD}")
WRONG = basic_header(SITE, USER, PASSWORD + "-wrong")  # what AUTHN-02 sends


# --- masking -----------------------------------------------------------------------------------
def _forms():
    token = BASIC.header().split(" ", 1)[1]
    decoded = f"{SITE}\\{USER}:{PASSWORD}"
    return {
        "raw password": PASSWORD,
        "header": BASIC.header(),
        "base64": token,
        "percent-encoded header": quote(BASIC.header(), safe=""),
        "lower-case percent-encoding": quote(PASSWORD, safe="").replace("%2F", "%2f").replace("%C3%A9", "%c3%a9"),
        "json-escaped": json.dumps(PASSWORD),
        "json ascii-escaped login": json.dumps({"login": decoded}, ensure_ascii=True),
        "html-escaped": PASSWORD.replace('"', "&quot;"),
        "decoded login": decoded,
        "wrong-password header": WRONG,
        "wrong-password header percent-encoded": quote(WRONG, safe=""),
        "wrong-password base64 url-safe": WRONG.split()[1].replace("+", "-").replace("/", "_"),
        "base64 glued to its scheme": "Basic" + WRONG.split()[1],
        # At each of the three byte alignments base64 can carry it.
        "base64 of the password alone": base64.b64encode(PASSWORD.encode()).decode(),
        "base64 of the password after one byte": base64.b64encode(b"x" + PASSWORD.encode()).decode(),
        "base64 of the password with a prefix": base64.b64encode(b"x:" + PASSWORD.encode()).decode(),
    }


@pytest.mark.parametrize(("form", "text"), list(_forms().items()), ids=list(_forms()))
def test_every_form_of_a_secret_is_masked(form, text):
    masked = Redactor(BASIC.secrets())(f"before {text} after")
    assert MASK in masked and masked.startswith("before ") and masked.endswith(" after")
    for secret in (PASSWORD, "7f3a", BASIC.header().split()[1][:24], WRONG.split()[1][:24]):
        assert secret not in masked, masked


# Text around (and pieces of) every form, so generated texts hold whole, partial and broken encodings.
_PIECES = st.sampled_from([*_forms().values(), *(form[: len(form) // 2] for form in _forms().values()), "%", "&",
                           "\\", "+", " ", "=", "-", "_", "/", '"', "a", "Zq", "9"])  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_screening_a_text_before_masking_it_changes_no_result(text):
    redact = Redactor((*BASIC.secrets(), *parse_credential(f"basic:{SITE}\\{USER}:{PASSWORD}-wrong").secrets()))
    assert redact(text) == redact._mask(text, screen=False)


def test_masking_leaves_other_text_alone_and_a_huge_body_costs_seconds_not_minutes():
    redact = Redactor(BASIC.secrets())
    text = "Digest username=admin ecs-1a2b3c4d-source-1 /api/REST/2.0/assets/contact/segment/12/copy 100%"
    assert redact(text) == text
    started = time.monotonic()
    redact("a" * MAX_BODY)
    redact('{"x":"%2F\\\\&amp;"}' * (MAX_BODY // 20))
    assert time.monotonic() - started < 10


def test_credentials_that_cannot_be_sent_are_refused_without_echoing_them():
    for text in ("bearer:Qx7-secret\u200b", "bearer:Qx7 secret", "bearer:Qx7-søcret", "bearer:Qx7-secret\x00"):
        with pytest.raises(CredentialError) as caught:
            parse_credential(text)
        assert "Qx7" not in str(caught.value) and "cret" not in str(caught.value)
    with pytest.raises(CredentialError):
        parse_credential("basic:Site\\user:p\udcff")  # undecodable bytes from the command line
    assert repr(BASIC.header()) == repr(MASK)  # pytest -l prints locals with repr


def test_target_url_errors_never_echo_a_password():
    for text in ("ftp://u:Pw-Url-1@h", "http://u:Pw-Url-1@h", "https://:Pw-Url-1@h:99999", "http://u:Pw-Url-1@[::1"):
        with pytest.raises(ValueError) as caught:
            _url(text)
        assert "Pw-Url-1" not in str(caught.value), str(caught.value)
    with pytest.raises(ValueError, match="cannot be used as a URL"):
        _url("http://xn--a.com")  # httpx refuses this IDNA host: a usage error, not a crash later
    assert _url("https://secure.p03.eloqua.com/") == "https://secure.p03.eloqua.com"


@pytest.mark.parametrize("text", ["1e300", "1e-300", "nan", "inf", "-1", "0", "x"])
def test_rates_and_timeouts_are_range_checked(text):
    with pytest.raises(ValueError):
        _number_in(0.01, 3600, "seconds")(text)
    with pytest.raises(ValueError):
        _number_in(0.1, 100_000, "requests per second")(text)


def test_ca_bundle_must_be_a_pem_file_of_certificates(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(ValueError, match="not a readable PEM bundle"):
        _ca_bundle(bad)
    with pytest.raises(ValueError, match="is not a file"):
        _ca_bundle(tmp_path / "missing.pem")
    import certifi

    assert _ca_bundle(certifi.where()).is_file()


# --- parsing --------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [b"[" * 200_000, b'{"a":' * 100 + b"1" + b"}" * 100, b"\xff\xfe{}", b"NaN", b"1e400",
                                  b"[" + b"{}," * 600_000 + b"{}]", b"1" * 5000, b""],
                         ids=["200k-brackets", "100-deep", "not-utf8", "nan", "infinite", "a-million-values",
                              "5000-digits", "empty"])  # fmt: skip
def test_json_that_is_too_deep_too_big_or_not_json_is_not_json_never_an_exception(body):
    assert parse_json(body) is NO_JSON


def test_a_truncated_body_never_parses():
    exchange = Exchange("POST", "http://h/x", {}, b"", status=201, response_body=b'{"id": "1"}', truncated=True)
    assert exchange.json() is NO_JSON


def test_retry_after_never_raises():
    assert retry_after({"retry-after": "²"}, 0) == 1  # "²".isdigit() is true
    assert retry_after({"retry-after": "9" * 400}, 0) == 1e9
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0) == 0
    assert retry_after({"retry-after": "Wed, 99 Foo 99999 99:99:99 GMT"}, 2) == 4
    assert retry_after({"retry-after": "-5"}, 1) == 2


def test_gzip_is_decoded_within_the_cap():
    bomb = gzip.compress(b"\0" * (MAX_BODY * 2))
    body, cut, problem = _decode(bomb, "gzip", MAX_BODY)
    assert cut and len(body) == MAX_BODY and not problem
    assert _decode(b"not gzip", "gzip", MAX_BODY)[2].startswith("a body that does not decode")
    assert "did not accept" in _decode(b"x", "br", MAX_BODY)[2]


# --- waiting ---------------------------------------------------------------------------------------
def _throttled_api(response, budget):
    context = mocked_api(BASIC.header(), Redactor(BASIC.secrets()))
    api, router = context.__enter__()
    api.budget = budget
    router.post(path__regex=COPY_ROUTE).mock(return_value=response)
    return context, api


def test_a_wait_longer_than_the_budget_gives_up_at_once():
    response = httpx.Response(429, headers={"Retry-After": "3600"})
    context, api = _throttled_api(response, WaitBudget(120))
    started = time.monotonic()
    try:
        with pytest.raises(TargetThrottled, match=r"target throttles/unavailable: 429 .* asks to wait 3600 s"):
            api.copy(SOURCE_ID, {"name": "x"})
    finally:
        context.__exit__(None, None, None)
    assert time.monotonic() - started < 1
    assert [exchange.status for exchange in api.recorder.snapshot()] == [429], "recorded all the same"


def test_requests_that_stay_throttled_end_the_run_even_without_waits():
    context, api = _throttled_api(httpx.Response(503, headers={"Retry-After": "0"}), WaitBudget(120))
    try:
        for _ in range(client.GONE_AFTER - 1):
            assert api.copy(SOURCE_ID, {"name": "x"}).status == 503
        with pytest.raises(TargetThrottled, match="3 requests in a row still answered 429 or 503"):
            api.copy(SOURCE_ID, {"name": "x"})
    finally:
        context.__exit__(None, None, None)


def test_a_signal_ends_a_wait_within_a_tenth_of_a_second():
    timer = threading.Timer(0.2, lambda: setattr(INTERRUPTS, "pending", 15))
    started = time.monotonic()
    timer.start()
    try:
        INTERRUPTS.sleep(30)
        assert time.monotonic() - started < 0.5
        with pytest.raises(KeyboardInterrupt, match="signal 15"):
            INTERRUPTS.check()
    finally:
        timer.cancel()
        INTERRUPTS.pending = None


# --- what the recorder takes as created ------------------------------------------------------------
def _answer(status, body, method="POST", path="/segment/12/copy"):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return Exchange(method, f"http://h/api/REST/2.0/assets/contact{path}", {}, b"{}", status=status,
                    response_body=content)  # fmt: skip


@pytest.mark.parametrize(("status", "body", "created"), [
    (201, {"type": "ContactSegment", "id": "7"}, "7"),
    (200, {"type": "ContactSegment", "id": "7"}, "7"),  # 200 instead of 201
    (201, {"type": "Segment", "id": "7"}, "7"),  # the wrong type
    (201, {"id": 7}, "7"),  # a numeric id
    (202, {"id": 7.0}, "7"),
    (201, {"id": True}, None),
    (201, b"", None),  # nothing to read: the listing by prefix finds it
    (400, {"id": "7"}, None),
])  # fmt: skip
def test_any_2xx_answer_to_a_write_counts_as_created_whatever_the_id_type(status, body, created):
    recorder = Recorder()
    recorder.add(_answer(status, body))
    assert recorder.created_ids() == ([created] if created else [])


def test_an_id_seen_before_that_the_run_did_not_create_is_never_taken_as_created():
    recorder = Recorder(protected=frozenset({"99"}))
    recorder.add(_answer(200, {"type": "ContactSegment", "id": "5"}, "GET", "/segment/5"))  # someone else's
    recorder.add(_answer(201, {"id": "5"}))  # a server honouring an id sent in the body
    recorder.add(_answer(201, {"id": "99"}))  # --source-segment-id
    recorder.add(_answer(201, {"id": "6"}))
    recorder.add(_answer(200, b"", "DELETE", "/segment/6"))
    recorder.add(_answer(201, {"id": "6"}))  # a stale id counter hands out the run's own id again
    assert recorder.created_ids() == ["6"]


def test_the_recorder_keeps_bounded_copies_once_past_its_budget_and_callers_keep_theirs_whole(monkeypatch):
    monkeypatch.setattr(client, "RECORD_BYTES", 100_000)
    recorder = Recorder()
    errors = [{"type": "ObjectValidationError", "property": f"p{i}", "value": "x" * 40} for i in range(400)]
    big = [_answer(400, errors) for _ in range(10)]
    for exchange in big:
        recorder.add(exchange)
    kept = recorder.snapshot()
    assert sum(len(e.response_body) for e in kept) <= 100_000 + len(big[0].response_body)
    assert len(kept[0].response_body) == EVIDENCE_BYTES and kept[0].size == len(big[0].response_body)
    assert all(isinstance(item, dict) and isinstance(item.get("type"), str) for item in kept[0].json())
    assert big[0].json() == errors, "the caller's own exchange is whole"


def test_ids_made_up_by_a_target_cannot_reach_another_resource():
    with mocked_api(BASIC.header()) as (api, router):
        route = router.route(url__regex=r".*").mock(return_value=httpx.Response(204))
        api.delete("../../segments")
        api.retrieve("1?x=1")
    assert route.calls[0].request.url.raw_path.endswith(b"/segment/..%2F..%2Fsegments")
    assert route.calls[1].request.url.raw_path.endswith(b"/segment/1%3Fx%3D1?depth=complete")


def test_a_request_that_cannot_be_built_is_a_fault_not_a_crash():
    with mocked_api(BASIC.header()) as (api, _):
        exchange = api.copy(SOURCE_ID, {"name": "x"}, headers={"X-Note": "caf\u00e9\u200b"})
    assert exchange.status == 0 and exchange.network_error.startswith("request not sent: UnicodeEncodeError")


def test_a_server_echo_is_masked_in_the_record():
    echo = json.dumps({"echo": WRONG, "pct": quote(BASIC.header(), safe="")}).encode()
    with mocked_api(BASIC.header(), Redactor(BASIC.secrets())) as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(return_value=raw_response(401, echo, "application/json"))
        exchange = api.as_identity(WRONG).copy(SOURCE_ID, {"name": "x"})
    assert exchange.request_headers["authorization"] == f"Basic {MASK}"
    text = exchange.response_body.decode() + exchange.curl() + exchange.summary() + repr(exchange)
    assert "7f3a" not in text and WRONG.split()[1][:20] not in text
    assert exchange.json() == {"echo": f"Basic {MASK}", "pct": f"Basic%{MASK}"}


# --- reports of a run that could not test -------------------------------------------------------------
def test_an_untestable_report_without_a_run_validates_and_says_why():
    schema = json.loads(spec_file(REPORT_SCHEMA).read_text(encoding="utf-8"))
    settings = Settings(target_url="http://127.0.0.1:9", auth=BASIC)
    why = f"unreachable with {PASSWORD}"
    report = build_report(Ledger(), None, started=datetime.now(UTC), duration=0.5, seed=1, profile="dev",
                          settings=settings, untestable=why, cut_short="0 of 5 ran")  # fmt: skip
    jsonschema.validate(report, schema)
    assert report["verdict"] == "untestable" and report["untestable"] == f"unreachable with {MASK}"
    assert 'type="untestable"' in render_junit(report)
    normal = build_report(Ledger(), None, started=datetime.now(UTC), duration=0.5, seed=1, profile="dev",
                          settings=settings)  # fmt: skip
    jsonschema.validate(normal, schema)
    assert normal["untestable"] is None and normal["verdict"] == "conformant-partial"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**normal, "verdict": "untestable"}, schema)  # an untestable verdict says why


def test_a_copy_answered_with_json_as_text_content_still_parses():
    with mocked_api(BASIC.header()) as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(return_value=json_response(201, {"id": "1"}, "text/plain"))
        assert api.copy(SOURCE_ID, {"name": "x"}).json() == {"id": "1"}
