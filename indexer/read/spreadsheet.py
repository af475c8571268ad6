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
import re
import zipfile
from typing import Any

from indexer.model import DocumentError
from indexer.patterns import HEADER_WORDS, NUMBER_START
from indexer.read import limits
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

    check_xlsx(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise DocumentError(f"damaged or not an .xlsx file ({reason(exc)})") from exc
    blocks, names = [], []
    for sheet in book.worksheets:
        grid = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        merges = [(m.min_row - 1, m.max_row - 1, m.min_col - 1, m.max_col - 1) for m in sheet.merged_cells.ranges]
        blocks.append(sheet_lines(grid, merges))
        names.append(str(sheet.title))
    return _raw(blocks, fmt, names)


_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")


def _ref(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of an A1 reference; (0, 0) when it is not one."""
    m = _REF.fullmatch(ref.strip().upper())
    if not m:
        return 0, 0
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def check_xlsx(data: bytes) -> None:
    """Refuse a workbook that would unpack or spread too far, from its ZIP directory and a streaming pass
    over each sheet's cell references and merged ranges: openpyxl makes a row for every row up to the
    farthest cell and an object for every merged cell, so one cell at XFD3000 is 49 million cells."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            limits.check_zip(archive)
            for name in archive.namelist():
                if _SHEET_PART.fullmatch(name):
                    with archive.open(name) as part:
                        _check_sheet(part, name.rsplit("/", 1)[-1])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        return  # not a readable ZIP: openpyxl says what is wrong
    except limits.LimitExceeded:
        raise
    except Exception:  # malformed XML: openpyxl reports it
        return


def _check_sheet(part: Any, name: str) -> None:
    from lxml import etree  # a python-docx dependency; streaming, entities never resolved

    rows = cols = merged = 0
    row = col = 0
    for event, elem in etree.iterparse(part, events=("start", "end"), resolve_entities=False, no_network=True):
        tag = elem.tag.rsplit("}", 1)[-1] if isinstance(elem.tag, str) else ""
        if event == "start":
            if tag == "row":
                given = elem.get("r") or ""
                row, col = (int(given) if given.isdigit() else row + 1), 0
            continue
        if tag == "c":
            r, c = _ref(elem.get("r") or "")
            row, col = (r, c) if r else (row, col + 1)
            rows, cols = max(rows, row), max(cols, col)
        elif tag == "row":
            rows = max(rows, row)
        elif tag == "mergeCell":
            (r0, c0), (r1, c1) = (_ref(x) for x in ((elem.get("ref") or "") + ":").split(":")[:2])
            if r0 and r1:
                limits.check_table(max(r0, r1), max(c0, c1), f"a merged range of {name}")
                merged += (abs(r1 - r0) + 1) * (abs(c1 - c0) + 1)
                limits.check_merged(merged, name)
        else:
            continue
        elem.clear()
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    limits.check_table(rows, cols, f"sheet {name}")


def read_xls(data: bytes, fmt: str) -> RawText:
    import xlrd  # local: only old spreadsheets need it

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:
        raise DocumentError(f"damaged or not an .xls file ({reason(exc)})") from exc
    blocks, names = [], []
    for sheet in book.sheets():
        limits.check_table(sheet.nrows, sheet.ncols, f"sheet {sheet.name[:40]}")
        grid = []
        for r in range(sheet.nrows):
            row = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_cell(xlrd.xldate.xldate_as_datetime(float(cell.value), book.datemode)))
                else:
                    row.append(_cell(cell.value))
            grid.append(row)
        merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
        blocks.append(sheet_lines(grid, merges))
        names.append(str(sheet.name))
    return _raw(blocks, fmt, names)


def _raw(blocks: list[list[str]], fmt: str, names: list[str]) -> RawText:
    """Every sheet's text, sheets of clauses first and task tables after them (the parser reads the body
    before the first table); a sheet that is neither is left out and named in `notes`."""
    clauses, tables, notes = [], [], []
    for lines, name in zip(blocks, names, strict=True):
        kind = sheet_kind(lines)
        if kind == "table":
            tables.append(lines)
        elif kind == "clauses":
            clauses.append(lines)
        elif lines:
            notes.append(f"sheet {name!r} skipped: neither a task table (no 责任单位/完成时限 header) nor numbered clauses")
    text = "\n\n".join("\n".join(lines) for lines in [*clauses, *tables] if lines)
    if not text.strip():
        raise DocumentError("spreadsheet has no text" + (f" ({notes[0]})" if notes else ""))
    return RawText(text=text, format=fmt, encoding=None, notes=notes)


_TAIL_WORDS = re.compile("|".join(HEADER_WORDS["units"] + HEADER_WORDS["deadline"]))
_BODY_WORDS = re.compile("|".join(HEADER_WORDS["task"] + HEADER_WORDS["text"]))


def sheet_kind(lines: list[str]) -> str:
    """"table" (a row names a 责任单位/完成时限 column and a task or requirement one), "clauses" (numbered
    paragraphs or a plan's title), or "" for anything else (a contact list, notes to whoever fills it in)."""
    for line in lines:
        cells = [re.sub(r"\s+", "", c) for c in line.split("\t")]
        short = [c for c in cells if 0 < len(c) <= 8]
        if len(short) >= 2 and any(_TAIL_WORDS.search(c) for c in short) and any(_BODY_WORDS.search(c) for c in short):
            return "table"
    numbered = sum(1 for line in lines if "\t" not in line and NUMBER_START.match(line))
    titled = any(re.search(r"(?:工作要点|实施方案|工作方案|任务分工|任务清单)", line) for line in lines[:5])
    return "clauses" if numbered >= 2 or titled and numbered else ""
