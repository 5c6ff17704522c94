"""Segments the mock starts with: a documented default, a JSON seed file, or none."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .messages import JsonObject

__all__ = ["SeedError", "default_seed", "load_seed_file", "parse_seed"]

_DIGITS = re.compile(r"[0-9]+")
# Keys a seed element may carry; the rest of an element is what the mock manages itself.
_ELEMENT_KEYS = ("type", "id", "isIncluded", "filter", "list", "count", "lastCalculatedAt")


class SeedError(ValueError):
    """A seed file or seed value that the mock cannot start from."""


def default_seed() -> tuple[JsonObject, ...]:
    """Segment 1: an included filter element and an excluded list element, as in Oracle's example."""
    return (
        {
            "type": "ContactSegment",
            "id": "1",
            "name": "Seeded segment: EMEA prospects",
            "folderId": "312",
            "createdAt": "1764180000",
            "createdBy": "101",
            "createdByName": "Mock Admin",
            "updatedAt": "1764180000",
            "updatedBy": "101",
            "updatedByName": "Mock Admin",
            "permissions": ["Retrieve", "Update", "Delete", "SetSecurity"],
            "elements": [
                {
                    "type": "ContactFilterSegmentElement",
                    "id": "101",
                    "isIncluded": "true",
                    "filter": {"type": "ContactFilter", "id": "451", "name": "Region is EMEA"},
                },
                {
                    "type": "ContactListSegmentElement",
                    "id": "102",
                    "isIncluded": "false",
                    "list": {"type": "ContactList", "id": "77", "name": "Do not contact"},
                },
            ],
        },
    )


def load_seed_file(path: Path) -> tuple[JsonObject, ...]:
    """Segments from a JSON file holding an array of segments (or {"segments": [...]})."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SeedError(f"seed file {path}: {exc}") from exc
    if isinstance(document, dict) and "segments" in document:
        document = document["segments"]
    return parse_seed(document, str(path))


def parse_seed(document: Any, source: str) -> tuple[JsonObject, ...]:
    """Checked seed segments; ids must be distinct decimal strings so new ids can follow them."""
    if not isinstance(document, list):
        raise SeedError(f"{source}: expected a JSON array of segments")
    segments: list[JsonObject] = []
    seen: set[str] = set()
    for index, item in enumerate(document):
        where = f"{source}: segment #{index}"
        if not isinstance(item, dict):
            raise SeedError(f"{where}: expected an object")
        segment_id = _digits(item.get("id"), f"{where}: id")
        if segment_id in seen:
            raise SeedError(f"{where}: duplicate id {segment_id}")
        seen.add(segment_id)
        if not isinstance(item.get("name"), str) or not item["name"]:
            raise SeedError(f"{where}: name must be a non-empty string")
        elements = item.get("elements", [])
        if not isinstance(elements, list):
            raise SeedError(f"{where}: elements must be an array")
        segment = {key: value for key, value in item.items() if key != "elements"}
        segment["id"] = segment_id
        segment["elements"] = [_element(e, f"{where} element #{n}") for n, e in enumerate(elements)]
        segments.append(segment)
    return tuple(segments)


def _element(item: Any, where: str) -> JsonObject:
    if not isinstance(item, dict):
        raise SeedError(f"{where}: expected an object")
    element = {key: item[key] for key in _ELEMENT_KEYS if key in item}
    element["id"] = _digits(item.get("id"), f"{where}: id")
    return element


def _digits(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value) or int(value) == 0:
        raise SeedError(f"{where} must be a string of decimal digits greater than 0, got {value!r}")
    return value
