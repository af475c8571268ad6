"""The embedded default backend: one SQLite file, one connection per process behind a lock.

WAL journal so readers (the admin) never wait for the writer; busy_timeout so a second process on the
same file (the staff bot) waits for the write lock instead of failing at once; synchronous=NORMAL,
durable against a process crash (kill -9), fsync only at checkpoints. A file that is not a database is
reported as one `StoreError` line saying what to do. Implements bot/storage/base.py's `Database`.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bot.storage.base import Database, Params, StoreError, Transaction, abandon, rows_of

BUSY_TIMEOUT_MS = 10_000


def connect_sqlite(path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """An autocommit connection usable from any thread (callers serialise), WAL, busy_timeout set.

    The parent folder is created. A file that is not a SQLite database raises `StoreError`.
    """
    memory = str(path) == ":memory:"
    if not memory:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + busy_timeout_ms / 1000
    pause = 0.01
    while True:
        try:
            return _open(path, memory, busy_timeout_ms)
        except sqlite3.OperationalError as exc:
            # Switching a new file to WAL while another connection does the same fails at once with "database
            # is locked" (SQLite calls no busy handler there): wait and retry within the busy timeout.
            if not _is_lock_error(exc) or time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def _open(path: str | Path, memory: bool, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=busy_timeout_ms / 1000,
                           isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if not memory:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if isinstance(exc, sqlite3.OperationalError) and _is_lock_error(exc):
            raise
        raise StoreError(corrupt_message(path, exc)) from None
    except BaseException:
        conn.close()
        raise
    return conn


def corrupt_message(path: str | Path, exc: BaseException) -> str:
    return (f"database {path} is not usable ({exc}): stop every process using it, move it aside "
            f"(mv '{path}' '{path}.corrupt') and start again for a new empty log, or restore a backup")


def _is_lock_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


class _SQLiteTransaction(Transaction):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return rows_of(self._conn.execute(sql, params))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        self._conn.executemany(sql, rows)


class SQLiteDatabase(Database):
    """A SQLite file as a `Database` (see the module docstring)."""

    dialect = "sqlite"

    def __init__(self, path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        super().__init__()
        self.path = Path(path) if str(path) != ":memory:" else path
        self.target = str(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)

    def _connection(self) -> sqlite3.Connection:
        self._check_fork()
        if self._conn is None:
            raise StoreError(f"database {self.target} is closed")
        return self._conn

    def run(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return rows_of(self._connection().execute(sql, params))
            except sqlite3.DatabaseError as exc:
                _raise_corrupt(self.target, exc)
                raise

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield _SQLiteTransaction(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:  # the original error says more
                        pass
                raise

    def is_transient(self, exc: BaseException) -> bool:
        """A lock held too long, or a full disk ("database or disk is full", and the I/O error SQLite gives
        when the WAL cannot grow): retried until it passes, so rows wait for space instead of being dropped."""
        text = str(exc).lower()
        return _is_lock_error(exc) or (isinstance(exc, sqlite3.OperationalError)
                                       and ("is full" in text or "disk i/o error" in text))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _reconnect(self) -> None:
        abandon(self._conn)
        self._lock = threading.RLock()
        self._conn = connect_sqlite(self.target, busy_timeout_ms=self.busy_timeout_ms)


def _raise_corrupt(target: str, exc: sqlite3.DatabaseError) -> None:
    """Turn "file is not a database" / "malformed" into the one-line StoreError; other errors pass."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text:
        raise StoreError(corrupt_message(target, exc)) from None
