"""Every item of the contract notes is cited by a requirement's `covers`, or listed as not testable with a reason.

Items are the notes' sections (`## N.`), their subsections (`###`), the rows of their tables (a property, a
subtype, a status code), the rule bullets of §4, §6 and §8 (`- **term**`) and the numbered items of §10. A
citation is "§N" (a section), "§N term" (a row or bullet by its term, a subsection by the start of its
heading) or "§10.K". A section or subsection with items of its own is covered when each of them is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from eloqua_conformance.resources import CATALOGUE, spec_file

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "docs" / "eloqua-contract-notes.md"  # a verbatim copy of ../shared/source/eloqua-contract-notes.md
SHARED = ROOT.parent / "shared" / "source" / "eloqua-contract-notes.md"
_BULLETED = {"4", "6", "8"}  # sections whose `- **term**` bullets are rules of their own
_SECTION = re.compile(r"^## (\d+)\. ")
_SUBSECTION = re.compile(r"^### (.+)$")
_BULLET = re.compile(r"^- \*\*(.+?)\*\*")
_NUMBERED = re.compile(r"^(\d+)\. \*\*")
_ROW = re.compile(r"^\| *([^|]+?) *\|")


@dataclass(frozen=True)
class Item:
    section: str
    kind: str  # section, subsection, row, bullet, numbered
    term: str  # "" for a section

    def __str__(self) -> str:
        return f"§{self.section}" + (f" {self.term}" if self.term else "") + f" ({self.kind})"


def _clean(term: str) -> str:
    term = re.sub(r"\[[^\]]*\]", "", term.replace("`", ""))
    return term.strip().rstrip(":").strip()


def notes_items(text: str) -> list[Item]:
    """Every item of the notes, in order."""
    items: list[Item] = []
    section = ""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        header = number + 1 < len(lines) and re.match(r"^\|[-| :]+\|$", lines[number + 1]) is not None
        if match := _SECTION.match(line):
            section = match[1]
            items.append(Item(section, "section", ""))
        elif not section:
            continue
        elif match := _SUBSECTION.match(line):
            items.append(Item(section, "subsection", _clean(re.split(r" \(|\. ", match[1], maxsplit=1)[0])))
        elif section == "10" and (match := _NUMBERED.match(line)):
            items.append(Item(section, "numbered", f"10.{match[1]}"))
        elif section in _BULLETED and (match := _BULLET.match(line)):
            items.append(Item(section, "bullet", _clean(match[1])))
        elif (match := _ROW.match(line)) and not header and not set(match[1]) <= {"-", " ", ":"}:
            cell = match[1]
            terms = re.findall(r"`([^`]+)`", cell) if cell.startswith("`") else [cell] if cell.isdigit() else []
            items += [Item(section, "row", term) for term in terms]
    return items


def _matches(citation: str, item: Item) -> bool:
    if re.fullmatch(r"§10\.\d+", citation):
        return item.kind == "numbered" and f"§{item.term}" == citation
    number, _, term = citation.removeprefix("§").partition(" ")
    if number != item.section:
        return False
    if not term:
        return item.kind == "section"
    if item.kind == "subsection":
        return item.term.lower().startswith(term.lower())
    return item.kind in ("row", "bullet") and item.term.lower() == term.lower()


def catalogue_citations(catalogue: dict) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(requirement ID -> its citations, `not_testable` reason -> its citations)."""
    cited = {entry["id"]: list(entry.get("covers", [])) for entry in catalogue["requirements"]}
    untestable = {entry["reason"]: list(entry["covers"]) for entry in catalogue.get("not_testable", [])}
    return cited, untestable


def uncovered(items: list[Item], citations: list[str]) -> list[Item]:
    """The items without items of their own that no citation names (a parent is covered by its children)."""
    return [item for item, children in _tree(items) if not children and not any(_matches(c, item) for c in citations)]


def _tree(items: list[Item]) -> list[tuple[Item, list[Item]]]:
    """Each item with the items directly under it: a section's own rows and bullets and its subsections,
    a subsection's rows and bullets."""
    tree: list[tuple[Item, list[Item]]] = []
    section: list[Item] = []
    subsection: list[Item] | None = None
    for item in items:
        children: list[Item] = []
        if item.kind == "section":
            section, subsection = children, None
        elif item.kind == "subsection":
            section.append(item)
            subsection = children
        else:
            (subsection if subsection is not None else section).append(item)
        tree.append((item, children))
    return tree


def _catalogue() -> dict:
    return yaml.safe_load(spec_file(CATALOGUE).read_text(encoding="utf-8"))


ITEMS = notes_items(NOTES.read_text(encoding="utf-8"))


def _all_citations(catalogue: dict) -> list[str]:
    cited, untestable = catalogue_citations(catalogue)
    return [c for citations in (*cited.values(), *untestable.values()) for c in citations]


def test_the_notes_in_the_repository_are_the_shared_ones():
    if not SHARED.is_file():
        pytest.skip(f"{SHARED} is not on this machine; the copy in docs/ is the one read")
    assert NOTES.read_bytes() == SHARED.read_bytes()


def test_the_notes_have_the_items_the_audit_walks():
    kinds = {kind: sum(1 for item in ITEMS if item.kind == kind) for kind in ("section", "subsection", "row")}
    assert kinds["section"] == 11 and kinds["subsection"] >= 8 and kinds["row"] >= 60
    assert Item("1", "row", "dependencyName") in ITEMS and Item("2", "row", "type") in ITEMS


def test_every_requirement_cites_what_it_covers():
    cited, _ = catalogue_citations(_catalogue())
    assert [rid for rid, citations in cited.items() if not citations] == []


def test_every_not_testable_entry_gives_its_reason():
    for reason, citations in catalogue_citations(_catalogue())[1].items():
        assert citations and len(reason.split()) >= 4, (reason, citations)


def test_every_citation_names_an_item_of_the_notes():
    dangling = sorted({c for c in _all_citations(_catalogue()) if not any(_matches(c, item) for item in ITEMS)})
    assert dangling == []


def test_every_item_of_the_notes_is_covered_or_not_testable():
    missing = [str(item) for item in uncovered(ITEMS, _all_citations(_catalogue()))]
    assert missing == [], "cite these in spec/requirements.yaml (covers) or list them under not_testable"


def test_removing_a_citation_that_alone_covers_an_item_fails_the_gate():
    catalogue = _catalogue()
    entry = next(e for e in catalogue["requirements"] if e["id"] == "VALID-13")
    entry["covers"].remove("§4 Path")
    assert [str(i) for i in uncovered(ITEMS, _all_citations(catalogue))] == ["§4 Path (bullet)"]
