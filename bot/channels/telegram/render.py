"""Telegram HTML for the staff bot: engine `Answer`s and plan `Entry`s as escaped blocks, splitting, keyboards.

Job: the only place that turns text into Telegram markup. Every piece of user or document text goes
through `esc` (html.escape) here and nowhere else builds markup, so a question such as
``<b>x</b><script>`` or a clause containing "<" can never break parse_mode=HTML or inject formatting.
Messages are built from already-escaped *blocks* (each balanced on its own) and `split_html` packs
them under Telegram's 4096-character limit, splitting between blocks and, for a single oversize
block, on a line boundary with open tags closed and reopened, never inside a tag or an entity.

The staff service's typed replies (bot/staff/messages.py) arrive here as parts and styled spans
(`reply_blocks`); its buttons become inline keyboards in buttons.py.

Neighbours: handlers.py and reminders.py call these; bot/engine/answer.py, bot/staff/messages.py and
indexer/model.py define the input types. No network, no state.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import date

from telegram import InlineKeyboardMarkup

from bot.engine.answer import Answer, Topic
from bot.staff.lists import by_plan as by_plan  # re-exported: lists are grouped by plan here too
from bot.staff.lists import days_left as days_left  # re-exported for the reminders
from bot.staff.lists import entry_label as entry_label  # re-exported: the label of a task in a list
from bot.staff.lists import entry_lines, plan_key, plan_name
from bot.staff.lists import pager as list_pager
from bot.staff.messages import AnswerPart, Part, Say, Span, Style, TaskGroup, TaskPage
from bot.staff.service import answer_buttons, featured_buttons, region_buttons
from indexer.model import Entry

from .buttons import keyboard

TELEGRAM_LIMIT = 4096  # characters of one message (Bot API sendMessage / editMessageText)
LIST_TEXT_CHARS = 160  # clause text shown per task in lists; the full clause is one question away

_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\n|[^<&\n]")
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def esc(text: object) -> str:
    """Escape any text for parse_mode=HTML (&, <, >, quotes)."""
    return html.escape("" if text is None else str(text), quote=True)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): an emoji outside the BMP counts twice."""
    return len(text.encode("utf-16-le")) // 2


# -- splitting ------------------------------------------------------------------------------------


def _track_tags(stack: list[tuple[str, str]], tok: str) -> None:
    """Keep `stack` of open tags (name, opening tag) up to date with one token."""
    if m := _TAG.fullmatch(tok):
        if not m.group(1):
            stack.append((m.group(2).lower(), tok))
        elif stack and stack[-1][0] == m.group(2).lower():
            stack.pop()


def _split_block(block: str, limit: int) -> list[str]:
    """Split one oversize HTML block, preferring line breaks; open tags are closed and reopened."""
    pieces: list[str] = []
    cur: list[str] = []
    cur_len = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag) of open tags
    newline_at: tuple[int, int, list[tuple[str, str]]] | None = None  # (index in cur, length, stack)

    def closing(tags: list[tuple[str, str]]) -> str:
        return "".join(f"</{name}>" for name, _ in reversed(tags))

    def reopening(tags: list[tuple[str, str]]) -> str:
        return "".join(tag for _, tag in tags)

    for tok in _TOKEN.findall(block):
        tok_len = utf16_len(tok)
        if cur_len + tok_len + utf16_len(closing(stack)) + 8 > limit and cur:
            if newline_at and newline_at[1] > limit // 2:
                i, _, tags = newline_at
                pieces.append("".join(cur[:i]) + closing(tags))
                rest = [reopening(tags), *cur[i + 1:]]
            else:
                pieces.append("".join(cur) + closing(stack))
                rest = [reopening(stack)]
            cur = [t for t in rest if t]
            cur_len = sum(utf16_len(t) for t in cur)
            newline_at = None
        _track_tags(stack, tok)
        if tok == "\n":
            newline_at = (len(cur), cur_len, list(stack))
        cur.append(tok)
        cur_len += tok_len
    if cur:
        pieces.append("".join(cur))
    return [p.strip("\n") for p in pieces if p.strip()]


