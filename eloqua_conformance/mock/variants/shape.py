"""Broken success bodies: SHAPE (response shape) and RO (read-only fields)."""

from __future__ import annotations

import time
from typing import ClassVar

from ..config import Identity
from ..messages import JsonObject
from ..render import Depth
from ..service import SegmentService

__all__ = [
    "DepthFull",
    "ElementIdsNotDecimal",
    "FolderIdAsNumber",
    "HonoursFolderId",
    "HonoursPermissions",
    "IsIncludedPythonBooleans",
    "MillisecondTimestamps",
    "TypeMissing",
]


class FolderIdAsNumber(SegmentService):
    """Breaks SHAPE-01: folderId is rendered as a JSON number, which the schema forbids (it is a string)."""

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-01",
        "PROP-01",  # PROP-01 runs the SHAPE-01 check on every generated copy
    )

    def render_segment(self, segment: JsonObject, depth: Depth) -> JsonObject:
        body = super().render_segment(segment, depth)
        if "folderId" in body:
            body["folderId"] = int(body["folderId"])
        return body


class TypeMissing(SegmentService):
    """Breaks SHAPE-02: a copy is answered without its `type` (the property is never set on copies)."""

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-02",
        "RO-02",  # the RO-02 check also demands type ContactSegment after a body that sent another type
        "PROP-01",  # PROP-01 runs the SHAPE-02 check on every generated copy
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        del copy["type"]
        return copy


class ElementIdsNotDecimal(SegmentService):
    """Breaks SHAPE-04: element ids are "el-<n>" strings instead of decimal digits."""

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-04",)

    def next_element_id(self) -> str:
        return "el-" + super().next_element_id()


class MillisecondTimestamps(SegmentService):
    """Breaks SHAPE-05: createdAt/updatedAt are Unix milliseconds (a Java server's currentTimeMillis)."""

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-05",)

    def timestamp(self) -> str:
        return str(int(time.time() * 1000))


class IsIncludedPythonBooleans(SegmentService):
    """Breaks SHAPE-06: element isIncluded is rendered "True"/"False" (str of a boolean), not "true"/"false"."""

    # Retrieves render the same way, so every comparison of two bodies (SEM-04, STATE-*) still agrees.
    violates: ClassVar[tuple[str, ...]] = ("SHAPE-06",)

    def render_segment(self, segment: JsonObject, depth: Depth) -> JsonObject:
        body = super().render_segment(segment, depth)
        for element in body.get("elements", []):
            if element.get("isIncluded") in ("true", "false"):
                element["isIncluded"] = str(element["isIncluded"] == "true")
        return body


class DepthFull(SegmentService):
    """Breaks SHAPE-07: the complete depth is rendered as depth "full"."""

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-07",)

    def render_segment(self, segment: JsonObject, depth: Depth) -> JsonObject:
        body = super().render_segment(segment, depth)
        if body.get("depth") == Depth.COMPLETE.value:
            body["depth"] = "full"
        return body


class HonoursFolderId(SegmentService):
    """Breaks RO-01: a folderId sent in the copy body is honoured although it is read-only."""

    # Generated PROP-01 bodies never carry read-only properties, so only the RO-01 example sees it.
    violates: ClassVar[tuple[str, ...]] = ("RO-01",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        if isinstance(body.get("folderId"), str):
            copy["folderId"] = body["folderId"]
        return copy


class HonoursPermissions(SegmentService):
    """Breaks RO-02: permissions sent in the copy body are stored and answered."""

    violates: ClassVar[tuple[str, ...]] = ("RO-02",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        if isinstance(body.get("permissions"), list):
            copy["permissions"] = body["permissions"]
        return copy
