"""Eloqua-shaped error bodies and the exception that carries a rejection out of the pipeline."""

from __future__ import annotations

import json
from typing import Any

from .messages import JsonObject, Response, json_response

__all__ = [
    "Rejection",
    "error",
    "id_error",
    "object_key",
    "object_validation_error",
    "parameter_error",
    "reject",
    "render_value",
]

# Long offending values are cut so an error body stays small whatever the client sent.
_MAX_VALUE_CHARS = 200


class Rejection(Exception):
    """Raised by a pipeline step to answer with `response` instead of continuing."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def error(kind: str, message: str, **extra: Any) -> JsonObject:
    """A generic error object: Eloqua documents only `type`, so `message` is ours."""
    return {"type": kind, "message": message, **extra}


def reject(status: int, *errors: JsonObject, headers: tuple[tuple[str, str], ...] = ()) -> Rejection:
    """A rejection whose body is the JSON array of `errors` (Oracle's 2012 blog shape)."""
    return Rejection(json_response(status, list(errors), headers))


def render_value(value: object) -> str:
    """An offending value as Eloqua reports it: strings as-is, null as "<null>", others as JSON."""
    if value is None:
        return "<null>"
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        except (RecursionError, ValueError):
            text = "<unrepresentable>"
    return text if len(text) <= _MAX_VALUE_CHARS else text[:_MAX_VALUE_CHARS] + "..."


def id_error(raw: str) -> JsonObject:
    """The documented IdRequirement error for a path id that is not an integer greater than 0."""
    return {
        "type": "EndpointParameterError",
        "parameter": "id",
        "requirement": {"type": "IdRequirement"},
        "value": raw,
    }


def parameter_error(parameter: str, requirement: str, raw: str) -> JsonObject:
    """An EndpointParameterError for a query parameter."""
    return {
        "type": "EndpointParameterError",
        "parameter": parameter,
        "requirement": {"type": requirement},
        "value": render_value(raw),
    }


def object_key(object_type: str, container: JsonObject | None = None) -> JsonObject:
    """An ObjectKey container, optionally nested in another."""
    key: JsonObject = {"type": "ObjectKey", "objectType": object_type}
    if container is not None:
        key["container"] = container
    return key


def object_validation_error(container: JsonObject, prop: str, requirement: JsonObject, value: object) -> JsonObject:
    """An ObjectValidationError: one property of one object failed one requirement."""
    return {
        "type": "ObjectValidationError",
        "container": container,
        "property": prop,
        "requirement": requirement,
        "value": render_value(value),
    }
