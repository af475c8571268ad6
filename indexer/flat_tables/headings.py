"""Task headings at the start of a table row whose cells are joined by nothing, found from the document's
own numbered titles ("一、聚焦重点领域" in the body names the heading cell "聚焦重点领域" of a row).

Used by indexer/flat_tables/peel.py.
"""
from __future__ import annotations

import re

from indexer.outline import match_marker

_MARKER = r"(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[.．、](?!\d))"
_MARKER_AT = re.compile(_MARKER)
_WIDE = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
_VARIANTS = {"，": "[，,]", "（": "[（(]", "）": "[）)]", "：": "[：:]", "；": "[；;]", "“": "[“\"]", "”": "[”\"]"}


def heading_patterns(lines: list[str]) -> list[tuple[re.Pattern[str], int]]:
    """Patterns of the document's numbered titles ("一、聚焦重点领域，深化信息公开", "（一）紧扣…") with their depth
    (0 for the numbering style met first), to find the task headings a table row starts with when its cells
    are joined by nothing."""
    titles: dict[str, int] = {}
    styles: list[str] = []
    for line in lines:
        if "\t" in line:
            continue
        marks = list(_MARKER_AT.finditer(line))
        for k, m in enumerate(marks):
            stop = marks[k + 1].start() if k + 1 < len(marks) else len(line)
            title = re.split(r"[。；;！？]", line[m.end():stop], maxsplit=1)[0]
            title = re.sub(r"\s+", "", title).translate(_WIDE)
            marker = match_marker(m.group(0) + "x")
            style = marker[0] if marker else ""
            if style not in styles:
                styles.append(style)
            if 4 <= len(title) <= 45:
                titles.setdefault(title, styles.index(style))
    out = []
    for title in sorted(titles, key=len, reverse=True):
        body = r"\s*".join(_VARIANTS.get(ch, re.escape(ch)) for ch in title)
        out.append((re.compile(rf"\s*(?:{_MARKER}\s*)?{body}\s*[。.]?"), titles[title]))
    return out


def glued_headings(s: str, patterns: list[tuple[re.Pattern[str], int]]) -> tuple[list[str], list[int], str]:
    """Cells joined by nothing: the headings a row opens with, known from the document's own titles (or a
    numbered heading ended by the next number: "一、聚焦重点领域（一）…"), their depths (-1: unknown), the rest."""
    headings: list[str] = []
    depths: list[int] = []
    pos = 0
    while len(headings) < 3:
        rest = s[pos:]
        found = next(((m, d) for p, d in patterns if (m := p.match(rest)) and rest[m.end():].strip()), None)
        if found is None and (start := _MARKER_AT.match(rest)):
            nxt = _MARKER_AT.search(rest, start.end())
            if nxt and nxt.start() <= 45 and not re.search(r"[。；;]", rest[:nxt.start()]):
                headings.append(rest[:nxt.start()].strip())  # the heading is everything before the next number
                depths.append(-1)
                pos += nxt.start()
                continue
        if found is None:
            break
        headings.append(rest[:found[0].end()].strip())
        depths.append(found[1])
        pos += found[0].end()
    return headings, depths, s[pos:].strip()
