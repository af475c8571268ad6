"""The index on disk: versioned directories of numpy arrays and JSON, switched atomically. No pickle.

    var/index/                        knowledge.index_path
      current                         the name of the version in use (one line, replaced atomically)
      20261202T131500.123456-3f2a…/   one version: manifest.json, entry.* columns, text/meta/units BM25
                                      arrays, positions, objects.json (rewriter, departments, suggestions …)

A new version is written into a hidden temporary directory beside the others, renamed into place, and
only then named in `current` (`publish_index`), so a reader sees the old version or the new one, never
half of one; a process that opened the old version keeps its memory maps after the switch. Arrays are
opened with `np.load(mmap_mode="r", allow_pickle=False)`: nothing in these files can run code, and
every process on a host shares their pages. Anything unexpected raises `IndexFormatError`.
Neighbours: bot/index/search_index.py builds the SearchIndex and decides when to rebuild; bot/index/columns.py and
bot/index/bm25.py store their parts; bot/index/dataform.py stores the small objects; the admin "publish" calls
`publish_index` and `current_index_dir`.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from bot.index.bm25 import SparseBM25
from bot.index.columns import CsrMap, IdPositions, StringColumn, open_array, save_array
from bot.index.dataform import dumps, loads
from bot.index.entry_rows import EntryRows, write_entries
from bot.language.tokenizer import Lexicon

log = logging.getLogger(__name__)

FORMAT = "zwgk-index"
FORMAT_VERSION = 4  # bumped whenever what a version stores or how it is laid out changes: the one format version
CURRENT = "current"
KEEP_VERSIONS = 3  # the current version and two before it (rollback; readers still mapping them)
# UTC build time to the microsecond (names sort in build order), fingerprint prefix, random suffix
_VERSION_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}\.[0-9]{6}-[0-9a-f]{12}-[0-9a-f]{6}$")
# How an index field persists; each field of SearchIndex names one in its metadata (`stored`).
STORE_KINDS = ("entries", "ids", "bm25", "array", "strings", "postings", "object", "lexicon", "manifest")


def stored(kind: str) -> dict[str, str]:
    """Field metadata declaring how a SearchIndex field is written and read back."""
    if kind not in STORE_KINDS:
        raise ValueError(f"unknown store kind {kind!r}")
    return {"store": kind}


def fields_stored_as(cls: Any, kind: str) -> tuple[str, ...]:
    """Names of the fields of the index class `cls` that persist as `kind`, in declaration order."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.metadata.get("store") == kind)


class IndexFormatError(ValueError):
    """The directory is not a complete index version written by this code."""


# ---------------------------------------------------------------------------------------- versions
def current_index_dir(root: Path) -> Path | None:
    """The version directory `root/current` names, or None (no index yet, or a name that is not ours)."""
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    folder = root / name
    return folder if _VERSION_NAME.fullmatch(name) and folder.is_dir() else None


