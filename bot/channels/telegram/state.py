"""The Telegram bot's typed runtime state, stored once as application.bot_data["staffbot"].

Job: hold what every handler and job needs (engine, SQLite stores, parsed settings, and the
channel-agnostic `StaffService` built from them) in one dataclass instead of loose bot_data keys,
and parse the telegram.* settings once, turning a bad value into a one-line `StaffBotError`.

Neighbours: built by `bot.channels.telegram.build_application`; read by handlers.py and reminders.py through
`get_state(context)`. The staff features themselves live in bot/staff/ (service.py); persistent
things in bot/staff/prefs.py; the follow-up contexts in the service's memory (a restart forgets what
"那完成时限呢？" refers to, nothing else).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telegram.ext import CallbackContext

from bot.engine.answer import EngineContract
from bot.staff.options import StaffError, StaffOptions, staff_options
from bot.staff.prefs import Prefs
from bot.staff.service import StaffService
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings

STATE_KEY = "staffbot"
CHANNEL = "telegram"  # the question log's channel column for this bot's questions and votes

StaffBotError = StaffError  # a problem the operator must fix; one error type for every staff channel


@dataclass
class StaffBotState:
    """Everything the handlers and jobs share; one instance per Application."""

    engine: EngineContract
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
    service: StaffService = field(init=False)

    def __post_init__(self) -> None:
        options = StaffOptions(tz=self.tz, page_size=self.page_size, remind_days_before=self.remind_days_before,
                               reminder_time=self.reminder_time, digest_weekday=self.digest_day or 7,
                               max_question_chars=self.max_question_chars, site_name=self.site_name)
        self.service = StaffService(self.engine, self.prefs, self.log, options, channel=CHANNEL)

    def allowed(self, *ids: int | None) -> bool:
        """Whether a user or chat may use the bot: no allow-list means everyone."""
        return not self.allowed_ids or any(i in self.allowed_ids for i in ids if i is not None)

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
    options = staff_options(settings)
    return {
        "allowed_ids": parse_allowed_ids(settings["telegram.allowed_ids"]),
        "tz": options.tz,
        "page_size": options.page_size,
        "remind_days_before": options.remind_days_before,
        "reminder_time": options.reminder_time,
        "digest_day": options.digest_weekday % 7,  # config: 1 = Monday … 7 = Sunday; PTB: 0 = Sunday … 6 = Saturday
        "max_question_chars": options.max_question_chars,
        "site_name": options.site_name,
    }


def get_state(context: CallbackContext) -> StaffBotState:
    """The state stored by build_application (typed access to bot_data["staffbot"])."""
    state = context.application.bot_data[STATE_KEY]
    assert isinstance(state, StaffBotState)
    return state
