"""Faults: a target that fails at the network level ends the run in bounded time with one clear line.

A connection refused before anything was sent is tests/test_suite_end_to_end.py's
test_closed_port_exits_2_quickly_with_one_line. Here the target fails mid-run, after HEALTHY good answers
(a garbled first answer is the one case at the start). The runs are independent and spend most of their
time starting pytest, so they run side by side.
"""

import json
import re
from functools import partial

import pytest
from _fault_servers import FaultServer, closing_mock
from _live import AUTH, SUBSET, run_suite, side_by_side

from eloqua_conformance.mock import SegmentService

HEALTHY = 12  # answers before the fault: past preflight and set-up, into the copy tests
BOUND = 60  # seconds a case may take, child start-up included
# name -> (fault, answers before it, how many faulty answers (None: all), extra options, the fault as reported)
CASES = {
    "listener-closed": ("close", HEALTHY, None, [], r"ConnectError: \[Errno 111\] Connection refused"),
    "reset-mid-response": ("reset", HEALTHY, None, [], r"(ReadError|RemoteProtocolError): .*(reset|peer closed)"),
    "stall-past-timeout": ("stall", HEALTHY, None, ["--request-timeout=1"],
                           r"ReadTimeout: no complete response within 1 s \(--request-timeout\)"),
    "garbage-mid-run": ("garbage", HEALTHY, None, [], r"RemoteProtocolError: illegal status line"),
    "garbage-at-start": ("garbage", 0, None, [], r"RemoteProtocolError: illegal status line"),
    "garbage-once": ("garbage", HEALTHY, 1, ["--conformance-strict"], r"RemoteProtocolError: illegal status line"),
}  # fmt: skip


REPORTS = ("conformance.json", "junit.xml", "conformance.html", "summary.md")
_DIRS = {}


def result_dir(name):
    return _DIRS[name]


def _run(tmp_path, name):
    fault, healthy, times, extra, _ = CASES[name]
    _DIRS[name] = tmp_path / name
    args = [f"--report-dir={tmp_path / name}", "--auth", AUTH, *extra, *SUBSET]
    if fault == "close":
        with closing_mock(healthy) as (url, _):
            return run_suite("--target-url", url, *args, timeout=BOUND * 2)
    with FaultServer(SegmentService(), fault, healthy, times) as server:
        return run_suite("--target-url", server.url, *args, timeout=BOUND * 2)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("faults")
    with side_by_side({name: partial(_run, tmp_path, name) for name in CASES}, workers=3) as futures:
        yield futures


@pytest.mark.parametrize("name", [name for name, case in CASES.items() if case[2] is None])
def test_target_that_stops_answering_gives_exit_2_and_one_line_naming_the_fault(outcomes, name):
    result, fault = outcomes[name].result(), CASES[name][4]
    assert result.returncode == 2, result.tail()
    assert result.seconds < BOUND
    assert "Traceback" not in result.output
    reasons = [line for line in result.output.splitlines() if re.search("target stopped answering|unreachable", line)]
    assert len(reasons) == 1, result.tail()
    assert reasons[0].startswith("UNTESTABLE "), reasons[0]
    assert re.search(f"network fault: {fault}", reasons[0]), reasons[0]
    # Every report says so too: the verdict is untestable, with the reason, and the run was cut short.
    report = json.loads((result_dir(name) / "conformance.json").read_text(encoding="utf-8"))
    assert report["verdict"] == "untestable" and re.search(f"network fault: {fault}", report["untestable"])
    assert report["cut_short"] and all((result_dir(name) / f).is_file() for f in REPORTS)


def test_one_garbled_answer_fails_its_requirement_naming_the_fault(outcomes):
    result, fault = outcomes["garbage-once"].result(), CASES["garbage-once"][4]
    assert result.returncode == 1, result.tail()
    assert result.seconds < BOUND
    assert "Traceback" not in result.output
    # The run went on; the one requirement whose request got garbage says so, by ID, on one line.
    failed = [
        line for line in result.stdout.splitlines() if re.match(r"(FAIL|ERROR) +[A-Z]+-\d\d \((MUST|SHOULD)\)", line)
    ]
    assert len(failed) == 1, result.tail()
    assert re.search(f"network fault: {fault}", failed[0]), failed[0]
    assert "target stopped answering" not in result.output
