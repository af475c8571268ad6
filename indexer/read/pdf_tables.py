"""Tables of a PDF rebuilt from its layout (pdfplumber): the ruled cells of a task table as TAB rows, the
text around them as lines, in reading order. pypdf's plain text runs a table's cells together line by line;
the drawn grid says which words share a cell. Merged cells come back empty (TableParser inherits them).
Used by pdf.py, only for pages of a PDF whose text names a table's header words.
"""
from __future__ import annotations

import io
import re
from typing import Any

from indexer.patterns import HEADER_WORDS
from indexer.read.cells import cell_text

_TABLE_WORDS = re.compile("|".join(HEADER_WORDS["units"] + HEADER_WORDS["deadline"]))


def in_reading_order(data: bytes, pages: list[str]) -> list[str]:
    """Each page's text with its characters in reading order, line by line by their place on the page.

    pypdf writes a line's characters run by run of one font: a Word plan saved as PDF sets its quotes and
    digits in a Latin font, so "2025年是“十四五”规划" comes out as "2025 “”年是十四五规划". pdfplumber orders the
    characters by position. Only a line holding the very same characters in another order is replaced, so
    pypdf's line breaks, page numbers and decoding stay (a page pdfplumber cannot read keeps pypdf's text)."""
    import pdfplumber  # local: only PDFs need it

    out = list(pages)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for k, page in enumerate(pdf.pages[: len(pages)]):
                out[k] = _reordered(pages[k], page.extract_text() or "")
    except Exception:  # the order is a bonus: a page pdfplumber cannot read keeps pypdf's text
        return pages
    return out


def _key(line: str) -> str:
    return "".join(sorted(re.sub(r"\s+", "", line)))


def _reordered(plain: str, ordered: str) -> str:
    """pypdf's page text with each line whose characters pdfplumber places in another order taken from it."""
    by_chars = {_key(line): line for line in ordered.split("\n") if line.strip()}
    lines = plain.split("\n")
    for i, line in enumerate(lines):
        other = by_chars.get(_key(line)) if line.strip() else None
        if other is not None and re.sub(r"\s+", "", other) != re.sub(r"\s+", "", line):
            lines[i] = other
    return "\n".join(lines)


def may_hold_tables(text: str) -> bool:
    """Whether the text names a task table's 责任单位/完成时限 header (worth reading the layout)."""
    return bool(_TABLE_WORDS.search(re.sub(r"\s+", "", text)))


def with_tables(data: bytes, pages: list[str]) -> list[str]:
    """The pages' text, where pdfplumber finds a ruled table on a page: that page rebuilt with TAB rows."""
    import pdfplumber  # local: only PDFs that may hold a table need it

    out = list(pages)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for k, page in enumerate(pdf.pages[: len(pages)]):
                tables = page.find_tables()
                if tables:
                    out[k] = _page_text(page, tables)
    except Exception:  # the layout is a bonus: a page pdfplumber cannot read keeps pypdf's text
        return pages
    return out


def _page_text(page: Any, tables: list[Any]) -> str:
    """Lines outside the tables and the tables' rows, ordered top to bottom."""
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
    lines = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
    for table in tables:
        top = table.bbox[1]
        rows = table.extract()
        lines.append((top - 0.5, ""))  # a blank line before and after: where the table starts and ends
        for k, row in enumerate(rows):
            cells = [cell_text([part.strip() for part in (cell or "").split("\n")]) for cell in row]
            lines.append((top + k * 1e-3, "\t".join(cells)))
        lines.append((table.bbox[3] + 0.5, ""))
    return "\n".join(text for _, text in sorted(lines, key=lambda item: item[0]))
