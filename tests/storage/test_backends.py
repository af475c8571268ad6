"""bot/storage on both backends (SQLite file, real PostgreSQL): migrations, the question log, reports."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.storage import open_database
from bot.storage.log_schema import LOG_MIGRATIONS
from bot.storage.migrations import Migration
from bot.storage.question_log import QuestionLog

CST = timezone(timedelta(hours=8))


def test_migrations_are_versioned_and_run_once(database_target: str | Path) -> None:
    steps = (Migration(1, "a table", "CREATE TABLE t (x INTEGER)", "CREATE TABLE t (x INTEGER)"),
             Migration(2, "a column", "ALTER TABLE t ADD COLUMN y TEXT", "ALTER TABLE t ADD COLUMN y TEXT"))
    with open_database(database_target) as db:
        assert db.migrate("demo", steps[:1]) == 1
        assert db.migrate("demo", steps) == 2
        assert db.migrate("demo", steps) == 2  # nothing left to do
        db.run("INSERT INTO t(x, y) VALUES (?, ?)", (1, "一"))
        assert db.run("SELECT x, y FROM t") == [(1, "一")]
        versions = db.run("SELECT component, version, name FROM schema_version ORDER BY component, version")
        assert [v for v in versions if v[0] == "demo"] == [("demo", 1, "a table"), ("demo", 2, "a column")]


def test_concurrent_starts_migrate_once(database_target: str | Path) -> None:
    errors: list[BaseException] = []

    def start() -> None:
        try:
            with QuestionLog(database_target):
                pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with open_database(database_target) as db:
        assert db.run("SELECT COUNT(*) FROM schema_version WHERE component = 'log'") == [(len(LOG_MIGRATIONS),)]


def test_question_log_reports(database_target: str | Path) -> None:
    day = datetime(2026, 3, 2, 9, 0, tzinfo=CST)
    with QuestionLog(database_target, clock=lambda: day) as log:
        for _ in range(2):
            log.log_question("养老补贴归谁管？", intent="who", answered=True, entry_id="e1", latency_ms=3.2, session="s1")
        log.log_question("火星移民政策？", intent="none", answered=False, latency_ms=1.0, session="s2")
        log.log_question("=HYPERLINK(\"x\")\ud800", intent="none", answered=False)
        assert log.log_feedback(helpful=False, question="养老补贴归谁管？", entry_id="e1", comment="没说清楚",
                                answer_id="a1") is not None
        log.log_feedback(helpful=True, question="养老补贴归谁管？", answer_id="a1")  # the same answer: replaced
        log.log_feedback(helpful=False, question="火星移民政策？", channel="telegram")
        assert log.count() == 4 and log.count("feedback") == 2
        assert [(q.question, q.count) for q in log.top_questions(1)] == [("养老补贴归谁管？", 2)]
        assert {q.question for q in log.declined()} == {"火星移民政策？", "=HYPERLINK(\"x\")\ufffd"}
        assert [(f.question, f.channel) for f in log.unhelpful()] == [("火星移民政策？", "telegram")]
        (d,) = log.per_day()
        assert (d.day, d.questions, d.answered, d.declined, d.helpful, d.unhelpful) == ("2026-03-02", 4, 2, 2, 1, 1)
        csv = log.export_csv()
        assert csv.startswith("\ufeffid,ts,channel") and "'=HYPERLINK" in csv
        assert log.pseudonym("s1") == log.pseudonym("s1") != "s1"
        assert log.health()["backend"] in ("sqlite", "postgresql")


def test_two_logs_share_one_database(database_target: str | Path) -> None:
    """The web server and the staff bot (or two workers) open their own log on the same database."""
    with QuestionLog(database_target) as web, QuestionLog(database_target) as staff:
        assert web.pseudonym("x") == staff.pseudonym("x") and web.secret("answer_key") == staff.secret("answer_key")
        for i in range(50):
            (web if i % 2 else staff).log_question(f"q{i}", intent="who", answered=True)
        assert web.flush() and staff.flush()
        assert web.count() == staff.count() == 50
