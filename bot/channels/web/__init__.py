"""The web adapter: a Flask app serving the JSON API, the embeddable widget, the kiosk and the admin.

`create_app(settings, engine)` builds it; one blueprint per area: api.py (/api/*, /healthz),
pages.py (demo page `/` and `/widget.js`), kiosk.py (/kiosk), browse.py (/browse), admin.py (/admin door
and statistics), admin_pages.py (plans, official answers, curation), admin_api.py (/admin/api/*). serve.py runs it
under waitress for `python -m bot serve`. The engine (bot/engine/coordinator.py) is loaded once here and reached
from views through `get_engine()`; the question log is bot/storage/question_log.py, shared with the staff bot.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from flask import Flask, current_app

from bot.channels.web import admin_auth, errors, security
from bot.channels.web.answer_ids import AnswerIds
from bot.channels.web.cache import AnswerCache
from bot.channels.web.office_actions import Office, attach_official
from bot.channels.web.ratelimit import Limiter, make_limiter
from bot.channels.web.sessions import SessionStore, make_sessions
from bot.storage import database_target
from bot.storage.question_log import QuestionLog
from bot.storage.retention import Retention
from indexer.settings import Settings, load_settings

if TYPE_CHECKING:
    from werkzeug.local import LocalProxy

    from bot.engine.answer import EngineContract

log = logging.getLogger("bot.channels.web")

# Largest request body read at all: a 500-character question JSON-escaped is ~3 KB, a feedback comment
# a few more. Anything bigger is refused with 413 before the body is parsed.
MIN_BODY_BYTES = 16 * 1024


@dataclass
class WebState:
    """What the views share besides the engine: settings, the log, follow-up contexts, the limiter."""

    settings: Settings
    store: QuestionLog
    sessions: SessionStore
    limiter: Limiter
    answers: AnswerCache
    answer_ids: AnswerIds


def create_app(settings: Settings | None = None, engine: EngineContract | None = None) -> Flask:
    """Build the app. Without `engine`, `Engine.load(settings)` runs once here (index load or build)."""
    settings = settings if settings is not None else load_settings()
    admin_auth.check_settings(settings)  # a weak admin token or a bad password hash stops start-up
    office = Office.build(settings)
    if engine is None:  # the shipped plans, or the set the office published in /admin (bot/office/)
        engine = office.publisher.build()

    app = Flask(__name__)
    app.config.update(
        MAX_CONTENT_LENGTH=max(MIN_BODY_BYTES, settings.integer("web.max_question_chars") * 8 + 4096),
        SEND_FILE_MAX_AGE_DEFAULT=600,
    )
    # Chinese as UTF-8 rather than \uXXXX escapes (a third of the bytes), keys in to_dict() order.
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.extensions["office"] = office
    app.extensions["engine"] = attach_official(engine, office.official)
    target = database_target(settings)  # rows past the queue spill beside the SQLite file, else in the var folder
    store = QuestionLog(target, spill_dir=None if isinstance(target, Path) else settings.path("office.dir").parent)
    app.extensions["zwgk"] = WebState(
        settings=settings,
        store=store,
        sessions=make_sessions(store),
        limiter=make_limiter(store, settings.integer("web.rate_limit")),
        answers=AnswerCache(settings.integer("web.answer_cache"), stamp=office.official.stamp),
        answer_ids=AnswerIds(store.secret("answer_key").encode()),
    )
    office.door.ledger.attach(store.db, store.secret("salt").encode())  # logouts and login failures, shared
    office.throttle.share(office.door.ledger)
    office.people.attach(store.db)  # the office's people and roles (bot/office/people.py)
    # web.log_retention_days: the daily purge of old questions and feedback (bot/storage/retention.py)
    app.extensions["retention"] = Retention(store, settings.integer("web.log_retention_days")).start()

    proxies = settings.integer("web.trusted_proxies")
    if proxies > 0:  # behind nginx: take the client address (for rate limiting) from X-Forwarded-For
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]

    @app.before_request
    def _follow_published_knowledge() -> None:  # other workers' publications (bot/channels/web/knowledge_watch.py)
        office_now = current_app.extensions["office"]
        office_now.watch.check(get_app(), office_now)

    security.install(app, security.Cors(settings["web.cors_origins"]))
    errors.install(app)

    from bot.channels.web.admin import bp as admin_bp
    from bot.channels.web.admin_api import bp as admin_api_bp
    from bot.channels.web.admin_curation import bp as admin_curation_bp
    from bot.channels.web.admin_pages import bp as admin_pages_bp
    from bot.channels.web.admin_people import api as admin_people_api_bp
    from bot.channels.web.admin_people import pages as admin_people_bp
    from bot.channels.web.admin_stats import bp as admin_stats_bp
    from bot.channels.web.api import bp as api_bp
    from bot.channels.web.browse import bp as browse_bp
    from bot.channels.web.kiosk import bp as kiosk_bp
    from bot.channels.web.metrics import bp as metrics_bp
    from bot.channels.web.pages import bp as pages_bp

    for bp in (api_bp, pages_bp, kiosk_bp, browse_bp, admin_bp, admin_api_bp, admin_pages_bp,
               admin_curation_bp, admin_people_bp, admin_people_api_bp, admin_stats_bp, metrics_bp):
        app.register_blueprint(bp)
    return app


def close_app(app: Flask, timeout: float = 10.0) -> int:
    """Release what create_app opened: drain the question log (waiting at most `timeout` s), close it.

    Returns the number of logged rows that could not be written in time (0 normally)."""
    retention = app.extensions.get("retention")
    if retention is not None:
        retention.stop()
    state = app.extensions.get("zwgk")
    return state.store.close(timeout) if state is not None else 0


def get_engine() -> EngineContract:
    """The engine of the current app (loaded once in create_app)."""
    return current_app.extensions["engine"]


def get_state() -> WebState:
    return current_app.extensions["zwgk"]


def get_app() -> Flask:
    """The current app itself, not Flask's proxy to it: for work that outlives the request (engine swaps)."""
    return cast("LocalProxy[Flask]", current_app)._get_current_object()
