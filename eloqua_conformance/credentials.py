"""Credentials given as `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`, and their masking."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

__all__ = ["MASK", "BasicLogin", "Credential", "CredentialError", "Redactor", "basic_header", "decode_basic",
           "parse_credential"]  # fmt: skip

MASK = "***"


class CredentialError(ValueError):
    """A credential string that is not `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`."""


def basic_header(site: str, user: str, password: str) -> str:
    """The Authorization value Eloqua expects: Basic base64(`Site\\User:Password`)."""
    raw = f"{site}\\{user}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


@dataclass(frozen=True)
class BasicLogin:
    """What a Basic token says: `site\\user:password`."""

    site: str
    user: str
    password: str


def decode_basic(token: str) -> BasicLogin | None:
    """The site, user and password in a Basic token; None when it is not base64 of UTF-8 `SITE\\USER:PASSWORD`."""
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, colon, password = decoded.partition(":")
    site, backslash, user = login.partition("\\")
    return BasicLogin(site, user, password) if colon and backslash else None


@dataclass(frozen=True)
class Credential:
    """One identity's credentials; `repr` never shows the secret."""

    scheme: str  # "basic" or "bearer"
    site: str = ""
    user: str = ""
    secret: str = ""  # the password, or the bearer token

    def header(self) -> str:
        if self.scheme == "bearer":
            return f"Bearer {self.secret}"
        return basic_header(self.site, self.user, self.secret)

    def secrets(self) -> tuple[str, ...]:
        """Every string that would reveal this credential if printed."""
        if self.scheme == "bearer":
            return (self.secret,)
        return (self.secret, self.header().split(" ", 1)[1])

    def describe(self) -> str:
        """Who this is, with the secret masked."""
        if self.scheme == "bearer":
            return f"bearer:{MASK}"
        return f"basic:{self.site}\\{self.user}:{MASK}"

    def __repr__(self) -> str:
        return f"Credential({self.describe()})"


def parse_credential(text: str) -> Credential:
    """Parse `basic:SITE\\USER:PASSWORD` or `bearer:TOKEN`; messages never echo the secret."""
    scheme, sep, rest = text.partition(":")
    if not sep or scheme not in {"basic", "bearer"}:
        raise CredentialError("expected basic:SITE\\USER:PASSWORD or bearer:TOKEN (missing or unknown scheme)")
    if scheme == "bearer":
        if not rest or any(ch.isspace() for ch in rest):
            raise CredentialError("bearer: the token is empty or contains whitespace")
        return Credential("bearer", secret=rest)
    identity, sep, password = rest.partition(":")
    site, backslash, user = identity.partition("\\")
    if not sep or not backslash or not site or not user or not password:
        raise CredentialError("basic: expected SITE\\USER:PASSWORD with a non-empty site, user and password")
    return Credential("basic", site=site, user=user, secret=password)


class Redactor:
    """Replaces every known secret in a text with a mask."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        # Longest first, so a password inside a longer token is not half-masked.
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def add(self, *secrets: str) -> None:
        self._secrets = sorted({*self._secrets, *(s for s in secrets if s)}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return text
