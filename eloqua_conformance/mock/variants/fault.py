"""Broken fault injection: FAULT (Prefer: code=500 ignored, or a forced 500 that still wrote)."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ..messages import Request, Response
from ..routing import Operation
from ..service import SegmentService

__all__ = ["FaultAfterWrite", "IgnoresPrefer"]


class IgnoresPrefer(SegmentService):
    """Breaks FAULT-01: `Prefer: code=500` is ignored, so the request succeeds."""

    violates: ClassVar[tuple[str, ...]] = (
        "FAULT-01",
        "STATUS-02",  # nothing else provokes a 500, so it is never observed
    )

    def injected_fault(self, request: Request, operation: Operation) -> Response | None:
        return None


class FaultAfterWrite(SegmentService):
    """Breaks FAULT-01: the forced 500 is answered after the copy was made, so a failed request created a segment."""

    # The 500 itself is right; the suite's search for the copy then finds it (an assertion, so the outcome is error).
    violates: ClassVar[tuple[str, ...]] = ("FAULT-01",)

    def injected_fault(self, request: Request, operation: Operation) -> Response | None:
        fault = super().injected_fault(request, operation)
        if fault is not None:
            self.handle(replace(request, headers=tuple(h for h in request.headers if h[0] != "prefer")))
        return fault
