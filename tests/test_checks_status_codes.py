"""STATUS and FAULT checks: 5xx only when asked for, every documented status seen, error bodies JSON or empty."""

from __future__ import annotations

import json
from collections import Counter

import httpx
import pytest
from _respx_api import (
    COPY_ROUTE,
    SOURCE_ID,
    contact_segment,
    copy_answered,
    covers_fail,
    covers_pass,
    expect_failure,
    json_response,
    mocked_api,
    raw_response,
)

from eloqua_conformance import checks

DOCUMENTED = (201, 400, 401, 403, 404, 500)
_SERVER_ERROR = [{"type": "ServerError"}]


# --- STATUS-01 --------------------------------------------------------------------------------
@covers_pass(checks.status_01_no_unrequested_5xx)
@pytest.mark.parametrize("status", [201, 400, 401, 404])
def test_status_01_passes_statuses_below_500(status):
    checks.status_01_no_unrequested_5xx(copy_answered(json_response(status, contact_segment())))


@pytest.mark.parametrize("prefer", ["code=500", "respond-async, code=503", "code = 502"])
def test_status_01_passes_a_5xx_the_request_asked_for(prefer):
    exchange = copy_answered(json_response(500, _SERVER_ERROR), headers={"Prefer": prefer})
    assert exchange.fault_requested
    checks.status_01_no_unrequested_5xx(exchange)


@covers_fail(checks.status_01_no_unrequested_5xx)
@pytest.mark.parametrize(("status", "prefer"), [(500, None), (502, None), (500, "code=400"), (504, "code=5000")])
def test_status_01_fails_a_5xx_nobody_asked_for(status, prefer):
    headers = {"Prefer": prefer} if prefer else {}
    exchange = copy_answered(json_response(status, _SERVER_ERROR), headers=headers)
    failure = expect_failure("STATUS-01", checks.status_01_no_unrequested_5xx, exchange)
    assert failure.expected == "no 5xx for a request that did not ask for one"
    assert failure.actual == f"{status}, Content-Type application/json"


# --- STATUS-02 --------------------------------------------------------------------------------
def _run_answering(*statuses):
    """The recorder's status counts after one copy per status, as a whole run would leave them."""
    with mocked_api() as (api, router):
        responses = [json_response(s, contact_segment(id=str(900 + i)) if s == 201 else _SERVER_ERROR)
                     for i, s in enumerate(statuses)]  # fmt: skip
        router.post(path__regex=COPY_ROUTE).mock(side_effect=responses)
        for _ in statuses:
            api.copy(SOURCE_ID, {"name": "Copy"})
        return api.recorder.status_counts()


@covers_pass(checks.status_02_every_status_observed)
def test_status_02_passes_when_every_status_was_answered():
    checks.status_02_every_status_observed(_run_answering(201, 201, 400, 401, 403, 404, 500), DOCUMENTED)


def test_status_02_passes_statuses_that_could_be_provoked_only():
    reachable = [s for s in DOCUMENTED if s not in (403, 500)]  # no forbidden identity, no fault injection
    checks.status_02_every_status_observed(_run_answering(201, 400, 401, 404), reachable)


@covers_fail(checks.status_02_every_status_observed)
def test_status_02_fails_when_a_status_is_missing():
    counts = _run_answering(201, 201, 400, 401, 404, 500)
    failure = expect_failure("STATUS-02", checks.status_02_every_status_observed, counts, DOCUMENTED)
    assert failure.expected == f"each of {list(DOCUMENTED)} observed"
    assert failure.actual == "never saw [403]; saw 201x2, 400x1, 401x1, 404x1, 500x1"


def test_status_02_fails_an_empty_run():
    failure = expect_failure("STATUS-02", checks.status_02_every_status_observed, Counter(), [201])
    assert failure.actual.startswith("never saw [201]")


# --- STATUS-03 --------------------------------------------------------------------------------
@covers_pass(checks.status_03_error_body_json_or_empty)
@pytest.mark.parametrize(
    ("status", "content", "content_type"),
    [
        (400, json.dumps(_SERVER_ERROR).encode(), "application/json"),
        (404, b"", None),
        (401, b" \r\n", "text/plain"),
        (500, b'{"type": "ServerError", "message": "try again later"}', "application/json; charset=utf-8"),
        (201, b"<html>not an error, not examined</html>", "text/html"),
    ],
)
def test_status_03_passes_json_or_empty_error_bodies(status, content, content_type):
    checks.status_03_error_body_json_or_empty(copy_answered(raw_response(status, content, content_type)))


@covers_fail(checks.status_03_error_body_json_or_empty)
@pytest.mark.parametrize(
    ("status", "content", "shown"),
    [
        (500, b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>", "<!DOCTYPE html>"),
        (404, b"<html><body>Not Found</body></html>", "Not Found"),
        (400, b"Bad Request", "Bad Request"),
        (
            500,
            json.dumps({"error": 'Traceback (most recent call last):\n  File "app.py", line 3\nKeyError: x'}).encode(),
            "Traceback",
        ),
        (
            500,
            json.dumps({"error": "java.lang.NullPointerException\n    at com.eloqua.Copy(Copy.java:42)"}).encode(),
            "Copy.java:42",
        ),
    ],
    ids=["html-500", "html-404", "plain-text", "python-traceback-in-json", "java-stack-in-json"],
)
def test_status_03_fails_html_text_and_stack_traces(status, content, shown):
    exchange = copy_answered(raw_response(status, content, "text/html" if b"<html" in content else "application/json"))
    failure = expect_failure("STATUS-03", checks.status_03_error_body_json_or_empty, exchange)
    assert failure.expected == "an empty or JSON error body, no stack trace"
    assert failure.actual.startswith(f"{status}, Content-Type ")
    assert shown in failure.actual


def test_status_03_fails_a_tab_indented_java_stack_in_json():
    trace = "java.lang.NullPointerException\n\tat com.eloqua.Copy(Copy.java:42)\n\tat com.eloqua.Api(Api.java:7)"
    exchange = copy_answered(json_response(500, {"type": "ServerError", "message": trace}))
    expect_failure("STATUS-03", checks.status_03_error_body_json_or_empty, exchange)


# --- FAULT-01 ---------------------------------------------------------------------------------
@covers_pass(checks.fault_01_injected_500)
def test_fault_01_passes_500_for_prefer_code_500():
    checks.fault_01_injected_500(copy_answered(json_response(500, _SERVER_ERROR), headers={"Prefer": "code=500"}))


@covers_fail(checks.fault_01_injected_500)
@pytest.mark.parametrize("status", [201, 502])
def test_fault_01_fails_a_prefer_code_500_that_was_ignored(status):
    exchange = copy_answered(json_response(status, contact_segment()), headers={"Prefer": "code=500"})
    failure = expect_failure("FAULT-01", checks.fault_01_injected_500, exchange)
    assert failure.expected == "status 500"
    assert failure.actual.startswith(f"{status}, ")


def test_fault_01_fails_a_network_fault():
    exchange = copy_answered(httpx.ReadTimeout("timed out"), headers={"Prefer": "code=500"})
    assert expect_failure("FAULT-01", checks.fault_01_injected_500, exchange).actual.startswith("network fault")
