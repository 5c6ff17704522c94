"""VALID: malformed bodies, wrongly typed properties and bad path ids get 400; well-formed variations do not."""

from __future__ import annotations

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import fail

from ._common import body_of, no_new_segments, status_check, text_of
from .registry import CheckFunction, Context, check

__all__ = [
    "content_type",
    "empty_body",
    "media_type_parameters_accepted",
    "nan_or_infinity",
    "non_numeric_id",
    "non_positive_id",
    "not_an_object",
    "not_json",
    "path_case_ignored",
    "refused_request_creates_nothing",
    "trailing_data",
    "unknown_properties_ignored",
    "validation_error_body",
    "wrong_property_type",
]


def _status(requirement_id: str, allowed: list[int], doc: str, name: str) -> CheckFunction:
    return check(requirement_id)(status_check(requirement_id, allowed, doc, __name__, name))


not_json = _status("VALID-01", [400], "a body that is not JSON gets 400.", "not_json")
not_an_object = _status("VALID-02", [400], "JSON that is not an object gets 400.", "not_an_object")
wrong_property_type = _status("VALID-03", [400], "a documented property of a forbidden type gets 400.",
                              "wrong_property_type")  # fmt: skip
non_numeric_id = _status("VALID-04", [400], "a non-numeric path id gets 400.", "non_numeric_id")
non_positive_id = _status("VALID-06", [400, 404], "a zero or negative path id gets 400 (404 tolerated).",
                          "non_positive_id")  # fmt: skip
content_type = _status("VALID-07", [400, 415], "a missing or non-JSON Content-Type gets 400 or 415.", "content_type")
unknown_properties_ignored = _status("VALID-08", [201], "unknown body properties are ignored.",
                                     "unknown_properties_ignored")  # fmt: skip
empty_body = _status("VALID-09", [400], "an empty body gets 400.", "empty_body")
trailing_data = _status("VALID-10", [400], "anything after the JSON value gets 400.", "trailing_data")
nan_or_infinity = _status("VALID-11", [400], "NaN or Infinity, which JSON does not have, gets 400.", "nan_or_infinity")
media_type_parameters_accepted = _status("VALID-12", [201], "application/json with parameters such as charset: 201.",
                                         "media_type_parameters_accepted")  # fmt: skip
path_case_ignored = _status("VALID-13", [201], "the path spelled /api/rest/2.0 or /API/REST/2.0 copies: 201.",
                            "path_case_ignored")  # fmt: skip


@check("VALID-05")
def validation_error_body(context: Context, exchange: Exchange | None) -> None:
    """VALID-05: a 400 body is a validation error object, or a non-empty array of them, each with a string type."""
    if exchange is None or exchange.status != 400:
        return
    body = body_of(exchange)
    items = body if isinstance(body, list) else [body]
    if not items or not all(isinstance(item, dict) and isinstance(item.get("type"), str) for item in items):
        excerpt = text_of(exchange)[:200] or "(empty)"
        raise fail("VALID-05", "Eloqua validation errors: objects with a string type", excerpt, exchange)


@check("VALID-14")
def refused_request_creates_nothing(context: Context, exchange: Exchange | None) -> None:
    """VALID-14: after copies refused with 400 or 415, no segment carrying the run's prefix was added."""
    no_new_segments("VALID-14", context)
