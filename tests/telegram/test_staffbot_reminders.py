"""Reminders and the weekly digest (bot/channels/telegram/reminders.py) with a controlled clock, sent to the fake Bot API.

A reminder goes out once per task (never again, even after a restart), at most `remind_days_before` days
ahead, in Asia/Shanghai; a blocked subscriber (403) is skipped without stopping the others and gets it
later; flood control (429) is waited out; the named jobs are scheduled at 09:00 Shanghai.
"""
from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.channels.telegram import StaffBotState
from bot.channels.telegram.prefs import Prefs
from bot.channels.telegram.reminders import plan_digest, plan_reminders, send_digest, send_reminders
from bot.channels.telegram.state import STATE_KEY, parse_settings
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings
from tests.fake_engine import FakeEngine

from .fake_bot_api import FakeBotApi
from .harness import bot_running, run

SH = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2022, 9, 26, 9, 0, tzinfo=SH)  # a Monday; 区民政局 has tasks due 09-30 and 10-03
A, B = 1001, 2002

# See test_staffbot_e2e.py: PTB's own RetryAfter warns about its deprecated int attribute on every 429.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Deprecated since version v22.2.*retry_after:telegram.warnings.PTBDeprecationWarning")


@pytest.fixture
def state(settings: Settings, tmp_path: Path) -> StaffBotState:
    """A state without any Application, for the pure planning functions."""
    db = tmp_path / "plan.sqlite3"
    s = StaffBotState(engine=FakeEngine(), prefs=Prefs(db), log=QuestionLog(db), settings=settings,
                      **parse_settings(settings))  # type: ignore[arg-type]
    yield s  # type: ignore[misc]
    s.close()


def _state(app: object) -> StaffBotState:
    st = app.bot_data[STATE_KEY]  # type: ignore[attr-defined]
    assert isinstance(st, StaffBotState)
    return st


def test_plan_window_and_dedup(state: StaffBotState) -> None:
    state.prefs.subscribe(A, "区民政局", "槐荫区")
    state.prefs.subscribe(A, "区社会救助局")  # shares task hy-30 with 区民政局: still announced once
    state.prefs.subscribe(B, "区司法局", "槐荫区")
    [out] = plan_reminders(state, MORNING.date())
    assert out.chat_id == A and out.keys == ["hy-30@2022-09-30", "hy-31@2022-10-03"]
    text = "\n".join(out.blocks)
    assert "还有 4 天" in text and "还有 7 天" in text and "&lt;低保&gt;" in text
    assert plan_reminders(state, datetime(2022, 9, 20).date()) == []  # 10 days ahead: not yet
    [late] = plan_reminders(state, datetime(2022, 12, 24).date())
    assert late.chat_id == B and late.keys == ["hy-5@2022-12-31"]


