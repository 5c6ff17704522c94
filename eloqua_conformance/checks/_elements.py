"""Comparing a copy's elements with its source's: their structure (SEM-04) and their nested content (SEM-05).

What a copy may change is what the server sets or computes (ids of the new elements, audit fields,
counts) and, for a filter local to the segment, the filter's id, its name and its criteria's ids: a server
may duplicate a local filter instead of sharing it, as long as the statement follows the new criterion ids.
A shared list or filter is referenced, so its id stays. Everything else must come across, in order.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import as_dict, as_list, show

__all__ = ["VOLATILE", "content_problem", "difference", "reused_element_ids", "same", "structure_problem", "summary"]

# Set or computed by the server, so they may differ between an entity and its copy (or between two reads).
VOLATILE = frozenset({
    "createdAt", "createdBy", "createdByName", "updatedAt", "updatedBy", "updatedByName", "accessedAt",
    "permissions", "count", "lastCalculatedAt", "depth", "isStale", "folderId", "x_e10_createdAt",
    "x_e10_createdBy", "x_e10_updatedAt", "x_e10_updatedBy",
})  # fmt: skip
_REFERENCES = ("filter", "list")
_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def same(expected: Any, actual: Any, ignore: frozenset[str] = VOLATILE) -> bool:
    """Whether `actual` carries all of `expected`: every key but the ignored ones, lists in order, scalars equal."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and same(value, actual[key], ignore) for key, value in expected.items() if key not in ignore
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same(e, a, ignore) for e, a in zip(expected, actual, strict=True))
        )
    return type(expected) is type(actual) and expected == actual


def difference(expected: Any, actual: Any, ignore: frozenset[str], path: str = "") -> str:
    """Where `actual` does not carry `expected` (as `same` judges), with both values ('': it does)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            if key in ignore:
                continue
            if key not in actual:
                return f"{path}{key} missing (answered {show(value)})"
            found = difference(value, actual[key], ignore, f"{path}{key}/")
            if found:
                return found
        return ""
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = difference(e, a, ignore, f"{path}{index}/")
            if found:
                return found
        return ""
    if same(expected, actual, ignore):
        return ""
    return f"{path.rstrip('/') or '(root)'} is {show(actual)}, answered {show(expected)}"


def _elements(segment: Any) -> list[Any]:
    body = as_dict(segment)
    return as_list(body.get("elements")) if body else []


def _reference(element: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    for kind in _REFERENCES:
        if kind in element:
            return kind, as_dict(element[kind])
    return "", None


def _is_local(reference: dict[str, Any] | None) -> bool:
    scope = reference.get("scope") if reference else None
    return isinstance(scope, str) and scope.lower() == "local"


def summary(segment: Any) -> str:
    """The elements as (type, isIncluded, reference) for messages; a local filter's id shows as `local`."""
    parts = []
    for element in _elements(segment):
        if not isinstance(element, dict):
            parts.append(show(element))
            continue
        kind, reference = _reference(element)
        target = "local" if _is_local(reference) else show(reference.get("id")) if reference else "-"
        parts.append(f"({show(element.get('type'))}, {show(element.get('isIncluded'))}, {kind or 'no'} {target})")
    return "[" + ", ".join(parts) + "]"


def structure_problem(source: Any, copy: Any) -> str:
    """How the copy's elements differ from the source's in number, order, type, isIncluded or reference ('': none)."""
    expected, actual = _elements(source), _elements(copy)
    if len(expected) != len(actual):
        return f"{len(actual)} elements {summary(copy)}, the source has {len(expected)}"
    for index, (old, new) in enumerate(zip(expected, actual, strict=True)):
        where = f"element {index}"
        if not isinstance(old, dict) or not isinstance(new, dict):
            if show(old) != show(new):
                return f"{where} is {show(new)}, the source's is {show(old)}"
            continue
        for key in ("type", "isIncluded"):
            if not same(old.get(key), new.get(key)):
                return f"{where} has {key} {show(new.get(key))}, the source's has {show(old.get(key))}"
        (kind, reference), (new_kind, new_reference) = _reference(old), _reference(new)
        if kind != new_kind:
            return f"{where} references {new_kind or 'nothing'}, the source's references {kind or 'nothing'}"
        if kind and (reference is None) != (new_reference is None):
            return f"{where} has {kind} {show(new.get(kind))}, the source's has {show(old.get(kind))}"
        if reference is None or new_reference is None or _is_local(reference):
            continue  # a local filter may be duplicated under a new id: content_problem judges its content
        if not same(reference.get("id"), new_reference.get("id")):
            return (f"{where} references {kind} {show(new_reference.get('id'))}, not the shared {kind} "
                    f"{show(reference.get('id'))} the source references")  # fmt: skip
    return ""


