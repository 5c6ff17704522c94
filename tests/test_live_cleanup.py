"""Nothing left behind: after failing, passing and interrupted runs the target's store is as it was."""

import json
import re
import signal
import threading
from dataclasses import dataclass

import pytest
from _live import AUTH, SUBSET, Finished, Recording, run_suite, side_by_side, start_suite, store, wait_for

from eloqua_conformance.mock import MockConfig, running_server
from eloqua_conformance.mock.messages import json_response
from eloqua_conformance.mock.seed import default_seed

OLD = "1500000000"  # 2017: before any run of this suite
LEFTOVER = {"id": "50", "name": "ecs-0badc0de-leftover", "createdAt": OLD, "updatedAt": OLD}
UNRELATED = ({"id": "60", "name": "Quarterly newsletter audience", "createdAt": OLD, "updatedAt": OLD},
             {"id": "61", "name": "ecs-notes (not a run prefix)", "createdAt": OLD, "updatedAt": OLD})  # fmt: skip
_CREATED = re.compile(r"segments: (\d+) created and (\d+) deleted by this run")
INTERRUPT_AFTER = {signal.SIGINT: 5, signal.SIGTERM: 25}  # copies the server has made when the signal is sent


class FailsFirstDelete(Recording):
    """Breaks STATUS-01 on purpose: the first DELETE of each id answers 500 and deletes nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock, self._refused = threading.Lock(), set()

    def answer(self, request):
        if request.method == "DELETE":
            with self._lock:
                first = request.path not in self._refused
                self._refused.add(request.path)
            if first:
                return json_response(500, [{"type": "ServerError", "message": "try again later"}])
        return super().answer(request)


@dataclass
class Outcome:
    result: Finished
    service: Recording
    before: dict
    report_dir: object


def _run(tmp_path, service, *args):
    before = store(service)
    with running_server(service) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, f"--report-dir={tmp_path}", *args)
    return Outcome(result, service, before, tmp_path)


def _interrupted(tmp_path, signum):
    service = Recording(MockConfig(seed_segments=(*default_seed(), LEFTOVER, *UNRELATED)))
    before = store(service)
    with running_server(service) as url:
        child = start_suite("--target-url", url, "--auth", AUTH, f"--report-dir={tmp_path}")
        try:
            copies = INTERRUPT_AFTER[signum]
            wait_for(lambda: service.copies_created() >= copies or child.poll() is not None, 60, "copies")
            assert child.poll() is None, "the run ended before it could be interrupted"
            child.send_signal(signum)
            stdout, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    return Outcome(Finished(child.returncode, stdout, stderr, 0.0), service, before, tmp_path)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    def seeded(service_class):
        return service_class(MockConfig(seed_segments=(*default_seed(), LEFTOVER, *UNRELATED)))

    jobs = {
        # The whole suite, property-based and stateful tests included, failing; no --sweep.
        "failing": lambda: _run(tmp_path_factory.mktemp("failing"), seeded(FailsFirstDelete)),
        "passing": lambda: _run(tmp_path_factory.mktemp("passing"), seeded(Recording), *SUBSET),
        "sweep": lambda: _run(tmp_path_factory.mktemp("sweep"), seeded(Recording), "--sweep", *SUBSET),
        "SIGINT": lambda: _interrupted(tmp_path_factory.mktemp("sigint"), signal.SIGINT),
        "SIGTERM": lambda: _interrupted(tmp_path_factory.mktemp("sigterm"), signal.SIGTERM),
    }
    with side_by_side(jobs) as futures:
        yield futures


def _counts(stdout):
    found = _CREATED.search(stdout)
    assert found, stdout[-3000:]
    return int(found.group(1)), int(found.group(2))


def _created_ids(service):
    return {json.loads(seen.body)["id"] for seen in service.seen if seen.method == "POST" and seen.status == 201}


def test_failing_run_whose_deletes_fail_once_leaves_the_store_as_found(runs):
    outcome = runs["failing"].result()
    result, service = outcome.result, outcome.service
    assert result.returncode == 1, result.tail()
    assert "FAIL           STATUS-01 (MUST)" in result.stdout  # the 500s to DELETE, as it should
    assert store(service) == outcome.before, result.tail()
    assert {LEFTOVER["id"], *(segment["id"] for segment in UNRELATED)} <= service.segment_ids(), "no --sweep: kept"
    assert "LEFT BEHIND" not in result.stdout
    created = _created_ids(service)
    assert _counts(result.stdout) == (len(created), len(created))
    # Every id was deleted after one refusal: the clean-up retried, and deleted nothing it did not create.
    deletes = [seen for seen in service.seen if seen.method == "DELETE"]
    assert {seen.segment_id for seen in deletes if seen.status == 200} == created
    assert {seen.segment_id for seen in deletes} == created
    # The property-based and stateful tests ran and made segments of their own, and those went too.
    report = json.loads((outcome.report_dir / "conformance.json").read_text())
    outcomes = {entry["id"]: entry["outcome"] for entry in report["requirements"]}
    assert outcomes["PROP-01"] != "not-exercised" and outcomes["STATE-01"] != "not-exercised"
    names = [json.loads(seen.body)["name"] for seen in service.seen if seen.status == 201]
    assert any("-state-source-" in name for name in names)
    assert len(created) >= 20, "a full run (sources, copies, property-based and stateful) makes dozens"


def test_passing_run_leaves_the_store_as_found(runs):
    outcome = runs["passing"].result()
    result, service = outcome.result, outcome.service
    assert result.returncode == 0, result.tail()
    assert store(service) == outcome.before, result.tail()
    created = _created_ids(service)
    assert created and _counts(result.stdout) == (len(created), len(created))
    assert "swept" not in result.stdout and "LEFT BEHIND" not in result.stdout


def test_passing_run_with_sweep_deletes_only_the_old_prefixed_leftover(runs):
    outcome = runs["sweep"].result()
    result, service = outcome.result, outcome.service
    assert result.returncode == 0, result.tail()
    created = _created_ids(service)
    assert created and _counts(result.stdout) == (len(created), len(created))
    expected = {segment_id: segment for segment_id, segment in outcome.before.items() if segment_id != LEFTOVER["id"]}
    assert store(service) == expected, result.tail()
    assert "; 1 leftovers of earlier runs swept" in result.stdout
    # The sweep lists at the start and again at the end, after the clean-up.
    lists = [i for i, seen in enumerate(service.seen) if seen.path.endswith("/segments")]
    last_delete = max(i for i, seen in enumerate(service.seen) if seen.method == "DELETE")
    assert lists[-1] > last_delete and len(lists) >= 3  # preflight, start sweep, end sweep


@pytest.mark.parametrize("signum", list(INTERRUPT_AFTER), ids=lambda signum: signal.Signals(signum).name)
def test_interrupted_run_cleans_up(runs, signum):
    outcome = runs[signal.Signals(signum).name].result()
    result, service = outcome.result, outcome.service
    assert result.returncode == pytest.ExitCode.INTERRUPTED, result.tail()
    assert f"KeyboardInterrupt: signal {int(signum)}" in result.stdout
    assert store(service) == outcome.before, result.tail()
    created = _created_ids(service)
    assert len(created) >= INTERRUPT_AFTER[signum] and _counts(result.stdout) == (len(created), len(created))
    assert "LEFT BEHIND" not in result.stdout
