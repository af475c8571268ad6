"""Shared state on a REAL PostgreSQL: two app instances (as two workers) share follow-up context,
rate limits, the question log and answer ids; bot/storage/shared.py directly as well."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from bot.channels.web import close_app, create_app
from bot.engine.answer import Context
from bot.storage import open_database
from bot.storage.shared import SharedRateLimiter, SharedSessions
from indexer.settings import load_settings


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pg_url(postgres_server) -> str:
    return postgres_server.new_database()


def test_shared_sessions_expire_and_hash_their_keys(pg_url: str) -> None:
    clock = Clock()
    with open_database(pg_url) as db:
        a, b = SharedSessions(db, b"salt", ttl=60, clock=clock), SharedSessions(db, b"salt", ttl=60, clock=clock)
        a.put("browser-1", Context(question="养老补贴归谁管？", region="槐荫区", entry_ids=["e1"]))
        got = b.get("browser-1")
        assert got is not None and got.region == "槐荫区" and got.entry_ids == ["e1"]
        assert db.run("SELECT COUNT(*) FROM sessions WHERE sid = 'browser-1'") == [(0,)]  # never in clear
        clock.now += 61
        assert a.get("browser-1") is None and b.get(None) is None


def test_shared_rate_limit_counts_across_instances(pg_url: str) -> None:
    clock = Clock()
    with open_database(pg_url) as db:
        one, two = (SharedRateLimiter(db, b"salt", limit=3, window=60, clock=clock) for _ in range(2))
        assert [one.hit("1.2.3.4"), two.hit("1.2.3.4"), one.hit("1.2.3.4")] == [0, 0, 0]
        wait = two.hit("1.2.3.4")
        assert 1 <= wait <= 60 and one.hit("5.6.7.8") == 0
        clock.now += 60
        assert one.hit("1.2.3.4") == 0


@pytest.fixture
def two_workers(pg_url: str) -> Iterator[tuple[Flask, Flask]]:
    from bot.engine.coordinator import Engine

    settings = load_settings(environ={}).replace(web__database=pg_url, web__rate_limit=5)
    engine = Engine.load(settings)
    apps = (create_app(settings, engine=engine), create_app(settings, engine=engine))
    try:
        yield apps
    finally:
        for app in apps:
            close_app(app)


def test_two_workers_share_context_log_answer_ids_and_limit(two_workers: tuple[Flask, Flask]) -> None:
    one, two = (app.test_client() for app in two_workers)
    first = one.post("/api/ask", json={"question": "槐荫区养老补贴信息公开归哪个部门管？", "session": "s-1"}).get_json()
    follow = two.post("/api/ask", json={"question": "那完成时限呢？", "session": "s-1"}).get_json()
    assert first["answered"] and follow["answered"]
    assert follow["results"][0]["id"] == first["results"][0]["id"]  # the context crossed workers
    vote = {"helpful": True, "question": first["question"], "entry_id": first["results"][0]["id"],
            "answer_id": first["answer_id"]}
    assert two.post("/api/feedback", json=vote).status_code == 201  # an id from the other worker
    statuses = [c.post("/api/ask", json={"question": "依申请公开要多久答复？"}).status_code for c in (one, two, one, two)]
    assert statuses == [200, 200, 429, 429]  # 5 per minute (the vote counts too), across both workers
    for app in two_workers:
        assert app.extensions["zwgk"].store.flush()
    store = two_workers[0].extensions["zwgk"].store
    assert store.count() == 4 and store.count("feedback") == 1
    assert two.get("/healthz").get_json()["log"]["backend"] == "postgresql"
