"""The staff service's typed replies as WeCom messages: markdown (or text) under 2048 bytes each.

Job: `render_reply(reply) -> list[Outgoing]`. Spans become WeCom markdown (bold `**…**`, commands in
`…` written the WeCom way, "部门 区民政局"); engine answers keep their bold line labels; task lists are
grouped under plan titles; buttons, which a WeCom app message cannot carry, become reply hints
("回复“有用”或“没用”…", numbered follow-ups, "下一页"). Every piece of user or document text is
neutralised first (`plain`: markdown marks replaced by their full-width forms), so a question or a
clause can never inject formatting. Messages are packed block by block under WeCom's 2048-byte
limit; one oversize block is cut on line boundaries, an oversize line on characters.

Neighbours: bot/staff/messages.py (input types), commands.py (the words these hints teach),
bot.py (sends the result through api.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.engine.answer import Answer
from bot.staff.lists import entry_lines, plan_key, plan_name
from bot.staff.messages import (
    AnswerPart,
    Button,
    HelpPart,
    Noop,
    Page,
    Part,
    PickRegion,
    Reply,
    Say,
    Span,
    Style,
    Suggest,
    TaskGroup,
    TaskPage,
    Vote,
)
from indexer.model import Entry

from .api import MESSAGE_BYTES
from .commands import COMMAND_WORDS

LIST_TEXT_CHARS = 120
_MARKS = str.maketrans({"*": "＊", "`": "｀", "[": "［", "]": "］", "<": "＜", ">": "＞", "#": "＃", "_": "＿"})
_LABEL = re.compile(r"^([\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z ()]{1,29})：")


@dataclass(frozen=True)
class Outgoing:
    """One message/send call: msgtype "markdown" or "text" and its content."""

    msgtype: str
    content: str


def plain(text: object) -> str:
    """Text with WeCom markdown marks neutralised (full-width look-alikes), so it shows as written."""
    return ("" if text is None else str(text)).translate(_MARKS)


def span_md(span: Span) -> str:
    text = plain(span.text)
    if span.command is not None:
        text = f"{COMMAND_WORDS[span.command]} {text}".rstrip()
    if span.style == Style.BOLD:
        return f"**{text}**"
    if span.style == Style.CODE or span.command is not None:
        return f"`{text}`"
    return text


def say_md(say: Say) -> str:
    return "".join(span_md(s) for s in say.spans)


def answer_md(answer: Answer) -> list[str]:
    """The engine's reply with its line labels in bold, and the citation when the reply lacks it."""
    lines = []
    for line in answer.reply.strip().splitlines():
        m = _LABEL.match(line)
        lines.append(f"**{plain(m.group(1))}**：{plain(line[m.end():])}" if m else plain(line))
    blocks = ["\n".join(lines) or "（无回复）"]
    if answer.citation and answer.citation.strip() not in answer.reply:
        blocks.append(f"**出处**：{plain(answer.citation.strip())}")
    return blocks


def entry_md(entry: Entry, today: date | None) -> str:
    return entry_lines(entry, today, LIST_TEXT_CHARS, bold=lambda t: f"**{t}**", escape=plain)


def grouped_md(entries: Sequence[Entry], today: date | None) -> list[str]:
    blocks: list[str] = []
    last: tuple[str, str, int] | None = None
    for e in entries:
        if plan_key(e) != last:
            blocks.append(f"📄 **{plain(plan_name(e))}**")
            last = plan_key(e)
        blocks.append(entry_md(e, today))
    return blocks


def help_md(part: HelpPart) -> list[str]:
    words = COMMAND_WORDS
    blocks = [
        f"👋 **{plain(part.site_name)}**：根据各区《政务公开工作要点》回答“谁负责、何时完成、做什么”。",
        "直接发送问题即可，例如：槐荫区养老补贴信息公开归哪个部门管？\n可以接着追问，例如：那完成时限呢？",
        "\n".join([
            f"`{words['dept']} 区民政局` — 该部门的全部任务",
            f"`{words['due']} 9月底` — 到期任务（也可写 `{words['due']} 年底`、`{words['due']} 全部`）",
            f"`{words['region']} 槐荫区` — 设置默认地区（`{words['region']} 不限` 取消）",
            f"`{words['subscribe']} 区民政局` — 截止日期前提醒并每周发送摘要；`{words['unsubscribe']}` 取消",
            f"`{words['who']} 主题`、`{words['when']} 主题` — 由哪个部门负责、完成时限",
            "回答之后回复“有用”或“没用”评价，回复序号追问建议的问题。",
        ]),
    ]
    questions = [q for topic in part.topics for q in topic.questions[:3]][:10]
    if questions:
        blocks.append("常见问题（复制发送即可提问）：\n" + "\n".join(f"• {plain(q)}" for q in questions))
    return blocks


