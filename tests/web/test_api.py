"""bot/channels/web/api.py: every JSON route, every bad request, CORS, rate limiting, logging under concurrency."""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.channels.web import get_state
from tests.fake_engine import FakeEngine

QUESTION = "槐荫区养老补贴信息公开归哪个部门管？"


def store_of(app: Flask):
    with app.app_context():
        return get_state().store


# -- POST /api/ask ---------------------------------------------------------------------------------

def test_ask_returns_exactly_the_engine_answer(client: FlaskClient, engine) -> None:
    resp = client.post("/api/ask", json={"question": QUESTION, "region": "槐荫区"})
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    body = resp.get_json()
    assert body.pop("answer_id").startswith("a1.")  # the one field the API adds, for feedback
    assert body == engine.answer(QUESTION, region="槐荫区").to_dict()
    assert "区民政局" in body["units"]
    assert body["answered"] is True and body["intent"] == "who"
    assert list(body) == ["question", "intent", "answered", "reply", "results", "suggestions", "units",
                          "deadline", "citation", "lang", "region", "brief", "context"]
    assert "区民政局".encode() in resp.data  # UTF-8, not \\u escapes


def test_follow_up_uses_the_session_context(client: FlaskClient) -> None:
    first = client.post("/api/ask", json={"question": QUESTION, "session": "conv-1"}).get_json()
    follow = client.post("/api/ask", json={"question": "那完成时限呢？", "session": "conv-1"}).get_json()
    assert follow["answered"] is True
    assert follow["intent"] == "when"
    assert follow["deadline"]
    assert follow["results"][0]["id"] in first["context"]["entry_ids"]
    # Another session has no context to lean on.
    other = client.post("/api/ask", json={"question": "那完成时限呢？", "session": "conv-2"}).get_json()
    assert other["results"][:1] != follow["results"][:1] or other["answered"] is False


def test_context_is_passed_to_the_engine(app_factory) -> None:
    fake = FakeEngine()
    client = app_factory(fake).test_client()
    client.post("/api/ask", json={"question": QUESTION, "session": "abc", "region": "槐荫区"})
    client.post("/api/ask", json={"question": "那完成时限呢？", "session": "abc"})
    client.post("/api/ask", json={"question": QUESTION})
    (q1, r1, c1), (q2, r2, c2), (_, _, c3) = fake.asked
    assert (q1, r1, c1) == (QUESTION, "槐荫区", None)
    assert r2 is None and c2 is not None and c2.entry_ids == ["hy-21"]
    assert c3 is None


def test_question_is_logged_with_hashed_session(app: Flask, client: FlaskClient) -> None:
    client.post("/api/ask", json={"question": "  " + QUESTION + "  ", "session": "sess-42"})
    client.post("/api/ask", json={"question": "火星上有政务公开吗？", "channel": "kiosk"})
    store = store_of(app)
    store.flush()
    rows = store.db.run("SELECT question, intent, answered, entry_id, latency_ms, session, channel FROM questions ORDER BY id")
    q, intent, answered, entry_id, latency, session, channel = rows[0]
    assert q == QUESTION and intent == "who" and answered == 1 and entry_id and latency >= 0
    assert session == store.pseudonym("sess-42") and session != "sess-42"
    assert channel == "web"
    assert rows[1][5] is None and rows[1][6] == "kiosk"


