"""The reference mock's authentication (401) and authorization (403)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

import httpx
import pytest

from eloqua_conformance.mock import MockConfig, SegmentService, client_for, default_config

ADMIN, READER = default_config().identities
COPY_1 = "/assets/contact/segment/1/copy"


def _basic(text: str) -> str:
    return "Basic " + base64.b64encode(text.encode()).decode()


@pytest.fixture
def service() -> SegmentService:
    return SegmentService(default_config())


@pytest.fixture
def anonymous(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service) as client:
        yield client


@pytest.fixture
def reader(service: SegmentService) -> Iterator[httpx.Client]:
    with client_for(service, READER) as client:
        yield client


def _copy(client: httpx.Client, authorization: str | None, path: str = COPY_1) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return client.post(path, json={"name": "x"}, headers=headers)


@pytest.mark.parametrize("scheme", ["basic", "bearer"])
def test_both_schemes_authenticate_the_admin(service: SegmentService, scheme: Literal["basic", "bearer"]) -> None:
    with client_for(service, ADMIN, scheme) as client:
        assert client.post(COPY_1, json={}).status_code == 201


def test_missing_credentials_are_401_with_a_challenge(anonymous: httpx.Client) -> None:
    response = _copy(anonymous, None)
    assert response.status_code == 401
    challenges = response.headers.get_list("www-authenticate")
    assert any(c.startswith("Basic") for c in challenges)
    assert any(c.startswith("Bearer") for c in challenges)
    assert response.json()[0]["type"] == "Unauthorized"


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(_basic(f"{ADMIN.login}:wrong-{ADMIN.password}"), id="wrong-password"),
        pytest.param(_basic(f"{ADMIN.site}\\nobody:{ADMIN.password}"), id="unknown-user"),
        pytest.param(_basic(f"OtherSite\\{ADMIN.user}:{ADMIN.password}"), id="unknown-site"),
        pytest.param(_basic(f"{ADMIN.user}:{ADMIN.password}"), id="no-site"),
        pytest.param(_basic(f"{ADMIN.login}"), id="no-colon"),
        pytest.param(f"Bearer {ADMIN.token}x", id="unknown-bearer"),
        pytest.param("Bearer", id="bearer-without-token"),
        pytest.param("Basic", id="basic-without-token"),
        pytest.param("Basic !!!not-base64!!!", id="basic-not-base64"),
        pytest.param("Basic " + base64.b64encode(b"\xff\xfe\\a:b").decode(), id="basic-not-utf8"),
        pytest.param(f"Digest {ADMIN.token}", id="unknown-scheme"),
        pytest.param(f"{ADMIN.token}", id="no-scheme"),
        pytest.param("", id="empty"),
    ],
)
def test_bad_credentials_are_401(anonymous: httpx.Client, authorization: str) -> None:
    assert _copy(anonymous, authorization).status_code == 401


def test_two_authorization_headers_are_401(anonymous: httpx.Client) -> None:
    headers = [("Authorization", str(ADMIN.basic_authorization())), ("Authorization", "Bearer junk")]
    response = anonymous.post(COPY_1, json={}, headers=httpx.Headers(headers))
    assert response.status_code == 401


def test_site_and_user_ignore_case_but_password_does_not(anonymous: httpx.Client) -> None:
    login = f"{ADMIN.site.upper()}\\{ADMIN.user.upper()}"
    assert _copy(anonymous, _basic(f"{login}:{ADMIN.password}")).status_code == 201
    assert _copy(anonymous, _basic(f"{ADMIN.login}:{str(ADMIN.password).upper()}")).status_code == 401


def test_scheme_name_ignores_case(anonymous: httpx.Client) -> None:
    assert _copy(anonymous, f"bearer {ADMIN.token}").status_code == 201
    assert _copy(anonymous, str(ADMIN.basic_authorization()).replace("Basic", "BASIC")).status_code == 201


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/assets/contact/segment/999999/copy", b"{}"),
        ("/assets/contact/segment/abc/copy", b"{}"),
        ("/assets/contact/segment/1/copy", b'{"name":'),
        ("/assets/contact/segment/0/copy", b"[]"),
        ("/assets/contact/nothing-here", b""),
    ],
)
def test_credentials_are_checked_before_anything_else(anonymous: httpx.Client, path: str, body: bytes) -> None:
    response = anonymous.post(path, content=body, headers={"Content-Type": "text/plain"})
    assert response.status_code == 401


def test_reader_may_not_copy_create_or_delete(service: SegmentService, reader: httpx.Client) -> None:
    before = service.segment_ids()
    assert reader.post(COPY_1, json={"name": "forbidden copy"}).status_code == 403
    assert reader.post("/assets/contact/segment", json={"name": "forbidden"}).status_code == 403
    response = reader.delete("/assets/contact/segment/1")
    assert response.status_code == 403
    assert response.json()[0]["type"] == "Forbidden"
    assert service.segment_ids() == before


def test_reader_may_read(reader: httpx.Client) -> None:
    assert reader.get("/assets/contact/segment/1").status_code == 200
    assert reader.get("/assets/contact/segments").status_code == 200


def test_reader_sees_404_before_403(reader: httpx.Client) -> None:
    assert reader.post("/assets/contact/segment/424242/copy", json={}).status_code == 404
    assert reader.delete("/assets/contact/segment/424242").status_code == 404


def test_reader_sees_403_before_415_and_body_errors(reader: httpx.Client) -> None:
    response = reader.post(COPY_1, content=b"nope", headers={"Content-Type": "text/plain"})
    assert response.status_code == 403


def test_a_token_only_identity_has_no_basic_login() -> None:
    token_only = replace(ADMIN, password=None)
    with client_for(SegmentService(MockConfig(identities=(token_only,))), token_only, "bearer") as client:
        assert client.post(COPY_1, json={}).status_code == 201
        response = _copy(client, _basic(f"{ADMIN.login}:None"))
        assert response.status_code == 401
