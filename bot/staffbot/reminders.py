"""Deadline reminders and the weekly digest for subscribed chats, run by PTB's JobQueue.

Job: `send_reminders(bot, state, now)` and `send_digest(bot, state, now)` are plain async functions of a
clock the caller controls, so tests call them directly with a chosen `now`. Both compute what to send
from the subscriptions (prefs.py) and the engine's dated tasks (`Engine.due_tasks`, `Entry.due`), send
with bounded retries (delivery.py), and record what went out in SQLite (`staffbot_sent`) right after
it went out, so nothing is sent twice, even across restarts.

  * Reminder: a task is announced once, on the first run at which its due date is within
    telegram.remind_days_before days (today … today + N). A window rather than "exactly N days
    before" so a bot that was down on that morning still reminds the next day. The key is
    entry id + due date, so a deadline moved by a revised plan is announced again.
  * Digest: once per ISO week per chat, the subscribed departments' tasks due in the next four
    weeks; nothing is sent when nothing is due (a weekly "nothing to do" would train people to
    ignore the bot).

`schedule_jobs` registers the named jobs "reminders" (daily at telegram.reminder_time) and
"weekly-digest" (telegram.digest_weekday), in telegram.timezone (Asia/Shanghai by default).
Neighbours: state.py (StaffBotState), render.py (HTML), build_application in __init__.py.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes, JobQueue

from indexer.model import Entry

from . import render
from .delivery import deliver
from .render import esc
from .state import StaffBotState, get_state

logger = logging.getLogger(__name__)

REMINDER = "reminder"
DIGEST = "digest"
DIGEST_DAYS = 28


@dataclass
class Outgoing:
    """One message due to one chat, and the keys that mark it sent."""

    chat_id: int
    kind: str
    blocks: list[str]
    keys: list[str] = field(default_factory=list)


def reminder_key(entry: Entry) -> str:
    return f"{entry.id}@{entry.due}"


def digest_key(today: date) -> str:
    iso = today.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _scope(department: str, region: str | None) -> str:
    return f"<b>{esc(department)}</b>" + (f"（{esc(region)}）" if region else "")


def plan_reminders(state: StaffBotState, today: date) -> list[Outgoing]:
    """Per chat, the subscribed tasks newly within the reminder window and not yet reminded."""
    until = today + timedelta(days=state.remind_days_before)
    by_chat: dict[int, Outgoing] = {}
    seen: set[tuple[int, str]] = set()  # a task of two subscribed departments is announced once
    for sub in state.prefs.subscriptions():
        tasks = state.engine.due_tasks(until, since=today, department=sub.department, region=sub.region)
        fresh = []
        for e in tasks:
            key = reminder_key(e)
            if not e.due or (sub.chat_id, key) in seen or state.prefs.was_sent(sub.chat_id, REMINDER, key):
                continue
            seen.add((sub.chat_id, key))
            fresh.append(e)
        if not fresh:
            continue
        out = by_chat.setdefault(sub.chat_id, Outgoing(sub.chat_id, REMINDER, [
            f"⏰ <b>截止提醒</b>：以下任务将在 {state.remind_days_before} 天内到期"]))
        out.blocks.append(f"🏢 {_scope(sub.department, sub.region)}")
        out.blocks.extend(render.grouped_blocks(fresh, today=today))
        out.keys.extend(reminder_key(e) for e in fresh)
    for out in by_chat.values():
        out.blocks.append("<i>查看全部：/dept 部门；退订：/unsubscribe 部门</i>")
    return list(by_chat.values())


def plan_digest(state: StaffBotState, today: date) -> list[Outgoing]:
    """Per chat not yet served this ISO week, its departments' tasks due in the next four weeks."""
    key = digest_key(today)
    until = today + timedelta(days=DIGEST_DAYS)
    by_chat: dict[int, Outgoing] = {}
    listed: set[tuple[int, str]] = set()  # a task of two subscribed departments is listed once
    for sub in state.prefs.subscriptions():
        if state.prefs.was_sent(sub.chat_id, DIGEST, key):
            continue
        tasks = [e for e in state.engine.due_tasks(until, since=today, department=sub.department, region=sub.region)
                 if (sub.chat_id, e.id) not in listed]
        listed.update((sub.chat_id, e.id) for e in tasks)
        if not tasks:
            continue
        out = by_chat.setdefault(sub.chat_id, Outgoing(sub.chat_id, DIGEST, [
            f"📋 <b>每周摘要</b>：未来四周（至 {esc(until.isoformat())}）到期的任务"], [key]))
        out.blocks.append(f"🏢 {_scope(sub.department, sub.region)}：{len(tasks)} 项")
        out.blocks.extend(render.grouped_blocks(tasks, today=today))
    return list(by_chat.values())


async def _send(bot: Bot, out: Outgoing) -> bool:
    """Send one outgoing message (split if long); False if any part could not be delivered."""
    for part in render.split_html(out.blocks):
        try:
            sent = await deliver(
                lambda part=part: bot.send_message(out.chat_id, part, parse_mode=ParseMode.HTML,
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
            state.prefs.mark_sent(out.chat_id, out.kind, out.keys, now)
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


def schedule_jobs(job_queue: JobQueue, state: StaffBotState) -> None:  # type: ignore[type-arg]
    """Register the named daily and weekly jobs at telegram.reminder_time in telegram.timezone."""
    job_queue.run_daily(reminders_job, time=state.reminder_time, name="reminders")
    job_queue.run_daily(digest_job, time=state.reminder_time, days=(state.digest_day,), name="weekly-digest")
