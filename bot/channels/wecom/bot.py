"""The WeCom adapter of the staff service: a decrypted message in, answers out through message/send.

Job: `WeComBot.submit(message)` is called by the callback (callback.py) for each new message from an
allowed user and returns at once; a small thread pool then reads the text (commands.py), asks the
staff service (bot/staff/service.py, the same one the Telegram bot uses), renders the reply
(render.py) and sends it to the sender (`touser` = FromUserName) through api.py. So the callback
answers WeCom within its 5 s whatever the engine or the API do, and a failure costs one reply, never
the server: it is logged, and the person is told when possible.

Neighbours: callback.py (HTTP), schedule.py (reminders and digests use `deliver`), __init__.py (wiring).
"""
from __future__ import annotations

import logging
import threading
from collections import OrderedDict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from bot.staff.clean import clean_text
from bot.staff.messages import Page, Reply, Sender, TaskPage
from bot.staff.service import StaffService

from .api import WeComApi, WeComApiError
from .commands import Latest, read_text
from .render import Outgoing, render_reply, render_texts

logger = logging.getLogger(__name__)

CHANNEL = "wecom"
MAX_PAGES_REMEMBERED = 5000
MAX_QUEUED_PER_USER = 20  # messages of one person waiting for an answer; more are dropped (a flood)
SORRY = "抱歉，处理时出错了，请稍后再试。"


@dataclass(frozen=True)
class IncomingMessage:
    """The fields of a decrypted WeCom callback the bot uses."""

    user: str  # FromUserName
    msg_type: str  # text, event, image, …
    content: str = ""
    msg_id: str = ""
    event: str = ""


class WeComBot:
    """Answers WeCom messages in worker threads; `close()` waits for the ones in flight."""

    def __init__(self, service: StaffService, api: WeComApi, *, workers: int = 4) -> None:
        self.service, self.api = service, api
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wecom")
        self._pages: OrderedDict[str, tuple[int, int]] = OrderedDict()  # user -> (listing id, page shown)
        self._queues: dict[str, deque[IncomingMessage]] = {}  # per person, answered in order
        self._greeted: set[str] = set()  # people shown the help on opening the app
        self._lock = threading.Lock()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def submit(self, message: IncomingMessage) -> bool:
        """Answer `message` in the background; returns at once (False: dropped, the person sent too many).

        One person's messages are answered in the order they came ("有用" after the answer it rates),
        different people's in parallel.
        """
        with self._lock:
            queue = self._queues.setdefault(message.user, deque())
            if len(queue) >= MAX_QUEUED_PER_USER:
                logger.warning("WeCom: %s has %d messages waiting; dropping one", message.user, len(queue))
                return False
            queue.append(message)
            if len(queue) > 1:
                return True  # a worker is already answering this person's messages
        self._pool.submit(self._drain, message.user)
        return True

    def _drain(self, user: str) -> None:
        while True:
            with self._lock:
                message = self._queues[user][0]
            self._answer_safely(message)
            with self._lock:
                queue = self._queues[user]
                queue.popleft()
                if not queue:
                    del self._queues[user]
                    return

    def refuse(self, user: str, text: str) -> Future[None]:
        """Tell someone outside the allow-list so, in the background, without asking the service anything."""
        return self._pool.submit(self._deliver_safely, user, render_texts([text]))

    # -- the work ---------------------------------------------------------------------------------

    def _answer_safely(self, message: IncomingMessage) -> None:
        try:
            self.answer(message)
        except WeComApiError as exc:
            logger.warning("WeCom reply to %s not delivered: %s", message.user, exc)
        except Exception:
            logger.exception("WeCom message from %s failed", message.user)
            self._deliver_safely(message.user, render_texts([SORRY]))

    def _deliver_safely(self, user: str, messages: list[Outgoing]) -> None:
        try:
            self.deliver(user, messages)
        except WeComApiError as exc:
            logger.warning("WeCom message to %s not delivered: %s", user, exc)

    def answer(self, message: IncomingMessage) -> None:
        """Read, ask the service, send the reply (synchronously; `submit` runs this in a worker)."""
        sender = Sender(CHANNEL, message.user, message.user)
        if message.msg_type == "event":
            if message.event != "enter_agent" or not self._first_visit(message.user):
                return  # opening the app shows help once per person (per run); other events need no answer
            reply = self.service.help(sender)
        elif message.msg_type != "text":
            self.deliver(message.user, render_texts(["目前只能回答文字消息，请直接输入问题，或发送“帮助”。"]))
            return
        else:
            reply = self.service.handle(sender, read_text(clean_text(message.content), self._latest(message.user)))
        self._remember_page(message.user, reply)
        self.deliver(message.user, render_reply(reply))

    def deliver(self, user: str, messages: list[Outgoing]) -> None:
        """Send each message to one user through message/send (retries are the API client's)."""
        for out in messages:
            self.api.send(user, out.msgtype, out.content)

    # -- what "下一页" and "有用" refer to -------------------------------------------------------

    def _first_visit(self, user: str) -> bool:
        with self._lock:
            if user in self._greeted:
                return False
            if len(self._greeted) < MAX_PAGES_REMEMBERED:
                self._greeted.add(user)
            return True

    def _latest(self, user: str) -> Latest:
        answer = self.service.prefs.last_answer(user)
        with self._lock:
            listing_id, page = self._pages.get(user, (None, 0))
        return Latest(answer.id if answer else None, listing_id, page)

    def _remember_page(self, user: str, reply: Reply) -> None:
        page = next((p.page for p in reply.parts if isinstance(p, TaskPage)), None)
        listing = next((b.action.listing_id for row in reply.buttons for b in row if isinstance(b.action, Page)), None)
        if page is None or listing is None:
            return
        with self._lock:
            self._pages[user] = (listing, page)
            self._pages.move_to_end(user)
            while len(self._pages) > MAX_PAGES_REMEMBERED:
                self._pages.popitem(last=False)
