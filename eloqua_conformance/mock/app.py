"""The Starlette adapter: every request goes to SegmentService.handle, unchanged."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response as StarletteResponse
from starlette.responses import StreamingResponse
from starlette.routing import Route

from .messages import Request
from .service import SegmentService
from .transport import chunks

__all__ = ["create_app"]

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def create_app(service: SegmentService) -> Starlette:
    """An ASGI application serving `service` on every path and method."""

    async def endpoint(request: StarletteRequest) -> StarletteResponse:
        scope = request.scope
        core = Request(
            method=request.method,
            # scope values, not request.url: the core matches the decoded path and parses the raw query.
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=tuple((k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in scope["headers"]),
            body=await request.body(),
        )
        # handle() holds a lock only for dictionary operations, so calling it on the event loop is fine.
        answer = service.handle(core)
        if ("transfer-encoding", "chunked") in answer.headers:
            # No Content-Length: uvicorn sends a streamed body chunked. It adds its own Transfer-Encoding.
            streamed = StreamingResponse(chunks(answer.body), status_code=answer.status)
            streamed.raw_headers.extend(
                (k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers if k != "transfer-encoding"
            )
            return streamed
        response = StarletteResponse(content=answer.body, status_code=answer.status)
        # raw_headers, because a 401 carries two WWW-Authenticate lines that a dict would merge.
        response.raw_headers.extend((k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers)
        return response

    return Starlette(routes=[Route("/{path:path}", endpoint, methods=_METHODS)])
