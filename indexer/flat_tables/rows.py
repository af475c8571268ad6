"""A flattened table's header words and text -> TAB rows (header first) that indexer/tables.py reads like any
other table: empty cells where a cell is absent, so TableParser does all inheritance (merged cells).

A numbered section row without a 序号 ("二、加强平台建设") becomes a heading row. Used by
indexer/flat_tables/lines.py.
"""
from __future__ import annotations

import re

from indexer.fields import split_units
from indexer.flat_tables.chain import split_rows
from indexer.flat_tables.header import Layout, find_headers, layout_of
from indexer.flat_tables.headings import heading_patterns
from indexer.flat_tables.peel import Row, peel, section_tail

GLUED_UNITS = re.compile(r"(?<=[局办室委会处厅署院所站队部心）)])(?=(?:区|市|县|镇|乡|各|有关|相关)[\u4e00-\u9fff])")


def _unit_cells(units: str | None, layout: Layout) -> list[str]:
    """The units text spread over the header's unit columns (牵头单位 / 配合单位 when cells are spaced)."""
    if not units:
        return [""] * layout.unit_columns
    if not layout.spaced:
        units = GLUED_UNITS.sub("、", units)
    if layout.unit_columns == 1:
        return [units]
    groups = units.split() if layout.spaced else [units]
    if len(groups) < 2:
        return [units] + [""] * (layout.unit_columns - 1)
    head = groups[: layout.unit_columns - 1]
    return [*head, " ".join(groups[layout.unit_columns - 1:])]


def _level_cells(row: Row, levels: int) -> list[str]:
    """The row's headings in `levels` cells: the last ones when their depth is unknown (a row that names a
    heading repeats the deepest ones), else at their depth in the document's numbering."""
    cells = [""] * levels
    if not levels or not row.headings:
        return cells
    if len(row.depths) == len(row.headings) and all(d >= 0 for d in row.depths):
        at = [min(d, levels - 1) for d in row.depths]
        if all(a < b for a, b in zip(at, at[1:], strict=False)):
            for a, h in zip(at, row.headings, strict=True):
                cells[a] = h
            return cells
    headings = row.headings[len(row.headings) - levels:]
    cells[levels - len(headings):] = headings
    return cells


def _row_cells(parts: list[tuple[str, str]], layout: Layout) -> list[tuple[str, str, str | None]]:
    """(序号, row text, section row after it) of each part; a part without a 序号 is a section row."""
    cells: list[tuple[str, str, str | None]] = []
    for number, text in parts:
        if not number:  # a section row before the first row
            cells.append(("", "", text.strip()))
            continue
        text, section = section_tail(text, layout)
        cells.append((number, text, section))
    return cells


def _tab_lines(cells: list[tuple[str, str, str | None]], rows: list[Row | None], layout: Layout) -> list[str]:
    """The header and the rows as TAB lines, with as many task-level cells as the deepest row needs."""
    levels = max(len(layout.body_words) - 1, max(len(r.headings) for r in rows if r))
    header = [layout.number_word, *layout.body_words[:-1], *[""] * (levels - len(layout.body_words) + 1),
              layout.body_words[-1], *[w for _, w in layout.tail]]
    out = ["\t".join(header)]
    for (number, _, section), r in zip(cells, rows, strict=True):
        if r:
            unit_cells = iter(_unit_cells(r.units, layout))
            tail = [(r.deadline or "") if role == "deadline" else next(unit_cells) for role, _ in layout.tail]
            out.append("\t".join([number, *_level_cells(r, levels), r.text, *tail]))
        if section:
            out.append(f"{section}\t")  # a section row: its heading alone, as a TAB table has it
    return out


def recover_rows(words: list[str], stream: str, spaced: bool, context: list[str] | None = None) -> list[str] | None:
    """TAB lines (header, then rows) for a flattened table: its header words and the text after them.
    `context` is the document's other lines, whose numbered titles help find headings in unspaced rows."""
    layout = layout_of(words, spaced)
    if layout is None:
        return None
    if not spaced and context:
        layout.headings = heading_patterns(context)
    for header in reversed(find_headers(stream)):  # a header repeated on every page of the table
        stream = f"{stream[:header.start]}\n{stream[header.end:]}"
    parts = split_rows(stream, layout)
    if not parts:
        return None
    number, last = parts[-1]
    last, after = _after_table(last, layout)
    parts[-1] = (number, last)
    cells = _row_cells(parts, layout)
    first = [peel(text, layout, frozenset()) for number, text, _ in cells if number]
    known = frozenset(u for r in first if r.units for u in split_units(r.units))
    rows = [peel(text, layout, known) if number else None for number, text, _ in cells]
    if not any(r and (r.units or r.deadline) for r in rows):
        return None
    return _tab_lines(cells, rows, layout) + ([after] if after else [])


def _after_table(segment: str, layout: Layout) -> tuple[str, str]:
    """The last row and the text after the table on the same line (spaced cells): when the whole segment does
    not end like a row, it ends at the first space after which it would (a deadline or units before it)."""
    if not layout.spaced:
        return segment, ""
    row = peel(segment, layout, frozenset())
    if row.units or row.deadline:
        return segment, ""
    for m in re.finditer(r"\s+", segment.strip()):
        if m.start() > 1500:
            break
        head = peel(segment.strip()[: m.start()], layout, frozenset())
        if head.text and head.deadline and head.units:
            return segment.strip()[: m.start()], segment.strip()[m.end():]
    return segment, ""
