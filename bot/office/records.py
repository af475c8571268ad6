"""Where the office keeps its records: files under `office.dir`, or the PostgreSQL database. Chosen here only.

`records_for(settings)` is the one place that decides. With `web.database` on SQLite (one host) the
records are the files they always were: plans.json and uploads/ (bot/office/catalog.py), answers.json
(bot/official/store.py), audit.jsonl (bot/office/audit.py), guarded by bot/office/locking.py. With a
`postgresql://` URL they live in the database (bot/office/db_store.py), so hosts without a shared file
system see the same uploads, answers, audit log and published set; people are in the database either
way (bot/office/people.py).

Both implementations satisfy `OfficeRecords`; `state()` is what bot/channels/web/knowledge_watch.py
compares to notice a publication made elsewhere (a file's stamp, or the database's office_state version).
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.office.audit import AuditLog
from bot.office.catalog import PlanCatalog
from bot.office.db_store import DbAnswerStore, DbAuditLog, DbPlanCatalog, OfficeDb
from bot.official.store import AnswerStore
from bot.storage import database_target, is_postgres_url, open_database
from indexer.settings import Settings

log = logging.getLogger(__name__)


class OfficeRecords(Protocol):
    """The office's plan catalog, audit log and official answers, and a stamp of their published state."""

    catalog: PlanCatalog
    audit: AuditLog
    answers: AnswerStore

    def state(self) -> object:
        """Changes whenever the catalog or the answers change (cheap: polled once a second per worker)."""
        ...


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


@dataclass
class FileRecords:
    """The records as files under `office.dir` (one host; workers share the folder)."""

    catalog: PlanCatalog
    audit: AuditLog
    answers: AnswerStore

    def state(self) -> object:
        return _stat(self.catalog.record_path)


@dataclass
class DbRecords:
    """The records in PostgreSQL (bot/office/db_store.py), shared by every host on the database."""

    catalog: PlanCatalog
    audit: AuditLog
    answers: AnswerStore
    store: OfficeDb
    _last: int | None = None
    _away: bool = False

    def state(self) -> object:
        """office_state's version; while the database is away, the last one read (keep serving)."""
        try:
            self._last = self.store.state()
            self._away = False
        except Exception as exc:
            if not self._away:  # once per outage, not once a second
                log.warning("office state unreadable (%s); following publications resumes when it is back", exc)
            self._away = True
        return self._last


_stores: dict[str, OfficeDb] = {}  # one OfficeDb (pool, locks) per database URL per process
_stores_lock = threading.Lock()


def _office_db(url: str) -> OfficeDb:
    with _stores_lock:
        if url not in _stores:
            _stores[url] = OfficeDb(open_database(url))
        return _stores[url]


def records_for(settings: Settings) -> OfficeRecords:
    """The office's records for these settings: files, or the database when `web.database` is PostgreSQL."""
    folder = settings.path("office.dir")
    plans_dir = settings.path("knowledge.plans_dir")
    cache = settings.path("knowledge.index_path").with_name("knowledge.json")
    target = database_target(settings)
    if not is_postgres_url(target):
        return FileRecords(PlanCatalog(folder, plans_dir, cache), AuditLog(folder / "audit.jsonl"),
                           AnswerStore(folder / "answers.json"))
    store = _office_db(str(target))
    return DbRecords(DbPlanCatalog(folder, plans_dir, cache, store), DbAuditLog(folder / "audit.jsonl", store),
                     DbAnswerStore(folder / "answers.json", store), store)
