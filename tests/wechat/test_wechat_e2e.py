"""End to end over the real engine: conversations exactly as the widget has them, 政策找人 fired by a real
publish in /admin, and `python -m bot wechat` (and `wechat menu`) run as processes against the fake API."""
from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.wechat.split import split_text
from indexer.settings import PROJECT_ROOT, Settings
from tests.web.office_seed import QUESTION, seed_docx

from .conftest import Running, start, wechat_settings_for
from .fake_wechat_api import FakeWeChatApi
from .wechat_side import AES_KEY, APP_ID, APP_SECRET, TOKEN, WeChatSide

pytestmark = pytest.mark.e2e

WHO = "槐荫区养老补贴信息公开归哪个部门管？"


@pytest.fixture
def real(api: FakeWeChatApi, tmp_path: Path, shipped_settings: Settings,
         shipped_engine: Any) -> Iterator[Running]:
    settings = wechat_settings_for(api, tmp_path, knowledge__index_path=str(shipped_settings["knowledge.index_path"]))
    yield from start(api, settings, shipped_engine, reload=False)


def test_conversations_read_exactly_as_in_the_widget(real: Running, shipped_engine: Any) -> None:
    turns = [WHO, "那完成时限呢？", "那历城区呢？"]
    context = None
    for turn in turns:
        expected = shipped_engine.answer(turn, context=context)
        context = expected.context
        assert real.say(turn, openid="o-real") == "\n".join(split_text(expected.reply))
    assert "区民政局" in real.say(WHO, openid="o-other")


def test_welcome_lists_three_featured_questions(real: Running, shipped_engine: Any) -> None:
    welcome = real.replies(real.wechat.event("o-new", "subscribe"), "o-new")[0]
    featured = [t.questions[0] for t in shipped_engine.featured()[:3]]
    assert all(f"{i}. {q}" in welcome for i, q in enumerate(featured, 1))


def test_the_shipped_menu_asks_real_questions(real: Running) -> None:
    import json

    menu = json.loads((PROJECT_ROOT / "knowledge/data/wechat_menu.json").read_text(encoding="utf-8"))
    keys = [b["key"] for b in menu["button"][1]["sub_button"]]
    reply = "\n".join(real.replies(real.wechat.event("o-menu", "CLICK", keys[0]), "o-menu", settle=0.5))
    assert "区民政局" in reply and "项" in reply


def test_a_real_publish_fires_subscription_notices(api: FakeWeChatApi, tmp_path: Path,
                                                   shipped_settings: Settings, shipped_engine: Any) -> None:
    from bot.channels.web import close_app, create_app

    settings = wechat_settings_for(api, tmp_path, wechat__notice_template="TPL-zwgk",
                                   web__admin_token="office-test-token-4f9a2c7e1b", web__rate_limit=0,
                                   knowledge__index_path=str(tmp_path / "index"))
    auth = {"Authorization": "Bearer office-test-token-4f9a2c7e1b"}
    for run in start(api, settings, shipped_engine, reload=True):
        run.say("订阅 低空经济", openid="o-sub")
        run.say("订阅 医保", openid="o-other")
        run.push(run.wechat.popup("o-late", "TPL-zwgk", status="reject"), "o-late")
        run.say("订阅 无人机", openid="o-late")
        office = create_app(settings, engine=shipped_engine)
        try:
            admin = office.test_client()
            upload = admin.post("/admin/api/plans", headers=auth, content_type="multipart/form-data",
                                data={"file": (io.BytesIO(seed_docx()), "天桥区2025年要点.docx")})
            assert upload.status_code == 201, upload.get_json()
            started = time.monotonic()
            published = admin.post(f"/admin/api/plans/{upload.get_json()['id']}/publish", headers=auth)
            assert published.status_code == 200
            publish_seconds = time.monotonic() - started
            announcing = office.extensions["office"].publisher.announcing
            assert announcing is not None
            announcing.join(30)
        finally:
            close_app(office)
        assert run.app.notifier.poll() == 2
        notice = api.notices("o-sub")[0].body
        values = {k: v["value"] for k, v in notice["data"].items()}
        assert values["thing1"] == "低空经济" and "天桥区" in values["thing3"], values
        assert api.notices("o-other") == [] and api.notices("o-late") == []
        late = run.say("你好", openid="o-late")  # refused 订阅通知: told with the next reply
        assert "【政策找人】您订阅的“无人机”" in late and "无人机飞行服务站" in late and "天桥区" in late
        assert "区发展改革局" in run.say(QUESTION, openid="o-sub")  # the channel now answers from the new set
        assert publish_seconds < 60


# -- the process ---------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(api: FakeWeChatApi, tmp_path: Path, shipped_settings: Settings, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZWGK_")}
    env.update(ZWGK_WECHAT__APP_ID=APP_ID, ZWGK_WECHAT__APP_SECRET=APP_SECRET, ZWGK_WECHAT__TOKEN=TOKEN,
               ZWGK_WECHAT__AES_KEY=AES_KEY, ZWGK_WECHAT__API_BASE=api.base_url, ZWGK_WECHAT__PORT=str(port),
               ZWGK_WEB__DATABASE=str(tmp_path / "zwgk.sqlite3"), ZWGK_OFFICE__DIR=str(tmp_path / "office"),
               ZWGK_KNOWLEDGE__INDEX_PATH=str(shipped_settings["knowledge.index_path"]),
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return env


def test_python_m_bot_wechat_serves_then_stops_on_sigterm(api: FakeWeChatApi, tmp_path: Path,
                                                          shipped_settings: Settings, shipped_engine: Any) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/wechat/callback"
    log = (tmp_path / "wechat.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot", "wechat"], cwd=PROJECT_ROOT, stdout=log,
                               stderr=subprocess.STDOUT, env=_env(api, tmp_path, shipped_settings, port))
    wechat = WeChatSide()
    try:
        with httpx.Client(timeout=10.0) as client:
            deadline = time.monotonic() + 180
            while True:
                assert process.poll() is None, (tmp_path / "wechat.log").read_text()
                try:
                    if client.get(url, params=wechat.url_check("ready")).text == "ready":
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
            running = Running(app=None, api=api, url=url, wechat=wechat, client=client)  # type: ignore[arg-type]
            assert "区民政局" in running.say(WHO, openid="o-proc")
            assert "时限" in running.say("那完成时限呢？", openid="o-proc")
            forged, _ = running.push(wechat.text("o-proc", WHO), "o-proc", bad_msg_signature=True)
            assert forged.status_code == 403
            assert api.token_fetches() == 1  # fetched at start-up, then cached
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        log.close()


def test_python_m_bot_wechat_menu_pushes_the_shipped_menu(api: FakeWeChatApi, tmp_path: Path,
                                                          shipped_settings: Settings) -> None:
    env = _env(api, tmp_path, shipped_settings, _free_port())
    done = subprocess.run([sys.executable, "-m", "bot", "wechat", "menu"], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "menu created: 常见问题 / 按部门浏览 / 我的订阅" in done.stdout
    body = api.of("menu/create", ok=True)[0].body
    assert [b["name"] for b in body["button"]] == ["常见问题", "按部门浏览", "我的订阅"]
    env["ZWGK_WECHAT__APP_SECRET"] = "wrong-secret"
    refused = subprocess.run([sys.executable, "-m", "bot", "wechat"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode == 1 and "40125" in refused.stderr and "wrong-secret" not in refused.stderr
