"""Fixtures for the WeChat (公众号) tests: WeChat's side, the fake API on 127.0.0.1, the app's crypto."""
from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.wechat import WeChatApp, build_wechat
from bot.channels.wxcrypto import WXBizMsgCrypt
from indexer.settings import Settings, load_settings
from tests.fake_engine import FakeEngine
from tests.web.live_server import LiveServer

from .fake_wechat_api import FakeWeChatApi
from .wechat_side import AES_KEY, APP_ID, APP_SECRET, TOKEN, WeChatSide


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours HTTP(S)_PROXY from the environment; 127.0.0.1 must be reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def app_crypto(token: str = TOKEN, aes_key: str = AES_KEY, app_id: str = APP_ID) -> WXBizMsgCrypt:
    """The app's WXBizMsgCrypt for this account (the scheme shared with the WeCom channel)."""
    return WXBizMsgCrypt(token, aes_key, app_id)


@pytest.fixture
def wechat() -> WeChatSide:
    return WeChatSide()


@pytest.fixture
def api() -> Iterator[FakeWeChatApi]:
    with FakeWeChatApi() as server:
        yield server


# -- the message server on 127.0.0.1, over a fake engine (tests/fake_engine.py) or the real one ------------

def wechat_settings_for(api: FakeWeChatApi, tmp: Path, **overrides: Any) -> Settings:
    """Project defaults (environment ignored), the account pointed at the fake API, private database and office."""
    values: dict[str, Any] = {
        "wechat__app_id": APP_ID, "wechat__app_secret": APP_SECRET, "wechat__token": TOKEN, "wechat__aes_key": AES_KEY,
        "wechat__api_base": api.base_url, "web__database": str(tmp / "zwgk.sqlite3"),
        "office__dir": str(tmp / "office"), "knowledge__index_path": str(tmp / "index")}
    return load_settings(environ={}).replace(**{**values, **overrides})


@dataclass
class Running:
    """The message server, its parts, the fake API and a client playing WeChat."""

    app: WeChatApp
    api: FakeWeChatApi
    url: str
    wechat: WeChatSide
    client: httpx.Client

    def push(self, inner: str, openid: str, **kwargs: Any) -> tuple[httpx.Response, dict[str, str]]:
        query, body = self.wechat.push(inner, openid, **kwargs)
        response = self.client.post(self.url, params=query, content=body.encode("utf-8"),
                                    headers={"Content-Type": "text/xml"})
        return response, query

    def replies(self, inner: str, openid: str, *, settle: float = 0.3, **kwargs: Any) -> list[str]:
        """What the citizen sees for one push: the passive reply, or the 客服消息 sent after "success"."""
        before = len(self.api.texts(openid))
        started = time.monotonic()
        response, query = self.push(inner, openid, **kwargs)
        assert response.status_code == 200, response.text
        assert time.monotonic() - started < 5.0, "WeChat gives up after 5 s"
        passive = self.wechat.read_reply(response.text, query)
        if passive is not None:
            assert passive["ToUserName"] == openid and passive["MsgType"] == "text"
            return [passive["Content"]]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(self.api.texts(openid)) == before:
            time.sleep(0.02)
        time.sleep(settle)  # the other parts of a split reply
        return self.api.texts(openid)[before:]

    def say(self, text: str, openid: str = "o-zhang", **kwargs: Any) -> str:
        return "\n".join(self.replies(self.wechat.text(openid, text), openid, **kwargs))


def start(api: FakeWeChatApi, settings: Settings, engine: Any, **kwargs: Any) -> Iterator[Running]:
    """Serve `engine`; a fake engine is kept when the feed announces plans (the real one is reloaded)."""
    kwargs.setdefault("reload", not isinstance(engine, FakeEngine))
    app = build_wechat(settings, engine, backoff=0.01, **kwargs)
    try:
        with LiveServer(app.flask, threads=8) as server, httpx.Client(timeout=10.0) as client:
            yield Running(app, api, server.url + settings["wechat.path"], WeChatSide(), client)
    finally:
        app.close()


@pytest.fixture
def settings(api: FakeWeChatApi, tmp_path: Path) -> Settings:
    return wechat_settings_for(api, tmp_path)


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def running(api: FakeWeChatApi, settings: Settings, fake_engine: FakeEngine) -> Iterator[Running]:
    yield from start(api, settings, fake_engine)
