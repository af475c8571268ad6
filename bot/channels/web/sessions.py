"""Per-conversation follow-up state for the web API: session id -> the last `Context`.

The widget and kiosk send a random session id with every question; `POST /api/ask` (bot/channels/web/api.py)
looks the Context up here, passes it to `engine.answer(..., context=ctx)` and stores `answer.context`.
Bounded (least recently used out first) and expiring, so a flood of fresh ids cannot grow memory and a
conversation left for half an hour starts afresh. Nothing here is written to disk. With a PostgreSQL
database, `make_sessions` returns bot/storage/shared.py's `SharedSessions` instead (same methods), so
follow-ups work across workers and hosts.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from bot.engine.answer import Context
from bot.storage.question_log import QuestionLog

MAX_SESSIONS = 10_000
SESSION_TTL_SECONDS = 30 * 60


class SessionStore(Protocol):
    """What bot/channels/web/api.py needs: in memory (`SessionContexts`) or shared (`SharedSessions`)."""

    def get(self, sid: str | None) -> Context | None: ...

    def put(self, sid: str | None, ctx: Context) -> None: ...

    def drop(self, sid: str) -> None: ...


class SessionContexts:
    """A thread-safe LRU dict with a time-to-live: `get(sid)` / `put(sid, ctx)` / `drop(sid)`."""

    def __init__(self, max_size: int = MAX_SESSIONS, ttl: float = SESSION_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.max_size = max_size
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[str, tuple[float, Context]] = OrderedDict()

    def get(self, sid: str | None) -> Context | None:
        if not sid:
            return None
        now = self._clock()
        with self._lock:
            item = self._items.get(sid)
            if item is None:
                return None
            expires, ctx = item
            if expires <= now:
                del self._items[sid]
                return None
            self._items.move_to_end(sid)
            return ctx

    def put(self, sid: str | None, ctx: Context) -> None:
        if not sid:
            return
        now = self._clock()
        with self._lock:
            self._items[sid] = (now + self.ttl, ctx)
            self._items.move_to_end(sid)
            while len(self._items) > self.max_size:
                self._items.popitem(last=False)
            # Expired ones at the old end go too, so idle memory shrinks without a sweeper thread.
            while self._items:
                oldest = next(iter(self._items.values()))
                if oldest[0] > now:
                    break
                self._items.popitem(last=False)

    def drop(self, sid: str) -> None:
        with self._lock:
            self._items.pop(sid, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


def make_sessions(store: QuestionLog) -> SessionStore:
    """In memory for SQLite (one process); shared through the database for PostgreSQL."""
    if store.db.dialect == "postgresql":
        from bot.storage.shared import SharedSessions

        return SharedSessions(store.db, store.secret("salt").encode(), SESSION_TTL_SECONDS)
    return SessionContexts()
