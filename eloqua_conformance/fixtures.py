"""Fixtures of the conformance tests: one per credential role and one per resource lifecycle."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from eloqua_conformance.client import SegmentApi
from eloqua_conformance.exchange import Exchange
from eloqua_conformance.lifecycle import opened_run
from eloqua_conformance.run import Run
from eloqua_conformance.session import current
from eloqua_conformance.verdicts import NOT_EXERCISED

__all__ = ["api", "copy_of", "forbidden_api", "fresh_source", "not_exercised", "run", "source", "source_body",
           "standard_copy"]  # fmt: skip


def not_exercised(reason: str) -> None:
    """Stop the test and report its requirements as not exercised (never as passed)."""
    pytest.skip(NOT_EXERCISED + reason)


def source_body(run: Run, label: str = "source") -> dict[str, Any]:
    """A source with an included filter element and an excluded list element, so copying elements is tested."""
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
                    "statement": "-500102",
                    "criteria": [
                        {
                            "type": "ContactFieldCriterion",
                            "id": "-500102",
                            "fieldId": "100001",
                            "condition": {"type": "TextValueCondition", "operator": "equal", "value": "EMEA"},
                        }
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
    body = exchange.json()
    if exchange.status != 201 or not isinstance(body, dict) or not isinstance(body.get("id"), str):
        raise RuntimeError(f"could not create a source segment to copy: {exchange.summary()}")
    retrieved = run.api.retrieve(body["id"])
    return retrieved.json() if retrieved.status == 200 and isinstance(retrieved.json(), dict) else body  # type: ignore[no-any-return]


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
        if exchange.status != 200 or not isinstance(exchange.json(), dict):
            where = run.settings.origins["--source-segment-id"]
            pytest.exit(f"--source-segment-id from {where}: cannot read it: {exchange.summary()}", returncode=2)
        return exchange.json()  # type: ignore[no-any-return]
    return _created(run, "source")


@pytest.fixture
def fresh_source(run: Run) -> Iterator[dict[str, Any]]:
    """A source created for one test (one that deletes it, for example), deleted afterwards."""
    body = _created(run, "fresh-source")
    yield body
    if body["id"] in run.recorder.created_ids():
        run.delete_created(body["id"])


def copy_of(run: Run, source_segment: dict[str, Any], label: str = "copy", **body: Any) -> Exchange:
    """Copy `source_segment` as the main identity, with a run-prefixed name unless `body` sets one."""
    return run.api.copy(source_segment["id"], {"name": run.name(label), **body})


@pytest.fixture(scope="session")
def standard_copy(run: Run, source: dict[str, Any]) -> Exchange:
    """One ordinary copy of the source, shared by the shape checks."""
    return copy_of(run, source)
