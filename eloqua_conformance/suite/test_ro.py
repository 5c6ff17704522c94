"""RO: read-only properties sent in the copy body are ignored, not an error and not honoured."""

import pytest

from eloqua_conformance import checks
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


@pytest.mark.requirement("RO-01")
def test_flagged_read_only_properties_are_not_honoured(run, source):
    checks.ro_01_flagged_read_only_not_honoured(copy_of(run, source, "read-only", **FLAGGED))


@pytest.mark.requirement("RO-02")
def test_properties_read_only_by_description_are_not_honoured(run, source):
    checks.ro_02_described_read_only_not_honoured(copy_of(run, source, "read-only", **DESCRIBED))