def list_versions(root: Path) -> list[Path]:
    """The version directories inside `root`, oldest first (their names sort in build order)."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and _VERSION_NAME.fullmatch(p.name))


def publish_index(root: Path, version_dir: Path) -> None:
    """Make `version_dir` (a version inside `root`) the one every later load opens: atomic for readers.

    Processes that already opened an older version keep serving it until they reload; old versions
    beyond KEEP_VERSIONS are removed (their open memory maps stay valid on Linux).
    """
    version_dir = Path(version_dir)
    if version_dir.parent.resolve() != Path(root).resolve() or not _VERSION_NAME.fullmatch(version_dir.name):
        raise IndexFormatError(f"{version_dir} is not an index version inside {root}")
    read_manifest(version_dir)  # refuse to publish something that is not a complete version
    tmp = root / f".{CURRENT}.{secrets.token_hex(4)}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(version_dir.name + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, root / CURRENT)
    _prune(root, keep=version_dir.name)


def _prune(root: Path, keep: str) -> None:
    versions = list_versions(root)
    old = [p for p in versions if p.name != keep][: max(len(versions) - KEEP_VERSIONS, 0)]
    for p in old:
        shutil.rmtree(p, ignore_errors=True)
    for p in root.iterdir():  # temporary directories of builds that died
        if p.name.startswith(".building-") and time.time() - p.stat().st_mtime > 24 * 3600:
            shutil.rmtree(p, ignore_errors=True)


def prepare_root(root: Path) -> None:
    """Make `root` a directory; an old single-file index (index.pickle) there is removed unread."""
    if root.is_file() or root.is_symlink() and not root.is_dir():
        log.warning("index: %s is a file (an old pickled index?); removed unread, an index directory "
                    "takes its place", root)
        root.unlink()
    root.mkdir(parents=True, exist_ok=True)


# ---------------------------------------------------------------------------------------- writing
def write_index(root: Path, index: Any) -> Path:
    """Write `index` (a SearchIndex) as a new version directory inside `root`; returns it (not published)."""
    prepare_root(root)
    tmp = root / f".building-{os.getpid()}-{secrets.token_hex(4)}"
    tmp.mkdir()
    try:
        _write_parts(tmp, index)
        fp = hashlib.sha256(str(index.fingerprint).encode()).hexdigest()[:12]
        now = time.time()
        stamp = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime(now))}.{int(now % 1 * 1e6):06d}"
        final = root / f"{stamp}-{fp}-{secrets.token_hex(3)}"
        os.rename(tmp, final)
        return final
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_parts(folder: Path, index: Any) -> None:
    kinds = write_entries(folder, index.entries)
    ids = [e.id for e in index.entries]
    IdPositions.write(folder, ids)
    cls = type(index)
    for name in fields_stored_as(cls, "bm25"):
        getattr(index, name).save(folder, f"bm25.{name}")
    for name in fields_stored_as(cls, "array"):
        save_array(folder / f"{name}.npy", np.asarray(getattr(index, name)))
    for name in fields_stored_as(cls, "strings"):
        StringColumn.write(folder, name, list(getattr(index, name)))
    for name, mapping in _postings_of(index).items():
        CsrMap.write(folder, name, mapping)
    objects = dumps({name: getattr(index, name) for name in fields_stored_as(cls, "object")})
    (folder / "objects.json").write_text(objects, encoding="utf-8")
    _write_lexicon(folder, index.lexicon)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "fingerprint": index.fingerprint,
                "entries": len(index.entries), "entry_fields": kinds, "postings": sorted(_postings_of(index)),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def _postings_of(index: Any) -> dict[str, Mapping[str, np.ndarray]]:
    return {name: getattr(index, name) for name in fields_stored_as(type(index), "postings")
            if getattr(index, name, None) is not None}


def _write_lexicon(folder: Path, lexicon: Lexicon | None) -> None:
    """The packed jieba dictionary as two blobs (words, frequencies) cut per group, the groups' codes
    (Lexicon.code) ascending beside them: a group is found by binary search, with no table to load."""
    if lexicon is None:
        return
    groups = sorted(lexicon.packed, key=Lexicon.code)
    save_array(folder / "lexicon.groups.npy", np.array([Lexicon.code(g) for g in groups], dtype=np.int64))
    words = [lexicon.packed[g][0] for g in groups]
    freqs = [lexicon.packed[g][1] for g in groups]
    for part, blobs in (("words", words), ("freqs", freqs)):
        offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
        np.cumsum([len(b) for b in blobs], out=offsets[1:])
        save_array(folder / f"lexicon.{part}.npy", np.frombuffer(b"".join(blobs), dtype=np.uint8))
        save_array(folder / f"lexicon.{part}.offsets.npy", offsets)
    meta = {"width": lexicon.width, "total": lexicon.total, "key": lexicon.key}
    (folder / "lexicon.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


# ---------------------------------------------------------------------------------------- reading
def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFormatError(f"{folder.name}: no readable manifest.json ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or manifest.get("format_version") != FORMAT_VERSION:
        raise IndexFormatError(f"{folder.name}: not a {FORMAT} v{FORMAT_VERSION} directory")
    return manifest


def open_index(folder: Path, build: Any) -> Any:
    """The SearchIndex stored in `folder`, arrays memory-mapped; `build(**parts)` makes the SearchIndex.

    Raises IndexFormatError (with what is wrong) for a damaged, partial or foreign directory.
    """
    manifest = read_manifest(folder)
    try:
        return build(**_read_parts(folder, manifest, build), fingerprint=str(manifest["fingerprint"]))
    except IndexFormatError:
        raise
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise IndexFormatError(f"{folder.name}: {type(exc).__name__}: {exc}") from None


def _read_parts(folder: Path, manifest: dict, cls: Any) -> dict[str, Any]:
    n = int(manifest["entries"])
    entries = EntryRows.open(folder, dict(manifest["entry_fields"]), n)
    objects = loads((folder / "objects.json").read_bytes())
    parts: dict[str, Any] = {name: objects[name] for name in fields_stored_as(cls, "object")}
    (entries_name,), (ids_name,) = fields_stored_as(cls, "entries"), fields_stored_as(cls, "ids")
    parts[entries_name] = entries
    parts[ids_name] = IdPositions.open(folder, entries.ids())
    parts.update({name: open_array(folder / f"{name}.npy") for name in fields_stored_as(cls, "array")})
    parts.update({name: StringColumn.open(folder, name) for name in fields_stored_as(cls, "strings")})
    parts.update({name: _read_lexicon(folder) for name in fields_stored_as(cls, "lexicon")})
    bm25 = {name: SparseBM25.open(folder, f"bm25.{name}") for name in fields_stored_as(cls, "bm25")}
    parts.update(bm25)
    parts.update({name: CsrMap.open(folder, name) for name in manifest.get("postings", [])})
    per_entry = ("entry_region", "entry_year", "entry_dated", "entry_preface", "due_rank")
    if any(len(parts[a]) != n for a in per_entry if a in parts) or any(b.n_docs != n for b in bm25.values()):
        raise IndexFormatError(f"{folder.name}: arrays disagree with the {n} entries")
    return parts


def _read_lexicon(folder: Path) -> Lexicon | None:
    if not (folder / "lexicon.json").is_file():
        return None
    meta = json.loads((folder / "lexicon.json").read_text(encoding="utf-8"))
    # versions written before groups of two characters list their first characters in "chars"
    old = "chars" in meta
    groups = (np.array([Lexicon.code(c) for c in meta["chars"]], dtype=np.int64) if old
              else open_array(folder / "lexicon.groups.npy"))
    words, freqs = ((open_array(folder / f"lexicon.{p}.npy"), open_array(folder / f"lexicon.{p}.offsets.npy"))
                    for p in ("words", "freqs"))
    packed = _PackedLexicon(groups, words, freqs, ascending=not old)
    return Lexicon(packed, int(meta["total"]), str(meta["key"]), width=int(meta.get("width", 1)))


class _PackedLexicon(Mapping[str, tuple[bytes, bytes]]):
    """Lexicon.packed over the mapped blobs: group -> (its words, their frequencies)."""

    def __init__(self, groups: np.ndarray, words: tuple[np.ndarray, np.ndarray], freqs: tuple[np.ndarray, np.ndarray],
                 ascending: bool = True):
        if len(words[1]) != len(groups) + 1 or len(freqs[1]) != len(groups) + 1:
            raise IndexFormatError("lexicon arrays disagree")
        # written ascending; versions grouped by first character listed them in dictionary order
        self._order: np.ndarray | None = None if ascending else np.argsort(groups, kind="stable")
        self._codes = groups if self._order is None else groups[self._order]
        self._words, self._freqs = words, freqs

    def _position(self, group: str) -> int | None:
        if not 1 <= len(group) <= 2:
            return None
        code = Lexicon.code(group)
        k = int(np.searchsorted(self._codes, code))
        if k >= len(self._codes) or int(self._codes[k]) != code:
            return None
        return k if self._order is None else int(self._order[k])

    def __getitem__(self, group: str) -> tuple[bytes, bytes]:
        i = self._position(group)
        if i is None:
            raise KeyError(group)
        return tuple(blob[int(off[i]):int(off[i + 1])].tobytes()  # type: ignore[return-value]
                     for blob, off in (self._words, self._freqs))

    def many(self, groups: list[str]) -> Iterator[tuple[bytes, bytes]]:
        """The blobs of those of `groups` held, found with one binary search (a question brings dozens)."""
        codes = np.array([Lexicon.code(g) for g in groups if 1 <= len(g) <= 2], dtype=np.int64)
        if not len(codes) or not len(self._codes):
            return
        k = np.minimum(np.searchsorted(self._codes, codes), len(self._codes) - 1)
        k = k[self._codes[k] == codes]
        at = k if self._order is None else self._order[k]
        (words, w_off), (freqs, f_off) = self._words, self._freqs
        for w0, w1, f0, f1 in zip(w_off[at].tolist(), w_off[at + 1].tolist(), f_off[at].tolist(),
                                  f_off[at + 1].tolist(), strict=True):
            yield words[w0:w1].tobytes(), freqs[f0:f1].tobytes()

    def __iter__(self) -> Iterator[str]:
        return (Lexicon.group(int(c)) for c in self._codes)

    def __len__(self) -> int:
        return len(self._codes)
