"""The Telegram staff bot (python-telegram-bot v22): `build_application(settings, engine)` and `run(settings)`.

Job: wire the PTB `Application` (token, Bot API base URL, proxy), the typed state, the handlers
(handlers.register_handlers), the named reminder jobs (reminders.schedule_jobs) and the command menu
(setMyCommands in post_init); `run` loads the engine and runs long polling, or a webhook when
telegram.webhook_url is set (deployments behind the web server).

Before the index loads, `run` asks the Bot API once (getMe), so an unreachable API or a refused token
is one line naming the settings to fix (TELEGRAM_PROXY, TELEGRAM_API_BASE), not a retry traceback.

Neighbours: the click CLI (`python -m bot telegram`, bot/cli.py) calls `run(settings)` and prints a
`StaffBotError` as one line; the staff service (bot/staff/) does the work, the engine answers;
bot/storage/question_log.py (`QuestionLog`) is the question/feedback log shared with the web and WeCom; bot/staff/prefs.py
keeps subscriptions and preferences in the same database (`web.database`: SQLite file or PostgreSQL).
"""
from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import logging
from urllib.parse import urlsplit

from telegram import Bot, BotCommand, Update
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.engine.answer import EngineContract
from bot.office.publish import load_engine
from bot.staff.prefs import Prefs
from bot.storage import database_target
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings

from .handlers import register_handlers
from .reminders import schedule_jobs
from .render import COMMANDS
from .state import STATE_KEY, StaffBotError, StaffBotState, parse_settings

__all__ = ["StaffBotError", "StaffBotState", "build_application", "run"]

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.telegram.org/bot"
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]  # all the bot reacts to; less traffic


def bot_token(settings: Settings) -> str:
    """The token from TELEGRAM_BOT_TOKEN or telegram.token; a clear StaffBotError when there is none."""
    token = settings.text("telegram.token").strip()
    if not token:
        raise StaffBotError("TELEGRAM_BOT_TOKEN is not set (create a bot with @BotFather, then "
                            "export TELEGRAM_BOT_TOKEN=123456:ABC…)")
    return token


def _file_url(api_base: str) -> str | None:
    """The file URL matching a Bot API base ("…/bot" -> "…/file/bot"), as a local Bot API server expects."""
    return api_base[: -len("/bot")] + "/file/bot" if api_base.endswith("/bot") else None


async def _post_init(application: Application) -> None:
    """Publish the command menu (setMyCommands); a failure only costs the menu, so it is logged, not raised."""
    try:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:
        logger.warning("setMyCommands failed: %s", exc)


async def _post_shutdown(application: Application) -> None:
    """Close the SQLite connections once the bot has stopped."""
    state = application.bot_data.get(STATE_KEY)
    if isinstance(state, StaffBotState):
        state.close()


def build_application(settings: Settings, engine: EngineContract, *, prefs: Prefs | None = None,
                      log: QuestionLog | None = None) -> Application:
    """The configured Application: handlers registered, jobs scheduled, state in bot_data["staffbot"].

    `prefs` and `log` default to the project database (`web.database`, bot.storage.database_target); pass your own to
    share them (they are then not closed on shutdown).
    """
    token = bot_token(settings)
    options = parse_settings(settings)
    api_base = settings.text("telegram.api_base").strip() or DEFAULT_API_BASE
    builder = (Application.builder().token(token).base_url(api_base)
               .post_init(_post_init).post_shutdown(_post_shutdown))
    if file_url := _file_url(api_base):
        builder = builder.base_file_url(file_url)
    if proxy := settings.text("telegram.proxy").strip():
        builder = builder.proxy(proxy).get_updates_proxy(proxy)
    application = builder.build()
    database = database_target(settings)  # a SQLite path or a postgresql:// URL
    owns_prefs, owns_log = prefs is None, log is None
    prefs = prefs or Prefs(database)
    try:
        log = log or QuestionLog(database)
    except BaseException:
        if owns_prefs:
            prefs.close()
        raise
    state = StaffBotState(engine=engine, prefs=prefs, log=log, settings=settings, owns_prefs=owns_prefs,
                          owns_log=owns_log, **options)  # type: ignore[arg-type]
    application.bot_data[STATE_KEY] = state
    register_handlers(application)
    if application.job_queue is None:  # only without the [job-queue] extra, which pyproject pins
        raise StaffBotError("reminders need python-telegram-bot[job-queue] (APScheduler)")
    schedule_jobs(application.job_queue, state)
    return application


