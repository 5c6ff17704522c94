"""STATUS: across the whole run, no unrequested 5xx, clean error bodies, and every documented status seen."""

from collections import Counter

import pytest

from eloqua_conformance import checks
from eloqua_conformance.fixtures import not_exercised

pytestmark = pytest.mark.whole_run


def _copy_exchanges(run):
    return [e for e in run.recorder.snapshot() if e.method == "POST" and e.url.split("?")[0].endswith("/copy")]


@pytest.mark.requirement("STATUS-01")
def test_no_request_gets_a_5xx_it_did_not_ask_for(run):
    for exchange in run.recorder.snapshot():
        checks.status_01_no_unrequested_5xx(exchange)


@pytest.mark.requirement("STATUS-02")
def test_every_documented_status_was_observed(run):
    counts = Counter(exchange.status for exchange in _copy_exchanges(run))
    reachable = {201, 400, 401, 404}
    unreachable = []
    if run.forbidden is not None:
        reachable.add(403)
    else:
        unreachable.append("403 needs --forbidden-auth")
    if run.settings.fault_injection:
        reachable.add(500)
    else:
        unreachable.append("500 needs --fault-injection")
    checks.status_02_every_status_observed(counts, reachable)
    if unreachable:
        not_exercised("; ".join(unreachable))


@pytest.mark.requirement("STATUS-03")
def test_error_bodies_are_json_or_empty(run):
    for exchange in run.recorder.snapshot():
        checks.status_03_error_body_json_or_empty(exchange)


@pytest.mark.requirement("SHAPE-03")
def test_no_id_is_handed_out_twice_in_the_run(run):
    seen: set[str] = set()
    for exchange in run.recorder.snapshot():
        body = exchange.json() if 200 <= exchange.status < 300 else None
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            continue
        if exchange.method == "POST" and exchange.status == 201 and "/copy" in exchange.url:
            checks.shape_03_new_id(exchange, exchange.url.rsplit("/copy", 1)[0].rsplit("/", 1)[-1], seen)
        seen.add(body["id"])
