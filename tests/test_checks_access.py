"""AUTHN, AUTHZ and NOTFOUND checks against crafted answers to the requests those areas send."""

from __future__ import annotations

import httpx
import pytest
from _respx_api import (
    contact_segment,
    copy_answered,
    covers_fail,
    covers_pass,
    expect_failure,
    json_response,
    mocked_api,
    raw_response,
    requirement_of,
    status_params,
)

from eloqua_conformance import checks
from eloqua_conformance.credentials import basic_header
from eloqua_conformance.resources import SEGMENTS_ROOT as API_ROOT

_ERROR = {"type": "ObjectValidationError"}
_WRONG_PASSWORD = {"authorization": basic_header("Site", "User", "wrong")}
_UNKNOWN_USER = {"authorization": basic_header("Site", "Nobody", "pw")}
_READER = {"authorization": basic_header("Site", "Reader", "pw")}
# Label, check, what the conformance test sends, the status it requires, statuses a broken server might answer.
STATUS_CASES = [
    ("anonymous", checks.authn_01_missing_credentials, {}, 401, [201, 400, 403]),
    ("wrong-password", checks.authn_02_wrong_password, _WRONG_PASSWORD, 401, [201, 403]),
    ("unknown-user", checks.authn_03_unknown_user, _UNKNOWN_USER, 401, [201, 404]),
    ("unknown-token", checks.authn_04_unknown_bearer_token, {"authorization": "Bearer not-a-token"}, 401, [201, 400]),
    ("basic-no-token", checks.authn_05_malformed_authorization, {"authorization": "Basic"}, 401, [400, 500]),
    ("basic-no-colon", checks.authn_05_malformed_authorization, {"authorization": "Basic bm9jb2xvbg=="}, 401, [403]),
    ("bad-id-and-body", checks.authn_06_credentials_checked_first, {"segment_id": "abc", "content": b"{"}, 401, [400]),
    ("reader", checks.authz_01_forbidden_identity, _READER, 403, [201, 401]),
    ("huge-id", checks.notfound_01_never_existed, {"segment_id": "999999999"}, 404, [201, 400, 500]),
    ("deleted", checks.notfound_02_deleted, {"segment_id": "1002"}, 404, [201, 410]),
]
PASSING, FAILING = status_params(STATUS_CASES)


def _answered(status, request):
    body = contact_segment() if status == 201 else _ERROR
    return copy_answered(json_response(status, body), **request)


@covers_pass(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(
    ("check", "request_", "status"),
    PASSING,
)
def test_status_check_passes_the_required_status(check, request_, status):
    check(_answered(status, request_))


@covers_fail(*(case[1] for case in STATUS_CASES))
@pytest.mark.parametrize(
    ("check", "request_", "required", "status"),
    FAILING,
)
def test_status_check_fails_any_other_status(check, request_, required, status):
    failure = expect_failure(requirement_of(check), check, _answered(status, request_))
    assert failure.expected == f"status {required}"
    assert failure.actual == f"{status}, Content-Type application/json"
    assert failure.exchanges[0].status == status


def test_status_check_fails_a_network_fault_with_the_fault_as_actual():
    exchange = copy_answered(httpx.ConnectError("connection refused"))
    failure = expect_failure("AUTHN-01", checks.authn_01_missing_credentials, exchange)
    assert failure.actual == "network fault: ConnectError: connection refused"


def test_status_check_failure_reproduces_the_request_with_curl():
    exchange = copy_answered(json_response(201, contact_segment()), segment_id="0")
    failure = expect_failure("NOTFOUND-01", checks.notfound_01_never_existed, exchange)
    assert "reproduce: curl -i -X POST https://" in str(failure)
    assert f"{API_ROOT}/segment/0/copy" in str(failure)


# --- AUTHZ-02: a search for the forbidden copy's name ---------------------------------------
NAME = "run-1234 forbidden copy"


def _search_answered(response):
    with mocked_api() as (api, router):
        router.get(f"{API_ROOT}/segments").mock(return_value=response)
        return api.search(NAME)


def _listing(*names):
    elements = [{"type": "ContactSegment", "id": str(1000 + i), "name": name} for i, name in enumerate(names)]
    return {"elements": elements, "page": 1, "pageSize": 100, "total": len(elements)}


@covers_pass(checks.authz_02_forbidden_copy_creates_nothing)
@pytest.mark.parametrize(
    "listing", [_listing(), _listing(f"{NAME} (2)", "other"), {"page": 1, "pageSize": 100, "total": 0}]
)
def test_authz_02_passes_when_no_segment_has_the_name(listing):
    checks.authz_02_forbidden_copy_creates_nothing(_search_answered(json_response(200, listing)), NAME)


@covers_fail(checks.authz_02_forbidden_copy_creates_nothing)
def test_authz_02_fails_when_the_forbidden_copy_exists():
    search = _search_answered(json_response(200, _listing("other", NAME)))
    failure = expect_failure("AUTHZ-02", checks.authz_02_forbidden_copy_creates_nothing, search, NAME)
    assert failure.expected == f"no segment named {NAME!r}"
    assert failure.actual == "the forbidden copy was created"
    assert "search=name" in failure.exchanges[0].url


@pytest.mark.parametrize("status", [401, 403, 500])
def test_authz_02_fails_when_the_search_fails(status):
    search = _search_answered(json_response(status, [_ERROR]))
    failure = expect_failure("AUTHZ-02", checks.authz_02_forbidden_copy_creates_nothing, search, NAME)
    assert failure.expected == "status 200"


def test_authz_02_fails_an_unreadable_search_result():
    search = _search_answered(raw_response(200, b"<html><body>Segments</body></html>", "text/html"))
    expect_failure("AUTHZ-02", checks.authz_02_forbidden_copy_creates_nothing, search, NAME)


def test_authz_02_fails_a_search_result_whose_elements_is_null():
    search = _search_answered(json_response(200, {"elements": None, "total": 0}))
    expect_failure("AUTHZ-02", checks.authz_02_forbidden_copy_creates_nothing, search, NAME)
