"""Statistics, the filtered question log with its CSV / xlsx exports, /metrics, and the retention purge.

The real app over the real engine and a real SQLite file; rows are written with chosen times (the
log's own SQL) so day boundaries in Asia/Shanghai are tested without waiting for a clock.
"""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from bot.storage.log_reports import purge
from bot.storage.retention import Retention

from .conftest import ADMIN_TOKEN

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.now(SHANGHAI).date()


def put(app: Flask, question: str, *, when: datetime, answered: bool = True, channel: str = "web",
        region: str | None = None, latency_ms: float = 40.0) -> None:
    """One logged row at a chosen moment (stored as the log stores it: ISO with offset, the writer's day)."""
    store = app.extensions["zwgk"].store
    store.flush()
    store.db.run("INSERT INTO questions(ts, day, channel, question, intent, answered, latency_ms, region)"
                 " VALUES (?, ?, ?, ?, 'who', ?, ?, ?)",
                 (when.isoformat(timespec="seconds"), when.date().isoformat(), channel, question, int(answered),
                  latency_ms, region))


def at(day: date, hour: int) -> datetime:
    """`hour` o'clock Shanghai time on `day`, written as a UTC server would write it."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(UTC)


def seed(app: Flask) -> None:
    put(app, "养老补贴归谁管？", when=at(TODAY, 7), region="槐荫区")  # 23:00 UTC the day before
    put(app, "养老补贴归谁管？", when=at(TODAY, 12), channel="kiosk", region="槐荫区")
    put(app, "火星上有政务公开吗？", when=at(TODAY, 9), answered=False, channel="wecom")
    put(app, "=HYPERLINK(\"x\")", when=at(TODAY - timedelta(days=2), 10), answered=False)
    put(app, "去年的问题", when=at(TODAY - timedelta(days=40), 10))


def test_stats_contract_every_day_in_shanghai(app: Flask, client: FlaskClient) -> None:
    seed(app)
    body = client.get("/admin/api/stats?days=7", headers=AUTH).get_json()
    assert set(body) == {"days", "top_questions", "top_declined"}
    days = body["days"]
    assert [d["date"] for d in days] == [(TODAY - timedelta(days=6 - i)).isoformat() for i in range(7)]
    assert all(set(d) == {"date", "questions", "answered", "declined"} for d in days)
    assert days[-1] == {"date": TODAY.isoformat(), "questions": 3, "answered": 2, "declined": 1}
    assert days[-3]["questions"] == 1 and days[-3]["declined"] == 1
    assert sum(d["questions"] for d in days) == 4 and days[0]["questions"] == 0  # zeros included
    assert body["top_questions"][0] == {"question": "养老补贴归谁管？", "count": 2}
    assert [q["question"] for q in body["top_declined"]] == ["=HYPERLINK(\"x\")", "火星上有政务公开吗？"]
    assert client.get("/admin/api/stats?days=0", headers=AUTH).status_code == 400
    assert client.get("/admin/api/stats").status_code == 401


def test_stats_page_draws_svg_charts_and_filters_the_log(app: Flask, client: FlaskClient) -> None:
    seed(app)
    html = client.get("/admin/stats?days=7", headers=AUTH).get_data(as_text=True)
    assert html.count('<svg role="img"') == 3 and "<title id=\"chart-days-t\">每日提问数与未回答率</title>" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")  # nothing fetched from anywhere
    page = client.get("/admin/stats?answered=no&channel=wecom", headers=AUTH).get_data(as_text=True)
    assert "火星上有政务公开吗？" in page.split('id="log"')[1] and "养老补贴" not in page.split('id="log"')[1]
    page = client.get(f"/admin/stats?start={TODAY}&end={TODAY}&region=槐荫区&q=养老", headers=AUTH).get_data(as_text=True)
    assert page.split('id="log"')[1].count("养老补贴归谁管？") == 2
    assert client.get("/admin/stats?start=2026-13-01", headers=AUTH).status_code == 400


def test_exports_carry_the_same_filter(app: Flask, client: FlaskClient) -> None:
    seed(app)
    query = f"start={TODAY - timedelta(days=3)}&answered=no"
    text = client.get(f"/admin/stats/export.csv?{query}", headers=AUTH).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][:4] == ["ts", "channel", "region", "question"]
    assert sorted(r[3] for r in rows[1:]) == ["'=HYPERLINK(\"x\")", "火星上有政务公开吗？"]  # formula defused
    resp = client.get(f"/admin/stats/export.xlsx?{query}", headers=AUTH)
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[0][3] == "问题" and sorted(r[3] for r in cells[1:]) == ["=HYPERLINK(\"x\")", "火星上有政务公开吗？"]
    assert all(c.data_type == "s" for c in sheet["D"][1:])  # text, never a formula
    assert f"{TODAY} 09:00:00" in [r[0] for r in rows]  # times in Asia/Shanghai


def test_metrics_off_is_404_and_on_counts_per_channel(app: Flask, client: FlaskClient, app_factory) -> None:
    assert client.get("/metrics").status_code == 404
    seed(app)  # written through one app; scraped from another on the same database, as another worker would be
    on = app_factory(metrics=True).test_client()
    text = on.get("/metrics").get_data(as_text=True)
    assert 'zwgk_questions_total{channel="web"} 3' in text and 'zwgk_questions_total{channel="wecom"} 1' in text
    assert 'zwgk_declined_total{channel="web"} 1' in text
    assert '# TYPE zwgk_answer_seconds histogram' in text
    assert 'zwgk_answer_seconds_bucket{channel="kiosk",le="0.05"} 1' in text
    assert 'zwgk_answer_seconds_count{channel="web"} 3' in text and "process_start_time_seconds" in text


def test_retention_purges_old_rows_and_zero_keeps_forever(app: Flask) -> None:
    store = app.extensions["zwgk"].store
    seed(app)
    store.log_feedback(helpful=False, question="旧的", answer_id="a1")
    store.flush()
    store.db.run("UPDATE feedback SET day = ?", ((TODAY - timedelta(days=400)).isoformat(),))
    assert Retention(store, 0).start()._thread is None  # 0: no purging thread at all
    assert purge(store, 0) == 0 and store.count() == 5
    worker = Retention(store, 30)
    assert worker.run_once() == 2  # the 40-day-old question and the 400-day-old vote
    assert store.count() == 4 and store.count("feedback") == 0
    assert app.extensions["retention"].days == 180  # the server runs its own, from web.log_retention_days
