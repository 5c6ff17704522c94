"""The reference mock's fault injection: `Prefer: code=NNN` for documented error statuses only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from eloqua_conformance.mock import MockConfig, SegmentService, client_for, default_config

ADMIN, READER = default_config().identities
COPY_1 = "/assets/contact/segment/1/copy"


@pytest.fixture
def service() -> SegmentService:
    return SegmentService(default_config())


@pytest.fixture
def admin(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service, ADMIN) as client:
        yield client


@pytest.mark.parametrize(
    "prefer", ["code=500", "dynamic=true, code=500", 'code="500"', "code=500; x=y", " CODE = 500 ,example=a"]
)
def test_prefer_code_500_forces_500_and_creates_nothing(
    admin: httpx.Client, service: SegmentService, prefer: str
) -> None:
    before = {i: service.get(i) for i in service.segment_ids()}
    response = admin.post(COPY_1, json={"name": "must not exist"}, headers={"Prefer": prefer})
    assert response.status_code == 500
    assert response.json()[0]["type"] == "ServerError"
    assert {i: service.get(i) for i in service.segment_ids()} == before


def test_prefer_in_a_second_header_counts(admin: httpx.Client) -> None:
    headers = httpx.Headers([("Prefer", "respond-async"), ("Prefer", "code=500")])
    assert admin.post(COPY_1, json={}, headers=headers).status_code == 500


@pytest.mark.parametrize("status", [400, 401, 403, 404, 500])
def test_every_documented_error_status_can_be_forced_on_copy(admin: httpx.Client, status: int) -> None:
    response = admin.post(COPY_1, json={}, headers={"Prefer": f"code={status}"})
    assert response.status_code == status
    assert isinstance(response.json()[0]["type"], str)


@pytest.mark.parametrize("prefer", ["code=418", "code=429", "code=503", "code=201", "code=200", "code=5000", "code=x"])
def test_undocumented_or_success_codes_are_ignored(admin: httpx.Client, prefer: str) -> None:
    assert admin.post(COPY_1, json={}, headers={"Prefer": prefer}).status_code == 201


def test_fault_injection_applies_right_after_authentication(service: SegmentService, admin: httpx.Client) -> None:
    with client_for(service) as anonymous:
        assert anonymous.post(COPY_1, json={}, headers={"Prefer": "code=500"}).status_code == 401
    # After authentication it wins over id, existence, permission and body checks.
    assert admin.post("/assets/contact/segment/x/copy", content=b"?", headers={"Prefer": "code=500"}).status_code == 500
    with client_for(service, READER) as reader:
        assert reader.post(COPY_1, json={}, headers={"Prefer": "code=500"}).status_code == 500


def test_supporting_operations_accept_their_documented_codes(admin: httpx.Client, service: SegmentService) -> None:
    prefer = {"Prefer": "code=500"}
    assert admin.get("/assets/contact/segment/1", headers=prefer).status_code == 500
    assert admin.get("/assets/contact/segments", headers=prefer).status_code == 500
    assert admin.post("/assets/contact/segment", json={"name": "n"}, headers=prefer).status_code == 500
    assert admin.delete("/assets/contact/segment/1", headers=prefer).status_code == 500
    assert "1" in service.segment_ids()


def test_fault_injection_can_be_switched_off() -> None:
    service = SegmentService(MockConfig(fault_injection=False))
    with client_for(service, ADMIN) as client:
        assert client.post(COPY_1, json={}, headers={"Prefer": "code=500"}).status_code == 201


def test_unexpected_failures_become_json_500() -> None:
    class Exploding(SegmentService):
        def copy_name(self, source: dict[str, object], body: dict[str, object]) -> str:
            raise RuntimeError("boom")

    with client_for(Exploding(), ADMIN) as client:
        response = client.post(COPY_1, json={})
    assert response.status_code == 500
    assert response.json() == [{"type": "ServerError", "message": "the mock failed unexpectedly"}]
