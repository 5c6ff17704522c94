"""The cases every "a refused request creates nothing" check is tried with (AUTHN-09, AUTHZ-02, NOTFOUND-03,
VALID-14, FAULT-01): the run's segments before and after, and what each check must say."""

from __future__ import annotations

import pytest
from _respx_api import copy_answered, expect_failure, json_response, listing

from eloqua_conformance.checks import Context

BEFORE = listing(("12", "ecs-1-source"), ("40", "ecs-1-copy-3"))
UNCHANGED = [
    pytest.param(BEFORE, BEFORE, id="same"),
    pytest.param(BEFORE, listing(("12", "ecs-1-source")), id="one-deleted"),
    pytest.param(listing(), listing(), id="none-either-side"),
]
ADDED = [
    pytest.param(
        listing(*BEFORE.segments, ("41", "ecs-1-forbidden-4")), "'41': 'ecs-1-forbidden-4'", id="requested-name"
    ),
    pytest.param(listing(*BEFORE.segments, ("42", "Copy of ecs-1-source")), "'42'", id="another-name"),
    pytest.param(listing(("12", "ecs-1-source"), ("43", "ecs-1-copy-3")), "'43'", id="one-replaced"),
]


def assert_unchanged(check, before, after):
    sent = copy_answered(json_response(401, [{"type": "Unauthorized"}]))
    check(Context(listing_before=before, listing_after=after, exchanges=(sent,)), None)


def assert_added(requirement_id, check, after, shown):
    sent = copy_answered(json_response(403, [{"type": "Forbidden"}]))
    context = Context(listing_before=BEFORE, listing_after=after, exchanges=(sent,))
    failure = expect_failure(requirement_id, check, context, None)
    assert failure.expected == "no new segment: 2 carried the run's prefix before"
    assert shown in failure.actual
    assert failure.exchanges[0] is sent  # the refused request is the evidence


def assert_unreadable(requirement_id, check):
    context = Context(listing_before=BEFORE, listing_after=listing(problem="GET .../segments answered 500"))
    failure = expect_failure(requirement_id, check, context, None)
    assert failure.actual == "GET .../segments answered 500"
