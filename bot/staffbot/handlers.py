"""The staff bot's conversation: commands, free-text questions, inline buttons, the allow-list and errors.

Job: turn Telegram updates into engine calls and replies. Every handler is registered in
`register_handlers` (the one place to read to know what the bot reacts to). Handlers are thin: the
engine (bot/engine.py) answers, render.py builds the escaped HTML, prefs.py remembers, delivery.py
sends with retries. The question log and 👍/👎 go to bot/store.py's `QuestionLog`, the same log the
web API writes, so the admin page sees Telegram traffic beside the web's (channel "telegram").

In group chats the bot reacts to commands (``/dept`` or ``/dept@bot``) and to messages that mention
it (``@bot …``), nothing else. The per-chat `Context` makes follow-ups ("那完成时限呢？") work.
"""
from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import Awaitable, Sequence

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.answer import Intent
from bot.staff.clean import clean_text

from . import render
from .dates import FAR_FUTURE, DueRange, parse_due
from .delivery import deliver, retry_seconds
from .prefs import Listing
from .render import esc
from .state import StaffBotState, get_state

logger = logging.getLogger(__name__)

REFUSAL = "抱歉，本机器人仅供授权的工作人员使用。如需开通，请联系管理员并提供您的 Telegram 用户 ID：{uid}"
ALL_WORDS = {"all", "全部", "不限", "不限地区", "清除", "取消", "无", "-"}
_EDGE_PUNCT = " \t\n,，:：、。.!！?？"


# -- small helpers --------------------------------------------------------------------------------


def mentions_me(message: Message | None) -> bool:
    """Whether a message @-mentions this bot (by @username or, for users without one, a text mention)."""
    if message is None:
        return False
    bot = message.get_bot()
    username = (bot.username or "").lower()
    for entity, text in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and username and text.lower() == f"@{username}":
            return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            return True
    return False


class _MentionsMe(filters.MessageFilter):
    """Messages that mention the bot; the username is only known after getMe, hence not filters.Mention."""

    def filter(self, message: Message) -> bool:
        return mentions_me(message)


MENTIONS_ME = _MentionsMe(name="MentionsMe")


def strip_mention(text: str, username: str | None) -> str:
    """The question without "@bot" and the punctuation around it ("@bot，养老补贴谁负责" -> "养老补贴谁负责")."""
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return text.strip().lstrip(_EDGE_PUNCT).strip()


def addressed_to_me(update: Update) -> bool:
    """Whether an update asks something of the bot (so a refusal is due); chatter in groups is not."""
    if update.callback_query is not None:
        return True
    message = update.message
    if message is None:
        return False
    if message.chat.type == Chat.PRIVATE:
        return True
    text = message.text or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        target = command.partition("@")[2].lower()
        return not target or target == (message.get_bot().username or "").lower()
    return mentions_me(message)


MAX_ARG_CHARS = 60  # longest command argument read (department, region, date); longer ones are refused unread


def _args(context: ContextTypes.DEFAULT_TYPE) -> str:
    return clean_text(" ".join(context.args or [])).strip()


