"""Never touch what it did not create: every request of a full run, as the server saw it."""

import json

from _live import AUTH, FORBIDDEN, Recording, run_suite, store

from eloqua_conformance.mock import MockConfig, running_server
from eloqua_conformance.mock.seed import default_seed

OLD = "1500000000"
# Segments the run must leave alone: one even carries another run's prefix (no --sweep here).
OTHERS = ({"id": "50", "name": "ecs-0badc0de-leftover", "createdAt": OLD, "updatedAt": OLD},
          {"id": "60", "name": "Quarterly newsletter audience", "createdAt": OLD, "updatedAt": OLD})  # fmt: skip


def _frozen(segment):
    return json.dumps(segment, sort_keys=True).encode()


def test_full_run_with_source_segment_id_touches_only_what_it_created(tmp_path):
    service = Recording(MockConfig(seed_segments=(*default_seed(), *OTHERS)))
    (source,) = (segment["id"] for segment in default_seed())
    before, source_bytes = store(service), _frozen(service.get(source))
    with running_server(service) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, "--forbidden-auth", FORBIDDEN, "--fault-injection",
                           f"--source-segment-id={source}", f"--report-dir={tmp_path}")  # fmt: skip
    assert result.returncode == 0, result.tail()
    seen = service.seen
    assert len(seen) > 100, "a full run sends far more requests than this"

    assert {request.method for request in seen} <= {"GET", "POST", "DELETE"}, "no PUT, PATCH or anything else"
    created = set()
    for request in seen:  # in the order the server answered them
        if request.method == "POST" and request.status == 201:
            created.add(json.loads(request.body)["id"])
        if request.method == "DELETE":
            assert request.segment_id in created, f"DELETE of {request.path}, which no 201 of this run created"
    assert created, "the run created nothing, so this proves nothing"

    on_source = [request for request in seen if request.segment_id == source]
    assert {(request.method, request.is_copy) for request in on_source} == {("GET", False), ("POST", True)}
    assert _frozen(service.get(source)) == source_bytes
    assert store(service) == before
