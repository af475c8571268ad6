"""The /admin/api contract of issue 13: plans (upload, list, publish, unpublish) and official answers.

Runs the real app over the real engine; publishing builds real engines from a temporary office folder.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.channels.web import close_app, create_app
from indexer.settings import Settings, load_settings

from .office_seed import QUESTION, SEED_TEXT, seed_docx

TOKEN = "office-test-token-4f9a2c7e1b"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("office-index")


@pytest.fixture
def office_settings(tmp_path: Path, index_dir: Path) -> Settings:
    return load_settings(environ={}).replace(
        web__database=str(tmp_path / "web.sqlite3"), web__admin_token=TOKEN, web__rate_limit=0,
        office__dir=str(tmp_path / "office"), knowledge__index_path=str(index_dir / "index.pickle"))


@pytest.fixture
def office_app(office_settings: Settings, engine) -> Iterator[Flask]:
    app = create_app(office_settings, engine=engine)
    try:
        yield app
    finally:
        close_app(app)


@pytest.fixture
def api(office_app: Flask) -> FlaskClient:
    return office_app.test_client()


def upload(api: FlaskClient, data: bytes, name: str) -> tuple[int, dict]:
    import io

    resp = api.post("/admin/api/plans", headers=AUTH, data={"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")
    return resp.status_code, resp.get_json()


def ask(api: FlaskClient, question: str) -> dict:
    resp = api.post("/api/ask", json={"question": question})
    assert resp.status_code == 200
    return resp.get_json()


def cites(answer: dict, doc: str) -> bool:
    return any(r.get("doc") == doc for r in answer["results"])


def test_every_admin_api_route_needs_the_token(api: FlaskClient) -> None:
    for method, path in (("get", "/admin/api/plans"), ("post", "/admin/api/plans"),
                         ("post", "/admin/api/plans/x/publish"), ("post", "/admin/api/plans/x/unpublish"),
                         ("post", "/admin/api/answers"), ("get", "/admin/api/answers"),
                         ("delete", "/admin/api/answers/x")):
        resp = getattr(api, method)(path)
        assert resp.status_code == 401, (method, path)
        assert resp.is_json and "error" in resp.get_json()



def test_wrong_tokens_are_refused_then_throttled(api: FlaskClient) -> None:
    wrong = {"Authorization": "Bearer nope"}
    assert [api.get("/admin/api/plans", headers=wrong).status_code for _ in range(5)] == [403] * 5
    resp = api.get("/admin/api/plans", headers=wrong)
    assert resp.status_code == 429 and int(resp.headers["Retry-After"]) > 0
    assert api.get("/admin/api/plans", headers=AUTH).status_code == 429  # the client waits, whatever it sends


def test_upload_a_word_plan_preview_publish_and_unpublish(api: FlaskClient) -> None:
    status, body = upload(api, seed_docx(), "天桥区2025年要点.docx")
    assert status == 201, body
    assert body["status"] == "draft" and isinstance(body["id"], str)
    doc = body["document"]
    assert doc == {"title": "2025年天桥区政务公开工作要点", "region": "天桥区", "year": 2025, "doc_number": None,
                   "entries": 3, "tasks": 0}
    assert isinstance(body["warnings"], list)

    listed = api.get("/admin/api/plans", headers=AUTH).get_json()["plans"]
    assert {"id", "file", "title", "region", "year", "status"} <= set(listed[0])
    mine = next(p for p in listed if p["id"] == body["id"])
    assert mine["status"] == "draft" and mine["region"] == "天桥区" and mine["year"] == 2025
    assert sum(p["status"] == "published" for p in listed) == 5  # the shipped plans
    stem = Path(mine["file"]).stem

    assert not cites(ask(api, QUESTION), stem)  # a draft is never answered from
    assert api.post(f"/admin/api/plans/{body['id']}/publish", headers=AUTH).status_code == 200
    answer = ask(api, QUESTION)
    assert answer["answered"] and answer["results"][0]["doc"] == stem, answer["reply"]
    assert "区发展改革局" in answer["units"]
    assert next(p for p in api.get("/admin/api/plans", headers=AUTH).get_json()["plans"]
                if p["id"] == body["id"])["status"] == "published"

    assert api.post(f"/admin/api/plans/{body['id']}/unpublish", headers=AUTH).status_code == 200
    assert not cites(ask(api, QUESTION), stem)


def test_unpublishing_a_shipped_plan_keeps_its_file(api: FlaskClient, office_settings: Settings) -> None:
    plans = api.get("/admin/api/plans", headers=AUTH).get_json()["plans"]
    huaiyin = next(p for p in plans if p["region"] == "槐荫区")
    question = "槐荫区养老补贴信息公开归哪个部门管？"
    doc = Path(huaiyin["file"]).stem
    assert cites(ask(api, question), doc)
    assert api.post(f"/admin/api/plans/{huaiyin['id']}/unpublish", headers=AUTH).status_code == 200
    assert not cites(ask(api, question), doc)
    assert (office_settings.path("knowledge.plans_dir") / huaiyin["file"]).is_file()
    assert api.post(f"/admin/api/plans/{huaiyin['id']}/publish", headers=AUTH).status_code == 200
    assert cites(ask(api, question), doc)


def test_unknown_plan_ids(api: FlaskClient) -> None:
    assert api.post("/admin/api/plans/u-000000000000/publish", headers=AUTH).status_code == 404
    assert api.post("/admin/api/plans/../unpublish", headers=AUTH).status_code == 404


@pytest.mark.parametrize(("name", "data", "status", "says"), [
    ("../../etc/passwd.txt", SEED_TEXT.encode(), 400, "folder"),
    ("..\\evil.txt", SEED_TEXT.encode(), 400, "file name"),
    ("plan.exe", b"MZ\x90\x00", 415, "unsupported"),
    ("plan.doc", b"\xd0\xcf\x11\xe0", 422, "plan.doc"),  # Word 97 .doc is read now (antiword); this one is broken
    ("empty.txt", b"", 400, "empty"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", 422, "broken.pdf"),
    ("noise.docx", bytes(range(256)) * 8, 422, "noise.docx"),
    ("lunch.txt", "今天中午吃饺子。".encode(), 422, "lunch.txt"),
    ("", SEED_TEXT.encode(), 400, ""),
], ids=["traversal", "backslash", "exe", "broken-doc", "empty", "broken-pdf", "binary-docx", "not-a-plan",
        "no-name"])
def test_odd_uploads_get_a_clear_4xx(api: FlaskClient, name: str, data: bytes, status: int, says: str) -> None:
    got, body = upload(api, data, name)
    assert got == status, body
    assert says in body["error"]
    plans = api.get("/admin/api/plans", headers=AUTH).get_json()["plans"]
    assert len(plans) == 5  # nothing half-stored


def test_a_file_name_that_is_not_utf8(api: FlaskClient) -> None:
    """A GBK name (unzipped from a Windows archive), sent as raw bytes the way a browser would."""
    boundary = "zwgkboundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"".encode()
            + "规划.txt".encode("gbk") + b"\"\r\nContent-Type: text/plain\r\n\r\n" + SEED_TEXT.encode()
            + f"\r\n--{boundary}--\r\n".encode())
    resp = api.post("/admin/api/plans", headers=AUTH, data=body,
                    content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 400, resp.get_json()
    assert "UTF-8" in resp.get_json()["error"]


def test_a_huge_upload_is_refused(api: FlaskClient, office_app: Flask) -> None:
    limit = int(office_app.extensions["office"].settings["office.max_upload_mb"])
    status, body = upload(api, b"x" * (limit * 2**20 + 1), "huge.txt")
    assert status == 413 and "MB" in body["error"]


def test_upload_without_a_file_field(api: FlaskClient) -> None:
    resp = api.post("/admin/api/plans", headers=AUTH, data={"other": "x"}, content_type="multipart/form-data")
    assert resp.status_code == 400 and "file" in resp.get_json()["error"]


def test_an_official_answer_comes_first_and_goes_away(api: FlaskClient) -> None:
    text = "老年人优待证可在户籍所在街道便民服务中心办理，携带身份证即可，当场办结。"
    resp = api.post("/admin/api/answers", headers=AUTH, json={
        "question": "老年人优待证在哪里办？", "variants": ["怎么办理老年优待证", "优待证去哪办"],
        "answer": text, "region": "槐荫区", "source": "槐荫区民政局答复口径（2025年第3期）"})
    assert resp.status_code == 201, resp.get_json()
    answer_id = resp.get_json()["id"]
    assert isinstance(answer_id, str)
    for q in ("老年人优待证在哪里办？", "请问老年人优待证在哪里办", "怎么办理老年优待证？", "优待证去哪办呢"):
        got = ask(api, q)
        assert got["answered"] is True, q
        assert text in got["reply"] and "槐荫区民政局答复口径" in got["reply"]
        assert got["results"][0]["kind"] == "answer"
    assert all(r["kind"] == "answer" for r in ask(api, "老年人优待证在哪里办？")["results"][:1])
    unrelated = ask(api, "槐荫区养老补贴信息公开归哪个部门管？")
    assert unrelated["results"][0]["kind"] != "answer"

    assert api.delete(f"/admin/api/answers/{answer_id}", headers=AUTH).status_code == 204
    got = ask(api, "老年人优待证在哪里办？")
    assert not got["results"] or got["results"][0]["kind"] != "answer"
    assert api.delete(f"/admin/api/answers/{answer_id}", headers=AUTH).status_code == 404


def test_official_answer_keeps_plan_clauses_as_evidence(api: FlaskClient) -> None:
    q = "槐荫区养老补贴信息公开归哪个部门管？"
    api.post("/admin/api/answers", headers=AUTH, json={"question": q, "variants": [], "answer": "由区民政局负责。"})
    got = ask(api, q)
    assert got["results"][0]["kind"] == "answer"
    assert any(r["kind"] in ("clause", "task") for r in got["results"][1:])


@pytest.mark.parametrize("body", [
    {"variants": [], "answer": "x"},
    {"question": "q", "variants": [], "answer": ""},
    {"question": "q", "variants": "not a list", "answer": "x"},
    {"question": "q", "variants": [1], "answer": "x"},
    {"question": "q" * 300, "variants": [], "answer": "x"},
])
def test_bad_official_answers_are_refused(api: FlaskClient, body: dict) -> None:
    resp = api.post("/admin/api/answers", headers=AUTH, json=body)
    assert resp.status_code == 400 and resp.get_json()["error"]


def test_admin_actions_are_audited(api: FlaskClient, office_app: Flask) -> None:
    api.post("/admin/api/answers", headers=AUTH, json={"question": "问", "variants": [], "answer": "答"})
    events = office_app.extensions["office"].audit.recent()
    assert events[0].action == "answer.add" and events[0].who == "token" and events[0].ts


def test_another_worker_follows_a_publication(office_settings: Settings, engine, api: FlaskClient) -> None:
    """A second app on the same office folder (another worker process) picks the new plan set up by itself."""
    import time

    other = create_app(office_settings, engine=engine)
    try:
        worker = other.test_client()
        assert not cites(ask(worker, QUESTION), "天桥")
        status, body = upload(api, seed_docx(), "天桥.docx")
        assert api.post(f"/admin/api/plans/{body['id']}/publish", headers=AUTH).status_code == 200
        deadline = time.monotonic() + 120
        while not cites(ask(worker, QUESTION), "天桥") and time.monotonic() < deadline:
            time.sleep(0.2)  # the first request after the change started the rebuild; later ones see it
        assert cites(ask(worker, QUESTION), "天桥")
    finally:
        close_app(other)


def test_a_damaged_plan_record_stops_start_up_with_one_line(office_settings: Settings, engine) -> None:
    from indexer.settings import ConfigError

    record = office_settings.path("office.dir") / "plans.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("{broken", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        create_app(office_settings)
    assert "plans.json" in str(err.value) and "\n" not in str(err.value)


def test_publishing_reuses_the_parse_made_at_upload(api: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The upload's parse (OCR included, for a scan) is the one the published index is built from."""
    import indexer.entries

    parsed: list[str] = []
    real = indexer.entries.build_document

    def counting(text: str, file: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        parsed.append(Path(file).name)
        return real(text, file, *args, **kwargs)

    monkeypatch.setattr(indexer.entries, "build_document", counting)
    status, body = upload(api, seed_docx(), "市中区2025年要点.docx")
    assert status == 201, body
    parsed.clear()  # the upload was parsed (in the sandbox's child process); now only the publish counts
    assert api.post(f"/admin/api/plans/{body['id']}/publish", headers=AUTH).status_code == 200
    assert not [name for name in parsed if name.endswith("市中区2025年要点.docx")], parsed
