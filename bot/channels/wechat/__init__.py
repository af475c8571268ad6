"""The WeChat Official Account (公众号: 服务号 / 订阅号) channel: `python -m bot wechat` runs its message server.

Job: read and check the [wechat] settings (config.py; a missing secret or a malformed key is one line,
before the index loads), check that WeChat hands out an access token (a wrong secret or a server IP
missing from the account's IP allow-list is said at once), load the same engine the widget uses (the
shipped plans or the set the office published), wire the parts and serve the callback with waitress
until SIGTERM or Ctrl-C; then stop taking messages, let the answers in flight finish and close the stores.

Parts: signing.py, envelope.py, wxml.py, messages.py (the protocol); server.py (the route); bot.py
(answers, per-openid context); split.py; api.py (token, 客服消息, 订阅通知, menu); store.py and
notify.py (政策找人); menu.py (`python -m bot wechat menu`). The AES scheme is bot/channels/wxcrypto.py,
shared with WeCom. Questions go to the shared question log as channel "wechat".
"""
from __future__ import annotations

import logging
import signal
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx
from flask import Flask

from bot.storage import database_target, open_database
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings

from .api import WeChatApi, WeChatApiError
from .bot import PASSIVE_BUDGET, WeChatBot
from .config import WeChatError, WeChatSettings, wechat_settings
from .envelope import Envelope
from .notify import NoticeOptions, Notifier
from .server import create_app
from .signing import Freshness
from .store import WeChatStore

if TYPE_CHECKING:
    from bot.engine.answer import EngineContract

__all__ = ["WeChatApp", "WeChatError", "WeChatSettings", "build_wechat", "run", "wechat_settings"]

logger = logging.getLogger(__name__)

RETENTION_DAYS = 180  # when web.log_retention_days is not declared


class EngineHolder:
    """The engine in use; `reload()` swaps in the newly published set (one assignment, like /admin)."""

    def __init__(self, engine: EngineContract, settings: Settings) -> None:
        self._engine, self._settings = engine, settings
        self._lock = threading.Lock()

    def __call__(self) -> EngineContract:
        return self._engine

    def reload(self) -> None:
        from bot.office.publish import load_engine

        with self._lock:
            self._engine = load_engine(self._settings)
        logger.info("WeChat: now answering from the newly published plan set")


@dataclass
class WeChatApp:
    """Everything `run` starts; `close()` stops it in order (answers in flight finish first)."""

    flask: Flask
    bot: WeChatBot
    api: WeChatApi
    notifier: Notifier
    engine: EngineHolder
    _owned: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.notifier.stop()
        self.bot.close()
        self.api.close()
        for thing in self._owned:
            thing.close()


def build_wechat(settings: Settings, engine: EngineContract, *, client: httpx.Client | None = None,
                 backoff: float = 0.5, budget: float = PASSIVE_BUDGET, reload: bool = True,
                 api: WeChatApi | None = None) -> WeChatApp:
    """The callback app, bot, API client and notifier (not started), on the project database.

    `reload`: load the newly published plan set when the feed announces one (tests of a fixed engine: False)."""
    from bot.channels.web.sessions import make_sessions
    from bot.channels.wxcrypto import WXBizMsgCrypt
    from bot.office.announce import PublicationFeed
    from bot.office.records import records_for

    ws = wechat_settings(settings)
    db = open_database(database_target(settings))  # one connection (pool) for the channel's stores
    log = QuestionLog(db)
    store, feed = WeChatStore(db), PublicationFeed(db)
    if api is None:
        api = WeChatApi(ws.api_base, ws.app_id, ws.app_secret, proxy=ws.proxy or None, client=client, backoff=backoff)
    holder = EngineHolder(engine, settings)
    bot = WeChatBot(holder, api, store, log, make_sessions(log), site_name=settings.text("web.site_name"))
    crypto = WXBizMsgCrypt(ws.token, ws.aes_key, ws.app_id) if ws.aes_key else None
    flask = create_app(Envelope(Freshness(ws.token), crypto), bot, path=ws.path, budget=budget)
    options = NoticeOptions(template=ws.notice_template, keys=ws.notice_keys, link=settings.text("web.public_url"),
                            retention_days=int(settings.get("web.log_retention_days", RETENTION_DAYS)))
    notifier = Notifier(store, feed, api, holder, options,
                        answers=records_for(settings).answers,  # answers.json, or PostgreSQL (bot/office/records.py)
                        on_plans=holder.reload if reload else None)
    return WeChatApp(flask, bot, api, notifier, holder, [log, db])


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # waitress stops accepting; the finally block drains and closes


def run(settings: Settings) -> None:
    """Check the settings and the API, load the engine, serve the callback until SIGTERM / Ctrl-C."""
    import waitress

    from bot.office.publish import load_engine

    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the access token
    ws = wechat_settings(settings)  # fail fast, before the index loads
    api = WeChatApi(ws.api_base, ws.app_id, ws.app_secret, proxy=ws.proxy or None)
    try:
        api.access_token()  # fetched once here and kept: a wrong secret or a missing allow-list entry shows now
    except WeChatApiError as exc:
        api.close()
        raise WeChatError(f"cannot get a WeChat access token from {ws.api_base}: {exc}") from None
    engine = load_engine(settings)  # the shipped plans, or the set the office published in /admin
    app = build_wechat(settings, engine, api=api)
    app.notifier.start()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    mode = "safe mode (encrypted)" if ws.aes_key else "plaintext mode"
    logger.info("WeChat callback on http://%s:%s%s, %s", ws.listen, ws.port, ws.path, mode)
    try:
        waitress.serve(app.flask, host=ws.listen, port=ws.port, threads=8, ident="zwgk-wechat")
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
