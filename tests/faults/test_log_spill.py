"""The question log's stated bounds against a REAL server (issue 23, docs/guarantees.md).

SQLite locked: the queue never passes 256 rows, further rows are spilled to disk and answering never
waits; kill -9 then loses at most 512 answered questions, and the next server replays the spill file.
A full disk (a 2 MB tmpfs): questions and a vote acknowledged "written later" are all written once
space returns, /healthz says degraded meanwhile, and a failed upload leaves no file behind.
PostgreSQL down: the breaker fails fast, answers keep flowing, every row arrives after the outage.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.writer import MAX_BATCH, MAX_PENDING

from .office_client import office_env, plan_text, upload
from .server import QUESTIONS, Load, until
from .test_log_faults import HOLD_LOCK, rows

pytestmark = pytest.mark.faults


def _health(server) -> dict:  # type: ignore[no-untyped-def]
    return server.request("GET", "/healthz")[1]


def test_locked_database_spills_past_the_bound_and_kill_9_loses_at_most_512(start_server, tmp_path: Path) -> None:
    server = start_server()
    assert server.ask(QUESTIONS[0])[0] == 200
    assert until(lambda: rows(server.database) == 1)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(server.database), "600"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        load = Load(server, threads=6).start()
        peak = 0
        try:
            while load.answered < MAX_PENDING + MAX_BATCH + 150:
                log = _health(server)["log"]
                peak = max(peak, log["queued"])
                assert log["pending"] <= MAX_PENDING + MAX_BATCH
                if load.failed:
                    break
        finally:
            load.stop()
        log = _health(server)["log"]
        assert load.failed == 0
        assert max(peak, log["queued"]) <= MAX_PENDING, "the queue bound is enforced"
        assert log["spilled"] > 0 and _health(server)["status"] == "degraded"
        answered = load.answered + 1
        server.signal(signal.SIGKILL)
        server.wait(10)
    finally:
        holder.kill()
        holder.wait(10)
    spill = list(server.database.parent.glob("question-log.*.spill"))
    assert spill, "rows past the queue wait on disk"
    again = start_server(server.database)  # replays the dead server's spill file
    assert until(lambda: rows(server.database) >= answered - (MAX_PENDING + MAX_BATCH), 60), (
        rows(server.database), answered)
    assert until(lambda: not list(server.database.parent.glob("question-log.*")), 30)
    assert rows(server.database) <= answered, "no row is replayed twice"
    assert _health(again)["log"]["replayed"] > 0


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 2 MB tmpfs (needs root); skipped where mounting is refused."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode().strip()[:80]})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_keeps_what_was_acknowledged(start_server, small_disk: Path) -> None:
    database = small_disk / "zwgk.sqlite3"
    server = start_server(database, env=office_env(small_disk / "office"))
    status, reply = server.ask(QUESTIONS[0])
    assert status == 200 and until(lambda: rows(database) == 1)
    filler = _fill(small_disk)
    answered = 1
    for i in range(20):
        assert server.ask(f"{QUESTIONS[i % len(QUESTIONS)]} full {i}")[0] == 200
        answered += 1
    status, vote = server.request("POST", "/api/feedback", {"helpful": False, "question": QUESTIONS[0],
                                                            "entry_id": reply["results"][0]["id"],
                                                            "answer_id": reply["answer_id"]})
    assert status == 201, vote
    status, refused = upload(server, "计划.txt", plan_text().encode() * 200)
    assert status in (507, 500, 422), refused
    leftovers = [p for p in (small_disk / "office").rglob("*") if p.is_file() and "uploads" in p.parts]
    assert not leftovers, leftovers
    assert until(lambda: _health(server)["status"] == "degraded", 30)
    filler.unlink()
    assert until(lambda: rows(database) == answered and rows(database, "feedback") == 1, 60), (
        rows(database), answered)
    assert until(lambda: _health(server)["status"] == "ok", 30)


def test_postgres_down_fails_fast_and_loses_nothing(start_server, postgres_server) -> None:
    url = postgres_server.new_database()
    server = start_server(url)
    assert server.ask(QUESTIONS[0])[0] == 200
    postgres_server.pause()
    try:
        load = Load(server, threads=4).start()
        try:
            load.wait_for(150, timeout=90)  # at 10 s per database touch this would take an hour
        finally:
            load.stop()
        assert load.answered >= 150 and load.failed == 0
        health = _health(server)
        assert health["status"] == "degraded" and health["log"]["circuit"] in ("open", "half-open")
    finally:
        postgres_server.resume()
    import psycopg

    def count() -> int:
        with psycopg.connect(url) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0])

    assert until(lambda: count() == load.answered + 1, 90), (count(), load.answered + 1)
    server.signal(signal.SIGTERM)
    assert server.wait() == 0
