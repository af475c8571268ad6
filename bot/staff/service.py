"""The staff service: every staff feature once, for any chat channel (Telegram, WeCom).

Job: `StaffService.handle(sender, incoming) -> Reply`. Questions with follow-ups (the engine's opaque
`Context`, kept per chat as its dict), who/when shortcuts, department and due lists (lists.py), the
default region, subscriptions, 👍/👎 into the shared question log (bot/storage/question_log.py, channel column =
the sender's channel), suggested follow-ups and featured questions. Synchronous on purpose: the
engine and SQLite block, so adapters on an event loop call `handle` in a worker thread.

Every argument is bounded (options.max_arg_chars) and never echoed at length; every button press
gets a `notice` or a reply, also when its answer or list has expired. Wording is channel-neutral:
commands appear as `cmd(...)` spans that each adapter shows in its own syntax.
Neighbours: messages.py (the types), prefs.py (memory), schedule.py (reminders and digest).
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from bot.engine.answer import Answer, Context, EngineContract, Intent, Topic
from bot.storage.question_log import QuestionLog

from .clean import clean_text
from .dates import FAR_FUTURE, parse_due
from .lists import listing_reply, trim
from .messages import (
    AnswerPart,
    Ask,
    Button,
    Featured,
    HelpPart,
    Incoming,
    Noop,
    Page,
    PickRegion,
    Press,
    Reply,
    Say,
    Sender,
    Style,
    Suggest,
    Vote,
    bold,
    cmd,
    italic,
)
from .options import StaffOptions
from .prefs import Prefs

logger = logging.getLogger(__name__)

MAX_SESSIONS = 5000  # follow-up contexts kept in memory, least recently used dropped first
ALL_WORDS = {"all", "全部", "不限", "不限地区", "清除", "取消", "无", "-"}
EDGE_PUNCT = " \t\n,，:：、。.!！?？"
EXPIRED_BUTTON = "这个选项已失效，请重新发送命令或直接输入问题。"


def match_region(text: str, regions: Sequence[str]) -> str | None:
    """The region meant by `text`: exact, else the only region containing it or contained in it ("槐荫" -> "槐荫区")."""
    if text in regions:
        return text
    hits = [r for r in regions if text in r or r in text]
    return hits[0] if len(hits) == 1 else None


def answer_buttons(answer: Answer, answer_id: int | None, *, suggestions: int = 3) -> tuple[tuple[Button, ...], ...]:
    """👍 / 👎 (feeding the shared feedback log) and the engine's suggested follow-ups, by index into the stored answer."""
    if answer_id is None:
        return ()
    rows: list[tuple[Button, ...]] = []
    if answer.intent != Intent.NONE:
        rows.append((Button("👍 有帮助", Vote(answer_id, True)), Button("👎 没帮助", Vote(answer_id, False))))
    for i, s in enumerate(answer.suggestions[:suggestions]):
        rows.append((Button(trim(s, 40), Suggest(answer_id, i)),))
    return tuple(rows)


def featured_buttons(topics: Sequence[Topic], *, per_topic: int = 3,
                     max_buttons: int = 15) -> tuple[tuple[Button, ...], ...]:
    """Featured questions as buttons (by index: questions may be longer than a button can carry)."""
    rows: list[tuple[Button, ...]] = []
    for ti, topic in enumerate(topics):
        for qi, q in enumerate(topic.questions[:per_topic]):
            if len(rows) >= max_buttons:
                break
            label = f"{topic.name}｜{q}" if topic.name else q
            rows.append((Button(trim(label, 48), Featured(ti, qi)),))
    return tuple(rows)


def region_buttons(regions: Sequence[str], current: str | None) -> tuple[tuple[Button, ...], ...]:
    """One button per region known to the engine, plus "不限地区"."""
    rows = [(Button(("✅ " if r == current else "") + r, PickRegion(i)),) for i, r in enumerate(regions[:40])]
    rows.append((Button(("✅ " if current is None else "") + "不限地区", PickRegion(None)),))
    return tuple(rows)


def usage(name: str, example: str, what: str = "主题") -> Reply:
    return Reply(parts=(Say.of("用法：", cmd(name, what), "，例如 ", cmd(name, example)),))


