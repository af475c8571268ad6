"""The staff bot's tables (bot/staff/prefs.py) on both backends: SQLite and a real PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.staff.prefs import Prefs
from bot.storage.question_log import QuestionLog


def test_prefs_on_both_backends(database_target: str | Path) -> None:
    with Prefs(database_target) as tg, Prefs(database_target, prefix="wecom_", key_type="TEXT") as wc:
        big_id = -1001234567890  # Telegram group ids exceed 32 bits
        assert tg.subscribe(big_id, "区民政局") == "added"
        assert tg.subscribe(big_id, "区民政局", "槐荫区") == "updated"
        assert tg.subscribe(big_id, "区民政局", "槐荫区") == "unchanged"
        assert tg.subscribe(big_id, "区财政局\ud800") == "added"
        assert [(s.chat_id, s.department, s.region) for s in tg.subscriptions()] == [
            (big_id, "区民政局", "槐荫区"), (big_id, "区财政局\ufffd", None)]
        assert wc.subscribe("ZhangSan", "区民政局") == "added" and wc.subscriptions()[0].chat_id == "ZhangSan"
        assert tg.unsubscribe(big_id, "区财政局\ud800") == 1 and tg.unsubscribe(big_id) == 1 and tg.unsubscribe(big_id) == 0
        tg.set_region(7, "槐荫区")
        tg.set_region(7, "历下区")
        assert tg.region(7) == "历下区" and tg.region(8) is None
        when = datetime(2026, 12, 2, 9, tzinfo=UTC)
        tg.mark_sent(1, "reminder", ["e1@2026-12-09", "e2@2026-12-09"], when)
        tg.mark_sent(1, "reminder", ["e1@2026-12-09"], when)  # again: ignored
        assert tg.was_sent(1, "reminder", "e1@2026-12-09") and not wc.was_sent(1, "reminder", "e1@2026-12-09")
        first = tg.save_listing(1, "dept", "区民政局", None)
        second = tg.save_listing(1, "due", "2026-12", "槐荫区")
        assert second > first and tg.last_listing(1).arg == "2026-12"  # type: ignore[union-attr]
        aid = tg.save_answer(1, "养老补贴归谁管？", "e1", ["那完成时限呢？"])
        answer = tg.answer(aid)
        assert answer is not None and answer.suggestions == ["那完成时限呢？"] and not answer.voted
        assert tg.mark_voted(aid) and not tg.mark_voted(aid)
        assert tg.last_answer(1).voted and tg.answer(aid + 1000) is None  # type: ignore[union-attr]


def test_prefs_and_question_log_share_one_database(database_target: str | Path) -> None:
    with QuestionLog(database_target) as log, Prefs(database_target) as prefs:
        log.log_question("q", intent="who", answered=True, channel="telegram")
        prefs.subscribe(1, "区民政局")
        assert log.count() == 1 and len(prefs.subscriptions()) == 1
        versions = log.db.run("SELECT component, MAX(version) FROM schema_version GROUP BY component ORDER BY component")
        assert versions == [("log", 3), ("staffbot", 1)]
