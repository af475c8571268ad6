"""Versioned schema migrations, applied by the project at start-up, never by hand.

Each store (a "component": "log" for bot/storage/question_log.py, "shared" for bot/storage/shared.py, the staff bot
may add its own) lists `Migration(version, name, sqlite, postgresql)` steps; `apply` runs the missing
ones in order inside one transaction per step and records each in `schema_version(component, version,
name, applied)`. Two processes starting at once are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL:
an advisory transaction lock), so a step runs exactly once. A step whose SQL for this dialect is empty
is recorded without running anything (a table only the other backend needs).
"""
from __future__ import annotations

import zlib
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol


class Transaction(Protocol):
    """What a migration step runs its statements on (bot.storage.base.Transaction is one)."""

    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...


class Database(Protocol):
    """What migrating needs of a database (bot.storage.base.Database is one); a Protocol, so this module
    never imports the base class that calls it."""

    dialect: str

    def transaction(self) -> AbstractContextManager[Any]: ...

VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_version (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    applied TEXT NOT NULL,
    PRIMARY KEY (component, version)
)"""


@dataclass(frozen=True)
class Migration:
    """One schema step: `sqlite` and `postgresql` hold `;`-separated statements (no `;` inside them)."""

    version: int
    name: str
    sqlite: str
    postgresql: str

    def statements(self, dialect: str) -> list[str]:
        sql = self.sqlite if dialect == "sqlite" else self.postgresql
        return [s.strip() for s in sql.split(";") if s.strip()]


def current_version(db: Database, component: str) -> int:
    """The recorded version of `component` (0: none yet); creates schema_version if missing."""
    with db.transaction() as tx:
        _lock(db, tx, "schema_version")  # concurrent CREATE TABLE IF NOT EXISTS races on PostgreSQL
        tx.execute(VERSION_TABLE)
        rows = tx.execute("SELECT MAX(version) FROM schema_version WHERE component = ?", (component,))
    return int(rows[0][0] or 0) if rows else 0


def apply(db: Database, component: str, migrations: Sequence[Migration]) -> int:
    """Run the steps of `component` newer than its recorded version; returns the version reached."""
    versions = [m.version for m in migrations]
    if versions != sorted(set(versions)):
        raise ValueError(f"migrations of {component} must have increasing, distinct versions: {versions}")
    version = current_version(db, component)
    for step in migrations:
        if step.version <= version:
            continue
        with db.transaction() as tx:
            _lock(db, tx, component)
            done = tx.execute("SELECT 1 FROM schema_version WHERE component = ? AND version = ?",
                              (component, step.version))
            if done:  # another process ran it while we waited for the lock
                continue
            for statement in step.statements(db.dialect):
                tx.execute(statement)
            tx.execute("INSERT INTO schema_version(component, version, name, applied) VALUES (?, ?, ?, ?)",
                       (component, step.version, step.name, datetime.now(UTC).isoformat(timespec="seconds")))
        version = step.version
    return version


def _lock(db: Database, tx: Transaction, component: str) -> None:
    """SQLite's BEGIN IMMEDIATE already excludes other writers; PostgreSQL needs an explicit lock."""
    if db.dialect == "postgresql":
        tx.execute("SELECT pg_advisory_xact_lock(?)", (zlib.crc32(f"zwgk-migrate-{component}".encode()),))
