"""An uploaded plan file: its name checked, its bytes stored under `office.dir`/uploads, parsed by the indexer.

Every problem is an UploadError with an HTTP status and one line for the person uploading: a name with
a folder in it (path traversal) or characters that are not text, an unsupported type, an empty, huge or
unreadable file, or a document with no clauses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from indexer import parse_file
from indexer.model import Document, DocumentError
from indexer.read import SUPPORTED_SUFFIXES

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


class UploadError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Parsed:
    """What the preview shows: the document and the indexer's warnings."""

    document: Document
    warnings: list[str] = field(default_factory=list)

    @property
    def tasks(self) -> int:
        return sum(1 for e in self.document.entries if e.kind == "task")


def checked_name(name: str | None) -> str:
    """The file name as given, when it is a plain name of a supported type; else UploadError 400/415."""
    if not name or not name.strip():
        raise UploadError(400, "the upload has no file name")
    if "/" in name or "\\" in name or name.strip() in (".", ".."):
        raise UploadError(400, "the file name must not contain a folder (/ or \\)")
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise UploadError(400, "the file name is not valid text (UTF-8); rename the file and upload it again") from None
    name = unicodedata.normalize("NFC", name.strip())
    if _UNSAFE.search(name) or name.startswith("."):
        raise UploadError(400, "the file name contains characters not allowed in file names")
    if len(name) > MAX_NAME_CHARS:
        raise UploadError(400, f"the file name is too long ({len(name)} characters; at most {MAX_NAME_CHARS})")
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "none"
        raise UploadError(415, f"unsupported file type ({shown}); upload one of: {' '.join(SUPPORTED_SUFFIXES)}")
    return name


def store(data: bytes, name: str, folder: Path, max_bytes: int) -> Path:
    """Write the bytes to `folder`/`name` (folder created); refuse empty and oversized files first."""
    if not data:
        raise UploadError(400, "the file is empty")
    if len(data) > max_bytes:
        raise UploadError(413, f"the file is too large ({len(data) // 2**20} MB; at most {max_bytes // 2**20} MB)")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def parse(path: Path) -> Parsed:
    """Parse with the indexer; a file it cannot read or that holds no plan is UploadError 422."""
    try:
        doc = parse_file(path)
    except DocumentError as exc:
        raise UploadError(422, f"{path.name}: {exc}") from None
    return Parsed(doc, [str(w) for w in getattr(doc, "warnings", [])])
