"""File -> text: a plan file (.txt .md .html .docx .doc .xlsx .xls .pdf) as plain text, table rows as TAB lines.

This module checks the path (missing, directory, size, suffix) and hands the bytes to one reader per format:
plain.py (.txt/.md, with encoding.py), html.py (with html_tree.py), docx.py (with numbering.py and
wordml.py), doc.py (antiword), spreadsheet.py (.xlsx/.xls) and pdf.py (with pdf_tables.py and ocr.py);
html.py, docx.py and doc.py join table cells with cells.py; all return raw.py's RawText.
Next step: indexer/normalize.py repairs that text (page numbers, broken lines) before the plan is parsed.
"""
from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from indexer.model import DocumentError
from indexer.read.cells import CELL_BREAK
from indexer.read.doc import read_doc
from indexer.read.docx import read_docx
from indexer.read.html import read_html
from indexer.read.pdf import read_pdf
from indexer.read.plain import read_plain
from indexer.read.raw import RawText, reason
from indexer.read.spreadsheet import read_xls, read_xlsx

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".doc", ".xlsx", ".xls", ".pdf")

MAX_BYTES = 50 * 1024 * 1024

_FORMATS = {
    ".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx",
    ".doc": "doc", ".xlsx": "xlsx", ".xls": "xls", ".pdf": "pdf",
}
_SUFFIX_LIST = ".txt .md .html .htm .docx .doc .xlsx .xls .pdf"
_READERS: dict[str, Callable[[bytes, str], RawText]] = {
    "txt": read_plain, "md": read_plain, "html": read_html, "docx": read_docx, "doc": read_doc,
    "xlsx": read_xlsx, "xls": read_xls, "pdf": read_pdf,
}


def read_document(path: str | Path) -> RawText:
    """Read one plan file as text; any problem becomes a DocumentError whose message is one plain line.

    The message never names the path: the caller prefixes it.
    """
    path = Path(path)
    fmt = _format_of(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read file ({_os_reason(exc)})") from None
    if not data:
        raise DocumentError("empty file")
    try:
        return _READERS[fmt](data, fmt)
    except DocumentError:
        raise
    except Exception as exc:  # last guard: a library surprise must still reach the user as one line
        raise DocumentError(f"cannot read {fmt} file ({type(exc).__name__}: {reason(exc)})") from exc


def _format_of(path: Path) -> str:
    """The reader format of a file that exists, is regular, supported and not too large; else DocumentError."""
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DocumentError("file not found") from None
    except OSError as exc:
        raise DocumentError(f"cannot open file ({_os_reason(exc)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError("is a directory")
    suffix = path.suffix.lower()
    fmt = _FORMATS.get(suffix)
    if fmt is None:
        raise DocumentError(_unsupported(suffix))
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError("not a regular file")
    if info.st_size > MAX_BYTES:
        size = -(-info.st_size // 2**20)  # MB, rounded up: 50 MB and one byte is not "50 MB"
        raise DocumentError(f"file too large ({size} MB; the limit is {MAX_BYTES // 2**20} MB)")
    return fmt


def _unsupported(suffix: str) -> str:
    """Name the suffix and the accepted ones; old Office formats get the obvious remedy."""
    shown = suffix or "without a suffix"
    message = f"unsupported file type {shown} (supported: {_SUFFIX_LIST})"
    if suffix in (".wps", ".rtf", ".et", ".ofd"):
        message += "; save it as .docx first"
    return message


def _os_reason(exc: OSError) -> str:
    """The OS's own words ("permission denied"), lower-case to sit inside our sentence."""
    return (exc.strerror or type(exc).__name__).lower()


__all__ = ["CELL_BREAK", "MAX_BYTES", "SUPPORTED_SUFFIXES", "RawText", "read_document"]
