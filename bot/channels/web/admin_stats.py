"""Statistics the office reads at a glance, and the question log it can filter and export.

`GET /admin/api/stats?days=N` → `{"days": [{"date", "questions", "answered", "declined"}], "top_questions",
"top_declined"}` with dates in `web.timezone`, every day of the window present (zeros included).
`GET /admin/stats` is the page: server-made SVG charts (bot/channels/web/charts.py: questions and decline
rate per day, most asked, most declined) and the question log filtered by date range, channel, region,
answered/declined and keyword; `/admin/stats/export.csv` and `/admin/stats/export.xlsx` export the
same filter's rows. The queries are bot/storage/log_reports.py; the door (who may look) is admin.guard.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from urllib.parse import quote

from flask import Blueprint, Response, jsonify, render_template, request

from bot.channels.web import get_state
from bot.channels.web.admin import client, get_office, guard, private_headers, who
from bot.channels.web.charts import RATE, bars_chart, days_chart
from bot.storage.log_reports import (
    FORMULA_START,
    LOG_COLUMNS,
    MAX_DAYS,
    ROW_LIMIT,
    LogFilter,
    log_choices,
    log_rows,
    stats,
)

bp = Blueprint("admin_stats", __name__, url_prefix="/admin")
bp.before_request(guard)
bp.after_request(private_headers)

DEFAULT_DAYS = 30
COLUMN_TITLES = ("时间", "渠道", "地区", "问题", "已回答", "意图", "条目", "用时(毫秒)", "答复")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class BadFilter(ValueError):
    """A filter value the office cannot have meant (a malformed date, a non-number of days)."""


@bp.errorhandler(BadFilter)
def _bad_filter(exc: BadFilter) -> Response:
    if request.path.startswith("/admin/api/"):
        resp = jsonify({"error": str(exc), "status": 400})
        resp.status_code = 400
        return resp
    return Response(render_template("admin_error.html", title="参数错误", detail=str(exc)), status=400)


def _days() -> int:
    raw = request.args.get("days", str(DEFAULT_DAYS)).strip()
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_DAYS:
        raise BadFilter(f"days must be a whole number from 1 to {MAX_DAYS}; got {raw!r}")
    return int(raw)


def _date(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadFilter(f"{name} must be a date like 2026-03-01; got {raw!r}") from None


def _filter() -> LogFilter:
    """The question-log filter from the query string (the page's form and the export links share it)."""
    answered = {"yes": True, "no": False}.get(request.args.get("answered", ""))
    start, end = _date("start"), _date("end")
    if start and end and start > end:
        start, end = end, start
    return LogFilter(start=start, end=end, channel=request.args.get("channel", "").strip() or None,
                     region=request.args.get("region", "").strip() or None, answered=answered,
                     keyword=request.args.get("q", "").strip()[:100] or None)


@bp.get("/api/stats")
def api_stats() -> Response:
    return jsonify(stats(get_state().store, _days(), get_office().tz))


@bp.get("/stats")
def page() -> Response:
    office, state = get_office(), get_state()
    days = _days()
    report = stats(state.store, days, office.tz)
    flt = _filter()
    rows = list(log_rows(state.store, flt, office.tz, limit=ROW_LIMIT + 1))
    channels, regions = log_choices(state.store)
    args = {k: v for k, v in request.args.items() if k != "days" and v}
    html = render_template(
        "admin_stats.html", site_name=state.settings["web.site_name"], timezone=str(office.tz), days=days,
        report=report, rows=rows[:ROW_LIMIT], more=len(rows) > ROW_LIMIT, flt=flt, args=request.args,
        export_args=args, channels=channels, regions=regions, row_limit=ROW_LIMIT,
        days_chart=days_chart(report["days"]),
        top_chart=bars_chart(report["top_questions"], "最常问的问题", "chart-top"),
        declined_chart=bars_chart(report["top_declined"], "最常见的未回答问题", "chart-declined", RATE),
    )
    return Response(html)


def _safe(value: object) -> object:
    """A cell Excel / WPS would run as a formula ("CSV injection") gets a leading apostrophe."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _exported(kind: str, body: bytes, mimetype: str) -> Response:
    office = get_office()
    office.audit.record(who(), "export", f"questions.{kind} {request.query_string.decode('utf-8', 'replace')}"[:200],
                        client())
    day = datetime.now(office.tz).date().isoformat()
    resp = Response(body, mimetype=mimetype)
    resp.headers["Content-Disposition"] = f"attachment; filename=\"{quote(f'zwgk-questions-{day}.{kind}')}\""
    return resp


@bp.get("/stats/export.csv")
def export_csv() -> Response:
    buf = io.StringIO()
    buf.write("\ufeff")  # Excel opens UTF-8 Chinese correctly only with the BOM
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(LOG_COLUMNS)
    for row in log_rows(get_state().store, _filter(), get_office().tz):
        w.writerow([_safe(v) for v in row.cells()])
    resp = _exported("csv", buf.getvalue().encode("utf-8"), "text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8"
    return resp


@bp.get("/stats/export.xlsx")
def export_xlsx() -> Response:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("问题记录")
    ws.append(list(COLUMN_TITLES))
    for row in log_rows(get_state().store, _filter(), get_office().tz):
        cells = []
        for value in row.cells():
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        ws.append(cells)
    out = io.BytesIO()
    wb.save(out)
    return _exported("xlsx", out.getvalue(), XLSX)
