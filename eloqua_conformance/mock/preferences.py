"""Read the status a client asks for with `Prefer: code=NNN`, the convention of Stoplight Prism."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["preferred_status"]


def preferred_status(header_values: Sequence[str]) -> int | None:
    """The first `code` preference across all Prefer headers (RFC 7240 syntax), or None."""
    for header in header_values:
        for preference in header.split(","):
            # A preference may carry ";"-separated parameters; only its leading name=value counts.
            name, _, value = preference.split(";", 1)[0].partition("=")
            if name.strip().lower() != "code":
                continue
            value = value.strip().strip('"')
            if len(value) == 3 and value.isascii() and value.isdigit():
                return int(value)
            return None
    return None
