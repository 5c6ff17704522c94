"""Broken missing-resource handling: NOTFOUND (what does not exist, and whether its 404 leaves the store alone)."""

from __future__ import annotations

import json
from typing import ClassVar

from ..messages import Request, Response
from ..routing import Operation, Route, match_route
from ..service import SegmentService
from ._helpers import basic_login

__all__ = ["DeleteKeepsSegment", "MissingSourceCreatesSegment", "SixDigitIds"]


class SixDigitIds(SegmentService):
    """Breaks NOTFOUND-01: ids longer than six digits are refused as malformed (400), not looked up (404)."""

    # The suite probes ids a million beyond any it saw; its retrieve gets 400 too, so NOTFOUND-01 fails there.
    violates: ClassVar[tuple[str, ...]] = ("NOTFOUND-01",)

    def parse_segment_id(self, raw: str) -> str | None:
        canonical = super().parse_segment_id(raw)
        return canonical if canonical is not None and len(canonical) <= 6 else None


class DeleteKeepsSegment(SegmentService):
    """Breaks NOTFOUND-02: delete answers 200 but keeps the segment, so a deleted segment can still be copied."""

    violates: ClassVar[tuple[str, ...]] = ("NOTFOUND-02",)

    def delete_segment(self, segment_id: str) -> bool:
        return self.find_segment(segment_id) is not None


class MissingSourceCreatesSegment(SegmentService):
    """Breaks NOTFOUND-03: a copy of a missing segment creates an empty segment under the requested name, then 404s.

    The new segment is made before the source is looked up, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("NOTFOUND-03",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        route = match_route(request.method, request.path)
        copy = isinstance(route, Route) and route.operation is Operation.COPY
        if response.status == 404 and copy and basic_login(request) is not None:
            try:
                name = json.loads(request.body).get("name")
            except (ValueError, AttributeError):
                name = None
            if isinstance(name, str) and name:
                create = Request("POST", "/api/REST/2.0/assets/contact/segment", request.query, request.headers,
                                 json.dumps({"name": name}).encode())  # fmt: skip
                super().handle(create)
        return response