async def _bounded_args(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The command's argument, or None after telling the user it is too long (never echoed back)."""
    arg = _args(context)
    if len(arg) > MAX_ARG_CHARS:
        await reply_text(update, context, f"内容太长了（最多 {MAX_ARG_CHARS} 字），请只写部门、地区或日期。")
        return None
    return arg


def _region_of(state: StaffBotState, update: Update) -> str | None:
    user = update.effective_user
    return state.prefs.region(user.id) if user else None


async def send_blocks(update: Update, context: ContextTypes.DEFAULT_TYPE, blocks: Sequence[str],
                      markup: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send escaped HTML blocks to the update's chat, split under 4096 chars; the keyboard goes on the last part.

    In groups the first part replies to the asking message so the thread stays readable.
    """
    chat = update.effective_chat
    if chat is None:
        return None
    reply_to = update.message if chat.type != Chat.PRIVATE else None
    parts = render.split_html(blocks)
    last: Message | None = None
    for i, part in enumerate(parts):
        reply = (ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
                 if reply_to is not None and i == 0 else None)
        keyboard = markup if i == len(parts) - 1 else None

        def send(part: str = part, reply: ReplyParameters | None = reply,
                 keyboard: InlineKeyboardMarkup | None = keyboard) -> Awaitable[Message]:
            return context.bot.send_message(
                chat.id, part, parse_mode=ParseMode.HTML, reply_markup=keyboard, reply_parameters=reply,
                link_preview_options=LinkPreviewOptions(is_disabled=True))

        last = await deliver(send, what=f"reply to chat {chat.id}", max_wait=10.0)
        if last is None:
            return None
    return last


async def reply_text(update: Update, context: ContextTypes.DEFAULT_TYPE, html_text: str,
                     markup: InlineKeyboardMarkup | None = None) -> Message | None:
    return await send_blocks(update, context, [html_text], markup)


# -- the allow-list -------------------------------------------------------------------------------


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop updates from users and chats outside telegram.allowed_ids, with one polite refusal, before any engine call."""
    state = get_state(context)
    user, chat = update.effective_user, update.effective_chat
    if state.allowed(user.id if user else None, chat.id if chat else None):
        return
    if addressed_to_me(update):
        text = REFUSAL.format(uid=user.id if user else "?")
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await reply_text(update, context, esc(text))
    raise ApplicationHandlerStop


# -- asking the engine ----------------------------------------------------------------------------


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Ask the engine in the chat's follow-up context and the user's region, log it, reply with 👍/👎."""
    state = get_state(context)
    chat = update.effective_chat
    if chat is None:
        return
    question = clean_text(question).strip()
    if not question:
        await reply_text(update, context, "请直接输入问题，例如：<i>养老补贴信息公开由哪个部门负责？</i>")
        return
    if len(question) > state.max_question_chars:
        await reply_text(update, context, f"问题太长了（最多 {state.max_question_chars} 字），请精简后再问。")
        return
    region = _region_of(state, update)
    started = time.perf_counter()
    # The engine is synchronous (index lookups); a worker thread keeps other chats' updates flowing.
    answer = await asyncio.to_thread(state.engine.answer, question, region=region,
                                     context=state.context_for(chat.id))
    latency_ms = (time.perf_counter() - started) * 1000
    state.remember(chat.id, answer.context)
    top = answer.results[0].entry.id if answer.results else None
    answer_id: int | None = None
    try:
        state.log.log_question(question, intent=str(answer.intent), answered=answer.answered, entry_id=top,
                               latency_ms=latency_ms, session=chat.id, channel="telegram",
                               region=answer.region or region)
        if answer.intent != Intent.NONE or answer.suggestions:
            answer_id = state.prefs.save_answer(chat.id, question, top, answer.suggestions[:3])
    except sqlite3.Error:  # a locked or full database must not cost the user the answer
        logger.warning("could not log a Telegram question", exc_info=True)
    await send_blocks(update, context, render.answer_blocks(answer), render.answer_keyboard(answer, answer_id))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question (private chat, or a group message that mentions the bot)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = message.text
    if message.chat.type != Chat.PRIVATE:
        question = strip_mention(question, context.bot.username)
    await answer_question(update, context, question)


# -- commands -------------------------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say what the bot can do and offer the featured questions as buttons (/start, /help)."""
    state = get_state(context)
    chat = update.effective_chat
    group = chat is not None and chat.type != Chat.PRIVATE
    blocks = render.help_blocks(state.site_name, group=group, bot_username=context.bot.username)
    topics = await asyncio.to_thread(state.engine.featured)
    markup = render.featured_keyboard(topics)
    if markup is not None:
        blocks.append("常见问题（点按即可提问）：")
    region = _region_of(state, update)
    if region:
        blocks.append(f"当前默认地区：<b>{esc(region)}</b>（/region 修改）")
    await send_blocks(update, context, blocks, markup)


async def _topic_question(update: Update, context: ContextTypes.DEFAULT_TYPE, template: str,
                          follow_up: str, usage: str) -> None:
    topic = _args(context).strip(_EDGE_PUNCT)
    chat = update.effective_chat
    state = get_state(context)
    if topic:
        await answer_question(update, context, template.format(topic=topic))
    elif chat is not None and state.context_for(chat.id) is not None:
        await answer_question(update, context, follow_up)  # "/when" right after an answer: a follow-up
    else:
        await reply_text(update, context, usage)


async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask which unit is responsible for a topic (/who 主题)."""
    await _topic_question(update, context, "{topic}由哪个部门负责？", "那由哪个部门负责？",
                          "用法：<code>/who 主题</code>，例如 <code>/who 养老补贴信息公开</code>")


async def when(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask the deadline of a topic (/when 主题)."""
    await _topic_question(update, context, "{topic}的完成时限是什么？", "那完成时限呢？",
                          "用法：<code>/when 主题</code>，例如 <code>/when 规范性文件集中公开</code>")


def _listing_page(state: StaffBotState, listing: Listing, page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Recompute a /dept or /due list from its stored query and render one page of it."""
    where = f"（{esc(listing.region)}）" if listing.region else ""
    today = state.today()
    if listing.kind == "dept":
        entries = render.by_plan(state.engine.department_tasks(listing.arg, region=listing.region))
        title = f"🏢 <b>{esc(listing.arg)}</b>{where}：共 {len(entries)} 项任务"
        empty = "没有找到该部门的任务。" + ("可用 /region 不限 查看所有地区。" if listing.region else "")
        show_days = None
    else:
        rng = DueRange.from_key(listing.arg)
        entries = state.engine.due_tasks(rng.until, since=rng.since, region=listing.region)
        title = f"📅 <b>{esc(rng.label)}</b>到期的任务{where}：共 {len(entries)} 项，最早的在前"
        empty = "这段时间没有到期的任务。可试试 <code>/due 年底</code> 或 <code>/due all</code>。"
        show_days = today
    if not entries:
        return f"{title}\n\n{empty}", None
    pages = render.page_count(len(entries), state.page_size)
    page = min(max(0, page), pages - 1)
    text = render.task_page(title, entries, page, state.page_size, today=show_days)
    return text, render.pager(listing.id, page, pages)


async def _send_listing(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str, arg: str) -> None:
    state = get_state(context)
    chat = update.effective_chat
    if chat is None:
        return
    listing_id = state.prefs.save_listing(chat.id, kind, arg, _region_of(state, update))
    listing = state.prefs.listing(listing_id)
    assert listing is not None
    text, markup = await asyncio.to_thread(_listing_page, state, listing, 0)
    await reply_text(update, context, text, markup)


async def dept(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List every task of a department, aliases understood, paginated with ◀ ▶ (/dept 部门)."""
    state = get_state(context)
    name = await _bounded_args(update, context)
    if name is None:
        return
    if not name:
        await reply_text(update, context, "用法：<code>/dept 部门</code>，例如 <code>/dept 区人社局</code>")
        return
    department = state.engine.resolve_department(name)
    if department is None:
        await reply_text(update, context, f"没有找到部门“{esc(name)}”。请使用部门全称或常用简称，例如：区民政局、区人社局。")
        return
    await _send_listing(update, context, "dept", department)


async def due(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List tasks due by a date or month, earliest first (/due [日期或月份]; none = end of this month)."""
    state = get_state(context)
    arg = await _bounded_args(update, context)
    if arg is None:
        return
    rng = parse_due(arg, state.today())
    if rng is None:
        await reply_text(update, context, "看不懂这个日期。可以写：<code>/due</code>（本月底前）、<code>/due 9月底</code>、"
                         "<code>/due 2024-09-30</code>、<code>/due 2024年9月</code>、<code>/due 年底</code>、"
                         "<code>/due 30天</code>、<code>/due all</code>")
        return
    await _send_listing(update, context, "due", rng.key())


def match_region(text: str, regions: Sequence[str]) -> str | None:
    """The region meant by `text`: exact, else the only region containing it or contained in it ("槐荫" -> "槐荫区")."""
    if text in regions:
        return text
    hits = [r for r in regions if text in r or r in text]
    return hits[0] if len(hits) == 1 else None


async def region(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show or set the user's default region, remembered across restarts (/region 地区)."""
    state = get_state(context)
    user = update.effective_user
    if user is None:
        return
    arg = await _bounded_args(update, context)
    if arg is None:
        return
    regions = await asyncio.to_thread(state.engine.regions)
    current = state.prefs.region(user.id)
    if not arg:
        now = f"当前默认地区：<b>{esc(current)}</b>" if current else "当前未设置默认地区（回答涵盖所有地区）。"
        await reply_text(update, context, f"{now}\n请选择，或发送 <code>/region 地区</code>：",
                         render.region_keyboard(regions, current))
        return
    if arg.lower() in ALL_WORDS:
        state.prefs.set_region(user.id, None)
        await reply_text(update, context, "已取消默认地区，回答将涵盖所有地区。")
        return
    chosen = match_region(arg, regions)
    if chosen is None:
        known = "、".join(regions) or "（知识库中暂无地区）"
        await reply_text(update, context, f"没有找到地区“{esc(arg)}”。可选：{esc(known)}")
        return
    state.prefs.set_region(user.id, chosen)
    await reply_text(update, context, f"已将默认地区设为 <b>{esc(chosen)}</b>。之后的提问和列表都以该地区为准。")


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Subscribe this chat to a department's deadline reminders and weekly digest (/subscribe 部门)."""
    state = get_state(context)
    chat = update.effective_chat
    if chat is None:
        return
    name = await _bounded_args(update, context)
    if name is None:
        return
    if not name:
        subs = state.prefs.subscriptions(chat.id)
        listed = "\n".join(f"• {esc(s.department)}" + (f"（{esc(s.region)}）" if s.region else "") for s in subs)
        await reply_text(update, context, (f"本聊天已订阅：\n{listed}\n\n" if subs else "本聊天尚未订阅任何部门。\n")
                         + "用法：<code>/subscribe 部门</code>，例如 <code>/subscribe 区民政局</code>")
        return
    department = state.engine.resolve_department(name)
    if department is None:
        await reply_text(update, context, f"没有找到部门“{esc(name)}”，未订阅。请使用部门全称或常用简称。")
        return
    where = _region_of(state, update)
    status = state.prefs.subscribe(chat.id, department, where)
    today = state.today()
    upcoming = await asyncio.to_thread(state.engine.due_tasks, FAR_FUTURE, since=today,
                                       department=department, region=where)
    scope = f"（{esc(where)}）" if where else "（所有地区；可先用 /region 选定地区）"
    head = {"added": "已订阅", "updated": "已更新订阅范围：", "unchanged": "已在订阅中："}[status]
    await reply_text(update, context, (
        f"✅ {head} <b>{esc(department)}</b>{scope}。\n"
        f"每项有明确日期的任务到期前 {state.remind_days_before} 天提醒，每周发送一次摘要。\n"
        f"目前有 {len(upcoming)} 项尚未到期的限期任务。退订：<code>/unsubscribe {esc(department)}</code>"))


async def unsubscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Drop one department's subscription, or all of this chat's (/unsubscribe [部门])."""
    state = get_state(context)
    chat = update.effective_chat
    if chat is None:
        return
    name = await _bounded_args(update, context)
    if name is None:
        return
    if not name:
        n = state.prefs.unsubscribe(chat.id)
        await reply_text(update, context, f"已取消本聊天的全部订阅（{n} 项）。" if n else "本聊天没有订阅。")
        return
    department = state.engine.resolve_department(name) or name
    n = state.prefs.unsubscribe(chat.id, department)
    await reply_text(update, context, f"已取消订阅 <b>{esc(department)}</b>。" if n
                     else f"本聊天没有订阅“{esc(name)}”。发送 /subscribe 查看已订阅的部门。")


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point at /help for a command the bot does not know (private chats only)."""
    await reply_text(update, context, "没有这个命令。发送 /help 查看可用的命令，或直接输入问题。")


# -- buttons --------------------------------------------------------------------------------------


def _ints(data: str, prefix: str, n: int) -> list[int] | None:
    parts = data.removeprefix(prefix).split(":")
    if len(parts) != n:
        return None
    try:
        return [int(p) for p in parts]
    except ValueError:
        return None


async def on_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show another page of a /dept or /due list by editing the same message (◀ ▶)."""
    query = update.callback_query
    assert query is not None
    state = get_state(context)
    parsed = _ints(query.data or "", "pg:", 2)
    listing = state.prefs.listing(parsed[0]) if parsed else None
    chat = update.effective_chat
    if parsed is None or listing is None or chat is None or listing.chat_id != chat.id:
        await query.answer("这个列表已失效，请重新查询。")
        return
    await query.answer()
    text, markup = await asyncio.to_thread(_listing_page, state, listing, parsed[1])
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup,
                                      link_preview_options=LinkPreviewOptions(is_disabled=True))
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():  # a double tap on the same page is harmless
            raise


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Record 👍 / 👎 on an answer in the shared feedback log (QuestionLog.log_feedback), once per answer."""
    query = update.callback_query
    assert query is not None
    state = get_state(context)
    parsed = _ints(query.data or "", "fb:", 2)
    chat = update.effective_chat
    record = state.prefs.answer(parsed[0]) if parsed else None
    if parsed is None or record is None or chat is None or record.chat_id != chat.id:
        await query.answer("这条回答已过期。")
        return
    if not state.prefs.mark_voted(record.id):
        await query.answer("已收到对这条回答的反馈，谢谢！")
        return
    state.log.log_feedback(helpful=bool(parsed[1]), question=record.question, entry_id=record.entry_id,
                           session=chat.id, channel="telegram")
    await query.answer("谢谢反馈！" if parsed[1] else "谢谢反馈，我们会改进。")
    message = query.message
    if isinstance(message, Message):
        await query.edit_message_reply_markup(render.without_feedback(message.reply_markup))


async def on_featured(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask a featured question chosen from the /start buttons."""
    query = update.callback_query
    assert query is not None
    state = get_state(context)
    parsed = _ints(query.data or "", "fq:", 2)
    topics = state.engine.featured()
    if parsed is None or not (0 <= parsed[0] < len(topics)) or not (0 <= parsed[1] < len(topics[parsed[0]].questions)):
        await query.answer("这个问题已不在常见问题中，请直接输入。")
        return
    await query.answer()
    await answer_question(update, context, topics[parsed[0]].questions[parsed[1]])


async def on_suggestion(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask a suggested follow-up question shown under an answer."""
    query = update.callback_query
    assert query is not None
    state = get_state(context)
    parsed = _ints(query.data or "", "sg:", 2)
    chat = update.effective_chat
    record = state.prefs.answer(parsed[0]) if parsed else None
    if (parsed is None or record is None or chat is None or record.chat_id != chat.id
            or not 0 <= parsed[1] < len(record.suggestions)):
        await query.answer("这条建议已过期，请直接输入问题。")
        return
    await query.answer()
    await answer_question(update, context, record.suggestions[parsed[1]])


async def on_region_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Set the default region from the /region picker."""
    query = update.callback_query
    assert query is not None
    state = get_state(context)
    arg = (query.data or "").removeprefix("rg:")
    regions = state.engine.regions()
    if arg == "-":
        chosen = None
    elif arg.isdigit() and int(arg) < len(regions):
        chosen = regions[int(arg)]
    else:
        await query.answer("地区列表已更新，请重新发送 /region。")
        return
    state.prefs.set_region(query.from_user.id, chosen)
    await query.answer()
    text = f"已将默认地区设为 <b>{esc(chosen)}</b>。" if chosen else "已取消默认地区，回答将涵盖所有地区。"
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def on_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a button no handler knows (an old keyboard, a forged press), so the client stops spinning."""
    assert update.callback_query is not None
    await update.callback_query.answer("这个按钮已失效，请重新发送命令或直接输入问题。")


async def on_noop(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge a button that only shows information (the page counter)."""
    assert update.callback_query is not None
    await update.callback_query.answer()


# -- errors ---------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any error from a handler or job; Telegram hiccups briefly, our own bugs with a traceback."""
    error = context.error
    where = f"update {update.update_id}" if isinstance(update, Update) else "job" if update is None else "update"
    if isinstance(error, RetryAfter):
        logger.warning("%s: flood control, Telegram asks to wait %.0f s", where, retry_seconds(error))
        return
    if isinstance(error, Forbidden):
        logger.info("%s: %s", where, error.message)
        return
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        logger.warning("%s: network error: %s", where, error)
        return
    logger.error("%s: unhandled error", where, exc_info=error)
    if isinstance(update, Update) and update.callback_query is not None:
        try:  # a button whose handler failed must still stop spinning
            await update.callback_query.answer("抱歉，处理时出错了，请稍后再试。")
        except TelegramError:
            pass
    if isinstance(update, Update) and update.effective_chat is not None and not isinstance(error, TelegramError):
        try:
            await context.bot.send_message(update.effective_chat.id, "抱歉，处理时出错了，请稍后再试。")
        except TelegramError:
            logger.warning("could not tell chat about the error", exc_info=True)


# -- registration ---------------------------------------------------------------------------------


def register_handlers(app: Application) -> None:  # type: ignore[type-arg]
    """Every handler of the bot, in one place; group -1 is the allow-list gate that runs first."""
    app.add_handler(TypeHandler(Update, gate), group=-1)
    new = filters.UpdateType.MESSAGE  # edited messages are not asked again
    app.add_handler(CommandHandler(["start", "help"], start, filters=new))
    app.add_handler(CommandHandler("who", who, filters=new))
    app.add_handler(CommandHandler("when", when, filters=new))
    app.add_handler(CommandHandler("dept", dept, filters=new))
    app.add_handler(CommandHandler("due", due, filters=new))
    app.add_handler(CommandHandler("region", region, filters=new))
    app.add_handler(CommandHandler("subscribe", subscribe, filters=new))
    app.add_handler(CommandHandler("unsubscribe", unsubscribe, filters=new))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND
                                   & (filters.ChatType.PRIVATE | (filters.ChatType.GROUPS & MENTIONS_ME)), on_text))
    app.add_handler(MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    app.add_handler(CallbackQueryHandler(on_page, pattern=r"^pg:"))
    app.add_handler(CallbackQueryHandler(on_feedback, pattern=r"^fb:"))
    app.add_handler(CallbackQueryHandler(on_featured, pattern=r"^fq:"))
    app.add_handler(CallbackQueryHandler(on_suggestion, pattern=r"^sg:"))
    app.add_handler(CallbackQueryHandler(on_region_button, pattern=r"^rg:"))
    app.add_handler(CallbackQueryHandler(on_noop, pattern=r"^noop$"))
    app.add_handler(CallbackQueryHandler(on_unknown_button))  # last: any other button data
    app.add_error_handler(on_error)
