"""SEM: a copy leaves its source alone, honours the name (or refuses it, never alters it), and carries the source's
elements with all their content, judged on the copy retrieved at depth complete."""

import pytest

from eloqua_conformance.checks import Context, sem
from eloqua_conformance.fixtures import copied, copy_of


@pytest.mark.requirement("SEM-01")
def test_copying_leaves_the_source_unchanged(run, api, source):
    before = api.retrieve(source["id"])
    # A body full of other values: a server that applied it to the source would show here.
    copy_of(run, source, "sem-01", description="changed by a copy", elements=[], currentStatus="Active")
    sem.source_unchanged(Context(before=before, after=api.retrieve(source["id"])), None)


@pytest.mark.requirement("SEM-02")
@pytest.mark.parametrize(
    "suffix",
    [" spaced  out name ", "Ünïcödé 名前 сегмент ✓ 🚀", "x" * 100, "quotes \" ' and \\ backslash"],
    ids=["spaces", "unicode", "long", "quotes"],
)
def test_name_is_honoured_exactly(run, source, identity, suffix):
    exchange, context = copied(run, source, identity, name=run.prefix + suffix)
    sem.name_honoured(context, exchange)


@pytest.mark.requirement("SEM-03")
def test_copy_without_a_name_still_gets_one(run, source, identity):
    exchange, context = copied(run, source, identity, body={})
    sem.default_name(context, exchange)


@pytest.mark.requirement("SEM-04")
def test_copy_mirrors_the_source_elements(standard_copy):
    exchange, context = standard_copy  # the context holds the source and the copy, both at depth complete
    sem.elements_mirror(context, exchange)


@pytest.mark.requirement("SEM-05")
def test_copied_filters_and_lists_carry_the_source_content(standard_copy):
    exchange, context = standard_copy
    sem.elements_content(context, exchange)
