"""STATE: create, copy, retrieve, copy of a copy, delete, copy of the deleted, as a Hypothesis state machine."""

import pytest
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, rule, run_state_machine_as_test

from eloqua_conformance import checks
from eloqua_conformance.fixtures import copy_of, source_body


@pytest.mark.requirement("STATE-02")
def test_a_copy_can_be_copied_and_copies_get_distinct_ids(run, source):
    first, second = copy_of(run, source, "first"), copy_of(run, source, "second")
    of_copy = copy_of(run, first.json() if first.status == 201 else source, "copy-of-copy")
    checks.state_02_copy_of_copy(first, second, of_copy)


@pytest.mark.requirement("STATE-01", "SHAPE-03", "NOTFOUND-02")
def test_segment_lifecycle_state_machine(run):
    class SegmentLifecycle(RuleBasedStateMachine):
        """Only segments this machine created are copied, retrieved and deleted."""

        segments = Bundle("segments")
        deleted = Bundle("deleted")

        def __init__(self):
            super().__init__()
            self.made = {}  # id -> the 201 exchange that created it

        @rule(target=segments)
        def create(self):
            exchange = run.api.create(source_body(run, "state-source"))
            assert exchange.status == 201, f"set-up: create failed: {exchange.summary()}"
            self.made[exchange.json()["id"]] = exchange
            return exchange.json()["id"]

        @rule(target=segments, original=segments)
        def copy(self, original):
            earlier = set(run.recorder.seen_ids)
            exchange = copy_of(run, {"id": original}, "state-copy")
            checks.shape_03_new_id(exchange, original, earlier)
            self.made[exchange.json()["id"]] = exchange
            return exchange.json()["id"]

        @rule(segment=segments)
        def retrieve(self, segment):
            checks.state_01_persistent(self.made[segment], run.api.retrieve(segment))

        @rule(target=deleted, segment=consumes(segments))
        def delete(self, segment):
            exchange = run.delete_created(segment)
            assert exchange.status in (200, 204), f"delete failed: {exchange.summary()}"
            return segment

        @rule(segment=deleted)
        def copy_deleted(self, segment):
            checks.notfound_02_deleted(copy_of(run, {"id": segment}, "copy-of-deleted"))

    run_state_machine_as_test(SegmentLifecycle)
