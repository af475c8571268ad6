"""Deadline reminders and the weekly digest, planned once for every channel.

Job: `plan_reminders(service, today)` and `plan_digest(service, today)` compute what each subscribed chat
is due (`Push`es of typed parts); the channel sends them and then calls `mark_sent`, so a message that
could not be delivered is tried again at the next run and one that was is never sent twice, even
across restarts (prefs.py `…_sent`). Pure functions of a date the caller controls.

  * Reminder: a task is announced once, on the first run at which its due date is within
    remind_days_before days (today … today + N). A window rather than "exactly N days before" so a
    bot that was down that morning still reminds the next day. The key is entry id + due date, so a
    deadline moved by a revised plan is announced again.
  * Digest: once per ISO week per chat, the subscribed departments' tasks due in the next four weeks;
    nothing is sent when nothing is due (a weekly "nothing to do" would train people to ignore it).

Neighbours: service.py (StaffService: engine, prefs, options); the Telegram JobQueue jobs
(bot/channels/telegram/reminders.py) and the WeCom scheduler thread (bot/channels/wecom/schedule.py) send.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from indexer.model import Entry

from .messages import Part, Push, Say, Span, Style, TaskGroup, bold, cmd
from .service import StaffService

REMINDER = "reminder"
DIGEST = "digest"
DIGEST_DAYS = 28


def reminder_key(entry: Entry) -> str:
    return f"{entry.id}@{entry.due}"


def digest_key(today: date) -> str:
    iso = today.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _scope(department: str, region: str | None, tail: str = "") -> Say:
    return Say.of("🏢 ", bold(department), (f"（{region}）" if region else "") + tail)


def plan_reminders(service: StaffService, today: date) -> list[Push]:
    """Per chat, the subscribed tasks newly within the reminder window and not yet reminded."""
    days = service.options.remind_days_before
    until = today + timedelta(days=days)
    parts: dict[Any, list[Part]] = {}
    keys: dict[Any, list[str]] = {}
    seen: set[tuple[Any, str]] = set()  # a task of two subscribed departments is announced once
    for sub in service.prefs.subscriptions():
        fresh = []
        for e in service.engine.due_tasks(until, since=today, department=sub.department, region=sub.region):
            key = reminder_key(e)
            if not e.due or (sub.chat_id, key) in seen or service.prefs.was_sent(sub.chat_id, REMINDER, key):
                continue
            seen.add((sub.chat_id, key))
            fresh.append(e)
        if not fresh:
            continue
        out = parts.setdefault(sub.chat_id, [Say.of("⏰ ", bold("截止提醒"), f"：以下任务将在 {days} 天内到期")])
        out += [_scope(sub.department, sub.region), TaskGroup(tuple(fresh), today)]
        keys.setdefault(sub.chat_id, []).extend(reminder_key(e) for e in fresh)
    footer = Say.of(Span("查看全部：", Style.ITALIC), cmd("dept", "部门", style=Style.ITALIC),
                    Span("；退订：", Style.ITALIC), cmd("unsubscribe", "部门", style=Style.ITALIC))
    return [Push(chat, REMINDER, (*p, footer), tuple(keys[chat])) for chat, p in parts.items()]


def plan_digest(service: StaffService, today: date) -> list[Push]:
    """Per chat not yet served this ISO week, its departments' tasks due in the next four weeks."""
    key = digest_key(today)
    until = today + timedelta(days=DIGEST_DAYS)
    parts: dict[Any, list[Part]] = {}
    listed: set[tuple[Any, str]] = set()  # a task of two subscribed departments is listed once
    for sub in service.prefs.subscriptions():
        if service.prefs.was_sent(sub.chat_id, DIGEST, key):
            continue
        tasks = [e for e in service.engine.due_tasks(until, since=today, department=sub.department, region=sub.region)
                 if (sub.chat_id, e.id) not in listed]
        listed.update((sub.chat_id, e.id) for e in tasks)
        if not tasks:
            continue
        out = parts.setdefault(sub.chat_id, [
            Say.of("📋 ", bold("每周摘要"), f"：未来四周（至 {until.isoformat()}）到期的任务")])
        out += [_scope(sub.department, sub.region, f"：{len(tasks)} 项"), TaskGroup(tuple(tasks), today)]
    return [Push(chat, DIGEST, tuple(p), (key,)) for chat, p in parts.items()]


def mark_sent(service: StaffService, push: Push, now: datetime) -> None:
    """Record a delivered push, right after it went out."""
    service.prefs.mark_sent(push.chat, push.kind, list(push.keys), now)
