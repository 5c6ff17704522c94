"""The one way a check fails: an AssertionError naming the requirement, expected, actual and a curl line."""

from __future__ import annotations

from eloqua_conformance.catalogue import requirement
from eloqua_conformance.exchange import Exchange

__all__ = ["RequirementFailure", "fail"]


class RequirementFailure(AssertionError):
    """A requirement a server did not meet, with the evidence."""

    def __init__(self, requirement_id: str, expected: str, actual: str, exchanges: tuple[Exchange, ...] = ()):
        self.requirement_id = requirement_id
        self.expected = expected
        self.actual = actual
        self.exchanges = exchanges
        super().__init__(self.render())

    def render(self) -> str:
        entry = requirement(self.requirement_id)
        lines = [
            f"{entry.id} ({entry.level}) {entry.title}",
            f"  expected: {self.expected}",
            f"  actual:   {self.actual}",
        ]
        shown = self.exchanges[:3]
        lines += [f"  reproduce: {exchange.curl()}" for exchange in shown]
        setups = dict.fromkeys(e.reproduce.setup for e in shown if e.reproduce is not None and e.reproduce.setup)
        lines += [f"  first: {setup}" for setup in setups]
        return "\n".join(lines)


def fail(requirement_id: str, expected: str, actual: str, *exchanges: Exchange | None) -> RequirementFailure:
    """Build the failure for `raise`; kept as a function so checks read `raise fail(...)`.

    Exchanges that are None (a check's optional evidence) are left out.
    """
    return RequirementFailure(requirement_id, expected, actual, tuple(e for e in exchanges if e is not None))
