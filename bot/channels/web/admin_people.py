"""/admin/people and /admin/api/people: an admin adds people, gives them a role, disables them, resets tokens.

The same as `python -m bot admin-user` (bot/cli_people.py), for an office whose admin works in the
browser. Only the admin role may use it (the break-glass admin too); every change is audited.
A new or reset API token is shown once (stored only hashed, bot/office/people.py).

    GET  /admin/api/people                   -> {"people": [{"name", "role", "disabled", "created"}]}
    POST /admin/api/people                   {"name", "role", "password"} -> 201 {"name", "role", "token"}
    POST /admin/api/people/<name>/disable    -> 200
    POST /admin/api/people/<name>/reset-token -> 200 {"name", "role", "token"}
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from bot.channels.web import get_state
from bot.channels.web.admin import client, get_office, guard, private_headers, require, who
from bot.channels.web.office_actions import ActionError
from bot.office.people import ROLES, PeopleError

pages = Blueprint("admin_people", __name__, url_prefix="/admin/people")
api = Blueprint("admin_people_api", __name__, url_prefix="/admin/api/people")
for _bp in (pages, api):
    _bp.before_request(guard)
    _bp.before_request(lambda: require("people"))
    _bp.after_request(private_headers)


@api.errorhandler(ActionError)
def _api_error(exc: ActionError) -> Response:
    resp = jsonify({"error": str(exc), "status": exc.status})
    resp.status_code = exc.status
    return resp


@pages.errorhandler(ActionError)
def _page_error(exc: ActionError) -> Response:
    html = render_template("admin_error.html", title="操作未完成", detail=str(exc), back=request.referrer)
    return Response(html, status=exc.status)


def _add(name: str, role: str, password: str) -> tuple[str, str, str]:
    try:
        person, token = get_office().people.add(name, role, password)
    except PeopleError as exc:
        raise ActionError(exc.status, str(exc)) from None
    get_office().audit.record(who(), "person.add", f"{person.name} ({person.role})", client())
    return person.name, person.role, token


def _disable(name: str) -> None:
    try:
        get_office().people.disable(name)
    except PeopleError as exc:
        raise ActionError(exc.status, str(exc)) from None
    get_office().audit.record(who(), "person.disable", name, client())


def _reset(name: str) -> tuple[str, str, str]:
    try:
        person, token = get_office().people.reset_token(name)
    except PeopleError as exc:
        raise ActionError(exc.status, str(exc)) from None
    get_office().audit.record(who(), "person.reset-token", name, client())
    return person.name, person.role, token


def _page(shown: dict | None = None, done: str = "") -> Response:
    return Response(render_template("admin_people.html", site_name=get_state().settings["web.site_name"],
                                    people=get_office().people.all(), roles=ROLES, shown=shown, done=done))


# -- pages ----------------------------------------------------------------------------------------

@pages.get("")
def index() -> Response:
    return _page()


@pages.post("")
def add() -> Response:
    form = request.form
    name, role, token = _add(form.get("name", "").strip(), form.get("role", ""), form.get("password", ""))
    return _page({"name": name, "role": role, "token": token}, "added")


@pages.post("/<name>/disable")
def disable(name: str) -> Response:
    _disable(name)
    return _page(done="disabled")


@pages.post("/<name>/reset-token")
def reset(name: str) -> Response:
    name, role, token = _reset(name)
    return _page({"name": name, "role": role, "token": token}, "reset")


# -- API ------------------------------------------------------------------------------------------

@api.get("")
def api_list() -> Response:
    return jsonify({"people": [p.public() for p in get_office().people.all()]})


@api.post("")
def api_add() -> tuple[Response, int]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ActionError(400, 'send {"name", "role", "password"} as a JSON object')
    name, role, token = _add(str(data.get("name", "")), str(data.get("role", "")), str(data.get("password", "")))
    return jsonify({"name": name, "role": role, "token": token}), 201


@api.post("/<name>/disable")
def api_disable(name: str) -> Response:
    _disable(name)
    person = get_office().people.get(name)
    return jsonify(person.public() if person else {})


@api.post("/<name>/reset-token")
def api_reset(name: str) -> Response:
    name, role, token = _reset(name)
    return jsonify({"name": name, "role": role, "token": token})
