"""A table cell's paragraphs -> one line: CJK-aware joining, and U+2028 after a numbered heading paragraph.

Shared by the HTML (html.py) and Word (docx.py) table readers, so a cell reads the same from either format;
indexer/tables.py splits the heading off again at CELL_BREAK.
"""
from __future__ import annotations

import re
import unicodedata


def is_wide(char: str) -> bool:
    """CJK ideographs and full-width punctuation; Hangul is wide but Korean separates words with spaces."""
    if "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff":
        return False
    return unicodedata.east_asian_width(char) in ("W", "F")


def _join_cjk(parts: list[str]) -> str:
    """Join the lines of one table cell: nothing between two CJK characters, a space otherwise."""
    joined = ""
    for part in parts:
        if not part:
            continue
        if joined:
            joined += "" if is_wide(joined[-1]) and is_wide(part[0]) else " "
        joined += part
    return joined


# A cell paragraph that is a numbered heading ("(三) 积极回应群众关切") rather than text.
_CELL_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,3}\s*[.．、](?!\d))")
CELL_BREAK = "\u2028"  # LINE SEPARATOR: ends a numbered heading paragraph inside a table cell


def cell_text(parts: list[str]) -> str:
    """One table cell's paragraphs as one line. A numbered heading paragraph followed by text ("(三) 积极回应群众
    关切" then "出台重大政策…") keeps its break as CELL_BREAK, so the task-table parser can tell the heading
    (a level of the row) from the requirement text; other paragraphs are joined."""
    parts = [part for part in parts if part]
    if len(parts) > 1 and _CELL_HEADING.match(parts[0]) and "。" not in parts[0] and len(parts[0]) <= 40:
        return parts[0] + CELL_BREAK + _join_cjk(parts[1:])
    return _join_cjk(parts)
