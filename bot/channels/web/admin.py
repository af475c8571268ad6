"""`/admin`: the door (login, logout, session, CSRF), the statistics page, the CSV export and the audit log.

People log in at /admin/login with their name and password (bot/office/people.py), the break-glass admin
with no name and the password hashed in `web.admin_password_hash`; scripts send `Authorization: Bearer
<their token>` or the break-glass `web.admin_token` (bot/channels/web/admin_auth.py). `g.admin_who` names
the person in every audit event, `g.admin_role` decides what they may do (`require`). The old `/admin?token=` URL no longer
logs anyone in: it redirects to the login page. Plans and official answers are in admin_pages.py (HTML)
and admin_api.py (JSON); what they do is in office_actions.py. Times are shown in `web.timezone`.
"""
from __future__ import annotations

import csv
import io
import secrets
from datetime import datetime
from urllib.parse import quote

from flask import Blueprint, Response, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from bot.channels.web import get_state
from bot.channels.web.admin_auth import COOKIE, SESSION_SECONDS
from bot.channels.web.office_actions import ActionError, Office
from bot.office.people import ADMIN, may

bp = Blueprint("admin", __name__, url_prefix="/admin")

LOGIN_COOKIE = "zwgk_login"  # double-submit CSRF token of the login form (there is no session yet)
OPEN_ENDPOINTS = frozenset({"admin.login", "admin.login_post"})
UPLOAD_ENDPOINTS = frozenset({"admin_pages.plans_upload", "admin_api.upload", "admin_api.answers_import",
                              "admin_pages.answers_import"})
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def get_office() -> Office:
    return current_app.extensions["office"]


def client() -> str:
    return request.remote_addr or "unknown"


def who() -> str:
    return str(g.get("admin_who", "?"))


def role() -> str:
    """The role of whoever is asking: a person's (bot/office/people.py), or admin for the break-glass door."""
    return str(g.get("admin_role", ""))


def require(right: str) -> None:
    """Refuse (403) unless the person asking may do this (upload, submit, publish, approve, people)."""
    if not may(role(), right):
        raise ActionError(403, f"{who()} ({role() or 'no role'}) may not {right}: ask a "
                        f"{'reviewer' if right in ('publish', 'approve') else 'admin'}")


def _is_api() -> bool:
    return request.path.startswith("/admin/api/")


