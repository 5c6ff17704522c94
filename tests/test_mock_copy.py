"""The reference mock's copy semantics: shape, server-set fields, name, elements, the source untouched."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from eloqua_conformance.mock import SegmentService, client_for, default_config
from eloqua_conformance.mock.spec import load_spec

ADMIN, READER = default_config().identities
SOURCE = default_config().seed_segments[0]
COPY_SOURCE = f"/assets/contact/segment/{SOURCE['id']}/copy"
DIGITS = re.compile(r"[0-9]+")


@pytest.fixture
def service() -> SegmentService:
    return SegmentService(default_config())


@pytest.fixture
def admin(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service, ADMIN) as client:
        yield client


def _copy(client: httpx.Client, body: dict[str, Any] | None = None, path: str = COPY_SOURCE) -> dict[str, Any]:
    response = client.post(path, json={} if body is None else body)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].split(";")[0] == "application/json"
    copy: dict[str, Any] = response.json()
    return copy


def test_copy_is_a_valid_contact_segment(admin: httpx.Client) -> None:
    copy = _copy(admin, {"name": "valid"})
    assert load_spec().validator("ContactSegment").is_valid(copy)
    assert copy["type"] == "ContactSegment"
    assert copy["depth"] == "complete"


def test_copy_gets_server_set_fields(admin: httpx.Client) -> None:
    before = int(time.time())
    copy = _copy(admin, {"name": "server fields"})
    assert DIGITS.fullmatch(copy["id"]) and copy["id"] != SOURCE["id"]
    assert copy["folderId"] == SOURCE["folderId"]
    assert copy["permissions"] == ["Retrieve", "Update", "Delete", "SetSecurity"]
    for key in ("createdAt", "updatedAt"):
        assert DIGITS.fullmatch(copy[key]) and before <= int(copy[key]) <= int(time.time())
    assert copy["createdBy"] == copy["updatedBy"] == ADMIN.user_id
    assert copy["createdByName"] == copy["updatedByName"] == ADMIN.display_name


def test_bearer_identity_is_recorded_as_creator(service: SegmentService) -> None:
    with client_for(service, ADMIN, "bearer") as client:
        assert _copy(client)["createdBy"] == ADMIN.user_id


def test_copy_elements_mirror_the_source_with_new_ids(admin: httpx.Client) -> None:
    copy = _copy(admin)
    source_elements = SOURCE["elements"]
    assert len(copy["elements"]) == len(source_elements) == 2
    for mine, theirs in zip(copy["elements"], source_elements, strict=True):
        assert mine["type"] == theirs["type"]
        assert mine["isIncluded"] == theirs["isIncluded"]
        assert mine.get("filter") == theirs.get("filter")
        assert mine.get("list") == theirs.get("list")
        assert DIGITS.fullmatch(mine["id"]) and mine["id"] != theirs["id"]
    assert [e["type"] for e in copy["elements"]] == ["ContactFilterSegmentElement", "ContactListSegmentElement"]
    assert [e["isIncluded"] for e in copy["elements"]] == ["true", "false"]


def test_every_copy_gets_distinct_segment_and_element_ids(admin: httpx.Client) -> None:
    copies = [_copy(admin) for _ in range(5)]
    assert len({c["id"] for c in copies}) == 5
    element_ids = [e["id"] for c in copies for e in c["elements"]]
    assert len(set(element_ids)) == len(element_ids)


@pytest.mark.parametrize(
    "name",
    ["  spaces at both ends  ", "Ünïcödé 名前 اسم 🚀👩‍💻", "x" * 100, "y" * 5000, "\ud800 lone surrogate", " "],
)
def test_name_is_honoured_exactly(admin: httpx.Client, service: SegmentService, name: str) -> None:
    # ASCII escapes, because a lone surrogate cannot be sent as UTF-8 at all.
    body = json.dumps({"name": name}).encode("ascii")
    response = admin.post(COPY_SOURCE, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    assert response.json()["name"] == name
    stored = service.get(response.json()["id"])
    assert stored is not None and stored["name"] == name


def test_utf8_name_is_honoured_exactly(admin: httpx.Client) -> None:
    name = "名前 🚀 Ünïcödé"
    assert _copy(admin, {"name": name})["name"] == name


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"description": "no name here"}])
def test_without_a_name_the_copy_is_named_after_its_source(admin: httpx.Client, body: dict[str, Any]) -> None:
    assert _copy(admin, body)["name"] == f"Copy of {SOURCE['name']}"


def test_read_only_properties_in_the_body_are_ignored(admin: httpx.Client) -> None:
    sent = {
        "name": "read-only ignored",
        "id": "777777",
        "folderId": "888888",
        "createdBy": "999991",
        "createdAt": "1000000001",
        "updatedBy": "999992",
        "updatedAt": "1000000002",
        "scheduledFor": "1000000003",
        "depth": "minimal",
        "type": "SomethingElse",
        "permissions": ["Nothing"],
        "count": "123456",
        "lastCalculatedAt": "1000000004",
        "createdByName": "Impostor",
    }
    copy = _copy(admin, sent)
    assert copy["type"] == "ContactSegment"
    assert copy["depth"] == "complete"
    for key, value in sent.items():
        if key not in ("name", "type", "depth"):
            assert copy.get(key) != value, key


def test_body_elements_are_validated_but_ignored(admin: httpx.Client) -> None:
    body = {"elements": [{"type": "ContactListSegmentElement", "isIncluded": "true", "list": {"id": "1"}}]}
    copy = _copy(admin, body)
    assert [e["type"] for e in copy["elements"]] == ["ContactFilterSegmentElement", "ContactListSegmentElement"]


def test_copying_leaves_the_source_untouched(admin: httpx.Client, service: SegmentService) -> None:
    before = service.get(SOURCE["id"])
    _copy(admin, {"name": "other", "updatedAt": "1", "elements": [], "folderId": "1"})
    _copy(admin)
    assert service.get(SOURCE["id"]) == before
    assert admin.get(f"/assets/contact/segment/{SOURCE['id']}").json()["updatedAt"] == SOURCE["updatedAt"]


def test_the_copy_is_persistent(admin: httpx.Client) -> None:
    copy = _copy(admin, {"name": "persistent"})
    stored = admin.get(f"/assets/contact/segment/{copy['id']}", params={"depth": "complete"})
    assert stored.status_code == 200
    assert stored.json() == copy


def test_a_copy_can_be_copied(admin: httpx.Client) -> None:
    first, second = _copy(admin), _copy(admin)
    third = _copy(admin, path=f"/assets/contact/segment/{first['id']}/copy")
    assert len({first["id"], second["id"], third["id"]}) == 3
    assert third["name"] == f"Copy of {first['name']}"
    assert [(e["type"], e["isIncluded"]) for e in third["elements"]] == [
        (e["type"], e["isIncluded"]) for e in first["elements"]
    ]


def test_copying_a_deleted_segment_is_404(admin: httpx.Client, service: SegmentService) -> None:
    copy = _copy(admin)
    assert admin.delete(f"/assets/contact/segment/{copy['id']}").status_code == 200
    before = service.segment_ids()
    assert admin.post(f"/assets/contact/segment/{copy['id']}/copy", json={}).status_code == 404
    assert service.segment_ids() == before


def test_copy_of_a_created_segment_keeps_its_elements(admin: httpx.Client) -> None:
    created = admin.post(
        "/assets/contact/segment",
        json={
            "name": "source",
            "elements": [
                {"type": "ContactListSegmentElement", "isIncluded": "false", "list": {"id": "9"}},
                {"isIncluded": "true", "filter": {"type": "ContactFilter", "id": "8", "name": "f"}},
            ],
        },
    ).json()
    copy = _copy(admin, path=f"/assets/contact/segment/{created['id']}/copy")
    assert [(e["type"], e["isIncluded"]) for e in copy["elements"]] == [
        ("ContactListSegmentElement", "false"),
        ("ContactFilterSegmentElement", "true"),
    ]
    assert copy["elements"][0]["list"] == {"id": "9"}
    assert copy["folderId"] == created["folderId"]
