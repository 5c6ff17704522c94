"""Broken access control: AUTHN (authentication) and AUTHZ (authorization)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ...credentials import decode_basic
from ..config import Identity
from ..errors import error, id_error, reject
from ..messages import Request, Response
from ..routing import Operation, Route, match_route
from ..service import SegmentService

__all__ = [
    "AnonymousIsReader",
    "AnyBearerTokenIsAdmin",
    "BadBase64Is400",
    "ForbiddenCopyStillWritten",
    "PasswordNotChecked",
    "PathCheckedBeforeCredentials",
    "Permissive",
    "UnknownUserIsAdmin",
]


def _basic_login(request: Request) -> tuple[str, str] | None:
    """(site, user) of a well-formed Basic header, password ignored; None otherwise."""
    scheme, _, credentials = (request.header("authorization") or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    login = decode_basic(credentials)
    return (login.site, login.user) if login else None


def _folded(site: str, user: str) -> tuple[str, str]:
    # Eloqua logins ignore case, as the reference mock's do.
    return site.casefold(), user.casefold()


def _writer(identities: tuple[Identity, ...]) -> Identity:
    return next(identity for identity in identities if identity.can_create)


class AnonymousIsReader(SegmentService):
    """Breaks AUTHN-01: a request without credentials is served as a read-only guest (403 on copy, not 401)."""

    violates: ClassVar[tuple[str, ...]] = (
        "AUTHN-01",
        "AUTHN-06",  # the guest gets past authentication, so its bad requests see 404/403/400 instead of 401
    )

    def authenticate(self, request: Request) -> Identity | None:
        if not request.header_values("authorization"):
            return next(identity for identity in self.config.identities if not identity.can_create)
        return super().authenticate(request)


class PasswordNotChecked(SegmentService):
    """Breaks AUTHN-02: a Basic login of a known site and user is accepted with any password."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-02",)

    def authenticate(self, request: Request) -> Identity | None:
        login = _basic_login(request)
        for identity in self.config.identities:
            if login is not None and _folded(identity.site, identity.user) == _folded(*login):
                return identity
        return super().authenticate(request)


class UnknownUserIsAdmin(SegmentService):
    """Breaks AUTHN-03: a well-formed Basic login of a user that does not exist falls back to the admin account."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-03",)

    def authenticate(self, request: Request) -> Identity | None:
        login = _basic_login(request)
        if login is not None and _folded(*login) not in {_folded(i.site, i.user) for i in self.config.identities}:
            return _writer(self.config.identities)
        return super().authenticate(request)


class AnyBearerTokenIsAdmin(SegmentService):
    """Breaks AUTHN-04: any non-empty bearer token is accepted (its signature is never verified)."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-04",)

    def authenticate(self, request: Request) -> Identity | None:
        scheme, _, token = (request.header("authorization") or "").strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return super().authenticate(request) or _writer(self.config.identities)
        return super().authenticate(request)


class BadBase64Is400(SegmentService):
    """Breaks AUTHN-05: Basic credentials that are not base64 get 400 (a decoding error) instead of 401."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-05",)

    def authenticate(self, request: Request) -> Identity | None:
        scheme, _, credentials = (request.header("authorization") or "").strip().partition(" ")
        if scheme.lower() == "basic" and credentials.strip() and decode_basic(credentials) is None:
            raise reject(400, error("ParsingError", "Authorization is not base64"))
        return super().authenticate(request)


class PathCheckedBeforeCredentials(SegmentService):
    """Breaks AUTHN-06: a non-numeric path id gets 400 before the credentials are looked at."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-06",)

    def authenticate(self, request: Request) -> Identity | None:
        route = match_route(request.method, request.path)
        if isinstance(route, Route) and route.raw_id is not None and self.parse_segment_id(route.raw_id) is None:
            raise reject(400, id_error(route.raw_id))
        return super().authenticate(request)


class Permissive(SegmentService):
    """Breaks AUTHZ-01: every authenticated identity may copy, the read-only one included."""

    violates: ClassVar[tuple[str, ...]] = (
        "AUTHZ-01",
        "AUTHZ-02",  # the forbidden identity's copy is made, so a segment with its name exists
        "STATUS-02",  # no copy request of the run is ever answered 403
    )

    def authorize(self, identity: Identity, operation: Operation) -> bool:
        return True


class ForbiddenCopyStillWritten(SegmentService):
    """Breaks AUTHZ-02: a forbidden copy is answered 403, but it was written first and is not rolled back.

    The write and the check are two steps of one request, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("AUTHZ-02",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        route = match_route(request.method, request.path)
        if response.status == 403 and isinstance(route, Route) and route.operation is Operation.COPY:
            writer = _writer(self.config.identities).basic_authorization() or ""
            headers = tuple((k, v) for k, v in request.headers if k != "authorization")
            super().handle(replace(request, headers=(*headers, ("authorization", writer))))
        return response
