"""Run a waitress server until SIGTERM or SIGINT, then stop gracefully; waitress errors as JSON.

Used by bot/channels/web/serve.py (`python -m bot serve`). On SIGTERM / SIGINT (handlers installed explicitly,
so a server started from a non-interactive shell, where SIGINT is ignored, stops too):
1. stop accepting: the listening sockets are closed (new connections are refused);
2. finish in-flight requests: the event loop keeps running until every received request is answered
   and its response sent, at most `GRACE_SECONDS`;
3. the caller then drains the question log (bot/web `close_app`, at most `LOG_DRAIN_SECONDS` while
   another process holds the database lock) and the process exits 0.
So a stop takes at most GRACE_SECONDS + LOG_DRAIN_SECONDS (+ about a second) — 21 s; normally well
under a second. Errors waitress answers itself (a body over its limit, malformed headers) use the
app's JSON shape `{"error": …}` instead of plain text.
"""
from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

log = logging.getLogger("bot.channels.web")

GRACE_SECONDS = 10.0
LOG_DRAIN_SECONDS = 10.0
POLL_SECONDS = 0.2
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class JsonErrorTask(ErrorTask):
    """waitress's own error responses (400, 413, 431 …) as `{"error": "…"}` like the app's."""

    def execute(self) -> None:
        # On an ErrorTask `request` is waitress's request parser holding the error (types-waitress says Error).
        e = cast(Any, self.request).error
        if e.code == 413:  # the app's wording for the same error
            message = f"request body too large (at most {self.channel.server.adj.max_request_body_size} bytes)"
        else:
            message = f"{e.reason.lower()}: {e.body}"
        body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
        self.status = f"{e.code} {e.reason}"
        cast(list[tuple[str, str]], self.response_headers).append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask


def socket_map(server: Any) -> dict[int, Any]:
    """The event loop's map of a single-socket server (`_map`) or a multi-socket one (`map`)."""
    return server.map if hasattr(server, "map") and isinstance(server.map, dict) else server._map


def listeners(server: Any) -> list[Any]:
    return [d for d in socket_map(server).values() if hasattr(d, "channel_class")]


def use_json_errors(server: Any) -> None:
    for listener in listeners(server):
        listener.channel_class = JsonErrorChannel


class StopSignals:
    """Sets `stop` on SIGTERM / SIGINT while active (a context manager restoring the old handlers)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.received: str | None = None
        self._old: dict[int, Any] = {}

    def _handle(self, signum: int, _frame: object) -> None:
        self.received = signal.Signals(signum).name
        self.stop.set()

    def __enter__(self) -> StopSignals:
        for sig in STOP_SIGNALS:
            self._old[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, old in self._old.items():
            signal.signal(sig, old)


def run_until_stopped(server: Any, stop: threading.Event, *, grace: float = GRACE_SECONDS,
                      on_stop: Callable[[int], None] | None = None) -> int:
    """Serve until `stop` is set, then stop accepting and finish in-flight requests (at most `grace` s).

    Returns the number of requests still unfinished when the grace period ran out (0 normally)."""
    smap = socket_map(server)
    poll = server.adj.asyncore_use_poll
    while not stop.is_set():
        wasyncore.loop(timeout=POLL_SECONDS, map=smap, use_poll=poll, count=1)
    for listener in listeners(server):
        listener.close()
    busy = _in_flight(smap)
    if on_stop is not None:
        on_stop(busy)
    deadline = time.monotonic() + grace
    while busy and time.monotonic() < deadline:
        wasyncore.loop(timeout=0.05, map=smap, use_poll=poll, count=1)
        busy = _in_flight(smap)
    if busy:
        log.warning("stopping with %d request(s) unfinished after %.0f s", busy, grace)
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
    wasyncore.close_all(smap)
    return busy


def _in_flight(smap: dict[int, Any]) -> int:
    """Requests received but not yet answered, or answered but not yet sent."""
    return sum(len(ch.requests) + (1 if ch.total_outbufs_len else 0)
               for ch in list(smap.values()) if isinstance(ch, HTTPChannel))
