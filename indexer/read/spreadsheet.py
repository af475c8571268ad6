"""Reader for .xlsx (openpyxl) and .xls (xlrd) task tables: every sheet's rows as TAB lines, merged cells
resolved.

A vertically merged cell (a task heading or a 责任单位 spanning several rows) gives its value to every row it
spans; a horizontally merged one (a title across the table, a header spanning two columns) keeps its value
in its first column only, so a title stays one line. Dates are written as 2022年6月30日, whole numbers
without ".0". Next step: indexer/normalize.py (tables are read by indexer/tables.py).
"""
from __future__ import annotations

import datetime as dt
import io
from typing import Any

from indexer.model import DocumentError
from indexer.read.raw import RawText, reason

Merge = tuple[int, int, int, int]  # first row, last row, first column, last column (0-based, inclusive)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(part.strip() for part in text.split("\n"))  # a cell's own line breaks are no paragraphs


def sheet_lines(grid: list[list[str]], merges: list[Merge]) -> list[str]:
    """A sheet's rows as TAB lines, merged ranges resolved (down, not across); empty rows dropped."""
    grid = [list(row) for row in grid]
    for r0, r1, c0, _ in merges:
        if r0 >= len(grid):
            continue
        value = grid[r0][c0] if c0 < len(grid[r0]) else ""
        for r in range(r0 + 1, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            row.extend([""] * (c0 + 1 - len(row)))
            row[c0] = value
    lines = []
    for row in grid:
        while row and not row[-1]:
            row.pop()
        if any(row):
            lines.append("\t".join(row) if len(row) > 1 else row[0])
    return lines


def read_xlsx(data: bytes, fmt: str) -> RawText:
    import openpyxl  # local: only spreadsheets need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise DocumentError(f"damaged or not an .xlsx file ({reason(exc)})") from exc
    blocks = []
    for sheet in book.worksheets:
        grid = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        blocks.append(sheet_lines(grid, merges))
    return _raw(blocks, fmt)


def read_xls(data: bytes, fmt: str) -> RawText:
    import xlrd  # local: only old spreadsheets need it

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:
        raise DocumentError(f"damaged or not an .xls file ({reason(exc)})") from exc
    blocks = []
    for sheet in book.sheets():
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_cell(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    row.append(_cell(cell.value))
            grid.append(row)
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        blocks.append(sheet_lines(grid, merges))
    return _raw(blocks, fmt)


def _raw(blocks: list[list[str]], fmt: str) -> RawText:
    text = "\n\n".join("\n".join(lines) for lines in blocks if lines)
    if not text.strip():
        raise DocumentError("spreadsheet has no text")
    return RawText(text=text, format=fmt, encoding=None)
