"""What every reader in this package hands back: RawText, with "\\n" line endings and no BOM, and errors in one line.

Used by the format readers (plain.py, html.py, docx.py, pdf.py) and by the dispatcher in __init__.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawText:
    """A document as plain text, before normalisation."""

    text: str  # the document as plain text
    format: str  # "txt" | "md" | "html" | "docx" | "doc" | "xlsx" | "xls" | "pdf"
    encoding: str | None  # detected text encoding for txt/md/html, None for docx/pdf
    ocr: bool = False  # the text was recognised from page images (a scanned PDF)
    notes: list[str] = field(default_factory=list)  # what the reader left out (a workbook's sheet), one line each


def fix_newlines(text: str) -> str:
    """Drop a leading U+FEFF and turn CRLF and lone CR into LF: every reader's output uses "\\n" only, so the
    normaliser and the parsers never meet a Windows or old-Mac line ending."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def reason(exc: BaseException) -> str:
    """First line of an exception message, short enough for a one-line report."""
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
