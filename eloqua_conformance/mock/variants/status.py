"""Broken statuses across the run: STATUS (error bodies a person or a client cannot use)."""

from __future__ import annotations

from typing import ClassVar

from ..errors import Rejection
from ..messages import JsonObject, Response
from ..service import SegmentService

__all__ = ["HtmlNotFoundPage", "TracebackInNotFound"]

_HTML_404 = b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"
_TRACE_404 = (b"Traceback (most recent call last):\n  File \"/srv/app/segments.py\", line 88, in find\n"
              b"    return SEGMENTS[segment_id]\nKeyError: '999'\n")  # fmt: skip


class HtmlNotFoundPage(SegmentService):
    """Breaks STATUS-03: a missing segment gets the web server's HTML 404 page instead of a JSON error."""

    violates: ClassVar[tuple[str, ...]] = ("STATUS-03",)

    def find_segment(self, segment_id: str) -> JsonObject | None:
        segment = super().find_segment(segment_id)
        if segment is None:
            raise Rejection(Response(404, _HTML_404, (("content-type", "text/html"),)))
        return segment


class TracebackInNotFound(SegmentService):
    """Breaks STATUS-03: a missing segment gets a plain-text 404 whose body is the server's Python traceback."""

    # Plain text is a legitimate error body (contract notes §6); a stack trace in it is not.
    violates: ClassVar[tuple[str, ...]] = ("STATUS-03",)

    def find_segment(self, segment_id: str) -> JsonObject | None:
        segment = super().find_segment(segment_id)
        if segment is None:
            raise Rejection(Response(404, _TRACE_404, (("content-type", "text/plain"),)))
        return segment
