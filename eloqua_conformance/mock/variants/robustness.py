"""Crashes and defects that show only with unusual input or volume: STATUS-01, PROP-01, PROP-02.

Four of these are found by the property-based tests alone, since no example test sends such input or makes that
many requests: ControlCharacterCrash, TemplateIdCrash, ElementFieldNotValidated and StaleIdCounter.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from ..config import Identity
from ..messages import JsonObject
from ..routing import Operation
from ..service import SegmentService

__all__ = [
    "ControlCharacterCrash",
    "CrashesWithoutName",
    "ElementFieldNotValidated",
    "LongNameCrash",
    "StaleIdCounter",
    "TemplateIdCrash",
]


class ControlCharacterCrash(SegmentService):
    """Crashes (500) on a copy name holding a control character (category Cc): the audit log's encoder refuses it.

    Example names use Latin-1 letters, CJK, Cyrillic, symbols and emoji, never a C0/C1 control character;
    schemathesis's generated names often hold one.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "PROP-01",  # a schema-valid body gets 500
        "STATUS-01",  # ...which it did not ask for
    )

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        name = super().copy_name(source, body)
        if any(unicodedata.category(char) == "Cc" for char in name):
            raise ValueError("audit log: control character in name")
        return name


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


class TemplateIdCrash(SegmentService):
    """Answers 500 to a copy whose body names a `sourceTemplateId`: it looks the template up and dereferences None.

    The property is documented as not used for segments, so no example test sends it; generated bodies do.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "PROP-01",  # a generated body that carries sourceTemplateId gets 500
        "STATUS-01",  # ...and its 500 was not asked for
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        if "sourceTemplateId" in body:
            raise AttributeError("'NoneType' object has no attribute 'elements' (template lookup)")
        return super().copy_segment(source, body, identity)


class ElementFieldNotValidated(SegmentService):
    """Breaks PROP-02: an element's `createdByName` is never type-checked (it is display-only and server-set).

    The VALID-03 examples mistype elements, element entries and isIncluded; only generated bodies mistype this field.
    """

    violates: ClassVar[tuple[str, ...]] = ("PROP-02",)
    field: ClassVar[str] = "createdByName"

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return [p for p in super().validate_body(document, operation) if not self._in_gap(p)]

    def _in_gap(self, problem: JsonObject) -> bool:
        container = problem.get("container", {})
        return container.get("objectType") == "SegmentElement" and problem.get("property") == self.field


class StaleIdCounter(SegmentService):
    """Hands out segment ids 25-29 twice: from id 30 on, the counter runs five behind (restored from a stale snapshot).

    The example tests use ids 2-17; id 30 comes during the generated copies, whose ids are then reissued.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-03",  # the run sees an id a second time
        "PROP-01",  # the generated copy that gets it fails the SHAPE-03 check inside PROP-01
    )
    failover_at: ClassVar[int] = 30
    rewind: ClassVar[int] = 5

    def next_id(self) -> str:
        value = int(super().next_id())
        return str(value - self.rewind if value >= self.failover_at else value)
