"""FAULT: with fault injection, `Prefer: code=500` on a valid copy gets 500, and the failed copy creates nothing."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange

from ._common import no_new_segments, status_check
from .registry import Context, check

__all__ = ["injected_500", "injected_fault_creates_nothing"]

injected_500 = check("FAULT-01")(status_check("FAULT-01", [500], "Prefer code=500 gets 500.", __name__, "injected_500"))


@check("FAULT-01")
def injected_fault_creates_nothing(context: Context, exchange: Exchange | None) -> None:
    """FAULT-01: after the injected 500, no segment carrying the run's prefix was added."""
    no_new_segments("FAULT-01", context)
