"""Deadline reminders and the weekly digest pushed to WeCom subscribers through message/send.

Job: `send_reminders(bot, now)` and `send_digest(bot, now)` send what the staff service plans
(bot/staff/schedule.py) and record each push right after it was delivered, so nothing is sent twice and
an undeliverable one is tried again at the next run; plain functions of a clock the caller controls,
so tests call them directly. `ReminderThread` runs them daily at telegram.reminder_time (the digest
on telegram.digest_weekday) in telegram.timezone — the settings the Telegram bot uses too.

Neighbours: bot.py (`WeComBot.deliver`), render.py, __init__.py (starts and stops the thread).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.staff import schedule
from bot.staff.messages import Push, Reply

from .api import WeComApiError
from .bot import WeComBot
from .render import render_reply

logger = logging.getLogger(__name__)


def _push_all(bot: WeComBot, pushes: list[Push], now: datetime) -> int:
    delivered = 0
    for push in pushes:
        try:
            bot.deliver(str(push.chat), render_reply(Reply(parts=push.parts)))
        except WeComApiError as exc:  # one unreachable subscriber must not stop the others
            logger.warning("WeCom %s to %s not delivered: %s", push.kind, push.chat, exc)
            continue
        schedule.mark_sent(bot.service, push, now)
        delivered += 1
    return delivered


def send_reminders(bot: WeComBot, now: datetime) -> int:
    """Send due reminders as of `now`; returns how many users got one."""
    return _push_all(bot, schedule.plan_reminders(bot.service, bot.service.options.today(now)), now)


def send_digest(bot: WeComBot, now: datetime) -> int:
    """Send this week's digest as of `now`; returns how many users got one."""
    return _push_all(bot, schedule.plan_digest(bot.service, bot.service.options.today(now)), now)


def next_run(now: datetime, bot: WeComBot) -> datetime:
    """The next reminder time (today's if still ahead, else tomorrow's) in the service's timezone."""
    options = bot.service.options
    local = now.astimezone(options.tz)
    at = local.replace(hour=options.reminder_time.hour, minute=options.reminder_time.minute, second=0,
                       microsecond=0)
    return at if at > local else at + timedelta(days=1)


class ReminderThread(threading.Thread):
    """Daily reminders and the weekly digest until `stop()`."""

    def __init__(self, bot: WeComBot, *, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__(name="wecom-reminders", daemon=True)
        self.bot = bot
        self._clock = clock or (lambda: datetime.now(bot.service.options.tz))
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        while not self._stop.is_set():
            now = self._clock()
            if self._stop.wait((next_run(now, self.bot) - now).total_seconds()):
                return
            now = self._clock()
            try:
                send_reminders(self.bot, now)
                if now.isoweekday() == self.bot.service.options.digest_weekday:
                    send_digest(self.bot, now)
            except Exception:  # a bug or a locked database: log, and try again tomorrow
                logger.exception("WeCom reminders failed")
