"""Exchanges made the real way for the check self-tests: `SegmentApi` over httpx, the target mocked by respx.

Test modules import this by name (tests/ is on sys.path under pytest's default `prepend` import mode).
"""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx
import pytest
import respx

from eloqua_conformance.checks import Context, Listing
from eloqua_conformance.client import RateLimiter, Recorder, SegmentApi
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import RequirementFailure
from eloqua_conformance.resources import SEGMENTS_ROOT as API_ROOT

__all__ = [
    "BASE_URL",
    "COPY_ROUTE",
    "COVERAGE_TAG",
    "NONE",
    "SOURCE_ID",
    "contact_segment",
    "copy_answered",
    "covers_fail",
    "covers_pass",
    "element",
    "expect_failure",
    "json_response",
    "listing",
    "mocked_api",
    "raw_response",
    "requirement_of",
    "retrieve_answered",
    "status_params",
]

BASE_URL = "https://eloqua.selftest.invalid"
NONE = Context()  # for checks that compare the exchange with nothing
SOURCE_ID = "12"
COPY_ROUTE = rf"^{API_ROOT}/segment/[^/]+/copy$"
COVERAGE_TAG = "_check_outcomes"  # attribute of a test function: ((check, "pass" | "fail"), ...)

# Building a TLS context (loading the CA bundle) is ~40 ms per httpx.Client; respx answers before any TLS, so share one.
_TLS = ssl.create_default_context()

_Test = TypeVar("_Test", bound=Callable[..., Any])


@contextmanager
def mocked_api(
    authorization: str | None = None, redact: Callable[[str], str] = str
) -> Iterator[tuple[SegmentApi, respx.MockRouter]]:
    """A SegmentApi whose requests all go to a fresh respx router (routes added by the caller)."""
    with httpx.Client(verify=_TLS) as http, respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield SegmentApi(http, BASE_URL, Recorder(), RateLimiter(None), authorization, redact), router


def copy_answered(
    response: httpx.Response | Exception,
    body: Any = None,
    *,
    segment_id: str = SOURCE_ID,
    authorization: str | None = None,
    **kwargs: Any,
) -> Exchange:
    """One copy request (body `{"name": "Copy"}` unless `body` or `content` is given) answered with `response`."""
    with mocked_api(authorization) as (api, router):
        route = router.post(path__regex=COPY_ROUTE)
        if isinstance(response, Exception):
            route.mock(side_effect=response)
        else:
            route.mock(return_value=response)
        if "content" not in kwargs:
            kwargs["body"] = {"name": "Copy"} if body is None else body
        return api.copy(segment_id, **kwargs)


def retrieve_answered(response: httpx.Response, segment_id: str = "1001") -> Exchange:
    """One GET of segment `segment_id` at depth complete, answered with `response`."""
    with mocked_api() as (api, router):
        router.get(path__regex=rf"^{API_ROOT}/segment/[^/]+$").mock(return_value=response)
        return api.retrieve(segment_id)


def listing(*segments: tuple[str, str], problem: str = "") -> Listing:
    """The run's segments as (id, name) pairs, as a snapshot of the list operation would give them."""
    return Listing(tuple(segments), (), problem)


def json_response(status: int, body: Any, content_type: str = "application/json") -> httpx.Response:
    """A response with a JSON body and exactly the given Content-Type."""
    return raw_response(status, json.dumps(body).encode(), content_type)


def raw_response(status: int, content: bytes, content_type: str | None = None) -> httpx.Response:
    """A response with these bytes and this Content-Type (None: no Content-Type header at all)."""
    headers = {"Content-Type": content_type} if content_type is not None else {}
    return httpx.Response(status, content=content, headers=headers)


def element(kind: str, element_id: str, reference: str, included: str = "true", **extra: Any) -> dict[str, Any]:
    """A segment element: kind "filter" or "list", referencing that filter or list id."""
    type_name = {"filter": "ContactFilterSegmentElement", "list": "ContactListSegmentElement"}[kind]
    reference_type = {"filter": "ContactFilter", "list": "ContactList"}[kind]
    return {
        "type": type_name,
        "id": element_id,
        "isIncluded": included,
        kind: {"type": reference_type, "id": reference},
        **extra,
    }


def contact_segment(**overrides: Any) -> dict[str, Any]:
    """A conforming copy as Eloqua renders it at depth complete; `None` overrides drop a property."""
    now = str(int(time.time()))
    body: dict[str, Any] = {
        "type": "ContactSegment",
        "id": "1001",
        "name": "Copy",
        "folderId": "312",
        "createdAt": now,
        "createdBy": "9",
        "updatedAt": now,
        "updatedBy": "9",
        "depth": "complete",
        "permissions": ["Retrieve", "Update", "Delete", "SetSecurity"],
        "elements": [element("filter", "2001", "501", "true"), element("list", "2002", "601", "false")],
        "x_e10_isTemplate": "false",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


def requirement_of(check: Callable[..., None]) -> str:
    """The requirement ID a check's docstring starts with."""
    return (check.__doc__ or "").split(":", 1)[0]


def status_params(cases: list[tuple[Any, ...]]) -> tuple[list[Any], list[Any]]:
    """Params (check, request, status) that must pass and (check, request, required, status) that must fail.

    Each case is (label, check, request kwargs for `copy_answered`, the required status, statuses that break it).
    """
    passing = [
        pytest.param(check, request, required, id=f"{requirement_of(check)}-{label}-{required}")
        for label, check, request, required, _ in cases
    ]
    failing = [
        pytest.param(check, request, required, status, id=f"{requirement_of(check)}-{label}-{status}")
        for label, check, request, required, wrong in cases
        for status in wrong
    ]
    return passing, failing


def expect_failure(requirement_id: str, check: Callable[..., None], *args: Any) -> RequirementFailure:
    """Run `check` and return the RequirementFailure it must raise, naming `requirement_id`."""
    with pytest.raises(RequirementFailure) as caught:
        check(*args)
    assert caught.value.requirement_id == requirement_id, str(caught.value)
    assert str(caught.value).startswith(requirement_id)  # renders against the catalogue
    return caught.value


def _tag(outcome: str, checks: tuple[Callable[..., None], ...]) -> Callable[[_Test], _Test]:
    def tag(test: _Test) -> _Test:
        setattr(test, COVERAGE_TAG, (*getattr(test, COVERAGE_TAG, ()), *((check, outcome) for check in checks)))
        return test

    return tag


def covers_pass(*checks: Callable[..., None]) -> Callable[[_Test], _Test]:
    """Declare that the test shows these checks passing a conforming exchange (read by the coverage test)."""
    return _tag("pass", checks)


def covers_fail(*checks: Callable[..., None]) -> Callable[[_Test], _Test]:
    """Declare that the test shows these checks failing a non-conforming exchange (read by the coverage test)."""
    return _tag("fail", checks)
