"""The /admin pages staff use in a browser: plans (upload, preview, submit for review, publish, unpublish
after a confirmation, delete a draft) and official answers (list, write — prefilled from a declined or 👎
question — edit with history, publish a pending one, import/export a workbook, delete). Buttons and
actions follow the person's role (bot/office/people.py).

Every form carries the session's CSRF token (checked by admin.guard); every action goes through
office_actions.py, so the pages and the JSON API (admin_api.py) behave the same. Curation of aliases and
synonyms is admin_curation.py.
"""
from __future__ import annotations

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from bot.channels.web import get_app, get_state
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
    delete_draft,
    plan_history,
    preview,
    set_plan_status,
    submit_plan,
    upload_plan,
    versions,
)
from bot.office.catalog import DRAFT, PUBLISHED
from bot.official.store import MAX_ANSWER_CHARS
from indexer.read import SUPPORTED_SUFFIXES

bp = Blueprint("admin_pages", __name__, url_prefix="/admin")
bp.before_request(guard)
bp.after_request(private_headers)
MAX_PREVIEW_ROWS = 400



@bp.errorhandler(ActionError)
def _action_error(exc: ActionError) -> Response:
    html = render_template("admin_error.html", title="操作未完成", detail=str(exc), back=request.referrer)
    return Response(html, status=exc.status)


@bp.errorhandler(413)
def _too_large(_exc: Exception) -> Response:
    limit = get_office().settings["office.max_upload_mb"]
    return Response(render_template("admin_error.html", title="文件太大", detail=f"文件不能超过 {limit} MB。"),
                    status=413)


def _render(template: str, **values: object) -> Response:
    return Response(render_template(template, site_name=get_state().settings["web.site_name"], **values))


# -- plans ----------------------------------------------------------------------------------------

@bp.get("/plans")
def plans() -> Response:
    office = get_office()
    return _render("admin_plans.html", plans=office.catalog.all(), max_mb=office.settings["office.max_upload_mb"],
                   suffixes=SUPPORTED_SUFFIXES)  # the chooser offers every format the server reads


@bp.post("/plans")
def plans_upload() -> WerkzeugResponse:
    require("upload")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ActionError(400, "请选择要上传的计划文件。")
    record, _ = upload_plan(get_office(), upload.filename, upload.read(), who(), client())
    return redirect(url_for("admin_pages.plan", plan_id=record.id), code=303)


@bp.get("/plans/<plan_id>")
def plan(plan_id: str) -> Response:
    office = get_office()
    record = office.catalog.get(plan_id)
    if record is None:
        raise ActionError(404, f"没有这个计划：{plan_id}")
    parsed = preview(office, record)
    entries = parsed.document.entries
    others = versions(office, record)
    return _render("admin_plan.html", plan=record, doc=parsed.document, warnings=parsed.warnings,
                   others=others, history=plan_history(office, record),
                   replace_default=next((p.id for p in others if p.status == PUBLISHED), ""),
                   clauses=[e for e in entries if e.kind != "task"][:MAX_PREVIEW_ROWS],
                   tasks=[e for e in entries if e.kind == "task"][:MAX_PREVIEW_ROWS])


@bp.post("/plans/<plan_id>/submit")
def plan_submit(plan_id: str) -> WerkzeugResponse:
    require("submit")
    submit_plan(get_office(), plan_id, who(), client())
    return redirect(url_for("admin_pages.plan", plan_id=plan_id, done="submitted"), code=303)


@bp.post("/plans/<plan_id>/publish")
def plan_publish(plan_id: str) -> WerkzeugResponse:
    require("publish")
    replaces = request.form.get("replaces") or None
    set_plan_status(get_app(), get_office(), plan_id, PUBLISHED, who(), client(), replaces=replaces)
    return redirect(url_for("admin_pages.plan", plan_id=plan_id, done="published"), code=303)


@bp.post("/plans/<plan_id>/unpublish")
def plan_unpublish(plan_id: str) -> WerkzeugResponse:
    require("publish")
    if request.form.get("confirm") != "yes":  # 撤回发布 stops answers citing the plan: ask once more
        record = get_office().catalog.get(plan_id)
        if record is None:
            raise ActionError(404, f"没有这个计划：{plan_id}")
        return _render("admin_confirm.html", plan=record)
    set_plan_status(get_app(), get_office(), plan_id, DRAFT, who(), client())
    return redirect(url_for("admin_pages.plan", plan_id=plan_id, done="unpublished"), code=303)


@bp.post("/plans/<plan_id>/delete")
def plan_delete(plan_id: str) -> WerkzeugResponse:
    require("edit")
    delete_draft(get_office(), plan_id, who(), client())
    return redirect(url_for("admin_pages.plans"), code=303)


# -- official answers -----------------------------------------------------------------------------

@bp.get("/answers")
def answers() -> Response:
    office = get_office()
    prefill = {"question": request.args.get("question", "")[:200], "region": request.args.get("region", "")[:40]}
    return _render("admin_answers.html", answers=office.official.store.all(), prefill=prefill,
                   max_answer=MAX_ANSWER_CHARS)


@bp.post("/answers")
def answers_add() -> WerkzeugResponse:
    require("edit")
    record = add_answer(get_app(), get_office(), _answer_form(), who(), client(), status=status_for(role()))
    return redirect(url_for("admin_pages.answers", done="added" if record.status == PUBLISHED else "pending"),
                    code=303)


def _answer_form() -> dict:
    form = request.form
    return {"question": form.get("question"), "variants": form.get("variants", "").splitlines(),
            "answer": form.get("answer"), "region": form.get("region"), "source": form.get("source"),
            "expires": form.get("expires")}


@bp.get("/answers/<answer_id>")
def answer(answer_id: str) -> Response:
    office = get_office()
    record = office.official.store.get(answer_id)
    if record is None:
        raise ActionError(404, f"没有这条答复口径：{answer_id}")
    return _render("admin_answer.html", a=record, versions=list(reversed(history(office, answer_id))),
                   max_answer=MAX_ANSWER_CHARS)


@bp.post("/answers/<answer_id>")
def answer_edit(answer_id: str) -> WerkzeugResponse:
    require("edit")
    update_answer(get_app(), get_office(), answer_id, _answer_form(), who(), role(), client())
    return redirect(url_for("admin_pages.answer", answer_id=answer_id, done="saved"), code=303)


@bp.post("/answers/<answer_id>/publish")
def answer_publish(answer_id: str) -> WerkzeugResponse:
    require("approve")
    publish_answer(get_app(), get_office(), answer_id, who(), client())
    return redirect(url_for("admin_pages.answers", done="published"), code=303)


@bp.post("/answers/import")
def answers_import() -> Response:
    require("edit")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ActionError(400, "请选择要导入的 .xlsx 文件。")
    created, errors = import_answers(get_app(), get_office(), upload.read(), who(), role(), client())
    office = get_office()
    return _render("admin_answers.html", answers=office.official.store.all(), prefill={}, max_answer=MAX_ANSWER_CHARS,
                   imported={"created": created, "errors": errors})


@bp.post("/answers/<answer_id>/delete")
def answers_delete(answer_id: str) -> WerkzeugResponse:
    require("approve")
    delete_answer(get_app(), get_office(), answer_id, who(), client())
    return redirect(url_for("admin_pages.answers", done="deleted"), code=303)
