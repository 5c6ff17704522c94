"""Render a stored segment at a request depth, as Oracle's "Request depth" page describes."""

from __future__ import annotations

from enum import StrEnum

from .messages import JsonObject

__all__ = ["Depth", "parse_depth", "render_segment"]


class Depth(StrEnum):
    """minimal: a few common properties; partial: own properties; complete: everything."""

    MINIMAL = "minimal"
    PARTIAL = "partial"
    COMPLETE = "complete"


# Oracle: minimal is "name, type, id, and the created / last-updated / last-accessed dates".
_MINIMAL_KEYS = ("type", "id", "name", "createdAt", "updatedAt", "accessedAt")


# Responses list properties in one stable order (Oracle's example order), unknown ones last.
_ORDER = (
    "type", "id", "name", "description", "currentStatus", "folderId", "sourceTemplateId", "permissions",
    "createdAt", "createdBy", "createdByName", "updatedAt", "updatedBy", "updatedByName", "accessedAt",
    "scheduledFor", "depth", "isIncluded", "filter", "list", "count", "lastCalculatedAt", "isStale",
    "dependencyName", "elements",
)  # fmt: skip
_RANK = {key: rank for rank, key in enumerate(_ORDER)}


def parse_depth(raw: str | None, fallback: Depth) -> Depth:
    """The depth named by `raw`; absent or invalid values reset to `fallback` (it differs per operation)."""
    if raw is not None:
        for depth in Depth:
            if raw.strip().lower() == depth.value:
                return depth
    return fallback


def render_segment(segment: JsonObject, depth: Depth) -> JsonObject:
    """The JSON body for `segment` at `depth`; empty properties are left out, as Eloqua does."""
    if depth is Depth.MINIMAL:
        body = _minimal(segment)
    else:
        body = {key: value for key, value in segment.items() if key != "elements"}
        # Partial returns related entities (the elements) at minimal depth, complete at complete.
        elements = segment.get("elements", [])
        body["elements"] = [_ordered(_minimal(e) if depth is Depth.PARTIAL else e) for e in elements]
    body["depth"] = depth.value
    return _ordered(body)


def _minimal(entity: JsonObject) -> JsonObject:
    return {key: entity[key] for key in _MINIMAL_KEYS if key in entity}


def _ordered(entity: JsonObject) -> JsonObject:
    present = [(key, value) for key, value in entity.items() if value is not None and value != ""]
    return dict(sorted(present, key=lambda item: _RANK.get(item[0], len(_ORDER))))
