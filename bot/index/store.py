"""The one owner of the index's life: build, publish, current, versions, rollback — and load.

Everything that writes, switches or opens an index version goes through `IndexStore`; the CLI (`python -m
bot index build|list|rollback`), `Engine.load`, the office's publish (bot/office/publish.py, one store per
published plan set) and the web workers all use it. An index version is valid for a fingerprint of what
shaped it: every plan file (via the knowledge store, which also hashes the indexer's code), every curated
file in `CURATED_FILES`, the on-disk format version, and the source of the packages whose output the index
stores (bot/index/, bot/language/). Editing a channel, the wording or the CLI never forces a rebuild.

A rollback makes an older version current and pins it while the plans and curated data stay as they were
when it was made: a server restarting then keeps the rolled-back version instead of rebuilding. Changing a
plan or a curated file (or `index build --force`) ends the pin. Running servers follow a rollback as they
follow a publish: they watch the `current` file (bot/channels/web/knowledge_watch.py).
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.index.files import (
    CURRENT,
    FORMAT_VERSION,
    IndexFormatError,
    current_index_dir,
    list_versions,
    open_index,
    publish_index,
    read_manifest,
    write_index,
)
from bot.index.search_index import SearchIndex, build_index, gc_paused
from indexer.settings import Settings
from indexer.store import code_fingerprint, fingerprint, load_knowledge, plan_files

log = logging.getLogger(__name__)

# Every curated file that shapes the index or the answers (knowledge/data): the one list of them.
CURATED_FILES = ("departments.toml", "synonyms.txt", "glossary.toml", "featured.toml", "keep_words.txt")
PIN = "pinned.json"  # written by a rollback; see the module docstring
_BOT = Path(__file__).resolve().parent.parent
_SHAPING_PACKAGES = (_BOT / "index", _BOT / "language")  # their output is what the index stores


@dataclass(frozen=True)
class VersionInfo:
    """One stored version, as `index list --json` prints it."""

    version: str
    current: bool
    built_at: str
    entries: int


@dataclass(frozen=True)
class BuildResult:
    """What `index build --json` prints: `built` is false when the current version was up to date."""

    version: str
    built: bool
    entries: int
    seconds: float


@cache
def _code_fingerprint() -> str:
    """The source of the index-shaping packages, hashed once per process."""
    return "".join(code_fingerprint(p, recursive=True) for p in _SHAPING_PACKAGES)


def curated_fingerprint(data_dir: Path) -> str:
    """Curated data plus the format version and the code whose output the index stores."""
    h = hashlib.sha256(f"{FORMAT_VERSION}|{_code_fingerprint()}".encode())
    for name in CURATED_FILES:
        p = data_dir / name
        h.update(name.encode() + b"\0")
        if p.is_file():
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


class IndexStore:
    """The index versions under `root` for the plans in `plans_dir` and the curated data in `data_dir`."""

    def __init__(self, root: Path, plans_dir: Path, data_dir: Path, parsed_dir: Path | None = None) -> None:
        self.root = Path(root)
        self.plans_dir = Path(plans_dir)
        self.data_dir = Path(data_dir)
        self.parsed_dir = parsed_dir

    @classmethod
    def from_settings(cls, settings: Settings) -> IndexStore:
        return cls(settings.path("knowledge.index_path"), settings.path("knowledge.plans_dir"),
                   settings.path("knowledge.data_dir"), settings.path("knowledge.parsed_dir"))

    @property
    def knowledge_cache(self) -> Path:
        """The parsed plans of this store (knowledge.json beside the index directory)."""
        return self.root.parent / "knowledge.json"

    @property
    def current_file(self) -> Path:
        return self.root / CURRENT

    def fingerprint(self) -> str:
        """What a valid index must have been built from: the plan files, the curated data and the code."""
        plans = fingerprint(plan_files(self.plans_dir))
        return hashlib.sha256((plans + curated_fingerprint(self.data_dir)).encode()).hexdigest()

    # ------------------------------------------------------------------------------------ reading
    def current(self) -> Path | None:
        """The directory of the current version, or None when there is none."""
        return current_index_dir(self.root) if self.root.is_dir() else None

    def versions(self) -> list[VersionInfo]:
        """Every complete version stored, oldest first; exactly one is current when any is."""
        current = self.current()
        out = []
        for folder in list_versions(self.root):
            try:
                manifest = read_manifest(folder)
            except IndexFormatError:
                continue
            out.append(VersionInfo(folder.name, folder == current, str(manifest.get("created", "")),
                                   int(manifest.get("entries", 0))))
        return out

    def open_current(self) -> SearchIndex | None:
        """The current version, memory-mapped; None when there is none. Raises IndexFormatError when damaged."""
        folder = self.current()
        if folder is None:
            return None
        with gc_paused():
            index = open_index(folder, SearchIndex)
        gc.freeze()  # the index lives as long as the process: keep it out of every later collection
        return index

    def _pinned(self, fp: str) -> bool:
        """A rollback pinned the current version and the plans and curated data are as they were then."""
        try:
            pin = json.loads((self.root / PIN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        current = self.current()
        return isinstance(pin, dict) and current is not None and pin.get("version") == current.name \
            and pin.get("fingerprint") == fp

    # ------------------------------------------------------------------------------------ writing
    def publish(self, version_dir: Path) -> None:
        """Make a version written into this store current (atomic for readers); ends any pin."""
        publish_index(self.root, version_dir)
        (self.root / PIN).unlink(missing_ok=True)

    def rollback(self, version: str) -> VersionInfo:
        """Make a stored version current again and pin it (see the module docstring)."""
        folder = self.root / version
        if version not in {v.version for v in self.versions()}:
            held = ", ".join(v.version for v in self.versions()) or "none"
            raise IndexFormatError(f"no index version {version!r} in {self.root} (stored: {held})")
        publish_index(self.root, folder)
        pin = {"version": version, "fingerprint": self.fingerprint()}
        tmp = self.root / f".{PIN}.{os.getpid()}"
        tmp.write_text(json.dumps(pin), encoding="utf-8")
        os.replace(tmp, self.root / PIN)
        return next(v for v in self.versions() if v.version == version)

    def build(self, *, force: bool = False) -> BuildResult:
        """Build and publish a version when the plans, curated data or index code changed (or `force`)."""
        started = time.perf_counter()
        fp = self.fingerprint()
        folder = None if force else self._up_to_date(fp)
        built = folder is None
        if folder is None:
            folder = self._build_version(fp)
        entries = int(read_manifest(folder)["entries"])
        return BuildResult(folder.name, built, entries, round(time.perf_counter() - started, 3))

    def _up_to_date(self, fp: str) -> Path | None:
        """The current version's directory when it was built for `fp` (or is pinned), else None."""
        folder = self.current()
        if folder is None:
            return None
        try:
            stored = str(read_manifest(folder).get("fingerprint", ""))
        except IndexFormatError as exc:
            log.warning("index %s unreadable (%s); rebuilding", self.root, exc)
            return None
        return folder if stored == fp or self._pinned(fp) else None

    def _build_version(self, fp: str) -> Path:
        kb, _ = load_knowledge(self.plans_dir, self.knowledge_cache, parsed_dir=self.parsed_dir)
        built = build_index(kb, self.data_dir, fp)
        built.skipped = list(kb.skipped)
        del kb
        version = write_index(self.root, built)
        del built
        self.publish(version)
        return version

    def load(self) -> tuple[SearchIndex, bool]:
        """The current version when it is up to date (or pinned by a rollback), else one built, published
        and opened. Returns (index, rebuilt). Nothing found on disk is ever executed: a damaged or foreign
        directory costs one warning line and a rebuild."""
        fp = self.fingerprint()
        if self._up_to_date(fp) is not None:
            try:
                index = self.open_current()
                if index is not None:
                    return index, False
            except IndexFormatError as exc:
                log.warning("index %s unreadable (%s); rebuilding", self.root, exc)
        self._build_version(fp)
        index = self.open_current()
        if index is None:
            raise IndexFormatError(f"{self.root}: the version just published cannot be opened")
        return index, True


def load_index(plans_dir: Path, data_dir: Path, index_path: Path) -> tuple[SearchIndex, bool]:
    """`IndexStore(index_path, plans_dir, data_dir).load()`, for tests and the benchmark."""
    return IndexStore(index_path, plans_dir, data_dir).load()


def open_current(index_path: Path) -> SearchIndex | None:
    """The current version stored under `index_path` (no freshness check), memory-mapped."""
    return IndexStore(index_path, index_path, index_path).open_current()
