"""Publishing and unpublishing while the server answers a steady stream of questions: no request fails.

waitress on 127.0.0.1 serves the real app; client threads post /api/ask without pause while the main
thread publishes a freshly uploaded plan, checks it is answered from, and unpublishes it again.
"""
from __future__ import annotations

import io
import json
import threading
import urllib.request
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from indexer.settings import load_settings

from .live_server import LiveServer
from .office_seed import QUESTION, seed_docx

pytestmark = pytest.mark.e2e

TOKEN = "load-test-token-5e4d3c2b1a"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
QUESTIONS = ["槐荫区养老补贴信息公开归哪个部门管？", QUESTION, "依申请公开要多久答复？", "历城区政务公开培训由谁负责？"]


def _post(url: str, question: str) -> tuple[int, dict]:
    req = urllib.request.Request(url + "/api/ask", data=json.dumps({"question": question}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return resp.status, json.loads(resp.read())


def test_publish_under_load_loses_no_request(tmp_path: Path, engine) -> None:
    settings = load_settings(environ={}).replace(
        web__database=str(tmp_path / "web.sqlite3"), web__admin_token=TOKEN, web__rate_limit=0,
        office__dir=str(tmp_path / "office"), knowledge__index_path=str(tmp_path / "index" / "index.pickle"))
    app = create_app(settings, engine=engine)
    stop = threading.Event()
    results: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()

    def hammer(n: int) -> None:
        i = n
        while not stop.is_set():
            try:
                status, body = _post(server.url, QUESTIONS[i % len(QUESTIONS)])
                ok = status == 200 and "reply" in body
            except Exception as exc:  # any failure counts
                ok, status = False, 0
                with lock:
                    errors.append(repr(exc))
            with lock:
                results.append(status if ok else -1)
            i += 1

    try:
        with LiveServer(app, threads=6) as server:
            admin = app.test_client()
            workers = [threading.Thread(target=hammer, args=(n,)) for n in range(4)]
            for w in workers:
                w.start()
            try:
                resp = admin.post("/admin/api/plans", headers=AUTH, content_type="multipart/form-data",
                                  data={"file": (io.BytesIO(seed_docx()), "天桥区.docx")})
                plan = resp.get_json()["id"]
                for _ in range(2):
                    assert admin.post(f"/admin/api/plans/{plan}/publish", headers=AUTH).status_code == 200
                    assert _post(server.url, QUESTION)[1]["results"][0]["region"] == "天桥区"
                    assert admin.post(f"/admin/api/plans/{plan}/unpublish", headers=AUTH).status_code == 200
                    assert all(r["region"] != "天桥区" for r in _post(server.url, QUESTION)[1]["results"])
            finally:
                stop.set()
                for w in workers:
                    w.join(timeout=60)
    finally:
        close_app(app)
    assert not errors, errors[:3]
    assert len(results) > 20 and all(s == 200 for s in results)
