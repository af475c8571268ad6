"""The WeCom (企业微信) staff app: `python -m bot wecom` runs the callback server of a self-built app.

Job: read and check the [wecom] settings (a missing secret or a malformed key is one line, before the
index loads), wire the parts — crypto.py (callback encryption), callback.py (the Flask route),
bot.py (answers through the staff service), api.py (gettoken, message/send), schedule.py
(reminders and digests) — and serve the callback with waitress until SIGTERM or Ctrl-C, then let the
answers in flight finish and close the stores.

Neighbours: bot/cli.py calls `run(settings)` and prints a `StaffError` as one line; bot/staff/ holds
every staff feature (shared with the Telegram bot in bot/channels/telegram/); bot/storage/question_log.py is the shared
question log (channel "wecom"); WeCom's own tables in the project database are prefixed `wecom_`.
"""
from __future__ import annotations

import logging
import signal
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx
from flask import Flask

from bot.engine.answer import EngineContract
from bot.office.publish import load_engine
from bot.staff.options import StaffError, staff_options
from bot.staff.prefs import Prefs
from bot.staff.service import StaffService
from bot.storage import database_target
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings

from .api import WeComApi, WeComApiError
from .bot import CHANNEL, WeComBot
from .callback import create_callback_app
from .crypto import CryptoError, WeComCrypto
from .schedule import ReminderThread

