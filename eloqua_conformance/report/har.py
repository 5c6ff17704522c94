"""traffic.har (with --record-har): every exchange of the run as an HTTP Archive 1.2, masked like every report.

Written with `harfile` (schemathesis's HAR writer). Headers and bodies are those of the report evidence:
every secret masked, bodies cut at the same excerpt length; each entry's comment names the requirements
of the test that sent it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import parse_qsl, urlsplit

import harfile

from eloqua_conformance import __version__
from eloqua_conformance.exchange import Exchange

from .evidence import exchange_evidence

__all__ = ["HAR_NAME", "render_har"]

HAR_NAME = "traffic.har"


def render_har(exchanges: Iterable[Exchange], redact: Callable[[str], str]) -> str:
    """The HAR document of `exchanges`, in the order they were sent."""
    out = io.StringIO()
    with harfile.HarFile(out, creator=harfile.Creator(name="eloqua-conformance", version=__version__)) as har:
        for exchange in exchanges:
            _add(har, exchange, redact)
    return out.getvalue()


def _headers(headers: dict[str, str]) -> list[harfile.Record]:
    return [harfile.Record(name=name, value=value) for name, value in headers.items()]


def _add(har: harfile.HarFile, exchange: Exchange, redact: Callable[[str], str]) -> None:
    evidence = exchange_evidence(exchange, redact)
    sent, got = evidence["request"], evidence["response"]
    url = redact(exchange.url)
    post = None
    if exchange.request_body:
        post = harfile.PostData(mimeType=exchange.request_headers.get("content-type", ""), text=sent["body"])
    request = harfile.Request(
        method=exchange.method, url=url, httpVersion="HTTP/1.1", cookies=[], headers=_headers(sent["headers"]),
        queryString=[harfile.Record(name=k, value=v) for k, v in parse_qsl(urlsplit(url).query)],
        headersSize=-1, bodySize=len(exchange.request_body), postData=post,
    )  # fmt: skip
    cut = " (cut: the report keeps an excerpt)" if got["body_truncated"] else ""
    content = harfile.Content(size=exchange.size, mimeType=exchange.content_type or "x-unknown", text=got["body"],
                              comment=f"{exchange.size} bytes{cut}")  # fmt: skip
    response = harfile.Response(
        status=exchange.status, statusText=_reason(exchange.status), httpVersion="HTTP/1.1", cookies=[],
        headers=_headers(got["headers"]), content=content, redirectURL="", headersSize=-1, bodySize=exchange.size,
        comment=evidence["network_error"] or None,
    )  # fmt: skip
    milliseconds = round(exchange.elapsed * 1000, 3)
    served = ", ".join(exchange.requirements) or "set-up or clean-up"
    har.add_entry(
        startedDateTime=datetime.fromtimestamp(exchange.started_at, UTC), time=milliseconds, request=request,
        response=response, timings=harfile.Timings(send=0, wait=milliseconds, receive=0),
        comment=f"requirements: {served}",
    )  # fmt: skip


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "" if status else "no response"
