"""The knowledge store: every plan in knowledge/plans parsed once and cached as JSON until a file changes.

Neighbours: indexer.parse_file produces the Documents; bot/index/search_index.py builds its search index on top and
keys its own cache on this store's fingerprint, so nothing is re-parsed or re-indexed needlessly.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from indexer.atomic import write_atomic
from indexer.checks import duplicates
from indexer.model import Document, DocumentError, Entry
from indexer.parsed import ParsedCache, document_from_json, document_to_json, parse_cached, parser_fingerprint


@dataclass
class KnowledgeBase:
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    fingerprint: str = ""

    @property
    def entries(self) -> list[Entry]:
        return [e for d in self.documents for e in d.entries]


def plan_files(plans_dir: Path) -> list[Path]:
    """Every file of the plans folder (sorted), supported or not, so unsupported ones are reported."""
    if not plans_dir.is_dir():
        raise DocumentError(f"plans folder {plans_dir} does not exist")
    return sorted(p for p in plans_dir.iterdir() if not p.name.startswith(".") and p.name != "README.md")


def code_fingerprint(package_dir: Path, *, recursive: bool = False) -> str:
    """Hash of a package's source, so a cache built by older code is never reused.

    One folder by default (bot/index/search_index.py hashes its packages one by one); `recursive` takes in subpackages
    too, as the knowledge store needs for indexer/read/. Files are named by their path inside the package,
    so read/html.py and a top-level html.py could never be confused.
    """
    h = hashlib.sha256()
    for p in sorted(package_dir.rglob("*.py") if recursive else package_dir.glob("*.py")):
        h.update(p.relative_to(package_dir).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(paths: list[Path], extra: str = "") -> str:
    """Content hash of the given files (names and bytes), plus the parser version and source."""
    h = hashlib.sha256(f"{parser_fingerprint()}|{extra}".encode())  # the parser's version and source
    for p in paths:
        h.update(os.fsencode(p.name))  # bytes: a name that is not UTF-8 (GBK from a Windows zip) still hashes
        if p.is_file():
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def display_name(path: Path) -> str:
    """The file name as text to show: itself, or for a name that is not UTF-8 its bytes read as GB18030."""
    try:
        path.name.encode("utf-8")
        return path.name
    except UnicodeEncodeError:
        raw = os.fsencode(path.name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def readable_name(path: Path) -> str | None:
    """Why a file name cannot be used (None when it can): a name that is not valid UTF-8, as unzipped from
    a Windows archive, would break the store's JSON and every answer citing it."""
    if display_name(path) == path.name:
        return None
    return "file name is not valid UTF-8 (GBK, as unzipped from a Windows archive?); rename the file to index it"


def build_knowledge(plans_dir: Path, parsed: ParsedCache | None = None) -> KnowledgeBase:
    """Parse every plan (or take its parse from `parsed`); a file that cannot be read is listed in
    `skipped` with its reason, and so is the second copy of a plan met twice (the same plan as txt and
    pdf: the first is kept, with a warning)."""
    files = plan_files(plans_dir)
    kb = KnowledgeBase(fingerprint=fingerprint(files))
    for path in files:
        shown = display_name(path)
        if path.is_dir():
            kb.skipped.append((shown, "is a directory"))
            continue
        bad_name = readable_name(path)
        if bad_name:
            kb.skipped.append((shown, bad_name))
            continue
        try:
            kb.documents.append(parse_cached(path, parsed))
        except DocumentError as exc:
            kb.skipped.append((path.name, str(exc)))
    drop_duplicates(kb)
    return kb


def drop_duplicates(kb: KnowledgeBase) -> None:
    """Keep one copy of a plan added twice; the kept one says so in its warnings."""
    pairs = duplicates(kb.documents)
    for kept, dup in pairs:
        first, second = kb.documents[kept], kb.documents[dup]
        first.warnings.append(f"same plan as {Path(second.file).name}: that copy is not indexed")
        kb.skipped.append((Path(second.file).name, f"duplicate of {Path(first.file).name}"))
    dropped = {dup for _, dup in pairs}
    kb.documents = [d for k, d in enumerate(kb.documents) if k not in dropped]


def _to_json(kb: KnowledgeBase) -> dict:
    return {
        "fingerprint": kb.fingerprint,
        "skipped": kb.skipped,
        "documents": [document_to_json(d) for d in kb.documents],
    }


def _from_json(data: dict) -> KnowledgeBase:
    docs = [document_from_json(d) for d in data["documents"]]
    return KnowledgeBase(docs, [tuple(s) for s in data.get("skipped", [])], data["fingerprint"])


def load_knowledge(plans_dir: Path, cache: Path | None, *,
                   parsed_dir: Path | None = None) -> tuple[KnowledgeBase, bool]:
    """The knowledge base, from `cache` when the plans are unchanged, else parsed anew (and cached);
    each plan's own parse comes from the parsed-document cache in `parsed_dir` when it has one.

    Returns (kb, rebuilt). A damaged cache is ignored and rewritten.
    """
    current = fingerprint(plan_files(plans_dir))
    if cache and cache.is_file():
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("fingerprint") == current:
                return _from_json(data), False
        except (OSError, ValueError, KeyError, TypeError):
            pass
    kb = build_knowledge(plans_dir, ParsedCache(parsed_dir) if parsed_dir else None)
    if cache:
        write_atomic(cache, json.dumps(_to_json(kb), ensure_ascii=False).encode("utf-8"))
    return kb, True
