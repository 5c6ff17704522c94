"""Broken read-only handling: RO (read-only and server-set properties sent in the copy body are honoured)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import ClassVar

from ..config import Identity
from ..messages import JsonObject, Request, Response, json_response
from ..render import Depth, parse_depth
from ..routing import Operation, Route, match_route
from ..service import SegmentService

__all__ = ["HonoursDepth", "HonoursFolderId", "HonoursPermissions", "HonoursServerSetNames"]


class HonoursFolderId(SegmentService):
    """Breaks RO-01: a folderId sent in the copy body is honoured although it is read-only."""

    # Generated PROP-01 bodies never carry read-only properties, so only the RO-01 example sees it.
    violates: ClassVar[tuple[str, ...]] = ("RO-01",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        if isinstance(body.get("folderId"), str):
            copy["folderId"] = body["folderId"]
        return copy


class HonoursDepth(SegmentService):
    """Breaks RO-01: the copy is answered at the depth the body names, as if depth were a request parameter.

    The answer is rendered after the copy is stored, so this variant re-renders it in `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("RO-01",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        route = match_route(request.method, request.path)
        if response.status != 201 or not isinstance(route, Route) or route.operation is not Operation.COPY:
            return response
        try:
            sent = json.loads(request.body)
        except ValueError:
            return response
        depth = sent.get("depth") if isinstance(sent, dict) else None
        stored = self.get(str(response.json().get("id")))
        if not isinstance(depth, str) or stored is None:
            return response
        answered = json_response(201, self.render_segment(stored, parse_depth(depth, Depth.COMPLETE)))
        return replace(answered, headers=response.headers)


class HonoursPermissions(SegmentService):
    """Breaks RO-02: permissions sent in the copy body are stored and answered."""

    violates: ClassVar[tuple[str, ...]] = ("RO-02",)

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        if isinstance(body.get("permissions"), list):
            copy["permissions"] = body["permissions"]
        return copy


class HonoursServerSetNames(SegmentService):
    """Breaks RO-03: createdByName and updatedByName sent in the body are stored (they are not flagged read-only)."""

    violates: ClassVar[tuple[str, ...]] = (
        "RO-03",
        "PROP-01",  # generated bodies carry these names too, and then the copy names the wrong creator (SHAPE-09)
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        copy = super().copy_segment(source, body, identity)
        copy.update({key: body[key] for key in ("createdByName", "updatedByName") if isinstance(body.get(key), str)})
        return copy
