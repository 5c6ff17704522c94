"""Broken request handling: NOTFOUND (missing resources) and VALID (request validation)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from ..messages import JsonObject, Request, Response
from ..routing import Operation
from ..service import SegmentService
from ..validation import BodyError, parse_json

__all__ = [
    "AbsoluteValueIds",
    "DeleteKeepsSegment",
    "IdNotValidated",
    "IgnoresContentType",
    "LenientJsonParser",
    "NoSchemaValidation",
    "NullBodyIsEmpty",
    "RejectsUnknownProperties",
    "SixDigitIds",
    "UntypedValidationErrors",
]


def _is_schema_error(problem: JsonObject) -> bool:
    return problem.get("requirement", {}).get("type") in ("TypeRequirement", "SchemaRequirement")


class SixDigitIds(SegmentService):
    """Breaks NOTFOUND-01: ids longer than six digits are refused as malformed (400), not looked up (404)."""

    # The suite probes ids a million beyond any it saw; its retrieve gets 400 too, so the test errors.
    violates: ClassVar[tuple[str, ...]] = ("NOTFOUND-01",)

    def parse_segment_id(self, raw: str) -> str | None:
        canonical = super().parse_segment_id(raw)
        return canonical if canonical is not None and len(canonical) <= 6 else None


class DeleteKeepsSegment(SegmentService):
    """Breaks NOTFOUND-02: delete answers 200 but keeps the segment, so a deleted segment can still be copied."""

    violates: ClassVar[tuple[str, ...]] = ("NOTFOUND-02",)

    def delete_segment(self, segment_id: str) -> bool:
        return self.find_segment(segment_id) is not None


class LenientJsonParser(SegmentService):
    """Breaks VALID-01: a body that is not JSON is read as {} instead of being refused.

    JSON parsing is not one of the service's decisions, so this variant rewrites the request in `handle`.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "VALID-01",
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
