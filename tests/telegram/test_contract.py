"""The engine contract: the same question gets the same answer through every adapter.

Asked through the CLI (`python -m bot ask --json`, a real subprocess), the HTTP API (`POST /api/ask`
through the Flask app) and the staff bot (the real PTB Application against the fake Bot API), each
question must come back with the same decision: answered or not, the same top clause, the same units
and deadline. Also: the real Engine and both test fakes satisfy `bot.engine.answer.EngineContract`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.channels.web import close_app, create_app
from bot.engine.answer import EngineContract
from bot.engine.coordinator import Engine
from indexer.settings import Settings, load_settings

from .fake_bot_api import FakeBotApi, message_update
from .harness import bot_running, run

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    "槐荫区养老补贴信息公开归哪个部门管？",  # who
    "历城区年度政务公开工作实施方案什么时候前编制好？",  # when
    "栖霞市的自来水一吨多少钱？",  # declined: amount
    "海淀区养老补贴谁负责？",  # declined: a district not held
]
pytestmark = pytest.mark.e2e


def _cli(questions: list[str], index_path: Path) -> list[dict]:
    env = dict(os.environ, ZWGK_KNOWLEDGE__INDEX_PATH=str(index_path))
    out = subprocess.run([sys.executable, "-m", "bot", "ask", "--json", "-"], input="\n".join(questions) + "\n",
                         capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def _api(questions: list[str], engine: Engine, database: Path) -> list[dict]:
    settings = load_settings(environ={}).replace(web__database=str(database), web__rate_limit=0)
    app = create_app(settings, engine=engine)
    try:
        client = app.test_client()
        return [client.post("/api/ask", json={"question": q}).get_json() for q in questions]
    finally:
        close_app(app)


def _staffbot(questions: list[str], engine: Engine, api: FakeBotApi, settings: Settings) -> list[str]:
    async def scenario() -> list[str]:
        texts = []
        async with bot_running(settings, engine):
            for i, q in enumerate(questions, 1):
                message_update(api, q, chat_id=2000 + i, user_id=2000 + i)  # a fresh chat: no follow-up context
                sent = await api.wait_for("sendMessage", i)
                texts.append(sent[i - 1]["text"])
        return texts

    return run(scenario(), timeout=60)


def test_same_answer_through_cli_api_and_staff_bot(real_engine: Engine, api: FakeBotApi, settings: Settings,
                                                     tmp_path: Path) -> None:
    cli = _cli(QUESTIONS, tmp_path / "index.pickle")
    web = _api(QUESTIONS, real_engine, tmp_path / "web.sqlite3")
    bot = _staffbot(QUESTIONS, real_engine, api, settings)
    direct = [real_engine.answer(q).to_dict() for q in QUESTIONS]
    for q, c, w, b, d in zip(QUESTIONS, cli, web, bot, direct, strict=True):
        for field in ("answered", "intent", "units", "deadline", "citation", "reply"):
            assert c[field] == w[field] == d[field], (q, field)
        assert [r["id"] for r in c["results"]] == [r["id"] for r in w["results"]], q
        if c["answered"]:
            top = c["results"][0]
            assert all(u in b for u in top["responsible"]), (q, b)
            assert top["text"][:20] in b, (q, b)
        else:
            assert c["reply"].split("\n")[0][:12] in b, (q, b)


def test_the_engine_and_the_shared_fake_satisfy_the_contract(real_engine: Engine) -> None:
    from tests.fake_engine import FakeEngine

    for engine in (real_engine, FakeEngine()):
        assert isinstance(engine, EngineContract), type(engine)
