"""No recorded exchange, curl line or failure message shows a credential given to SegmentApi."""

from __future__ import annotations

import base64

import pytest
from _respx_api import COPY_ROUTE, SOURCE_ID, expect_failure, json_response, mocked_api, raw_response

from eloqua_conformance.checks import Context, prop, status
from eloqua_conformance.credentials import MASK, Redactor, parse_credential

SITE, USER, PASSWORD = "AcmeCorp", "jane.doe", "S3cret-Pa55!"
TOKEN = "2YotnFZFEjr1zCsicMWpAA.selftest"
BASIC = parse_credential(f"basic:{SITE}\\{USER}:{PASSWORD}")
BEARER = parse_credential(f"bearer:{TOKEN}")
WRONG = parse_credential(f"basic:{SITE}\\{USER}:not-{PASSWORD}")
# Computed here, not by credentials.py, so a wrong encoding there cannot hide a leak.
BASIC_B64 = base64.b64encode(f"{SITE}\\{USER}:{PASSWORD}".encode()).decode()
SECRETS = (PASSWORD, BASIC_B64, TOKEN, base64.b64encode(f"{SITE}\\{USER}:not-{PASSWORD}".encode()).decode())


def _leaks(text):
    return [secret for secret in SECRETS if secret in text]


def _copy_as(credential, response, identity=None):
    """A copy sent with `credential` (or, via as_identity, `identity`); the wire header and the exchange."""
    redactor = Redactor((*BASIC.secrets(), *BEARER.secrets(), *WRONG.secrets()))
    with mocked_api(credential.header(), redactor) as (api, router):
        route = router.post(path__regex=COPY_ROUTE).mock(return_value=response)
        api = api.as_identity(identity.header()) if identity else api
        exchange = api.copy(SOURCE_ID, {"name": "Copy"})
        return route.calls.last.request.headers["authorization"], exchange, api.recorder.snapshot()


@pytest.mark.parametrize(
    ("credential", "identity", "shown"),
    [(BASIC, None, f"Basic {MASK}"), (BEARER, None, f"Bearer {MASK}"), (BASIC, WRONG, f"Basic {MASK}")],
    ids=["basic", "bearer", "other-identity"],
)
def test_the_secret_is_sent_but_never_recorded(credential, identity, shown):
    sent, exchange, recorded = _copy_as(credential, json_response(500, [{"type": "ServerError"}]), identity)
    assert sent == (identity or credential).header()  # the target gets the real credential
    assert exchange.request_headers["authorization"] == shown
    assert recorded == [exchange]
    assert _leaks(repr(exchange)) == []
    assert f"-H 'authorization: {shown}'" in exchange.curl()
    assert _leaks(exchange.curl()) == []
    assert _leaks(exchange.summary()) == []


@pytest.mark.parametrize("credential", [BASIC, BEARER], ids=["basic", "bearer"])
def test_failure_messages_reproduce_the_request_without_the_secret(credential):
    _, exchange, _ = _copy_as(credential, raw_response(500, b"<html>Internal Server Error</html>", "text/html"))
    for failure in (
        expect_failure("STATUS-01", status.no_unrequested_5xx, Context(), exchange),
        expect_failure("STATUS-03", status.error_body_not_html_or_trace, Context(), exchange),
        expect_failure("PROP-01", prop.valid_body_copied, Context(source={"id": SOURCE_ID}), exchange),
    ):
        assert "reproduce: curl" in str(failure)
        assert MASK in str(failure)
        assert _leaks(str(failure)) == []


def test_the_password_inside_another_header_value_is_masked_too():
    redactor = Redactor(BASIC.secrets())
    with mocked_api(BASIC.header(), redactor) as (api, router):
        router.post(path__regex=COPY_ROUTE).mock(return_value=json_response(401, []))
        exchange = api.copy(SOURCE_ID, {"name": "Copy"}, headers={"X-Debug": f"pw={PASSWORD}"})
    assert exchange.request_headers["x-debug"] == f"pw={MASK}"


def test_a_server_echoing_the_credential_does_not_leak_it_into_the_failure():
    echo = f"<html>Denied: Authorization {BASIC.header()} for {SITE}\\{USER}:{PASSWORD}</html>".encode()
    _, exchange, _ = _copy_as(BASIC, raw_response(401, echo, "text/html"))
    failure = expect_failure("STATUS-03", status.error_body_not_html_or_trace, Context(), exchange)
    assert _leaks(str(failure)) == []
