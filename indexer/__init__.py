"""indexer: plan documents (txt, md, html, docx, doc, xlsx, xls, pdf incl. scans; UTF-8 or GBK) -> clause-level
knowledge entries.

Public API: `parse_file(path) -> Document`, `build_entries(paths) -> list[Entry]`, and the knowledge
store in `indexer.store`. This package never imports `bot`.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from indexer.model import Document, DocumentError, Entry


def parse_file(path: str | Path) -> Document:
    """Read, repair and parse one plan; raises DocumentError with a one-line reason when it cannot."""
    from indexer.entries import build_document
    from indexer.read import read_document

    path = Path(path)
    raw = read_document(path)
    doc = build_document(raw.text, file=str(path), doc_id=path.stem, ocr=raw.ocr)
    doc.warnings.extend(raw.notes)  # what the reader left out (a workbook's sheet that is no plan)
    if not doc.entries:
        raise DocumentError("no numbered clauses or task-table rows found (is this a 政务公开 plan?)")
    return doc


def build_entries(paths: Iterable[str | Path]) -> list[Entry]:
    """Entries of every readable plan among `paths` (unreadable ones are skipped; see indexer.store)."""
    entries: list[Entry] = []
    for p in paths:
        try:
            entries.extend(parse_file(p).entries)
        except DocumentError:
            continue
    return entries


__all__ = ["Document", "DocumentError", "Entry", "build_entries", "parse_file"]
