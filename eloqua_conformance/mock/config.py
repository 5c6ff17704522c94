"""The mock's configuration: identities it accepts, segments it starts with, fault injection."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from .messages import JsonObject
from .seed import default_seed

__all__ = ["DEFAULT_ADMIN", "DEFAULT_READER", "Identity", "MockConfig", "default_config"]


@dataclass(frozen=True)
class Identity:
    """A user the mock accepts, by HTTP Basic (`site\\user:password`) and/or bearer `token`."""

    site: str
    user: str
    password: str | None
    token: str | None
    can_create: bool
    user_id: str
    display_name: str

    @property
    def login(self) -> str:
        """`Site\\User`, the left half of Eloqua's Basic credentials."""
        return f"{self.site}\\{self.user}"

    def basic_authorization(self) -> str | None:
        """The Authorization header value for Basic, or None without a password."""
        if self.password is None:
            return None
        raw = f"{self.login}:{self.password}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def bearer_authorization(self) -> str | None:
        """The Authorization header value for the bearer token, or None without one."""
        return None if self.token is None else f"Bearer {self.token}"


DEFAULT_ADMIN = Identity(
    site="TestSite",
    user="admin",
    password="admin-password",
    token="admin-token",
    can_create=True,
    user_id="101",
    display_name="Mock Admin",
)
DEFAULT_READER = Identity(
    site="TestSite",
    user="reader",
    password="reader-password",
    token="reader-token",
    can_create=False,
    user_id="102",
    display_name="Mock Reader",
)


@dataclass(frozen=True)
class MockConfig:
    """Everything that makes one mock differ from another; the service never reads globals."""

    identities: tuple[Identity, ...] = (DEFAULT_ADMIN, DEFAULT_READER)
    seed_segments: tuple[JsonObject, ...] = field(default_factory=default_seed)
    fault_injection: bool = True


def default_config() -> MockConfig:
    """The documented defaults: an admin, a read-only reader, one seeded segment, faults on."""
    return MockConfig()