class StaffService:
    """One per channel; thread-safe (the per-chat contexts are guarded, the stores lock themselves)."""

    def __init__(self, engine: EngineContract, prefs: Prefs, log: QuestionLog, options: StaffOptions, *,
                 channel: str) -> None:
        self.engine, self.prefs, self.log, self.options, self.channel = engine, prefs, log, options, channel
        self._contexts: OrderedDict[Any, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._commands: dict[str, Callable[[Sender, str], Reply]] = {
            "start": self.help, "help": self.help, "who": self.who, "when": self.when, "dept": self.dept,
            "due": self.due, "region": self.region, "subscribe": self.subscribe, "unsubscribe": self.unsubscribe,
        }

    # -- dispatch ---------------------------------------------------------------------------------

    def handle(self, sender: Sender, incoming: Incoming) -> Reply:
        """The reply to one message from `sender` (adapters have already applied their allow-list)."""
        if isinstance(incoming, Ask):
            return self.ask(sender, incoming.question)
        if isinstance(incoming, Press):
            return self.press(sender, incoming)
        handler = self._commands.get(incoming.name)
        if handler is None:
            return self.unknown_command()
        arg = clean_text(incoming.arg).strip()
        if len(arg) > self.options.max_arg_chars:
            return Reply(parts=(Say.of(f"内容太长了（最多 {self.options.max_arg_chars} 字），请只写部门、地区或日期。"),))
        return handler(sender, arg)

    def unknown_command(self) -> Reply:
        return Reply(parts=(Say.of("没有这个命令。发送 ", cmd("help", style=Style.PLAIN), " 查看可用的命令，或直接输入问题。"),))

    # -- follow-up contexts -----------------------------------------------------------------------

    def context_for(self, chat: Any) -> Context | None:
        with self._lock:
            data = self._contexts.get(chat)
            if data is not None:
                self._contexts.move_to_end(chat)
        return Context.from_dict(data)

    def remember(self, chat: Any, context: Context | None) -> None:
        if context is None:
            return
        with self._lock:
            self._contexts[chat] = context.to_dict()
            self._contexts.move_to_end(chat)
            while len(self._contexts) > MAX_SESSIONS:
                self._contexts.popitem(last=False)

    # -- questions --------------------------------------------------------------------------------

    def ask(self, sender: Sender, question: str) -> Reply:
        """Ask the engine in the chat's follow-up context and the user's region, log it, offer 👍/👎."""
        question = clean_text(question).strip()
        if not question:
            return Reply(parts=(Say.of("请直接输入问题，例如：", italic("养老补贴信息公开由哪个部门负责？")),))
        if len(question) > self.options.max_question_chars:
            return Reply(parts=(Say.of(f"问题太长了（最多 {self.options.max_question_chars} 字），请精简后再问。"),))
        region = self.prefs.region(sender.user)
        started = time.perf_counter()
        answer = self.engine.answer(question, region=region, context=self.context_for(sender.chat))
        latency_ms = (time.perf_counter() - started) * 1000
        self.remember(sender.chat, answer.context)
        top = answer.results[0].entry.id if answer.results else None
        answer_id: int | None = None
        try:
            self.log.log_question(question, intent=str(answer.intent), answered=answer.answered, entry_id=top,
                                  latency_ms=latency_ms, session=sender.chat, channel=self.channel,
                                  region=answer.region or region, reply=answer.reply)
            if answer.intent != Intent.NONE or answer.suggestions:
                answer_id = self.prefs.save_answer(sender.chat, question, top, answer.suggestions[:3])
        except sqlite3.Error:  # a locked or full database must not cost the person the answer
            logger.warning("could not log a %s question", self.channel, exc_info=True)
        return Reply(parts=(AnswerPart(answer),), buttons=answer_buttons(answer, answer_id))

    def _topic(self, sender: Sender, arg: str, template: str, follow_up: str, name: str, example: str) -> Reply:
        topic = arg.strip(EDGE_PUNCT)
        if topic:
            return self.ask(sender, template.format(topic=topic))
        if self.context_for(sender.chat) is not None:
            return self.ask(sender, follow_up)  # "/when" right after an answer: a follow-up on the same topic
        return usage(name, example)

    def who(self, sender: Sender, arg: str) -> Reply:
        return self._topic(sender, arg, "{topic}由哪个部门负责？", "那由哪个部门负责？", "who", "养老补贴信息公开")

    def when(self, sender: Sender, arg: str) -> Reply:
        return self._topic(sender, arg, "{topic}的完成时限是什么？", "那完成时限呢？", "when", "规范性文件集中公开")

    def help(self, sender: Sender, arg: str = "") -> Reply:
        """What the bot can do, the featured questions, and the default region if one is set."""
        topics = tuple(self.engine.featured())
        parts: list[Any] = [HelpPart(self.options.site_name, sender.group, topics)]
        if region := self.prefs.region(sender.user):
            parts.append(Say.of("当前默认地区：", bold(region), "（", cmd("region", style=Style.PLAIN), " 修改）"))
        return Reply(parts=tuple(parts), buttons=featured_buttons(topics))

    # -- lists ------------------------------------------------------------------------------------

    def _listing(self, sender: Sender, kind: str, arg: str) -> Reply:
        listing_id = self.prefs.save_listing(sender.chat, kind, arg, self.prefs.region(sender.user))
        listing = self.prefs.listing(listing_id)
        assert listing is not None
        return listing_reply(self.engine, self.options, listing, 0)

    def dept(self, sender: Sender, name: str) -> Reply:
        """Every task of a department (aliases understood), paginated."""
        if not name:
            return usage("dept", "区人社局", "部门")
        department = self.engine.resolve_department(name)
        if department is None:
            return Reply(parts=(Say.of(f"没有找到部门“{name}”。请使用部门全称或常用简称，例如：区民政局、区人社局。"),))
        return self._listing(sender, "dept", department)

    def due(self, sender: Sender, arg: str) -> Reply:
        """Tasks due by a date or month, earliest first (none: the end of this month)."""
        rng = parse_due(arg, self.options.today())
        if rng is None:
            examples = [(cmd("due"), "（本月底前）、"), (cmd("due", "9月底"), "、"), (cmd("due", "2024-09-30"), "、"),
                        (cmd("due", "2024年9月"), "、"), (cmd("due", "年底"), "、"), (cmd("due", "30天"), "、"),
                        (cmd("due", "all"), "")]
            return Reply(parts=(Say.of("看不懂这个日期。可以写：", *[x for pair in examples for x in pair if x]),))
        return self._listing(sender, "due", rng.key())

    # -- region and subscriptions -----------------------------------------------------------------

    def region(self, sender: Sender, arg: str) -> Reply:
        """Show or set the person's default region, remembered across restarts."""
        regions = self.engine.regions()
        current = self.prefs.region(sender.user)
        if not arg:
            now = Say.of("当前默认地区：", bold(current)) if current else Say.of("当前未设置默认地区（回答涵盖所有地区）。")
            return Reply(parts=(Say(now.spans + Say.of("\n请选择，或发送 ", cmd("region", "地区"), "：").spans),),
                         buttons=region_buttons(regions, current))
        if arg.lower() in ALL_WORDS:
            self.prefs.set_region(sender.user, None)
            return Reply(parts=(Say.of("已取消默认地区，回答将涵盖所有地区。"),))
        chosen = match_region(arg, regions)
        if chosen is None:
            known = "、".join(regions) or "（知识库中暂无地区）"
            return Reply(parts=(Say.of(f"没有找到地区“{arg}”。可选：{known}"),))
        self.prefs.set_region(sender.user, chosen)
        return Reply(parts=(Say.of("已将默认地区设为 ", bold(chosen), "。之后的提问和列表都以该地区为准。"),))

    def subscribe(self, sender: Sender, name: str) -> Reply:
        """Subscribe this chat to a department's deadline reminders and weekly digest."""
        if not name:
            subs = self.prefs.subscriptions(sender.chat)
            listed = "\n".join(f"• {s.department}" + (f"（{s.region}）" if s.region else "") for s in subs)
            head = f"本聊天已订阅：\n{listed}\n\n" if subs else "本聊天尚未订阅任何部门。\n"
            return Reply(parts=(Say.of(head, "用法：", cmd("subscribe", "部门"), "，例如 ", cmd("subscribe", "区民政局")),))
        department = self.engine.resolve_department(name)
        if department is None:
            return Reply(parts=(Say.of(f"没有找到部门“{name}”，未订阅。请使用部门全称或常用简称。"),))
        where = self.prefs.region(sender.user)
        status = self.prefs.subscribe(sender.chat, department, where)
        upcoming = self.engine.due_tasks(FAR_FUTURE, since=self.options.today(), department=department, region=where)
        scope = (Say.of(f"（{where}）") if where
                 else Say.of("（所有地区；可先用 ", cmd("region", style=Style.PLAIN), " 选定地区）"))
        head = {"added": "已订阅", "updated": "已更新订阅范围：", "unchanged": "已在订阅中："}[status]
        body = Say.of(f"。\n每项有明确日期的任务到期前 {self.options.remind_days_before} 天提醒，每周发送一次摘要。\n"
                      f"目前有 {len(upcoming)} 项尚未到期的限期任务。退订：", cmd("unsubscribe", department))
        return Reply(parts=(Say(Say.of(f"✅ {head} ", bold(department)).spans + scope.spans + body.spans),))

    def unsubscribe(self, sender: Sender, name: str) -> Reply:
        """Drop one department's subscription, or all of this chat's."""
        if not name:
            n = self.prefs.unsubscribe(sender.chat)
            return Reply(parts=(Say.of(f"已取消本聊天的全部订阅（{n} 项）。" if n else "本聊天没有订阅。"),))
        department = self.engine.resolve_department(name) or name
        if self.prefs.unsubscribe(sender.chat, department):
            return Reply(parts=(Say.of("已取消订阅 ", bold(department), "。"),))
        return Reply(parts=(Say.of(f"本聊天没有订阅“{name}”。发送 ", cmd("subscribe", style=Style.PLAIN),
                                   " 查看已订阅的部门。"),))

    # -- button presses ---------------------------------------------------------------------------

    def press(self, sender: Sender, press: Press) -> Reply:
        """A button (or its text stand-in); an unknown or expired one is answered with a notice saying so."""
        action = press.action
        if isinstance(action, Page):
            return self._page(sender, action)
        if isinstance(action, Vote):
            return self._vote(sender, action)
        if isinstance(action, Suggest):
            record = self.prefs.answer(action.answer_id)
            if record is None or record.chat_id != sender.chat or not 0 <= action.index < len(record.suggestions):
                return Reply(notice="这条建议已过期，请直接输入问题。")
            return self.ask(sender, record.suggestions[action.index])
        if isinstance(action, Featured):
            topics = self.engine.featured()
            if not (0 <= action.topic < len(topics) and 0 <= action.question < len(topics[action.topic].questions)):
                return Reply(notice="这个问题已不在常见问题中，请直接输入。")
            return self.ask(sender, topics[action.topic].questions[action.question])
        if isinstance(action, PickRegion):
            return self._pick_region(sender, action)
        if isinstance(action, Noop):
            return Reply()
        return Reply(notice=EXPIRED_BUTTON)

    def _page(self, sender: Sender, action: Page) -> Reply:
        listing = self.prefs.listing(action.listing_id)
        if listing is None or listing.chat_id != sender.chat:
            return Reply(notice="这个列表已失效，请重新查询。")
        reply = listing_reply(self.engine, self.options, listing, action.page)
        return Reply(parts=reply.parts, buttons=reply.buttons, replace=True)

    def _vote(self, sender: Sender, action: Vote) -> Reply:
        record = self.prefs.answer(action.answer_id)
        if record is None or record.chat_id != sender.chat:
            return Reply(notice="这条回答已过期。")
        if not self.prefs.mark_voted(record.id):
            return Reply(notice="已收到对这条回答的反馈，谢谢！")
        self.log.log_feedback(helpful=action.helpful, question=record.question, entry_id=record.entry_id,
                              session=sender.chat, channel=self.channel)
        return Reply(notice="谢谢反馈！" if action.helpful else "谢谢反馈，我们会改进。", drop_votes=True)

    def _pick_region(self, sender: Sender, action: PickRegion) -> Reply:
        regions = self.engine.regions()
        if action.index is not None and not 0 <= action.index < len(regions):
            return Reply(notice="地区列表已更新，请重新选择地区。")
        chosen = regions[action.index] if action.index is not None else None
        self.prefs.set_region(sender.user, chosen)
        text = (Say.of("已将默认地区设为 ", bold(chosen), "。") if chosen
                else Say.of("已取消默认地区，回答将涵盖所有地区。"))
        return Reply(parts=(text,), replace=True)
