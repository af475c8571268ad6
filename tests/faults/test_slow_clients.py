"""Slow and stalled clients at a REAL server (issue 23): they cost a socket each, never a worker thread.

`serve` (one process) and `serve --workers 2` each get 200 connections at once that drip-feed their
request: half stop in the middle of their headers, half announce a body and send only part of it. While
all 200 are open the health probe and a question are answered; the front reads requests in its event
loop (bot/channels/web/balanced_worker.py) and hands only whole ones to the threads. The deadlines that
close such connections are covered in test_request_buffer.py with an explicit clock (no sleeping here).
"""
from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.faults

SLOW = 200


@contextmanager
def slow_connections(port: int, n: int = SLOW) -> Iterator[list[socket.socket]]:
    """`n` open connections stuck mid-request (headers cut, or a body cut short), closed at the end."""
    socks: list[socket.socket] = []
    try:
        for i in range(n):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            if i % 2:
                s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          b"Content-Length: 1000\r\n\r\n{\"question\": \"")
            else:
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            socks.append(s)
        for s in socks[:20]:  # and they keep dripping: one more byte each, still incomplete
            s.sendall(b"a")
        yield socks
    finally:
        for s in socks:
            s.close()


def _others_are_served(server) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        status, body = server.request("GET", "/healthz", timeout=10)
        assert status == 200 and body["status"] == "ok"
    status, body = server.ask("依申请公开要多久答复？")
    assert status == 200 and body["reply"]


@pytest.mark.parametrize("workers", [1, 2])
def test_200_slow_clients_do_not_stop_the_others(start_server, workers: int) -> None:
    server = start_server(args=("--workers", str(workers)) if workers > 1 else ())
    with slow_connections(server.port) as socks:
        _others_are_served(server)
        for s in socks[:5]:  # none of them was answered: they are still waiting for their request
            s.setblocking(False)
            with pytest.raises(BlockingIOError):
                s.recv(1)


def test_a_slow_upload_is_received_whole(start_server) -> None:
    """A body sent in pieces (an upload on a slow line) is read whole by the front, then answered."""
    server = start_server()
    body = b'{"question": "' + "依申请公开要多久答复？".encode() + b'"}'
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as s:
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                  + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n")
        for i in range(0, len(body), 7):
            s.sendall(body[i:i + 7])
        _others_are_served(server)  # meanwhile (the last piece is already sent: order does not matter)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200"), data[:200]
