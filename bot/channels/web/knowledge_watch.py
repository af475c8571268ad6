"""Keep every worker on the knowledge the office published, without a restart.

The worker that serves /admin swaps its engine itself (office_actions.py). Other worker processes
(`bot serve --workers N`) notice the change on their next request: one stat of the plan record
(`office.dir`/plans.json), of the curated data files and of the index's `current` pointer (a `bot index
rollback`), compared with what their engine was built from (with the office's records in PostgreSQL,
bot/office/records.py, the plan record's stat is one read of the database's office_state version instead,
so other hosts follow too), at most once every `CHECK_SECONDS` (six stats per request would cost more than a fast answer, and each
releases the GIL for a system call that other threads are waiting on).
On a change one background thread compares the published set with the one its engine serves and, when it
differs (an upload or a deleted draft changes the record but not the set), builds the new engine (usually
from the index the admin worker just wrote under `office.dir`/sets) and swaps it in; requests meanwhile
keep being answered by the old one.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from flask import Flask

from bot.index.store import CURATED_FILES


class Rebuilds(Protocol):
    """What the watch needs of the office: its lock and a way to build the published engine."""

    lock: Any

    def build_engine(self) -> Any: ...


log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # a publication elsewhere is noticed within this long (plus the rebuild)

Stamp = tuple[object, ...]


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class KnowledgeWatch:
    """`record` is the plan record's path (its stat is the stamp), or a stamp source: with the office's
    records in PostgreSQL (bot/office/records.py) the database's office_state version, so a host follows
    publications made on another host without a shared file system."""

    def __init__(self, record: Path | Callable[[], object], data_dir: Path, published: Callable[[], list[Path]],
                 swap: Callable[[Flask, Any], None], index_current: Path | None = None) -> None:
        self.state: Callable[[], object] = record if callable(record) else (lambda: _stat(Path(record)))
        self.paths = [data_dir / name for name in CURATED_FILES]
        if index_current is not None:
            self.paths.append(index_current)
        self.published = published
        self.swap = swap
        self._built = self.stamp()
        self._serving = self._content()
        self._busy = threading.Lock()
        self._next_check = 0.0  # time.monotonic() of the next look at the files

    def stamp(self) -> Stamp:
        return (self.state(), *(_stat(p) for p in self.paths))

    def _content(self) -> tuple[object, ...]:
        """What the engine is built from: the published files and the curated data files' stamps."""
        return (tuple(str(p) for p in self.published()), self.stamp()[1:])

    def mark_built(self) -> None:
        """This process is building from the files as they are now (called by the admin actions)."""
        self._built = self.stamp()
        self._serving = self._content()

    def check(self, app: Flask, office: Rebuilds) -> None:
        """Start one background rebuild when the published knowledge changed since this engine was built
        (looked at once per `CHECK_SECONDS`; requests in between go straight on)."""
        clock = time.monotonic()
        if clock < self._next_check:
            return
        self._next_check = clock + CHECK_SECONDS
        now = self.stamp()
        if now == self._built or not self._busy.acquire(blocking=False):
            return
        threading.Thread(target=self._rebuild, args=(app, office, now), name="zwgk-rebuild", daemon=True).start()

    def _rebuild(self, app: Flask, office: Rebuilds, stamp: Stamp) -> None:
        try:
            with office.lock:
                content = self._content()
                if self._built != stamp and content != self._serving:
                    self.swap(app, office.build_engine())
                    self._serving = content
                    log.info("knowledge changed elsewhere: engine rebuilt and swapped in")
        except Exception:  # keep serving the old engine; try again only when the files change again
            log.exception("could not rebuild the engine after a knowledge change")
        finally:
            self._built = stamp
            self._busy.release()
