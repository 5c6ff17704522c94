"""Resolve an Authorization header to a configured identity: HTTP Basic or a bearer token."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from ..credentials import decode_basic
from .config import Identity

__all__ = ["identify"]


def identify(header_values: Sequence[str], identities: Sequence[Identity]) -> Identity | None:
    """The identity the Authorization header proves, or None for absent, malformed or wrong ones."""
    # Two Authorization headers are ambiguous; refusing them beats guessing which one counts.
    if len(header_values) != 1:
        return None
    scheme, _, credentials = header_values[0].strip().partition(" ")
    credentials = credentials.strip()
    if not credentials:
        return None
    if scheme.lower() == "basic":
        return _basic(credentials, identities)
    if scheme.lower() == "bearer":
        return _bearer(credentials, identities)
    return None


def _basic(credentials: str, identities: Sequence[Identity]) -> Identity | None:
    login = decode_basic(credentials)
    if login is None:
        return None
    site, user, password = login.site, login.user, login.password
    for identity in identities:
        if identity.password is None:
            continue
        # Eloqua's company and user names are case-insensitive at login; passwords are not.
        same_login = site.casefold() == identity.site.casefold() and user.casefold() == identity.user.casefold()
        if same_login and _same(password, identity.password):
            return identity
    return None


def _bearer(token: str, identities: Sequence[Identity]) -> Identity | None:
    for identity in identities:
        if identity.token is not None and _same(token, identity.token):
            return identity
    return None


def _same(given: str, expected: str) -> bool:
    # Constant-time comparison: the mock may be reachable from other hosts when --host says so.
    return hmac.compare_digest(given.encode(), expected.encode())
