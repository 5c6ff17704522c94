"""The OpenAPI document and the catalogue in spec/ are well-formed and faithful to the contract notes."""

from __future__ import annotations

import collections

import pytest
import schemathesis
from jsonschema_path import SchemaPath
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

from eloqua_conformance.catalogue import ID_PATTERN, area_titles, load_openapi, requirements
from eloqua_conformance.resources import OPENAPI, spec_file

OPENAPI_PATH = str(spec_file(OPENAPI))  # a real file: the checkout's spec/, through the package's symlink

# Contract notes §1 and §2 (shared/source/eloqua-contract-notes.md): every documented REST 2.0
# property, and the ones Oracle flags "Read Only: true".
CONTACT_SEGMENT_PROPERTIES = {
    "type", "id", "currentStatus", "name", "description", "permissions", "folderId",
    "sourceTemplateId", "createdBy", "createdByName", "createdAt", "updatedBy", "updatedByName",
    "updatedAt", "scheduledFor", "depth", "elements", "count", "lastCalculatedAt", "isStale",
    "dependencyName",
}  # fmt: skip
SEGMENT_ELEMENT_PROPERTIES = {
    "type", "id", "currentStatus", "name", "description", "permissions", "folderId",
    "sourceTemplateId", "createdBy", "createdByName", "createdAt", "updatedBy", "updatedByName",
    "updatedAt", "scheduledFor", "depth", "isIncluded", "count", "lastCalculatedAt",
}  # fmt: skip
FLAGGED_READ_ONLY = {"id", "folderId", "createdBy", "createdAt", "updatedBy", "updatedAt", "scheduledFor", "depth"}
READ_ONLY_BY_DESCRIPTION = {
    "ContactSegment": {"type", "permissions", "count", "lastCalculatedAt"},
    "SegmentElement": {"type", "permissions", "count", "lastCalculatedAt", "currentStatus"},
}
COPY_PATH = "/api/REST/2.0/assets/contact/segment/{id}/copy"


def _schemas() -> dict:
    return load_openapi()["components"]["schemas"]


def _refs(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_openapi_document_is_valid_openapi_3_1():
    spec, base_uri = read_from_filename(OPENAPI_PATH)
    assert spec["openapi"].startswith("3.1")
    validate(spec, base_uri=base_uri)  # raises OpenAPIValidationError on any violation


def test_every_ref_resolves():
    document = load_openapi()
    refs = _refs(document)
    assert refs, "the document should use $ref"
    for ref in refs:
        assert ref.startswith("#/"), f"external $ref {ref!r}: the document must be self-contained"
        node: object = document
        for part in ref[2:].split("/"):
            assert isinstance(node, dict) and part in node, f"$ref {ref!r} does not resolve at {part!r}"
            node = node[part]


def test_refs_resolve_through_a_real_resolver():
    spec = SchemaPath.from_dict(load_openapi())
    body = spec / "paths" / COPY_PATH / "post" / "requestBody" / "content" / "application/json" / "schema"
    with body.open() as resolved:
        assert resolved["title"] == "ContactSegment"


@pytest.mark.parametrize(
    ("schema_name", "expected"),
    [("ContactSegment", CONTACT_SEGMENT_PROPERTIES), ("SegmentElement", SEGMENT_ELEMENT_PROPERTIES)],
)
def test_every_documented_property_is_present_and_typed_as_documented(schema_name, expected):
    schema = _schemas()[schema_name]
    assert set(schema["properties"]) == expected
    for name, prop in schema["properties"].items():
        if name == "permissions":
            assert prop["type"] == "array" and prop["items"] == {"type": "string"}
        elif name == "elements":
            assert prop["type"] == "array"
            assert prop["items"] == {"$ref": "#/components/schemas/SegmentElement"}
        else:
            assert prop["type"] == "string", f"{schema_name}.{name} is documented as a string"


@pytest.mark.parametrize("schema_name", ["ContactSegment", "SegmentElement"])
def test_read_only_flags_match_oracle(schema_name):
    properties = _schemas()[schema_name]["properties"]
    flagged = {name for name, prop in properties.items() if prop.get("readOnly")}
    assert flagged == FLAGGED_READ_ONLY
    by_description = {name for name, prop in properties.items() if prop.get("x-read-only-by-description")}
    assert by_description == READ_ONLY_BY_DESCRIPTION[schema_name]


@pytest.mark.parametrize("schema_name", ["ContactSegment", "SegmentElement"])
def test_documented_schema_is_not_tightened(schema_name):
    schema = _schemas()[schema_name]
    assert "required" not in schema
    assert schema.get("additionalProperties", True) is not False
    for prop in schema["properties"].values():
        assert not {"enum", "format", "pattern", "const", "minLength"} & set(prop)


def test_copy_operation_is_as_documented():
    operation = load_openapi()["paths"][COPY_PATH]["post"]
    (parameter,) = operation["parameters"]
    resolved = load_openapi()["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
    assert resolved["in"] == "path" and resolved["required"] is True
    assert resolved["schema"] == {"type": "integer"}
    assert operation["requestBody"]["required"] is True
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert set(operation["responses"]) == {"201", "400", "401", "403", "404", "500"}
    assert "x-supporting-operation" not in operation


def test_supporting_operations_are_marked():
    paths = load_openapi()["paths"]
    supporting = {
        (path, method)
        for path, item in paths.items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "x-supporting-operation" in operation
    }
    assert supporting == {
        ("/api/REST/2.0/assets/contact/segment", "post"),
        ("/api/REST/2.0/assets/contact/segment/{id}", "get"),
        ("/api/REST/2.0/assets/contact/segment/{id}", "delete"),
        ("/api/REST/2.0/assets/contact/segments", "get"),
    }


def test_both_basic_and_bearer_are_accepted_everywhere():
    document = load_openapi()
    schemes = document["components"]["securitySchemes"]
    assert schemes["basicAuth"] == schemes["basicAuth"] | {"type": "http", "scheme": "basic"}
    assert schemes["bearerAuth"] == schemes["bearerAuth"] | {"type": "http", "scheme": "bearer"}
    assert document["security"] == [{"basicAuth": []}, {"bearerAuth": []}]
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                assert "security" not in operation, "operations inherit both schemes"


def test_schemathesis_loads_the_document():
    schema = schemathesis.openapi.from_path(OPENAPI_PATH)
    operation = schema["/api/REST/2.0/assets/contact/segment/{id}/copy"]["POST"]
    assert operation.definition.raw["operationId"] == "CreateCopyPOSTRest20"


def test_catalogue_ids_are_unique_and_well_formed():
    ids = [entry.id for entry in requirements()]
    duplicates = [rid for rid, count in collections.Counter(ids).items() if count > 1]
    assert not duplicates
    areas = area_titles()
    for entry in requirements():
        match = ID_PATTERN.match(entry.id)
        assert match, f"{entry.id!r} is not AREA-NN"
        assert match["area"] in areas, f"{entry.id}: unknown area"
        assert entry.level in {"MUST", "SHOULD"}
        assert entry.title and entry.source and entry.sends and entry.expects, entry.id


def test_catalogue_numbers_each_area_from_01_without_gaps():
    numbers: dict[str, list[int]] = collections.defaultdict(list)
    for entry in requirements():
        numbers[entry.area].append(int(entry.id.split("-")[1]))
    for area, found in numbers.items():
        assert found == list(range(1, len(found) + 1)), area
