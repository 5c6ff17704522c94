"""SEM: a copy leaves its source alone, honours the name, and carries the source's elements with all their content."""

from __future__ import annotations

import re
from typing import Any

from eloqua_conformance.exchange import Exchange
from eloqua_conformance.failure import fail

from ._common import as_dict, body_of, created_body, expect_status, got, sent_body, show, text_of
from ._elements import content_problem, reused_element_ids, same, structure_problem, summary
from .registry import Context, check

__all__ = [
    "NAME_FLOOR",
    "complete_copy",
    "default_name",
    "elements_content",
    "elements_mirror",
    "name_honoured",
    "name_refusal",
    "source_unchanged",
]

NAME_FLOOR = 50  # names up to this many characters must be copied; longer ones may be refused for length
_HTML_TAG = re.compile(r"<[^<>]*>")
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)


def name_refusal(name: Any, context: Context, exchange: Exchange) -> str:
    """Why a 400 to a copy named `name` is a refusal the contract allows ('': it is not).

    Eloqua documents text validations a server may apply to a name (contract notes §6: ValidTextLength,
    TextWithNoHtml, TextWithNoUrl; Uniqueness, "name not unique", §5). The suite accepts each only where
    it could apply: a long name, a name with a tag or a URL, a name already stored in this run.
    """
    if exchange.status != 400 or not isinstance(name, str):
        return ""
    said = text_of(exchange)
    if "ValidTextLengthRequirement" in said and len(name) > NAME_FLOOR:
        return f"a name of {len(name)} characters refused for its length"
    if "UniquenessRequirement" in said and name in context.names_seen:
        return "a name already used in the run refused as not unique"
    if "TextWithNoHtmlRequirement" in said and _HTML_TAG.search(name):
        return "a name holding markup refused"
    if "TextWithNoUrlRequirement" in said and _URL.search(name):
        return "a name holding a URL refused"
    return ""


def complete_copy(requirement_id: str, context: Context, exchange: Exchange | None) -> Any:
    """The copy at depth complete: its retrieve when the context has one (which must answer 200), else the 201."""
    if context.retrieved is None:
        return body_of(exchange)
    retrieved = expect_status(requirement_id, context.retrieved, [200])
    body = body_of(retrieved)
    if not isinstance(body, dict):
        raise fail(requirement_id, "the copy retrieved at depth complete, as a JSON object", got(retrieved), retrieved)
    return body


def _judges_elements(exchange: Exchange | None) -> bool:
    # Oracle does not say whether a copy takes its elements from the source or from the body (contract notes
    # §5), so a body that names elements leaves the copy's elements open.
    return exchange is not None and "elements" not in sent_body(exchange)


@check("SEM-01")
def source_unchanged(context: Context, exchange: Exchange | None) -> None:
    """SEM-01: the source's name, elements and updatedAt are the same before and after a copy."""
    before, after = context.before, context.after
    expect_status("SEM-01", after, [200])
    assert before is not None and after is not None
    old, new = as_dict(body_of(before)), as_dict(body_of(after))
    if old is None or new is None:
        raise fail("SEM-01", "the source readable as JSON before and after", got(after), before, after)
    for key in ("name", "elements", "updatedAt"):
        if not (same(old.get(key), new.get(key)) and same(new.get(key), old.get(key))):
            raise fail("SEM-01", f"source {key} unchanged: {show(old.get(key))}", f"now {show(new.get(key))}",
                       before, after)  # fmt: skip


@check("SEM-02", copy=True)
def name_honoured(context: Context, exchange: Exchange | None) -> None:
    """SEM-02: a sent name comes back exactly; a long one may be refused (400) but never altered in a 201."""
    sent = sent_body(exchange) if exchange is not None else {}
    name = sent.get("name")
    if not isinstance(name, str) or not name:
        return  # nothing sent to honour: SEM-03 judges the name the server chose
    assert exchange is not None
    if name_refusal(name, context, exchange):
        return
    body = created_body("SEM-02", exchange)
    if body.get("name") != name:
        raise fail("SEM-02", f"name {show(name)}", f"name {show(body.get('name'))}", exchange)


@check("SEM-03", copy=True)
def default_name(context: Context, exchange: Exchange | None) -> None:
    """SEM-03: a copy requested without a name (or with an empty one) still has a non-empty name."""
    sent = sent_body(exchange) if exchange is not None else {}
    if isinstance(sent.get("name"), str) and sent["name"]:
        return  # a name was sent: SEM-02 judges it
    name = created_body("SEM-03", exchange).get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("SEM-03", "a non-empty name", f"name {show(name)}", exchange)


@check("SEM-04", copy=True)
def elements_mirror(context: Context, exchange: Exchange | None) -> None:
    """SEM-04: at depth complete, the source's elements in order: type, isIncluded, shared references; new ids."""
    created_body("SEM-04", exchange)
    if context.source is None or not _judges_elements(exchange):
        return
    copy = complete_copy("SEM-04", context, exchange)
    evidence = tuple(e for e in (exchange, context.retrieved) if e is not None)
    problem = structure_problem(context.source, copy)
    if problem:
        raise fail("SEM-04", f"the source's elements, in order: {summary(context.source)}", problem, *evidence)
    reused = reused_element_ids(context.source, copy)
    if reused:
        raise fail("SEM-04", "new element ids", f"element ids {', '.join(reused)} reused from the source", *evidence)


@check("SEM-05", copy=True)
def elements_content(context: Context, exchange: Exchange | None) -> None:
    """SEM-05: at depth complete, each element's filter or list carries the source's content, criteria in order."""
    created_body("SEM-05", exchange)
    if context.source is None or not _judges_elements(exchange):
        return
    problem = content_problem(context.source, complete_copy("SEM-05", context, exchange))
    if problem:
        evidence = tuple(e for e in (exchange, context.retrieved) if e is not None)
        raise fail("SEM-05", "the source's filter and list content, nothing lost, merged or duplicated", problem,
                   *evidence)  # fmt: skip
