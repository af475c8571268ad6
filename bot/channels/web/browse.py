"""`GET /browse`: a public page listing a plan's tasks, filterable by department, topic (section) and deadline.

It opens the plan of `?region=` (the widget and kiosk pass theirs), else of `search.default_region`, else
of the first region held — the newest plan there — never another district's plan by chance. Deadlines
are filtered by when in the plan's own year a task falls due (a 2022 plan's "9月底前" is Q3 of 2022,
whatever today is); rows are numbered as answers cite them (附件任务表第21项, not "表.21").

多维度分类展现: the same data as the staff lists (Engine.department_tasks / due_tasks); each row links to
its clause (`GET /api/entries/<id>` as JSON, shown on this page at #entry). Rendered on the server, so it
works without JavaScript and with screen readers; linked from the widget's demo page and the kiosk.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request

from bot.channels.web import get_engine, get_state
from bot.engine.answer import EngineContract
from bot.engine.wording import labels
from bot.language.vocabulary import NO_COMPLETION_DATE
from indexer.model import Entry

bp = Blueprint("browse", __name__)

MAX_ROWS = 300
DEADLINES = {"": "不限", "h1": "上半年到期（6月底前）", "q3": "三季度到期（7—9月）", "q4": "四季度到期（10—12月，不含全年任务）",
             "ongoing": "全年或长期坚持", "dated": "有明确完成日期"}


def _sections(entries: list) -> list[str]:
    seen: dict[str, None] = {}
    for e in entries:
        top = (e.section or "").split(" > ")[0].strip()
        if top:
            seen.setdefault(top, None)
    return list(seen)


def deadline_kind(entry: Entry, year: int | None) -> set[str]:
    """The deadline choices a task matches, on its plan's calendar (`year`: the plan's year)."""
    text = entry.deadline or ""
    ongoing = bool(NO_COMPLETION_DATE.search(text))  # 全年, 长期, 常态化…: runs all year, no one due date
    kinds = {"ongoing"} if ongoing or not entry.due else set()
    if not entry.due:
        return kinds
    try:
        due = date.fromisoformat(entry.due)
    except ValueError:
        return kinds
    if not ongoing:
        kinds.add("dated")
    if year and due.year > year:
        return kinds | ({"q4"} if not ongoing else set())
    if due.month <= 6:
        kinds.add("h1")
    elif due.month <= 9:
        kinds.add("q3")
    elif "全年" not in text:
        kinds.add("q4")
    return kinds


def place(entry: Entry) -> str:
    """Where a row is in its plan, as answers cite it: 附件任务表第21项 for a task row, else its clause number."""
    if entry.kind == "task":
        return labels("zh")["row"].format(entry.number.split(".", 1)[-1])
    return entry.number


def _opened(documents: list[dict], wanted: str, region: str) -> dict | None:
    """The plan to show: the one asked for, else the newest of `region` (or of the first region held)."""
    chosen = next((d for d in documents if d["doc_id"] == wanted), None) if wanted else None
    if chosen is not None or not documents:
        return chosen or (documents[0] if documents else None)
    regions = sorted({d.get("region") or "" for d in documents} - {""})
    home = region if region in regions else (regions[0] if regions else "")
    return next((d for d in documents if (d.get("region") or "") == home), documents[0])


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
    settings = get_state().settings
    region = request.args.get("region", "")[:40].strip() or settings.text("search.default_region").strip()
    doc = _opened(documents, request.args.get("plan", "")[:200], region)
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
    if deadline and doc:
        rows = [e for e in rows if deadline in deadline_kind(e, doc.get("year"))]
    total = len(rows)
    html = render_template("browse.html", site_name=settings["web.site_name"], documents=documents, doc=doc,
                           rows=rows[:MAX_ROWS], total=total, departments=departments, sections=sections,
                           dept=dept, section=section, deadline=deadline, deadlines=DEADLINES, place=place)
    resp = Response(html)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/browse/entry/<path:entry_id>")
def entry(entry_id: str) -> Response:
    """One clause or task row in full, with its place in the plan (the JSON is /api/entries/<id>)."""
    found = get_engine().entry(entry_id[:200])
    settings = get_state().settings
    html = render_template("browse_entry.html", site_name=settings["web.site_name"], entry=found, entry_id=entry_id,
                           place=place)
    return Response(html, status=200 if found is not None else 404)
