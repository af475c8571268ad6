"""An uploaded plan file: its name checked, its bytes stored under `office.dir`/uploads, parsed by the indexer.

Every problem is an UploadError with an HTTP status and one line for the person uploading: a name with
a folder in it (path traversal) or characters that are not text, an unsupported type, an empty, huge or
unreadable file, or a document with no clauses, or one over a reading limit (422 naming the limit).

Reading runs in a child process per document (indexer/sandbox.py: time, memory, ZIP, cell and pixel
limits). The request's thread only waits on the child's pipe, holding no GIL, and at most
`PARSE_SLOTS` documents are read at once per server process; another upload meanwhile is told 503
"try again shortly" at once rather than holding a second thread, so the threads that answer citizens
are never all waiting on uploads (docs/guarantees.md). A parse is cached by content (indexer/parsed.py),
so the preview page never reads (or OCRs) a file again.

Storage: the name is chosen and the bytes written under the catalog's cross-process lock, so two uploads
of one name 0.3 s apart get distinct names; bytes go to a temporary file renamed into place, and any
failure (a full disk, an unreadable document) removes the file and its folder: nothing half-written and
no empty folder is left.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bot.office.catalog import PlanCatalog
from indexer.model import Document, DocumentError
from indexer.parsed import ParsedCache, parse_cached
from indexer.read import SUPPORTED_SUFFIXES
from indexer.read.limits import LimitExceeded
from indexer.sandbox import Limits, parse_in_child

MAX_NAME_CHARS = 120
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; the stored name may gain "-" and 12 hex digits
PARSE_SLOTS = 1  # documents read at once per server process (each in its own child process)
_slots = threading.BoundedSemaphore(PARSE_SLOTS)
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
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadError(400, f"the file name is too long ({len(name.encode('utf-8'))} bytes as UTF-8; at most "
                               f"{MAX_NAME_BYTES}); shorten it")
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
    path = folder / name
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        discard(folder)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise UploadError(507, "the server's disk is full: the file was not stored (nothing was kept); "
                                   "try again when space is freed") from None
        raise UploadError(500, f"the file could not be stored ({exc.strerror or exc}); nothing was kept") from None
    return path


def discard(folder: Path) -> None:
    """Remove an upload's folder and whatever is in it (a failed upload leaves nothing behind)."""
    shutil.rmtree(folder, ignore_errors=True)


def receive(catalog: PlanCatalog, plan_id: str, name: str, data: bytes, max_bytes: int) -> Path:
    """Store an upload under a name no other plan has: chosen and written under the catalog's lock, so
    a second upload of the same name (another thread or worker) sees this file and is renamed."""
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    with catalog.locked():
        stored = f"{stem}-{plan_id[2:]}{suffix}" if stem in catalog.taken_stems() else f"{stem}{suffix}"
        return store(data, stored, catalog.uploads_dir / plan_id, max_bytes)


def parse(path: Path, cache: ParsedCache | None = None, limits: Limits | None = None) -> Parsed:
    """Parse in a child process within `limits` (or take the parse `cache` holds for this very file, so
    the upload's parse is reused by the preview, the publish and every rebuild); a file it cannot read,
    that holds no plan or is over a limit is UploadError 422; 503 while another document is being read."""
    try:
        doc = parse_cached(path, cache, lambda p: _parse_one(p, limits))
    except LimitExceeded as exc:
        raise UploadError(422, f"{path.name}: over the {exc.limit} limit: {exc}") from None
    except DocumentError as exc:
        raise UploadError(422, f"{path.name}: {exc}") from None
    return Parsed(doc, [str(w) for w in getattr(doc, "warnings", [])])


def _parse_one(path: Path, limits: Limits | None) -> Document:
    if not _slots.acquire(blocking=False):
        raise UploadError(503, "another plan is being read right now; try again in a few seconds")
    try:
        return parse_in_child(path, limits)
    finally:
        _slots.release()
