"""The OpenAPI document and the requirement catalogue in spec/, loaded once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from eloqua_conformance.resources import CATALOGUE, OPENAPI, load_yaml

__all__ = ["ID_PATTERN", "Requirement", "area_titles", "load_openapi", "requirement", "requirements", "select"]

ID_PATTERN = re.compile(r"^(?P<area>[A-Z]+)-(?P<number>\d{2})$")


@dataclass(frozen=True)
class Requirement:
    """One catalogue entry."""

    id: str
    level: str
    title: str
    source: str
    sends: str
    expects: str
    needs: tuple[str, ...] = ()  # options without which it cannot be exercised, e.g. --forbidden-auth

    @property
    def area(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def is_must(self) -> bool:
        return self.level == "MUST"


def load_openapi() -> dict[str, Any]:
    """The OpenAPI document as a dict (parsed once: callers must not mutate it)."""
    document: dict[str, Any] = load_yaml(OPENAPI)
    return document


def _load_catalogue() -> dict[str, Any]:
    catalogue: dict[str, Any] = load_yaml(CATALOGUE)
    return catalogue


def area_titles() -> dict[str, str]:
    """Area code to its title, in catalogue order."""
    return dict(_load_catalogue()["areas"])


@functools.cache
def requirements() -> tuple[Requirement, ...]:
    """Every requirement, in catalogue order."""
    return tuple(
        Requirement(
            id=entry["id"],
            level=entry["level"],
            title=entry["title"],
            source=entry["source"],
            sends=entry["sends"],
            expects=entry["expects"],
            needs=tuple(entry.get("needs", ())),
        )
        for entry in _load_catalogue()["requirements"]
    )


def requirement(requirement_id: str) -> Requirement:
    """The requirement with this ID; KeyError names an unknown one."""
    for entry in requirements():
        if entry.id == requirement_id:
            return entry
    raise KeyError(f"no requirement {requirement_id!r} in {CATALOGUE}")


def select(patterns: tuple[str, ...]) -> frozenset[str]:
    """The IDs that requirement IDs or area codes name (`AUTHN` is every AUTHN-NN); ValueError for unknown ones."""
    chosen: set[str] = set()
    for pattern in patterns:
        found = {entry.id for entry in requirements() if pattern.upper() in (entry.id, entry.area)}
        if not found:
            raise ValueError(f"{pattern!r} is neither a requirement ID nor an area ({', '.join(area_titles())})")
        chosen |= found
    return frozenset(chosen)
