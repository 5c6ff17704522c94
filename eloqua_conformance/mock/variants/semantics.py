"""Broken copies and statuses: SEM (copy semantics), STATE (stateful), STATUS (across the run), FAULT."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar

from ..config import Identity
from ..errors import Rejection
from ..messages import JsonObject, Request, Response
from ..routing import Operation
from ..service import SegmentService

__all__ = [
    "CopyOfCopyHasNoElements",
    "DropsExcludedElements",
    "EmptyDefaultName",
    "FaultAfterWrite",
    "HtmlNotFoundPage",
    "IgnoresPrefer",
    "RetrieveReordersElements",
    "SharedElementsRenumberSource",
    "TrimsName",
]

_HTML_404 = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


class SharedElementsRenumberSource(SegmentService):
    """Breaks SEM-01: the copy shares the source's element objects, so the new element ids renumber the source too."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-01",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        self._store.add({**source, "elements": copy["elements"]})  # the aliasing write-back
        return copy


class TrimsName(SegmentService):
    """Breaks SEM-02: the copy's name is stripped of leading and trailing spaces."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-02",)

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        return super().copy_name(source, body).strip()


class EmptyDefaultName(SegmentService):
    """Breaks SEM-03: a copy requested without a name gets an empty name (left out of the body)."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-03",)

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        name = body.get("name")
        return name if isinstance(name, str) else ""


class DropsExcludedElements(SegmentService):
    """Breaks SEM-04: only included elements are copied; excluded ones are lost."""

    # A copy of such a copy loses nothing more, so STATE-02's copy of a copy still mirrors its source.
    violates: ClassVar[tuple[str, ...]] = ("SEM-04",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        copy["elements"] = [e for e in copy["elements"] if e.get("isIncluded") != "false"]
        return copy


class RetrieveReordersElements(SegmentService):
    """Breaks STATE-01: segments are read back with excluded elements first (the database's order, not the saved one).

    A 201 body shows the order it was saved in; a later retrieve of it shows another.
    """

    # Every copy is built from a segment read back, so copies and their retrieves agree (SEM-04, STATE-02 pass).
    violates: ClassVar[tuple[str, ...]] = ("STATE-01",)

    def find_segment(self, segment_id: str) -> JsonObject | None:
        segment = super().find_segment(segment_id)
        if segment is not None:
            segment["elements"] = sorted(segment.get("elements", []), key=lambda e: e.get("isIncluded") == "true")
        return segment


class CopyOfCopyHasNoElements(SegmentService):
    """Breaks STATE-02: a copy of a copy has no elements (they are looked up in a template only originals have)."""

    violates: ClassVar[tuple[str, ...]] = ("STATE-02",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copies: set[str] = self.__dict__.setdefault("_copy_ids", set())
        copy = super().copy_segment(source, body, identity)
        if str(source.get("id")) in copies:
            copy["elements"] = []
        copies.add(str(copy["id"]))
        return copy


class HtmlNotFoundPage(SegmentService):
    """Breaks STATUS-03: a missing segment gets the web server's HTML 404 page instead of a JSON error."""

    violates: ClassVar[tuple[str, ...]] = ("STATUS-03",)

    def find_segment(self, segment_id: str) -> JsonObject | None:
        segment = super().find_segment(segment_id)
        if segment is None:
            raise Rejection(Response(404, _HTML_404, (("content-type", "text/html"),)))
        return segment


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
