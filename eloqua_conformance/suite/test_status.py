"""STATUS: across the run, no unrequested 5xx, no HTML or stack trace in errors, and every documented status seen."""

from collections import Counter

import pytest

from eloqua_conformance.checks import Context, shape, status
from eloqua_conformance.checks._common import body_of
from eloqua_conformance.fixtures import not_exercised

pytestmark = pytest.mark.whole_run
NONE = Context()


# The requirement whose tests are there to provoke each documented status: a run that did not select it
# cannot be expected to have seen the status.
PROVOKED_BY = {201: "SHAPE-01", 400: "VALID-01", 401: "AUTHN-01", 403: "AUTHZ-01", 404: "NOTFOUND-01", 500: "FAULT-01"}


def _copy_exchanges(run):
    return [e for e in run.recorder.snapshot() if e.method == "POST" and e.url.split("?")[0].lower().endswith("/copy")]


@pytest.mark.requirement("STATUS-01")
def test_no_request_gets_a_5xx_it_did_not_ask_for(run):
    if not _copy_exchanges(run):
        not_exercised("the run sent no copy request")
    for exchange in run.recorder.snapshot():
        status.no_unrequested_5xx(NONE, exchange)


@pytest.mark.requirement("STATUS-02")
def test_every_documented_status_was_observed(run):
    counts = Counter(exchange.status for exchange in _copy_exchanges(run))
    reachable = {code for code, rid in PROVOKED_BY.items() if rid in run.selected}
    unreachable = [f"{code} ({rid} not selected)" for code, rid in PROVOKED_BY.items() if rid not in run.selected]
    if run.forbidden is None and 403 in reachable:
        reachable.discard(403)
        unreachable.append("403 needs --forbidden-auth")
    if not run.settings.fault_injection and 500 in reachable:
        reachable.discard(500)
        unreachable.append("500 needs --fault-injection")
    if not reachable:
        not_exercised("; ".join(unreachable))
    status.every_status_observed(Context(counts=counts, statuses=frozenset(reachable)), None)
    if unreachable:
        not_exercised("; ".join(unreachable))


@pytest.mark.requirement("STATUS-03")
def test_error_bodies_are_never_html_or_a_stack_trace(run):
    errors = [exchange for exchange in run.recorder.snapshot() if exchange.status >= 400]
    if not errors:
        not_exercised("the run provoked no error status")
    for exchange in errors:
        status.error_body_not_html_or_trace(NONE, exchange)


@pytest.mark.requirement("SHAPE-03")
def test_no_id_is_handed_out_twice_in_the_run(run):
    if not any(exchange.status == 201 for exchange in _copy_exchanges(run)):
        not_exercised("the run made no copy")
    seen: set[str] = set()
    for exchange in run.recorder.snapshot():
        body = body_of(exchange) if 200 <= exchange.status < 300 else None
        if not isinstance(body, dict) or not isinstance(body.get("id"), str):
            continue
        if exchange.method == "POST" and exchange.status == 201 and "/copy" in exchange.url.lower():
            source_id = exchange.url.lower().rsplit("/copy", 1)[0].rsplit("/", 1)[-1]
            shape.new_id(Context(source={"id": source_id}, earlier_ids=frozenset(seen)), exchange)
        seen.add(body["id"])
