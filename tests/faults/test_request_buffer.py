"""The front's deadlines and limits (bot/channels/web/request_buffer.py) with an explicit clock: a head
must be whole within HEAD_SECONDS, a body must keep MIN_BODY_RATE after BODY_SECONDS, oversized heads
and bodies are refused on sight, and a request read in pieces is handed over whole and in order."""
from __future__ import annotations

from bot.channels.web.request_buffer import (
    BODY_SECONDS,
    HEAD_LIMIT,
    HEAD_SECONDS,
    KEEPALIVE_IDLE_SECONDS,
    MIN_BODY_RATE,
    Limits,
    RequestBuffer,
    State,
)

LIMITS = Limits(max_body=1024 * 1024)


def _whole(buffer: RequestBuffer) -> bytes:
    return b"".join(s if isinstance(s, bytes) else s.read() for s in buffer.sources())


def test_a_dripped_head_has_a_fixed_deadline() -> None:
    buf = RequestBuffer(LIMITS, now=100.0)
    for t in range(9):  # a byte a second does not move the deadline
        assert buf.feed(b"G", now=100.0 + t) is State.MORE
    assert buf.deadline == 100.0 + HEAD_SECONDS


def test_a_kept_alive_connection_idles_briefly_then_gets_the_head_deadline() -> None:
    buf = RequestBuffer(LIMITS, now=0.0, kept_alive=True)
    assert buf.empty and buf.deadline == KEEPALIVE_IDLE_SECONDS
    buf.feed(b"GET / HTTP/1.1\r\n", now=3.0)
    assert buf.deadline == 3.0 + HEAD_SECONDS


def test_a_body_must_keep_coming() -> None:
    buf = RequestBuffer(LIMITS, now=0.0)
    head = b"POST /api/ask HTTP/1.1\r\nContent-Length: 100000\r\n\r\n"
    assert buf.feed(head, now=1.0) is State.MORE
    assert buf.deadline == 1.0 + BODY_SECONDS
    buf.feed(b"x" * int(MIN_BODY_RATE), now=5.0)  # one second's worth buys one second more
    assert buf.deadline == 1.0 + BODY_SECONDS + 1.0


def test_whole_requests_are_ready_in_order() -> None:
    buf = RequestBuffer(LIMITS, now=0.0)
    request = b"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 300000\r\n\r\n" + (bytes(range(256)) * 1172)[:300000]
    pieces = [request[i:i + 999] for i in range(0, len(request), 999)]
    states = [buf.feed(p, now=0.0) for p in pieces]
    assert states[-1] is State.READY and set(states[:-1]) == {State.MORE}
    assert _whole(buf) == request


def test_chunked_bodies_wait_for_their_last_chunk() -> None:
    buf = RequestBuffer(LIMITS, now=0.0)
    assert buf.feed(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", now=0.0) is State.MORE
    assert buf.feed(b"0\r\n\r\n", now=0.0) is State.READY


def test_oversized_and_malformed() -> None:
    assert RequestBuffer(LIMITS, now=0.0).feed(b"GET /" + b"a" * (HEAD_LIMIT + 1), now=0.0) is State.HEAD_TOO_LARGE
    too_big = b"POST /x HTTP/1.1\r\nContent-Length: %d\r\n\r\n" % (LIMITS.max_body + 1)
    assert RequestBuffer(LIMITS, now=0.0).feed(too_big, now=0.0) is State.BODY_TOO_LARGE
    # a length only the parser can judge goes to it at once (it answers 400)
    assert RequestBuffer(LIMITS, now=0.0).feed(b"POST /x HTTP/1.1\r\nContent-Length: abc\r\n\r\n", now=0.0) is State.READY


def test_expect_continue_is_noticed() -> None:
    buf = RequestBuffer(LIMITS, now=0.0)
    buf.feed(b"POST /x HTTP/1.1\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n", now=0.0)
    assert buf.wants_continue
