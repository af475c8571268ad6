"""Task tables with no 序号 column written without TABs: rows found by what their cells say.

Provincial and municipal 主要任务分解表 often have only 工作任务 / 工作要求 / 牵头单位 / 配合单位 (or 责任单位)
columns. Copied as text they arrive one cell per line, one cell per line with a `|` line between the cells of
a row, one row per line with spaces between cells, or the whole table on one line. With no 序号 to split on,
each cell is classified by content (content-based roles): a list of unit names or a unit line ("县教育局牵头
落实", "X、Y分别牵头落实") is a units cell, a time phrase a deadline cell, a short phrase without 。 a task
heading, anything longer the requirement. A row ends with its units/deadline cells; a units cell always
belongs to the row it follows. Rows come back as TAB rows under the header for indexer/tables.py, empty
cells where a merged cell was left out. Used by indexer/flat_tables/__init__.py.
"""
from __future__ import annotations

import re

from indexer.actors import unit_line
from indexer.fields import looks_like_deadline, looks_like_units
from indexer.tables import cell_role, header_roles

_PIPE = re.compile(r"^\s*[|｜]\s*$")
_SPLIT = re.compile(r"\s*[|｜]\s*|\s+")
# Where a table ends although the lines go on: the 抄送 block, the "…办公室 2024年3月1日印发" signature.
_END = re.compile(r"(?:^|\s)(?:抄送|主送)\s*[：:]|[\u4e00-\u9fff]{2,30}(?:人民政府办公室|人民政府办公厅|管委会办公室)\s*"
                  r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发")
_TAIL = ("units", "deadline")


def _words(line: str) -> list[str]:
    return [w for w in _SPLIT.split(line.strip()) if w]


def _column_word(word: str, first: bool = False) -> bool:
    """A header cell's word ("工作任务", "牵头单位"; 序号 only first), not a table's title ("主要任务分解表")."""
    role = cell_role(word)
    return len(word) <= 8 and not word.endswith("表") and role != "" and (first or role != "number")


def _header(words: list[str]) -> list[str] | None:
    """Column roles when the words are a header (every word names a column; a 序号 only first)."""
    if len(words) - (cell_role(words[0]) == "number" if words else 0) < 2:
        return None
    if not all(_column_word(w, k == 0) for k, w in enumerate(words)):
        return None
    return header_roles(words)


def _role(cell: str) -> str:
    """A cell's role by its content: number, units, deadline, heading or text."""
    if re.fullmatch(r"\d{1,3}[.．、]?", cell):
        return "number"
    if unit_line(cell) or looks_like_units(cell):
        return "units"
    if looks_like_deadline(cell):
        return "deadline"
    if len(cell) <= 30 and not re.search(r"[。；;]", cell):
        return "heading"
    return "text"


def _rows(cells: list[str]) -> list[list[str]]:
    """Cells in reading order -> rows: a row closes after its units/deadline cells, or when a new heading or
    requirement follows a requirement (its unit cells were merged away)."""
    rows: list[list[str]] = []
    row: list[str] = []
    for cell in cells:
        role = _role(cell)
        roles = [_role(c) for c in row]
        ended = any(r in _TAIL for r in roles) and role not in _TAIL
        orphan = "text" in roles and role in ("text", "heading", "number") and not any(r in _TAIL for r in roles)
        if row and (ended or orphan or role == "number"):
            rows.append(row)
            row = []
        row.append(cell)
    if row:
        rows.append(row)
    return rows


def _tab_row(row: list[str], roles: list[str]) -> str:
    """A row's cells laid out in the header's columns: tail cells from the end by role, the requirement in
    the last body column, headings before it."""
    width = len(roles)
    out = [""] * width
    cells = list(row)
    if roles[0] == "number" and cells and _role(cells[0]) == "number":
        out[0] = cells.pop(0).rstrip(".．、")
    for col in range(width - 1, -1, -1):
        if roles[col] not in _TAIL or not cells:
            continue
        if _role(cells[-1]) in _TAIL:
            out[col] = cells.pop()
    # two unit columns and one units cell: it is the lead (牵头) column's
    units_cols = [c for c in range(width) if roles[c] == "units"]
    if len(units_cols) > 1 and out[units_cols[0]] == "" and out[units_cols[-1]]:
        out[units_cols[0]], out[units_cols[-1]] = out[units_cols[-1]], ""
    body = [c for c in range(width) if roles[c] not in (*_TAIL, "number")]
    if cells and body:
        out[body[-1]] = cells.pop()
        for col in reversed(body[:-1]):
            if cells:
                out[col] = cells.pop()
        if cells:  # more headings than task columns: keep them with the first one
            out[body[0]] = " ".join([*cells, out[body[0]]]).strip()
    return "\t".join(out)


def _table_cells(lines: list[str], j: int, spaced: bool) -> tuple[list[list[str]], int]:
    """The table's rows of cells from line `j` on: a `|` line joins the cells around it into one row;
    with a spaced header each line's words are cells too. Returns rows (explicit or by content) and the end."""
    groups: list[list[str]] = []
    joined = False
    while j < len(lines) and "\t" not in lines[j]:
        line = lines[j].strip()
        end = _END.search(line)
        if end:  # the table ends inside this line: its start is the last part of the table
            if end.start() > 0:
                lines[j] = line[end.start():].strip()
                line = line[: end.start()].strip()
                _add_cells(groups, line, spaced, joined)
            break
        j += 1
        if not line:
            continue
        if _PIPE.match(line):
            joined = True
            continue
        _add_cells(groups, line, spaced, joined)
        joined = False
    return groups, j


def _add_cells(groups: list[list[str]], line: str, spaced: bool, joined: bool) -> None:
    """A line's cells: a new group, or the previous group's continuation after a `|` line."""
    cells = _words(line) if spaced or "|" in line or "｜" in line else [line]
    if joined and groups:
        groups[-1].extend(cells)
    elif cells:
        groups.append(cells)


def _header_at(lines: list[str], i: int) -> tuple[list[str], list[str], int, bool, list[str]] | None:
    """(words, roles, index after the header, spaced, cells after the header on its line) of a header
    without 序号 at line i: its words on the line (spaces or `|` between them; the table may go on after
    them on the same line) or one per line (with or without `|` lines between)."""
    words = _words(lines[i])
    k = 0
    while k < min(len(words), 8) and _column_word(words[k], k == 0):
        k += 1
    roles = _header(words[:k]) if k >= 3 else None
    if roles:
        return words[:k], roles, i + 1, True, words[k:]
    words, j = [], i
    while j < len(lines) and len(words) < 8:
        line = lines[j].strip()
        if _PIPE.match(line):
            j += 1
            continue
        if not _column_word(line, not words):
            break
        words.append(line)
        j += 1
    roles = _header(words)
    return (words, roles, j, False, []) if roles else None


def _header_inside(line: str) -> list[str]:
    """A long line holding a spaced header after some text ("…附件 主要任务分解表 工作任务 工作要求 牵头单位 …"):
    the text before the header and the rest, on two lines; other lines unchanged."""
    if len(line) < 80 or "\t" in line or " " not in line:
        return [line]
    words = list(re.finditer(r"\S+", line))
    for k in range(len(words) - 2):
        run: list[str] = []
        for w in words[k:k + 8]:
            if not _column_word(w.group(0), not run):
                break
            run.append(w.group(0))
        if len(run) >= 3 and header_roles(run):
            table = line[words[k].start():]
            end = _END.search(table)  # the signature after the table on the same line stays apart
            tail = [table[: end.start()].strip(), table[end.start():].strip()] if end and end.start() else [table]
            return [line[: words[k].start()].strip(), *tail] if k else tail
    return [line]


def unnumbered_tables(lines: list[str]) -> list[str]:
    """The lines with every table without 序号 (written without TABs) replaced by TAB rows."""
    lines = [part for line in lines for part in _header_inside(line)]
    out: list[str] = []
    i = 0
    while i < len(lines):
        found = _header_at(lines, i) if "\t" not in lines[i] and cell_role(lines[i].split()[0] if lines[i].split()
                                                                           else "") else None
        if found is None:
            out.append(lines[i])
            i += 1
            continue
        words, roles, j, spaced, rest = found
        groups, end = _table_cells(lines, j, spaced)
        groups = [rest, *groups] if rest else groups
        explicit = all(len(g) <= len(roles) for g in groups) and any(len(g) > 1 for g in groups)
        rows = groups if explicit and not spaced or spaced and all(len(g) == len(roles) for g in groups) \
            else _rows([c for g in groups for c in g])
        tab = [_tab_row(r, roles) for r in rows]
        if not any(t.split("\t")[k] for t in tab for k, r in enumerate(roles) if r in _TAIL):
            out.append(lines[i])
            i += 1
            continue
        out.append("\t".join(words))
        out.extend(tab)
        i = end
    return out
