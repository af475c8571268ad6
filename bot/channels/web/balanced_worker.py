"""gunicorn's threaded worker with an event-driven front: whole requests only reach its threads, and idle
workers accept first.

1. Slow clients (issue 23): gunicorn's gthread worker hands a new connection to a thread, which then
   reads the request from the socket for as long as the client takes, so four clients drip-feeding
   their headers held every thread of `serve --workers 2`. Here the worker's event loop (its main
   thread) reads every connection without blocking into a `RequestBuffer`
   (bot/channels/web/request_buffer.py) and submits it to the thread pool only once a whole request
   is in; too slow a head or body is answered 408 and closed, too large a one 413/431, all as JSON.
   Closing after `Connection: close` lingers in the loop too (gunicorn's blocking linger would stall
   the loop up to 2 s per client). So threads only ever run the app: a slow connection costs a
   socket and at most ~200 KB of memory, never a thread. Open connections per worker are capped by
   gunicorn's `worker_connections` (bot/channels/web/workers.py); past that, new ones wait in the
   listen backlog until slow ones time out (at most HEAD_SECONDS).
2. Balance: the workers of `serve --workers N` share one listening socket and whichever wakes first
   would take the whole backlog (wrk's 16 keep-alive connections landed 16/0, 14/2, 11/5 on two
   workers). A worker with every thread busy steps aside for `GRACE_SECONDS` so an idle worker takes
   a waiting connection; if it is still waiting then (every worker busy), the busy one takes it and
   every other one waiting (one grace per batch: 256 connections arriving at once are not accepted
   20 ms apart). Alone in `serve` (`standalone`) there is nobody to step aside for.
3. Keep-alive connections stay where they were accepted, so with `serve --workers N` the workers post
   their open connections and whether they are busy on a shared board (connection_board.py): a worker
   holding more than another by more than the slack leaves new connections to it, takes only its part
   of a batch, and answers "Connection: close" so a client it holds reconnects (256 connections had
   landed 185 / 71: one core did three quarters of the work while the other idled).
Errors gunicorn answers itself (a malformed request line or header) are JSON `{"error": …}` like the app's.
Everything else (keep-alive, graceful SIGTERM) is gunicorn's `ThreadWorker`; the methods overridden
are those of the pinned gunicorn (pyproject.toml). Neighbours: bot/channels/web/workers.py runs it under
gunicorn (`serve --workers N`) or alone in the serving process (`serve`).
"""
from __future__ import annotations

import errno
import html
import selectors
import socket
import time
from functools import partial
from typing import Any

from gunicorn import util
from gunicorn.workers.gthread import TConn, ThreadWorker

from bot.channels.web.connection_board import ConnectionBoard
from bot.channels.web.request_buffer import FrontUnreader, Limits, RequestBuffer, State, json_response

GRACE_SECONDS = 0.02  # how long a busy worker leaves a waiting connection to the others
READ_TIMEOUT = 10.0  # a thread never waits longer than this on one recv/send of a client
LINGER_SECONDS = 2.0  # after "Connection: close", how long the client may take to close its side
DEFAULT_MAX_BODY = 16 * 1024 * 1024
_REFUSALS = {
    State.HEAD_TOO_LARGE: (431, "Request Header Fields Too Large", "request headers too large"),
    State.BODY_TOO_LARGE: (413, "Payload Too Large", "request body too large (at most {max_body} bytes)"),
}


class FrontConn(TConn):
    """A connection whose next request the event loop has already read (`ready`)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.ready: list[Any] = []
        self.continued = False  # the front already sent "100 Continue"

    def init(self) -> None:
        fresh = self.parser is None
        super().init()
        if fresh:
            self.parser.unreader = FrontUnreader(self.sock)
        self.sock.settimeout(READ_TIMEOUT)
        if self.ready:
            self.parser.unreader.pending.extend(self.ready)
            self.ready = []


class _CapturedError:
    """Stands in for the client socket while gunicorn writes its HTML error page, to answer JSON instead."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self.data = b""

    def gettimeout(self) -> float:
        return 0.0

    def sendall(self, data: bytes) -> None:
        self.data += data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def as_json(self) -> bytes:
        head, _, page = self.data.decode("latin-1").partition("\r\n\r\n")
        parts = head.split("\r\n", 1)[0].split(" ", 2)
        status, reason = (int(parts[1]), parts[2]) if len(parts) == 3 and parts[1].isdigit() else (500, "Error")
        detail = html.unescape(page.partition("</h1>")[2].partition("</body>")[0]).strip()
        if status >= 500:
            return json_response(status, reason, "internal error")
        return json_response(status, reason, f"{reason.lower()}: {detail}" if detail else reason.lower())


