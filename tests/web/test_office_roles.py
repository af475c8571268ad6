"""Issue 21, people and review: `admin-user` (CLI) makes people whose tokens and passwords open /admin with
their role's rights; plans go draft -> pending -> published; official answers wait for a reviewer, get
new versions with a history, expire, import and export as .xlsx, and match through the engine's reading.

One app per module over the real engine and a real SQLite file; the CLI writes into the same database.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook

from bot.channels.web import close_app, create_app
from bot.cli import cli
from indexer.settings import Settings, load_settings

from .office_seed import seed_docx

TOKEN = "roles-test-token-8d2f1a6c"
PASSWORD = "roles-password-1"


@pytest.fixture(scope="module")
def var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("roles")


@pytest.fixture(scope="module")
def settings(var: Path) -> Settings:
    return load_settings(environ={}).replace(
        web__database=str(var / "web.sqlite3"), web__admin_token=TOKEN, web__rate_limit=0,
        office__dir=str(var / "office"), knowledge__index_path=str(var / "index" / "index.pickle"))


@pytest.fixture(scope="module")
def app(settings: Settings, engine) -> Iterator[Flask]:
    made = create_app(settings, engine=engine)
    try:
        yield made
    finally:
        close_app(made)


def admin_user(var: Path, *args: str, password: str = PASSWORD) -> dict:
    result = CliRunner().invoke(cli, ["admin-user", *args, "--json"], input=password + "\n",
                                env={"ZWGK_WEB__DATABASE": str(var / "web.sqlite3")})
    assert result.exit_code == 0, result.output
    import json

    return json.loads(result.output)


@pytest.fixture(scope="module")
def people(var: Path, app: Flask) -> dict[str, str]:
    """Bearer headers of an editor and a reviewer made with the CLI."""
    out = {}
    for name, role in (("编辑小王", "editor"), ("审核老李", "reviewer")):
        made = admin_user(var, "add", name, "--role", role, "--password-stdin")
        assert made["name"] == name and made["role"] == role and made["token"]
        out[role] = {"Authorization": f"Bearer {made['token']}"}
    out["admin"] = {"Authorization": f"Bearer {TOKEN}"}
    return out


@pytest.fixture
def api(app: Flask) -> FlaskClient:
    return app.test_client()


def ask(api: FlaskClient, question: str) -> dict:
    return api.post("/api/ask", json={"question": question}).get_json()


def served(api: FlaskClient, question: str, text: str) -> bool:
    return text in ask(api, question)["reply"]


def test_cli_lists_disables_and_resets_people(var: Path, people: dict, api: FlaskClient) -> None:
    listed = admin_user(var, "list")["people"]
    assert {(p["name"], p["role"]) for p in listed} >= {("编辑小王", "editor"), ("审核老李", "reviewer")}
    made = admin_user(var, "add", "临时工", "--role", "editor", "--password-stdin")
    old = {"Authorization": f"Bearer {made['token']}"}
    assert api.get("/admin/api/plans", headers=old).status_code == 200
    new = admin_user(var, "reset-token", "临时工")["token"]
    assert api.get("/admin/api/plans", headers=old).status_code == 403
    assert api.get("/admin/api/plans", headers={"Authorization": f"Bearer {new}"}).status_code == 200
    assert admin_user(var, "disable", "临时工")["disabled"] is True
    assert api.get("/admin/api/plans", headers={"Authorization": f"Bearer {new}"}).status_code == 403
    bad = CliRunner().invoke(cli, ["admin-user", "add", "admin", "--role", "editor", "--password-stdin"],
                             input=PASSWORD + "\n", env={"ZWGK_WEB__DATABASE": str(var / "web.sqlite3")})
    assert bad.exit_code != 0 and "not usable" in bad.output  # the break-glass name is reserved


def test_tokens_are_stored_hashed(var: Path, people: dict) -> None:
    import sqlite3

    token = people["editor"]["Authorization"][7:]
    rows = sqlite3.connect(var / "web.sqlite3").execute("SELECT password_hash, token_hash FROM office_people").fetchall()
    assert rows and all(token not in t and PASSWORD not in p and p.startswith("scrypt$") for p, t in rows)


def test_submit_then_only_a_reviewer_publishes(api: FlaskClient, people: dict) -> None:
    resp = api.post("/admin/api/plans", headers=people["editor"], content_type="multipart/form-data",
                    data={"file": (io.BytesIO(seed_docx()), "天桥区2025年政务公开工作要点.docx")})
    assert resp.status_code == 201, resp.get_json()
    plan = resp.get_json()["id"]
    submitted = api.post(f"/admin/api/plans/{plan}/submit", headers=people["editor"])
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "pending"
    assert api.post(f"/admin/api/plans/{plan}/publish", headers=people["editor"]).status_code == 403
    assert api.post(f"/admin/api/plans/{plan}/publish", headers=people["reviewer"]).status_code == 200
    assert api.post(f"/admin/api/plans/{plan}/unpublish", headers=people["editor"]).status_code == 403
    events = api.get("/admin/api/audit", headers=people["editor"]).get_json()["events"]
    assert set(events[0]) == {"user", "action", "target", "at"}
    done = {(e["user"], e["action"]) for e in events if plan in e["target"]}
    assert {("编辑小王", "plan.upload"), ("编辑小王", "plan.submit"), ("审核老李", "plan.publish")} <= done
    assert api.get("/admin/api/people", headers=people["reviewer"]).status_code == 403  # admins only
    assert api.get("/admin/api/people", headers=people["admin"]).status_code == 200


def test_an_editors_answer_waits_for_a_reviewer(api: FlaskClient, people: dict) -> None:
    body = {"question": "依申请公开要多久答复", "answer": "自收到申请之日起20个工作日内答复。", "source": "条例第三十三条"}
    resp = api.post("/admin/api/answers", headers=people["editor"], json=body)
    assert resp.status_code == 201 and resp.get_json()["status"] == "pending"
    answer_id = resp.get_json()["id"]
    assert not served(api, "依申请公开要多久答复", "20个工作日内答复")
    assert api.post(f"/admin/api/answers/{answer_id}/publish", headers=people["editor"]).status_code == 403
    assert api.post(f"/admin/api/answers/{answer_id}/publish", headers=people["reviewer"]).status_code == 200
    assert served(api, "依申请公开要多久答复", "20个工作日内答复")
    assert served(api, "依申请公开多久答付", "20个工作日内答复")  # a typo: the engine's reading matches
    assert not served(api, "依申请公开多久答复有什么优惠", "20个工作日内答复")  # a topic of its own: never
    assert api.put(f"/admin/api/answers/{answer_id}", headers=people["editor"],
                   json={"answer": "x"}).status_code == 403  # published: a reviewer's to change

    edited = api.put(f"/admin/api/answers/{answer_id}", headers=people["reviewer"],
                     json={"answer": "自收到申请之日起15个工作日内答复。"})
    assert edited.status_code == 200 and edited.get_json()["version"] == 3
    assert served(api, "依申请公开要多久答复", "15个工作日内答复")
    versions = api.get(f"/admin/api/answers/{answer_id}/history", headers=people["editor"]).get_json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3] and "20个工作日" in versions[0]["answer"]

    assert api.put(f"/admin/api/answers/{answer_id}", headers=people["reviewer"],
                   json={"expires": "2020-01-01"}).status_code == 200
    assert not served(api, "依申请公开要多久答复", "15个工作日内答复")  # expired: not served
    assert api.put(f"/admin/api/answers/{answer_id}", headers=people["reviewer"],
                   json={"expires": "31/12/2099"}).status_code == 400


def test_an_admins_answer_is_served_at_once(api: FlaskClient, people: dict) -> None:
    resp = api.post("/admin/api/answers", headers=people["admin"],
                    json={"question": "政府信息公开指南在哪里看", "answer": "在区政府网站“政府信息公开”栏目。"})
    assert resp.status_code == 201 and resp.get_json()["status"] == "published"
    assert served(api, "政府信息公开指南在哪里看", "政府信息公开”栏目")


def test_import_and_export_the_workbook(api: FlaskClient, people: dict) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["问题", "相似问法", "答复", "地区", "来源"])
    sheet.append(["公开年报什么时候发布", "年报哪天公布|年度报告何时发布", "每年1月31日前发布。", "", "条例第五十条"])
    sheet.append(["", "", "没有问题的一行", "", ""])
    data = io.BytesIO()
    book.save(data)
    resp = api.post("/admin/api/answers/import", headers=people["reviewer"], content_type="multipart/form-data",
                    data={"file": (io.BytesIO(data.getvalue()), "口径.xlsx")})
    assert resp.status_code == 201
    assert resp.get_json()["created"] == 1 and [e["row"] for e in resp.get_json()["errors"]] == [3]
    assert served(api, "年报哪天公布", "1月31日前")
    bad = api.post("/admin/api/answers/import", headers=people["reviewer"], content_type="multipart/form-data",
                   data={"file": (io.BytesIO(b"not a workbook"), "x.xlsx")})
    assert bad.status_code == 400

    out = api.get("/admin/api/answers/export", headers=people["editor"])
    assert out.status_code == 200 and out.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(out.data)).active.iter_rows(values_only=True))
    assert list(rows[0][:5]) == ["问题", "相似问法", "答复", "地区", "来源"]
    assert ("公开年报什么时候发布", "年报哪天公布|年度报告何时发布") in {r[:2] for r in rows}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def test_login_by_name_and_a_disabled_person_is_signed_out(app: Flask, var: Path, people: dict) -> None:
    admin_user(var, "add", "周审核", "--role", "reviewer", "--password-stdin")
    browser = app.test_client()
    page = browser.get("/admin/login").get_data(as_text=True)
    assert 'name="name"' in page
    wrong = browser.post("/admin/login", data={"csrf": csrf_of(page), "name": "周审核", "password": "nope-nope-nope"})
    assert wrong.status_code == 401
    page = browser.get("/admin/login").get_data(as_text=True)
    resp = browser.post("/admin/login", data={"csrf": csrf_of(page), "name": "周审核", "password": PASSWORD,
                                              "next": "/admin/answers"})
    assert resp.status_code == 302
    answers = browser.get("/admin/answers").get_data(as_text=True)
    assert "周审核" in answers and "导入" in answers
    assert browser.get("/admin/people").status_code == 403  # a reviewer manages no people
    admin_user(var, "disable", "周审核")
    assert browser.get("/admin/answers").status_code == 302  # back to the login page


@pytest.mark.parametrize(("question", "matches"), [
    ("老年人优待证去哪办", True),
    ("老年人优待证有什么优惠？", False),        # same words plus a topic of its own
    ("残疾人证在哪里办？", False),              # same wording, other topic
    ("槐荫区养老补贴信息公开归哪个部门管？", False),
    ("优待证", False),
    ("在哪里办", False),
])
def test_the_engines_reading_never_hijacks(engine, question: str, matches: bool, tmp_path: Path) -> None:
    from bot.official import OfficialAnswers
    from bot.official.store import validated

    official = OfficialAnswers.at(tmp_path / "answers.json")
    official.store.add(validated({"question": "老年人优待证在哪里办？", "answer": "在街道便民服务中心办理。"}),
                       author="t", now="2026-12-01T08:00:00+00:00")
    got = engine.with_official(official).answer(question)
    assert bool(got.results and got.results[0].entry.kind == "answer") == matches
