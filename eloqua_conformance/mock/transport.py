"""An httpx transport that hands a sync client's requests to the service in-process, with no socket."""

from __future__ import annotations

import email.utils
from collections.abc import Iterator
from typing import Literal

import httpx

from .config import Identity
from .messages import Request
from .routing import API_PREFIX
from .service import SegmentService

__all__ = ["ServiceTransport", "chunks", "client_for"]

CHUNK = 64  # bytes per piece of a chunked body: small, so even short bodies come in several


def chunks(body: bytes) -> Iterator[bytes]:
    """`body` in pieces, for a response sent with Transfer-Encoding: chunked."""
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


class ServiceTransport(httpx.BaseTransport):
    """Routes `httpx.Client(transport=ServiceTransport(service))` to `service`; thread-safe, stateless."""

    def __init__(self, service: SegmentService) -> None:
        self.service = service

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Translate, handle, translate back."""
        core = Request(
            method=request.method,
            path=request.url.path,
            query=request.url.query.decode("latin-1"),
            headers=tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in request.headers.raw),
            body=request.read(),
        )
        answer = self.service.handle(core)
        chunked = ("transfer-encoding", "chunked") in answer.headers
        headers = [(k, v) for k, v in answer.headers if k != "transfer-encoding"]
        if not any(k == "date" for k, _ in headers):
            headers.append(("date", email.utils.formatdate(usegmt=True)))  # as a real server (uvicorn) sends it
        # A body the service marks chunked is handed over in pieces, without a Content-Length, as over the wire.
        content = chunks(answer.body) if chunked else answer.body
        return httpx.Response(status_code=answer.status, headers=headers, content=content)


def client_for(
    service: SegmentService,
    identity: Identity | None = None,
    scheme: Literal["basic", "bearer"] = "basic",
    base_url: str = "http://eloqua.mock" + API_PREFIX,
) -> httpx.Client:
    """An in-process client for `service`, sending `identity`'s credentials (none if None)."""
    headers: dict[str, str] = {}
    if identity is not None:
        value = identity.basic_authorization() if scheme == "basic" else identity.bearer_authorization()
        if value is None:
            raise ValueError(f"identity {identity.user} has no {scheme} credentials")
        headers["Authorization"] = value
    return httpx.Client(transport=ServiceTransport(service), base_url=base_url, headers=headers)
