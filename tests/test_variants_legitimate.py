"""Every legitimate variant of the reference mock (a choice the contract leaves open) is certified under --strict,
and each really makes its choice, so its certificate is evidence that the suite accepts it.

The suite runs in a child pytest per variant (strict, in-process, the kill-rate gate's seed and budget: `dev`,
tests/_live.py's VARIANTS_PROFILE), through the same harness as tests/test_variants_caught.py, and in its
background queue from the end of collection. .ci/run runs them at the default `ci` budget as well, where more
examples give a check more chances to fail a legitimate server.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from _live import BACKGROUND_NICENESS, VARIANTS_PROFILE, Batch, run_pytest, start_early

from eloqua_conformance.mock import Request, client_for, default_config
from eloqua_conformance.mock.variants import LEGITIMATE, VARIANTS, allows
from eloqua_conformance.mock.variants.verify import SEED, SuiteRun, run_suite

# tests/_live.py as a plugin of the session: its pytest_collection_finish starts this module's runs early.
pytest_plugins = ["_live"]

ADMIN, READER = default_config().identities
COPY_1 = "/assets/contact/segment/1/copy"
MODULE = "eloqua_conformance.mock.variants.legitimate"


def _forked(args, timeout: float) -> tuple[int, str]:
    """A suite run as a fork of the harness's warm process (tests/_live.py), as the kill-rate gate runs them."""
    finished = run_pytest(args, timeout=timeout, children="fork", niceness=BACKGROUND_NICENESS)
    return finished.returncode, finished.output


def _batch() -> tuple[Batch, tempfile.TemporaryDirectory[str]]:
    base = tempfile.TemporaryDirectory(prefix="legitimate-")
    jobs = {name: partial(run_suite, f"{MODULE}:{name}", Path(base.name, name), SEED, VARIANTS_PROFILE, runner=_forked)
            for name in LEGITIMATE}  # fmt: skip
    return Batch(jobs), base


def _plan(session: pytest.Session) -> tuple[Batch, tempfile.TemporaryDirectory[str]] | None:
    """The runs, if a test here that reads them is selected."""
    wanted = any(item.path == Path(__file__) and "runs" in item.fixturenames for item in session.items)
    return _batch() if wanted else None


_take = start_early(_plan)  # in the background, from the end of collection


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest) -> Iterator[dict[str, SuiteRun]]:
    """One strict suite run per legitimate variant."""
    batch, base = _take(request.session)
    with base:
        yield batch.finish()


def test_there_are_at_least_six_and_none_is_also_a_broken_variant():
    assert len(LEGITIMATE) >= 6
    assert not set(LEGITIMATE) & set(VARIANTS)
    assert all(allows(name).strip() for name in LEGITIMATE), "each says what it chooses and where the notes allow it"


@pytest.mark.parametrize("name", list(LEGITIMATE))
def test_legitimate_variant_is_certified_under_strict(runs: dict[str, SuiteRun], name: str) -> None:
    run = runs[name]
    verdict = [line for line in run.output.splitlines() if line.startswith("verdict: ")]
    if (
        (run.returncode, run.failed) != (0, frozenset())
        or not verdict
        or not verdict[0].startswith("verdict: certified")
    ):
        lines = [line for line in run.output.splitlines() if line.startswith(("FAIL", "ERROR", "NOT-EXERCISED"))]
        pytest.fail(f"{name} ({allows(name)}): exit {run.returncode}, failed {sorted(run.failed)}\n"
                    + "\n".join(lines + verdict or [run.output[-3000:]]), pytrace=False)  # fmt: skip


# --- each variant makes its choice (so a certificate is not vacuous) ---------------------------------
def _admin(name: str) -> httpx.Client:
    return client_for(LEGITIMATE[name](default_config()), ADMIN)


def _copy(name: str, body: object | None = None) -> httpx.Response:
    with _admin(name) as admin:
        return admin.post(COPY_1, json={"name": "x"} if body is None else body)


@pytest.mark.parametrize(("name", "depth"), [("MinimalDepthCopy", "minimal"), ("PartialDepthCopy", "partial")])
def test_depth_variants_answer_the_copy_at_their_depth(name: str, depth: str) -> None:
    body = _copy(name).json()
    assert body["depth"] == depth and (("elements" in body) == (depth == "partial"))