class BalancedThreadWorker(ThreadWorker):
    """`ThreadWorker` fed whole requests by its event loop, letting idle workers accept first."""

    limits = Limits(max_body=DEFAULT_MAX_BODY)  # bot/channels/web/workers.py sets the configured one
    standalone = False  # True when run inside `serve` without a gunicorn master
    board: ConnectionBoard | None = None  # the workers' connection counts (connection_board.py), made before the fork

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_flight = 0  # requests handed to the thread pool, not yet finished (main thread only)
        self._step_aside_until: float | None = None
        self.waiting: dict[FrontConn, RequestBuffer] = {}  # reading their next request
        self.lingering: dict[FrontConn, float] = {}  # answered with Connection: close, closing
        self._slot = ConnectionBoard.slot_of(self)

    def busy(self) -> bool:
        return self.in_flight >= self.cfg.threads

    def is_parent_alive(self) -> bool:
        return True if self.standalone else bool(super().is_parent_alive())

    # -- accepting ------------------------------------------------------------------------------

    def _leave(self) -> bool:
        """Whether to leave a new connection to the other workers for the grace period: while busy (the
        only rule without a board), or as the board says (connection_board.py `should_leave`)."""
        if self.board is None:
            return self.busy()
        return self.board.should_leave(self._slot, self.nr_conns, self.busy())

    def _fuller(self) -> bool:
        """Holding more connections than another worker does, by more than the board's slack."""
        return self.board is not None and self.board.fuller(self._slot, self.nr_conns)

    def _post(self) -> None:
        if self.board is not None:
            self.board.post(self._slot, self.nr_conns, self.busy())

    def accept(self, listener: Any) -> None:
        """A connection is waiting: take it, or while busy or holding more connections than an idle
        worker, step aside for the grace period."""
        self._post()
        if not self.standalone and self._step_aside_until is None and self.alive and self._leave():
            self._step_aside_until = time.monotonic() + GRACE_SECONDS
            super().set_accept_enabled(False)
            return
        if self._take(listener) and self.board is not None:  # with several workers: while we hold no more
            while self.nr_conns < self.worker_connections and not self._fuller() and self._take(listener):
                pass  # than our part, what else waits (one per turn of a loop serving 100 connections is slow)

    def _take(self, listener: Any) -> bool:
        """Accept one waiting connection (non-blocking); False when none was waiting."""
        try:
            sock, addr = listener.accept()
        except OSError as e:
            if e.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return False
        self.nr_conns += 1
        self._post()
        conn = FrontConn(self.cfg, sock, addr, listener.getsockname())
        self._await_request(conn, RequestBuffer(self.limits, time.monotonic()))
        return True

    def set_accept_enabled(self, enabled: bool) -> None:
        """Called by the event loop each turn while accepting is off: back on once the grace is over,
        taking first all that is still waiting (non-blocking accepts; nothing waiting is fine)."""
        if self._step_aside_until is not None:
            if enabled and self.alive and time.monotonic() < self._step_aside_until:
                return
            self._step_aside_until = None
            if enabled and self.alive:  # everything still waiting: one grace per batch, not per connection,
                for listener in self.sockets:  # but each worker its part of what waits (the board)
                    first = True
                    while self.nr_conns < self.worker_connections and (first or not self._fuller()) \
                            and self._take(listener):
                        first = False
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        self._post()  # each turn of the loop: connections closed and requests finished since the last
        if self._step_aside_until is not None and self.alive:  # wake when the grace is over
            left = self._step_aside_until - time.monotonic()
            if left > 0:
                timeout = min(timeout, left)
        super().wait_for_and_dispatch_events(timeout)

    # -- reading requests in the event loop -----------------------------------------------------

    def _await_request(self, conn: FrontConn, buffer: RequestBuffer, data: bytes = b"") -> None:
        if data:
            state = buffer.feed(data, time.monotonic())
            if state is not State.MORE:
                self._dispatch(conn, buffer, state)
                return
        conn.sock.setblocking(False)
        self.waiting[conn] = buffer
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_readable, conn))

    def _on_readable(self, conn: FrontConn, _sock: Any) -> None:
        buffer = self.waiting[conn]
        try:
            data = conn.sock.recv(1024 * 1024 if buffer.head_end >= 0 else 64 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:  # the client went away
            self._stop_waiting(conn).close()
            self._close(conn)
            return
        state = buffer.feed(data, time.monotonic())
        if state is State.MORE:
            if buffer.wants_continue and not conn.continued:
                conn.continued = True
                self._send(conn, b"HTTP/1.1 100 Continue\r\n\r\n")
            return
        self._dispatch(conn, self._stop_waiting(conn), state)

    def _stop_waiting(self, conn: FrontConn) -> RequestBuffer:
        self.poller.unregister(conn.sock)
        return self.waiting.pop(conn)

    def _dispatch(self, conn: FrontConn, buffer: RequestBuffer, state: State) -> None:
        if state is State.READY:
            conn.ready = buffer.sources()
            self.enqueue_req(conn)
            return
        buffer.close()
        status, reason, message = _REFUSALS[state]
        self._refuse(conn, json_response(status, reason, message.format(max_body=self.limits.max_body)))

    def _refuse(self, conn: FrontConn, response: bytes) -> None:
        self._send(conn, response)
        self._linger(conn)

    @staticmethod
    def _send(conn: FrontConn, data: bytes) -> None:
        try:
            conn.sock.send(data)  # small: fits the socket's send buffer
        except OSError:
            pass

    def murder_pending(self) -> None:
        """Each turn of the loop: close connections past their deadline (408 when a request was begun)."""
        super().murder_pending()
        now = time.monotonic()
        for conn, buffer in list(self.waiting.items()):
            if not self.alive and buffer.empty:  # stopping: kept-alive connections get a short linger only
                buffer.deadline = min(buffer.deadline, now + LINGER_SECONDS)
            if buffer.deadline <= now:
                self._stop_waiting(conn).close()
                if buffer.empty:
                    self._close(conn)
                else:
                    self._refuse(conn, json_response(408, "Request Timeout", "request not received in time"))
        for conn, until in list(self.lingering.items()):
            if until <= now:
                self._end_linger(conn)

    # -- after a request ------------------------------------------------------------------------

    def enqueue_req(self, conn: Any) -> None:
        self.in_flight += 1
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        conn.data_ready = True  # the request is in memory: no waiting for the socket in a thread
        return super().handle(conn)

    def handle_request(self, req: Any, conn: Any) -> Any:
        if getattr(conn, "continued", False):  # the front answered the Expect already
            req._expected_100_continue = False
            conn.continued = False
        if self._fuller():  # answered with "Connection: close": the client's next connection goes to a
            req.must_close = True  # worker holding fewer (keep-alive would pin it here for good)
        return super().handle_request(req, conn)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        captured = _CapturedError(client)
        super().handle_error(req, captured, addr, exc)
        if captured.data:
            try:
                util.write_nonblock(client, captured.as_json())
            except Exception:
                self.log.debug("Failed to send error message.")

    def finish_request(self, conn: Any, fs: Any) -> None:
        """In the event loop: a kept-alive connection goes back to reading, any other is closed."""
        self.in_flight -= 1
        try:
            result = fs.result() if not fs.cancelled() else False
        except Exception:
            result = False
        unreader = conn.parser.unreader if conn.parser is not None else None
        if result is True and isinstance(unreader, FrontUnreader):
            ahead = unreader.take_pending()  # a pipelined next request read with this one
            self._await_request(conn, RequestBuffer(self.limits, time.monotonic(), kept_alive=True), ahead)
            return
        if isinstance(unreader, FrontUnreader):
            unreader.discard()
        self._linger(conn)

    def _linger(self, conn: FrontConn) -> None:
        """Close after the client has read the response (RFC 9112 9.6), without blocking the loop."""
        try:
            conn.sock.setblocking(False)
            conn.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self._close(conn)
            return
        self.lingering[conn] = time.monotonic() + LINGER_SECONDS
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_linger_readable, conn))

    def _on_linger_readable(self, conn: FrontConn, _sock: Any) -> None:
        try:
            if conn.sock.recv(64 * 1024):
                return  # discarded; the deadline bounds how long
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            pass
        self._end_linger(conn)

    def _end_linger(self, conn: FrontConn) -> None:
        self.lingering.pop(conn, None)
        try:
            self.poller.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        self._close(conn)

    def _close(self, conn: FrontConn) -> None:
        self.nr_conns -= 1
        self._post()  # at once: an idle loop may not turn again for a while, and others read this count
        util.close(conn.sock)