def part_md(part: Part) -> list[str]:
    if isinstance(part, Say):
        return [say_md(part)]
    if isinstance(part, AnswerPart):
        return answer_md(part.answer)
    if isinstance(part, TaskPage):
        chunk = part.entries[part.page * part.page_size:(part.page + 1) * part.page_size]
        blocks = [say_md(part.title), *grouped_md(chunk, part.today)]
        if part.pages > 1:
            blocks.append(f"第 {part.page + 1}/{part.pages} 页")
        return blocks
    if isinstance(part, TaskGroup):
        return grouped_md(part.entries, part.today)
    return help_md(part)


def hints_md(rows: Sequence[Sequence[Button]]) -> list[str]:
    """What the buttons would have offered, as words to reply with."""
    actions = [b for row in rows for b in row]
    hints: list[str] = []
    if any(isinstance(b.action, Vote) for b in actions):
        hints.append("回复“有用”或“没用”评价这条回答。")
    suggestions = [b.label for b in actions if isinstance(b.action, Suggest)]
    if suggestions:
        hints.append("你还可以问（回复序号）：\n" + "\n".join(f"{i}. {plain(s)}" for i, s in enumerate(suggestions, 1)))
    pages = [b for b in actions if isinstance(b.action, Page)]
    if pages:
        words = "、".join(f"“{'上一页' if '上' in b.label else '下一页'}”" for b in pages)
        hints.append(f"回复{words}翻页。")
    regions = [b.label for b in actions if isinstance(b.action, PickRegion)]
    if regions:
        hints.append("可选：" + "、".join(plain(r) for r in regions))
    return hints


def _fits(text: str, limit: int) -> bool:
    return len(text.encode("utf-8")) <= limit


def _cut(block: str, limit: int) -> list[str]:
    """One oversize block in pieces under `limit` bytes: on line breaks, else on characters."""
    pieces: list[str] = []
    cur = ""
    for line in block.split("\n"):
        while not _fits(line, limit):
            n = len(line)
            while not _fits(line[:n], limit):
                n = n * 3 // 4
            if cur:
                pieces.append(cur)
                cur = ""
            pieces.append(line[:n])
            line = line[n:]
        candidate = f"{cur}\n{line}" if cur else line
        if _fits(candidate, limit):
            cur = candidate
        else:
            pieces.append(cur)
            cur = line
    if cur:
        pieces.append(cur)
    return pieces


def pack(blocks: Iterable[str], limit: int = MESSAGE_BYTES) -> list[str]:
    """Blocks packed into messages of at most `limit` UTF-8 bytes, a blank line between blocks."""
    messages: list[str] = []
    cur = ""
    for block in blocks:
        block = block.strip("\n")
        if not block:
            continue
        for piece in ([block] if _fits(block, limit) else _cut(block, limit)):
            candidate = f"{cur}\n\n{piece}" if cur else piece
            if _fits(candidate, limit):
                cur = candidate
            else:
                messages.append(cur)
                cur = piece
    if cur:
        messages.append(cur)
    return messages


def render_reply(reply: Reply, *, with_notice: bool = True) -> list[Outgoing]:
    """The messages to send for one reply; a press's notice (a toast in Telegram) becomes a line of text."""
    blocks = [b for part in reply.parts for b in part_md(part)]
    blocks += hints_md([row for row in reply.buttons if not all(isinstance(b.action, Noop) for b in row)])
    out = [Outgoing("markdown", m) for m in pack(blocks)]
    if with_notice and reply.notice:
        out.insert(0, Outgoing("text", plain(reply.notice)))
    return out


def render_texts(texts: Iterable[str]) -> list[Outgoing]:
    """Plain sentences as text messages (refusals, errors)."""
    return [Outgoing("text", m) for m in pack(texts)]
