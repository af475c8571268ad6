"""SQLite persistence of the staff bot (bot/channels/telegram/prefs.py), beside the shared QuestionLog tables."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.channels.telegram.prefs import Prefs, Subscription
from bot.storage.question_log import QuestionLog


def test_everything_survives_reopening(tmp_path: Path) -> None:
    db = tmp_path / "var" / "zwgk.sqlite3"
    with Prefs(db) as p:
        p.set_region(7, "槐荫区")
        assert p.subscribe(-100, "区民政局") == "added"
        assert p.subscribe(-100, "区民政局", "槐荫区") == "updated"  # one subscription per department
        assert p.subscribe(-100, "区民政局", "槐荫区") == "unchanged"
        assert p.subscribe(-100, "区司法局") == "added"
        p.mark_sent(-100, "reminder", ["hy-30@2022-09-30"], datetime(2022, 9, 26, tzinfo=UTC))
        lid = p.save_listing(7, "dept", "区民政局", "槐荫区")
        aid = p.save_answer(7, "养老补贴谁负责？", "hy-21", ["那完成时限呢？"])
    with Prefs(db) as p:
        assert p.region(7) == "槐荫区" and p.region(8) is None
        assert p.subscriptions(-100) == [Subscription(-100, "区民政局", "槐荫区"), Subscription(-100, "区司法局", None)]
        assert p.was_sent(-100, "reminder", "hy-30@2022-09-30")
        assert not p.was_sent(-100, "reminder", "hy-31@2022-10-03")
        listing = p.listing(lid)
        assert listing is not None and (listing.kind, listing.arg, listing.region) == ("dept", "区民政局", "槐荫区")
        answer = p.answer(aid)
        assert answer is not None and answer.question == "养老补贴谁负责？" and not answer.voted
        assert answer.suggestions == ["那完成时限呢？"]
        assert p.mark_voted(aid) and not p.mark_voted(aid)
        p.set_region(7, None)
        assert p.region(7) is None
        assert p.unsubscribe(-100, "区民政局") == 1
        assert p.unsubscribe(-100) == 1
        assert p.subscriptions() == []


def test_shares_the_file_with_the_question_log(tmp_path: Path) -> None:
    db = tmp_path / "zwgk.sqlite3"
    with QuestionLog(db) as log, Prefs(db) as prefs:
        log.log_question("q", intent="who", answered=True, channel="telegram")
        prefs.subscribe(1, "区民政局")
        assert log.count() == 1 and len(prefs.subscriptions()) == 1
    with Prefs(db) as prefs:
        mode = prefs.db.run("PRAGMA journal_mode")[0][0]
    assert mode == "wal"
