"""What the admin door must remember across workers: failed logins per client and sessions ended by logout.

Why: the session cookie is signed and stateless (every worker accepts it without a lookup), so a logout
only deleted the browser's copy and a copied cookie kept working for its eight hours; and the login
throttle counted in each worker's memory, so two workers allowed twice the guesses. Both now live in
the question log's database (SQLite or PostgreSQL, whichever `web.database` names), like the rate
limit on PostgreSQL. Client addresses are stored hashed with the database salt. Until `attach` is
called (a Door built outside the web app) or if the database fails, memory is used (fail open for the
throttle: a broken database must not lock the office out; ended sessions are kept in memory too).
Used by bot/channels/web/admin_auth.py (`Door.ledger`, `LoginThrottle.share`); attached in create_app.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import math
import threading
import time

from bot.storage.base import Database
from bot.storage.migrations import Migration

log = logging.getLogger(__name__)

_TABLES = """
CREATE TABLE IF NOT EXISTS admin_login_fails (
    client TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS admin_login_fails_client ON admin_login_fails(client, at);
CREATE TABLE IF NOT EXISTS admin_ended_sessions (
    sig TEXT PRIMARY KEY,
    expires DOUBLE PRECISION NOT NULL
)"""
DOOR_MIGRATIONS = (Migration(1, "admin login failures and ended sessions, shared by workers", _TABLES, _TABLES),)
MAX_MEMORY_ENDED = 10_000


class DoorLedger:
    """Failed logins and ended sessions: in the database once attached, else in memory."""

    def __init__(self) -> None:
        self.db: Database | None = None
        self._salt = b""
        self._lock = threading.Lock()
        self._ended: dict[str, float] = {}

    def attach(self, db: Database, salt: bytes) -> None:
        db.migrate("admin_door", DOOR_MIGRATIONS)
        self.db, self._salt = db, salt

    @property
    def shared(self) -> bool:
        return self.db is not None

    @property
    def secret(self) -> bytes:
        """The database's salt once attached (part of the session key: people may sign in without a
        configured admin password or token, and their cookies must still be unforgeable)."""
        return self._salt

    def _key(self, raw: str) -> str:
        return hmac.new(self._salt, raw.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:32]

    # -- sessions -----------------------------------------------------------------------------------

    def end(self, sig: str, expires: float) -> None:
        with self._lock:
            if len(self._ended) >= MAX_MEMORY_ENDED:
                now = time.time()
                self._ended = {k: v for k, v in self._ended.items() if v > now}
            self._ended[sig] = expires
        if self.db is not None:
            try:
                self.db.run("DELETE FROM admin_ended_sessions WHERE expires < ?", (time.time(),))
                self.db.run("INSERT INTO admin_ended_sessions(sig, expires) VALUES (?, ?) ON CONFLICT (sig) DO NOTHING",
                            (self._key(sig), expires))
            except Exception:
                log.exception("admin door: could not record a logout in the database (ended here only)")

    def ended(self, sig: str) -> bool:
        with self._lock:
            if sig in self._ended:
                return True
        if self.db is None:
            return False
        try:
            return bool(self.db.run("SELECT 1 FROM admin_ended_sessions WHERE sig = ?", (self._key(sig),)))
        except Exception:
            log.exception("admin door: could not read ended sessions")
            return False

    # -- login failures -------------------------------------------------------------------------------

    def fail(self, client: str, window: float) -> bool:
        """Record one failure; False if the database refused (the caller then counts in memory)."""
        assert self.db is not None
        now = time.time()
        try:
            self.db.run("DELETE FROM admin_login_fails WHERE at < ?", (now - window,))
            self.db.run("INSERT INTO admin_login_fails(client, at) VALUES (?, ?)", (self._key(client), now))
            return True
        except Exception:
            log.exception("admin door: could not record a failed login in the database")
            return False

    def fails_wait(self, client: str, limit: int, window: float) -> int | None:
        """Seconds to wait (0: may try); None if the database could not say."""
        assert self.db is not None
        now = time.time()
        try:
            rows = self.db.run("SELECT at FROM admin_login_fails WHERE client = ? AND at > ? ORDER BY at",
                               (self._key(client), now - window))
        except Exception:
            log.exception("admin door: could not read failed logins")
            return None
        if len(rows) < limit:
            return 0
        oldest = float(rows[len(rows) - limit][0])
        return max(1, math.ceil(oldest + window - now))

    def forget_fails(self, client: str) -> None:
        assert self.db is not None
        try:
            self.db.run("DELETE FROM admin_login_fails WHERE client = ?", (self._key(client),))
        except Exception:
            log.exception("admin door: could not clear failed logins")
