"""conformance.json: the report dict as UTF-8 JSON."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["render_json"]


def render_json(report: dict[str, Any]) -> str:
    """The report as indented JSON, non-ASCII kept readable."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"
