"""A circuit breaker: after a connection-level failure, calls fail at once for a while instead of waiting.

With PostgreSQL down, every touch of the database (the shared session context, the rate-limit counter,
the log writer) waited the pool's 10 s timeout, so answers took 10–60 s (issue 23). The breaker opens
on the first failure that says the server is unreachable; while open, `check()` raises `Unavailable` at
once (callers fail open: no context, no limit, rows queued or spilled). After `cooldown` one call is let
through as a probe (the log writer usually makes it, retrying every second); its success closes the
breaker, its failure opens it again with the cooldown doubled up to `MAX_COOLDOWN`.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.storage.base import StoreError

FIRST_COOLDOWN = 2.0
MAX_COOLDOWN = 30.0


class Unavailable(StoreError):
    """The database is known to be unreachable (the breaker is open); retry later."""


class Breaker:
    def __init__(self, name: str, clock: Callable[[], float] = time.monotonic) -> None:
        self.name = name
        self._clock = clock
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._cooldown = FIRST_COOLDOWN
        self._probing = False
        self.opened = 0  # times opened (health)

    @property
    def state(self) -> str:
        with self._lock:
            if self._open_until == 0.0:
                return "closed"
            return "half-open" if self._clock() >= self._open_until else "open"

    def check(self) -> None:
        """Raise Unavailable while open; let exactly one caller through as a probe once it may close."""
        with self._lock:
            if self._open_until == 0.0:
                return
            if self._clock() < self._open_until or self._probing:
                raise Unavailable(f"{self.name} is unreachable; not trying again for a moment (circuit open)")
            self._probing = True

    def success(self) -> None:
        with self._lock:
            self._open_until = 0.0
            self._cooldown = FIRST_COOLDOWN
            self._probing = False

    def failure(self) -> None:
        with self._lock:
            if self._open_until and self._probing:  # the probe failed: wait longer next time
                self._cooldown = min(MAX_COOLDOWN, self._cooldown * 2)
            if not self._open_until or self._probing:
                self.opened += 1
            self._open_until = self._clock() + self._cooldown
            self._probing = False
