"""AUTHN: every copy request without valid credentials gets 401, before anything else is looked at."""

import base64

import pytest

from eloqua_conformance import checks
from eloqua_conformance.credentials import basic_header
from eloqua_conformance.fixtures import not_exercised


def _body(run):
    return {"name": run.name("unauthenticated")}


@pytest.mark.requirement("AUTHN-01")
def test_missing_credentials_get_401(run, source):
    checks.authn_01_missing_credentials(run.anonymous.copy(source["id"], _body(run)))


@pytest.mark.requirement("AUTHN-02")
def test_wrong_password_gets_401(run, source):
    known = [c for c in (run.auth, run.forbidden_auth) if c is not None and c.scheme == "basic"]
    if not known:
        not_exercised("needs basic credentials of a real user to send them with a wrong password")
    wrong = basic_header(known[0].site, known[0].user, known[0].secret + "-wrong")
    checks.authn_02_wrong_password(run.api.as_identity(wrong).copy(source["id"], _body(run)))


@pytest.mark.requirement("AUTHN-03")
def test_unknown_user_gets_401(run, source):
    unknown = basic_header("ConformanceSite", f"{run.prefix}nobody", "no-such-password")
    checks.authn_03_unknown_user(run.api.as_identity(unknown).copy(source["id"], _body(run)))


@pytest.mark.requirement("AUTHN-04")
def test_unknown_bearer_token_gets_401(run, source):
    token = f"Bearer {run.prefix}token-that-was-never-issued"
    checks.authn_04_unknown_bearer_token(run.api.as_identity(token).copy(source["id"], _body(run)))


@pytest.mark.requirement("AUTHN-05")
@pytest.mark.parametrize(
    "authorization",
    [
        "Basic",
        "Basic !!!not-base64!!!",
        "Basic " + base64.b64encode(b"no-colon-and-no-site").decode(),
        "Digest username=admin",
        "Bearer",
    ],
    ids=["basic-without-token", "basic-not-base64", "basic-without-colon", "unknown-scheme", "bearer-empty"],
)
def test_malformed_authorization_gets_401(run, source, authorization):
    checks.authn_05_malformed_authorization(run.api.as_identity(authorization).copy(source["id"], _body(run)))


@pytest.mark.requirement("AUTHN-06")
@pytest.mark.parametrize("case", ["missing-id", "broken-body", "non-numeric-id"])
def test_credentials_are_checked_before_anything_else(run, source, case):
    anonymous = run.anonymous
    if case == "missing-id":
        exchange = anonymous.copy(2_000_000_000, _body(run))
    elif case == "broken-body":
        exchange = anonymous.copy(source["id"], content=b'{"name": ')
    else:
        exchange = anonymous.copy("abc", _body(run))
    checks.authn_06_credentials_checked_first(exchange)
