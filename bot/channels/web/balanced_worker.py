"""gunicorn's threaded worker, leaving new connections to idle workers while its threads are busy.

Why: the workers of `bot serve --workers N` share one listening socket, and gunicorn's gthread worker
accepts whenever its event loop sees a connection waiting, however busy its threads are. Whichever
worker wakes first takes the whole backlog: on the 2-core development machine wrk's 16 keep-alive
connections landed 16/0, 14/2, 14/2 and 11/5 on two workers, so one process answered nearly everything
while the other idled (2 workers measured 1.1x one). Keep-alive clients (wrk, a proxy's upstream pool)
then stay on the worker that took them.

Here a worker with every thread busy (as many requests in flight as `threads`) does not take a waiting
connection at once: it steps aside for `GRACE_SECONDS`, so an idle worker takes it; if the connection
is still waiting after that (every worker is busy), the busy worker takes it then. No connection waits
more than the grace for a worker to accept it. Everything else (keep-alive, timeouts, graceful SIGTERM)
is gunicorn's `ThreadWorker`; the methods overridden are those of the pinned gunicorn (pyproject.toml).
Neighbours: bot/channels/web/workers.py runs gunicorn with this worker class (imported there only: Unix-only).
"""
from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

GRACE_SECONDS = 0.02  # how long a busy worker leaves a waiting connection to the others


class BalancedThreadWorker(ThreadWorker):  # type: ignore[misc]
    """`ThreadWorker` that lets idle workers accept first (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_flight = 0  # requests handed to the thread pool, not yet finished (main thread only)
        self._step_aside_until: float | None = None

    def busy(self) -> bool:
        return self.in_flight >= self.cfg.threads

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.in_flight -= 1
        super().finish_request(conn, fs)  # may enqueue the connection again (read-ahead request)

    def accept(self, listener: Any) -> None:
        """A connection is waiting: take it, or while busy, step aside for the grace period."""
        if self.busy() and self._step_aside_until is None and self.alive:
            self._step_aside_until = time.monotonic() + GRACE_SECONDS
            super().set_accept_enabled(False)
            return
        super().accept(listener)

    def set_accept_enabled(self, enabled: bool) -> None:
        """Called by the event loop each turn while accepting is off: back on once the grace is over,
        taking first what is still waiting (a non-blocking accept; nothing waiting is fine)."""
        if self._step_aside_until is not None:
            if enabled and self.alive and time.monotonic() < self._step_aside_until:
                return
            self._step_aside_until = None
            if enabled and self.alive:
                for listener in self.sockets:
                    super().accept(listener)
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        if self._step_aside_until is not None and self.alive:  # wake when the grace is over
            left = self._step_aside_until - time.monotonic()
            if left > 0:
                timeout = min(timeout, left)
        super().wait_for_and_dispatch_events(timeout)
