"""The JSON API the widget, the kiosk and other sites call: /api/ask, suggest, faq, feedback, entries, /healthz.

`POST /api/ask` returns `Answer.to_dict()` (the object `python -m bot ask --json` prints) plus `answer_id`,
which `POST /api/feedback` must send back (bot/channels/web/answer_ids.py).
Follow-ups: the client's session id keys a server-side Context (bot/channels/web/sessions.py). Every question is
logged to bot/storage/question_log.py. Errors are JSON with a message saying what is wrong (bot/channels/web/errors.py).
"""
from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.wrappers import Response as WerkzeugResponse

from bot.channels.web import get_engine, get_state
from bot.channels.web.answer_ids import MAX_CHARS as MAX_ANSWER_ID_CHARS
from bot.channels.web.cache import CachedAnswer
from bot.channels.web.errors import ApiError, json_error
from bot.storage.clean import find_surrogate
from bot.storage.question_log import LogUnavailable

log = logging.getLogger("bot.channels.web")

bp = Blueprint("api", __name__)

SESSION_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")
MAX_REGION_CHARS = 40
MAX_ENTRY_ID_CHARS = 200
MAX_COMMENT_CHARS = 1000
MAX_SUGGESTIONS = 20
CHANNELS = frozenset({"web", "kiosk"})
ENTRY_CACHE_CONTROL = "no-cache"  # /api/entries/<id>: stored, but revalidated (ETag) before each reuse


# -- request parsing ------------------------------------------------------------------------------

def _json_object() -> dict[str, Any]:
    """The request body as a JSON object, or an ApiError saying why not (415 / 413 / 400)."""
    if request.mimetype != "application/json":
        got = request.mimetype or "none"
        raise ApiError(415, f"Content-Type must be application/json (got {got})")
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise ApiError(413, f"request body too large ({request.content_length} bytes; at most {limit})")
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise ApiError(400, "request body is not valid JSON (nested too deeply)") from None
    if data is None:
        raise ApiError(400, "request body is not valid JSON")
    if not isinstance(data, dict):
        raise ApiError(400, "request body must be a JSON object")
    bad = find_surrogate(data)
    if bad:
        raise ApiError(400, f"{bad} is not valid text (it contains a lone UTF-16 surrogate such as \\ud800)")
    return data


def _question(data: dict[str, Any], field: str = "question") -> str:
    if field not in data or data[field] is None:
        raise ApiError(400, f"missing field: {field}")
    value = data[field]
    if not isinstance(value, str):
        raise ApiError(400, f"{field} must be a string")
    value = value.strip()
    if not value:
        raise ApiError(400, f"{field} is empty")
    limit = int(get_state().settings["web.max_question_chars"])
    if len(value) > limit:
        raise ApiError(413, f"{field} is too long ({len(value)} characters; at most {limit})")
    return value


def _optional_str(data: dict[str, Any], field: str, limit: int) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(400, f"{field} must be a string")
    value = value.strip()
    if len(value) > limit:
        raise ApiError(400, f"{field} is too long (at most {limit} characters)")
    return value or None


def _session(data: dict[str, Any]) -> str | None:
    value = data.get("session")
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not SESSION_RE.match(value):
        raise ApiError(400, "session must be a string of 1-100 letters, digits, '-', '_', '.' or ':'")
    return value


def _channel(data: dict[str, Any]) -> str:
    """"kiosk" when the kiosk says so; anything else (missing, unknown, not a string) counts as "web"."""
    value = data.get("channel")
    return value if isinstance(value, str) and value in CHANNELS else "web"


def _client_key() -> str:
    # The socket peer as seen by waitress (set web.threads / a trusted proxy there if behind one).
    return request.remote_addr or "unknown"


def _rate_limit() -> None:
    wait = get_state().limiter.hit(_client_key())
    if wait:
        raise ApiError(429, f"too many questions; try again in {wait} seconds", {"Retry-After": str(wait)})


# -- routes ---------------------------------------------------------------------------------------

@bp.post("/api/ask")
def ask() -> Response:
    _rate_limit()
    data = _json_object()
    question = _question(data)
    region = _optional_str(data, "region", MAX_REGION_CHARS)
    session = _session(data)
    channel = _channel(data)

    state = get_state()
    context = state.sessions.get(session)
    started = time.perf_counter()
    key = state.answers.key(question, region, context)
    done = state.answers.get(key)
    if done is None:
        try:
            answer = get_engine().answer(question, region=region, context=context)
            body = current_app.json.dumps(answer.to_dict(), separators=(",", ":")).encode("utf-8") + b"\n"
        except Exception:
            log.exception("engine failed on question %r", question[:200])
            return json_error(500, "internal error")
        done = CachedAnswer(body=body, context=answer.context.to_dict(), intent=str(answer.intent),
                            answered=answer.answered, entry_id=answer.results[0].entry.id if answer.results else None,
                            region=answer.region, reply=answer.reply)
        state.answers.put(key, done)
    answer_id = state.answer_ids.issue(done.entry_id)
    latency_ms = (time.perf_counter() - started) * 1000.0

    if session:
        state.sessions.put(session, done.fresh_context())
    try:
        state.store.log_question(question, intent=done.intent, answered=done.answered, entry_id=done.entry_id,
                                 latency_ms=latency_ms, session=session, channel=channel, region=done.region or region,
                                 answer_id=answer_id, reply=done.reply)
    except Exception:  # the answer matters more than its statistics
        log.exception("could not log question")
    return Response(_with_answer_id(done.body, answer_id), mimetype="application/json")


