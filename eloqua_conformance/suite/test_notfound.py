"""NOTFOUND: copying a segment that does not exist, or no longer does, gets 404."""

import pytest

from eloqua_conformance import checks


def _absent_id(run):
    """A positive id far beyond every id seen, confirmed absent by a retrieve."""
    numeric = [int(i) for i in run.recorder.seen_ids if i.isdigit()]
    candidate = max(numeric, default=0) + 1_000_000
    for _ in range(5):
        if run.api.retrieve(candidate).status == 404:
            return candidate
        candidate *= 2
    pytest.fail(f"could not find an absent segment id: every retrieve up to {candidate} found one")


@pytest.mark.requirement("NOTFOUND-01")
def test_copy_of_a_segment_that_never_existed_is_404(run):
    checks.notfound_01_never_existed(run.api.copy(_absent_id(run), {"name": run.name("copy-of-missing")}))


@pytest.mark.requirement("NOTFOUND-02")
def test_copy_of_a_deleted_segment_is_404(run, fresh_source):
    deleted = run.delete_created(fresh_source["id"])
    assert deleted.status in (200, 204), f"set-up: could not delete the segment: {deleted.summary()}"
    checks.notfound_02_deleted(run.api.copy(fresh_source["id"], {"name": run.name("copy-of-deleted")}))
