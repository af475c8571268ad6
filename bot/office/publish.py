"""Build an engine over the published plan set and swap it into the running app, atomically.

The published set (bot/office/catalog.py) is materialised as a folder of hard links under
`office.dir`/sets/<set id>/plans and loaded with the ordinary `Engine.load`, its index cached beside it,
so a set already built once (a rollback) loads from disk. The swap is one reference assignment in the
app (bot/channels/web/admin_api.py `swap_engine`): requests that already hold the old engine finish with it,
the next ones get the new one; nothing waits and nothing fails.

After a build of the live set, the clauses of newly published plans are announced on the publication
feed (bot/office/announce.py) on a background thread: channels that tell citizens about new policy
(the 公众号's 政策找人) read it from their own process; publishing never waits for them.

Multi-worker deployments: this swap is per process. Until the versioned on-disk index with an atomic
switch lands (scale-out issue), run one worker when plans are published from /admin, or restart the
workers after publishing (each worker builds the published set at start-up; see `load_engine`).
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from bot.office.catalog import PlanCatalog
from bot.office.locking import FileLock
from indexer.settings import Settings

if TYPE_CHECKING:
    from bot.engine.coordinator import Engine

log = logging.getLogger(__name__)

KEEP_SETS = 5  # built sets kept on disk for quick rollback; older ones are removed


def catalog_for(settings: Settings) -> PlanCatalog:
    """The plan catalog these settings keep: files, or the database (bot/office/records.py chooses)."""
    from bot.office.records import records_for

    return records_for(settings).catalog


def set_id(files: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(files, key=lambda p: p.name):
        h.update(p.name.encode("utf-8", "surrogateescape") + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:16]


def _materialise(files: list[Path], folder: Path) -> None:
    """Hard links (or copies, across file systems) of `files` in `folder`, built aside and renamed in.

    Two plans with one file name are refused, never resolved by writing one onto the other: a copy onto
    an existing name would write through its hard link onto the other upload's original (issue 23).
    """
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for src in files:
        dest = tmp / src.name
        if os.path.lexists(dest):
            shutil.rmtree(tmp, ignore_errors=True)
            raise ValueError(f"two published plans have the same file name {src.name}; unpublish one")
        try:
            os.link(src, dest)
        except OSError:  # another file system, or links not allowed: a copy to a new name (never onto one)
            with src.open("rb") as fin, open(dest, "xb") as fout:
                shutil.copyfileobj(fin, fout)
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(tmp, folder)


def _prune(sets_dir: Path, keep: str) -> None:
    built = sorted((p for p in sets_dir.iterdir() if p.is_dir() and not p.name.endswith(".tmp")),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for old in built[KEEP_SETS:]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


class Publisher:
    """Builds engines for the published set; one build at a time."""

    def __init__(self, settings: Settings, catalog: PlanCatalog | None = None) -> None:
        self.settings = settings
        self.catalog = catalog if catalog is not None else catalog_for(settings)
        # Across threads and workers: two builds would share sets/<id>.tmp (bot/office/locking.py).
        self.lock = FileLock(settings.path("office.dir") / "publish.lock")
        self._live = {p.name for p in self.catalog.published_files()}  # what is announced as new is measured from here
        self.announcing: threading.Thread | None = None  # the last announcement (tests join it)

    def build(self, data_dir: Path | None = None, scratch: Path | None = None) -> Engine:
        """An engine (warmed up) over the plans published now.

        `data_dir` and `scratch` build a candidate instead (curation preview): the curated data from
        `data_dir`, its index in `scratch`, nothing shared with the live index.
        """
        from bot.engine.coordinator import Engine

        settings = self.settings
        if data_dir is not None and scratch is not None:
            settings = settings.replace(knowledge__data_dir=str(data_dir),
                                        knowledge__index_path=str(scratch / "index"))
        with self.lock:
            if self.catalog.is_shipped_set():
                engine = Engine.load(settings)
            else:
                files = self.catalog.published_files()
                if not files:
                    raise ValueError("no plan is published")
                sid = set_id(files)
                root = self.settings.path("office.dir") / "sets" / sid
                plans = root / "plans"
                if not plans.is_dir():
                    _materialise(files, plans)
                os.utime(root)
                index_path = (scratch or root) / "index"
                engine = Engine.load(settings.replace(knowledge__plans_dir=str(plans),
                                                      knowledge__index_path=str(index_path)))
                _prune(root.parent, sid)
                log.info("published set %s: %d plans", sid, len(files))
            engine.warm_up()
            if data_dir is None:  # the live set, not a curation preview
                self._announce(engine)
            return engine

    def _announce(self, engine: Engine) -> None:
        """Announce the clauses of the plans this build publishes for the first time (never raises)."""
        try:
            files = {p.name for p in self.catalog.published_files()}
            new_docs = {Path(name).stem for name in files - self._live}
            self._live = files
            if new_docs:
                from bot.office.announce import announce_plans

                self.announcing = announce_plans(self.settings, new_docs, engine.index.entries)
        except Exception:
            log.exception("could not announce the newly published plans")


def load_engine(settings: Settings) -> Engine:
    """The engine a server starts with: the shipped plans, or the office's published set when it differs."""
    return Publisher(settings).build()
