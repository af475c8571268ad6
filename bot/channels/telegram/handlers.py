"""The Telegram adapter of the staff service: updates in, typed replies out as HTML and inline keyboards.

Job: translate, nothing else. Commands, free text and button presses become the staff service's typed
messages (bot/staff/messages.py: `Command`, `Ask`, `Press`); its `Reply` becomes sendMessage /
editMessageText / answerCallbackQuery calls (render.py builds the escaped HTML, buttons.py the
keyboards, delivery.py sends with retries). What staff can do lives in bot/staff/service.py, shared
with the WeCom app; what is Telegram's stays here: the allow-list gate, group-chat manners (commands
and @-mentions only) and the error handler. The service is synchronous (engine, SQLite), so it runs
in a worker thread: a slow question or a locked database never stalls other chats.

Every handler is registered in `register_handlers` (the one place to read to know what the bot reacts
to). Every button press is answered, also one no handler knows.
"""
from __future__ import annotations

import asyncio
import logging
import re
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

from bot.staff.clean import clean_text
from bot.staff.messages import COMMANDS, Ask, Command, Incoming, Press, Reply, Sender
from bot.staff.service import match_region  # noqa: F401 - re-exported: tests and older imports use it here

from . import render
from .buttons import action_of, keyboard
from .delivery import deliver, retry_seconds
from .render import esc
from .state import CHANNEL, get_state

logger = logging.getLogger(__name__)

REFUSAL = "抱歉，本机器人仅供授权的工作人员使用。如需开通，请联系管理员并提供您的 Telegram 用户 ID：{uid}"
_EDGE_PUNCT = " \t\n,，:：、。.!！?？"


# -- group-chat manners -----------------------------------------------------------------------------


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


# -- talking to the service -------------------------------------------------------------------------


def sender_of(update: Update) -> Sender | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return None
    return Sender(CHANNEL, chat.id, user.id if user else chat.id, group=chat.type != Chat.PRIVATE)


async def ask_service(update: Update, context: ContextTypes.DEFAULT_TYPE, incoming: Incoming) -> Reply | None:
    """The service's reply, computed in a worker thread (engine and SQLite block)."""
    sender = sender_of(update)
    if sender is None:
        return None
    return await asyncio.to_thread(get_state(context).service.handle, sender, incoming)


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
        keyboard_ = markup if i == len(parts) - 1 else None

        def send(part: str = part, reply: ReplyParameters | None = reply,
                 keyboard_: InlineKeyboardMarkup | None = keyboard_) -> Awaitable[Message]:
            return context.bot.send_message(
                chat.id, part, parse_mode=ParseMode.HTML, reply_markup=keyboard_, reply_parameters=reply,
                link_preview_options=LinkPreviewOptions(is_disabled=True))

        last = await deliver(send, what=f"reply to chat {chat.id}", max_wait=10.0)
        if last is None:
            return None
    return last


async def send_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply | None) -> None:
    """Send the service's reply as a new message (nothing when it has no parts)."""
    if reply is None or not reply.parts:
        return
    chat = update.effective_chat
    blocks = render.reply_blocks(reply.parts, group=chat is not None and chat.type != Chat.PRIVATE,
                                 bot_username=context.bot.username)
    await send_blocks(update, context, blocks, keyboard(reply.buttons))


# -- the allow-list ---------------------------------------------------------------------------------


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
            await send_blocks(update, context, [esc(text)])
    raise ApplicationHandlerStop


# -- messages and commands --------------------------------------------------------------------------


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a free-text question (private chat, or a group message that mentions the bot)."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = clean_text(message.text)
    if message.chat.type != Chat.PRIVATE:
        question = strip_mention(question, context.bot.username)
    await send_reply(update, context, await ask_service(update, context, Ask(question)))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start /help /who /when /dept /due /region /subscribe /unsubscribe, by name, to the service."""
    message = update.effective_message
    if message is None or not message.text:
        return
    name = message.text.split(maxsplit=1)[0][1:].partition("@")[0].lower()
    arg = " ".join(context.args or [])
    await send_reply(update, context, await ask_service(update, context, Command(name, arg)))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Point at /help for a command the bot does not know (private chats only)."""
    await send_reply(update, context, get_state(context).service.unknown_command())


# -- buttons ----------------------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any button: the service decides; a notice answers the press, the reply edits or follows the message."""
    query = update.callback_query
    assert query is not None
    reply = await ask_service(update, context, Press(action_of(query.data)))
    if reply is None:
        await query.answer()
        return
    await query.answer(reply.notice)
    message = query.message
    if reply.replace and reply.parts and isinstance(message, Message):
        text = "\n\n".join(render.reply_blocks(reply.parts))
        try:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard(reply.buttons),
                                          link_preview_options=LinkPreviewOptions(is_disabled=True))
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():  # a double tap on the same page is harmless
                raise
    elif reply.drop_votes and isinstance(message, Message):
        await query.edit_message_reply_markup(render.without_feedback(message.reply_markup))
    else:
        await send_reply(update, context, reply)


# -- errors -----------------------------------------------------------------------------------------


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


# -- registration -----------------------------------------------------------------------------------


def register_handlers(app: Application) -> None:
    """Every handler of the bot, in one place; group -1 is the allow-list gate that runs first."""
    app.add_handler(TypeHandler(Update, gate), group=-1)
    new = filters.UpdateType.MESSAGE  # edited messages are not asked again
    app.add_handler(CommandHandler(list(COMMANDS), on_command, filters=new))
    app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND
                                   & (filters.ChatType.PRIVATE | (filters.ChatType.GROUPS & MENTIONS_ME)), on_text))
    app.add_handler(MessageHandler(new & filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    app.add_handler(CallbackQueryHandler(on_button))  # every button, known or not, is answered
    app.add_error_handler(on_error)
