"""政策找人: tell citizens when something newly published touches a topic they subscribed to.

Job: `Notifier.poll()` reads what is new since its last look — plan publications from the office's
feed (bot/office/announce.py, written by the publish hook) and official answers (答复口径) added to
the answers file — and matches each against every subscribed topic (the topic itself plus the words
the engine reads it as: "老人" also finds "养老"). Each person hears once per publication and topic
(store.py keeps the record, keyed by what was published, so a plan recorded by several web workers
is told once), with the first matching clause and its citation:

  * through a 订阅通知 (`message/subscribe/bizsend`) when wechat.notice_template is set and the
    person has not refused it — the template's keys (wechat.notice_keys) get the topic, the clause,
    the citation and the time, cut to WeChat's lengths, and the notice links to the clause on the web
    (web.public_url/browse/entry/<id>) when the site is public;
  * otherwise, or when WeChat refuses (43101: not subscribed, one-time notice used up), the full
    text waits in the database and rides along with the reply to the person's next message.

A background thread polls every POLL_SECONDS and purges people idle longer than the retention;
`on_plans` lets the server load the new plan set before the next question. The first look only marks
where the feed stands: history is never announced. Neighbours: store.py, api.py, bot.py.
"""
from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from bot.office.announce import Item, PublicationFeed
from bot.official.store import AnswerStore

from .api import WeChatApi, WeChatApiError
from .store import WeChatStore

if TYPE_CHECKING:
    from bot.engine.answer import EngineContract

logger = logging.getLogger(__name__)

POLL_SECONDS = 5.0
PURGE_SECONDS = 6 * 3600.0
EXCERPT_CHARS = 300
LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10, "number": 32}


@dataclass(frozen=True)
class NoticeOptions:
    template: str = ""  # 订阅通知 template id; "" = notices wait for the next message
    keys: tuple[str, ...] = ("thing1", "thing2", "thing3", "time4")  # topic, clause, citation, time
    link: str = ""  # web.public_url, for the notice's page
    retention_days: int = 180


def topic_terms(engine: EngineContract, topic: str) -> set[str]:
    """The topic and the plan words the engine reads it as (synonyms, colloquial forms)."""
    understand = getattr(engine, "understand", None)  # the real engine's read stage; not in the contract
    try:
        query = understand(topic) if understand is not None else None
    except Exception:  # an engine that cannot read (a test fake): the topic as written
        query = None
    if query is None:
        return {topic}
    return {topic} | {t for t in (*query.topic, *query.expansions) if len(t) >= 2}


def trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def template_value(key: str, value: str) -> str:
    kind = key.rstrip("0123456789")
    if kind in ("time", "date"):
        return datetime.now().strftime("%Y年%m月%d日 %H:%M")
    return trim(value, LIMITS.get(kind, 20))


def notice_text(topic: str, matched: Sequence[Item], what: str) -> str:
    first = matched[0]
    lines = [f"【政策找人】您订阅的“{topic}”有{what}：", f"“{trim(first.text, EXCERPT_CHARS)}”", f"出处：{first.citation}"]
    if len(matched) > 1:
        lines.append(f"另有 {len(matched) - 1} 条相关内容，可直接提问查看。")
    lines.append(f"（退订请发送“退订 {topic}”）")
    return "\n".join(lines)


class Notifier:
    def __init__(self, store: WeChatStore, feed: PublicationFeed, api: WeChatApi, engine: Callable[[], EngineContract],
                 options: NoticeOptions, *, answers: AnswerStore | None = None,
                 on_plans: Callable[[], None] | None = None) -> None:
        self.store, self.feed, self.api, self.engine, self.options = store, feed, api, engine, options
        self.answers, self.on_plans = answers, on_plans
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        if self.store.state("feed_cursor") is None:
            self.store.set_state("feed_cursor", str(self.feed.latest()))
        if self.answers is not None and self.store.state("answers_seen") is None:
            self.store.set_state("answers_seen", json.dumps(sorted(r.id for r in self.answers.all())))

    # -- one look -------------------------------------------------------------------------------------------

    def poll(self) -> int:
        """Announce what was published since the last look; returns the notices given."""
        with self._lock:
            given = 0
            publications = self.feed.since(int(self.store.state("feed_cursor") or 0))
            if any(p.kind == "plan" for p in publications) and self.on_plans is not None:
                self.on_plans()  # answer from the new set before anyone reads the notice and asks
            for pub in publications:  # keyed by what was published: a plan recorded by several workers is told once
                given += self._announce(f"{pub.kind}:{pub.ref}", pub.items, "新发布的政务公开工作要点条款")
                self.store.set_state("feed_cursor", str(pub.id))
            if self.answers is not None:
                seen = set(json.loads(self.store.state("answers_seen") or "[]"))
                for record in self.answers.all():
                    if record.id in seen:
                        continue
                    item = Item(key=f"answer:{record.id}", text=f"{record.question}\n{record.answer}",
                                citation=f"本机关答复口径（{record.source or '本机关'}，{record.date}）",
                                heading=record.question, region=record.region)
                    given += self._announce(f"answer:{record.id}", (item,), "新发布的答复口径")
                    seen.add(record.id)
                    self.store.set_state("answers_seen", json.dumps(sorted(seen)))
            return given

    def _announce(self, tag: str, items: Sequence[Item], what: str) -> int:
        given = 0
        subscriptions = self.store.all_subscriptions()
        engine = self.engine() if subscriptions else None
        for topic, openids in subscriptions.items():
            assert engine is not None
            terms = topic_terms(engine, topic)
            matched = [i for i in items if any(t in i.text or t in i.heading for t in terms)]
            for openid in openids if matched else ():
                if self.store.first_notice(openid, f"{tag}:{topic}"):
                    self._deliver(openid, topic, matched, what)
                    given += 1
        return given

    def _deliver(self, openid: str, topic: str, matched: Sequence[Item], what: str) -> None:
        first, options = matched[0], self.options
        if options.template and self.store.notices(openid) != "reject":
            values = (topic, first.heading or first.text, first.citation, "")
            data = {key: template_value(key, value) for key, value in zip(options.keys, values, strict=False)}
            page = f"{options.link.rstrip('/')}/browse/entry/{quote(first.key)}" if options.link and \
                not first.key.startswith("answer:") else ""
            try:
                self.api.send_notice(openid, options.template, data, page=page)
                return
            except WeChatApiError as exc:
                logger.info("订阅通知 not sent (%s); the notice waits for the person's next message", exc.errcode)
        self.store.add_pending(openid, notice_text(topic, matched, what))

    # -- the thread ----------------------------------------------------------------------------------------

    def start(self, interval: float = POLL_SECONDS) -> None:
        def loop() -> None:
            purge_due = 0.0
            while not self._stop.wait(interval):
                try:
                    self.poll()
                    purge_due -= interval
                    if purge_due <= 0:
                        purge_due = PURGE_SECONDS
                        self.store.purge(self.options.retention_days)
                except Exception:
                    logger.exception("政策找人 notices failed; trying again in %.0f s", interval)

        self._thread = threading.Thread(target=loop, name="wechat-notices", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
