"""Reader for .pdf files: each page's characters in reading order (pdfplumber, by their place on the page; pypdf's
plain-mode text where that fails), page after page, with the hard line breaks.

Wrapped lines, page numbers and running headers are left in on purpose: indexer/normalize.py repairs them.
A page with a drawn table is read again by pdf_tables.py (cells from the layout, as TAB rows); a PDF with no
text at all (a scan) goes through OCR (ocr.py) and is marked so.
"""
from __future__ import annotations

import io
import logging
import warnings

from indexer.model import DocumentError
from indexer.read.ocr import ocr_pdf
from indexer.read.pdf_tables import in_reading_order, may_hold_tables, with_tables
from indexer.read.raw import RawText, fix_newlines, reason


def read_pdf(data: bytes, fmt: str) -> RawText:
    """The pages' text joined by newlines. Cheap header and end-of-file checks come first so a renamed or
    cut-off file gets a clear message instead of whatever pypdf says; pypdf's own warnings are silenced
    because a repaired file is still read."""
    if b"%PDF-" not in data[:1024]:
        raise DocumentError("not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-4096:]:
        raise DocumentError("damaged PDF (truncated: no end-of-file marker)")
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs every repaired cross-reference table as a warning
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = _pdf_pages(data)
    finally:
        logger.setLevel(level)
    if not "".join(pages).strip():
        return RawText(text=fix_newlines(ocr_pdf(data)), format=fmt, encoding=None, ocr=True)
    pages = in_reading_order(data, pages)
    if may_hold_tables("".join(pages)):
        pages = with_tables(data, pages)
    text = fix_newlines("\n".join(page.rstrip("\n") for page in pages))
    return RawText(text=text, format=fmt, encoding=None)


def _pdf_pages(data: bytes) -> list[str]:
    """Plain-mode text of each page: hard line breaks and page-number lines are kept for the normaliser."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:
        raise DocumentError(f"damaged PDF ({reason(exc)})") from exc
    if encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError:
            raise DocumentError("encrypted PDF (decrypting it needs the 'cryptography' package)") from None
        except Exception as exc:
            raise DocumentError(f"encrypted PDF (cannot decrypt: {reason(exc)})") from exc
        if not opened:
            raise DocumentError("encrypted PDF (password required)")
    try:
        pages = list(reader.pages)
    except Exception as exc:
        raise DocumentError(f"damaged PDF ({reason(exc)})") from exc
    texts: list[str] = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text(extraction_mode="plain") or "")
        except Exception as exc:
            raise DocumentError(f"damaged PDF (page {number}: {reason(exc)})") from exc
    return texts
