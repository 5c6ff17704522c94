"""Which operation a method and path name; paths compare case-insensitively, as Eloqua's do."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..resources import API_PREFIX

__all__ = ["API_PREFIX", "MethodNotAllowed", "Operation", "Route", "match_route"]


class Operation(StrEnum):
    """The mock's operations, valued by their operationId in spec/openapi.yaml."""

    COPY = "CreateCopyPOSTRest20"
    CREATE = "CreateSegmentPOSTRest20"
    RETRIEVE = "RetrieveSegmentGETRest20"
    DELETE = "DeleteSegmentDELETERest20"
    LIST = "RetrieveSegmentsGETRest20"

    @property
    def writes(self) -> bool:
        """Whether the operation creates or removes a segment (needs create rights)."""
        return self in (Operation.COPY, Operation.CREATE, Operation.DELETE)


@dataclass(frozen=True)
class Route:
    """A matched operation and the raw, unparsed path id when the path has one."""

    operation: Operation
    raw_id: str | None = None


@dataclass(frozen=True)
class MethodNotAllowed:
    """The path is known but not with this method."""

    allowed: tuple[str, ...]


# Oracle writes /api/rest/2.0, /api/REST/2.0 and /API/REST/2.0, so the whole path ignores case;
# the id segment is captured raw (any characters but "/") so that a bad id reaches id validation.
_BASE = r"/api/rest/2\.0/assets/contact"
_TABLE: tuple[tuple[re.Pattern[str], dict[str, Operation]], ...] = (
    (re.compile(_BASE + r"/segment/(?P<id>[^/]*)/copy", re.IGNORECASE), {"POST": Operation.COPY}),
    (re.compile(_BASE + r"/segment", re.IGNORECASE), {"POST": Operation.CREATE}),
    (
        re.compile(_BASE + r"/segment/(?P<id>[^/]*)", re.IGNORECASE),
        {"GET": Operation.RETRIEVE, "DELETE": Operation.DELETE},
    ),
    (re.compile(_BASE + r"/segments", re.IGNORECASE), {"GET": Operation.LIST}),
)


def match_route(method: str, path: str) -> Route | MethodNotAllowed | None:
    """The route for `method` and `path`, MethodNotAllowed, or None for an unknown path."""
    for pattern, methods in _TABLE:
        found = pattern.fullmatch(path)
        if found is None:
            continue
        operation = methods.get(method.upper())
        if operation is None:
            return MethodNotAllowed(tuple(sorted(methods)))
        return Route(operation, found.groupdict().get("id"))
    return None
