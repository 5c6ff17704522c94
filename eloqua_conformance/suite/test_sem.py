"""SEM: a copy leaves its source alone, honours the name and mirrors the source's elements."""

import pytest

from eloqua_conformance import checks
from eloqua_conformance.fixtures import copy_of


@pytest.mark.requirement("SEM-01")
def test_copying_leaves_the_source_unchanged(run, api, source):
    before = api.retrieve(source["id"])
    # A body full of other values: a server that applied it to the source would show here.
    copy_of(run, source, "sem-01", description="changed by a copy", elements=[], currentStatus="Active")
    checks.sem_01_source_unchanged(before, api.retrieve(source["id"]))


@pytest.mark.requirement("SEM-02")
@pytest.mark.parametrize(
    "suffix",
    [" spaced  out name ", "Ünïcödé 名前 сегмент ✓ 🚀", "x" * 100, "quotes \" ' and \\ backslash"],
    ids=["spaces", "unicode", "long", "quotes"],
)
def test_name_is_honoured_exactly(run, api, source, suffix):
    checks.sem_02_name_honoured(api.copy(source["id"], {"name": run.prefix + suffix}))


@pytest.mark.requirement("SEM-03")
def test_copy_without_a_name_still_gets_one(api, source):
    checks.sem_03_default_name(api.copy(source["id"], {}))


@pytest.mark.requirement("SEM-04")
def test_copy_mirrors_the_source_elements(source, standard_copy):
    checks.sem_04_elements_mirror(source, standard_copy)
