"""Scanned PDFs read by OCR that runs offline: each page rendered to an image (pypdfium2, installed with
pdfplumber) and recognised by Debian's tesseract with its Simplified Chinese model (tesseract-ocr,
tesseract-ocr-chi-sim; `make system-deps` installs them). Nothing is downloaded at run time. The text is
marked as OCR by pdf.py; indexer/normalize.py removes the spaces tesseract puts between Chinese characters.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from indexer.model import DocumentError
from indexer.read import limits
from indexer.read.process import run_bounded
from indexer.read.raw import reason

_DPI = 300
_MAX_PAGES = 300
_TIMEOUT = 180  # seconds per page


def ocr_pdf(data: bytes) -> str:
    """The text of a PDF's page images, page after page."""
    if shutil.which("tesseract") is None:
        raise DocumentError("PDF has no extractable text (a scan); OCR needs tesseract-ocr and "
                            "tesseract-ocr-chi-sim (`make system-deps`)")
    import pypdfium2 as pdfium  # local: only scans need it

    try:
        pdf = pdfium.PdfDocument(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(f"damaged PDF ({reason(exc)})") from exc
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="zwgk-ocr-") as tmp:
        for k in range(min(len(pdf), _MAX_PAGES)):
            width, height = pdf[k].get_size()  # points: checked before a pixel is allocated
            limits.check_render(width, height, _DPI, k + 1)
            image = Path(tmp) / f"page{k}.png"
            pdf[k].render(scale=_DPI / 72).to_pil().save(image)
            texts.append(_tesseract(image))
    text = "\n".join(texts)
    if not text.strip():
        raise DocumentError("PDF has no text, and OCR recognised none in its page images")
    return text


def _tesseract(image: Path) -> str:
    try:
        done = run_bounded(["tesseract", str(image), "stdout", "-l", "chi_sim", "--psm", "6"], _TIMEOUT)
    except subprocess.TimeoutExpired:
        raise limits.LimitExceeded("seconds", f"OCR of one page took longer than {_TIMEOUT} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DocumentError(f"OCR failed ({message[-1] if message else 'tesseract error'})")
    return done.stdout.decode("utf-8", "replace")
