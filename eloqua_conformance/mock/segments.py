"""Build the stored form of new segments and elements from a source, a request body, a seed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .config import Identity
from .messages import JsonObject

__all__ = [
    "DEFAULT_FOLDER_ID",
    "PERMISSIONS",
    "audit_fields",
    "copied_element",
    "element_from_body",
    "saved",
    "with_defaults",
]

# Observed 2.0 vocabulary (contract notes §3): what a full-rights user holds on its own segment.
PERMISSIONS = ("Retrieve", "Update", "Delete", "SetSecurity")
# folderId is read-only in requests, so a created segment lands in the mock's one default folder.
DEFAULT_FOLDER_ID = "300"
_PLACEHOLDER = re.compile(r"-[0-9]+")
_REFERENCE_TYPES = {"filter": "ContactFilterSegmentElement", "list": "ContactListSegmentElement"}


def audit_fields(identity: Identity, timestamp: str) -> JsonObject:
    """createdAt/By/ByName and updatedAt/By/ByName for something `identity` makes at `timestamp`."""
    return {
        "createdAt": timestamp,
        "createdBy": identity.user_id,
        "createdByName": identity.display_name,
        "updatedAt": timestamp,
        "updatedBy": identity.user_id,
        "updatedByName": identity.display_name,
    }


def copied_element(element: JsonObject, element_id: str) -> JsonObject:
    """A copy of a stored element under a new id; counts are left out since a copy is not calculated."""
    copy: JsonObject = {"type": element.get("type"), "id": element_id, "isIncluded": element.get("isIncluded")}
    for key in _REFERENCE_TYPES:
        if key in element:
            copy[key] = element[key]
    return _without_none(copy)


def element_from_body(item: Any, element_id: str, new_id: Callable[[], str] | None = None) -> JsonObject | None:
    """The stored element for a create body's `item` (None if it is not an object).

    With `new_id`, the placeholder ids of new objects in its filter or list get real ones (see `saved`).
    """
    if not isinstance(item, dict):
        return None
    element: JsonObject = {"id": element_id}
    references = {key: item[key] for key in _REFERENCE_TYPES if isinstance(item.get(key), dict)}
    if new_id is not None:
        references = {key: saved(reference, new_id) for key, reference in references.items()}
    kind = item.get("type")
    if not isinstance(kind, str) or not kind:
        # Without a type, the reference it carries names the subtype, as in real payloads.
        kind = next((_REFERENCE_TYPES[key] for key in references), None)
    element["type"] = kind
    if isinstance(item.get("isIncluded"), str):
        element["isIncluded"] = item["isIncluded"]
    element.update(references)
    return _without_none(element)


def saved(reference: JsonObject, new_id: Callable[[], str]) -> JsonObject:
    """A filter or list as saved: negative placeholder ids (Eloqua's convention for new, unsaved objects, contract
    notes §2) get real ids, for the object and its criteria, and the statement names the criteria by their new ids."""
    renamed: dict[str, str] = {}

    def real(value: Any) -> Any:
        if isinstance(value, str) and _PLACEHOLDER.fullmatch(value):
            return renamed.setdefault(value, new_id())
        return value

    kept = dict(reference)
    if "id" in reference:
        kept["id"] = real(reference["id"])
    if isinstance(reference.get("criteria"), list):
        kept["criteria"] = [{**c, "id": real(c["id"])} if isinstance(c, dict) and "id" in c else c
                            for c in reference["criteria"]]  # fmt: skip
    if isinstance(reference.get("statement"), str):
        kept["statement"] = _PLACEHOLDER.sub(lambda found: renamed.get(found[0], found[0]), reference["statement"])
    return kept


def with_defaults(segment: JsonObject, timestamp: str) -> JsonObject:
    """A seed segment completed with what every stored segment has."""
    completed = {
        "type": "ContactSegment",
        "folderId": DEFAULT_FOLDER_ID,
        "permissions": list(PERMISSIONS),
        "createdAt": timestamp,
        "updatedAt": timestamp,
    }
    completed.update(segment)
    return completed


def _without_none(entity: JsonObject) -> JsonObject:
    return {key: value for key, value in entity.items() if value is not None}
