"""Broken state: STATE (what was answered is not what was stored; copies of copies, deleted sources, bursts)."""

from __future__ import annotations

import time
from typing import ClassVar

from ..config import Identity
from ..messages import JsonObject, Request, Response
from ..service import SegmentService
from ._helpers import is_copy

__all__ = [
    "CascadeDeletesCopies",
    "CopyOfCopyHasNoElements",
    "RacyIdCounter",
    "RetrieveReordersElements",
    "StoredWithoutFolder",
]


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


class StoredWithoutFolder(SegmentService):
    """Breaks STATE-01: the 201 shows the copy in its source's folder, but the folder is never saved with it.

    The answer is built before the write that drops the folder, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("STATE-01",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status == 201 and is_copy(request):
            stored = self.get(str(response.json().get("id")))
            if stored is not None:
                stored.pop("folderId", None)
                self._store.add(stored)
        return response


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


class CascadeDeletesCopies(SegmentService):
    """Breaks STATE-03: deleting a segment deletes the local filters it owns, which its copies still share, so the
    copies lose those elements. A filter is owned by the oldest segment that holds it: a source, not its copies."""

    # The state machine could show it too (a copy read back after its source was deleted); with the gate's seed
    # its steps never come in that order.
    violates: ClassVar[tuple[str, ...]] = ("STATE-03",)

    def delete_segment(self, segment_id: str) -> bool:
        segments = self._store.all()  # in increasing id order: older segments first

        def filters(segment: JsonObject) -> set[str]:
            elements = segment.get("elements", [])
            return {str(e["filter"].get("id")) for e in elements if isinstance(e.get("filter"), dict)}

        older = [s for s in segments if int(s["id"]) < int(segment_id)]
        owned = {f for s in segments if str(s["id"]) == segment_id for f in filters(s)}
        owned -= {f for s in older for f in filters(s)}
        for other in segments:
            kept = [e for e in other.get("elements", [])
                    if not (isinstance(e.get("filter"), dict) and str(e["filter"].get("id")) in owned)]  # fmt: skip
            if str(other["id"]) != segment_id and len(kept) != len(other.get("elements", [])):
                self._store.add({**other, "elements": kept})
        return super().delete_segment(segment_id)


class RacyIdCounter(SegmentService):
    """Breaks STATE-04: the id counter is read, then moved past that value after a pause; concurrent copies read
    the same value and get the same id.

    Sequential requests never meet in the pause, so only the burst of concurrent copies shows it. The counter is
    moved forward only (as `UPDATE ... SET next = GREATEST(next, :id + 1)` would): writing the value read back as
    it was would let a slow request set the counter back, and which later copy then reused an id, and overwrote
    the stored segment, would be up to the scheduler (on a loaded machine it failed STATE-01 and NOTFOUND-02 too).
    """

    violates: ClassVar[tuple[str, ...]] = (
        "STATE-04",
        "SHAPE-03",  # the run-wide check sees the duplicated id twice
    )
    pause: ClassVar[float] = 0.005

    def next_id(self) -> str:
        counter = self._segment_ids
        value = counter._next
        time.sleep(self.pause)  # the gap between the read and the write, as a slow database round trip makes it
        counter._next = max(counter._next, value + 1)
        return str(value)
