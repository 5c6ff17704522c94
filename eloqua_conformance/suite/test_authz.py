"""AUTHZ: an identity that may read but not create gets 403, and its copy creates nothing."""

import pytest

from eloqua_conformance import checks


@pytest.mark.requirement("AUTHZ-01")
def test_identity_that_may_not_create_gets_403(run, forbidden_api, source):
    checks.authz_01_forbidden_identity(forbidden_api.copy(source["id"], {"name": run.name("forbidden")}))


@pytest.mark.requirement("AUTHZ-02")
def test_forbidden_copy_creates_nothing(run, forbidden_api, source):
    name = run.name("forbidden")
    forbidden_api.copy(source["id"], {"name": name})
    checks.authz_02_forbidden_copy_creates_nothing(run.api.search(name), name)
