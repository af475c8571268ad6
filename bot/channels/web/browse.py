"""`GET /browse`: a public page listing a plan's tasks, filterable by department, topic (section) and deadline.

多维度分类展现: the same data as the staff lists (Engine.department_tasks / due_tasks); each row links to
its clause (`GET /api/entries/<id>` as JSON, shown on this page at #entry). Rendered on the server, so it
works without JavaScript and with screen readers; linked from the widget's demo page and the kiosk.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request

from bot.channels.web import get_engine, get_state
from bot.engine.answer import EngineContract
from indexer.model import Entry

bp = Blueprint("browse", __name__)

MAX_ROWS = 300
DEADLINES = {"": "不限", "month": "本月底前", "quarter": "三个月内", "year": "年底前", "dated": "有明确时限"}


def _sections(entries: list) -> list[str]:
    seen: dict[str, None] = {}
    for e in entries:
        top = (e.section or "").split(" > ")[0].strip()
        if top:
            seen.setdefault(top, None)
    return list(seen)


def _until(choice: str, today: date) -> date | None:
    if choice == "month":
        nxt = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    if choice == "quarter":
        return date.fromordinal(today.toordinal() + 92)
    if choice == "year":
        return date(today.year, 12, 31)
    if choice == "dated":
        return date(9999, 12, 31)
    return None


def _plan_entries(engine: EngineContract, doc_id: str) -> list[Entry]:
    """The plan's task rows (its clauses when it has no task table).

    The one place an adapter reads the index itself: the engine contract has no "entries of a plan" call
    yet (department_tasks / due_tasks answer the filters). An engine without `.index` shows an empty plan.
    """
    pos = [e for e in engine.index.entries if e.doc == doc_id] if hasattr(engine, "index") else []
    tasks = [e for e in pos if e.kind == "task"]
    return tasks or [e for e in pos if not e.number.startswith("前言")]


@bp.get("/browse")
def browse() -> Response:
    engine = get_engine()
    documents = sorted(engine.documents(), key=lambda d: (-(d.get("year") or 0), d.get("region") or ""))
    doc_id = request.args.get("plan", "")[:200] or (documents[0]["doc_id"] if documents else "")
    doc = next((d for d in documents if d["doc_id"] == doc_id), documents[0] if documents else None)
    rows = _plan_entries(engine, doc["doc_id"]) if doc else []
    departments = sorted({u for e in rows for u in e.responsible})
    sections = _sections(rows)
    dept = request.args.get("dept", "")[:80]
    section = request.args.get("section", "")[:200]
    deadline = request.args.get("deadline", "")
    deadline = deadline if deadline in DEADLINES else ""
    if dept and doc:
        wanted = {e.id for e in engine.department_tasks(dept, region=doc.get("region"))}
        rows = [e for e in rows if e.id in wanted or dept in e.responsible]
    if section:
        rows = [e for e in rows if (e.section or "").split(" > ")[0].strip() == section]
    until = _until(deadline, date.today())
    if until is not None and doc:
        due = {e.id for e in engine.due_tasks(until, region=doc.get("region"))}
        rows = [e for e in rows if e.id in due or (deadline == "dated" and e.due)]
    total = len(rows)
    settings = get_state().settings
    html = render_template("browse.html", site_name=settings["web.site_name"], documents=documents, doc=doc,
                           rows=rows[:MAX_ROWS], total=total, departments=departments, sections=sections,
                           dept=dept, section=section, deadline=deadline, deadlines=DEADLINES)
    resp = Response(html)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/browse/entry/<path:entry_id>")
def entry(entry_id: str) -> Response:
    """One clause or task row in full, with its place in the plan (the JSON is /api/entries/<id>)."""
    found = get_engine().entry(entry_id[:200])
    settings = get_state().settings
    html = render_template("browse_entry.html", site_name=settings["web.site_name"], entry=found, entry_id=entry_id)
    return Response(html, status=200 if found is not None else 404)
