"""bot/channels/web/admin.py: token handling, the statistics page and the CSV export."""
from __future__ import annotations

import csv
import io

from flask.testing import FlaskClient

from bot.channels.web import close_app, create_app
from indexer.settings import load_settings

from .conftest import ADMIN_TOKEN

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def seed(client: FlaskClient) -> None:
    for q in ("槐荫区养老补贴信息公开归哪个部门管？", "槐荫区养老补贴信息公开归哪个部门管？", "火星上有政务公开吗？"):
        resp = client.post("/api/ask", json={"question": q})
        assert resp.status_code == 200
    top = resp.get_json()["results"]
    assert client.post("/api/feedback", json={
        "helpful": False, "question": "火星上有政务公开吗？", "comment": "<script>x</script>",
        "entry_id": top[0]["id"] if top else None, "answer_id": resp.get_json()["answer_id"]}).status_code == 201


def test_admin_disabled_without_token(app_factory) -> None:
    client = app_factory(admin_token="").test_client()
    for path in ("/admin", "/admin/export.csv"):
        resp = client.get(path, headers={"Authorization": "Bearer "})
        assert resp.status_code == 404
        assert "ZWGK_WEB__ADMIN_TOKEN" in resp.get_data(as_text=True)
    assert client.get("/admin?token=").status_code == 404


def test_admin_needs_the_right_token(client: FlaskClient) -> None:
    resp = client.get("/admin")
    assert resp.status_code == 401 and resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/admin", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/admin/export.csv").status_code == 401
    resp = client.get("/admin", headers=AUTH)
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-store" and resp.headers["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in resp.headers


def test_a_token_in_the_url_no_longer_logs_in(client: FlaskClient) -> None:
    resp = client.get(f"/admin?token={ADMIN_TOKEN}")
    assert resp.status_code in (302, 401)
    assert "Set-Cookie" not in resp.headers
    assert client.get("/admin").status_code == 401


def test_token_from_the_environment(tmp_path, engine) -> None:
    settings = load_settings(environ={"ZWGK_WEB__ADMIN_TOKEN": "from-env-9d8c7b6a5f",
                                      "ZWGK_WEB__DATABASE": str(tmp_path / "env.sqlite3"),
                                      "ZWGK_OFFICE__DIR": str(tmp_path / "office")})
    app = create_app(settings, engine=engine)
    try:
        client = app.test_client()
        assert client.get("/admin", headers={"Authorization": "Bearer from-env-9d8c7b6a5f"}).status_code == 200
        assert client.get("/admin", headers=AUTH).status_code == 403
    finally:
        close_app(app)


def test_admin_page_shows_the_reports(client: FlaskClient) -> None:
    seed(client)
    html = client.get("/admin", headers=AUTH).get_data(as_text=True)
    assert "最常问的问题" in html and "未能回答的问题" in html and "没帮助" in html and "每日统计" in html
    assert "槐荫区养老补贴信息公开归哪个部门管？" in html
    assert "火星上有政务公开吗？" in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert '<strong id="total">3</strong>' in html


def test_csv_export(client: FlaskClient) -> None:
    seed(client)
    resp = client.get("/admin/export.csv", headers=AUTH)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert resp.headers["Content-Disposition"].startswith("attachment;")
    assert resp.data.startswith(b"\xef\xbb\xbf")
    text = resp.data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.startswith("id,ts,channel,question,intent,answered")
    assert len(rows) == 3 and "槐荫区养老补贴信息公开归哪个部门管？" in text
    answered = next(r for r in rows if r["question"] == "槐荫区养老补贴信息公开归哪个部门管？")
    assert answered["answer_id"].startswith("a1.") and answered["reply"].startswith("负责单位：区民政局")
    fb = client.get("/admin/export.csv?table=feedback", headers=AUTH)
    assert fb.status_code == 200 and "火星上有政务公开吗？" in fb.data.decode("utf-8-sig")
    assert client.get("/admin/export.csv?table=users", headers=AUTH).status_code == 400
