"""RO: read-only and server-set properties sent in the copy body are ignored, not an error and not honoured."""

import pytest

from eloqua_conformance.checks import Context, ro
from eloqua_conformance.fixtures import copy_of

# Distinctive values nobody's server would produce by itself.
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
DESCRIBED = {
    "type": "NotAContactSegment",
    "permissions": ["ConformanceSuiteOnly"],
    "count": "424242",
    "lastCalculatedAt": "1000000004",
}
SERVER_SET = {
    "createdByName": "Conformance Suite Impostor",
    "updatedByName": "Conformance Suite Impostor",
    "isStale": "maybe",
    "dependencyName": "conformance-suite-dependency",
}


@pytest.mark.requirement("RO-01")
def test_flagged_read_only_properties_are_not_honoured(run, source):
    ro.flagged_read_only_not_honoured(Context(), copy_of(run, source, "read-only", **FLAGGED))


@pytest.mark.requirement("RO-01")
def test_the_body_does_not_choose_the_depth_of_the_answer(run, source):
    # Each value in its own request: a server that renders the copy at the depth the body names shows here.
    copies = tuple(copy_of(run, source, f"depth-{depth}", depth=depth) for depth in ("minimal", "partial", "complete"))
    ro.depth_not_honoured(Context(exchanges=copies), None)


@pytest.mark.requirement("RO-02")
def test_properties_read_only_by_description_are_not_honoured(run, source):
    ro.described_read_only_not_honoured(Context(), copy_of(run, source, "read-only", **DESCRIBED))


@pytest.mark.requirement("RO-03")
def test_server_set_names_and_flags_are_not_honoured(run, source):
    ro.server_set_not_honoured(Context(), copy_of(run, source, "server-set", **SERVER_SET))
