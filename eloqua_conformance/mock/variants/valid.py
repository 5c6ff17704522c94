"""Broken request validation: VALID (what a copy request must be, and whether its 400 leaves the store alone)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any, ClassVar

from ..errors import error
from ..messages import JsonObject, Request, Response, json_response
from ..routing import Operation
from ..service import SegmentService
from ..validation import BodyError, parse_json
from ._helpers import is_copy

__all__ = [
    "AbsoluteValueIds",
    "CaseSensitivePath",
    "EmptyBodyIsEmptyObject",
    "IdNotValidated",
    "IgnoresContentType",
    "InvalidBodyStillWritten",
    "LeadingDigitsId",
    "LenientJsonParser",
    "NanAccepted",
    "NoSchemaValidation",
    "NullBodyIsEmpty",
    "NullMeansAbsent",
    "RefusesCharsetParameter",
    "RejectsUnknownProperties",
    "TrailingDataIgnored",
    "UntypedValidationErrors",
]


def _is_schema_error(problem: JsonObject) -> bool:
    return problem.get("requirement", {}).get("type") in ("TypeRequirement", "SchemaRequirement")


class LenientJsonParser(SegmentService):
    """Breaks VALID-01: a body that is not JSON is read as {} instead of being refused.

    JSON parsing is not one of the service's decisions, so this variant rewrites the request in `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "VALID-01",
        "VALID-10",  # a value with something after it is not JSON either, so it is read as {} too
        "VALID-11",  # ...and so is NaN
        "PROP-02",  # schemathesis's negative bodies include raw bytes that are not JSON
    )

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and request.body:
            try:
                parse_json(request.body)
            except BodyError:
                request = replace(request, body=b"{}")
        return super().handle(request)


class NullBodyIsEmpty(SegmentService):
    """Breaks VALID-02: a JSON null body is read as an empty object (as many frameworks bind it) and accepted."""

    # Arrays, strings, numbers and booleans are still refused, so generated non-object bodies rarely reach the gap.
    violates: ClassVar[tuple[str, ...]] = ("VALID-02",)

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return [] if document is None else super().validate_body(document, operation)


class NoSchemaValidation(SegmentService):
    """Breaks VALID-03: any JSON object is accepted; documented properties are never type-checked."""

    violates: ClassVar[tuple[str, ...]] = (
        "VALID-03",
        "PROP-02",  # schemathesis's negative bodies are mostly objects with one wrongly typed property
    )

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return [p for p in super().validate_body(document, operation) if not _is_schema_error(p)]


class IdNotValidated(SegmentService):
    """Breaks VALID-04: the path id is looked up as given, so a non-numeric id is merely not found (404, not 400)."""

    # 404 is a documented 4xx, so PROP-02's generated path ids pass; VALID-06 tolerates 404 for 0 and -1.
    violates: ClassVar[tuple[str, ...]] = ("VALID-04",)

    def parse_segment_id(self, raw: str) -> str | None:
        return super().parse_segment_id(raw) or raw or None


class UntypedValidationErrors(SegmentService):
    """Breaks VALID-05: body validation errors are {"errorCode", "message"} objects without Eloqua's `type`."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-05",)

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return [{"errorCode": p.get("type"), "message": str(p.get("property", p.get("message")))}
                for p in super().validate_body(document, operation)]  # fmt: skip


class AbsoluteValueIds(SegmentService):
    """Breaks VALID-06: a negative path id is read as its absolute value, so -1 copies segment 1."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-06",)

    def parse_segment_id(self, raw: str) -> str | None:
        return super().parse_segment_id(raw.removeprefix("-"))


