"""One overridden method of SegmentService changes one behaviour: the basis of broken variants."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

from eloqua_conformance.mock import Identity, Operation, SegmentService, client_for, default_config
from eloqua_conformance.mock.messages import JsonObject, Response
from eloqua_conformance.mock.variants import state as variants_state

ADMIN, READER = default_config().identities
COPY_1 = "/assets/contact/segment/1/copy"
DOC = Path(__file__).parents[1] / "docs" / "reference-mock.md"


class Permissive(SegmentService):
    """Breaks AUTHZ-01: everyone may create."""

    def authorize(self, identity: Identity, operation: Operation) -> bool:
        return True


class AnswersOk(SegmentService):
    """Breaks SHAPE-01: 200 instead of 201."""

    def respond(self, status: int, payload: JsonObject) -> Response:
        return super().respond(200 if status == 201 else status, payload)


class ReusesIds(SegmentService):
    """Breaks SHAPE-03: every copy gets the same id."""

    def next_id(self) -> str:
        return "5"


def test_permissive_lets_the_reader_copy_and_nothing_else_changes() -> None:
    with client_for(Permissive(), READER) as reader:
        assert reader.post(COPY_1, json={}).status_code == 201
        assert reader.post("/assets/contact/segment/x/copy", json={}).status_code == 400
    with client_for(Permissive()) as anonymous:
        assert anonymous.post(COPY_1, json={}).status_code == 401


def test_answers_ok_changes_only_the_success_status() -> None:
    with client_for(AnswersOk(), ADMIN) as admin:
        response = admin.post(COPY_1, json={"name": "n"})
        assert (response.status_code, response.json()["name"]) == (200, "n")
        assert admin.post(COPY_1, content=b"{").status_code == 415


def test_reusing_ids_overwrites_earlier_copies() -> None:
    service = ReusesIds()
    with client_for(service, ADMIN) as admin:
        first, second = (admin.post(COPY_1, json={"name": n}).json() for n in ("a", "b"))
    assert first["id"] == second["id"] == "5"
    assert service.segment_ids() == {"1", "5"}


def test_every_documented_extension_point_is_a_public_method() -> None:
    section = DOC.read_text().split("## Making a broken variant", 1)[1].split("```", 1)[0]
    names = re.findall(r"`([a-z_]+)`", section)
    assert len(names) >= 15
    for name in names:
        assert callable(getattr(SegmentService, name, None)), name


def test_racy_id_counter_gives_concurrent_copies_one_id_and_never_sets_its_counter_back(monkeypatch) -> None:
    """The race decides only whether ids are shared, never what later copies get, so the kill rate stays exact.

    Written back as read, a slow request's counter went back below ids already handed out; which later copy
    reused one (and overwrote its stored segment) was then up to the scheduler.
    """
    paused, resumed = threading.Event(), threading.Event()

    def pause(seconds: float) -> None:  # the slow request's round trip lasts until the other has taken two ids
        if threading.current_thread().name.startswith("slow"):
            paused.set()
            assert resumed.wait(30)

    monkeypatch.setattr(variants_state, "time", SimpleNamespace(sleep=pause))
    service = variants_state.RacyIdCounter()
    with ThreadPoolExecutor(1, thread_name_prefix="slow") as pool:
        slow = pool.submit(service.next_id)
        assert paused.wait(30)
        first, second = service.next_id(), service.next_id()
        resumed.set()
        shared = slow.result(30)
    assert shared == first != second, "the concurrent pair shares an id; the request after it does not"
    assert service.next_id() not in {first, second}, "the counter went back: an id is handed out again"
