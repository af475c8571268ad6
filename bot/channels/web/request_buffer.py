"""Whole requests before a thread: a request's head and body are collected without blocking, under deadlines.

Why: a worker thread that reads a request from its socket waits as long as the client takes to send
it, so a few clients drip-feeding their headers or bodies held every thread of gunicorn's threaded
worker (issue 23: 4 such connections stopped `serve --workers 2`). Here the worker's event loop
(bot/channels/web/balanced_worker.py) feeds what each connection sends into a `RequestBuffer` and
hands the connection to a thread only when a whole request is in: the thread then parses it from
memory (`FrontUnreader`) and never waits on the client. A connection that is too slow is closed:

* its head (request line and headers) must be complete within HEAD_SECONDS of the connection being
  opened or of its previous response (KEEPALIVE_IDLE_SECONDS when nothing at all was sent yet);
* its body must keep coming at MIN_BODY_RATE on average after a BODY_SECONDS allowance;
* a head over HEAD_LIMIT bytes is refused with 431, a body over the front's limit with 413 (JSON).

Memory: a head is at most HEAD_LIMIT bytes; a body is spooled to a temporary file beyond SPOOL_BYTES,
so a slow connection costs at most about HEAD_LIMIT + SPOOL_BYTES of memory and no thread.
"""
from __future__ import annotations

import enum
import json
import tempfile
from collections import deque
from dataclasses import dataclass
from typing import IO, Any

from gunicorn.http.unreader import SocketUnreader

HEAD_LIMIT = 64 * 1024
HEAD_SECONDS = 10.0
KEEPALIVE_IDLE_SECONDS = 5.0
BODY_SECONDS = 10.0
MIN_BODY_RATE = 16 * 1024  # bytes per second, on average, after BODY_SECONDS
SPOOL_BYTES = 128 * 1024
CHUNKED_END = b"0\r\n\r\n"


class State(enum.Enum):
    MORE = "more"  # keep reading
    READY = "ready"  # a whole request (or something only the parser can judge) is in
    HEAD_TOO_LARGE = "431"
    BODY_TOO_LARGE = "413"


@dataclass(frozen=True)
class Limits:
    """The front's limits: the largest body read (the largest upload) and the timings above."""

    max_body: int
    head_seconds: float = HEAD_SECONDS
    idle_seconds: float = KEEPALIVE_IDLE_SECONDS
    body_seconds: float = BODY_SECONDS
    min_body_rate: float = MIN_BODY_RATE


class RequestBuffer:
    """What one connection has sent of its next request, and until when it may take to send the rest."""

    def __init__(self, limits: Limits, now: float, *, kept_alive: bool = False) -> None:
        self.limits = limits
        self.head = bytearray()
        self.body: IO[bytes] | None = None
        self.head_end = -1
        self.length: int | None = None  # body bytes announced; None with chunked
        self.chunked = False
        self.expects_continue = False
        self.received_body = 0
        self._tail = b""
        self._body_started = 0.0
        self._kept_alive = kept_alive
        self.deadline = now + (limits.idle_seconds if kept_alive else limits.head_seconds)

    @property
    def empty(self) -> bool:
        return not self.head

    def feed(self, data: bytes, now: float) -> State:
        """Take bytes from the socket; what to do next."""
        if self.head_end < 0:
            if not self.head and self._kept_alive:  # first byte after a response: HEAD_SECONDS from here
                self.deadline = now + self.limits.head_seconds
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return State.HEAD_TOO_LARGE if len(self.head) > HEAD_LIMIT else State.MORE
            return self._head_done(end + 4, now)
        self._add_body(data, now)
        return self._state()

    def _head_done(self, end: int, now: float) -> State:
        self.head_end = end
        if end > HEAD_LIMIT:
            return State.HEAD_TOO_LARGE
        rest = bytes(self.head[end:])
        del self.head[end:]
        verdict = self._read_framing(bytes(self.head[:end]))
        if verdict is not None:
            return verdict
        self._body_started = now
        self._add_body(rest, now)
        return self._state()

    def _read_framing(self, head: bytes) -> State | None:
        """Content-Length / Transfer-Encoding / Expect from the head; READY when only the parser can judge."""
        lengths: list[bytes] = []
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                lengths.append(value.strip())
            elif name == b"transfer-encoding":
                self.chunked = self.chunked or b"chunked" in value.lower()
            elif name == b"expect":
                self.expects_continue = value.strip().lower() == b"100-continue"
        if self.chunked:
            return None
        if not lengths:
            self.length = 0
            return None
        if len(lengths) > 1 or not lengths[0].isdigit():
            return State.READY  # malformed: the parser answers 400
        self.length = int(lengths[0])
        return State.BODY_TOO_LARGE if self.length > self.limits.max_body else None

    def _add_body(self, data: bytes, now: float) -> None:
        if data:
            if self.body is None:
                self.body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            self.body.write(data)
            self.received_body += len(data)
            self._tail = (self._tail + data)[-len(CHUNKED_END) - 2:]
        limits = self.limits
        self.deadline = self._body_started + limits.body_seconds + self.received_body / limits.min_body_rate

    def _state(self) -> State:
        if self.chunked:
            if self.received_body > self.limits.max_body + HEAD_LIMIT:
                return State.BODY_TOO_LARGE
            done = self._tail.endswith(b"\r\n" + CHUNKED_END) or self._tail == CHUNKED_END
            return State.READY if done else State.MORE
        return State.READY if self.received_body >= (self.length or 0) else State.MORE

    @property
    def wants_continue(self) -> bool:
        """The client waits for "100 Continue" before sending its body (curl does for large bodies)."""
        return self.head_end >= 0 and self.expects_continue and self.received_body < (self.length or 1)

    def sources(self) -> list[IO[bytes] | bytes]:
        """What the parser reads, in order: the head bytes, then the body (memory or temporary file)."""
        out: list[IO[bytes] | bytes] = [bytes(self.head)]
        if self.body is not None:
            self.body.seek(0)
            out.append(self.body)
        self.head = bytearray()
        self.body = None
        return out

    def close(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None


class FrontUnreader(SocketUnreader):
    """gunicorn's socket reader, reading first what the event loop already collected (`pending`)."""

    def __init__(self, sock: Any, max_chunk: int = 8192) -> None:
        super().__init__(sock, max_chunk)
        self.pending: deque[IO[bytes] | bytes] = deque()

    def chunk(self, size_hint: int | None = None) -> bytes:
        while self.pending:
            source = self.pending[0]
            if isinstance(source, bytes):
                self.pending.popleft()
                if source:
                    return source
                continue
            data = source.read(max(size_hint or 0, 64 * 1024))
            if data:
                return data
            self.pending.popleft()  # `source`, read to its end
            source.close()
        return bytes(super().chunk(size_hint))

    def take_pending(self) -> bytes:
        """Bytes already read past the current request (a pipelined next request), taken out."""
        data = bytearray(self.take_buffered())
        while self.pending:
            source = self.pending.popleft()
            if isinstance(source, bytes):
                data += source
            else:
                data += source.read()
                source.close()
        return bytes(data)

    def discard(self) -> None:
        for source in self.pending:
            if not isinstance(source, bytes):
                source.close()
        self.pending.clear()


def json_response(status: int, reason: str, message: str) -> bytes:
    """A complete `Connection: close` HTTP/1.1 response with the app's error shape `{"error": …}`."""
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8")
    return (f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode("latin-1") + body
