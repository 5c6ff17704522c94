"""Broken authentication: AUTHN (who may call, and whether a 401 leaves the store alone)."""

from __future__ import annotations

from typing import ClassVar

from ...credentials import decode_basic
from ..config import Identity
from ..errors import error, id_error, reject
from ..messages import Request, Response
from ..routing import Route, match_route
from ..service import SegmentService
from ._helpers import as_writer, basic_login, folded, is_copy, same_secret, writer

__all__ = [
    "AnonymousIsReader",
    "AnyBearerTokenIsAdmin",
    "BadBase64Is400",
    "PasswordCaseInsensitive",
    "PasswordNotChecked",
    "PathCheckedBeforeCredentials",
    "SiteNotChecked",
    "UnknownUserIsAdmin",
    "UserNotChecked",
    "WrongPasswordCopyWritten",
]


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
        login = basic_login(request)
        for identity in self.config.identities:
            if login is not None and folded(identity.site, identity.user) == folded(login.site, login.user):
                return identity
        return super().authenticate(request)


class PasswordCaseInsensitive(SegmentService):
    """Breaks AUTHN-02: passwords are compared ignoring case, like the site and user names they are sent with."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-02",)

    def authenticate(self, request: Request) -> Identity | None:
        login = basic_login(request)
        for identity in self.config.identities:
            if login is None or identity.password is None:
                continue
            if folded(identity.site, identity.user) == folded(login.site, login.user) and same_secret(
                login.password.casefold(), identity.password.casefold()
            ):
                return identity
        return super().authenticate(request)


class UnknownUserIsAdmin(SegmentService):
    """Breaks AUTHN-03: a well-formed Basic login of a user that does not exist falls back to the admin account."""

    violates: ClassVar[tuple[str, ...]] = (
        "AUTHN-03",
        "AUTHN-07",  # a known user under a wrong site is an unknown login too, so it becomes the admin
        "AUTHN-08",  # ...and so is a user name that does not exist under the right site
    )

    def authenticate(self, request: Request) -> Identity | None:
        login = basic_login(request)
        known = {folded(i.site, i.user) for i in self.config.identities}
        if login is not None and folded(login.site, login.user) not in known:
            return writer(self.config.identities)
        return super().authenticate(request)


class AnyBearerTokenIsAdmin(SegmentService):
    """Breaks AUTHN-04: any non-empty bearer token is accepted (its signature is never verified)."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-04",)

    def authenticate(self, request: Request) -> Identity | None:
        scheme, _, token = (request.header("authorization") or "").strip().partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return super().authenticate(request) or writer(self.config.identities)
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


class SiteNotChecked(SegmentService):
    """Breaks AUTHN-07: the site part of a Basic login is ignored; the user and password alone decide."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-07",)

    def authenticate(self, request: Request) -> Identity | None:
        login = basic_login(request)
        for identity in self.config.identities:
            if login is None:
                break
            if login.user.casefold() == identity.user.casefold() and same_secret(login.password, identity.password):
                return identity
        return super().authenticate(request)


class UserNotChecked(SegmentService):
    """Breaks AUTHN-08: a Basic login is matched by site and password only, whatever user name it gives."""

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-08",)

    def authenticate(self, request: Request) -> Identity | None:
        login = basic_login(request)
        for identity in self.config.identities:
            if login is None:
                break
            if login.site.casefold() == identity.site.casefold() and same_secret(login.password, identity.password):
                return identity
        return super().authenticate(request)


class WrongPasswordCopyWritten(SegmentService):
    """Breaks AUTHN-09: a copy by a known user with a wrong password is written before the password is checked.

    The write and the check are two steps of one request, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("AUTHN-09",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        login = basic_login(request)
        known = {folded(i.site, i.user) for i in self.config.identities if i.can_create}
        if response.status == 401 and is_copy(request) and login and folded(login.site, login.user) in known:
            super().handle(as_writer(request, self.config.identities))
        return response
