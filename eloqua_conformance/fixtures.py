"""Fixtures of the conformance tests: one per credential role and resource lifecycle, and what checks compare with."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import pytest

from eloqua_conformance.checks import CheckFunction, Context, Listing
from eloqua_conformance.checks._common import body_of, got
from eloqua_conformance.client import SegmentApi
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.lifecycle import opened_run
from eloqua_conformance.run import Run
from eloqua_conformance.session import current
from eloqua_conformance.verdicts import NOT_EXERCISED

__all__ = ["api", "copied", "copy_of", "delete_created_since", "delete_what_the_test_made", "forbidden_api",
           "fresh_source", "identity", "listing", "names_seen", "not_exercised", "refusals_leave_no_trace", "run",
           "source", "source_body", "standard_context", "standard_copy"]  # fmt: skip

_PAGE = 1000  # Eloqua's largest page: one request lists a run's segments
_MAX_PAGES = 20


def not_exercised(reason: str) -> NoReturn:
    """Stop the test and report its requirements as not exercised (never as passed)."""
    pytest.skip(NOT_EXERCISED + reason)


def source_body(run: Run, label: str = "source") -> dict[str, Any]:
    """A source with an included local filter (two criteria) and an excluded list, so content copying is tested."""
    name = run.name(label)
    return {
        "name": name,
        "elements": [
            {
                "type": "ContactFilterSegmentElement",
                "isIncluded": "true",
                "filter": {
                    "type": "ContactFilter",
                    "id": "-500101",  # Eloqua's convention for a new, unsaved object: a negative placeholder
                    "name": f"{name} filter",
                    "scope": "local",
                    "statement": "-500102 OR -500104",
                    "x_e10_isTemplate": "false",
                    "criteria": [
                        {
                            "type": "ContactFieldCriterion",
                            "id": "-500102",
                            "fieldId": "100001",
                            "condition": {"type": "TextValueCondition", "operator": "equal", "value": "EMEA"},
                        },
                        {
                            "type": "ContactFieldCriterion",
                            "id": "-500104",
                            "fieldId": "100002",
                            "condition": {"type": "TextValueCondition", "operator": "notEqual", "value": "Retail"},
                        },
                    ],
                },
            },
            {
                "type": "ContactListSegmentElement",
                "isIncluded": "false",
                "list": {"type": "ContactList", "id": "-500103", "name": f"{name} list"},
            },
        ],
    }


def _created(run: Run, label: str) -> dict[str, Any]:
    exchange = run.api.create(source_body(run, label))
    body = body_of(exchange)
    if exchange.status != 201 or not isinstance(body, dict) or not isinstance(body.get("id"), str):
        raise RuntimeError(f"could not create a source segment to copy: {exchange.summary()}")
    retrieved = run.api.retrieve(body["id"])
    complete = body_of(retrieved)
    return complete if retrieved.status == 200 and isinstance(complete, dict) else body


@pytest.fixture(scope="session")
def run(pytestconfig: pytest.Config) -> Iterator[Run]:
    """The run: clients per role, the run prefix, and clean-up of everything it created."""
    session = current(pytestconfig)
    if session is None:
        raise pytest.UsageError(
            "conformance tests collected without a conformance run: name eloqua_conformance/suite "
            "(or --pyargs eloqua_conformance.suite) in the test paths, or give --target-url"
        )
    with opened_run(session) as the_run:
        yield the_run


@pytest.fixture(scope="session")
def api(run: Run) -> SegmentApi:
    """The main identity: may create and copy."""
    return run.api


@pytest.fixture(scope="session")
def forbidden_api(run: Run) -> SegmentApi:
    """An identity that may read but not create; its tests are not exercised without one."""
    if run.forbidden is None:
        not_exercised("no --forbidden-auth identity given")
    assert run.forbidden is not None
    return run.forbidden


@pytest.fixture(scope="session")
def source(run: Run) -> dict[str, Any]:
    """The segment copies are made from: --source-segment-id (only read) or one the run creates."""
    if run.settings.source_segment_id is not None:
        exchange = run.api.retrieve(run.settings.source_segment_id)
        if exchange.status != 200 or not isinstance(body_of(exchange), dict):
            where = run.settings.origins["--source-segment-id"]
            pytest.exit(f"--source-segment-id from {where}: cannot read it: {exchange.summary()}", returncode=2)
        return body_of(exchange)  # type: ignore[no-any-return]
    return _created(run, "source")


@pytest.fixture(scope="session")
def identity(run: Run, source: dict[str, Any]) -> dict[str, Any]:
    """A segment the main identity created in this run, as the server answered it: who that identity is."""
    return source if run.settings.source_segment_id is None else _created(run, "identity")


@pytest.fixture
def fresh_source(run: Run) -> Iterator[dict[str, Any]]:
    """A source created for one test (one that deletes it, for example), deleted afterwards."""
    body = _created(run, "fresh-source")
    yield body
    if body["id"] in run.recorder.created_ids():
        run.delete_created(body["id"])


@pytest.fixture(autouse=True)
def delete_what_the_test_made(run: Run) -> Iterator[None]:
    """After each test, delete the segments it created that no longer-lived fixture holds.

    Fixtures of a wider scope are set up before this one, so what they made is kept; the rest would only
    wait for the clean-up at the end. Deleting it now keeps the target's store, and every listing of the
    run's segments (before and after each refused request), small.
    """
    kept = set(run.recorder.created_ids())
    yield
    delete_created_since(run, kept)


def delete_created_since(run: Run, kept: set[str]) -> None:
    """Delete every segment the run created but `kept` (what it had made before), and never a pre-existing one."""
    for segment_id in run.recorder.created_ids():
        if segment_id not in kept and segment_id not in run.preexisting:
            run.delete_created(segment_id)


def copy_of(run: Run, source_segment: dict[str, Any], label: str = "copy", **body: Any) -> Exchange:
    """Copy `source_segment` as the main identity, with a run-prefixed name unless `body` sets one."""
    return run.api.copy(source_segment["id"], {"name": run.name(label), **body})


def names_seen(run: Run) -> frozenset[str]:
    """Names of the segments the run has seen stored (in any 2xx body) so far."""
    return frozenset(
        name for exchange in run.recorder.snapshot() if 200 <= exchange.status < 300
        for name in [body.get("name") for body in [body_of(exchange)] if isinstance(body, dict)]
        if isinstance(name, str)
    )  # fmt: skip


def context_of(run: Run, source_segment: Any, own: Any, exchange: Exchange, earlier: frozenset[str], started: float,
               names: frozenset[str] = frozenset()) -> Context:  # fmt: skip
    """What a copy check compares `exchange` with; a 201 with an id is retrieved at depth complete first."""
    finished = time.time()
    body = body_of(exchange)
    copy_id = body.get("id") if exchange.status == 201 and isinstance(body, dict) else None
    retrieved = run.api.retrieve(copy_id) if isinstance(copy_id, str) and copy_id else None
    return Context(source=source_segment, retrieved=retrieved, earlier_ids=earlier, identity=own,
                   window=(started, finished), names_seen=names)  # fmt: skip


def copied(run: Run, source_segment: dict[str, Any], own: Any, label: str = "copy", *, body: Any = None,
           **fields: Any) -> tuple[Exchange, Context]:  # fmt: skip
    """A copy of `source_segment` and the context to judge it in; the body is `body` as given, or else a
    run-prefixed name (unless `fields` sets one) and `fields`."""
    earlier, names, started = frozenset(run.recorder.seen_ids), names_seen(run), time.time()
    if body is None:
        exchange = copy_of(run, source_segment, label, **fields)
    else:
        exchange = run.api.copy(source_segment["id"], body)
    return exchange, context_of(run, source_segment, own, exchange, earlier, started, names)


@pytest.fixture(scope="session")
def standard_copy(run: Run, source: dict[str, Any], identity: dict[str, Any]) -> tuple[Exchange, Context]:
    """One ordinary copy of the source and its context, shared by the shape and copy-semantics checks."""
    return copied(run, source, identity)


@pytest.fixture(scope="session")
def standard_context(standard_copy: tuple[Exchange, Context]) -> Context:
    return standard_copy[1]


def listing(run: Run) -> Listing:
    """Every segment whose name carries the run's prefix (anywhere: "Copy of <prefixed source>" too)."""
    found: dict[str, str] = {}
    exchanges: list[Exchange] = []
    listed = 0
    for page in range(1, _MAX_PAGES + 1):
        exchange = run.api.search(f"*{run.prefix}", page=page, count=_PAGE)
        exchanges.append(exchange)
        body = body_of(exchange)
        elements = body.get("elements") if exchange.status == 200 and isinstance(body, dict) else None
        if not isinstance(elements, list):
            return Listing(tuple(found.items()), tuple(exchanges), f"GET {exchange.url} answered {got(exchange)}")
        for element in elements:
            name = element.get("name") if isinstance(element, dict) else None
            if isinstance(name, str) and run.prefix in name and isinstance(element.get("id"), str | int):
                found[str(element["id"])] = name
        listed += len(elements)
        total = body.get("total")
        if not elements or (isinstance(total, int) and listed >= total) or (total is None and len(elements) < _PAGE):
            break
    return Listing(tuple(found.items()), tuple(exchanges))


@contextmanager
def refusals_leave_no_trace(run: Run, judge: CheckFunction) -> Iterator[None]:
    """Around requests the target must refuse: the run's segments after them are those before them.

    Judged only when the block ends normally, so a request that was not refused fails its own requirement
    first; `judge` is the area's check (AUTHN-09, VALID-14, ...), which names the requirement.
    """
    taken_at, latest = run.latest_listing or (-1, None)
    # Refusals follow one another (a parametrized test, its next case): the listing after the last ones is
    # the state before these when nothing was sent in between, which halves the listings of a run.
    before = latest if taken_at == run.recorder.count() else listing(run)
    start = run.recorder.count()
    yield
    sent = tuple(e for e in run.recorder.snapshot()[start:] if e.method == "POST")
    after = listing(run)
    run.latest_listing = (run.recorder.count(), after)
    judge(Context(listing_before=before, listing_after=after, exchanges=sent), None)
