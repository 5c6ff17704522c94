"""AUTHZ: an identity that may read but not create gets 403, and its copy creates nothing."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange

from ._common import no_new_segments, status_check
from .registry import Context, check

__all__ = ["forbidden_copy_creates_nothing", "forbidden_identity"]

forbidden_identity = check("AUTHZ-01")(
    status_check("AUTHZ-01", [403], "an identity that may not create gets 403.", __name__, "forbidden_identity")
)


@check("AUTHZ-02")
def forbidden_copy_creates_nothing(context: Context, exchange: Exchange | None) -> None:
    """AUTHZ-02: after a forbidden copy, no segment carrying the run's prefix was added, under any name."""
    no_new_segments("AUTHZ-02", context)
