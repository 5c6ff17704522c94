"""The reference mock's request validation: path id, Content-Type, body, and their order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from eloqua_conformance.mock import SegmentService, client_for, default_config

ADMIN, READER = default_config().identities
COPY_1 = "/assets/contact/segment/1/copy"
JSON = {"Content-Type": "application/json"}


@pytest.fixture
def service() -> SegmentService:
    return SegmentService(default_config())


@pytest.fixture
def admin(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service, ADMIN) as client:
        yield client


def _is_eloqua_error_list(body: Any) -> bool:
    return (
        isinstance(body, list)
        and len(body) > 0
        and all(isinstance(e, dict) and isinstance(e.get("type"), str) for e in body)
    )


@pytest.mark.parametrize("raw", ["abc", "1.5", "0", "-1", "-0", "1e3", "%20", "+1", "0x1", "\u0661"])
def test_bad_path_id_is_400_endpoint_parameter_error(admin: httpx.Client, raw: str) -> None:
    response = admin.post(f"/assets/contact/segment/{raw}/copy", json={})
    assert response.status_code == 400
    error = response.json()[0]
    assert error["type"] == "EndpointParameterError"
    assert error["parameter"] == "id"
    assert error["requirement"] == {"type": "IdRequirement"}
    assert error["value"] == unquote(raw)


def test_empty_path_id_is_400(admin: httpx.Client) -> None:
    response = admin.post("/assets/contact/segment//copy", json={})
    assert response.status_code == 400
    assert response.json()[0]["value"] == ""


def test_leading_zeros_name_the_same_segment(admin: httpx.Client) -> None:
    assert admin.get("/assets/contact/segment/0001").json()["id"] == "1"


def test_huge_id_is_404_not_5xx(admin: httpx.Client) -> None:
    assert admin.post("/assets/contact/segment/" + "9" * 5000 + "/copy", json={}).status_code == 404


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml", "application/jsonx", "json"])
def test_missing_or_non_json_content_type_is_415(admin: httpx.Client, content_type: str | None) -> None:
    headers = {} if content_type is None else {"Content-Type": content_type}
    response = admin.post(COPY_1, content=b'{"name": "x"}', headers=headers)
    assert response.status_code == 415
    assert _is_eloqua_error_list(response.json())


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON ;charset=UTF-8"]
)
def test_json_content_type_with_parameters_is_accepted(admin: httpx.Client, content_type: str) -> None:
    response = admin.post(COPY_1, content=b'{"name": "x"}', headers={"Content-Type": content_type})
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body",
    [b"", b'{"name":', b"not json", b"{'name': 'x'}", b'{"name": NaN}', b"[Infinity]", b"\xff\xfe{", b"{}{}"],
)
def test_body_that_is_not_json_is_400(admin: httpx.Client, body: bytes) -> None:
    response = admin.post(COPY_1, content=body, headers=JSON)
    assert response.status_code == 400
    assert _is_eloqua_error_list(response.json())


def test_deeply_nested_json_is_400_not_5xx(admin: httpx.Client) -> None:
    for depth in (100, 5000, 100_000):
        body = '{"x": ' + "[" * depth + "]" * depth + "}"
        assert admin.post(COPY_1, content=body.encode(), headers=JSON).status_code == 400


@pytest.mark.parametrize("body", ["[]", '"name"', "42", "null", "true", '[{"name": "x"}]'])
def test_json_that_is_not_an_object_is_400(admin: httpx.Client, body: str) -> None:
    response = admin.post(COPY_1, content=body.encode(), headers=JSON)
    assert response.status_code == 400
    assert response.json()[0]["type"] == "SerializationError"


@pytest.mark.parametrize(
    ("body", "prop", "object_type"),
    [
        ({"elements": {}}, "elements", "ContactSegment"),
        ({"elements": "x"}, "elements", "ContactSegment"),
        ({"elements": [1]}, "elements", "ContactSegment"),
        ({"name": {"a": 1}}, "name", "ContactSegment"),
        ({"name": None}, "name", "ContactSegment"),
        ({"name": 5}, "name", "ContactSegment"),
        ({"permissions": "Retrieve"}, "permissions", "ContactSegment"),
        ({"permissions": ["Retrieve", 1]}, "permissions", "ContactSegment"),
        ({"description": False}, "description", "ContactSegment"),
        ({"id": 7}, "id", "ContactSegment"),
        ({"elements": [{"isIncluded": 1}]}, "isIncluded", "SegmentElement"),
        ({"elements": [{"type": "ContactFilterSegmentElement", "permissions": {}}]}, "permissions", "SegmentElement"),
    ],
)
def test_documented_property_of_wrong_type_is_400_object_validation_error(
    admin: httpx.Client, service: SegmentService, body: dict[str, Any], prop: str, object_type: str
) -> None:
    before = service.segment_ids()
    response = admin.post(COPY_1, json=body)
    assert response.status_code == 400
    error = response.json()[0]
    assert error["type"] == "ObjectValidationError"
    assert error["property"] == prop
    assert error["container"]["objectType"] == object_type
    assert error["requirement"]["type"] == "TypeRequirement"
    assert isinstance(error["value"], str)
    assert service.segment_ids() == before


def test_every_type_violation_is_reported(admin: httpx.Client) -> None:
    response = admin.post(COPY_1, json={"name": 1, "elements": [{"isIncluded": 2}, 3]})
    assert response.status_code == 400
    assert len(response.json()) == 3


def test_null_value_is_reported_as_eloqua_does(admin: httpx.Client) -> None:
    assert admin.post(COPY_1, json={"name": None}).json()[0]["value"] == "<null>"


def test_long_offending_values_are_truncated(admin: httpx.Client) -> None:
    error = admin.post(COPY_1, json={"name": ["x" * 10_000]}).json()[0]
    assert len(error["value"]) < 300


@pytest.mark.parametrize(
    "body",
    [
        {"x_e10_isTemplate": "false", "isBlankTemplate": True},
        {"filter": 5, "elements": [{"filter": "not an object", "list": 3, "criteria": None}]},
        {"name": "ok", "unknown": {"deep": [1, 2, {"x": None}]}},
    ],
)
def test_unknown_properties_are_ignored(admin: httpx.Client, body: dict[str, Any]) -> None:
    assert admin.post(COPY_1, json=body).status_code == 201


def test_order_is_id_then_404_then_content_type_then_body(admin: httpx.Client) -> None:
    text = {"Content-Type": "text/plain"}
    assert admin.post("/assets/contact/segment/x/copy", content=b"nope", headers=text).status_code == 400
    assert admin.post("/assets/contact/segment/9999/copy", content=b"nope", headers=text).status_code == 404
    assert admin.post(COPY_1, content=b"nope", headers=text).status_code == 415
    assert admin.post(COPY_1, content=b"nope", headers=JSON).status_code == 400


def test_error_bodies_are_json_arrays_never_html(admin: httpx.Client) -> None:
    responses = [
        admin.post("/assets/contact/segment/x/copy", json={}),
        admin.post("/assets/contact/segment/9999/copy", json={}),
        admin.post(COPY_1, content=b"{", headers=JSON),
        admin.post(COPY_1, content=b"{}"),
        admin.get("/assets/contact/nothing"),
        admin.put(COPY_1, json={}),
    ]
    for response in responses:
        assert response.status_code >= 400
        assert response.headers["content-type"] == "application/json"
        assert _is_eloqua_error_list(json.loads(response.content))
        assert b"Traceback" not in response.content and b"<html" not in response.content.lower()
