"""AUTHZ: an identity that may read but not create gets 403, and its copy creates nothing, under any name."""

import pytest

from eloqua_conformance.checks import Context, authz
from eloqua_conformance.fixtures import refusals_leave_no_trace


@pytest.mark.requirement("AUTHZ-01")
def test_identity_that_may_not_create_gets_403(run, forbidden_api, source):
    authz.forbidden_identity(Context(), forbidden_api.copy(source["id"], {"name": run.name("forbidden")}))


@pytest.mark.requirement("AUTHZ-02")
@pytest.mark.parametrize("body", ["named", "unnamed"])
def test_forbidden_copy_creates_nothing(run, forbidden_api, source, body):
    # Judged by the run's segments before and after, not by the name asked for: a server that stores the
    # refused copy under another name ("Copy of" the source, say) shows too.
    with refusals_leave_no_trace(run, authz.forbidden_copy_creates_nothing):
        forbidden_api.copy(source["id"], {"name": run.name("forbidden")} if body == "named" else {})
