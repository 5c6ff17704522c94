"""RO checks: read-only and server-set values sent in a copy body are ignored, and the body does not pick the depth."""

from __future__ import annotations

import httpx
import pytest
from _respx_api import NONE, contact_segment, copy_answered, covers_fail, covers_pass, expect_failure, json_response

from eloqua_conformance.checks import Context, ro

FLAGGED = {
    "id": "987654321",
    "folderId": "987654322",
    "createdBy": "987654323",
    "createdAt": "1000000001",
    "updatedBy": "987654324",
    "updatedAt": "1000000002",
    "scheduledFor": "1000000003",
    "depth": "minimal",
}
DESCRIBED = {"permissions": ["ConformanceSuiteOnly"], "count": "424242", "lastCalculatedAt": "1000000004"}
SERVER_SET = {"createdByName": "Impostor", "updatedByName": "Impostor", "isStale": "maybe", "dependencyName": "dep"}


# --- RO-01: values ------------------------------------------------------------------------------
@covers_pass(ro.flagged_read_only_not_honoured)
def test_ro_01_passes_when_server_sets_its_own_values():
    exchange = copy_answered(json_response(201, contact_segment(count="3")), {"name": "Copy", **FLAGGED})
    ro.flagged_read_only_not_honoured(NONE, exchange)


@covers_fail(ro.flagged_read_only_not_honoured)
@pytest.mark.parametrize("key", sorted(set(FLAGGED) - {"depth"}))
def test_ro_01_fails_each_echoed_flagged_value(key):
    exchange = copy_answered(json_response(201, contact_segment(**{key: FLAGGED[key]})), {"name": "Copy", **FLAGGED})
    failure = expect_failure("RO-01", ro.flagged_read_only_not_honoured, NONE, exchange)
    assert failure.actual == f"the copy carries the sent { ({key: FLAGGED[key]})!r}"


def test_ro_01_tolerates_the_sent_depth_in_one_copy():
    # depth has three possible values; one copy rendered at the sent one is no evidence of honouring it.
    exchange = copy_answered(json_response(201, contact_segment(depth=FLAGGED["depth"])), {"name": "Copy", **FLAGGED})
    ro.flagged_read_only_not_honoured(NONE, exchange)


def test_ro_01_fails_a_copy_that_did_not_succeed():
    exchange = copy_answered(httpx.Response(400, json={"type": "ObjectValidationError"}), {"name": "x", **FLAGGED})
    assert expect_failure("RO-01", ro.flagged_read_only_not_honoured, NONE, exchange).expected == "status 201"


# --- RO-01: depth, by difference -----------------------------------------------------------------
def _three(answered):
    """Three copies whose bodies name minimal, partial and complete, answered at `answered[depth]`."""
    return tuple(
        copy_answered(json_response(201, contact_segment(**answered(depth))), {"name": f"c-{depth}", "depth": depth})
        for depth in ("minimal", "partial", "complete")
    )


@covers_pass(ro.depth_not_honoured)
@pytest.mark.parametrize(
    "answered",
    [lambda depth: {"depth": "complete"}, lambda depth: {"depth": "minimal"}, lambda depth: {"depth": None}],
    ids=["always-complete", "always-minimal", "no-depth-same-properties"],
)
def test_ro_01_passes_copies_answered_alike_whatever_depth_the_body_names(answered):
    ro.depth_not_honoured(Context(exchanges=_three(answered)), None)


@covers_fail(ro.depth_not_honoured)
def test_ro_01_fails_copies_answered_at_the_depth_each_body_named():
    copies = _three(lambda depth: {"depth": depth})
    failure = expect_failure("RO-01", ro.depth_not_honoured, Context(exchanges=copies), None)
    assert failure.actual == "sent minimal -> 'minimal', sent partial -> 'partial', sent complete -> 'complete'"
    assert failure.exchanges == copies


def test_ro_01_fails_copies_without_depth_whose_properties_follow_the_body():
    copies = _three(
        lambda depth: {"depth": None, "elements": None if depth == "minimal" else contact_segment()["elements"]}
    )
    expect_failure("RO-01", ro.depth_not_honoured, Context(exchanges=copies), None)


def test_ro_01_fails_a_depth_copy_that_was_refused():
    copies = (*_three(lambda depth: {"depth": "complete"})[:2], copy_answered(json_response(400, [{"type": "x"}])))
    assert expect_failure("RO-01", ro.depth_not_honoured, Context(exchanges=copies), None).expected == "status 201"


# --- RO-02 ------------------------------------------------------------------------------------
@covers_pass(ro.described_read_only_not_honoured)
def test_ro_02_passes_when_type_and_server_values_stand():
    sent = {"name": "Copy", "type": "NotAContactSegment", **DESCRIBED}
    exchange = copy_answered(json_response(201, contact_segment(count="0", lastCalculatedAt="1764180000")), sent)
    ro.described_read_only_not_honoured(NONE, exchange)


@covers_fail(ro.described_read_only_not_honoured)
@pytest.mark.parametrize("key", sorted(DESCRIBED))
def test_ro_02_fails_each_echoed_described_value(key):
    sent = {"name": "Copy", "type": "NotAContactSegment", **DESCRIBED}
    exchange = copy_answered(json_response(201, contact_segment(**{key: DESCRIBED[key]})), sent)
    assert repr(key) in expect_failure("RO-02", ro.described_read_only_not_honoured, NONE, exchange).actual


def test_ro_02_fails_an_honoured_type():
    sent = {"name": "Copy", "type": "NotAContactSegment"}
    exchange = copy_answered(json_response(201, contact_segment(type="NotAContactSegment")), sent)
    failure = expect_failure("RO-02", ro.described_read_only_not_honoured, NONE, exchange)
    assert failure.actual == "type 'NotAContactSegment'"


# --- RO-03 ------------------------------------------------------------------------------------
@covers_pass(ro.server_set_not_honoured)
def test_ro_03_passes_server_set_names_and_flags():
    answer = contact_segment(createdByName="Jane Doe", updatedByName="Jane Doe", isStale="false")
    ro.server_set_not_honoured(NONE, copy_answered(json_response(201, answer), {"name": "Copy", **SERVER_SET}))


@covers_fail(ro.server_set_not_honoured)
@pytest.mark.parametrize("key", sorted(SERVER_SET))
def test_ro_03_fails_each_echoed_server_set_value(key):
    exchange = copy_answered(json_response(201, contact_segment(**{key: SERVER_SET[key]})), {"name": "C", **SERVER_SET})
    assert repr(key) in expect_failure("RO-03", ro.server_set_not_honoured, NONE, exchange).actual