async def _get_me(bot: Bot) -> None:
    async with bot:  # initialize (getMe) and shut the client down again
        pass


def check_reachable(settings: Settings, token: str) -> None:
    """One getMe before anything else, so an unreachable or refusing Bot API is one line, not a traceback.

    Telegram is blocked in some networks (mainland China): the operator needs to be told which setting
    gives the bot a way out, not PTB's retry-loop traceback.
    """
    api_base = settings.text("telegram.api_base").strip() or DEFAULT_API_BASE
    proxy = settings.text("telegram.proxy").strip() or None
    bot = Bot(token, base_url=api_base, request=HTTPXRequest(proxy=proxy, connect_timeout=10.0))
    try:
        asyncio.run(_get_me(bot))
    except InvalidToken:
        raise StaffBotError(f"the Bot API at {api_base} refused TELEGRAM_BOT_TOKEN; check the token from @BotFather") from None
    except NetworkError as exc:  # TimedOut and connection failures; BadRequest too (a wrong base URL)
        reason = " ".join(str(exc).split())[:200]
        raise StaffBotError(
            f"cannot reach the Telegram Bot API at {api_base} ({reason}); where Telegram is blocked set "
            "TELEGRAM_PROXY (e.g. http://proxy.local:3128) or TELEGRAM_API_BASE (a Bot API server you can reach), "
            "or use the WeCom app (python -m bot wecom)") from None


class OneLineNetworkErrors(logging.Filter):
    """Log PTB's network failures (polling while the network is down) as one line, not a traceback each.

    A lost connection is an operating condition, not a bug: PTB retries with backoff, and the operator
    needs the reason, not 40 lines of httpx internals every few seconds.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, NetworkError) and not isinstance(exc, BadRequest):
            record.msg, record.args = f"{record.getMessage()} ({exc})", ()
            record.exc_info, record.exc_text = None, None
        return True


NETWORK_LOGGERS = ("telegram.ext", "telegram.ext.Updater", "telegram.ext.Application")


def quiet_network_tracebacks() -> None:
    """Install OneLineNetworkErrors on the PTB loggers that report polling failures (once)."""
    for name in NETWORK_LOGGERS:
        logger_ = logging.getLogger(name)
        if not any(isinstance(f, OneLineNetworkErrors) for f in logger_.filters):
            logger_.addFilter(OneLineNetworkErrors())


def _webhook_secret(token: str) -> str:
    """A stable secret_token derived from the bot token, so only Telegram's calls are accepted."""
    return hashlib.sha256(f"zwgk-webhook:{token}".encode()).hexdigest()[:48]


def run(settings: Settings) -> None:
    """Load the engine and run the bot until interrupted: long polling, or a webhook if telegram.webhook_url is set."""
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per getUpdates otherwise
    quiet_network_tracebacks()
    token = bot_token(settings)  # fail fast, before the index loads
    webhook_url = settings.text("telegram.webhook_url").strip()
    if webhook_url:
        if urlsplit(webhook_url).scheme != "https":
            raise StaffBotError(f"telegram.webhook_url must be an https:// URL (Telegram requires it), got {webhook_url!r}")
        if importlib.util.find_spec("tornado") is None:
            raise StaffBotError("webhook mode needs python-telegram-bot[webhooks] (tornado); "
                                "install it or leave telegram.webhook_url empty for long polling")
    check_reachable(settings, token)  # before the index loads: fail fast, in one line
    engine = load_engine(settings)  # the shipped plans, or the set the office published in /admin
    engine.warm_up()  # load the word-segmentation dictionary now, not on the first staff member's question
    application = build_application(settings, engine)
    if webhook_url:
        logger.info("staff bot: webhook %s, listening on %s:%s", webhook_url,
                    settings["telegram.webhook_listen"], settings["telegram.webhook_port"])
        application.run_webhook(
            listen=settings.text("telegram.webhook_listen"), port=settings.integer("telegram.webhook_port"),
            url_path=urlsplit(webhook_url).path.lstrip("/"), webhook_url=webhook_url,
            secret_token=_webhook_secret(token), allowed_updates=ALLOWED_UPDATES)
    else:
        logger.info("staff bot: long polling")
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
