"""What several variants share: reading the Basic login a request carries, and acting as the writer."""

from __future__ import annotations

import hmac
from dataclasses import replace

from ...credentials import BasicLogin, decode_basic
from ..config import Identity
from ..messages import Request
from ..routing import Operation, Route, match_route

__all__ = ["as_writer", "basic_login", "folded", "is_copy", "same_secret", "writer"]


def basic_login(request: Request) -> BasicLogin | None:
    """The site, user and password of a well-formed Basic header; None otherwise."""
    scheme, _, credentials = (request.header("authorization") or "").strip().partition(" ")
    return decode_basic(credentials) if scheme.lower() == "basic" else None


def folded(site: str, user: str) -> tuple[str, str]:
    # Eloqua logins ignore case, as the reference mock's do.
    return site.casefold(), user.casefold()


def same_secret(given: str, expected: str | None) -> bool:
    return expected is not None and hmac.compare_digest(given.encode(), expected.encode())


def writer(identities: tuple[Identity, ...]) -> Identity:
    return next(identity for identity in identities if identity.can_create)


def is_copy(request: Request) -> bool:
    route = match_route(request.method, request.path)
    return isinstance(route, Route) and route.operation is Operation.COPY


def as_writer(request: Request, identities: tuple[Identity, ...], **changes: object) -> Request:
    """The same request sent by the identity that may create (how a variant writes what it should not)."""
    headers = tuple((k, v) for k, v in request.headers if k != "authorization")
    authorization = writer(identities).basic_authorization() or ""
    return replace(request, headers=(*headers, ("authorization", authorization)), **changes)  # type: ignore[arg-type]
