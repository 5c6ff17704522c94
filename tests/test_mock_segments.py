"""The reference mock's supporting operations: create, retrieve (depth), delete, list, and routing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from eloqua_conformance.mock import MockConfig, SegmentService, client_for, default_config

ADMIN, READER = default_config().identities
SOURCE = default_config().seed_segments[0]
SEGMENT = "/assets/contact/segment"


@pytest.fixture
def service() -> SegmentService:
    return SegmentService(default_config())


@pytest.fixture
def admin(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service, ADMIN) as client:
        yield client


def _create(client: httpx.Client, name: str, **extra: Any) -> dict[str, Any]:
    response = client.post(SEGMENT, json={"name": name, **extra})
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


# --- create -----------------------------------------------------------------------------------


def test_create_keeps_name_and_elements_and_sets_server_fields(admin: httpx.Client) -> None:
    elements = [
        {"type": "ContactFilterSegmentElement", "id": "-1500196", "isIncluded": "true", "filter": {"id": "4"}},
        {"type": "ContactListSegmentElement", "isIncluded": "false", "list": {"type": "ContactList", "id": "5"}},
    ]
    created = _create(admin, "created", elements=elements, folderId="1", id="5", createdBy="x")
    assert created["name"] == "created"
    assert created["type"] == "ContactSegment" and created["depth"] == "complete"
    assert created["id"] != "5" and created["folderId"] != "1" and created["createdBy"] == ADMIN.user_id
    assert [(e["type"], e["isIncluded"]) for e in created["elements"]] == [
        ("ContactFilterSegmentElement", "true"),
        ("ContactListSegmentElement", "false"),
    ]
    assert created["elements"][0]["id"] != "-1500196" and created["elements"][0]["id"].isdigit()
    assert created["elements"][1]["list"] == {"type": "ContactList", "id": "5"}


def test_create_gives_new_objects_real_ids_and_the_statement_follows(admin: httpx.Client) -> None:
    # Negative ids mark new, unsaved objects in a create body (contract notes §2): saved, they get real ones.
    criteria = [{"type": "ContactFieldCriterion", "id": "-2", "fieldId": "1"},
                {"type": "ContactFieldCriterion", "id": "-3", "fieldId": "2"}]  # fmt: skip
    statement = "(-2 OR -3) AND -2"
    fltr = {"type": "ContactFilter", "id": "-1", "scope": "local", "statement": statement, "criteria": criteria}
    element = {"type": "ContactFilterSegmentElement", "isIncluded": "true", "filter": fltr}
    first, second = (_create(admin, name, elements=[element])["elements"][0]["filter"] for name in ("a", "b"))
    ids = [first["id"], *(c["id"] for c in first["criteria"])]
    assert all(i.isdigit() for i in ids) and len(set(ids)) == 3
    assert first["statement"] == f"({ids[1]} OR {ids[2]}) AND {ids[1]}"
    assert second["id"] != first["id"]  # two segments made from one body do not share a filter
    kept = _create(admin, "kept", elements=[{"filter": {"id": "451", "statement": "-9"}}])["elements"][0]["filter"]
    assert kept == {"id": "451", "statement": "-9"}  # real ids are references, and are kept


def test_create_infers_element_type_from_its_reference(admin: httpx.Client) -> None:
    created = _create(admin, "typed", elements=[{"list": {"id": "1"}}, {"filter": {"id": "2"}}])
    assert [e["type"] for e in created["elements"]] == ["ContactListSegmentElement", "ContactFilterSegmentElement"]


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"elements": []}])
def test_create_without_a_name_is_400(admin: httpx.Client, service: SegmentService, body: dict[str, Any]) -> None:
    before = service.segment_ids()
    response = admin.post(SEGMENT, json=body)
    assert response.status_code == 400
    error = response.json()[0]
    assert (error["type"], error["property"]) == ("ObjectValidationError", "name")
    assert error["requirement"] == {"type": "NotNullRequirement"}
    assert service.segment_ids() == before


def test_create_validates_content_type_and_types(admin: httpx.Client) -> None:
    assert admin.post(SEGMENT, content=b'{"name": "x"}').status_code == 415
    assert admin.post(SEGMENT, json={"name": "x", "elements": [{"isIncluded": True}]}).status_code == 400


# --- retrieve -----------------------------------------------------------------------------------


def test_retrieve_defaults_to_complete(admin: httpx.Client) -> None:
    body = admin.get(f"{SEGMENT}/{SOURCE['id']}").json()
    assert body["depth"] == "complete"
    assert body["elements"][0]["filter"] == SOURCE["elements"][0]["filter"]
    assert body["elements"][1]["list"] == SOURCE["elements"][1]["list"]


@pytest.mark.parametrize("depth", ["bogus", "", "COMPLETE", "full"])
def test_retrieve_with_invalid_depth_is_complete(admin: httpx.Client, depth: str) -> None:
    assert admin.get(f"{SEGMENT}/1", params={"depth": depth}).json()["depth"] == "complete"


def test_retrieve_minimal_has_only_common_properties(admin: httpx.Client) -> None:
    body = admin.get(f"{SEGMENT}/1", params={"depth": "minimal"}).json()
    assert set(body) == {"type", "id", "name", "createdAt", "updatedAt", "depth"}
    assert body["depth"] == "minimal"


def test_retrieve_partial_has_own_properties_and_minimal_elements(admin: httpx.Client) -> None:
    body = admin.get(f"{SEGMENT}/1", params={"depth": "partial"}).json()
    assert body["depth"] == "partial"
    assert {"folderId", "permissions", "createdBy", "updatedByName"} <= set(body)
    assert [set(e) for e in body["elements"]] == [{"type", "id"}, {"type", "id"}]


def test_retrieve_missing_is_404_and_bad_id_is_400(admin: httpx.Client) -> None:
    assert admin.get(f"{SEGMENT}/31337").status_code == 404
    assert admin.get(f"{SEGMENT}/abc").status_code == 400


# --- delete -----------------------------------------------------------------------------------


def test_delete_is_200_with_an_empty_body_then_404(admin: httpx.Client, service: SegmentService) -> None:
    created = _create(admin, "to delete")
    response = admin.delete(f"{SEGMENT}/{created['id']}")
    assert response.status_code == 200 and response.content == b""
    assert created["id"] not in service.segment_ids()
    assert admin.delete(f"{SEGMENT}/{created['id']}").status_code == 404
    assert admin.get(f"{SEGMENT}/{created['id']}").status_code == 404
    assert admin.delete(f"{SEGMENT}/-3").status_code == 400


# --- list -----------------------------------------------------------------------------------


def test_list_defaults_to_minimal_and_page_one(admin: httpx.Client) -> None:
    body = admin.get("/assets/contact/segments").json()
    assert (body["page"], body["pageSize"], body["total"]) == (1, 1000, 1)
    assert body["elements"][0]["depth"] == "minimal"
    assert "elements" not in body["elements"][0]


@pytest.mark.parametrize(("depth", "expected"), [("complete", "complete"), ("partial", "partial"), ("x", "minimal")])
def test_list_depth_and_its_fallback(admin: httpx.Client, depth: str, expected: str) -> None:
    body = admin.get("/assets/contact/segments", params={"depth": depth}).json()
    assert body["elements"][0]["depth"] == expected


def test_list_search_by_name_prefix_and_paging(admin: httpx.Client) -> None:
    ids = [_create(admin, f"ecs-run1-{n}")["id"] for n in range(5)]
    _create(admin, "ecs-run2-0")
    _create(admin, "other ecs-run1-")

    def page(**params: Any) -> dict[str, Any]:
        response = admin.get("/assets/contact/segments", params={"search": "name='ecs-run1-*'", **params})
        assert response.status_code == 200
        result: dict[str, Any] = response.json()
        return result

    assert [e["id"] for e in page()["elements"]] == ids
    first, second, third = page(count=2, page=1), page(count=2, page=2), page(count=2, page=3)
    assert [first["total"], second["total"], third["total"]] == [5, 5, 5]
    assert [e["id"] for e in first["elements"] + second["elements"] + third["elements"]] == ids
    assert page(count=2, page=4)["elements"] == []


@pytest.mark.parametrize(
    ("search", "names"),
    [
        ("name='Exact'", ["Exact"]),
        ("name=Exact*", ["Exact", "Exactly"]),
        ("exact*", ["Exact", "Exactly"]),
        ('name="*ly"', ["Exactly"]),
        ("name='*'", ["Exact", "Exactly", "Seeded segment: EMEA prospects"]),
        ("", ["Exact", "Exactly", "Seeded segment: EMEA prospects"]),
    ],
)
def test_list_search_forms(admin: httpx.Client, search: str, names: list[str]) -> None:
    _create(admin, "Exact")
    _create(admin, "Exactly")
    body = admin.get("/assets/contact/segments", params={"search": search}).json()
    assert sorted(e["name"] for e in body["elements"]) == names


@pytest.mark.parametrize(
    ("param", "value"),
    [("page", "0"), ("page", "x"), ("count", "0"), ("count", "1001"), ("count", "-1"), ("page", "9" * 5000)],
)
def test_list_bad_paging_is_400(admin: httpx.Client, param: str, value: str) -> None:
    response = admin.get("/assets/contact/segments", params={param: value})
    assert response.status_code == 400
    assert response.json()[0] | {"value": None} == {
        "type": "EndpointParameterError",
        "parameter": param,
        "requirement": {"type": "IntegerRequirement"},
        "value": None,
    }


@pytest.mark.parametrize("search", ["description='x'", "name='unterminated", "name='a' junk"])
def test_list_unsupported_search_is_400(admin: httpx.Client, search: str) -> None:
    response = admin.get("/assets/contact/segments", params={"search": search})
    assert response.status_code == 400
    assert response.json()[0]["parameter"] == "search"


# --- routing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/api/REST/2.0", "/api/rest/2.0", "/API/REST/2.0", "/Api/Rest/2.0"])
def test_path_ignores_case(service: SegmentService, prefix: str) -> None:
    with client_for(service, ADMIN, base_url="http://mock" + prefix) as client:
        assert client.post("/assets/contact/segment/1/copy", json={}).status_code == 201
        assert client.get("/assets/contact/segment/1").status_code == 200
        assert client.get("/ASSETS/CONTACT/SEGMENTS").status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/REST/1.0/assets/contact/segment/1", "/api/REST/2.0/assets/contact/segment/1/copy/x", "/", ""]
)
def test_unknown_path_is_404(service: SegmentService, path: str) -> None:
    with client_for(service, ADMIN, base_url="http://mock") as client:
        assert client.get(path).status_code == 404


def test_known_path_with_another_method_is_405(admin: httpx.Client) -> None:
    response = admin.get("/assets/contact/segment/1/copy")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert admin.put(f"{SEGMENT}/1", json={}).headers["allow"] == "DELETE, GET"


def test_no_seed_starts_empty_and_ids_start_at_one() -> None:
    service = SegmentService(MockConfig(seed_segments=()))
    assert service.segment_ids() == set()
    with client_for(service, ADMIN) as client:
        assert _create(client, "first")["id"] == "1"
