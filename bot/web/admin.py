"""`/admin`: what people ask, what the bot declined, what was voted "not helpful", counts per day, CSV export.

Reads the log written by the API (bot/store.py). Protected by settings["web.admin_token"]
(ZWGK_WEB__ADMIN_TOKEN): send `Authorization: Bearer <token>`, or open `/admin?token=<token>` once,
which sets an HttpOnly SameSite=Strict cookie and redirects to a URL without the token. With no
token configured the admin is off (404 saying so).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import date

from flask import Blueprint, Response, redirect, render_template, request, url_for

from bot.web import get_state

bp = Blueprint("admin", __name__, url_prefix="/admin")

COOKIE = "zwgk_admin"
COOKIE_MAX_AGE = 8 * 3600


def _token() -> str:
    return str(get_state().settings["web.admin_token"] or "")


def _cookie_value(token: str) -> str:
    """What the cookie holds: derived from the token, so the token itself never sits in the browser."""
    return hmac.new(token.encode("utf-8"), b"zwgk-admin-cookie-v1", hashlib.sha256).hexdigest()


def _page(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(render_template("admin_error.html", title=title, detail=detail), status=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


@bp.before_request
def _authenticate() -> Response | None:
    token = _token()
    if not token:
        return _page(404, "管理页未启用 Admin disabled",
                     "未设置管理令牌：请在 config.toml 的 [web] admin_token 或环境变量 ZWGK_WEB__ADMIN_TOKEN 中设置后重启。")
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
        if hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
            return None
        return _page(403, "令牌错误 Wrong token", "提供的管理令牌不正确。")
    query_token = request.args.get("token")
    if query_token is not None:
        if not hmac.compare_digest(query_token.encode("utf-8"), token.encode("utf-8")):
            return _page(403, "令牌错误 Wrong token", "提供的管理令牌不正确。")
        args = {k: v for k, v in request.args.items() if k != "token"}
        resp = redirect(url_for(request.endpoint or "admin.index", **(request.view_args or {}), **args))
        resp.set_cookie(COOKIE, _cookie_value(token), max_age=COOKIE_MAX_AGE, httponly=True, samesite="Strict",
                        secure=request.is_secure, path="/admin")
        return resp
    cookie = request.cookies.get(COOKIE)
    if cookie is not None:
        if hmac.compare_digest(cookie.encode("utf-8"), _cookie_value(token).encode("utf-8")):
            return None
        return _page(403, "令牌错误 Wrong token", "登录已失效，请重新用管理令牌打开本页。")
    return _page(401, "需要管理令牌 Token required",
                 "请用 /admin?token=… 打开本页，或在请求头中发送 Authorization: Bearer <令牌>。",
                 {"WWW-Authenticate": 'Bearer realm="zwgk-admin"'})


@bp.after_request
def _private(resp: Response) -> Response:
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@bp.get("")
@bp.get("/")
def index() -> Response:
    store = get_state().store
    days = store.per_day(30)
    html = render_template(
        "admin.html",
        site_name=get_state().settings["web.site_name"],
        total=store.count("questions"),
        top=store.top_questions(20),
        declined=store.declined(20),
        unhelpful=store.unhelpful(30),
        days=days,
        today=date.today().isoformat(),
    )
    return Response(html)


@bp.get("/export.csv")
def export_csv() -> Response:
    table = request.args.get("table", "questions")
    if table not in ("questions", "feedback"):
        return _page(400, "参数错误 Bad request", "table 只能是 questions 或 feedback。")
    body = get_state().store.export_csv(table)
    resp = Response(body.encode("utf-8"), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="zwgk-{table}-{date.today().isoformat()}.csv"'
    return resp
