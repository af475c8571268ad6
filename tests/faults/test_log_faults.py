"""Faults against the question log of a REAL server: odd text, a locked database (issue 11)."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.storage.sqlite import BUSY_TIMEOUT_MS

from .server import QUESTIONS, until

pytestmark = pytest.mark.faults


def rows(db: Path, table: str = "questions") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def test_lone_surrogate_then_60_questions_all_logged(start_server, tmp_path: Path) -> None:
    server = start_server()
    for body in (b'{"question":"\\u4f60\\u597d","region":"\\ud800"}', b'{"question":"\\udc00"}',
                 b'{"question":"ok","session":"\\ud83d"}', b'{"\\ud800":1,"question":"x"}',
                 b'{"helpful":true,"question":"q","comment":"\\udfff","answer_id":"a"}'):
        path = "/api/feedback" if b"helpful" in body else "/api/ask"
        status, reply = server.request("POST", path, body)
        assert status == 400 and "surrogate" in reply["error"], (body, reply)
    for i in range(60):
        status, reply = server.ask(f"{QUESTIONS[i % len(QUESTIONS)]} {i}")
        assert status == 200 and reply["answer_id"]
    status, health = server.request("GET", "/healthz")
    assert status == 200 and health["log"]["status"] == "ok"
    assert until(lambda: server.request("GET", "/healthz")[1]["log"]["written"] == 60)
    server.signal(signal.SIGTERM)
    assert server.wait() == 0, server.log
    assert rows(server.database) == 60


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def test_lock_held_longer_than_busy_timeout_loses_nothing(start_server, tmp_path: Path) -> None:
    """Another process holds the write lock past busy_timeout: rows wait and are written after."""
    server = start_server()
    entry, answer_id = None, None
    status, reply = server.ask(QUESTIONS[0])
    assert status == 200
    entry, answer_id = reply["results"][0]["id"], reply["answer_id"]
    assert until(lambda: rows(server.database) == 1)
    hold = BUSY_TIMEOUT_MS / 1000 + 1.5
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(server.database), str(hold)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        for i in range(30):  # answered at once, although nothing can be written now
            assert server.ask(f"{QUESTIONS[i % len(QUESTIONS)]} {i}")[0] == 200
        status, reply = server.request("POST", "/api/feedback", {
            "helpful": False, "question": QUESTIONS[0], "entry_id": entry, "answer_id": answer_id})
        assert status == 201
        assert server.request("GET", "/healthz")[0] == 200
        assert time.monotonic() - started < hold, "requests must not wait for the lock"
        assert until(lambda: server.request("GET", "/healthz")[1]["log"]["status"] == "retrying", hold + 5)
    finally:
        assert holder.wait(60) == 0
    assert until(lambda: rows(server.database) == 31, 30)
    assert rows(server.database, "feedback") == 1
    health = server.request("GET", "/healthz")[1]["log"]
    assert health["status"] == "ok" and health["dropped"] == 0 and health["pending"] == 0
    server.signal(signal.SIGTERM)
    assert server.wait() == 0
