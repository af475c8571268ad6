"""The office's reports on both backends: statistics in the office's zone, filters (keyword with LIKE
wildcards taken literally), totals for /metrics, and the retention purge."""
from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.storage.log_reports import LogFilter, asked, channel_totals, log_rows, purge, stats
from bot.storage.question_log import QuestionLog

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 1, 30, tzinfo=ZoneInfo("UTC"))  # 09:30 in Shanghai, still the 9th nowhere


def test_reports_and_purge(database_target: str | Path) -> None:
    clock = [NOW]
    with QuestionLog(database_target, clock=lambda: clock[0]) as log:
        log.log_question("养老补贴 100%_归谁管", intent="who", answered=True, channel="web", region="槐荫区",
                         latency_ms=20)
        log.log_question("火星", intent="other", answered=False, channel="wechat", latency_ms=700)
        clock[0] = NOW - timedelta(days=40)
        log.log_question("旧的", intent="who", answered=True, channel="web", latency_ms=20)
        log.log_feedback(helpful=False, question="旧的", answer_id="old-vote")
        clock[0] = NOW

        report = stats(log, 3, SH, today=NOW.astimezone(SH).date())
        assert [d["date"] for d in report["days"]] == ["2026-03-08", "2026-03-09", "2026-03-10"]
        assert report["days"][-1] == {"date": "2026-03-10", "questions": 2, "answered": 1, "declined": 1}
        assert report["top_declined"] == [{"question": "火星", "count": 1}]

        assert [r.question for r in log_rows(log, LogFilter(keyword="100%_"), SH)] == ["养老补贴 100%_归谁管"]
        assert [r.question for r in log_rows(log, LogFilter(keyword="0%归"), SH)] == []  # % is literal
        assert [r.ts for r in log_rows(log, LogFilter(region="槐荫区"), SH)] == ["2026-03-10 09:30:00"]
        assert asked(log, 10)[0] == ("火星", None)  # declined first: what a curation rule is for

        totals = {t.channel: t for t in channel_totals(log)}
        assert (totals["web"].questions, totals["web"].declined, totals["wechat"].declined) == (2, 0, 1)
        assert totals["wechat"].buckets[-1] == 1 and totals["wechat"].buckets[0] == 0

        assert purge(log, 30) == 2 and log.count() == 2 and log.count("feedback") == 0
        assert purge(log, 30) == 0
