"""One flattened table row -> its cells, peeled from the row's end: the 完成时限, the 责任单位 list, the
requirement, and the short task headings before it.

Used by indexer/flat_tables/chain.py (to score where rows split) and rows.py (to lay out the final cells).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.fields import is_unit_name, looks_like_deadline, looks_like_units
from indexer.flat_tables.header import Layout
from indexer.flat_tables.headings import glued_headings
from indexer.outline import match_marker

_TERMINAL = tuple("。！？!?；;…”）)」")
_SEPARATORS = frozenset("、，,；;")
_LIST_TAIL = " \n，,、；;：:"
# Two unit names written one after the other ("区司法局区政府各部门") when cells are joined by nothing.
GLUED_UNITS = re.compile(r"(?<=[局办室委会处厅署院所站队部心）)])(?=(?:区|市|县|镇|乡|各|有关|相关)[\u4e00-\u9fff])")
_UNIT_PREFIXES = ("区", "市", "县", "镇", "乡", "各", "有关", "相关", "街道")


@dataclass
class Row:
    number: str
    headings: list[str]
    text: str
    units: str | None
    deadline: str | None
    depths: list[int] = field(default_factory=list)  # each heading's level where known (-1: not known)


def _spans(s: str, spaced: bool) -> list[tuple[int, int]]:
    """List items of `s`: split at 、，；(and spaces when cells are spaced), never inside brackets."""
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(s):
        if ch in "（(【[〔":
            depth += 1
        elif ch in "）)】]〕":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in _SEPARATORS or ch.isspace() and (spaced or ch == "\n")):
            if i > start:
                out.append((start, i))
            start = i + 1
    if len(s) > start:
        out.append((start, len(s)))
    return out


def _unitish(item: str) -> bool:
    item = re.sub(r"^[^:：]{1,20}[:：]", "", item.strip())
    if not item or len(item) > 40 or "。" in item:
        return False
    bare = re.sub(r"[（(][^（）()]*[）)]$", "", item)
    return is_unit_name(item) or bool(bare) and bare != item and is_unit_name(bare)


def _glued_unit_start(token: str, known: frozenset[str]) -> int | None:
    """Where a unit name begins inside text it is glued to ("…解读回应区发展改革局"): a unit name met in the
    table's other rows, else the first unit-like tail that opens with 区/市/县/各…."""
    for i in range(1, len(token) - 1):
        if token[i:] in known:
            return i
    for i in range(1, len(token) - 1):
        tail = token[i:]
        if tail.startswith(_UNIT_PREFIXES) and len(tail) <= 20 and _unitish(tail) and not _unitish(token[:i]):
            return i
    return None


# Words of a requirement, never of a 完成时限 cell: a "deadline" holding one runs into the next row's text.
_NOT_DEADLINE = re.compile(r"做好|加强|深化|开展|建立|健全|发布|任务|信息|政策|[局室办委]")


def _deadline_ok(cell: str, spaced: bool) -> bool:
    """A whole 完成时限 cell: reads as one, and every number in it is part of a date or a count of days."""
    if not looks_like_deadline(cell) or re.search(r"\d(?![\d年月日号个.．/\-]|\s*(?:个|日|天|周))", cell):
        return False
    if spaced:  # one cell: words after a space are a cell of their own unless they read as a time too
        return all(looks_like_deadline(chunk) for chunk in re.split(r"\s+(?=\D)", cell))
    return len(cell) <= 24 and not _NOT_DEADLINE.search(cell)


def _peel_deadline(s: str, spaced: bool) -> tuple[str, str | None]:
    for i in range(max(1, len(s) - 40), len(s)):
        before = s[i - 1]
        if before.isdigit() or before in ".．/-" or s[i].isspace():
            continue
        if spaced and not (before.isspace() or before in "。；;"):
            continue
        if _deadline_ok(s[i:].strip(), spaced):
            return s[:i].rstrip(_LIST_TAIL), s[i:].strip()
    return s, None


def _positional_deadline(s: str, known: frozenset[str]) -> tuple[str, str | None]:
    """Spaced cells: a short last cell that is no deadline by its words ("按上级要求") still is one when the
    cell before it is the units list (as TableParser reads a short cell in the 完成时限 column)."""
    m = re.search(r"\s(\S{1,20})$", s)
    if m is None or re.search(r"[。；;]", m.group(1)) or _unitish(m.group(1)):
        return s, None
    rest = s[: m.start()].rstrip()
    if _peel_units(rest, True, known)[1] is None:
        return s, None
    return rest, m.group(1)


def _unit_items(s: str, spaced: bool, known: frozenset[str]) -> list[tuple[int, int]]:
    """The unit names ending `s`, from the last one back, stopping at the 。 that ends the requirement."""
    items: list[tuple[int, int]] = []
    base = max(s.rfind("。"), len(s) - 400, 0)  # a units list never holds a 。 nor runs longer
    for a, b in reversed([(base + a, base + b) for a, b in _spans(s[base:], spaced)]):
        token = s[a:b]
        cut = token.rfind("。")
        if cut >= 0:
            if token[cut + 1:] and _unitish(token[cut + 1:]):
                items.append((a + cut + 1, b))
            break
        if _unitish(token):
            items.append((a, b))
            continue
        if not spaced and (k := _glued_unit_start(token, known)) is not None:
            items.append((a + k, b))
        break
    return items


