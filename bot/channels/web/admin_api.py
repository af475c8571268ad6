"""`/admin/api/*`: the JSON API for scripts (Authorization: Bearer <web.admin_token>; 401 without it).

    POST   /admin/api/plans                 multipart field `file` -> 201 draft with its parsed document
    GET    /admin/api/plans                 every plan, shipped and uploaded, with its status
    POST   /admin/api/plans/<id>/publish    -> 200 once /api/ask answers from it
    POST   /admin/api/plans/<id>/unpublish  -> 200 once no answer cites it
    POST   /admin/api/answers               JSON official answer -> 201 {"id"}
    GET    /admin/api/answers               every official answer
    DELETE /admin/api/answers/<id>          -> 204

The browser pages (admin_pages.py) call the same actions (office_actions.py) with a session and CSRF.
"""
from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, Response, jsonify, request

from bot.channels.web import get_app
from bot.channels.web.admin import client, get_office, guard, private_headers, who
from bot.channels.web.office_actions import (
    ActionError,
    add_answer,
    delete_answer,
    set_plan_status,
    upload_plan,
)
from bot.office.catalog import DRAFT, PUBLISHED

bp = Blueprint("admin_api", __name__, url_prefix="/admin/api")
bp.before_request(guard)



bp.after_request(private_headers)


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


@bp.post("/plans/<plan_id>/publish")
def publish(plan_id: str) -> Response:
    record = set_plan_status(get_app(), get_office(), plan_id, PUBLISHED, who(), client())
    return jsonify(record.public())


@bp.post("/plans/<plan_id>/unpublish")
def unpublish(plan_id: str) -> Response:
    record = set_plan_status(get_app(), get_office(), plan_id, DRAFT, who(), client())
    return jsonify(record.public())


@bp.post("/answers")
def answers_add() -> tuple[Response, int]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ActionError(400, "send the answer as a JSON object")
    record = add_answer(get_app(), get_office(), data, who(), client())
    return jsonify({"id": record.id}), 201


@bp.get("/answers")
def answers() -> Response:
    return jsonify({"answers": [asdict(r) for r in get_office().official.store.all()]})


@bp.delete("/answers/<answer_id>")
def answers_delete(answer_id: str) -> Response:
    delete_answer(get_app(), get_office(), answer_id, who(), client())
    return Response(status=204)
