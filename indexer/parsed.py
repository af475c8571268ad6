"""Parsed documents as cached artifacts, keyed by the file's content, its name and the parser's version.

Parsing a plan can cost seconds (OCR of a scan, LibreOffice for a .doc). The parse made when an office
uploads a plan is kept here and reused when the plan is published, and at every later index build, so OCR
runs once per file. The key covers everything a parse depends on: the file's bytes, its name (metadata
falls back to it), `PARSER_VERSION` and the indexer's own source; a parser change simply misses. Only the
path a document was read from differs between uses, and it is set on the way out.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

from indexer.atomic import write_atomic
from indexer.model import Document, DocumentError, Entry

log = logging.getLogger(__name__)

# Bumped whenever parsing changes what it produces, so old parses are never reused.
PARSER_VERSION = "4"
_INDEXER = Path(__file__).resolve().parent


@cache
def parser_fingerprint() -> str:
    """The parser version and the indexer's source (and its subpackages), hashed once per process."""
    h = hashlib.sha256(PARSER_VERSION.encode())
    for p in sorted(_INDEXER.rglob("*.py")):
        h.update(p.relative_to(_INDEXER).as_posix().encode() + b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()


def document_key(path: Path) -> str:
    """The cache key of the plan file at `path` as it is now."""
    h = hashlib.sha256(parser_fingerprint().encode())
    h.update(os.fsencode(path.name) + b"\0")
    h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def document_to_json(doc: Document) -> dict:
    return dict(doc.to_json(), doc_id=doc.doc_id)


def document_from_json(data: dict) -> Document:
    entries = [Entry(**{k: v for k, v in e.items() if k in Entry.__dataclass_fields__}) for e in data["entries"]]
    fields = {k: v for k, v in data.items() if k in Document.__dataclass_fields__ and k != "entries"}
    return Document(**fields, entries=entries)


class ParsedCache:
    """One JSON file per parsed document in `folder`; a damaged file is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _file(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, path: Path, key: str | None = None) -> Document | None:
        try:
            data = json.loads(self._file(key or document_key(path)).read_text(encoding="utf-8"))
            doc = document_from_json(data)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        doc.file = str(path)
        return doc

    def put(self, path: Path, doc: Document, key: str | None = None) -> None:
        try:
            data = json.dumps(document_to_json(doc), ensure_ascii=False).encode("utf-8")
            write_atomic(self._file(key or document_key(path)), data)
        except OSError as exc:  # a full disk costs the cache, never the parse
            log.warning("parsed-document cache not written (%s)", exc)


def parse_cached(path: Path, cache: ParsedCache | None,
                 parse: Callable[[Path], Document] | None = None) -> Document:
    """The parse of `path`, from `cache` when this very file was parsed before; otherwise parsed with
    `parse` (default `indexer.parse_file`; the office passes its sandboxed parser) and cached.
    A file that is not a plan raises DocumentError and is not cached."""
    if parse is None:
        from indexer import parse_file

        parse = parse_file
    if cache is None:
        return parse(path)
    key = document_key(path)
    doc = cache.get(path, key)
    if doc is not None:
        return doc
    doc = parse(path)
    cache.put(path, doc, key)
    return doc


__all__ = ["DocumentError", "ParsedCache", "parse_cached", "parser_fingerprint"]
