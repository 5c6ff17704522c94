"""STATUS checks: 5xx only when asked for, every documented status seen, and error bodies that are never an HTML
page or a stack trace (plain text and empty bodies are fine)."""

from __future__ import annotations

import json

import pytest
from _respx_api import (
    COPY_ROUTE,
    NONE,
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

from eloqua_conformance.checks import Context, status

DOCUMENTED = frozenset({201, 400, 401, 403, 404, 500})
_SERVER_ERROR = [{"type": "ServerError"}]


# --- STATUS-01 --------------------------------------------------------------------------------
@covers_pass(status.no_unrequested_5xx)
@pytest.mark.parametrize("code", [201, 400, 401, 404])
def test_status_01_passes_statuses_below_500(code):
    status.no_unrequested_5xx(NONE, copy_answered(json_response(code, contact_segment())))


@pytest.mark.parametrize("prefer", ["code=500", "respond-async, code=503", "code = 502"])
def test_status_01_passes_a_5xx_the_request_asked_for(prefer):
    exchange = copy_answered(json_response(500, _SERVER_ERROR), headers={"Prefer": prefer})
    assert exchange.fault_requested
    status.no_unrequested_5xx(NONE, exchange)


@covers_fail(status.no_unrequested_5xx)
@pytest.mark.parametrize(("code", "prefer"), [(500, None), (502, None), (500, "code=400"), (504, "code=5000")])
def test_status_01_fails_a_5xx_nobody_asked_for(code, prefer):
    headers = {"Prefer": prefer} if prefer else {}
    exchange = copy_answered(json_response(code, _SERVER_ERROR), headers=headers)
    failure = expect_failure("STATUS-01", status.no_unrequested_5xx, NONE, exchange)
    assert failure.expected == "no 5xx for a request that did not ask for one"
    assert failure.actual == f"{code}, Content-Type application/json"


# --- STATUS-02 --------------------------------------------------------------------------------
def _run_answering(*codes):
    """The recorder's status counts after one copy per status, as a whole run would leave them."""
    with mocked_api() as (api, router):
        responses = [json_response(c, contact_segment(id=str(900 + i)) if c == 201 else _SERVER_ERROR)
                     for i, c in enumerate(codes)]  # fmt: skip
        router.post(path__regex=COPY_ROUTE).mock(side_effect=responses)
        for _ in codes:
            api.copy(SOURCE_ID, {"name": "Copy"})
        return api.recorder.status_counts()


@covers_pass(status.every_status_observed)
def test_status_02_passes_when_every_status_was_answered():
    counts = _run_answering(201, 201, 400, 401, 403, 404, 500)
    status.every_status_observed(Context(counts=counts, statuses=DOCUMENTED), None)


def test_status_02_passes_statuses_that_could_be_provoked_only():
    reachable = DOCUMENTED - {403, 500}  # no forbidden identity, no fault injection
    status.every_status_observed(Context(counts=_run_answering(201, 400, 401, 404), statuses=reachable), None)


@covers_fail(status.every_status_observed)
def test_status_02_fails_when_a_status_is_missing():
    context = Context(counts=_run_answering(201, 201, 400, 401, 404, 500), statuses=DOCUMENTED)
    failure = expect_failure("STATUS-02", status.every_status_observed, context, None)
    assert failure.expected == f"each of {sorted(DOCUMENTED)} observed"
    assert failure.actual == "never saw [403]; saw 201x2, 400x1, 401x1, 404x1, 500x1"


def test_status_02_fails_an_empty_run():
    failure = expect_failure("STATUS-02", status.every_status_observed, Context(statuses=frozenset({201})), None)
    assert failure.actual.startswith("never saw [201]")


# --- STATUS-03 --------------------------------------------------------------------------------
@covers_pass(status.error_body_not_html_or_trace)
@pytest.mark.parametrize(
    ("code", "content", "content_type"),
    [
        (400, json.dumps(_SERVER_ERROR).encode(), "application/json"),
        (404, b"", None),
        (401, b" \r\n", "text/plain"),
        (401, b"Not authenticated.", "text/plain"),  # what /id answers (notes §6)
        (403, b"Forbidden", None),
        (500, b'{"type": "ServerError", "message": "try again later"}', "application/json; charset=utf-8"),
        (400, b"<validationErrors><error type='ObjectValidationError'/></validationErrors>", "application/xml"),
        (201, b"<html>not an error, not examined</html>", "text/html"),
    ],
    ids=["json", "empty", "blank", "plain-text", "text-no-type", "json-charset", "xml", "success"],
)
def test_status_03_passes_empty_json_xml_and_plain_text_error_bodies(code, content, content_type):
    status.error_body_not_html_or_trace(NONE, copy_answered(raw_response(code, content, content_type)))


@covers_fail(status.error_body_not_html_or_trace)
@pytest.mark.parametrize(
    ("code", "content", "content_type", "shown"),
    [
        (500, b"<!DOCTYPE html><html><body><h1>Internal Server Error</h1></body></html>", "text/html", "HTML"),
        (404, b"<html><body>Not Found</body></html>", "text/plain", "HTML"),
        (404, b"Not Found", "text/html", "HTML"),
        (404, b'Traceback (most recent call last):\n  File "app.py", line 3\nKeyError: x', "text/plain", "stack"),
        (500, json.dumps({"error": 'Traceback (most recent call last):\n  File "app.py"'}).encode(), None, "stack"),
        (500, json.dumps({"error": "java.lang.NullPointerException\n    at com.eloqua.Copy(Copy.java:42)"}).encode(),
         "application/json", "stack"),
    ],
    ids=["html-500", "html-in-text", "html-type", "python-traceback-as-text", "traceback-in-json", "java-in-json"],
)  # fmt: skip
def test_status_03_fails_html_pages_and_stack_traces(code, content, content_type, shown):
    exchange = copy_answered(raw_response(code, content, content_type))
    failure = expect_failure("STATUS-03", status.error_body_not_html_or_trace, NONE, exchange)
    assert failure.expected == "an error body that is empty, JSON or plain text, with no stack trace"
    assert failure.actual.startswith(f"{code}, Content-Type ")
    assert shown in failure.actual


def test_status_03_fails_a_tab_indented_java_stack_in_json():
    trace = "java.lang.NullPointerException\n\tat com.eloqua.Copy(Copy.java:42)\n\tat com.eloqua.Api(Api.java:7)"
    exchange = copy_answered(json_response(500, {"type": "ServerError", "message": trace}))
    expect_failure("STATUS-03", status.error_body_not_html_or_trace, NONE, exchange)
