"""The 公众号 adapter of the engine: a citizen's message in, the engine's answer out within WeChat's 5 s.

Job: `WeChatBot.submit(message)` is called by the callback (server.py) for each new message and
returns a `Ticket` at once; one person's messages are answered in order (ordering.py). A question
goes to the same engine the widget uses, with the person's `Context` kept per openid exactly as the
web API keeps it per session (bot/channels/web/sessions.py: in memory, or shared through PostgreSQL),
so follow-ups ("那完成时限呢？") read the same way. The reply is cut to WeChat's limits (split.py);
a one-part reply ready within PASSIVE_BUDGET goes back as the passive reply of the same request (no
API permission needed, works for 订阅号), anything else is acknowledged with "success" and sent as
客服消息 (api.py). Notices waiting for the person (政策找人, notify.py) ride along with the reply.

Neighbours: server.py (HTTP), commands.py and replies.py (what it says), store.py (subscriptions),
bot/storage/question_log.py (every question, channel "wechat", openid pseudonymised).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.storage.question_log import QuestionLog

from . import replies
from .api import WeChatApi, WeChatApiError
from .commands import Command, read_command
from .messages import Incoming
from .ordering import KeyedSerial
from .split import MAX_PARTS, split_text
from .store import WeChatStore

if TYPE_CHECKING:
    from bot.channels.web.sessions import SessionStore
    from bot.engine.answer import EngineContract

logger = logging.getLogger(__name__)

CHANNEL = "wechat"
PASSIVE_BUDGET = 4.0  # seconds the callback waits for a passive reply; WeChat gives up at 5
ASK_PREFIX = "ASK:"  # a menu button whose key asks a question ("ASK:区民政局有哪些公开任务")
NO_PERMISSION = 48001  # "api unauthorized": an unverified 订阅号 has no 客服消息


@dataclass
class Ticket:
    """One message's reply: handed to the waiting request (passive) or, once it gave up, sent by API."""

    _ready: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _parts: list[str] | None = None
    _abandoned: bool = False

    def offer(self, parts: list[str]) -> bool:
        """Hand `parts` to the waiting request; False when it has already answered "success"."""
        with self._lock:
            if self._abandoned:
                return False
            self._parts = parts
            self._ready.set()
            return True

    def claim(self, timeout: float) -> list[str]:
        """The passive reply's parts, or [] (answer "success"; the worker sends by API if need be)."""
        self._ready.wait(timeout)
        with self._lock:
            if self._parts is None:
                self._abandoned = True
            return self._parts or []


class WeChatBot:
    """Answers 公众号 messages on worker threads; `close()` waits for the ones in flight."""

    def __init__(self, engine: Callable[[], EngineContract], api: WeChatApi, store: WeChatStore, log: QuestionLog,
                 sessions: SessionStore, *, site_name: str = "政务公开问答", workers: int = 4) -> None:
        self.engine, self.api, self.store, self.log, self.sessions = engine, api, store, log, sessions
        self.site_name = site_name
        self.passive_only = False  # set once WeChat says 客服消息 is not allowed: replies are cut to one part
        self._serial = KeyedSerial(workers)

    def close(self) -> None:
        self._serial.close()

    def submit(self, message: Incoming) -> Ticket:
        ticket = Ticket()
        if not self._serial.submit(message.openid, lambda: self._handle(message, ticket)):
            logger.warning("WeChat: too many messages waiting from one person; one dropped")
            ticket.offer(split_text(replies.TOO_MANY))
        return ticket

    def _handle(self, message: Incoming, ticket: Ticket) -> None:
        try:
            parts = split_text(self.reply_to(message), max_parts=1 if self.passive_only else MAX_PARTS)
        except Exception:
            logger.exception("WeChat message of kind %s failed", message.kind)
            parts = [replies.SORRY]
        if len(parts) == 1 and ticket.offer(parts):
            return  # goes back as the passive reply
        ticket.offer([])  # the request answers "success" now, if it is still waiting
        for part in parts:
            try:
                self.api.send_text(message.openid, part)
            except WeChatApiError as exc:
                logger.warning("WeChat reply not delivered: %s", exc)
                if exc.errcode == NO_PERMISSION and not self.passive_only:
                    self.passive_only = True
                    logger.warning("this account may not send 客服消息: from now on a long answer is cut to "
                                   "what one passive reply holds (docs/wechat.md)")
                return

    # -- what to say ------------------------------------------------------------------------------------

    def reply_to(self, message: Incoming) -> str:
        """The whole reply to one message ('' for none), notices waiting for the person appended."""
        openid = message.openid
        if message.kind == "event":
            text = self._event(message)
            if message.event != "click":
                return text
        elif message.is_question:
            command = read_command(message.text)
            text = self._command(openid, command) if command else self.ask(openid, message.text)
        else:
            text = replies.OTHER_KIND
        self.store.seen(openid)
        waiting = self.store.take_pending(openid)
        return "\n\n".join([text, *waiting]) if text else "\n\n".join(waiting)

    def ask(self, openid: str, question: str) -> str:
        """The engine's answer, read in the light of this person's previous turn."""
        started = time.perf_counter()
        answer = self.engine().answer(question, context=self.sessions.get(openid))
        self.sessions.put(openid, answer.context)
        try:
            self.log.log_question(question, intent=str(answer.intent), answered=answer.answered,
                                  entry_id=answer.results[0].entry.id if answer.results else None,
                                  latency_ms=(time.perf_counter() - started) * 1000, session=openid,
                                  channel=CHANNEL, region=answer.region, reply=answer.reply)
        except Exception:  # the answer matters more than its statistics
            logger.exception("could not log a WeChat question")
        return answer.reply

    def _command(self, openid: str, command: Command) -> str:
        if command.action == "list":
            return replies.my_subscriptions(self.store.topics(openid))
        if command.action == "unsubscribe":
            return replies.unsubscribed(command.topic, self.store.unsubscribe(openid, command.topic or None))
        if not command.topic:
            return replies.subscribe_usage()
        return replies.subscribed(command.topic, self.store.subscribe(openid, command.topic))

    def _event(self, message: Incoming) -> str:
        openid, event = message.openid, message.event
        if event == "subscribe":
            return replies.welcome(self.engine().featured(), self.site_name)
        if event == "unsubscribe":
            self.store.forget(openid)
            self.sessions.drop(openid)
            return ""
        if event in ("subscribe_msg_popup_event", "subscribe_msg_change_event"):
            if message.accepted or message.rejected:
                self.store.set_notices(openid, "accept" if message.accepted else "reject")
            return ""
        if event != "click":
            return ""  # VIEW, LOCATION, TEMPLATESENDJOBFINISH, …: nothing to say
        key = message.event_key
        if key.startswith(ASK_PREFIX) and key[len(ASK_PREFIX):].strip():
            return self.ask(openid, key[len(ASK_PREFIX):].strip())
        if key == "MY_SUBSCRIPTIONS":
            return replies.my_subscriptions(self.store.topics(openid))
        return replies.faq(self.engine().featured())