__all__ = ["WeComApp", "WeComSettings", "build_wecom", "run", "wecom_settings"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WeComSettings:
    """The [wecom] settings, checked."""

    corp_id: str
    agent_id: int
    secret: str
    token: str
    aes_key: str
    api_base: str
    listen: str
    port: int
    path: str
    allowed_users: frozenset[str] = field(default_factory=frozenset)


def _need(settings: Settings, key: str, what: str) -> str:
    value = settings.text(f"wecom.{key}").strip()
    if not value:
        raise StaffError(f"ZWGK_WECOM__{key.upper()} is not set ({what})")
    return value


def wecom_settings(settings: Settings) -> WeComSettings:
    """The [wecom] values, each missing or malformed one a one-line StaffError naming its variable."""
    secret = _need(settings, "secret", "the self-built app's Secret: WeCom admin console → 应用管理 → the app → Secret")
    corp_id = _need(settings, "corp_id", "the 企业ID: WeCom admin console → 我的企业 → 企业信息")
    token = _need(settings, "token", "the Token of the app's 接收消息 → 设置API接收")
    aes_key = _need(settings, "aes_key", "the EncodingAESKey of the app's 接收消息 → 设置API接收")
    try:
        WeComCrypto(token, aes_key, corp_id)
    except CryptoError as exc:
        raise StaffError(f"wecom.aes_key: {exc}") from None
    agent_id = settings.integer("wecom.agent_id")
    if agent_id <= 0:
        raise StaffError("ZWGK_WECOM__AGENT_ID is not set (the app's AgentId: 应用管理 → the app)")
    path = settings.text("wecom.path").strip()
    if not path.startswith("/"):
        raise StaffError(f"wecom.path must start with '/', got {path!r}")
    users = frozenset(u.strip() for u in settings.text("wecom.allowed_users").replace(";", ",").split(",")
                      if u.strip())
    return WeComSettings(corp_id=corp_id, agent_id=agent_id, secret=secret, token=token, aes_key=aes_key,
                         api_base=settings.text("wecom.api_base").strip().rstrip("/"),
                         listen=settings.text("wecom.listen"), port=settings.integer("wecom.port"), path=path,
                         allowed_users=users)


@dataclass
class WeComApp:
    """Everything `run` starts; `close()` stops it in order (answers in flight finish first)."""

    flask: Flask
    bot: WeComBot
    api: WeComApi
    reminders: ReminderThread
    _owned: list[Any] = field(default_factory=list)

    def close(self) -> None:
        self.reminders.stop()
        self.bot.close()
        self.api.close()
        for thing in self._owned:
            thing.close()


def build_wecom(settings: Settings, engine: EngineContract, *, prefs: Prefs | None = None, log: QuestionLog | None = None,
                client: httpx.Client | None = None, backoff: float = 0.5) -> WeComApp:
    """The callback app, bot, API client and reminder thread (not started); stores default to the project database."""
    ws = wecom_settings(settings)
    options = staff_options(settings)
    database = database_target(settings)  # a SQLite path or a postgresql:// URL
    owned: list[Any] = []
    if prefs is None:
        prefs = Prefs(database, prefix="wecom_", key_type="TEXT")
        owned.append(prefs)
    if log is None:
        log = QuestionLog(database)
        owned.append(log)
    api = WeComApi(ws.api_base, ws.corp_id, ws.secret, ws.agent_id, client=client, backoff=backoff)
    bot = WeComBot(StaffService(engine, prefs, log, options, channel=CHANNEL), api)
    flask = create_callback_app(WeComCrypto(ws.token, ws.aes_key, ws.corp_id), bot, path=ws.path,
                                allowed_users=ws.allowed_users, seen_db=log.db)
    return WeComApp(flask, bot, api, ReminderThread(bot), owned)


NOT_TRUSTED_IP = 60020  # gettoken from an IP not among the app's 企业可信IP
TOKEN_RETRY_FIRST, TOKEN_RETRY_MAX = 1.0, 60.0  # seconds between token attempts while the IP is not trusted


def _say(line: str) -> None:
    """Start, stop and token lines go to stderr whatever the log level (the CLI logs warnings only)."""
    print(line, file=sys.stderr, flush=True)


def _first_token(ws: WeComSettings) -> bool:
    """Check the credentials before the index loads: False when only the IP is not trusted yet (60020).

    WeCom lets an admin add the trusted IP only after the callback URL is verified, which needs this
    server running: so 60020 is no reason to stop. Any other refusal (a wrong secret) is one line."""
    probe = WeComApi(ws.api_base, ws.corp_id, ws.secret, ws.agent_id, attempts=2)
    try:
        probe.access_token()
        return True
    except WeComApiError as exc:
        if exc.errcode == NOT_TRUSTED_IP:
            return False
        raise StaffError(f"cannot get a WeCom access token from {ws.api_base} ({exc.errcode}: {exc.errmsg[:160]}); "
                         "check wecom.corp_id and ZWGK_WECOM__SECRET, and that this server's public IP is "
                         "among the app's trusted IPs (企业可信IP)") from None
    finally:
        probe.close()


def _retry_token(api: WeComApi, stop: threading.Event) -> None:
    """Ask for the token again (1 s, 2 s, 4 s … at most a minute apart) until WeCom trusts this IP."""
    wait = TOKEN_RETRY_FIRST
    while not stop.wait(wait):
        try:
            api.access_token()
        except WeComApiError as exc:
            logger.info("WeCom token still refused (%s); retrying in %.0f s", exc.errcode, wait)
            wait = min(TOKEN_RETRY_MAX, wait * 2)
            continue
        _say("WeCom access token obtained: replies are sent from now on")
        return


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # waitress stops accepting; the finally block drains and closes


def run(settings: Settings) -> None:
    """Check the settings and the API, load the engine, serve the callback until SIGTERM / Ctrl-C."""
    import waitress

    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ws = wecom_settings(settings)  # fail fast, before the index loads
    trusted = _first_token(ws)
    engine = load_engine(settings)  # the shipped plans, or the set the office published in /admin
    engine.warm_up()
    app = build_wecom(settings, engine)
    app.reminders.start()
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    stop = threading.Event()
    _say(f"WeCom app is running — callback on http://{ws.listen}:{ws.port}{ws.path} (agent {ws.agent_id}); "
         "Ctrl+C or SIGTERM stops")
    if not trusted:
        _say(f"WeCom refuses the access token from this server's IP (errcode {NOT_TRUSTED_IP}): add it to the app's "
             "trusted IPs (企业可信IP) once the callback URL is verified; serving the callback and retrying the token")
        threading.Thread(target=_retry_token, args=(app.api, stop), name="wecom-token", daemon=True).start()
    try:
        waitress.serve(app.flask, host=ws.listen, port=ws.port, threads=8, ident="zwgk-wecom")
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        app.close()
        _say("WeCom app stopped: answers in flight were finished")
