"""The OpenAPI document and the requirement catalogue in spec/, loaded once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "CATALOGUE_PATH",
    "ID_PATTERN",
    "OPENAPI_PATH",
    "Requirement",
    "area_titles",
    "load_openapi",
    "requirement",
    "requirements",
]

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"
OPENAPI_PATH = SPEC_DIR / "openapi.yaml"
CATALOGUE_PATH = SPEC_DIR / "requirements.yaml"
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

    @property
    def area(self) -> str:
        return self.id.split("-", 1)[0]

    @property
    def is_must(self) -> bool:
        return self.level == "MUST"


@functools.cache
def load_openapi() -> dict[str, Any]:
    """The OpenAPI document as a dict (cached: callers must not mutate it)."""
    with OPENAPI_PATH.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.safe_load(handle)
    return document


@functools.cache
def _load_catalogue() -> dict[str, Any]:
    with CATALOGUE_PATH.open(encoding="utf-8") as handle:
        catalogue: dict[str, Any] = yaml.safe_load(handle)
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
        )
        for entry in _load_catalogue()["requirements"]
    )


def requirement(requirement_id: str) -> Requirement:
    """The requirement with this ID; KeyError names an unknown one."""
    for entry in requirements():
        if entry.id == requirement_id:
            return entry
    raise KeyError(f"no requirement {requirement_id!r} in {CATALOGUE_PATH.name}")
