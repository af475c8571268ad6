"""The shared backend: PostgreSQL through psycopg 3 and a psycopg_pool connection pool.

Chosen when `web.database` (ZWGK_WEB__DATABASE) is a `postgresql://` URL, so several workers
(`bot serve --workers N`) and hosts share one question log, feedback, conversation contexts and rate
limits. Statements are written once with `?` placeholders (bot/storage/base.py); they become `%s`
here. Connections are autocommit; `transaction()` opens an explicit one. Transient errors (a lost
connection, a pool timeout, serialization failure, deadlock, lock timeout) are retried by the callers
that queue work (the log writer). Implements `Database`; the pool is reopened after fork.

Outages fail fast: a connection-level failure opens a circuit breaker (bot/storage/breaker.py), and
while it is open every call raises `Unavailable` at once instead of waiting for the pool; a request
waits at most `POOL_WAIT_SECONDS` for a connection even when the breaker is closed.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from bot.storage.base import Database, Params, StoreError, Transaction, abandon, rows_of
from bot.storage.breaker import Breaker, Unavailable

POOL_MIN = 1
POOL_MAX = 8
CONNECT_TIMEOUT_SECONDS = 10.0
POOL_WAIT_SECONDS = 3.0  # longest a call waits for a pooled connection (the server may be gone)
_PLACEHOLDER = re.compile(r"\?")


@lru_cache(maxsize=256)
def to_pyformat(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (our SQL has no `?` or `%` inside string literals)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


class _PostgresTransaction(Transaction):
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return rows_of(self._conn.execute(to_pyformat(sql), tuple(params)))

    def executemany(self, sql: str, rows: Sequence[Params]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), [tuple(r) for r in rows])


class PostgresDatabase(Database):
    """A PostgreSQL database as a `Database` (see the module docstring)."""

    dialect = "postgresql"

    def __init__(self, url: str, *, min_size: int = POOL_MIN, max_size: int = POOL_MAX) -> None:
        super().__init__()
        self.target = url
        self._sizes = (min_size, max_size)
        self._lock = threading.Lock()
        self._pool: Any = None
        self.breaker = Breaker(f"PostgreSQL at {redact(url)}")
        self._open()

    def _open(self) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        try:  # one direct connection first: fails fast, with the server's reason (the pool would retry)
            psycopg.connect(self.target, connect_timeout=int(CONNECT_TIMEOUT_SECONDS)).close()
        except psycopg.Error as exc:
            raise StoreError(self._unreachable(exc)) from None
        pool = ConnectionPool(self.target, min_size=self._sizes[0], max_size=self._sizes[1], open=False,
                              kwargs={"autocommit": True}, timeout=CONNECT_TIMEOUT_SECONDS, name="zwgk")
        try:
            pool.open(wait=True, timeout=CONNECT_TIMEOUT_SECONDS)
        except (PoolTimeout, psycopg.Error) as exc:
            pool.close()
            raise StoreError(self._unreachable(exc)) from None
        self._pool = pool

    def _unreachable(self, exc: BaseException) -> str:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        return (f"cannot connect to PostgreSQL at {redact(self.target)} ({reason[:200]}): check web.database "
                "(ZWGK_WEB__DATABASE), that the server runs and accepts this user and database")

    def _connection(self) -> Any:
        self._check_fork()
        if self._pool is None:
            raise StoreError(f"database {redact(self.target)} is closed")
        self.breaker.check()
        return self._pool.connection(timeout=POOL_WAIT_SECONDS)

    @contextmanager
    def _guarded(self) -> Iterator[None]:
        """Tell the breaker how the call went: unreachable (open it) or answered (close it)."""
        try:
            yield
        except Unavailable:
            raise
        except BaseException as exc:
            (self.breaker.failure if self._unreachable_error(exc) else self.breaker.success)()
            raise
        self.breaker.success()

    def _unreachable_error(self, exc: BaseException) -> bool:
        import psycopg
        from psycopg_pool import PoolTimeout

        return isinstance(exc, (psycopg.OperationalError, PoolTimeout)) and not isinstance(
            exc, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable)

    def run(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        with self._guarded(), self._connection() as conn:
            return rows_of(conn.execute(to_pyformat(sql), tuple(params)))

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._guarded(), self._connection() as conn, conn.transaction():
            yield _PostgresTransaction(conn)

    def is_transient(self, exc: BaseException) -> bool:
        import psycopg
        from psycopg import errors
        from psycopg_pool import PoolTimeout

        return isinstance(exc, (Unavailable, psycopg.OperationalError, PoolTimeout, errors.SerializationFailure,
                                errors.DeadlockDetected, errors.LockNotAvailable, errors.QueryCanceled,
                                errors.DiskFull))

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None

    def _reconnect(self) -> None:
        abandon(self._pool)  # its worker threads did not survive fork; its sockets belong to the parent
        self._lock = threading.Lock()
        self._open()
