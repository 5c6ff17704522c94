"""An httpx transport that hands a sync client's requests to the service in-process, with no socket."""

from __future__ import annotations

from typing import Literal

import httpx

from .config import Identity
from .messages import Request
from .routing import API_PREFIX
from .service import SegmentService

__all__ = ["ServiceTransport", "client_for"]


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
        return httpx.Response(status_code=answer.status, headers=list(answer.headers), content=answer.body)


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