def _with_answer_id(body: bytes, answer_id: str) -> bytes:
    """The cached `Answer.to_dict()` JSON (`{…}\\n`) with `"answer_id"` added as its last field."""
    return body.rstrip()[:-1] + b',"answer_id":"' + answer_id.encode("ascii") + b'"}\n'


def _answer_id(data: dict[str, Any], entry_id: str | None) -> str:
    """The `answer_id` of a feedback body, checked: an id this server gave for this entry (else 4xx)."""
    value = data.get("answer_id")
    if value is None or value == "":
        raise ApiError(400, "missing field: answer_id (send the answer_id of the /api/ask reply being rated)")
    if not isinstance(value, str) or len(value) > MAX_ANSWER_ID_CHARS:
        raise ApiError(400, "answer_id must be the string given in the /api/ask reply")
    if not get_state().answer_ids.verify(value, entry_id):
        raise ApiError(403, "answer_id is not an answer this server gave for this entry (or it expired)")
    return value


@bp.get("/api/suggest")
def suggest() -> Response:
    q = request.args.get("q", "").strip()
    limit = int(get_state().settings["web.max_question_chars"])
    if len(q) > limit:
        raise ApiError(413, f"q is too long ({len(q)} characters; at most {limit})")
    try:
        n = min(MAX_SUGGESTIONS, max(1, int(request.args.get("limit", "8"))))
    except ValueError:
        raise ApiError(400, "limit must be an integer") from None
    suggestions: list[str] = []
    if q:
        try:
            suggestions = list(get_engine().suggest(q, limit=n))[:n]
        except Exception:
            log.exception("suggest failed on %r", q[:200])
            return json_error(500, "internal error")
    return jsonify({"q": q, "suggestions": suggestions})


@bp.get("/api/faq")
def faq() -> Response:
    topics = [{"key": t.key, "name": t.name, "questions": list(t.questions)} for t in get_engine().featured()]
    resp = jsonify(topics)
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.get("/api/info")
def info() -> Response:
    """What a client shows before the first question: names, phone, limits, regions served."""
    settings = get_state().settings
    engine = get_engine()
    resp = jsonify({
        "site_name": settings["web.site_name"],
        "office_phone": settings["web.office_phone"],
        "hotline": settings["search.hotline"],
        "default_region": settings["search.default_region"] or None,
        "regions": list(engine.regions()),
        "max_question_chars": settings.integer("web.max_question_chars"),
    })
    resp.headers["Cache-Control"] = "public, max-age=300"
    return resp


@bp.post("/api/feedback")
def feedback() -> tuple[Response, int]:
    _rate_limit()
    data = _json_object()
    helpful = data.get("helpful")
    if not isinstance(helpful, bool):
        raise ApiError(400, "helpful must be true or false" if "helpful" in data else "missing field: helpful")
    question = _question(data)
    entry_id = _optional_str(data, "entry_id", MAX_ENTRY_ID_CHARS)
    comment = _optional_str(data, "comment", MAX_COMMENT_CHARS)
    session = _session(data)
    channel = _channel(data)
    answer_id = _answer_id(data, entry_id)
    try:
        row = get_state().store.log_feedback(helpful=helpful, question=question, entry_id=entry_id,
                                             session=session, comment=comment, channel=channel, answer_id=answer_id)
    except LogUnavailable:  # kept nowhere: say so rather than "written later"
        raise ApiError(503, "the vote could not be recorded now; please try again later") from None
    return jsonify({"status": "ok", "id": row}), 201


@bp.get("/api/entries/<path:entry_id>")
def entry(entry_id: str) -> WerkzeugResponse:
    if len(entry_id) > MAX_ENTRY_ID_CHARS:
        raise ApiError(404, "unknown entry")
    found = get_engine().entry(entry_id)
    if found is None:
        raise ApiError(404, f"unknown entry: {entry_id}")
    body = found.to_dict()
    body["document_title"] = found.title or found.doc
    resp = jsonify(body)
    # A clause can be withdrawn (unpublished) at any moment: caches must ask again every time; the ETag
    # makes that a cheap 304 while the clause is unchanged.
    resp.headers["Cache-Control"] = ENTRY_CACHE_CONTROL
    resp.add_etag()
    return resp.make_conditional(request)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness plus the question log writer's state (`log.status`: ok, retrying, degraded, closed); the
    top-level status is "degraded" while the log is not ok (answers still flow; docs/guarantees.md)."""
    health = get_state().store.health()
    status = "ok" if health.get("status") == "ok" else "degraded"
    return jsonify({"status": status, "entries": get_engine().entry_count(), "log": health})
