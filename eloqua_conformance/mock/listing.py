"""The list operation's query: `search=name='prefix*'`, `page` and `count`, and the page it selects."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import Rejection, parameter_error, reject
from .messages import JsonObject, Request

__all__ = ["MAX_COUNT", "ListQuery", "parse_list_query"]

# Eloqua caps `count` at 1000 and uses that as the default page size.
MAX_COUNT = 1000
_TERM = re.compile(r"\s*(?:(?P<field>[A-Za-z]+)\s*=\s*)?(?P<value>'[^']*'|\"[^\"]*\"|[^'\"]*?)\s*")


@dataclass(frozen=True)
class ListQuery:
    """A parsed list request: an optional name pattern and a 1-based page of `count` segments."""

    name_pattern: re.Pattern[str] | None
    page: int
    count: int

    def select(self, segments: list[JsonObject]) -> tuple[list[JsonObject], int]:
        """The segments on this page and the total that matched."""
        matching = [s for s in segments if self._matches(s)]
        start = (self.page - 1) * self.count
        return matching[start : start + self.count], len(matching)

    def _matches(self, segment: JsonObject) -> bool:
        name = segment.get("name")
        return self.name_pattern is None or (isinstance(name, str) and bool(self.name_pattern.fullmatch(name)))


def parse_list_query(request: Request) -> ListQuery:
    """The list query of `request`; raises a 400 Rejection naming the bad parameter."""
    return ListQuery(
        name_pattern=_search(request.query_param("search")),
        page=_positive("page", request.query_param("page"), default=1, maximum=None),
        count=_positive("count", request.query_param("count"), default=MAX_COUNT, maximum=MAX_COUNT),
    )


def _search(raw: str | None) -> re.Pattern[str] | None:
    if raw is None or not raw.strip():
        return None
    term = _TERM.fullmatch(raw)
    field = term.group("field") if term else None
    # Only name is searchable here; a field the mock cannot search must not silently match everything.
    if term is None or (field is not None and field.lower() != "name"):
        raise _bad("search", "SearchRequirement", raw)
    value = term.group("value")
    if value[:1] in ("'", '"'):
        value = value[1:-1]
    # Eloqua's "*" matches any run of characters; matching ignores case, as Eloqua's search does.
    regex = ".*".join(re.escape(part) for part in value.split("*"))
    return re.compile(regex, re.IGNORECASE | re.DOTALL)


def _positive(name: str, raw: str | None, default: int, maximum: int | None) -> int:
    if raw is None:
        return default
    text = raw.strip()
    # Nine digits bound int() (which refuses very long strings) far beyond any real page.
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise _bad(name, "IntegerRequirement", raw)
    value = int(text)
    if value < 1 or (maximum is not None and value > maximum):
        raise _bad(name, "IntegerRequirement", raw)
    return value


def _bad(parameter: str, requirement: str, raw: str) -> Rejection:
    return reject(400, parameter_error(parameter, requirement, raw))