def split_html(blocks: Iterable[str], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Pack escaped HTML blocks into messages of at most `limit` characters, blank line between blocks.

    Lengths are measured on the HTML (longer than the text Telegram counts), so a message that fits
    here always fits there.
    """
    messages: list[str] = []
    cur = ""
    for block in blocks:
        block = block.strip("\n")
        if not block:
            continue
        if utf16_len(block) > limit:
            if cur:
                messages.append(cur)
                cur = ""
            messages.extend(_split_block(block, limit))
            continue
        candidate = f"{cur}\n\n{block}" if cur else block
        if utf16_len(candidate) > limit:
            messages.append(cur)
            cur = block
        else:
            cur = candidate
    if cur:
        messages.append(cur)
    return messages


# -- plans and entries ----------------------------------------------------------------------------


def plan_header(entry: Entry) -> str:
    name = plan_name(entry)
    where = "，".join(x for x in (entry.region or "", f"{entry.year}年" if entry.year else "") if x and x not in name)
    extra = f"（{esc(where)}）" if where else ""
    return f"📄 <b>{esc(plan_name(entry))}</b>{extra}"


def entry_block(entry: Entry, *, today: date | None = None, text_chars: int = LIST_TEXT_CHARS) -> str:
    """One task in a list: number, (short) text, responsible units and deadline; `today` adds "还有 N 天"."""
    return entry_lines(entry, today, text_chars, bold=lambda t: f"<b>{t}</b>", escape=esc)


def grouped_blocks(entries: Sequence[Entry], *, today: date | None = None,
                   text_chars: int = LIST_TEXT_CHARS) -> list[str]:
    """Entries as blocks, with a plan header (title, region, year) whenever the plan changes."""
    blocks: list[str] = []
    last: tuple[str, str, int] | None = None
    for e in entries:
        if plan_key(e) != last:
            blocks.append(plan_header(e))
            last = plan_key(e)
        blocks.append(entry_block(e, today=today, text_chars=text_chars))
    return blocks


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // max(1, page_size)))


def task_page(title: str, entries: Sequence[Entry], page: int, page_size: int, *,
              today: date | None = None) -> str:
    """One page of a task list as a single message (for editMessageText): `title` is escaped HTML."""
    pages = page_count(len(entries), page_size)
    page = min(max(0, page), pages - 1)
    chunk = entries[page * page_size:(page + 1) * page_size]
    for chars in (LIST_TEXT_CHARS, 80, 40):  # shrink clause text until the page fits one message
        blocks = [title, *grouped_blocks(chunk, today=today, text_chars=chars)]
        if pages > 1:
            blocks.append(f"<i>第 {page + 1}/{pages} 页</i>")
        text = "\n\n".join(blocks)
        if utf16_len(text) <= TELEGRAM_LIMIT:
            return text
    return split_html(blocks)[0]


# -- answers --------------------------------------------------------------------------------------


_LABEL = re.compile(r"^([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z ,()]{1,39})(：|: )")


def format_reply(reply: str) -> str:
    """The engine's reply text, escaped, with its line labels ("负责单位：", "完成时限：", "出处：") in bold."""
    lines = []
    for line in reply.strip().splitlines():
        m = _LABEL.match(line)
        lines.append(f"<b>{esc(m.group(1))}</b>{m.group(2)}{esc(line[m.end():])}" if m else esc(line))
    return "\n".join(lines)


def answer_blocks(answer: Answer) -> list[str]:
    """The engine's answer as the web shows it: the reply as written, and its citation when the reply lacks it."""
    blocks = [format_reply(answer.reply) or "（无回复）"]
    if answer.citation and answer.citation.strip() not in answer.reply:
        blocks.append(f"<b>出处</b>：{esc(answer.citation.strip())}")
    return blocks


def answer_keyboard(answer: Answer, answer_id: int | None, *, suggestions: int = 3) -> InlineKeyboardMarkup | None:
    """👍 / 👎 (feeding the shared feedback log) and the engine's suggested follow-ups as buttons."""
    return keyboard(answer_buttons(answer, answer_id, suggestions=suggestions))


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard minus the 👍/👎 row, once a vote was taken."""
    if markup is None:
        return None
    rows = [[b for b in row if not str(b.callback_data or "").startswith("fb:")] for row in markup.inline_keyboard]
    rows = [r for r in rows if r]
    return InlineKeyboardMarkup(rows) if rows else None


def featured_keyboard(topics: Sequence[Topic], *, per_topic: int = 3, max_buttons: int = 15) -> InlineKeyboardMarkup | None:
    """Featured questions as buttons; callback data carries indexes because questions may exceed 64 bytes."""
    return keyboard(featured_buttons(topics, per_topic=per_topic, max_buttons=max_buttons))


def pager(listing_id: int, page: int, pages: int) -> InlineKeyboardMarkup | None:
    """◀ n/m ▶ under a list; the edge buttons only where there is a page to go to."""
    return keyboard(list_pager(listing_id, page, pages))


def region_keyboard(regions: Sequence[str], current: str | None) -> InlineKeyboardMarkup:
    """One button per region known to the engine, plus "不限地区"."""
    markup = keyboard(region_buttons(regions, current))
    assert markup is not None  # "不限地区" is always there
    return markup


# -- the staff service's typed replies ------------------------------------------------------------

_WRAP = {Style.BOLD: "b", Style.ITALIC: "i", Style.CODE: "code"}


def span_text(span: Span) -> str:
    """A span's plain text; a command span is Telegram's "/command argument"."""
    if span.command is None:
        return span.text
    return f"/{span.command} {span.text}".rstrip()


def spans_html(spans: Sequence[Span]) -> str:
    """Styled spans as escaped HTML; neighbouring spans of one style share one tag."""
    out: list[str] = []
    run: list[str] = []
    style: Style | None = None
    for span in [*spans, None]:
        if span is None or span.style != style:
            if run:
                text = esc("".join(run))
                tag = _WRAP.get(style) if style else None
                out.append(f"<{tag}>{text}</{tag}>" if tag else text)
            run = []
            style = span.style if span is not None else None
        if span is not None:
            run.append(span_text(span))
    return "".join(out)


def part_blocks(part: Part, *, group: bool = False, bot_username: str | None = None) -> list[str]:
    """One reply part as escaped HTML blocks (split_html packs them into messages)."""
    if isinstance(part, Say):
        return [spans_html(part.spans)]
    if isinstance(part, AnswerPart):
        return answer_blocks(part.answer)
    if isinstance(part, TaskPage):
        return [task_page(spans_html(part.title.spans), part.entries, part.page, part.page_size, today=part.today)]
    if isinstance(part, TaskGroup):
        return grouped_blocks(part.entries, today=part.today)
    blocks = help_blocks(part.site_name, group=part.group, bot_username=bot_username)
    if featured_buttons(part.topics):
        blocks.append("常见问题（点按即可提问）：")
    return blocks


def reply_blocks(parts: Sequence[Part], *, group: bool = False, bot_username: str | None = None) -> list[str]:
    return [b for part in parts for b in part_blocks(part, group=group, bot_username=bot_username)]


# -- fixed texts ----------------------------------------------------------------------------------

COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用：功能说明与常见问题"),
    ("help", "使用说明"),
    ("who", "某项工作由哪个部门负责：/who 主题"),
    ("when", "某项工作的完成时限：/when 主题"),
    ("dept", "某部门的全部任务：/dept 部门"),
    ("due", "到期任务：/due [日期或月份]"),
    ("region", "设置默认地区：/region 地区"),
    ("subscribe", "订阅部门截止提醒：/subscribe 部门"),
    ("unsubscribe", "取消订阅：/unsubscribe [部门]"),
)


def help_blocks(site_name: str, *, group: bool, bot_username: str | None) -> list[str]:
    """What the bot can do; in groups, how to address it."""
    ask = (f"在群里提问请 @{esc(bot_username)} 并写上问题，或使用下面的命令。" if group and bot_username
           else "直接发送问题即可，例如：<i>槐荫区养老补贴信息公开归哪个部门管？</i>")
    return [
        f"👋 <b>{esc(site_name)}</b>：根据各区《政务公开工作要点》回答“谁负责、何时完成、做什么”。",
        ask + "\n可以接着追问，例如：<i>那完成时限呢？</i>",
        "\n".join([
            "/who 主题 — 由哪个部门负责",
            "/when 主题 — 完成时限",
            "/dept 部门 — 该部门的全部任务（可用简称，如 区人社局）",
            "/due [日期或月份] — 到期任务，如 /due 9月底、/due 2024-09-30、/due 年底、/due all",
            "/region 地区 — 设置默认地区（/region 不限 取消）",
            "/subscribe 部门 — 截止日期前提醒并每周发送摘要；/unsubscribe [部门] 取消",
        ]),
    ]
