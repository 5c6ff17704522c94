"""AUTHN: a copy without valid credentials gets 401, before anything else is looked at, and creates nothing."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange

from ._common import no_new_segments, status_check
from .registry import CheckFunction, Context, check

__all__ = [
    "credentials_checked_first",
    "malformed_authorization",
    "missing_credentials",
    "unauthenticated_copy_creates_nothing",
    "unknown_bearer_token",
    "unknown_user",
    "wrong_password",
    "wrong_site",
    "wrong_user",
]


def _401(requirement_id: str, doc: str, name: str) -> CheckFunction:
    return check(requirement_id)(status_check(requirement_id, [401], doc, __name__, name))


missing_credentials = _401("AUTHN-01", "no credentials get 401.", "missing_credentials")
wrong_password = _401("AUTHN-02", "a wrong password, with the right site and user, gets 401.", "wrong_password")
unknown_user = _401("AUTHN-03", "an unknown user gets 401.", "unknown_user")
unknown_bearer_token = _401("AUTHN-04", "an unknown bearer token gets 401.", "unknown_bearer_token")
malformed_authorization = _401("AUTHN-05", "a malformed Authorization header gets 401.", "malformed_authorization")
credentials_checked_first = _401("AUTHN-06", "unauthenticated bad requests get 401.", "credentials_checked_first")
wrong_site = _401("AUTHN-07", "a wrong site, with the right user and password, gets 401.", "wrong_site")
wrong_user = _401("AUTHN-08", "another user name, with the right site and password, gets 401.", "wrong_user")


@check("AUTHN-09")
def unauthenticated_copy_creates_nothing(context: Context, exchange: Exchange | None) -> None:
    """AUTHN-09: after copies answered 401, no segment carrying the run's prefix was added."""
    no_new_segments("AUTHN-09", context)
