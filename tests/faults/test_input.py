"""Odd input at a REAL server (waitress in front of the app): every path answers a clear 4xx JSON error."""
from __future__ import annotations

import signal
import socket

import pytest

pytestmark = pytest.mark.faults


def _raw(port: int, request: bytes) -> tuple[int, bytes]:
    """Send bytes as they are (no client library fixing them up); (status, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_odd_requests_get_json_errors(start_server) -> None:
    server = start_server()
    big = b"x" * (2 * 1024 * 1024)
    cases = [  # 2 MB: read, then refused by the app; 64 MB: refused by waitress on its headers
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
         + str(len(big)).encode() + b"\r\nConnection: close\r\n\r\n" + big, 413),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n"
         b"Connection: close\r\n\r\n", 413),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000\r\n"
         b"Connection: close\r\n\r\n" + b" " * 20000, 413),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n", 400),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\n"
         b"Connection: close\r\n\r\n{\"question", 400),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 16\r\n"
         b"Connection: close\r\n\r\n{\"question\": [1]}"[:-1], 400),
        (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json; charset=gbk\r\nContent-Length: 18\r\n"
         b"Connection: close\r\n\r\n{\"question\":\"\xc4\xe3\xba\xc3\"}  ", 400),
    ]
    for request, status in cases:
        got, body = _raw(server.port, request)
        assert got == status, (request[:120], body[:200])
        assert body.lstrip().startswith(b"{\"error\""), body[:200]
    for idle in ("%C2%B2", "9" * 5000, "-5", "1e9", "%00"):
        status, _ = server.request("GET", f"/kiosk?idle={idle}")
        assert status == 200, idle
    status, body = server.request("POST", "/api/ask", {"question": 5})
    assert status == 400 and body["error"] == "question must be a string"
    server.signal(signal.SIGTERM)
    assert server.wait() == 0