@pytest.mark.parametrize(("kwargs", "status", "message"), [
    ({"data": "question=hi", "content_type": "application/x-www-form-urlencoded"}, 415, "Content-Type must be application/json"),
    ({"data": "hello", "content_type": "text/plain"}, 415, "application/json"),
    ({"data": "{\"question\": \"hi\"}"}, 415, "got none"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": "", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"json": ["养老"]}, 400, "must be a JSON object"),
    ({"json": {}}, 400, "missing field: question"),
    ({"json": {"q": "养老"}}, 400, "missing field: question"),
    ({"json": {"question": None}}, 400, "missing field: question"),
    ({"json": {"question": 42}}, 400, "question must be a string"),
    ({"json": {"question": ["养老"]}}, 400, "question must be a string"),
    ({"json": {"question": ""}}, 400, "question is empty"),
    ({"json": {"question": " \t\n\u3000 "}}, 400, "question is empty"),
    ({"json": {"question": "养" * 501}}, 413, "too long (501 characters; at most 500)"),
    ({"json": {"question": QUESTION, "region": 5}}, 400, "region must be a string"),
    ({"json": {"question": QUESTION, "session": 5}}, 400, "session must be"),
    ({"json": {"question": QUESTION, "session": "<script>"}}, 400, "session must be"),
    ({"json": {"question": QUESTION, "session": "x" * 101}}, 400, "session must be"),
])
def test_bad_requests_say_what_is_wrong(client: FlaskClient, kwargs: dict, status: int, message: str) -> None:
    resp = client.post("/api/ask", **kwargs)
    assert resp.status_code == status
    assert resp.mimetype == "application/json"
    assert message in resp.get_json()["error"]


def test_500_characters_is_accepted(client: FlaskClient) -> None:
    resp = client.post("/api/ask", json={"question": "养老" + "。" * 498})
    assert resp.status_code == 200


def test_100kb_body_is_refused_before_parsing(client: FlaskClient) -> None:
    body = json.dumps({"question": "养" * 100_000})
    resp = client.post("/api/ask", data=body, content_type="application/json")
    assert resp.status_code == 413
    assert "too large" in resp.get_json()["error"]


def test_html_in_question_is_returned_as_json_text(client: FlaskClient) -> None:
    hostile = "<img src=x onerror=alert(1)><script>alert(2)</script>养老补贴"
    resp = client.post("/api/ask", json={"question": hostile})
    assert resp.status_code == 200
    assert resp.mimetype == "application/json"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.get_json()["question"] == hostile


def test_engine_failure_is_a_json_500_without_traceback(app_factory, caplog: pytest.LogCaptureFixture) -> None:
    client = app_factory(FakeEngine()).test_client()
    resp = client.post("/api/ask", json={"question": "boom"})
    assert resp.status_code == 500
    assert resp.get_json() == {"error": "internal error"}
    assert b"Traceback" not in resp.data and b"exploded" not in resp.data
    assert "engine failed" in caplog.text


def test_unexpected_error_in_any_api_route_is_json(app_factory) -> None:
    class Broken(FakeEngine):
        def featured(self):
            raise ValueError("secret detail")

    client = app_factory(Broken()).test_client()
    resp = client.get("/api/faq")
    assert resp.status_code == 500
    assert resp.get_json() == {"error": "internal error"}
    assert b"secret" not in resp.data


def test_unknown_api_path_and_wrong_method_are_json(client: FlaskClient) -> None:
    resp = client.get("/api/nothing-here")
    assert resp.status_code == 404 and resp.get_json() == {"error": "not found: /api/nothing-here"}
    resp = client.get("/api/ask")
    assert resp.status_code == 405
    assert "use POST" in resp.get_json()["error"]
    resp = client.delete("/api/feedback")
    assert resp.status_code == 405 and resp.is_json


# -- rate limiting ---------------------------------------------------------------------------------

def test_rate_limit_answers_429_with_retry_after(app_factory) -> None:
    client = app_factory(rate_limit=3).test_client()
    for _ in range(3):
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200
    resp = client.post("/api/ask", json={"question": QUESTION})
    assert resp.status_code == 429
    assert resp.is_json and "too many" in resp.get_json()["error"]
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    # Another client is not affected.
    other = client.post("/api/ask", json={"question": QUESTION}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_rate_limit_zero_disables(app_factory) -> None:
    client = app_factory(rate_limit=0).test_client()
    for _ in range(30):
        assert client.post("/api/ask", json={"question": "养老"}).status_code == 200


def test_sliding_window() -> None:
    from bot.channels.web.ratelimit import RateLimiter

    now = [1000.0]
    rl = RateLimiter(2, window=60, clock=lambda: now[0])
    assert rl.hit("a") == 0
    now[0] += 30
    assert rl.hit("a") == 0
    assert rl.hit("a") == 30
    now[0] += 30.5
    assert rl.hit("a") == 0  # the first hit slid out
    assert rl.hit("a") > 0


# -- CORS ------------------------------------------------------------------------------------------

def test_cors_preflight(client: FlaskClient) -> None:
    resp = client.options("/api/ask", headers={"Origin": "https://www.example.gov.cn",
                                                "Access-Control-Request-Method": "POST",
                                                "Access-Control-Request-Headers": "content-type"})
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in resp.headers["Access-Control-Allow-Headers"]
    assert int(resp.headers["Access-Control-Max-Age"]) > 0
    resp = client.post("/api/ask", json={"question": QUESTION}, headers={"Origin": "https://www.example.gov.cn"})
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_cors_allow_list(app_factory) -> None:
    client = app_factory(cors_origins="https://a.gov.cn, https://b.gov.cn").test_client()
    ok = client.get("/api/faq", headers={"Origin": "https://b.gov.cn"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://b.gov.cn"
    assert "Origin" in ok.headers["Vary"]
    bad = client.get("/api/faq", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    assert client.get("/", headers={"Origin": "https://b.gov.cn"}).headers.get("Access-Control-Allow-Origin") is None


# -- other routes ----------------------------------------------------------------------------------

def test_suggest_pinyin_prefix(client: FlaskClient) -> None:
    """People type pinyin before choosing characters: "yanglao" / "yl" must already suggest 养老 questions."""
    for prefix in ("yanglao", "yangl"):
        body = client.get("/api/suggest", query_string={"q": prefix}).get_json()
        assert body["q"] == prefix
        assert any("养老" in s for s in body["suggestions"]), (prefix, body)


def test_suggest(client: FlaskClient) -> None:
    resp = client.get("/api/suggest", query_string={"q": "养老"})
    body = resp.get_json()
    assert resp.status_code == 200 and body["q"] == "养老"
    assert body["suggestions"] and all(isinstance(s, str) for s in body["suggestions"])
    assert any("养老" in s for s in body["suggestions"])
    assert client.get("/api/suggest?q=").get_json() == {"q": "", "suggestions": []}
    assert client.get("/api/suggest").get_json() == {"q": "", "suggestions": []}
    assert len(client.get("/api/suggest?q=养老&limit=2").get_json()["suggestions"]) <= 2
    assert client.get("/api/suggest?q=养老&limit=x").status_code == 400
    assert client.get("/api/suggest", query_string={"q": "养" * 501}).status_code == 413


def test_faq_lists_topics(client: FlaskClient) -> None:
    resp = client.get("/api/faq")
    topics = resp.get_json()
    assert resp.status_code == 200 and isinstance(topics, list) and topics
    for t in topics:
        assert set(t) == {"key", "name", "questions"}
        assert t["name"] and isinstance(t["questions"], list)
    assert "养老" in [t["name"] for t in topics]


def test_info(client: FlaskClient) -> None:
    body = client.get("/api/info").get_json()
    assert body["site_name"] == "政务公开问答" and body["max_question_chars"] == 500
    assert "槐荫区" in body["regions"]


def _asked(client: FlaskClient, question: str = QUESTION) -> tuple[str | None, str]:
    """(top entry id, answer_id) of one /api/ask reply: what a feedback vote must name."""
    body = client.post("/api/ask", json={"question": question}).get_json()
    return (body["results"][0]["id"] if body["results"] else None), body["answer_id"]


def test_feedback_is_persisted(app: Flask, client: FlaskClient) -> None:
    entry_id, answer_id = _asked(client)
    resp = client.post("/api/feedback", json={"helpful": False, "question": QUESTION, "entry_id": entry_id,
                                              "answer_id": answer_id, "session": "s-1", "comment": "<b>没说清楚</b>"})
    assert resp.status_code == 201 and resp.get_json()["status"] == "ok"
    entry_id2, answer_id2 = _asked(client)
    assert client.post("/api/feedback", json={"helpful": True, "question": QUESTION, "entry_id": entry_id2,
                                              "answer_id": answer_id2}).status_code == 201
    store = store_of(app)
    assert store.count("feedback") == 2
    (row,) = store.unhelpful()
    assert (row.question, row.entry_id, row.comment) == (QUESTION, entry_id, "<b>没说清楚</b>")


def test_answer_ids_are_unique_and_keep_every_field(client: FlaskClient) -> None:
    a = client.post("/api/ask", json={"question": QUESTION}).get_json()
    b = client.post("/api/ask", json={"question": QUESTION}).get_json()  # the cached answer
    assert a["answer_id"] != b["answer_id"] and a["answer_id"].startswith("a1.")
    assert {k: v for k, v in a.items() if k != "answer_id"} == {k: v for k, v in b.items() if k != "answer_id"}
    assert "reply" in a and "results" in a


def test_feedback_only_for_an_answer_the_server_gave(app: Flask, client: FlaskClient) -> None:
    entry_id, answer_id = _asked(client)
    base = {"helpful": False, "question": QUESTION, "entry_id": entry_id}
    forged = answer_id[:-4] + ("0000" if not answer_id.endswith("0000") else "1111")
    for bad, status in ((None, 400), (forged, 403), ("a1.x.y.z", 403), (answer_id + "x", 403), (7, 400)):
        body = dict(base, answer_id=bad) if bad is not None else base
        assert client.post("/api/feedback", json=body).status_code == status, bad
    other = dict(base, entry_id="2022-槐荫区#一.1", answer_id=answer_id)  # a real id, for another entry
    assert client.post("/api/feedback", json=other).status_code == 403
    assert store_of(app).count("feedback") == 0
    for helpful in (False, True):  # voting twice on one answer keeps one vote, the last
        assert client.post("/api/feedback", json=dict(base, answer_id=answer_id, helpful=helpful)).status_code == 201
    assert store_of(app).count("feedback") == 1 and store_of(app).unhelpful() == []


@pytest.mark.parametrize(("body", "message"), [
    ({"question": QUESTION}, "missing field: helpful"),
    ({"helpful": True, "question": QUESTION}, "missing field: answer_id"),
    ({"helpful": "yes", "question": QUESTION}, "helpful must be true or false"),
    ({"helpful": 1, "question": QUESTION}, "helpful must be true or false"),
    ({"helpful": True}, "missing field: question"),
    ({"helpful": True, "question": "  "}, "question is empty"),
    ({"helpful": True, "question": QUESTION, "comment": 3}, "comment must be a string"),
    ({"helpful": True, "question": QUESTION, "comment": "x" * 1001}, "comment is too long"),
    ({"helpful": True, "question": QUESTION, "entry_id": ["a"]}, "entry_id must be a string"),
])
def test_feedback_bad_requests(client: FlaskClient, body: dict, message: str) -> None:
    resp = client.post("/api/feedback", json=body)
    assert resp.status_code == 400
    assert message in resp.get_json()["error"]
    assert client.post("/api/feedback", data="x", content_type="text/plain").status_code == 415


def test_entry_with_its_source(client: FlaskClient) -> None:
    answer = client.post("/api/ask", json={"question": QUESTION}).get_json()
    entry_id = answer["results"][0]["id"]
    resp = client.get("/api/entries/" + quote(entry_id, safe=""))
    body = resp.get_json()
    assert resp.status_code == 200
    assert body["id"] == entry_id and body["text"] == answer["results"][0]["text"]
    assert body["document_title"] and "槐荫区" in body["document_title"]
    missing = client.get("/api/entries/no-such-entry")
    assert missing.status_code == 404 and missing.get_json() == {"error": "unknown entry: no-such-entry"}


def test_healthz(client: FlaskClient) -> None:
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["entries"] > 0


def test_security_headers_on_api(client: FlaskClient) -> None:
    resp = client.get("/api/faq")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in resp.headers  # JSON, not a page
    assert client.post("/api/ask", json={"question": QUESTION}).headers["Cache-Control"] == "no-store"


# -- concurrency -----------------------------------------------------------------------------------

def run_threads(n_threads: int, n_requests: int, job: Callable[[int], int]) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()
    counter = iter(range(n_requests))

    def worker() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            status = job(i)
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_concurrent_requests_are_all_logged(app: Flask) -> None:
    questions = [QUESTION, "就业创业补贴政策由哪个部门公开？", "火星上有政务公开吗？", "养老"]

    def job(i: int) -> int:
        client = app.test_client()
        return client.post("/api/ask", json={"question": questions[i % 4], "session": f"t-{i % 8}"}).status_code

    statuses = run_threads(8, 50, job)
    assert statuses == [200] * 50
    assert store_of(app).count() == 50


# -- answer cache and session contexts ---------------------------------------------------------------

def test_repeated_questions_are_served_from_the_cache(app_factory) -> None:
    fake = FakeEngine()
    app = app_factory(fake)
    client = app.test_client()
    first = client.post("/api/ask", json={"question": QUESTION})
    second = client.post("/api/ask", json={"question": "  " + QUESTION})
    strip = {"answer_id": None}
    assert dict(first.get_json(), **strip) == dict(second.get_json(), **strip) and len(fake.calls) == 1
    client.post("/api/ask", json={"question": QUESTION, "region": "槐荫区"})  # another region: asked again
    client.post("/api/ask", json={"question": QUESTION, "session": "a"})  # no context yet: cached
    client.post("/api/ask", json={"question": "那完成时限呢？", "session": "a"})  # with context: asked
    assert len(fake.calls) == 3
    assert store_of(app).count() == 5  # every request is still logged


def test_cached_answers_give_each_session_its_own_context(app_factory) -> None:
    client = app_factory(FakeEngine()).test_client()
    for sid in ("s1", "s2"):
        client.post("/api/ask", json={"question": QUESTION, "session": sid})
    with client.application.app_context():
        sessions = get_state().sessions
        c1, c2 = sessions.get("s1"), sessions.get("s2")
    assert c1 == c2 and c1 is not c2


def test_session_contexts_are_bounded_and_expire() -> None:
    from bot.channels.web.sessions import SessionContexts
    from bot.engine.answer import Context

    now = [0.0]
    store = SessionContexts(max_size=3, ttl=100, clock=lambda: now[0])
    for i in range(4):
        store.put(f"s{i}", Context(question=str(i)))
    assert len(store) == 3 and store.get("s0") is None  # least recently used went first
    assert store.get("s1").question == "1"
    now[0] = 50
    store.put("s4", Context(question="4"))  # s2 is now the least recently used
    assert store.get("s2") is None and store.get("s1") is not None
    now[0] = 120
    assert store.get("s3") is None  # expired (put at 0, ttl 100)
    assert store.get("s4") is not None
    store.put(None, Context())
    assert store.get(None) is None


def test_behind_a_trusted_proxy_the_forwarded_client_is_rate_limited(app_factory) -> None:
    client = app_factory(rate_limit=2, trusted_proxies=1).test_client()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(2):
        resp = client.post("/api/ask", json={"question": QUESTION}, environ_base=proxy,
                           headers={"X-Forwarded-For": "203.0.113.5"})
        assert resp.status_code == 200
    limited = client.post("/api/ask", json={"question": QUESTION}, environ_base=proxy,
                          headers={"X-Forwarded-For": "203.0.113.5"})
    assert limited.status_code == 429
    # Another visitor behind the same proxy keeps their own allowance.
    other = client.post("/api/ask", json={"question": QUESTION}, environ_base=proxy,
                        headers={"X-Forwarded-For": "203.0.113.6"})
    assert other.status_code == 200


@pytest.mark.parametrize(("body", "message"), [
    ("[" * 5000 + "]" * 5000, "not valid JSON"),
    ('{"question":' + "[" * 3000 + "]" * 3000 + "}", "not valid JSON"),
    ('{"question": "a", "x": ' + '{"a":' * 900 + '"\\ud800"' + "}" * 900 + "}", "surrogate"),
])
def test_deep_or_odd_json_is_a_400(client: FlaskClient, body: str, message: str) -> None:
    resp = client.post("/api/ask", data=body, content_type="application/json")
    assert resp.status_code == 400 and message in resp.get_json()["error"]


def test_an_odd_channel_counts_as_web(app: Flask, client: FlaskClient) -> None:
    assert client.post("/api/ask", json={"question": QUESTION, "channel": ["kiosk"]}).status_code == 200
    assert client.post("/api/ask", json={"question": QUESTION, "channel": {"a": 1}}).status_code == 200
    store = store_of(app)
    store.flush()
    assert store.db.run("SELECT DISTINCT channel FROM questions") == [("web",)]
