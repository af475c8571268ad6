"""The office's records in PostgreSQL, for hosts that share a database but no file system.

Why: with two hosts, files under `office.dir` (plans.json, uploads/, answers.json, audit.jsonl) are
seen by one host only. When `web.database` is a `postgresql://` URL (bot/office/records.py picks this),
the records live in the database instead (component "office_records"):

  office_documents  the plan catalog ("catalog": uploads' metadata and status, unpublished shipped plans,
                    i.e. the published set's manifest) and the official answers with their versions
                    ("answers"), each one JSON document replaced in one transaction
  office_files      uploaded files' bytes (bytea), keyed by their SHA-256 (content-addressed)
  office_audit      the audit log, one row per event, from every host
  office_state      one row: a version bumped in the same transaction as any catalog or answers change,
                    the one thing other hosts poll (at most once a second) to follow a publication

Each host keeps its working files where they were: an upload is received into its own `office.dir`
and stored in the database; any other host materialises it from the database into its `office.dir` when
it needs the file (a publish, a preview) and builds the published set's index itself (the parse cache,
`knowledge.parsed_dir`, makes that cheap after the first build on that host).

Read-modify-write is serialised across hosts by `DbLock`: a PostgreSQL advisory lock held in an open
transaction for the `with` block, re-entrant within a thread like bot/office/locking.py's FileLock.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import zlib
from contextlib import ExitStack
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any

from bot.office.audit import AuditEvent, AuditLog, utc_now
from bot.office.catalog import CatalogError, PlanCatalog, PlanRecord
from bot.official.store import AnswerRecord, AnswerStore
from bot.storage.base import Database
from bot.storage.migrations import Migration
from indexer.atomic import write_atomic

log = logging.getLogger(__name__)

CHECK_SECONDS = 1.0  # another host's answer change is read within this long
CATALOG, ANSWERS = "catalog", "answers"

_POSTGRES = """CREATE TABLE IF NOT EXISTS office_state (id INTEGER PRIMARY KEY, version BIGINT NOT NULL);
INSERT INTO office_state(id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE TABLE IF NOT EXISTS office_documents (name TEXT PRIMARY KEY, body TEXT NOT NULL, version BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS office_files (sha256 TEXT PRIMARY KEY, data BYTEA NOT NULL, size BIGINT NOT NULL,
    stored TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS office_audit (id BIGSERIAL PRIMARY KEY, ts TEXT NOT NULL, who TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL, client TEXT NOT NULL)"""
# SQLite deployments keep the records as files (one host), so the SQLite step creates nothing.
OFFICE_MIGRATIONS = (Migration(1, "the office's records shared by hosts: catalog, answers, files, audit", "",
                               _POSTGRES),)


class DbLock:
    """`with lock:` — exclusive across threads, processes and hosts; re-entrant in the holding thread."""

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.key = zlib.crc32(f"zwgk-office-{name}".encode())
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._held: ExitStack | None = None

    def __enter__(self) -> DbLock:
        self._thread_lock.acquire()
        if self._depth == 0:
            stack = ExitStack()
            try:
                tx = stack.enter_context(self.db.transaction())
                tx.execute("SELECT pg_advisory_xact_lock(?)", (self.key,))
            except BaseException:
                stack.close()
                self._thread_lock.release()
                raise
            self._held = stack
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0 and self._held is not None:
            held, self._held = self._held, None
            held.close()  # the transaction ends: PostgreSQL releases the advisory lock
        self._thread_lock.release()


class OfficeDb:
    """The tables above on one database, and the locks that serialise changes to them."""

    def __init__(self, db: Database) -> None:
        db.migrate("office_records", OFFICE_MIGRATIONS)
        self.db = db
        self.catalog_lock = DbLock(db, CATALOG)
        self.answers_lock = DbLock(db, ANSWERS)

    def state(self) -> int:
        rows = self.db.run("SELECT version FROM office_state WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    def read(self, name: str) -> tuple[Any, int]:
        """A document and its version (None, 0 when it was never written)."""
        rows = self.db.run("SELECT body, version FROM office_documents WHERE name = ?", (name,))
        if not rows:
            return None, 0
        return json.loads(rows[0][0]), int(rows[0][1])

    def version(self, name: str) -> int:
        rows = self.db.run("SELECT version FROM office_documents WHERE name = ?", (name,))
        return int(rows[0][0]) if rows else 0

    def write(self, name: str, body: Any, files: dict[str, bytes] | None = None) -> int:
        """Replace a document (and store `files` by SHA-256) in one transaction that bumps office_state."""
        text = json.dumps(body, ensure_ascii=False)
        with self.db.transaction() as tx:
            for digest, data in (files or {}).items():
                tx.execute("INSERT INTO office_files(sha256, data, size, stored) VALUES (?, ?, ?, ?) "
                           "ON CONFLICT (sha256) DO NOTHING", (digest, data, len(data), utc_now()))
            rows = tx.execute("INSERT INTO office_documents(name, body, version) VALUES (?, ?, 1) "
                              "ON CONFLICT (name) DO UPDATE SET body = excluded.body, "
                              "version = office_documents.version + 1 RETURNING version", (name, text))
            tx.execute("UPDATE office_state SET version = version + 1 WHERE id = 1")
        return int(rows[0][0])

    def file(self, digest: str) -> bytes | None:
        rows = self.db.run("SELECT data FROM office_files WHERE sha256 = ?", (digest,))
        return bytes(rows[0][0]) if rows else None

    def drop_file(self, digest: str) -> None:
        self.db.run("DELETE FROM office_files WHERE sha256 = ?", (digest,))


class DbPlanCatalog(PlanCatalog):
    """The plan catalog as the "catalog" document; uploads' bytes in office_files, fetched on demand."""

    def __init__(self, office_dir: Path, plans_dir: Path, knowledge_cache: Path | None, store: OfficeDb) -> None:
        super().__init__(office_dir, plans_dir, knowledge_cache)
        self.store = store
        self._lock = store.catalog_lock

    def _read(self) -> dict:
        try:
            data, _ = self.store.read(CATALOG)
        except ValueError as exc:
            raise CatalogError(f"plan record in the database is unreadable ({exc})") from None
        data = data if isinstance(data, dict) else {}
        data.setdefault("uploads", [])
        data.setdefault("unpublished", [])
        return data

    def _write(self, data: dict) -> None:
        self.store.write(CATALOG, data)

    def add_upload(self, record: PlanRecord) -> None:
        """The record and the file's bytes in one transaction (the file was received into this host's folder)."""
        data = super().upload_path(record).read_bytes()
        record.sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            body = self._read()
            body["uploads"].append(asdict(record))
            self.store.write(CATALOG, body, {record.sha256: data})

    def upload_path(self, record: PlanRecord) -> Path:
        """The upload in this host's `office.dir`, fetched from the database when this host lacks it."""
        path = super().upload_path(record)
        if not path.is_file() and record.sha256:
            data = self.store.file(record.sha256)
            if data is None:
                log.error("upload %s (%s) has no bytes in the database", record.id, record.file)
            else:
                write_atomic(path, data)
        return path

    def remove_upload(self, plan_id: str) -> PlanRecord | None:
        with self._lock:
            gone = super().remove_upload(plan_id)
            if gone is not None and gone.sha256 and not any(r.sha256 == gone.sha256 for r in self.uploads()):
                self.store.drop_file(gone.sha256)
            return gone


class DbAnswerStore(AnswerStore):
    """The official answers as the "answers" document; another host's change is read within CHECK_SECONDS."""

    def __init__(self, path: Path, store: OfficeDb) -> None:
        super().__init__(path)
        self.store = store
        self._file_lock = store.answers_lock
        self._doc_version: int | None = None
        self._next_check = 0.0
        self._away = False

    def _refresh(self) -> None:
        clock = time.monotonic()
        if clock < self._next_check:
            return
        self._next_check = clock + CHECK_SECONDS
        try:
            changed = self.store.version(ANSWERS) != self._doc_version
            if changed:
                with self._lock:
                    self._records = self._read()
                    self.version += 1
        except Exception as exc:  # the database is away: keep serving the answers read last
            if not self._away:  # once per outage, not once a second
                log.warning("official answers unreadable from the database (%s); serving those read last", exc)
            self._away = True
            return
        self._away = False

    def _read(self) -> list[AnswerRecord]:
        body, version = self.store.read(ANSWERS)
        self._doc_version = version
        try:
            return [AnswerRecord(**row) for row in (body or {}).get("answers", [])]
        except (TypeError, AttributeError) as exc:
            log.error("official answers in the database unreadable (%s); using none until fixed", exc)
            return []

    def _write(self, records: list[AnswerRecord]) -> None:
        self._doc_version = self.store.write(ANSWERS, {"answers": [asdict(r) for r in records]})
        self._records = records
        self.version += 1


class DbAuditLog(AuditLog):
    """The audit log as rows of office_audit: one list for every host."""

    def __init__(self, path: Path, store: OfficeDb) -> None:
        super().__init__(path)
        self.store = store

    def record(self, who: str, action: str, detail: str = "", client: str = "") -> AuditEvent:
        event = AuditEvent(ts=utc_now(), who=who, action=action, detail=detail[:500], client=client)
        self.store.db.run("INSERT INTO office_audit(ts, who, action, detail, client) VALUES (?, ?, ?, ?, ?)",
                          (event.ts, event.who, event.action, event.detail, event.client))
        return event

    def recent(self, n: int = 50) -> list[AuditEvent]:
        rows = self.store.db.run("SELECT ts, who, action, detail, client FROM office_audit ORDER BY id DESC LIMIT ?",
                                 (n,))
        return [AuditEvent(*row) for row in rows]
