"""Official answers as an Excel workbook, the way offices keep them: import many at once, export them all.

One sheet, a header row, then one answer per row: 问题 / 相似问法 (separated by `|`) / 答复 / 地区 / 来源,
and optionally 有效期至 (YYYY-MM-DD). Columns are found by their header, so their order may differ.
Rows are validated like answers written in /admin (bot/official/store.py `validated`); a bad row is
reported with its number and skipped, the others are kept.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from bot.official.store import AnswerError, AnswerRecord, validated

COLUMNS = ("问题", "相似问法", "答复", "地区", "来源")
EXPIRES = "有效期至"
FIELDS = {"问题": "question", "相似问法": "variants", "答复": "answer", "地区": "region", "来源": "source",
          EXPIRES: "expires"}
MAX_ROWS = 5000


class WorkbookError(ValueError):
    """The file is not a workbook with the expected header; one line for the person."""


@dataclass
class Rows:
    """The answers read from a workbook (validated fields) and the rows that could not be used."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if value is None:
        return None
    return value if not isinstance(value, str) else value.strip()


def read(data: bytes) -> Rows:
    """Validated answers from .xlsx bytes; WorkbookError when the file or its header is not usable."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookError(f"not an .xlsx workbook ({type(exc).__name__})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        missing = [c for c in ("问题", "答复") if c not in header]
        if missing:
            raise WorkbookError(f"the first row must name the columns {' / '.join(COLUMNS)}; missing {missing}")
        where = {FIELDS[h]: i for i, h in enumerate(header) if h in FIELDS}
        out = Rows()
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                out.errors.append({"row": number, "error": f"more than {MAX_ROWS} rows; the rest were not read"})
                break
            values = {name: _cell(row[i]) if i < len(row) else None for name, i in where.items()}
            if not any(v not in (None, "") for v in values.values()):
                continue  # an empty row
            variants = values.get("variants")
            values["variants"] = [v for v in str(variants).split("|") if v.strip()] if variants else []
            try:
                out.answers.append({"row": number, **validated(values)})
            except AnswerError as exc:
                out.errors.append({"row": number, "error": str(exc)})
        return out
    finally:
        book.close()


def write(records: list[AnswerRecord]) -> bytes:
    """Every answer in the import layout (plus 有效期至), .xlsx bytes."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # the new book's one (active) sheet
    sheet.title = "答复口径"
    sheet.append([*COLUMNS, EXPIRES])
    for r in records:
        sheet.append([r.question, "|".join(r.variants), r.answer, r.region or "", r.source or "", r.expires or ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
