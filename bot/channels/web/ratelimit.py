"""Per-client rate limiting for the API: at most N questions in any 60 seconds (sliding window).

Keys are client addresses held in memory only (never logged or stored, see bot/storage/question_log.py). Used by
bot/channels/web/api.py; `settings["web.rate_limit"]` = 0 turns it off (the load benchmark does). With a
PostgreSQL database, `make_limiter` returns bot/storage/shared.py's `SharedRateLimiter` (same methods),
so the limit holds across workers and hosts.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from bot.storage.question_log import QuestionLog

MAX_CLIENTS = 50_000  # forget the quietest clients beyond this, so memory stays bounded


class Limiter(Protocol):
    """What bot/channels/web/api.py needs: in memory (`RateLimiter`) or shared (`SharedRateLimiter`)."""

    @property
    def enabled(self) -> bool: ...

    def hit(self, key: str) -> int: ...


class RateLimiter:
    """Sliding-window limiter: `hit(key)` returns 0 when allowed, else seconds to wait (Retry-After)."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = int(limit)
        self.window = float(window)
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def hit(self, key: str) -> int:
        if not self.enabled:
            return 0
        now = self._clock()
        start = now - self.window
        with self._lock:
            q = self._hits.get(key)
            if q is None:
                if len(self._hits) >= MAX_CLIENTS:
                    self._prune(start)
                q = self._hits[key] = deque()
            while q and q[0] <= start:
                q.popleft()
            if len(q) >= self.limit:
                return max(1, math.ceil(q[0] + self.window - now))
            q.append(now)
            return 0

    def _prune(self, start: float) -> None:
        """Drop clients with no hit inside the window; if still full, the ones idle longest."""
        for key in [k for k, q in self._hits.items() if not q or q[-1] <= start]:
            del self._hits[key]
        if len(self._hits) >= MAX_CLIENTS:
            for key in sorted(self._hits, key=lambda k: self._hits[k][-1])[: len(self._hits) // 10 or 1]:
                del self._hits[key]


def make_limiter(store: QuestionLog, limit: int) -> Limiter:
    """In memory for SQLite (one process); shared through the database for PostgreSQL."""
    if store.db.dialect == "postgresql" and limit > 0:
        from bot.storage.shared import SharedRateLimiter

        return SharedRateLimiter(store.db, store.secret("salt").encode(), limit)
    return RateLimiter(limit)
