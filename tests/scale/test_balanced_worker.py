"""bot/channels/web/balanced_worker.py through real gunicorn and real sockets: while one worker's only thread
is busy, a new connection goes to the idle worker instead of waiting behind the busy one.

Behaviour, not timing: worker A is made busy by a request that holds its thread until the test says so;
a second connection must then be answered, and by the other worker, while A is still held. Had the busy
worker taken it, it could only be answered after the release, which the test gives only afterwards.
"""
from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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


@contextlib.contextmanager
def _server(port: int, release: Path) -> Iterator[None]:
    """tests/scale/balanced_server.py on `port`, both workers answering; stopped (and any hold released) after."""
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
        yield
    finally:
        release.write_text("go", encoding="utf-8")
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _hold(port: int, release: Path) -> tuple[threading.Thread, str]:
    """A request holding one worker's only thread until `release` exists; the thread and that worker's pid."""
    taken = release.with_name(release.name + ".taken")
    release.unlink(missing_ok=True)
    taken.unlink(missing_ok=True)
    holder = threading.Thread(target=_get, args=(port, "/hold"))
    holder.start()
    return holder, _wait_for(taken)


def test_a_busy_worker_leaves_a_new_connection_to_the_idle_one(tmp_path: Path) -> None:
    port, release = free_port(), tmp_path / "release"
    with _server(port, release):
        for _ in range(3):  # several rounds: whichever worker wakes first takes the held request
            holder, busy = _hold(port, release)
            other = _get(port, "/pid")  # answered while the busy worker's thread is held
            assert holder.is_alive(), "the held request ended before the release"
            release.write_text("go", encoding="utf-8")
            holder.join(timeout=60)
            assert other != busy, (other, busy)


def test_kept_alive_connections_are_shared_out_between_the_workers(tmp_path: Path) -> None:
    """Four kept-alive connections opened while worker A is held all go to B. Once A is free and has
    closed the held connection, B holds more than A by more than the slack (connection_board.py): B
    answers a request on one of them with "Connection: close", so that client's next connection can go
    to A (keep-alive would pin it to B for good)."""
    port, release = free_port(), tmp_path / "release"
    with _server(port, release):
        holder, busy = _hold(port, release)
        kept = [http.client.HTTPConnection("127.0.0.1", port, timeout=60) for _ in range(4)]
        try:
            answered = set()
            for conn in kept:
                conn.request("GET", "/pid")
                answered.add(conn.getresponse().read().decode())
            assert busy not in answered and len(answered) == 1, (busy, answered)
            release.write_text("go", encoding="utf-8")
            holder.join(timeout=60)
            for _ in range(500):  # until A's loop has posted the held connection closed (a condition, polled)
                kept[0].request("GET", "/pid")
                reply = kept[0].getresponse()
                assert reply.read().decode() in answered
                if reply.getheader("Connection", "").lower() == "close":
                    break
                time.sleep(0.02)
            else:
                raise AssertionError("B never passed a connection on")
        finally:
            for conn in kept:
                conn.close()


def _wait_for(marker: Path) -> str:
    """The pid the held worker wrote, once it has (a condition, polled; bounded so a failure never hangs)."""
    for _ in range(3000):
        if marker.is_file() and (pid := marker.read_text(encoding="utf-8").strip()):
            return pid
        time.sleep(0.02)
    raise AssertionError("the held request never reached a worker")
