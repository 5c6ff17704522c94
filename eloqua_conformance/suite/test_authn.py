"""AUTHN: every copy request without valid credentials gets 401, before anything else is looked at; each part of
a credential matters on its own; and a copy answered 401 creates nothing."""

import base64
from dataclasses import replace

import pytest

from eloqua_conformance.checks import Context, authn
from eloqua_conformance.credentials import basic_header
from eloqua_conformance.fixtures import not_exercised, refusals_leave_no_trace

NONE = Context()


def _body(run):
    return {"name": run.name("unauthenticated")}


def _basic(run):
    """The main identity's Basic credential (or the forbidden one's): the parts varied one at a time."""
    known = [c for c in (run.auth, run.forbidden_auth) if c is not None and c.scheme == "basic"]
    if not known:
        not_exercised("needs basic credentials of a real user to vary one part of them")
    return known[0]


def _copy_as(run, source, authorization, judge, reproduce=None, **kwargs):
    # Every test here also judges that its 401 created nothing: a failure of that names AUTHN-09, whichever
    # requirement the test was selected for.
    with refusals_leave_no_trace(run, authn.unauthenticated_copy_creates_nothing):
        judge(NONE, run.api.as_identity(authorization, reproduce).copy(source["id"], _body(run), **kwargs))


def _varied_reproduction(run, login, password):
    """How a curl line sends `password` in place of the real one: derived in the shell from the variable holding
    the real credential, so the line runs as printed (None: the line shows the masked header it sent)."""
    how = (run.api if login is run.auth else run.forbidden).reproduce
    args = login.curl_auth_varied(password, how.variable) if how and how.variable else None
    return replace(how, auth=args) if args else None


@pytest.mark.requirement("AUTHN-09")
def test_copies_answered_401_create_nothing(run, source):
    cases = [(authn.missing_credentials, None, _body(run)), (authn.missing_credentials, None, {}),
             (authn.unknown_bearer_token, f"Bearer {run.prefix}no-such-token", _body(run)),
             (authn.malformed_authorization, "Basic", _body(run))]  # fmt: skip
    with refusals_leave_no_trace(run, authn.unauthenticated_copy_creates_nothing):
        for judge, authorization, body in cases:
            judge(NONE, run.api.as_identity(authorization).copy(source["id"], body))


@pytest.mark.requirement("AUTHN-01")
def test_missing_credentials_get_401(run, source):
    _copy_as(run, source, None, authn.missing_credentials)


@pytest.mark.requirement("AUTHN-02")
def test_wrong_password_gets_401(run, source):
    login = _basic(run)
    # The right site and user, the password varied alone: longer, shorter, in other case.
    for password in dict.fromkeys([login.secret + "-wrong", login.secret[:-1], login.secret.swapcase()]):
        if password == login.secret:
            continue  # a password without letters has no other case
        header = basic_header(login.site, login.user, password)
        run.redact.add(password, header.split(" ", 1)[1])  # near the real password: never shown in a report
        _copy_as(run, source, header, authn.wrong_password, _varied_reproduction(run, login, password))


@pytest.mark.requirement("AUTHN-03")
def test_unknown_user_gets_401(run, source):
    unknown = basic_header("ConformanceSite", f"{run.prefix}nobody", "no-such-password")
    _copy_as(run, source, unknown, authn.unknown_user)


@pytest.mark.requirement("AUTHN-04")
def test_unknown_bearer_token_gets_401(run, source):
    tokens = [f"{run.prefix}token-that-was-never-issued"]
    real = next((c.secret for c in (run.auth, run.forbidden_auth) if c is not None and c.scheme == "bearer"), None)
    if real is not None:  # a real token varied alone: with a suffix, cut short
        tokens += [real + "x", real[:-1]]
        run.redact.add(*tokens[1:])  # near the real token: never shown in a report
    for token in tokens:
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
def test_another_user_with_this_password_gets_401(run, source):
    login = _basic(run)
    _copy_as(run, source, basic_header(login.site, login.user + "x", login.secret), authn.wrong_user)