def reused_element_ids(source: Any, copy: Any) -> list[str]:
    """Element ids of the copy that are the source's (a copy's elements are new)."""
    old = {show(e.get("id")) for e in _elements(source) if isinstance(e, dict) and e.get("id") is not None}
    return sorted({show(e.get("id")) for e in _elements(copy) if isinstance(e, dict)} & old)


def content_problem(source: Any, copy: Any) -> str:
    """How the content of the copy's filters and lists differs from the source's ('': none, or not comparable).

    Only judged where the structure matches (structure_problem is ''), so one defect has one name.
    """
    if structure_problem(source, copy):
        return ""
    for index, (old, new) in enumerate(zip(_elements(source), _elements(copy), strict=True)):
        if not isinstance(old, dict) or not isinstance(new, dict):
            continue
        kind, reference = _reference(old)
        _, new_reference = _reference(new)
        if reference is not None and new_reference is not None:
            problem = _reference_problem(f"element {index} {kind}", reference, new_reference, _is_local(reference))
            if problem:
                return problem
    return ""


def _reference_problem(where: str, old: dict[str, Any], new: dict[str, Any], local: bool) -> str:
    mapping: dict[str, str] = {}
    if "criteria" in old:
        problem = _criteria_problem(where, as_list(old["criteria"]), new.get("criteria"), local, mapping)
        if problem:
            return problem
    duplicated = local and not same(old.get("id"), new.get("id"))
    for key, value in old.items():
        if key in VOLATILE or key in ("id", "criteria") or (duplicated and key == "name"):
            continue  # a local filter duplicated under a new id is a new object: its name is the server's
        if key not in new:
            return f"{where} lost {key} {show(value)}"
        if key == "statement" and isinstance(value, str) and isinstance(new[key], str):
            expected = [mapping.get(token, token) for token in _TOKEN.findall(value)]
            if _TOKEN.findall(new[key]) != expected:
                return f"{where} statement {new[key]!r}, expected {' '.join(expected)!r} (the source's, ids mapped)"
        elif not same(value, new[key]):
            return f"{where} {key} {show(new[key])}, the source's is {show(value)}"
    return ""


def _criteria_problem(where: str, old: list[Any], new: Any, local: bool, mapping: dict[str, str]) -> str:
    if not isinstance(new, list) or len(new) != len(old):
        return f"{where} criteria {show(new)}, the source's has {len(old)} criteria"
    for index, (criterion, copied) in enumerate(zip(old, new, strict=True)):
        here = f"{where} criterion {index}"
        if not isinstance(criterion, dict) or not isinstance(copied, dict):
            if show(criterion) != show(copied):
                return f"{here} is {show(copied)}, the source's is {show(criterion)}"
            continue
        if local and isinstance(criterion.get("id"), str) and isinstance(copied.get("id"), str):
            if copied["id"] in mapping.values():
                return f"{here} has id {copied['id']!r}, which another criterion of the copy has too"
            mapping[criterion["id"]] = copied["id"]
        elif not same(criterion.get("id"), copied.get("id")):
            return f"{here} has id {show(copied.get('id'))}, the source's has {show(criterion.get('id'))}"
        if not same(criterion, copied, VOLATILE | {"id"}):
            return f"{here} is {show(copied)}, the source's is {show(criterion)}"
    return ""
