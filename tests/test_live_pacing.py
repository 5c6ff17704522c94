"""Pacing: --max-rps holds, measured by the server; 429 and 503 are waited out, retried boundedly, reported."""

import itertools
import re
import threading
import time
from functools import partial
from typing import ClassVar

import pytest
from _live import AUTH, SUBSET, Recording, run_suite, side_by_side

from eloqua_conformance.client import MAX_RETRIES
from eloqua_conformance.mock import default_config, running_server
from eloqua_conformance.mock.messages import json_response

CAP = 25.0


class Throttles(Recording):
    """Answers some copies 429 or 503 once (with and without Retry-After), and one copy 429 every time."""

    ONCE: ClassVar = {2: (429, "1"), 4: (429, None), 6: (503, "1"), 8: (503, None)}  # nth copy: status, Retry-After
    ALWAYS = 10

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._numbers = {}
        self.attempts = {}  # nth distinct copy -> [(arrival, status)] of each attempt at it

    def answer(self, request):
        if request.method != "POST" or not request.path.endswith("/copy"):
            return super().answer(request)
        arrived = time.monotonic()
        key = (request.path, request.body, request.header("authorization"))  # a retry is the same request again
        with self._lock:
            number = self._numbers.setdefault(key, len(self._numbers) + 1)
            attempts = self.attempts.setdefault(number, [])
        if number == self.ALWAYS or (number in self.ONCE and not attempts):
            status, after = self.ONCE.get(number, (429, "1"))
            headers = (("retry-after", after),) if after else ()
            response = json_response(status, [{"type": "TooManyRequests", "message": "slow down"}], headers)
        else:
            response = super().answer(request)
        with self._lock:
            attempts.append((arrived, response.status))
        return response


def _paced(tmp_path):
    service = Recording(default_config())
    with running_server(service) as url:
        result = run_suite("--target-url", url, "--auth", AUTH, f"--max-rps={CAP:g}", f"--report-dir={tmp_path}",
                           *SUBSET)  # fmt: skip
    return result, service


def _throttled(tmp_path):
    service = Throttles(default_config())
    with running_server(service) as url:
        # --strict: whichever requirement the copy that stays throttled belongs to, its failure fails the run.
        result = run_suite("--target-url", url, "--auth", AUTH, "--conformance-strict", f"--report-dir={tmp_path}",
                           "eloqua_conformance/suite/test_authn.py")  # fmt: skip
    return result, service


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    # The throttled run spends its time waiting out Retry-After, so it barely disturbs the paced one.
    jobs = {"paced": partial(_paced, tmp_path_factory.mktemp("paced")),
            "throttled": partial(_throttled, tmp_path_factory.mktemp("throttled"))}  # fmt: skip
    with side_by_side(jobs) as futures:
        yield futures


def test_max_rps_is_honoured_across_the_run(runs):
    result, service = runs["paced"].result()
    assert result.returncode == 0, result.tail()
    arrivals = [seen.at for seen in service.seen]
    assert len(arrivals) >= 30, "too few requests to measure a rate"
    rate = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert CAP * 0.9 <= rate <= CAP * 1.1, f"{len(arrivals)} requests at {rate:.2f}/s with --max-rps={CAP:g}"
    # No burst either: the cap spaces every pair of requests, not just the average. The first request also
    # opens the connection, so under load it can arrive late and seem close to the second: its gap is noise.
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals[1:])]
    assert min(gaps) > 0.25 / CAP, f"two requests {min(gaps) * 1000:.0f} ms apart"


def test_429_and_503_are_waited_out_retried_a_bounded_number_of_times_and_reported(runs):
    result, service = runs["throttled"].result()
    for number, (status, _) in Throttles.ONCE.items():
        (first, first_status), (retry, retry_status) = service.attempts[number]
        assert first_status == status and retry_status not in (429, 503), service.attempts[number]
        assert retry - first >= 0.9, f"copy {number}: retried {retry - first:.2f} s after its {status}, not 1 s"
    always = service.attempts[Throttles.ALWAYS]
    assert [status for _, status in always] == [429] * (1 + MAX_RETRIES), "retried a bounded number of times"
    assert all(later - earlier >= 0.9 for (earlier, _), (later, _) in itertools.pairwise(always))

    retried = re.findall(r"^RETRIED +(\d{3}) on POST \S+/copy: retry (\d) after 1 s$", result.stdout, re.MULTILINE)
    once = [(str(status), "1") for status, _ in Throttles.ONCE.values()]
    assert sorted(retried) == sorted(once + [("429", str(n)) for n in range(1, MAX_RETRIES + 1)]), result.tail()
    # The copy that never got past 429 fails its requirement, with the 429 as what came back.
    assert result.returncode == 1, result.tail()
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAIL ")]
    assert len(failed) == 1 and "429" in failed[0], result.tail()
