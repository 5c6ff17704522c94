"""AUTHN checks: 401 for every credential that is missing, malformed or wrong in any one part; 401s create nothing."""

from __future__ import annotations

import httpx
import pytest
from _respx_api import (
    NONE,
    contact_segment,
    copy_answered,
    covers_fail,
    covers_pass,
    expect_failure,
    json_response,
    requirement_of,
    status_params,
)
from _state_cases import ADDED, UNCHANGED, assert_added, assert_unchanged, assert_unreadable

from eloqua_conformance.checks import authn
from eloqua_conformance.credentials import basic_header
from eloqua_conformance.resources import SEGMENTS_ROOT as API_ROOT

_WRONG_PASSWORD = {"authorization": basic_header("Site", "User", "wrong")}
_UNKNOWN_USER = {"authorization": basic_header("Site", "Nobody", "pw")}
# Label, check, what the conformance test sends, the status it requires, statuses a broken server might answer.
STATUS_CASES = [
    ("anonymous", authn.missing_credentials, {}, 401, [201, 400, 403]),
    ("wrong-password", authn.wrong_password, _WRONG_PASSWORD, 401, [201, 403]),
    ("unknown-user", authn.unknown_user, _UNKNOWN_USER, 401, [201, 404]),
    ("unknown-token", authn.unknown_bearer_token, {"authorization": "Bearer not-a-token"}, 401, [201, 400]),
    ("basic-no-token", authn.malformed_authorization, {"authorization": "Basic"}, 401, [400, 500]),
    ("basic-no-colon", authn.malformed_authorization, {"authorization": "Basic bm9jb2xvbg=="}, 401, [403]),
    ("bad-id-and-body", authn.credentials_checked_first, {"segment_id": "abc", "content": b"{"}, 401, [400]),
    ("wrong-site", authn.wrong_site, {"authorization": basic_header("Sitex", "User", "pw")}, 401, [201, 403]),
    ("wrong-user", authn.wrong_user, {"authorization": basic_header("Site", "Userx", "pw")}, 401, [201, 403]),
]
PASSING, FAILING = status_params(STATUS_CASES)


def _answered(status, request):
    body = contact_segment() if status == 201 else [{"type": "Unauthorized"}]
    return copy_answered(json_response(status, body), **request)


@covers_pass(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "status"), PASSING)
def test_status_check_passes_the_required_status(check, request_, status):
    check(NONE, _answered(status, request_))


def test_a_401_passes_with_a_plain_text_or_empty_body():
    authn.missing_credentials(NONE, copy_answered(httpx.Response(401, text="Not authenticated.")))
    authn.missing_credentials(NONE, copy_answered(httpx.Response(401)))


@covers_fail(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(("check", "request_", "required", "status"), FAILING)
def test_status_check_fails_any_other_status(check, request_, required, status):
    failure = expect_failure(requirement_of(check), check, NONE, _answered(status, request_))
    assert failure.expected == f"status {required}"
    assert failure.actual == f"{status}, Content-Type application/json"
    assert failure.exchanges[0].status == status


def test_status_check_fails_a_network_fault_with_the_fault_as_actual():
    exchange = copy_answered(httpx.ConnectError("connection refused"))
    failure = expect_failure("AUTHN-01", authn.missing_credentials, NONE, exchange)
    assert failure.actual == "network fault: ConnectError: connection refused"


def test_status_check_failure_reproduces_the_request_with_curl():
    exchange = copy_answered(json_response(201, contact_segment()), segment_id="0")
    failure = expect_failure("AUTHN-01", authn.missing_credentials, NONE, exchange)
    assert "reproduce: curl -i -X POST https://" in str(failure)
    assert f"{API_ROOT}/segment/0/copy" in str(failure)


# --- AUTHN-09 ------------------------------------------------------------------------------------
@covers_pass(authn.unauthenticated_copy_creates_nothing)
@pytest.mark.parametrize(("before", "after"), UNCHANGED)
def test_authn_09_passes_when_no_segment_was_added(before, after):
    assert_unchanged(authn.unauthenticated_copy_creates_nothing, before, after)


@covers_fail(authn.unauthenticated_copy_creates_nothing)
@pytest.mark.parametrize(("after", "shown"), ADDED)
def test_authn_09_fails_when_a_segment_was_added_under_any_name(after, shown):
    assert_added("AUTHN-09", authn.unauthenticated_copy_creates_nothing, after, shown)


def test_authn_09_fails_when_the_segments_cannot_be_listed():
    assert_unreadable("AUTHN-09", authn.unauthenticated_copy_creates_nothing)
