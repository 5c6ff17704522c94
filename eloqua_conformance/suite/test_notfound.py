"""NOTFOUND: copying a segment that does not exist, or no longer does, gets 404 and creates nothing."""

import pytest

from eloqua_conformance.checks import Context, notfound
from eloqua_conformance.checks._common import got
from eloqua_conformance.failure import fail
from eloqua_conformance.fixtures import refusals_leave_no_trace

# Every test here also judges that its 404 created nothing: a failure of that names NOTFOUND-03.


def _absent_id(run):
    """A positive id far beyond every id seen, confirmed absent by a retrieve."""
    numeric = [int(i) for i in run.recorder.seen_ids if i.isascii() and i.isdigit() and len(i) < 18]
    candidate = max(numeric, default=0) + 1_000_000
    for _ in range(5):
        probe = run.api.retrieve(candidate)
        if probe.status == 404:
            return candidate
        candidate *= 2
    raise fail("NOTFOUND-01", "a retrieve of an id far beyond every id seen answering 404, to copy that id",
               f"{got(probe)} up to id {candidate}", probe)  # fmt: skip


@pytest.mark.requirement("NOTFOUND-01")
def test_copy_of_a_segment_that_never_existed_is_404(run):
    absent = _absent_id(run)
    with refusals_leave_no_trace(run, notfound.missing_copy_creates_nothing):
        notfound.never_existed(Context(), run.api.copy(absent, {"name": run.name("copy-of-missing")}))


@pytest.mark.requirement("NOTFOUND-02")
def test_copy_of_a_deleted_segment_is_404(run, fresh_source):
    deleted = run.delete_created(fresh_source["id"])
    assert deleted.status in (200, 204), f"set-up: could not delete the segment: {deleted.summary()}"
    with refusals_leave_no_trace(run, notfound.missing_copy_creates_nothing):
        notfound.deleted(Context(), run.api.copy(fresh_source["id"], {"name": run.name("copy-of-deleted")}))


@pytest.mark.requirement("NOTFOUND-03")
def test_copies_answered_404_create_nothing(run):
    absent = _absent_id(run)
    with refusals_leave_no_trace(run, notfound.missing_copy_creates_nothing):
        notfound.never_existed(Context(), run.api.copy(absent, {"name": run.name("copy-of-missing")}))
        notfound.never_existed(Context(), run.api.copy(absent, {}))