class IgnoresContentType(SegmentService):
    """Breaks VALID-07: the body is parsed as JSON whatever the Content-Type says, or without one."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-07",)

    def accepts_content_type(self, content_type: str | None) -> bool:
        return True


class RejectsUnknownProperties(SegmentService):
    """Breaks VALID-08: a body property the schema does not document gets 400 (additionalProperties: false)."""

    violates: ClassVar[tuple[str, ...]] = (
        "VALID-08",
        "PROP-01",  # schema-valid generated bodies carry extra properties, which the schema allows
    )

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        problems = super().validate_body(document, operation)
        if isinstance(document, dict) and not problems:
            known = self.spec.document["components"]["schemas"]["ContactSegment"]["properties"]
            problems = [{"type": "ObjectValidationError", "property": key, "requirement": {"type": "UnknownProperty"}}
                        for key in document if key not in known]  # fmt: skip
        return problems


class NullMeansAbsent(SegmentService):
    """Breaks VALID-03: a property whose value is null is taken as absent, though no property is nullable."""

    violates: ClassVar[tuple[str, ...]] = (
        "VALID-03",
        "PROP-02",  # schemathesis's negative bodies and mistyped element fields are often null
    )

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return super().validate_body(_without_nulls(document), operation)


def _without_nulls(document: Any) -> Any:
    if not isinstance(document, dict):
        return document
    kept = {key: value for key, value in document.items() if value is not None}
    if isinstance(kept.get("elements"), list):
        kept["elements"] = [_without_nulls(element) for element in kept["elements"]]
    return kept


class LeadingDigitsId(SegmentService):
    """Breaks VALID-04: a path id is read up to its first non-digit (parseInt-style), so `12abc` copies segment 12."""

    # PROP-02 would catch it too if a generated negative path id started with digits; with the gate's seed none
    # does (in CI too, now that the profiles ignore Hypothesis's CI profile).
    violates: ClassVar[tuple[str, ...]] = ("VALID-04",)

    def parse_segment_id(self, raw: str) -> str | None:
        digits = re.match(r"[0-9]*", raw)
        return super().parse_segment_id(digits[0] if digits else raw)


class EmptyBodyIsEmptyObject(SegmentService):
    """Breaks VALID-09: an empty body is read as {} (as a framework that binds a missing body to defaults does)."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-09",)

    def handle(self, request: Request) -> Response:
        if request.method == "POST" and not request.body.strip():
            request = replace(request, body=b"{}")
        return super().handle(request)


class TrailingDataIgnored(SegmentService):
    """Breaks VALID-10: the body is read up to the end of its first JSON value; whatever follows is ignored."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-10",)

    def handle(self, request: Request) -> Response:
        try:
            parse_json(request.body)
        except BodyError:
            try:
                value, _ = json.JSONDecoder().raw_decode(request.body.decode("utf-8").lstrip())
                request = replace(request, body=json.dumps(value).encode())
            except ValueError:
                pass
        return super().handle(request)


class NanAccepted(SegmentService):
    """Breaks VALID-11: NaN and Infinity are parsed (Python's and JavaScript's lenient default), not refused."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-11",)

    def handle(self, request: Request) -> Response:
        try:
            parse_json(request.body)
        except BodyError:
            try:
                value = json.loads(request.body, parse_constant=lambda name: None)
                request = replace(request, body=json.dumps(value).encode())
            except ValueError:
                pass
        return super().handle(request)


class RefusesCharsetParameter(SegmentService):
    """Breaks VALID-12: only the exact string `application/json` is JSON; a charset parameter or capitals get 415."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-12",)

    def accepts_content_type(self, content_type: str | None) -> bool:
        return content_type == "application/json"


class CaseSensitivePath(SegmentService):
    """Breaks VALID-13: only /api/REST/2.0 spelled exactly so is routed; /api/rest/2.0 and /API/REST/2.0 get 404."""

    violates: ClassVar[tuple[str, ...]] = ("VALID-13",)

    def handle(self, request: Request) -> Response:
        if not request.path.startswith("/api/REST/2.0/"):
            return json_response(404, [error("NotFound", "no such resource")])
        return super().handle(request)


class InvalidBodyStillWritten(SegmentService):
    """Breaks VALID-14: a copy whose body is refused with 400 is written anyway, from what could be read of it.

    Validation runs after the write, so this variant wraps `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = ("VALID-14",)

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        if response.status == 400 and is_copy(request) and "EndpointParameterError" not in response.body.decode():
            try:
                name = json.loads(request.body).get("name")
            except (ValueError, AttributeError, RecursionError):
                name = None
            body = json.dumps({"name": name} if isinstance(name, str) else {}).encode()
            super().handle(replace(request, body=body))
        return response
