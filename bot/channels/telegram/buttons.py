"""The staff service's typed buttons as Telegram inline keyboards, and callback data back into actions.

Job: `keyboard(rows)` encodes each action as callback data (at most 64 bytes, so questions travel as
indexes into stored answers): ``pg:<listing>:<page>`` (◀ ▶), ``fb:<answer>:<1|0>`` (👍 👎),
``fq:<topic>:<question>`` (featured), ``sg:<answer>:<i>`` (a suggested follow-up), ``rg:<index|->``
(region picker), ``noop``; `action_of(data)` reads it back, None for anything else (an old keyboard,
forged data), which the service answers as an expired button.

Neighbours: bot/staff/messages.py defines the actions; handlers.py and render.py use these.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.staff.messages import Action, Button, Featured, Noop, Page, PickRegion, Suggest, Vote

_TWO_INTS = re.compile(r"(pg|fb|fq|sg):(\d{1,12}):(\d{1,6})")
_REGION = re.compile(r"rg:(\d{1,6}|-)")


def callback_data(action: Action) -> str:
    if isinstance(action, Page):
        return f"pg:{action.listing_id}:{action.page}"
    if isinstance(action, Vote):
        return f"fb:{action.answer_id}:{int(action.helpful)}"
    if isinstance(action, Featured):
        return f"fq:{action.topic}:{action.question}"
    if isinstance(action, Suggest):
        return f"sg:{action.answer_id}:{action.index}"
    if isinstance(action, PickRegion):
        return f"rg:{'-' if action.index is None else action.index}"
    return "noop"


def action_of(data: str | None) -> Action | None:
    """The action behind callback data, or None when it is not one this bot makes."""
    data = data or ""
    if data == "noop":
        return Noop()
    if m := _REGION.fullmatch(data):
        return PickRegion(None if m.group(1) == "-" else int(m.group(1)))
    if not (m := _TWO_INTS.fullmatch(data)):
        return None
    kind, a, b = m.group(1), int(m.group(2)), int(m.group(3))
    if kind == "pg":
        return Page(a, b)
    if kind == "fb":
        return Vote(a, bool(b)) if b in (0, 1) else None
    if kind == "fq":
        return Featured(a, b)
    return Suggest(a, b)


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    """The rows as an inline keyboard; None when there are no buttons."""
    built = [[InlineKeyboardButton(b.label, callback_data=callback_data(b.action)) for b in row] for row in rows]
    built = [r for r in built if r]
    return InlineKeyboardMarkup(built) if built else None
