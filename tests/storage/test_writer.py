"""bot/storage/writer.py through bot/storage/question_log.py: the question log writer that cannot die.

Tests taking `database_target` run on SQLite and on a real PostgreSQL (tests/storage/conftest.py)."""
from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.storage import StoreError
from bot.storage.question_log import QuestionLog
from bot.storage.sqlite import SQLiteDatabase
from bot.storage.writer import Item, LogWriter


def test_lone_surrogates_are_replaced_and_the_log_keeps_going(database_target: str | Path) -> None:
    with QuestionLog(database_target) as log:
        log.log_question("你好\ud800", intent="who", answered=True, region="\udfff区", session="\ud800", entry_id="e\x00\ud800")
        log.log_feedback(helpful=False, question="q\udc00", comment="c\ud800", entry_id="x\ud800")
        for i in range(60):
            log.log_question(f"问题{i}", intent="who", answered=True)
        assert log.count() == 61 and log.count("feedback") == 1
        rows = log.db.run("SELECT question, region, entry_id FROM questions ORDER BY id LIMIT 1")
        assert rows == [("你好\ufffd", "\ufffd区", "e\ufffd\ufffd")]
        assert log.unhelpful()[0].comment == "c\ufffd"
        assert log.health()["status"] == "ok" and log.health()["dropped"] == 0


def test_one_bad_row_never_loses_the_others(database_target: str | Path) -> None:
    """A row the database refuses is dropped alone (and counted); the rest of its batch is written."""
    with QuestionLog(database_target) as log:
        log.flush()
        with log.db.transaction():  # hold the lock so the next rows land in one batch
            for i in range(5):
                log.log_question(f"q{i}", intent="who", answered=True)
            log.log_question("bad", intent="who", answered=True, region=object())  # type: ignore[arg-type]
            for i in range(5, 10):
                log.log_question(f"q{i}", intent="who", answered=True)
        assert log.flush(10)
        assert log.count() == 10
        health = log.health()
        assert health["dropped"] == 1 and health["status"] == "ok" and health["last_error"]
        log.log_question("after", intent="who", answered=True)
        assert log.count() == 11


def test_lock_held_longer_than_busy_timeout_is_retried_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with QuestionLog(SQLiteDatabase(path, busy_timeout_ms=100)) as log:
        other = sqlite3.connect(path, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # another process's write lock, held 10x busy_timeout
            for i in range(20):
                log.log_question(f"q{i}", intent="who", answered=True)
            deadline = time.monotonic() + 10
            while log.health()["status"] != "retrying" and time.monotonic() < deadline:
                time.sleep(0.05)
            assert log.health()["status"] == "retrying" and log.health()["pending"] == 20
            time.sleep(1.0)
            other.execute("COMMIT")
        finally:
            other.close()
        assert log.flush(10)
        assert log.count() == 20 and log.health()["dropped"] == 0 and log.health()["status"] == "ok"
        log.db.close()


def test_feedback_waits_for_its_row_and_returns_its_id(database_target: str | Path) -> None:
    with QuestionLog(database_target) as log:
        first = log.log_feedback(helpful=True, question="q", answer_id="a1")
        again = log.log_feedback(helpful=False, question="q", answer_id="a1", comment="changed my mind")
        other = log.log_feedback(helpful=False, question="q", answer_id="a2")
        assert isinstance(first, int) and first == again and other != first
        assert log.count("feedback") == 2 and [r.comment for r in log.unhelpful()] == [None, "changed my mind"]


def test_close_drains_the_queue(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    log = QuestionLog(path)
    threads = [threading.Thread(target=lambda n=n: [log.log_question(f"{n}-{i}", intent="who", answered=True)
                                                      for i in range(100)]) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.close() == 0
    with QuestionLog(path) as again:
        assert again.count() == 400


def _child_logs(log: QuestionLog) -> None:
    for i in range(5):
        log.log_question(f"child {i}", intent="who", answered=True, channel="child")
    log.close()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork()")
def test_a_log_opened_before_fork_writes_in_the_child(database_target: str | Path) -> None:
    """gunicorn --preload: the log is created in the master; each worker must start its own writer."""
    with QuestionLog(database_target) as log:
        log.log_question("parent", intent="who", answered=True)
        assert log.flush()
        child = multiprocessing.get_context("fork").Process(target=_child_logs, args=(log,))
        child.start()
        child.join(30)
        assert child.exitcode == 0
        log.log_question("parent again", intent="who", answered=True)
        assert log.count() == 7


def test_corrupt_database_is_one_line_saying_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    path.write_bytes(b"this is not a database" * 300)
    with pytest.raises(StoreError) as err:
        QuestionLog(path)
    message = str(err.value)
    assert "\n" not in message and "not usable" in message and "mv " in message and str(path) in message


def test_a_release_0_1_database_is_migrated(tmp_path: Path) -> None:
    """Files written before migrations existed: adopted as version 1, upgraded, data kept."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE questions (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
            question TEXT NOT NULL, intent TEXT NOT NULL, answered INTEGER NOT NULL, entry_id TEXT,
            latency_ms REAL NOT NULL, session TEXT, region TEXT);
        CREATE TABLE feedback (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, day TEXT NOT NULL, channel TEXT NOT NULL,
            helpful INTEGER NOT NULL, question TEXT NOT NULL, entry_id TEXT, session TEXT, comment TEXT);
        INSERT INTO meta VALUES ('salt', 'abc');
        INSERT INTO questions(ts, day, channel, question, intent, answered, latency_ms)
            VALUES ('2026-01-01T00:00:00+08:00', '2026-01-01', 'web', '旧问题', 'who', 1, 1.0);
    """)
    conn.close()
    with QuestionLog(path) as log:
        assert log.count() == 1 and log.top_questions()[0].question == "旧问题"
        assert log.db.run("SELECT version FROM schema_version WHERE component = 'log' ORDER BY version") == [(1,), (2,), (3,)]
        assert log.log_feedback(helpful=True, question="旧问题", answer_id="x") is not None
    with QuestionLog(path) as again:  # idempotent
        assert again.count("feedback") == 1


def test_rows_arriving_together_share_one_transaction() -> None:
    """A row waits (up to the linger) for others to share its batch; flush() writes at once."""
    batches: list[int] = []
    writer = LogWriter(lambda items: batches.append(len(items)), lambda exc: False, linger=60.0)
    for i in range(20):
        writer.submit(Item("questions", (i,)))
    assert writer.flush(30)
    assert batches == [20]
    assert writer.close(5) == 0


def test_a_row_someone_waits_for_is_written_without_lingering() -> None:
    """A feedback vote's sender waits for its row id: its batch is written at once, not after the linger."""
    batches: list[int] = []
    writer = LogWriter(lambda items: batches.append(len(items)), lambda exc: False, linger=600.0)
    writer.submit(Item("questions", (1,)))
    vote = Item("feedback", (2,), done=threading.Event())
    writer.submit(vote)
    assert vote.done.wait(60) and vote.ok  # type: ignore[union-attr]
    assert batches == [2]
    assert writer.close(5) == 0
