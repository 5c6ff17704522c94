"""NOTFOUND: copying a segment that does not exist, or no longer does, gets 404 and creates nothing."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange

from ._common import no_new_segments, status_check
from .registry import Context, check

__all__ = ["deleted", "missing_copy_creates_nothing", "never_existed"]

never_existed = check("NOTFOUND-01")(
    status_check("NOTFOUND-01", [404], "a segment that never existed gets 404.", __name__, "never_existed")
)
deleted = check("NOTFOUND-02")(status_check("NOTFOUND-02", [404], "a deleted segment gets 404.", __name__, "deleted"))


@check("NOTFOUND-03")
def missing_copy_creates_nothing(context: Context, exchange: Exchange | None) -> None:
    """NOTFOUND-03: after copies answered 404, no segment carrying the run's prefix was added."""
    no_new_segments("NOTFOUND-03", context)
