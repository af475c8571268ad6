"""bot/channels/web/balanced_worker.py through real gunicorn and real sockets: while one worker's threads are
busy, a new connection goes to the idle worker instead of waiting behind the busy one.

Two clients connect at the same instant to 2 workers × 1 thread whose requests take 0.3 s: the second
connection must go to the worker that is not busy. gunicorn's plain threaded worker lets the first
worker to wake take both in about one round in six (measured by hand: 2 of 12 rounds), so ten rounds
catch it most of the time; the balanced worker split every one of 12 rounds.
"""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.scale.workers_server import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name != "posix", reason="gunicorn is Unix-only")]
PROJECT = Path(__file__).resolve().parents[2]


def _round(port: int, clients: int = 2) -> list[int]:
    start = threading.Barrier(clients)
    pids: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            start.wait()
            conn.request("GET", "/")
            pids.append(conn.getresponse().read().decode())
        finally:
            conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(Counter(pids).values())


def test_a_busy_worker_leaves_new_connections_to_the_idle_one() -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tests.scale.balanced_server", str(port)], cwd=PROJECT,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=5).request("GET", "/")
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        time.sleep(1.0)  # both workers up (the probe above was answered by one of them)
        rounds = [_round(port) for _ in range(10)]
        assert all(r == [1, 1] for r in rounds), rounds
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