def test_plan_uses_shanghai_date(state: StaffBotState) -> None:
    state.prefs.subscribe(A, "区民政局", "槐荫区")
    late_utc = datetime(2022, 9, 25, 15, 30, tzinfo=ZoneInfo("UTC"))  # 23:30 on the 25th in Shanghai
    early_utc = datetime(2022, 9, 25, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 26th in Shanghai
    assert [o.keys for o in plan_reminders(state, state.today(late_utc))] == [["hy-30@2022-09-30"]]
    assert [o.keys for o in plan_reminders(state, state.today(early_utc))] == [["hy-30@2022-09-30", "hy-31@2022-10-03"]]


def test_digest_plan_skips_chats_with_nothing_due(state: StaffBotState) -> None:
    state.prefs.subscribe(A, "区民政局", "槐荫区")
    state.prefs.subscribe(A, "区社会救助局")
    state.prefs.subscribe(B, "区人力资源社会保障局")  # no dated tasks at all
    [out] = plan_digest(state, MORNING.date())
    assert out.chat_id == A and out.keys == ["2022-W39"]
    text = "\n".join(out.blocks)
    assert text.count("第30项") == 1 and "🏢 <b>区社会救助局</b>" not in text  # its one task is under 区民政局


@pytest.mark.e2e
def test_reminder_fires_once_even_after_restart(api: FakeBotApi, settings: Settings) -> None:
    async def first() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            st = _state(app)
            st.prefs.subscribe(A, "区民政局", "槐荫区")
            assert await send_reminders(app.bot, st, MORNING) == 1
            [sent] = api.sent()
            assert sent["chat_id"] == A and sent["parse_mode"] == "HTML"
            assert "截止提醒" in sent["text"] and "第30项" in sent["text"] and "第31项" in sent["text"]
            assert await send_reminders(app.bot, st, MORNING) == 0  # same run again
            assert await send_reminders(app.bot, st, MORNING.replace(day=27)) == 0  # next day
            assert len(api.sent()) == 1

    async def after_restart() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            assert await send_reminders(app.bot, _state(app), MORNING.replace(day=28)) == 0
        assert len(api.sent()) == 1

    run(first())
    run(after_restart())


@pytest.mark.e2e
def test_blocked_subscriber_is_skipped_and_retried_later(api: FakeBotApi, settings: Settings) -> None:
    async def scenario() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            st = _state(app)
            st.prefs.subscribe(A, "区民政局", "槐荫区")
            st.prefs.subscribe(B, "区民政局", "槐荫区")
            api.fail_next("sendMessage", 403, chat_id=A)
            assert await send_reminders(app.bot, st, MORNING) == 1  # B got it, A blocked us
            assert [m["chat"]["id"] for m in api.results()] == [B]
            assert await send_reminders(app.bot, st, MORNING.replace(hour=10)) == 1  # A unblocked: A gets it now
            assert [m["chat"]["id"] for m in api.results()] == [B, A]
            assert await send_reminders(app.bot, st, MORNING.replace(hour=11)) == 0

    run(scenario())


@pytest.mark.e2e
def test_reminder_waits_out_flood_control(api: FakeBotApi, settings: Settings) -> None:
    async def scenario() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            st = _state(app)
            st.prefs.subscribe(A, "区民政局", "槐荫区")
            api.fail_next("sendMessage", 429, retry_after=1)
            assert await send_reminders(app.bot, st, MORNING) == 1
            assert len(api.sent()) == 2 and len(api.results()) == 1
            assert await send_reminders(app.bot, st, MORNING) == 0

    run(scenario())


@pytest.mark.e2e
def test_weekly_digest_once_per_week(api: FakeBotApi, settings: Settings) -> None:
    async def scenario() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            st = _state(app)
            st.prefs.subscribe(A, "区民政局", "槐荫区")
            assert await send_digest(app.bot, st, MORNING) == 1
            [sent] = api.sent()
            assert "每周摘要" in sent["text"] and "第30项" in sent["text"] and "第31项" in sent["text"]
            assert await send_digest(app.bot, st, MORNING.replace(day=29)) == 0  # same ISO week
            assert await send_digest(app.bot, st, MORNING.replace(day=3, month=10)) == 1  # next Monday
            assert "第31项" in api.sent()[1]["text"] and "第30项" not in api.sent()[1]["text"]

    run(scenario())


@pytest.mark.e2e
def test_named_jobs_run_at_nine_shanghai_digest_on_monday(api: FakeBotApi, settings: Settings) -> None:
    async def scenario() -> None:
        async with bot_running(settings, FakeEngine(), poll=False) as app:
            assert app.job_queue is not None
            [rem] = app.job_queue.get_jobs_by_name("reminders")
            [dig] = app.job_queue.get_jobs_by_name("weekly-digest")
            for job in (rem, dig):
                assert job.next_t is not None
                assert job.next_t.astimezone(SH).time() == time(9, 0)
            assert dig.next_t is not None and dig.next_t.astimezone(SH).weekday() == 0  # Monday

    run(scenario())


@pytest.mark.e2e
def test_reminder_with_the_real_engine(api: FakeBotApi, settings: Settings, real_engine: object) -> None:
    """The shipped 2022 槐荫区 plan has 区教育和体育局 tasks due 2022-09-30 (任务表第23-25项)."""
    async def scenario() -> None:
        async with bot_running(settings, real_engine, poll=False) as app:  # type: ignore[arg-type]
            st = _state(app)
            st.prefs.subscribe(A, "区教育和体育局", "槐荫区")
            assert await send_reminders(app.bot, st, MORNING) == 1
            [sent] = api.sent()
            assert "区教育和体育局" in sent["text"] and "任务表第23项" in sent["text"] and "还有 4 天" in sent["text"]
            assert await send_reminders(app.bot, st, MORNING.replace(day=27)) == 0

    run(scenario())
