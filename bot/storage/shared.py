"""State that several workers and hosts must share on PostgreSQL: conversation contexts, rate limits.

With SQLite (one process) bot/channels/web/sessions.py and bot/channels/web/ratelimit.py keep these in memory, exactly as
before; with a `postgresql://` database they use these classes instead (same methods), so a follow-up
question may land on any worker and a client's limit counts across all of them. Keys are hashed with
the database's salt before they are stored: neither session ids nor client addresses are kept in
clear. Tables come from migrations (component "shared", PostgreSQL only). Both fail open: if the
database is unreachable a question is answered without context or limit rather than refused.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import threading
import time
from collections.abc import Callable

from bot.engine.answer import Context
from bot.storage.base import Database
from bot.storage.migrations import Migration

log = logging.getLogger(__name__)

SHARED_MIGRATIONS = (
    Migration(1, "conversation contexts and rate-limit counters shared by workers", "", """
CREATE TABLE IF NOT EXISTS sessions (
    sid TEXT PRIMARY KEY,
    context TEXT NOT NULL,
    expires DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);
CREATE TABLE IF NOT EXISTS rate_hits (
    client TEXT NOT NULL,
    slot BIGINT NOT NULL,
    hits INTEGER NOT NULL,
    PRIMARY KEY (client, slot)
)"""),
)

CLEANUP_EVERY = 500  # writes between deletions of expired rows


class _Keyed:
    """Hashes keys with the database salt; counts writes to clean up now and then."""

    def __init__(self, db: Database, salt: bytes, clock: Callable[[], float]) -> None:
        self.db = db
        self._salt = salt
        self._clock = clock
        self._writes = 0
        self._lock = threading.Lock()
        db.migrate("shared", SHARED_MIGRATIONS)

    def _key(self, raw: str) -> str:
        return hmac.new(self._salt, raw.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]

    def _due_cleanup(self) -> bool:
        with self._lock:
            self._writes += 1
            return self._writes % CLEANUP_EVERY == 0


class SharedSessions(_Keyed):
    """`SessionContexts` (bot/channels/web/sessions.py) on PostgreSQL: get / put / drop with a time-to-live."""

    def __init__(self, db: Database, salt: bytes, ttl: float, clock: Callable[[], float] = time.time) -> None:
        super().__init__(db, salt, clock)
        self.ttl = ttl

    def get(self, sid: str | None) -> Context | None:
        if not sid:
            return None
        try:
            rows = self.db.run("SELECT context FROM sessions WHERE sid = ? AND expires > ?", (self._key(sid), self._clock()))
        except Exception:
            log.exception("shared sessions: read failed; answering without context")
            return None
        return Context.from_dict(json.loads(rows[0][0])) if rows else None

    def put(self, sid: str | None, ctx: Context) -> None:
        if not sid:
            return
        now = self._clock()
        try:
            self.db.run("INSERT INTO sessions(sid, context, expires) VALUES (?, ?, ?) ON CONFLICT (sid) DO UPDATE"
                        " SET context = excluded.context, expires = excluded.expires",
                        (self._key(sid), json.dumps(ctx.to_dict(), ensure_ascii=False), now + self.ttl))
            if self._due_cleanup():
                self.db.run("DELETE FROM sessions WHERE expires <= ?", (now,))
        except Exception:
            log.exception("shared sessions: write failed; the follow-up will start afresh")

    def drop(self, sid: str) -> None:
        self.db.run("DELETE FROM sessions WHERE sid = ?", (self._key(sid),))

    def __len__(self) -> int:
        return int(self.db.run("SELECT COUNT(*) FROM sessions WHERE expires > ?", (self._clock(),))[0][0])


class SharedRateLimiter(_Keyed):
    """`RateLimiter` (bot/channels/web/ratelimit.py) on PostgreSQL: at most `limit` hits per client per window.

    Fixed windows (one counter row per client and minute) rather than the in-memory sliding window: one
    upsert per request, atomic across workers; a client may at worst burst 2 × limit across a window
    boundary. `hit(key)` returns 0 when allowed, else the seconds to wait (Retry-After).
    """

    def __init__(self, db: Database, salt: bytes, limit: int, window: float = 60.0,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(db, salt, clock)
        self.limit = int(limit)
        self.window = float(window)

    @property
    def enabled(self) -> bool:
        return self.limit > 0

    def hit(self, key: str) -> int:
        if not self.enabled:
            return 0
        now = self._clock()
        slot = int(now // self.window)
        try:
            hits = int(self.db.run("INSERT INTO rate_hits(client, slot, hits) VALUES (?, ?, 1) ON CONFLICT (client, slot)"
                                   " DO UPDATE SET hits = rate_hits.hits + 1 RETURNING hits", (self._key(key), slot))[0][0])
            if self._due_cleanup():
                self.db.run("DELETE FROM rate_hits WHERE slot < ?", (slot - 1,))
        except Exception:
            log.exception("shared rate limit: counter failed; allowing the request")
            return 0
        if hits <= self.limit:
            return 0
        return max(1, math.ceil((slot + 1) * self.window - now))
