"""Deadline reminders and the weekly digest for subscribed Telegram chats, run by PTB's JobQueue.

Job: send what the staff service plans (bot/staff/schedule.py: which task to remind whom of, once)
as Telegram HTML. `send_reminders(bot, state, now)` and `send_digest(bot, state, now)` are plain async
functions of a clock the caller controls, so tests call them directly with a chosen `now`. Each sends
with bounded retries (delivery.py) and records what went out right after it went out, so nothing is
sent twice, even across restarts; a chat that could not be reached gets it at the next run.

`schedule_jobs` registers the named jobs "reminders" (daily at telegram.reminder_time) and
"weekly-digest" (telegram.digest_weekday), in telegram.timezone (Asia/Shanghai by default).
Neighbours: state.py (StaffBotState), render.py (HTML), build_application in __init__.py.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from bot.staff import schedule
from bot.staff.messages import Push
from bot.staff.schedule import DIGEST, REMINDER, digest_key, reminder_key

from . import render
from .delivery import deliver
from .state import StaffBotState, get_state

__all__ = ["DIGEST", "REMINDER", "Outgoing", "digest_key", "plan_digest", "plan_reminders", "reminder_key",
           "schedule_jobs", "send_digest", "send_reminders"]

logger = logging.getLogger(__name__)


@dataclass
class Outgoing:
    """One message due to one chat, as HTML blocks, and the keys that mark it sent."""

    chat_id: int
    kind: str
    blocks: list[str]
    keys: list[str] = field(default_factory=list)
    push: Push | None = None


def _outgoing(pushes: list[Push]) -> list[Outgoing]:
    return [Outgoing(int(p.chat), p.kind, render.reply_blocks(p.parts), list(p.keys), p) for p in pushes]


def plan_reminders(state: StaffBotState, today: date) -> list[Outgoing]:
    """Per chat, the subscribed tasks newly within the reminder window and not yet reminded."""
    return _outgoing(schedule.plan_reminders(state.service, today))


def plan_digest(state: StaffBotState, today: date) -> list[Outgoing]:
    """Per chat not yet served this ISO week, its departments' tasks due in the next four weeks."""
    return _outgoing(schedule.plan_digest(state.service, today))


async def _send(bot: Bot, out: Outgoing) -> bool:
    """Send one outgoing message (split if long); False if any part could not be delivered."""
    for part in render.split_html(out.blocks):
        try:
            sent = await deliver(
                partial(bot.send_message, out.chat_id, part, parse_mode=ParseMode.HTML,
                        link_preview_options=LinkPreviewOptions(is_disabled=True)),
                what=f"{out.kind} to chat {out.chat_id}")
        except TelegramError as exc:  # e.g. BadRequest "chat not found": skip this chat, keep going
            logger.warning("%s to chat %s failed: %s", out.kind, out.chat_id, exc)
            return False
        if sent is None:
            return False
    return True


async def _send_all(bot: Bot, state: StaffBotState, outgoing: list[Outgoing], now: datetime) -> int:
    delivered = 0
    for out in outgoing:
        if await _send(bot, out):
            await asyncio.to_thread(state.prefs.mark_sent, out.chat_id, out.kind, out.keys, now)
            delivered += 1
    return delivered


async def send_reminders(bot: Bot, state: StaffBotState, now: datetime) -> int:
    """Send due reminders as of `now`; returns how many chats got one."""
    today = state.today(now)
    outgoing = await asyncio.to_thread(plan_reminders, state, today)
    delivered = await _send_all(bot, state, outgoing, now)
    if outgoing:
        logger.info("reminders %s: %d of %d chats", today, delivered, len(outgoing))
    return delivered


async def send_digest(bot: Bot, state: StaffBotState, now: datetime) -> int:
    """Send this week's digest as of `now`; returns how many chats got one."""
    today = state.today(now)
    outgoing = await asyncio.to_thread(plan_digest, state, today)
    delivered = await _send_all(bot, state, outgoing, now)
    if outgoing:
        logger.info("digest %s: %d of %d chats", digest_key(today), delivered, len(outgoing))
    return delivered


async def reminders_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Daily job "reminders": deadline reminders for every subscription."""
    state = get_state(context)
    await send_reminders(context.bot, state, datetime.now(state.tz))


async def digest_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Weekly job "weekly-digest": the coming four weeks for every subscribed chat."""
    state = get_state(context)
    await send_digest(context.bot, state, datetime.now(state.tz))


def schedule_jobs(job_queue: JobQueue, state: StaffBotState) -> None:
    """Register the named daily and weekly jobs at telegram.reminder_time in telegram.timezone."""
    job_queue.run_daily(reminders_job, time=state.reminder_time, name="reminders")
    job_queue.run_daily(digest_job, time=state.reminder_time, days=(state.digest_day,), name="weekly-digest")
