"""`/admin/api/*`: the JSON API for scripts (Authorization: Bearer <web.admin_token>; 401 without it).

    POST   /admin/api/plans                 multipart field `file` -> 201 draft with its parsed document
    GET    /admin/api/plans                 every plan, shipped and uploaded, with its status
    POST   /admin/api/plans/<id>/publish    -> 200 once /api/ask answers from it
    POST   /admin/api/plans/<id>/unpublish  -> 200 once no answer cites it
    POST   /admin/api/plans/<id>/submit     an editor's draft goes to review -> 200 {"status": "pending"}
    POST   /admin/api/answers               JSON official answer -> 201 {"id", "status"} (pending for an editor)
    GET    /admin/api/answers               every official answer
    PUT    /admin/api/answers/<id>          any of question, variants, answer, region, source, expires -> 200
    POST   /admin/api/answers/<id>/publish  a reviewer serves a pending answer -> 200
    GET    /admin/api/answers/<id>/history  -> {"versions": [...]} oldest first
    POST   /admin/api/answers/import        multipart `file` (.xlsx 问题/相似问法/答复/地区/来源) -> 201
    GET    /admin/api/answers/export        every answer as .xlsx in the import layout
    DELETE /admin/api/answers/<id>          -> 204
    GET    /admin/api/audit                 -> {"events": [{"user", "action", "target", "at"}, …]} newest first

Scripts of people (bot/office/people.py) send their own token; rights follow the role: 403 otherwise.

The browser pages (admin_pages.py) call the same actions (office_actions.py) with a session and CSRF.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request

from bot.channels.web import get_app
from bot.channels.web.admin import client, get_office, guard, private_headers, require, role, who
from bot.channels.web.admin_answer_actions import (
    history,
    import_answers,
    publish_answer,
    status_for,
    update_answer,
)
from bot.channels.web.office_actions import (
    ActionError,
    add_answer,
    delete_answer,
    set_plan_status,
    submit_plan,
    upload_plan,
)
from bot.office.catalog import DRAFT, PUBLISHED
from bot.official.workbook import write as workbook

bp = Blueprint("admin_api", __name__, url_prefix="/admin/api")
bp.before_request(guard)
bp.after_request(private_headers)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.errorhandler(ActionError)
def _action_error(exc: ActionError) -> Response:
    resp = jsonify({"error": str(exc), "status": exc.status})
    resp.status_code = exc.status
    return resp


@bp.errorhandler(413)
def _too_large(_exc: Exception) -> Response:
    limit = get_office().settings["office.max_upload_mb"]
    resp = jsonify({"error": f"the file is too large (at most {limit} MB)", "status": 413})
    resp.status_code = 413
    return resp


@bp.post("/plans")
def upload() -> tuple[Response, int]:
    require("upload")
    upload = request.files.get("file")
    if upload is None:
        raise ActionError(400, "no file found: send the plan as multipart/form-data in the field `file` "
                               "(a part whose file name is not UTF-8 text is dropped: rename the file)")
    record, parsed = upload_plan(get_office(), upload.filename, upload.read(), who(), client())
    doc = parsed.document
    return jsonify({
        "id": record.id,
        "status": record.status,
        "document": {"title": doc.title, "region": doc.region, "year": doc.year, "doc_number": doc.doc_number,
                     "entries": len(doc.entries), "tasks": parsed.tasks},
        "warnings": parsed.warnings,
    }), 201


@bp.get("/plans")
def plans() -> Response:
    return jsonify({"plans": [p.public() for p in get_office().catalog.all()]})


@bp.post("/plans/<plan_id>/submit")
def submit(plan_id: str) -> Response:
    require("submit")
    return jsonify(submit_plan(get_office(), plan_id, who(), client()).public())


@bp.post("/plans/<plan_id>/publish")
def publish(plan_id: str) -> Response:
    require("publish")
    record = set_plan_status(get_app(), get_office(), plan_id, PUBLISHED, who(), client())
    return jsonify(record.public())


@bp.post("/plans/<plan_id>/unpublish")
def unpublish(plan_id: str) -> Response:
    require("publish")
    record = set_plan_status(get_app(), get_office(), plan_id, DRAFT, who(), client())
    return jsonify(record.public())


@bp.post("/answers")
def answers_add() -> tuple[Response, int]:
    require("edit")
    record = add_answer(get_app(), get_office(), _json_object(), who(), client(), status=status_for(role()))
    return jsonify({"id": record.id, "status": record.status}), 201


def _json_object() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ActionError(400, "send the answer as a JSON object")
    return data


@bp.get("/answers")
def answers() -> Response:
    today = date.today().isoformat()
    return jsonify({"answers": [{**r.snapshot(), "served": r.served(today)}
                                for r in get_office().official.store.all()]})


@bp.put("/answers/<answer_id>")
def answers_edit(answer_id: str) -> Response:
    require("edit")
    record = update_answer(get_app(), get_office(), answer_id, _json_object(), who(), role(), client())
    return jsonify(record.snapshot())


@bp.post("/answers/<answer_id>/publish")
def answers_publish(answer_id: str) -> Response:
    require("approve")
    return jsonify(publish_answer(get_app(), get_office(), answer_id, who(), client()).snapshot())


@bp.get("/answers/<answer_id>/history")
def answers_history(answer_id: str) -> Response:
    return jsonify({"versions": history(get_office(), answer_id)})


@bp.post("/answers/import")
def answers_import() -> tuple[Response, int]:
    require("edit")
    upload = request.files.get("file")
    if upload is None:
        raise ActionError(400, "send the workbook as multipart/form-data in the field `file`")
    created, errors = import_answers(get_app(), get_office(), upload.read(), who(), role(), client())
    return jsonify({"created": created, "errors": errors}), 201


@bp.get("/answers/export")
def answers_export() -> Response:
    resp = Response(workbook(get_office().official.store.all()), mimetype=XLSX)
    resp.headers["Content-Disposition"] = f'attachment; filename="zwgk-answers-{date.today().isoformat()}.xlsx"'
    return resp


@bp.get("/audit")
def audit() -> Response:
    return jsonify({"events": [e.public() for e in get_office().audit.recent(500)]})


@bp.delete("/answers/<answer_id>")
def answers_delete(answer_id: str) -> Response:
    require("approve")
    delete_answer(get_app(), get_office(), answer_id, who(), client())
    return Response(status=204)
