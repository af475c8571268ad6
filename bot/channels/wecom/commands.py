"""What staff type in WeCom, read as the staff service's typed messages.

Job: `read_text(text, last) -> Incoming`. A WeCom app message has no slash commands and no buttons,
so commands are words that read naturally in Chinese, a keyword then its argument:

  部门 区民政局 · 到期 9月底 · 地区 槐荫区 · 订阅 区民政局 · 退订 [部门] · 谁负责 主题 · 时限 主题 · 帮助

(a colon works too: "部门：区民政局"; the Telegram spelling "/dept 区民政局" is understood as well).
The buttons' stand-ins refer to the chat's latest answer or list (`Latest`): "有用" / "没用" vote,
"1" … "3" ask a suggested follow-up, "下一页" / "上一页" turn the page. Anything else is a question.
A keyword must stand alone or be followed by a space or colon, so "部门职责有哪些" stays a question.

Neighbours: bot.py builds `Latest` from prefs and calls `read_text`; render.py words its hints with
COMMAND_WORDS.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.staff.messages import COMMANDS, Ask, Command, Incoming, Page, Press, Suggest, Vote

# The WeCom word of each service command (what help and hints show), then every word understood.
COMMAND_WORDS = {"start": "帮助", "help": "帮助", "who": "谁负责", "when": "时限", "dept": "部门", "due": "到期",
                 "region": "地区", "subscribe": "订阅", "unsubscribe": "退订"}
_SYNONYMS = {
    "help": ("帮助", "菜单", "使用说明", "help", "?", "？"),
    "who": ("谁负责", "负责部门"),
    "when": ("时限", "完成时限"),
    "dept": ("部门", "部门任务"),
    "due": ("到期", "到期任务"),
    "region": ("地区", "默认地区"),
    "subscribe": ("订阅",),
    "unsubscribe": ("退订", "取消订阅"),
}
_WORD_TO_COMMAND = {w.lower(): name for name, words in _SYNONYMS.items() for w in words}
_KEYWORD = re.compile(r"^(\S+?)(?:[\s:：]+(.*))?$", re.DOTALL)
_HELPFUL = {"有用", "有帮助", "👍", "赞"}
_UNHELPFUL = {"没用", "没帮助", "无用", "👎"}


@dataclass(frozen=True)
class Latest:
    """The chat's latest answer with buttons and latest list page, which the stand-in words refer to."""

    answer_id: int | None = None
    listing_id: int | None = None
    page: int = 0


def _command(text: str) -> Command | None:
    if text.startswith("/"):  # the Telegram spelling
        name, _, arg = text[1:].partition(" ")
        name = name.lower()
        return Command(name, arg.strip()) if name in COMMANDS else None
    m = _KEYWORD.match(text)
    if m is None:
        return None
    command = _WORD_TO_COMMAND.get(m.group(1).lower())
    if command is None:
        return None
    return Command(command, (m.group(2) or "").strip())


def read_text(text: str, latest: Latest) -> Incoming:
    """The typed message behind what a person typed."""
    t = text.strip()
    if t in _HELPFUL or t in _UNHELPFUL:
        return Press(Vote(latest.answer_id, t in _HELPFUL) if latest.answer_id is not None else None)
    if t.isdigit() and len(t) <= 2:
        return Press(Suggest(latest.answer_id, int(t) - 1) if latest.answer_id is not None else None)
    if t in ("下一页", "下页", "上一页", "上页"):
        step = 1 if t.startswith("下") else -1
        return Press(Page(latest.listing_id, latest.page + step) if latest.listing_id is not None else None)
    return _command(t) or Ask(t)
