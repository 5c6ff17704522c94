"""Broken authorization: AUTHZ (an identity that may not create, and whether its 403 leaves the store alone)."""

from __future__ import annotations

import json
from typing import ClassVar

from ..config import Identity
from ..messages import Request, Response
from ..routing import Operation
from ..service import SegmentService
from ._helpers import as_writer, is_copy

__all__ = ["ForbiddenCopyStillWritten", "ForbiddenCopyStoredAsCopyOf", "Permissive"]


class Permissive(SegmentService):
    """Breaks AUTHZ-01: every authenticated identity may copy, the read-only one included."""

    violates: ClassVar[tuple[str, ...]] = (
        "AUTHZ-01",
        "AUTHZ-02",  # the forbidden identity's copy is made, so a new segment exists
        "STATUS-02",  # no copy request of the run is ever answered 403
    )

    def authorize(self, identity: Identity, operation: Operation) -> bool:
        return True


class ForbiddenCopyStillWritten(SegmentService):
    """Breaks AUTHZ-02: a forbidden copy is answered 403, but it was written first and is not rolled back.

    The write and the check are two steps of one request, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("AUTHZ-02",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status == 403 and is_copy(request):
            super().handle(as_writer(request, self.config.identities))
        return response


class ForbiddenCopyStoredAsCopyOf(SegmentService):
    """Breaks AUTHZ-02: a forbidden copy is answered 403, but a draft of it is kept under the default name.

    A search for the requested name finds nothing; the run's segments before and after show the draft.
    """

    violates: ClassVar[tuple[str, ...]] = ("AUTHZ-02",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status == 403 and is_copy(request):
            draft = json.dumps({"description": "draft of a refused copy"}).encode()
            super().handle(as_writer(request, self.config.identities, body=draft))
        return response
