"""Broken copy semantics: SEM (the source left alone, the name honoured, the elements and their content copied)."""

from __future__ import annotations

from typing import ClassVar

from ..config import Identity
from ..messages import JsonObject
from ..service import SegmentService

__all__ = [
    "CopiesSharedLists",
    "CrashesWithoutName",
    "CriteriaRenumberedStatementNot",
    "DropsExcludedElements",
    "DropsFilterCriteria",
    "EmptyDefaultName",
    "LongNameCrash",
    "SharedElementsRenumberSource",
    "TrimsName",
    "TruncatesLongNames",
]


class SharedElementsRenumberSource(SegmentService):
    """Breaks SEM-01: the copy shares the source's element objects, so the new element ids renumber the source too."""

    violates: ClassVar[tuple[str, ...]] = (
        "SEM-01",
        "STATE-01",  # a segment copied after it was answered reads back with the later copy's element ids
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        self._store.add({**source, "elements": copy["elements"]})  # the aliasing write-back
        return copy


class TrimsName(SegmentService):
    """Breaks SEM-02: the copy's name is stripped of leading and trailing spaces."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-02",)

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        return super().copy_name(source, body).strip()


class LongNameCrash(SegmentService):
    """Crashes (500) on a copy name longer than 100 characters (a fixed-size name buffer).

    Found by the 113-character example name; generated names never get that long (see the report).
    """

    violates: ClassVar[tuple[str, ...]] = (
        "SEM-02",  # the long example name gets 500, not 201
        "STATUS-01",  # ...which it did not ask for
    )
    limit: ClassVar[int] = 100

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        name = super().copy_name(source, body)
        if len(name) > self.limit:
            raise ValueError(f"name buffer holds {self.limit} characters")
        return name


class CrashesWithoutName(SegmentService):
    """Crashes (500) on a copy body without a name: body["name"] is read unguarded."""

    violates: ClassVar[tuple[str, ...]] = (
        "SEM-03",  # the example copy without a name gets 500
        "STATUS-01",  # ...which it did not ask for
        "PROP-01",  # generated bodies often leave the name out
    )

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        return str(body["name"]) or super().copy_name(source, body)


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


class TruncatesLongNames(SegmentService):
    """Breaks SEM-02: a name longer than 100 characters is cut to 100 and answered 201, not refused."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-02",)
    limit: ClassVar[int] = 100

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        return super().copy_name(source, body)[: self.limit]


class CopiesSharedLists(SegmentService):
    """Breaks SEM-04: a copy duplicates the shared contact lists it references, so it points at new lists."""

    violates: ClassVar[tuple[str, ...]] = (
        "SEM-04",
        "STATE-02",  # a copy of the copy points at yet another duplicate
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        for element in copy["elements"]:
            if isinstance(element.get("list"), dict):
                element["list"] = {**element["list"], "id": self.next_element_id()}
        return copy


class DropsFilterCriteria(SegmentService):
    """Breaks SEM-05: a copied filter keeps its id, name and scope but loses its criteria and statement."""

    # A copy of such a copy has nothing more to lose, so STATE-02's copy of a copy still matches its source.
    violates: ClassVar[tuple[str, ...]] = ("SEM-05",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        for element in copy["elements"]:
            if isinstance(element.get("filter"), dict):
                element["filter"] = {k: v for k, v in element["filter"].items() if k not in ("criteria", "statement")}
        return copy


class CriteriaRenumberedStatementNot(SegmentService):
    """Breaks SEM-05: a local filter is duplicated with new criterion ids; its statement still names the old ones."""

    violates: ClassVar[tuple[str, ...]] = ("SEM-05",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        for element in copy["elements"]:
            fltr = element.get("filter")
            if isinstance(fltr, dict) and isinstance(fltr.get("criteria"), list):
                criteria = [{**c, "id": self.next_element_id()} if isinstance(c, dict) else c for c in fltr["criteria"]]
                element["filter"] = {**fltr, "id": self.next_element_id(), "criteria": criteria}
        return copy
