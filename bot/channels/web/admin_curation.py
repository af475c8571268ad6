"""/admin/curation: add a synonym rule or a department alias, preview its effect on logged questions, publish.

The preview builds a candidate engine over a scratch copy of knowledge/data with the edit applied
(bot/office/curation.py) and lists the logged questions it would answer differently; publishing writes
the edit into knowledge.data_dir and swaps in a rebuilt engine, like publishing a plan.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from bot.channels.web import get_app, get_engine, get_state
from bot.channels.web.admin import client, get_office, guard, private_headers, who
from bot.channels.web.office_actions import ActionError, attach_official, swap_engine
from bot.office.curation import CurationError, apply_edit, candidate_data, diff_answers, parse_edit
from bot.storage.log_reports import asked

bp = Blueprint("admin_curation", __name__, url_prefix="/admin/curation")
bp.before_request(guard)
bp.after_request(private_headers)
MAX_LOGGED = 300


@bp.errorhandler(CurationError)
def _bad_edit(exc: CurationError) -> Response:
    return Response(render_template("admin_error.html", title="无法应用", detail=str(exc), back=request.referrer),
                    status=400)


@bp.errorhandler(ActionError)
def _action_error(exc: ActionError) -> Response:
    return Response(render_template("admin_error.html", title="操作未完成", detail=str(exc)), status=exc.status)


def _logged_questions(example: str) -> list[str | tuple[str, str | None]]:
    """The rule's own example question first, then the logged ones as asked (with their region)."""
    logged: list[str | tuple[str, str | None]] = list(asked(get_state().store, MAX_LOGGED))
    return ([(example, None)] if example else []) + logged


def _render(**values: object) -> Response:
    return Response(render_template("admin_curation.html", site_name=get_state().settings["web.site_name"],
                                    **values))


@bp.get("")
def index() -> Response:
    return _render(question=request.args.get("question", "")[:200], form={}, changes=None)


@bp.post("/preview")
def preview() -> Response:
    edit = parse_edit(request.form)
    office = get_office()
    with tempfile.TemporaryDirectory(prefix="zwgk-curation-") as tmp:
        data = candidate_data(office.settings.path("knowledge.data_dir"), edit, Path(tmp))
        candidate = office.publisher.build(data_dir=data, scratch=Path(tmp))
        example = request.form.get("question", "").strip()[:200]
        questions = _logged_questions(example)
        changes = diff_answers(questions, get_engine(), attach_official(candidate, office.official))
    return _render(question=example, form=request.form, edit=edit, changes=changes, checked=len(questions))


@bp.post("/apply")
def apply() -> WerkzeugResponse:
    edit = parse_edit(request.form)
    office = get_office()
    data_dir = office.settings.path("knowledge.data_dir")
    with office.lock:
        apply_edit(data_dir, edit)
        office.watch.mark_built()
        try:
            engine = office.publisher.build()
        except Exception as exc:
            raise ActionError(500, f"the index could not be rebuilt with this edit ({exc})") from exc
        swap_engine(get_app(), engine)
    office.audit.record(who(), f"curation.{edit.kind}", edit.describe(), client())
    return redirect(url_for("admin_curation.index", done="1"), code=303)
