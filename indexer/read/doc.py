"""Reader for Word 97-2003 .doc files, through Debian's antiword (DocBook XML output: paragraphs and
table rows keep their structure). Installed by `make system-deps`; without it a .doc is refused with the
remedy. Very small files antiword declines are read by LibreOffice headless when it is installed.
Next step: indexer/normalize.py (it rejoins paragraphs antiword cut at internal boundaries).
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from indexer.model import DocumentError
from indexer.read.cells import cell_text
from indexer.read.limits import LimitExceeded
from indexer.read.process import run_bounded
from indexer.read.raw import RawText, fix_newlines

_TIMEOUT = 120  # seconds: a plan of hundreds of pages converts in a few


def read_doc(data: bytes, fmt: str) -> RawText:
    if not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise DocumentError("not a Word 97-2003 .doc file (no OLE header)")
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise DocumentError("password-protected Word file")
    with tempfile.TemporaryDirectory(prefix="zwgk-doc-") as tmp:
        path = Path(tmp) / "plan.doc"
        path.write_bytes(data)
        text = _antiword(path) or _libreoffice(path)
    if not text.strip():
        raise DocumentError("Word document has no text")
    return RawText(text=fix_newlines(text), format=fmt, encoding=None)


def _antiword(path: Path) -> str:
    if shutil.which("antiword") is None:
        if shutil.which("soffice"):
            return ""
        raise DocumentError("reading .doc needs antiword (Debian package; `make system-deps` installs it)")
    done = _bounded(["antiword", "-x", "db", "-m", "UTF-8.txt", str(path)], "antiword")
    if done.returncode != 0 or not done.stdout.strip():
        return ""  # e.g. "the text stream of this file is too small to handle"
    return _docbook_text(done.stdout)


def _bounded(cmd: list[str], name: str) -> subprocess.CompletedProcess[bytes]:
    """Run a converter; one that hangs is killed with everything it started (indexer/read/process.py)."""
    try:
        return run_bounded(cmd, _TIMEOUT)
    except subprocess.TimeoutExpired:
        raise LimitExceeded("seconds", f"{name} did not finish converting this .doc within {_TIMEOUT} s "
                            "and was stopped") from None


def _docbook_text(xml: bytes) -> str:
    """Paragraphs one per line, table rows as TAB lines (blank lines around tables)."""
    lines: list[str] = []
    _walk(ET.fromstring(xml), lines)
    return "\n".join(lines)


def _walk(node: ET.Element, lines: list[str]) -> None:
    for child in node:
        if child.tag == "para" and child.find(".//row") is None:
            lines.append(" ".join("".join(child.itertext()).split()))
        elif child.tag == "para":  # antiword puts a table inside a paragraph
            lines.append(" ".join((child.text or "").split()))
            _walk(child, lines)
        elif child.tag == "row":
            cells = [cell_text([" ".join(p.split()) for p in "".join(e.itertext()).split("\n") if p.strip()])
                     for e in child.iter("entry")]
            lines.append("\t".join(cells))
        elif child.tag in ("table", "informaltable"):
            lines.append("")
            _walk(child, lines)
            lines.append("")
        else:
            _walk(child, lines)


def _libreoffice(path: Path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        raise DocumentError("antiword could not read this .doc (too small or damaged)")
    out = path.parent / "out"
    _bounded([soffice, "--headless", f"-env:UserInstallation=file://{path.parent}/profile",
              "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(out), str(path)], "LibreOffice")
    converted = out / "plan.txt"
    if not converted.is_file():
        raise DocumentError("damaged Word .doc file (neither antiword nor LibreOffice could read it)")
    return converted.read_text(encoding="utf-8-sig", errors="replace")
