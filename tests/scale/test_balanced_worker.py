"""bot/channels/web/balanced_worker.py through real gunicorn and real sockets: while one worker's only thread
is busy, a new connection goes to the idle worker instead of waiting behind the busy one.

Behaviour, not timing: worker A is made busy by a request that holds its thread until the test says so;
a second connection must then be answered, and by the other worker, while A is still held. Had the busy
worker taken it, it could only be answered after the release, which the test gives only afterwards.
"""
from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.scale.workers_server import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(os.name != "posix", reason="gunicorn is Unix-only")]
PROJECT = Path(__file__).resolve().parents[2]


def _get(port: int, path: str, timeout: float = 60) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        return conn.getresponse().read().decode()
    finally:
        conn.close()


def _both_workers(port: int) -> set[str]:
    """Pids answering plain requests, until two distinct ones have (both workers are up)."""
    pids: set[str] = set()
    for _ in range(200):
        pids.add(_get(port, "/pid"))
        if len(pids) == 2:
            return pids
    return pids


def test_a_busy_worker_leaves_a_new_connection_to_the_idle_one(tmp_path: Path) -> None:
    port, release = free_port(), tmp_path / "release"
    proc = subprocess.Popen([sys.executable, "-m", "tests.scale.balanced_server", str(port), str(release)],
                            cwd=PROJECT, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(port, "/pid", timeout=5)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert len(_both_workers(port)) == 2
        taken = release.with_name(release.name + ".taken")
        for _ in range(3):  # several rounds: whichever worker wakes first takes the held request
            release.unlink(missing_ok=True)
            taken.unlink(missing_ok=True)
            holder = threading.Thread(target=_get, args=(port, "/hold"))
            holder.start()
            busy = _wait_for(taken)
            other = _get(port, "/pid")  # answered while the busy worker's thread is held
            assert holder.is_alive(), "the held request ended before the release"
            release.write_text("go", encoding="utf-8")
            holder.join(timeout=60)
            assert other != busy, (other, busy)
    finally:
        release.write_text("go", encoding="utf-8")
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _wait_for(marker: Path) -> str:
    """The pid the held worker wrote, once it has (a condition, polled; bounded so a failure never hangs)."""
    for _ in range(3000):
        if marker.is_file() and (pid := marker.read_text(encoding="utf-8").strip()):
            return pid
        time.sleep(0.02)
    raise AssertionError("the held request never reached a worker")
