"""The storage interface every store is written against: `Database`, one per process and target.

A `Database` is a SQLite file (bot/storage/sqlite.py, the embedded default) or a PostgreSQL server
(bot/storage/postgres.py); stores (bot/storage/question_log.py's QuestionLog, bot/storage/shared.py's sessions and
rate limits, the staff bot's tables) write SQL with `?` placeholders and the subset both dialects
share, and create their tables through versioned migrations (bot/storage/migrations.py).

Fork safety: a connection or pool opened before `fork()` (gunicorn --preload) is never reused in the
child: every call checks the process id and reconnects lazily in the new process.
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any

from bot.storage.migrations import apply

Params = Sequence[Any]

# Connections opened in a parent process: kept referenced so the child never closes them (closing a
# SQLite connection checkpoints and may delete the WAL file the parent is still using).
_ABANDONED: list[object] = []


class StoreError(RuntimeError):
    """A database that cannot be used; the message is one line saying what to do."""


class Transaction(ABC):
    """Statements inside one transaction (committed when the `with` block ends without error)."""

    @abstractmethod
    def execute(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """Run one statement; the rows it returns (RETURNING, SELECT) or []."""

    @abstractmethod
    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        """Run one statement for each parameter tuple."""


class Database(ABC):
    """A shared database: `run` (one autocommitted statement), `transaction()`, `migrate`, `close`.

    Thread-safe. `dialect` is "sqlite" or "postgresql" for the rare statement that differs.
    """

    dialect: str = ""
    target: str = ""

    def __init__(self) -> None:
        self._pid = os.getpid()

    @abstractmethod
    def run(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """One statement in its own transaction; the rows it returns or []."""

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Transaction]:
        """A write transaction (SQLite: BEGIN IMMEDIATE); rolled back if the block raises."""

    @abstractmethod
    def is_transient(self, exc: BaseException) -> bool:
        """True for errors worth retrying unchanged: a lock held too long, a lost connection."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection / pool (idempotent)."""

    @abstractmethod
    def _reconnect(self) -> None:
        """Open a fresh connection in this process (after fork); the old one is abandoned, not closed."""

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._reconnect()

    def migrate(self, component: str, migrations: Sequence[Any]) -> int:
        """Bring `component`'s tables to the newest version; returns the version (see migrations.py)."""
        return apply(self, component, migrations)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def abandon(obj: object) -> None:
    """Keep a parent process's connection alive (unused) in a forked child, see `_ABANDONED`."""
    _ABANDONED.append(obj)


def rows_of(cursor: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in cursor.fetchall()] if cursor.description else []
