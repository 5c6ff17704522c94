"""What the mock takes from spec/openapi.yaml: body schemas and each operation's documented statuses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from ..catalogue import load_openapi

__all__ = ["Spec", "load_spec"]

_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


@dataclass(frozen=True)
class Spec:
    """The parts of the OpenAPI document the mock enforces."""

    document: dict[str, Any]

    def statuses(self, operation_id: str) -> frozenset[int]:
        """The numeric response codes documented for `operation_id` (empty if it is unknown)."""
        for path_item in self.document.get("paths", {}).values():
            for method in _METHODS:
                operation = path_item.get(method)
                if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                    return frozenset(int(code) for code in map(str, operation.get("responses", {})) if code.isdigit())
        return frozenset()

    def validator(self, schema_name: str) -> Draft202012Validator:
        """A JSON Schema 2020-12 validator for components.schemas[schema_name]."""
        # Embedding the components keeps every "#/components/..." reference resolvable from the root.
        root = {
            "$ref": f"#/components/schemas/{schema_name}",
            "components": self.document["components"],
        }
        return Draft202012Validator(root)


@cache
def load_spec() -> Spec:
    """The packaged spec, read once per process."""
    return Spec(load_openapi())
