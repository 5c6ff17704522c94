"""AUTHN: every copy request without valid credentials gets 401, before anything else is looked at; each part of
a credential matters on its own; and a copy answered 401 creates nothing."""

import base64

import pytest

from eloqua_conformance.checks import Context, authn
from eloqua_conformance.credentials import basic_header
from eloqua_conformance.fixtures import not_exercised, refusals_leave_no_trace

pytestmark = pytest.mark.requirement("AUTHN-09")  # every test here also judges that its 401s created nothing
NONE = Context()


def _body(run):
    return {"name": run.name("unauthenticated")}


def _basic(run):
    """The main identity's Basic credential (or the forbidden one's): the parts varied one at a time."""
    known = [c for c in (run.auth, run.forbidden_auth) if c is not None and c.scheme == "basic"]
    if not known:
        not_exercised("needs basic credentials of a real user to vary one part of them")
    return known[0]


def _copy_as(run, source, authorization, judge, **kwargs):
    with refusals_leave_no_trace(run, authn.unauthenticated_copy_creates_nothing):
        judge(NONE, run.api.as_identity(authorization).copy(source["id"], _body(run), **kwargs))


@pytest.mark.requirement("AUTHN-01")
def test_missing_credentials_get_401(run, source):
    _copy_as(run, source, None, authn.missing_credentials)


@pytest.mark.requirement("AUTHN-02")
@pytest.mark.parametrize("vary", ["suffix", "last-character-dropped", "other-case"])
def test_wrong_password_gets_401(run, source, vary):
    login = _basic(run)
    password = {"suffix": login.secret + "-wrong", "last-character-dropped": login.secret[:-1],
                "other-case": login.secret.swapcase()}[vary]  # fmt: skip
    if password == login.secret:
        not_exercised("the password has no letters, so it has no other case")
    header = basic_header(login.site, login.user, password)
    run.redact.add(password, header.split(" ", 1)[1])  # near the real password: never shown in a report
    _copy_as(run, source, header, authn.wrong_password)


@pytest.mark.requirement("AUTHN-03")
def test_unknown_user_gets_401(run, source):
    unknown = basic_header("ConformanceSite", f"{run.prefix}nobody", "no-such-password")
    _copy_as(run, source, unknown, authn.unknown_user)


@pytest.mark.requirement("AUTHN-04")
@pytest.mark.parametrize("vary", ["random", "real-with-suffix", "real-cut-short"])
def test_unknown_bearer_token_gets_401(run, source, vary):
    if vary == "random":
        token = f"{run.prefix}token-that-was-never-issued"
    else:
        real = next((c.secret for c in (run.auth, run.forbidden_auth) if c is not None and c.scheme == "bearer"), None)
        if real is None:
            not_exercised("needs a bearer --auth or --forbidden-auth to vary its token")
        token = real + "x" if vary == "real-with-suffix" else real[:-1]
        run.redact.add(token)  # near the real token: never shown in a report
    _copy_as(run, source, f"Bearer {token}", authn.unknown_bearer_token)


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
    _copy_as(run, source, authorization, authn.malformed_authorization)


@pytest.mark.requirement("AUTHN-06")
@pytest.mark.parametrize("case", ["missing-id", "broken-body", "non-numeric-id"])
def test_credentials_are_checked_before_anything_else(run, source, case):
    anonymous = run.anonymous
    with refusals_leave_no_trace(run, authn.unauthenticated_copy_creates_nothing):
        if case == "missing-id":
            exchange = anonymous.copy(2_000_000_000, _body(run))
        elif case == "broken-body":
            exchange = anonymous.copy(source["id"], content=b'{"name": ')
        else:
            exchange = anonymous.copy("abc", _body(run))
        authn.credentials_checked_first(NONE, exchange)


@pytest.mark.requirement("AUTHN-07")
def test_wrong_site_gets_401(run, source):
    login = _basic(run)
    _copy_as(run, source, basic_header(login.site + "x", login.user, login.secret), authn.wrong_site)


@pytest.mark.requirement("AUTHN-08")
@pytest.mark.parametrize("vary", ["unknown-user", "other-identity"])
def test_another_user_with_this_password_gets_401(run, source, vary):
    login = _basic(run)
    if vary == "unknown-user":
        user = login.user + "x"
    else:
        other = [c for c in (run.auth, run.forbidden_auth)
                 if c is not None and c.scheme == "basic" and c.user.casefold() != login.user.casefold()]  # fmt: skip
        if not other:
            not_exercised("needs a second basic identity (--forbidden-auth) whose user name to borrow")
        user = other[0].user
    _copy_as(run, source, basic_header(login.site, user, login.secret), authn.wrong_user)
