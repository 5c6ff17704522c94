"""Text made safe to carry: no lone surrogates for UTF-8, no characters XML 1.0 forbids."""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["encodable", "html_text", "xml_safe"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def encodable(text: str) -> str:
    """`text` with lone surrogates (which UTF-8 cannot encode) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def xml_safe(text: str) -> str:
    """`text` with control characters and surrogates, which XML and HTML cannot carry, replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def html_text(value: Any) -> str:
    """`value` as HTML text or attribute value: escaped, and carrying only characters HTML allows."""
    return html.escape(xml_safe(str(value)))
