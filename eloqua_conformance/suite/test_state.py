"""STATE: what a copy answered is what was stored, through copies of copies, a deleted source, a burst of concurrent
copies, and a Hypothesis state machine of create, copy, retrieve, delete and copy of the deleted."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, rule, run_state_machine_as_test

from eloqua_conformance.checks import Context, notfound, shape, state
from eloqua_conformance.checks._common import body_of
from eloqua_conformance.fixtures import copied, copy_of, delete_created_since, listing, source_body

BURST = 8  # concurrent copies: enough to show a racy id counter, bounded for a live target


@pytest.mark.requirement("STATE-01")
def test_what_the_copy_answered_is_what_was_stored(standard_copy):
    exchange, context = standard_copy  # the context holds the copy retrieved at depth complete
    state.persistent(context, exchange)


@pytest.mark.requirement("STATE-02", "STATE-01")
def test_a_copy_can_be_copied_and_copies_get_distinct_ids(run, source, identity):
    first, first_context = copied(run, source, identity, "first")
    second = copy_of(run, source, "second")
    first_body = body_of(first_context.retrieved) if first_context.retrieved is not None else None
    of_copy, of_copy_context = copied(run, first_body if isinstance(first_body, dict) else source, identity, "of-copy")
    judged = Context(exchanges=(first, second, of_copy), source=first_body if isinstance(first_body, dict) else None,
                     retrieved=of_copy_context.retrieved)  # fmt: skip
    state.copy_of_copy(judged, None)
    if first_context.retrieved is not None:
        # Copying a copy only reads it (SEM-01), so the first copy is still stored as its 201 answered: a server
        # whose copy writes back into its source fails this at any budget, not only when the state machine's
        # steps happen to copy a copy.
        state.persistent(Context(retrieved=run.api.retrieve(body_of(first)["id"])), first)


@pytest.mark.requirement("STATE-03")
def test_deleting_the_source_leaves_its_copy(run, fresh_source, identity):
    exchange, context = copied(run, fresh_source, identity, "outlives")
    shape.new_id(context, exchange)  # set-up: a copy with an id to watch (SHAPE-03 judges that too)
    deleted = run.delete_created(fresh_source["id"])
    assert deleted.status in (200, 204), f"set-up: could not delete the source: {deleted.summary()}"
    after = run.api.retrieve(body_of(exchange)["id"])
    state.copy_outlives_its_source(Context(before=context.retrieved, after=after), deleted)


@pytest.mark.requirement("STATE-04")
def test_a_burst_of_concurrent_copies_gets_distinct_ids_all_stored(run, source):
    released = threading.Barrier(BURST)

    def one(index):
        name = run.name(f"burst-{index}")
        released.wait(timeout=30)  # all eight leave together
        return run.api.copy(source["id"], {"name": name})

    with ThreadPoolExecutor(BURST) as pool:
        copies = tuple(pool.map(one, range(BURST)))
    state.burst_all_stored(Context(exchanges=copies, listing_after=listing(run)), None)


@pytest.mark.requirement("STATE-01", "SHAPE-03", "NOTFOUND-02")
def test_segment_lifecycle_state_machine(run):
    class SegmentLifecycle(RuleBasedStateMachine):
        """Only segments this machine created are copied, retrieved and deleted."""

        segments = Bundle("segments")
        deleted = Bundle("deleted")

        def __init__(self):
            super().__init__()
            self.made = {}  # id -> the 201 exchange that created it
            self.kept = set(run.recorder.created_ids())  # made before this example: not its to delete

        def teardown(self):
            # Each example's segments go with it, so the target holds one example's at a time, not all of them.
            delete_created_since(run, self.kept)

        @rule(target=segments)
        def create(self):
            earlier = frozenset(run.recorder.seen_ids)
            exchange = run.api.create(source_body(run, "state-source"))
            shape.new_id(Context(earlier_ids=earlier), exchange)  # a created segment gets a new id too
            self.made[body_of(exchange)["id"]] = exchange
            return body_of(exchange)["id"]

        @rule(target=segments, original=segments)
        def copy(self, original):
            earlier = frozenset(run.recorder.seen_ids)
            exchange = copy_of(run, {"id": original}, "state-copy")
            shape.new_id(Context(source={"id": original}, earlier_ids=earlier), exchange)
            self.made[body_of(exchange)["id"]] = exchange
            return body_of(exchange)["id"]

        @rule(segment=segments)
        def retrieve(self, segment):
            state.persistent(Context(retrieved=run.api.retrieve(segment)), self.made[segment])

        @rule(target=deleted, segment=consumes(segments))
        def delete(self, segment):
            exchange = run.delete_created(segment)
            assert exchange.status in (200, 204), f"delete failed: {exchange.summary()}"
            return segment

        @rule(segment=deleted)
        def copy_deleted(self, segment):
            notfound.deleted(Context(), copy_of(run, {"id": segment}, "copy-of-deleted"))

    run_state_machine_as_test(SegmentLifecycle)
