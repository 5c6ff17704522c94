"""Broken success bodies: SHAPE (the copy's form and the server-set values in it)."""

from __future__ import annotations

import time
from typing import ClassVar

from ..config import Identity
from ..errors import error
from ..messages import JsonObject, Request, Response, json_response
from ..render import Depth
from ..service import SegmentService

__all__ = [
    "CreatorIsServiceAccount",
    "DepthFull",
    "DuplicateElementIds",
    "ElementIdsNotDecimal",
    "FolderIdAsNumber",
    "IsIncludedPythonBooleans",
    "MillisecondTimestamps",
    "RequiresJsonAccept",
    "SkewedTimestamps",
    "StaleIdCounter",
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


class StaleIdCounter(SegmentService):
    """Reissues an id: a copy whose body names a sourceTemplateId is numbered by the template service, whose
    cached counter hands out the id of the last copy again.

    The property is documented as not used for segments, so no example test sends it; generated bodies do.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-03",  # the run sees an id a second time
        "PROP-01",  # the generated copy that gets it fails the SHAPE-03 check inside PROP-01
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        last = self.__dict__.get("_last_copy_id")
        if "sourceTemplateId" in body and last is not None:
            copy["id"] = last
        self.__dict__["_last_copy_id"] = copy["id"]
        return copy


class ElementIdsNotDecimal(SegmentService):
    """Breaks SHAPE-04: element ids are "el-<n>" strings instead of decimal digits."""

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-04",)

    def next_element_id(self) -> str:
        return "el-" + super().next_element_id()


class MillisecondTimestamps(SegmentService):
    """Breaks SHAPE-05: createdAt/updatedAt are Unix milliseconds (a Java server's currentTimeMillis)."""

    # SHAPE-08 judges only values that look like Unix seconds, so milliseconds are SHAPE-05's alone.
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


class SkewedTimestamps(SegmentService):
    """Breaks SHAPE-08: createdAt/updatedAt run an hour behind (local time stored as if it were UTC).

    Still Unix seconds within a day of now, so SHAPE-05, which judges only their form, passes.
    """

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-08",)

    def timestamp(self) -> str:
        return str(int(time.time()) - 3600)


class CreatorIsServiceAccount(SegmentService):
    """Breaks SHAPE-09: a copy records the service account that ran the copy job as its creator, not the caller."""

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-09",
        "PROP-01",  # every generated copy carries the wrong creator too
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        copy.update(createdBy="1", createdByName="Eloqua System", updatedBy="1", updatedByName="Eloqua System")
        return copy


class DuplicateElementIds(SegmentService):
    """Breaks SHAPE-10: every element of a copy gets the same new id (taken once per copy, not once per element)."""

    violates: ClassVar[tuple[str, ...]] = (
        "SHAPE-10",
        "PROP-01",  # every generated copy of the two-element source has the duplicate too
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        for element in copy["elements"]:
            element["id"] = copy["elements"][0]["id"]
        return copy


class RequiresJsonAccept(SegmentService):
    """Breaks SHAPE-11: an Accept header other than exactly application/json gets 406, though Accept is optional."""

    violates: ClassVar[tuple[str, ...]] = ("SHAPE-11",)

    def handle(self, request: Request) -> Response:
        accept = request.header("accept")
        if accept is not None and accept.strip() != "application/json":
            return json_response(406, [error("NotAcceptable", "Accept must be application/json")])
        return super().handle(request)
