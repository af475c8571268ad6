"""Two hosts without a shared file system (issue 21, deliverable 6): two apps on one PostgreSQL database,
each with its own `office.dir` and index path. What one host does, the other sees: a published plan is
answered from, an official answer is served and its edit followed back, people sign in on either host,
and the audit log is one list (bot/office/records.py, bot/office/db_store.py)."""
from __future__ import annotations

import io
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.channels.web import close_app, create_app
from indexer.settings import Settings, load_settings
from tests.storage.postgres_server import postgres_server  # noqa: F401 - the session fixture

from .office_seed import QUESTION, seed_docx

TOKEN = "two-hosts-test-token-8c1d5e0a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SHIPPED = Path(__file__).resolve().parents[2] / "knowledge" / "plans" / "2022-济南市槐荫区-政务公开工作要点.txt"
PATIENCE = 120.0  # seconds a host may take to notice and rebuild; the test stops as soon as it has


def host_settings(root: Path, plans: Path, url: str) -> Settings:
    return load_settings(environ={}).replace(
        web__database=url, web__admin_token=TOKEN, web__rate_limit=0, knowledge__plans_dir=str(plans),
        office__dir=str(root / "office"), knowledge__index_path=str(root / "index" / "index.pickle"))


@pytest.fixture
def hosts(tmp_path: Path, postgres_server, engine) -> Iterator[tuple[Flask, Flask]]:  # noqa: F811
    url = postgres_server.new_database()
    plans = tmp_path / "plans"  # one small shipped plan: less for each host to index
    plans.mkdir()
    shutil.copy(SHIPPED, plans / SHIPPED.name)
    a = create_app(host_settings(tmp_path / "a", plans, url), engine=engine)
    b = create_app(host_settings(tmp_path / "b", plans, url), engine=engine)
    try:
        yield a, b
    finally:
        close_app(a)
        close_app(b)


def ask(client: FlaskClient, question: str) -> dict:
    resp = client.post("/api/ask", json={"question": question})
    assert resp.status_code == 200
    return resp.get_json()


def eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def cites(answer: dict, doc: str) -> bool:
    return any(r.get("doc") == doc for r in answer["results"])


def test_two_hosts_share_plans_answers_people_and_audit(hosts: tuple[Flask, Flask], tmp_path: Path) -> None:
    a, b = (h.test_client() for h in hosts)

    # people: added on A, signed in on B (password and token)
    resp = a.post("/admin/api/people", headers=AUTH, json={"name": "li", "role": "reviewer",
                                                             "password": "a-long-password-1"})
    assert resp.status_code == 201, resp.get_json()
    li = {"Authorization": f"Bearer {resp.get_json()['token']}"}
    assert hosts[1].extensions["office"].people.login("li", "a-long-password-1") is not None
    assert b.get("/admin/api/plans", headers=li).status_code == 200

    # a plan uploaded and published on A is answered from on B
    assert not cites(ask(b, QUESTION), "天桥")
    resp = a.post("/admin/api/plans", headers=AUTH, data={"file": (io.BytesIO(seed_docx()), "天桥.docx")},
                  content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    plan_id = resp.get_json()["id"]
    assert a.post(f"/admin/api/plans/{plan_id}/publish", headers=AUTH).status_code == 200
    assert eventually(lambda: cites(ask(b, QUESTION), "天桥"))
    assert (tmp_path / "b" / "office" / "uploads" / plan_id / "天桥.docx").is_file()  # fetched from the database
    assert [p["status"] for p in b.get("/admin/api/plans", headers=li).get_json()["plans"]
            if p["id"] == plan_id] == ["published"]

    # an official answer added on A is served by B; li's edit on B is served by A
    question = "二号办公楼的档案查阅室周六开放吗？"
    resp = a.post("/admin/api/answers", headers=AUTH, json={"question": question, "answer": "周六上午开放。"})
    assert resp.status_code == 201, resp.get_json()
    answer_id = resp.get_json()["id"]
    assert eventually(lambda: "周六上午开放" in ask(b, question)["reply"])
    assert b.put(f"/admin/api/answers/{answer_id}", headers=li, json={"answer": "周六全天开放。"}).status_code == 200
    assert eventually(lambda: "周六全天开放" in ask(a, question)["reply"])
    assert len(a.get(f"/admin/api/answers/{answer_id}/history", headers=AUTH).get_json()["versions"]) >= 2

    # one audit log: A's actions and li's on B, listed on either host
    for client in (a, b):
        events = client.get("/admin/api/audit", headers=AUTH).get_json()["events"]
        done = {(e["user"], e["action"]) for e in events}
        assert {("token", "person.add"), ("token", "plan.publish"), ("token", "answer.add")} <= done, done
        assert any(user == "li" and action.startswith("answer.") for user, action in done), done
