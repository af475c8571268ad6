"""bot/storage/question_log.py: the question log shared by the web app and the staff bot."""
from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.storage.question_log import QuestionLog

CST = timezone(timedelta(hours=8))


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def log(tmp_path: Path):
    with QuestionLog(tmp_path / "deep" / "dir" / "log.sqlite3") as q:
        yield q


def test_creates_parent_dir_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "log.sqlite3"
    with QuestionLog(path):
        pass
    assert path.exists()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()


def test_log_question_and_reports(tmp_path: Path) -> None:
    clock = Clock(datetime(2024, 5, 1, 9, 0, tzinfo=CST))
    with QuestionLog(tmp_path / "log.sqlite3", clock=clock) as log:
        for _ in range(3):
            log.log_question("养老补贴归谁管？", intent="who", answered=True, entry_id="e1", latency_ms=3.2, session="s1")
        log.log_question("火星移民政策？", intent="none", answered=False, latency_ms=1.0, session="s2")
        clock.now += timedelta(days=1)
        log.log_question("火星移民政策？", intent="none", answered=False, latency_ms=1.0)
        log.log_question("就业补贴什么时候完成？", intent="when", answered=True, entry_id="e2", channel="kiosk")
        log.log_feedback(helpful=False, question="就业补贴什么时候完成？", entry_id="e2", comment="没说清楚")
        log.log_feedback(helpful=True, question="养老补贴归谁管？", entry_id="e1")

        top = log.top_questions(10)
        assert [(r.question, r.count) for r in top[:2]] == [("养老补贴归谁管？", 3), ("火星移民政策？", 2)]
        assert [(r.question, r.count) for r in log.declined()] == [("火星移民政策？", 2)]
        assert log.declined()[0].last_seen.startswith("2024-05-02T09:00:00")
        assert [(r.question, r.comment, r.entry_id) for r in log.unhelpful()] == [("就业补贴什么时候完成？", "没说清楚", "e2")]
        days = log.per_day()
        assert [(d.day, d.questions, d.answered, d.declined, d.helpful, d.unhelpful) for d in days] == [
            ("2024-05-02", 2, 1, 1, 1, 1), ("2024-05-01", 4, 3, 1, 0, 0)]
        assert {r.question for r in log.top_questions(10, since="2024-05-02")} == {"火星移民政策？", "就业补贴什么时候完成？"}
        assert log.count() == 6 and log.count("feedback") == 2


def test_session_is_stored_only_as_salted_hash(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with QuestionLog(path) as log:
        log.log_question("q", intent="who", answered=True, session="my-browser-session-123")
        first = log.pseudonym("my-browser-session-123")
    with QuestionLog(path) as log:  # salt persists with the database
        assert log.pseudonym("my-browser-session-123") == first
    with QuestionLog(tmp_path / "other.sqlite3") as other:  # and differs between databases
        assert other.pseudonym("my-browser-session-123") != first
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("log.sqlite3*"))
    assert b"my-browser-session-123" not in raw
    assert first and len(first) == 20


def test_export_csv_has_bom_chinese_and_neutralised_formulas(log: QuestionLog) -> None:
    log.log_question("养老补贴归谁管？", intent="who", answered=True, entry_id="e1")
    log.log_question("=HYPERLINK(\"http://x\")", intent="none", answered=False)
    text = log.export_csv()
    assert text.startswith("\ufeffid,ts,channel,question,")
    assert "养老补贴归谁管？" in text
    assert "'=HYPERLINK" in text
    log.log_feedback(helpful=True, question="养老补贴归谁管？", comment="+1 好")
    fb = log.export_csv("feedback")
    assert fb.startswith("\ufeffid,ts,channel,helpful,") and "'+1 好" in fb
    with pytest.raises(ValueError):
        log.export_csv("sqlite_master")


def test_concurrent_writers_lose_nothing(log: QuestionLog) -> None:
    def work(n: int) -> None:
        for i in range(25):
            log.log_question(f"问题{n}-{i}", intent="who", answered=True, session=f"s{n}")
            if i % 5 == 0:
                log.log_feedback(helpful=bool(i % 2), question=f"问题{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert log.count() == 200
    assert log.count("feedback") == 40


def test_two_processes_share_the_file(tmp_path: Path) -> None:
    """The staff bot opens its own QuestionLog on the same database file."""
    path = tmp_path / "shared.sqlite3"
    with QuestionLog(path) as web, QuestionLog(path) as staff:
        web.log_question("a", intent="who", answered=True)
        staff.log_feedback(helpful=False, question="a", channel="telegram")
        assert web.count("feedback") == 1 and staff.count() == 1
        assert web.unhelpful()[0].channel == "telegram"