def test_name_length_limit_refuses_long_names_for_their_length() -> None:
    refused = _copy("NameLengthLimit", {"name": "x" * 101})
    assert refused.status_code == 400 and "ValidTextLengthRequirement" in refused.text
    assert _copy("NameLengthLimit", {"name": "x" * 100}).status_code == 201


@pytest.mark.parametrize(("name", "text"), [("PlainTextErrors", "Not authenticated."), ("EmptyErrorBodies", "")])
def test_error_body_variants_answer_401_without_json(name: str, text: str) -> None:
    with client_for(LEGITIMATE[name](default_config())) as anonymous:
        answer = anonymous.post(COPY_1, json={})
    assert (answer.status_code, answer.text) == (401, text)
    assert "json" not in answer.headers.get("content-type", "")


def test_new_local_filter_ids_duplicates_local_filters_and_rewrites_the_statement() -> None:
    service = LEGITIMATE["NewLocalFilterIds"](default_config())
    with client_for(service, ADMIN) as admin:
        criteria = [{"type": "ContactFieldCriterion", "id": "-2", "fieldId": "1"}]
        fltr = {"type": "ContactFilter", "id": "-1", "scope": "local", "statement": "-2", "criteria": criteria}
        element = {"type": "ContactFilterSegmentElement", "isIncluded": "true", "filter": fltr}
        source = admin.post("/assets/contact/segment", json={"name": "s", "elements": [element]}).json()
        copied = admin.post(f"/assets/contact/segment/{source['id']}/copy", json={"name": "c"}).json()
    old, new = source["elements"][0]["filter"], copied["elements"][0]["filter"]
    assert new["id"] != old["id"] and new["criteria"][0]["id"] != old["criteria"][0]["id"]
    assert new["statement"] == new["criteria"][0]["id"]


def test_gzip_responses_are_compressed_when_the_client_accepts_gzip() -> None:
    service = LEGITIMATE["GzipResponses"](default_config())
    headers = (("authorization", ADMIN.basic_authorization() or ""), ("content-type", "application/json"),
               ("accept-encoding", "gzip, deflate"))  # fmt: skip
    answer = service.handle(Request("POST", f"/api/REST/2.0{COPY_1}", "", headers, b'{"name": "x"}'))
    assert ("content-encoding", "gzip") in answer.headers
    assert json.loads(gzip.decompress(answer.body))["name"] == "x"
    assert _copy("GzipResponses").json()["name"] == "x"  # and httpx, like any client, reads it


def test_chunked_responses_come_in_pieces_without_a_length() -> None:
    answer = _copy("ChunkedResponses")
    assert answer.headers["transfer-encoding"] == "chunked" and "content-length" not in answer.headers


def test_unique_names_refuses_a_name_in_use_and_numbers_default_names() -> None:
    with _admin("UniqueNames") as admin:
        assert admin.post(COPY_1, json={"name": "taken"}).status_code == 201
        refused = admin.post(COPY_1, json={"name": "taken"})
        first, second = (admin.post(COPY_1, json={}).json()["name"] for _ in range(2))
    assert refused.status_code == 400 and "UniquenessRequirement" in refused.text
    assert first != second


def test_keeps_unused_properties_keeps_the_description() -> None:
    assert _copy("KeepsUnusedProperties", {"name": "x", "description": "kept"}).json()["description"] == "kept"


def test_body_elements_honoured_takes_the_body_elements_and_refuses_a_bad_flag() -> None:
    element = {"type": "ContactListSegmentElement", "isIncluded": "true", "list": {"id": "77"}}
    assert len(_copy("BodyElementsHonoured", {"name": "x", "elements": [element]}).json()["elements"]) == 1
    refused = _copy("BodyElementsHonoured", {"name": "x", "elements": [{**element, "isIncluded": "yes"}]})
    assert refused.status_code == 400 and "BooleanRequirement" in refused.text


def test_bare_object_validation_errors_answer_one_object() -> None:
    assert isinstance(_copy("BareObjectValidationErrors", {"name": 5}).json(), dict)


def test_content_type_refused_with_400() -> None:
    with _admin("ContentTypeRefusedWith400") as admin:
        assert admin.post(COPY_1, content=b"{}", headers={"content-type": "text/plain"}).status_code == 400
