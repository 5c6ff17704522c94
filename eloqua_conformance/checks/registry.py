"""The one check contract: `@check("SEM-04")` over `(context, exchange)`, and the registry it fills.

Every check is a function of a `Context` (what the suite knows and compares with) and the exchange it
judges (None for judgements of a whole run or of several exchanges, which the context carries). It
returns nothing or raises the `RequirementFailure` of its requirement. A check registered with
`copy=True` judges any answer to a schema-valid copy request, so the property-based run applies every
one of them to every generated copy, without a hand-kept list.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eloqua_conformance.catalogue import requirement, requirements
from eloqua_conformance.exchange import Exchange

__all__ = ["Check", "CheckFunction", "Context", "Listing", "check", "copy_checks", "registered"]

_ID = re.compile(r"^(?P<area>[A-Z]+)-\d{2}$")


@dataclass(frozen=True)
class Listing:
    """The segments carrying the run's prefix, as the list operation showed them at one moment."""

    segments: tuple[tuple[str, str], ...] = ()  # (id, name)
    exchanges: tuple[Exchange, ...] = ()
    problem: str = ""  # why the list could not be read; empty when it could

    def ids(self) -> frozenset[str]:
        return frozenset(segment_id for segment_id, _ in self.segments)


@dataclass(frozen=True)
class Context:
    """What a check compares an exchange with; a check reads only the fields it needs."""

    source: Any = None  # the source segment, as retrieved at depth complete (or a stand-in with its id)
    retrieved: Exchange | None = None  # the judged copy, retrieved by its id at depth complete
    before: Exchange | None = None  # a retrieve before something happened (the source before a copy, ...)
    after: Exchange | None = None  # ...and the same retrieve after it
    earlier_ids: frozenset[str] = frozenset()  # segment ids seen in the run before the judged exchange
    identity: Any = None  # a segment the same identity created in this run, as the server answered it
    window: tuple[float, float] | None = None  # suite-clock seconds between which the exchange happened
    exchanges: tuple[Exchange, ...] = ()  # several exchanges judged together (a burst, three copies, ...)
    listing_before: Listing | None = None  # the run's segments before refused requests
    listing_after: Listing | None = None  # ...and after them
    counts: Counter[int] = field(default_factory=Counter)  # statuses answered in the run
    statuses: frozenset[int] = frozenset()  # statuses the run was able to provoke
    findings: tuple[str, ...] = ()  # what schemathesis's own checks said
    names_seen: frozenset[str] = frozenset()  # segment names the run saw stored before the judged exchange


CheckFunction = Callable[[Context, Exchange | None], None]


@dataclass(frozen=True)
class Check:
    """A registered check and what the registry knows about it."""

    requirement_id: str
    function: CheckFunction
    copy: bool  # judges any answer to a schema-valid copy request

    @property
    def is_must(self) -> bool:
        return requirement(self.requirement_id).is_must


_REGISTRY: list[Check] = []


def check(requirement_id: str, *, copy: bool = False) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as a check of `requirement_id` (its docstring starts with the ID).

    A check lives in the module named after its requirement's area (`checks/sem.py` for SEM-04), so an
    area is found under one name in every layer; the decorator refuses anything else at import.
    """
    match = _ID.match(requirement_id)
    if match is None:
        raise ValueError(f"not a requirement ID: {requirement_id!r}")
    requirement(requirement_id)  # KeyError for an ID the catalogue does not know

    def register(function: CheckFunction) -> CheckFunction:
        module = function.__module__.rsplit(".", 1)[-1]
        if module != match["area"].lower():
            where = f"checks/{match['area'].lower()}.py"
            raise ValueError(f"{function.__name__}: a check of {requirement_id} belongs in {where}")
        if not (function.__doc__ or "").startswith(f"{requirement_id}:"):
            raise ValueError(f"{function.__name__}: its docstring must start with '{requirement_id}:'")
        _REGISTRY.append(Check(requirement_id, function, copy))
        registered.cache_clear()
        copy_checks.cache_clear()
        return function

    return register


@functools.cache
def registered() -> dict[str, tuple[CheckFunction, ...]]:
    """Requirement ID to its checks, in registration order."""
    found: dict[str, tuple[CheckFunction, ...]] = {}
    for entry in _REGISTRY:
        found[entry.requirement_id] = (*found.get(entry.requirement_id, ()), entry.function)
    return found


@functools.cache
def copy_checks() -> tuple[Check, ...]:
    """Every check of a copy's answer, MUST requirements first (so a MUST failure is the one reported), each level in
    catalogue order."""
    order = {entry.id: index for index, entry in enumerate(requirements())}
    return tuple(sorted((e for e in _REGISTRY if e.copy), key=lambda e: (not e.is_must, order[e.requirement_id])))
