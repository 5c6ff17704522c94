"""Crashes and gaps that generated input finds: PROP (schema-valid bodies crash, a schema-invalid one is accepted).

ControlCharacterCrash and TemplateIdCrash are found by the property-based tests alone: no example test sends a
name with a control character, or a sourceTemplateId.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

from ..config import Identity
from ..messages import JsonObject
from ..routing import Operation
from ..service import SegmentService

__all__ = ["ControlCharacterCrash", "ElementFieldNotValidated", "TemplateIdCrash"]


class ControlCharacterCrash(SegmentService):
    """Crashes (500) on a copy name holding a control character (category Cc): the audit log's encoder refuses it.

    Example names use Latin-1 letters, CJK, Cyrillic, symbols and emoji, never a C0/C1 control character;
    schemathesis's generated names often hold one.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "PROP-01",  # a schema-valid body gets 500
        "STATUS-01",  # ...which it did not ask for
    )

    def copy_name(self, source: JsonObject, body: JsonObject) -> str:
        name = super().copy_name(source, body)
        if any(unicodedata.category(char) == "Cc" for char in name):
            raise ValueError("audit log: control character in name")
        return name


class TemplateIdCrash(SegmentService):
    """Answers 500 to a copy whose body names a `sourceTemplateId`: it looks the template up and dereferences None.

    The property is documented as not used for segments, so no example test sends it; generated bodies do.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "PROP-01",  # a generated body that carries sourceTemplateId gets 500
        "STATUS-01",  # ...and its 500 was not asked for
    )

    def copy_segment(self, source: JsonObject, body: JsonObject, identity: Identity) -> JsonObject:
        if "sourceTemplateId" in body:
            raise AttributeError("'NoneType' object has no attribute 'elements' (template lookup)")
        return super().copy_segment(source, body, identity)


class ElementFieldNotValidated(SegmentService):
    """Breaks PROP-02: an element's `createdByName` is never type-checked (it is display-only and server-set).

    Once found only by generated bodies; the VALID-03 table now sends every element property wrongly typed.
    """

    violates: ClassVar[tuple[str, ...]] = (
        "PROP-02",
        "VALID-03",  # the deterministic table of VALID-03 mistypes every element property, this one included
    )
    field: ClassVar[str] = "createdByName"

    def validate_body(self, document: Any, operation: Operation) -> list[JsonObject]:
        return [p for p in super().validate_body(document, operation) if not self._in_gap(p)]

    def _in_gap(self, problem: JsonObject) -> bool:
        container = problem.get("container", {})
        return container.get("objectType") == "SegmentElement" and problem.get("property") == self.field