def _refuse(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    if _is_api():
        resp = jsonify({"error": detail, "status": status})
        resp.status_code = status
    else:
        resp = Response(render_template("admin_error.html", title=title, detail=detail), status=status)
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def _bearer(office: Office, given: str) -> Response | None:
    if office.door.token_ok(given):
        g.admin_who, g.admin_role = "token", ADMIN
        return None
    person = office.people.by_token(given)
    if person is not None:
        g.admin_who, g.admin_role = person.name, person.role
        return None
    office.throttle.fail(client())
    return _refuse(403, "令牌错误 Wrong token", "提供的管理令牌不正确。")


def _session(office: Office, cookie: str) -> Response | None:
    user = office.door.session_user(cookie)
    if user is None:
        return None
    person = None if user == "admin" else office.people.get(user)
    if user != "admin" and (person is None or person.disabled):  # disabled since: the session ends now
        return None
    g.admin_who, g.admin_cookie, g.admin_role = user, cookie, person.role if person else ADMIN
    if request.method in UNSAFE:
        given = request.headers.get("X-CSRF-Token") or request.form.get("csrf")
        if not office.door.csrf_ok(cookie, given):
            return _refuse(403, "表单已失效 Form expired", "表单校验失败（CSRF），请刷新页面后重试。")
    return None


def guard() -> WerkzeugResponse | None:
    """Before every /admin request: who is asking (token or session), CSRF on forms, throttled failures."""
    office = get_office()
    if request.endpoint in UPLOAD_ENDPOINTS:  # plan files may be far larger than question bodies
        request.max_content_length = office.max_upload_bytes + 64 * 1024
    if not office.door.enabled and not office.people.any():
        return _refuse(404, "管理页未启用 Admin disabled",
                       "未设置管理口令或令牌：请设置 ZWGK_WEB__ADMIN_PASSWORD_HASH（python -m bot admin-hash）"
                       "或 ZWGK_WEB__ADMIN_TOKEN 后重启。")
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        wait = office.throttle.wait(client())
        if wait:
            return _refuse(429, "请稍后再试 Too many attempts", f"失败次数过多，请 {wait} 秒后再试。",
                           {"Retry-After": str(wait)})
        return _bearer(office, auth[7:].strip())
    cookie = request.cookies.get(COOKIE)
    if cookie:
        refused = _session(office, cookie)
        if refused is not None or g.get("admin_who"):
            return refused
    if _is_api() or not (office.door.password_hash or office.people.any()):
        return _refuse(401, "需要登录 Login required",
                       "请登录，或在请求头中发送 Authorization: Bearer <令牌>。",
                       {"WWW-Authenticate": 'Bearer realm="zwgk-admin"'})
    target = request.path if request.method == "GET" and "token" not in request.args else url_for("admin.index")
    return redirect(url_for("admin.login", next=target))


bp.before_request(guard)


@bp.after_request
def private_headers(resp: Response) -> Response:
    """Admin pages are never cached, framed or leaked through a referrer."""
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@bp.app_context_processor
def _admin_context() -> dict:
    """`csrf` for every admin form, `local` for times in web.timezone, `site_name` for the header."""
    cookie = g.get("admin_cookie")
    office = current_app.extensions.get("office")
    return {
        "csrf": office.door.csrf_token(cookie) if office and cookie else "",
        "local": office.local_time if office else (lambda s: s),
        "admin_user": g.get("admin_who"),
        "admin_role": g.get("admin_role", ""),
        "may": lambda right: may(str(g.get("admin_role", "")), right),
    }


# -- login ----------------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str:
    # printable only: a CR/LF would reach the Location header (a 500 after the password was accepted)
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target \
            and target.isprintable():
        return target
    return url_for("admin.index")


def _login_page(status: int = 200, error: str = "") -> Response:
    office = get_office()
    token = secrets.token_urlsafe(24)
    html = render_template("admin_login.html", site_name=get_state().settings["web.site_name"], login_csrf=token,
                           next=_safe_next(request.values.get("next")), error=error,
                           enabled=bool(office.door.password_hash) or office.people.any())
    resp = Response(html, status=status)
    resp.set_cookie(LOGIN_COOKIE, token, max_age=1800, httponly=True, samesite="Strict",
                    secure=request.is_secure, path="/admin/login")
    return resp


@bp.get("/login")
def login() -> Response:
    return _login_page()


@bp.post("/login")
def login_post() -> WerkzeugResponse:
    office = get_office()
    wait = office.throttle.wait(client())
    if wait:
        resp: WerkzeugResponse = _login_page(429, f"失败次数过多，请 {wait} 秒后再试。")
        resp.headers["Retry-After"] = str(wait)
        return resp
    form_token, cookie_token = request.form.get("csrf", ""), request.cookies.get(LOGIN_COOKIE, "")
    if not form_token or not secrets.compare_digest(form_token.encode(), cookie_token.encode()):
        return _login_page(403, "表单已失效，请重新输入。")
    user = _signed_in(office, request.form.get("name", "").strip(), request.form.get("password", ""))
    if user is None:
        office.throttle.fail(client())
        office.audit.record(request.form.get("name", "").strip()[:40] or "?", "login.fail", "", client())
        return _login_page(401, "用户名或口令不正确。")
    office.throttle.succeed(client())
    office.audit.record(user, "login", "", client())
    resp = redirect(_safe_next(request.form.get("next")))
    resp.set_cookie(COOKIE, office.door.session_cookie(user), max_age=SESSION_SECONDS, httponly=True,
                    samesite="Strict", secure=request.is_secure, path="/admin")
    resp.delete_cookie(LOGIN_COOKIE, path="/admin/login")
    return resp


def _signed_in(office: Office, name: str, password: str) -> str | None:
    """Who a login form names, when the password is theirs: a person, or the break-glass admin (no name)."""
    if not name or name == "admin":
        return "admin" if office.door.password_ok(password) else None
    person = office.people.login(name, password)
    return person.name if person is not None else None


@bp.post("/logout")
def logout() -> WerkzeugResponse:
    get_office().audit.record(who(), "logout", "", client())
    get_office().door.end_session(request.cookies.get(COOKIE))  # a copy of the cookie stops working too
    resp = redirect(url_for("admin.login"))
    resp.delete_cookie(COOKIE, path="/admin")
    return resp


# -- reports --------------------------------------------------------------------------------------

@bp.get("")
@bp.get("/")
def index() -> WerkzeugResponse:
    if "token" in request.args:  # the retired /admin?token= style: never accept a token in a URL
        return redirect(url_for("admin.login"))
    store = get_state().store
    office = get_office()
    html = render_template(
        "admin.html",
        site_name=get_state().settings["web.site_name"],
        total=store.count("questions"),
        top=store.top_questions(20),
        declined=store.declined(20),
        unhelpful=store.unhelpful(30),
        days=store.per_day(30),
        today=datetime.now(office.tz).date().isoformat(),
        timezone=str(office.tz),
    )
    return Response(html)


@bp.get("/audit")
def audit() -> Response:
    office = get_office()
    return Response(render_template("admin_audit.html", site_name=get_state().settings["web.site_name"],
                                    events=office.audit.recent(200), timezone=str(office.tz)))


def _local_ts_column(body: str, office: Office) -> str:
    """The CSV with its `ts` column in web.timezone (the log stores the server's local time)."""
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    if not rows or "ts" not in rows[0]:
        return body
    col = rows[0].index("ts")
    for row in rows[1:]:
        if len(row) > col:
            row[col] = office.local_time(row[col])
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@bp.get("/export.csv")
def export_csv() -> Response:
    table = request.args.get("table", "questions")
    if table not in ("questions", "feedback"):
        return _refuse(400, "参数错误 Bad request", "table 只能是 questions 或 feedback。")
    office = get_office()
    body = _local_ts_column(get_state().store.export_csv(table), office)
    office.audit.record(who(), "export", table, client())
    day = datetime.now(office.tz).date().isoformat()
    resp = Response(body.encode("utf-8"), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    resp.headers["Content-Disposition"] = f"attachment; filename=\"zwgk-{quote(table)}-{day}.csv\""
    return resp
