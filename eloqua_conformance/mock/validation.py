"""Parse a request body and turn schema violations into Eloqua validation errors."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from .errors import error, object_key, object_validation_error
from .messages import JsonObject

__all__ = ["MAX_NESTING", "BodyError", "parse_json", "parsing_error", "schema_errors"]

# Bodies nested deeper than this are refused before anything recursive (copying, encoding) sees them.
MAX_NESTING = 64


class BodyError(ValueError):
    """A body that is not usable JSON; its message goes into the 400 body."""


def parse_json(raw: bytes) -> Any:
    """The JSON value of `raw`, refusing NaN/Infinity, invalid text and excessive nesting."""
    try:
        document = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise BodyError("JSON nested too deeply") from exc
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise BodyError(f"not valid JSON: {exc}") from exc
    if _nesting(document) > MAX_NESTING:
        raise BodyError(f"JSON nested deeper than {MAX_NESTING} levels")
    return document


def parsing_error(message: str) -> JsonObject:
    """The error object for a body that is not JSON."""
    return error("ParsingError", message)


def schema_errors(validator: Draft202012Validator, document: Any, object_type: str) -> list[JsonObject]:
    """One ObjectValidationError per schema violation, in document order."""
    found = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    return [_to_eloqua(found_error, object_type) for found_error in found]


def _to_eloqua(found: ValidationError, object_type: str) -> JsonObject:
    path = list(found.absolute_path)
    container = object_key(object_type)
    # Eloqua names the property and nests the element's ObjectKey inside the segment's;
    # array indexes have no place in that shape, so they only pick which container applies.
    if len(path) >= 3 and path[0] == "elements" and isinstance(path[1], int):
        container = object_key("SegmentElement", container)
        path = path[2:]
    prop = next((str(part) for part in path if isinstance(part, str)), "")
    if found.validator == "type":
        requirement: JsonObject = {"type": "TypeRequirement", "expectedType": found.validator_value}
    else:
        requirement = {"type": "SchemaRequirement", "keyword": str(found.validator)}
    return object_validation_error(container, prop, requirement, found.instance)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _nesting(document: Any) -> int:
    # Iterative on purpose: a recursive walk would itself hit the recursion limit.
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children: Iterable[Any] = ()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        stack.extend((child, depth + 1) for child in children)
    return deepest
