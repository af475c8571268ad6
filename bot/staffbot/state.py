"""The staff bot's typed runtime state, stored once as application.bot_data["staffbot"].

Job: hold what every handler and job needs (engine, SQLite stores, parsed settings, the per-chat
follow-up `Context`) in one dataclass instead of loose bot_data keys, and parse the telegram.*
settings once, turning a bad value into a one-line `StaffBotError`.

Neighbours: built by `bot.staffbot.build_application`; read by handlers.py and reminders.py through
`get_state(context)`. Persistent things live in prefs.py (SQLite); only the follow-up contexts are
in memory (a restart forgets what "那完成时限呢？" refers to, nothing else).
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram.ext import CallbackContext

from bot.answer import Context
from bot.config import Settings
from bot.engine import Engine
from bot.store import QuestionLog

from .prefs import Prefs

STATE_KEY = "staffbot"
MAX_SESSIONS = 5000  # follow-up contexts kept in memory, least recently used dropped first


class StaffBotError(RuntimeError):
    """A problem the operator must fix (missing token, bad setting); the CLI prints it as one line."""


@dataclass
class StaffBotState:
    """Everything the handlers and jobs share; one instance per Application."""

    engine: Engine
    prefs: Prefs
    log: QuestionLog
    settings: Settings
    allowed_ids: frozenset[int] = frozenset()
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    page_size: int = 8
    remind_days_before: int = 7
    reminder_time: time = time(9, 0)
    digest_day: int = 1  # PTB's run_daily numbering: 0 = Sunday … 6 = Saturday
    max_question_chars: int = 500
    site_name: str = "政务公开问答"
    owns_prefs: bool = True  # close on shutdown; False when the caller passed its own (tests, a host app)
    owns_log: bool = True
    sessions: OrderedDict[int, Context] = field(default_factory=OrderedDict)

    def allowed(self, *ids: int | None) -> bool:
        """Whether a user or chat may use the bot: no allow-list means everyone."""
        return not self.allowed_ids or any(i in self.allowed_ids for i in ids if i is not None)

    def context_for(self, chat_id: int) -> Context | None:
        ctx = self.sessions.get(chat_id)
        if ctx is not None:
            self.sessions.move_to_end(chat_id)
        return ctx

    def remember(self, chat_id: int, ctx: Context) -> None:
        self.sessions[chat_id] = ctx
        self.sessions.move_to_end(chat_id)
        while len(self.sessions) > MAX_SESSIONS:
            self.sessions.popitem(last=False)

    def today(self, now: datetime | None = None) -> date:
        """The date in the bot's timezone (Asia/Shanghai by default), not the server's."""
        return (now or datetime.now(self.tz)).astimezone(self.tz).date()

    def close(self) -> None:
        if self.owns_prefs:
            self.prefs.close()
        if self.owns_log:
            self.log.close()


def parse_allowed_ids(raw: str) -> frozenset[int]:
    """"123, -100456" -> {123, -100456}; a group's chat id is negative."""
    ids = set()
    for tok in str(raw or "").replace(";", ",").replace(" ", ",").split(","):
        if not tok:
            continue
        try:
            ids.add(int(tok))
        except ValueError:
            raise StaffBotError(f"telegram.allowed_ids: {tok!r} is not a numeric Telegram user or chat id") from None
    return frozenset(ids)


def parse_settings(settings: Settings) -> dict[str, object]:
    """The telegram.* values as typed fields of StaffBotState; a bad value is a StaffBotError."""
    try:
        tz = ZoneInfo(str(settings["telegram.timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise StaffBotError(f"telegram.timezone: unknown timezone {settings['telegram.timezone']!r}") from None
    raw_time = str(settings["telegram.reminder_time"]).strip()
    try:
        hh, mm = raw_time.split(":")
        at = time(int(hh), int(mm), tzinfo=tz)
    except ValueError:
        raise StaffBotError(f"telegram.reminder_time: {raw_time!r} is not a time like 09:00") from None
    weekday = int(settings["telegram.digest_weekday"])
    if not 1 <= weekday <= 7:
        raise StaffBotError(f"telegram.digest_weekday: {weekday} is not 1 (Monday) … 7 (Sunday)")
    page_size = int(settings["telegram.page_size"])
    if not 1 <= page_size <= 30:
        raise StaffBotError(f"telegram.page_size: {page_size} is not between 1 and 30")
    return {
        "allowed_ids": parse_allowed_ids(settings["telegram.allowed_ids"]),
        "tz": tz,
        "page_size": page_size,
        "remind_days_before": max(0, int(settings["telegram.remind_days_before"])),
        "reminder_time": at,
        "digest_day": weekday % 7,  # config: 1 = Monday … 7 = Sunday; PTB: 0 = Sunday … 6 = Saturday
        "max_question_chars": int(settings.get("web.max_question_chars", 500) or 500),
        "site_name": str(settings.get("web.site_name", "") or "政务公开问答"),
    }


def get_state(context: CallbackContext) -> StaffBotState:  # type: ignore[type-arg]
    """The state stored by build_application (typed access to bot_data["staffbot"])."""
    state = context.application.bot_data[STATE_KEY]
    assert isinstance(state, StaffBotState)
    return state