def _spaced_cell_start(s: str, items: list[tuple[int, int]]) -> int:
    """Spaced cells: the units cell starts after a space (or right after the requirement's 。)."""
    at_cell = [a for a, _ in items if a > 0 and (s[a - 1].isspace() or s[a - 1] in "。；")]
    if at_cell:
        return min(at_cell)
    start = items[-1][0]
    # a first name that reads as none ("各镇（街道）、县直各部门"): back to the space
    ws = max(s.rfind(" ", 0, start), s.rfind("\n", 0, start))
    head = s[ws + 1:start]
    if ws > 0 and not re.search(r"[。；;]", head) and all(len(x) <= 15 for x in re.split(r"[、，,]", head)):
        return ws + 1
    return start


def _peel_units(s: str, spaced: bool, known: frozenset[str]) -> tuple[str, str | None]:
    """(the rest, the 责任单位 list ending `s`): the longest run of unit names at the end, stopping at the 。
    that ends the requirement (or, spaced, at the space before the cell)."""
    items = _unit_items(s, spaced, known)
    if not items:
        return s, None
    if spaced:
        start = _spaced_cell_start(s, items)
    else:
        start, end = items[-1]
        token = s[start:end]  # the first name may still carry the end of an unpunctuated requirement
        if token not in known and (re.search(r"[\dA-Za-z]", token) or len(token) > 20):
            start += _glued_unit_start(token, known) or 0
    units = s[start:].strip()
    text = s[:start].rstrip(_LIST_TAIL)
    names = [units[a:b] for a, b in _spans(units, spaced)]
    if not text or not names or sum(map(_unitish, names)) * 2 < len(names) + 1 and not looks_like_units(units):
        return s, None
    return text, units


def heading_like(chunk: str) -> bool:
    body = chunk.rstrip("。") if match_marker(chunk) else chunk
    return (2 <= len(body) <= 45 and not re.search(r"[。；;！!？?]", body) and not body.endswith(tuple("，,、：:"))
            and not looks_like_deadline(body))


def _split_headings(s: str) -> tuple[list[str], str]:
    """Spaced cells: the short task headings before the requirement ("聚焦重点领域 紧扣… 抓好…。")."""
    s = s.strip()
    cuts = [m for m in re.finditer(r"\s+", s)
            if not (s[m.start() - 1].isascii() and s[m.start() - 1].isalnum())
            and not (s[m.end()].isascii() and s[m.end()].isalnum())]
    chunks: list[tuple[int, int]] = []
    start = 0
    for m in cuts:
        chunks.append((start, m.start()))
        start = m.end()
    chunks.append((start, len(s)))
    merged: list[tuple[int, int]] = []
    for a, b in chunks:  # "(一)" alone is the number of the heading after it
        if merged and (lone := re.fullmatch(r"[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?", s[merged[-1][0]:merged[-1][1]])) \
                and lone.group(0):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    headings: list[str] = []
    for k, (a, b) in enumerate(merged[:-1]):
        if not heading_like(s[a:b]):
            return headings, s[a:].strip()
        headings.append(s[a:b].strip())
        if k == len(merged) - 2:
            return headings, s[merged[-1][0]:].strip()
    return headings, s.strip()


def peel(segment: str, layout: Layout, known: frozenset[str]) -> Row:
    s = segment.strip()
    units = deadline = None
    for role in layout.peel_order:
        if role == "deadline" and deadline is None:
            s, deadline = _peel_deadline(s, layout.spaced)
            if deadline is None and layout.spaced and "units" in layout.peel_order:
                s, deadline = _positional_deadline(s, known)
        elif role == "units" and units is None:
            s, units = _peel_units(s, layout.spaced, known)
    depths: list[int] = []
    if layout.spaced:
        headings, text = _split_headings(s)
    elif layout.headings:
        headings, depths, text = glued_headings(s, layout.headings)
    else:
        headings, text = [], s.strip()
    return Row("", headings, text, units, deadline, depths)


SECTION_MARK = re.compile(r"[一二三四五六七八九十]{1,3}\s*、|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]")


def section_tail(segment: str, layout: Layout) -> tuple[str, str | None]:
    """A numbered section row spanning the table ("… 全年 二、加强平台建设 5 …") ends the row before it: (the
    row, the section heading), the heading when what precedes it ends like a row (a deadline, units, a 。)."""
    s = segment.rstrip()
    for m in SECTION_MARK.finditer(s, max(0, len(s) - 46)):
        before, tail = s[: m.start()], s[m.start():].strip()
        if not before.strip() or len(tail) > 45 or re.search(r"[。；;！？]", tail):
            continue
        if (before[-1] in "一二三四五六七八九十第" or layout.spaced and not before[-1].isspace()
                or not heading_like(tail)):
            continue
        row = peel(before, layout, frozenset())
        if row.text and (row.deadline or row.units or before.rstrip().endswith("。")):
            return before, tail
    return segment, None


def row_score(row: Row) -> float:
    score = 0.0
    if row.deadline:
        score += 2
    if row.units:
        score += 2
    if row.text.endswith(_TERMINAL):
        score += 1
    elif not row.units and not row.deadline:
        score -= 4  # a row cut in the middle of its sentence
    if not row.text:
        score -= 6
    elif len(row.text) < 4:
        score -= 2
    return score
