"""The conformance tests' fixtures: one per credential role and one per resource lifecycle."""

from eloqua_conformance.fixtures import (
    api,
    delete_what_the_test_made,
    forbidden_api,
    fresh_source,
    identity,
    run,
    source,
    standard_context,
    standard_copy,
)

__all__ = ["api", "delete_what_the_test_made", "forbidden_api", "fresh_source", "identity", "run", "source",
           "standard_context", "standard_copy"]  # fmt: skip
