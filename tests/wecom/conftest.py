"""Fixtures for the WeCom tests: the fake WeCom API, settings pointing at it, and the callback server
served by waitress on 127.0.0.1 (the real network path both ways)."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.wecom import WeComApp, build_wecom
from bot.engine.coordinator import Engine
from indexer.settings import Settings, load_settings
from tests.fake_engine import FakeEngine
from tests.web.live_server import LiveServer

from .fake_wecom_api import AGENT_ID, CORP_ID, SECRET, FakeWeComApi
from .wecom_side import AES_KEY, TOKEN, WeComSide

PATH = "/wecom/callback"


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours HTTP(S)_PROXY from the environment; 127.0.0.1 must be reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def wecom_settings_for(api: FakeWeComApi, database: Path, **overrides: Any) -> Settings:
    """Project defaults (environment ignored) with the app pointed at the fake API and a private database."""
    return load_settings(environ={}).replace(
        wecom__corp_id=CORP_ID, wecom__agent_id=AGENT_ID, wecom__secret=SECRET, wecom__token=TOKEN,
        wecom__aes_key=AES_KEY, wecom__api_base=api.base_url, web__database=str(database),
        telegram__page_size=3, **overrides)


@dataclass
class Running:
    """The callback server, its parts, the fake API and a client playing WeCom."""

    app: WeComApp
    api: FakeWeComApi
    url: str
    wecom: WeComSide
    client: httpx.Client

    def post(self, inner_xml: str, *, bad_signature: bool = False) -> httpx.Response:
        query, body = self.wecom.callback(inner_xml, bad_signature=bad_signature)
        return self.client.post(self.url, params=query, content=body.encode("utf-8"),
                                headers={"Content-Type": "text/xml"})

    def say(self, text: str, user: str = "ZhangSan", **kwargs: Any) -> httpx.Response:
        response = self.post(self.wecom.text_message(user, text, **kwargs))
        assert response.status_code == 200 and response.text in ("", "success"), response.text
        return response


def start(api: FakeWeComApi, settings: Settings, engine: Engine) -> Iterator[Running]:
    app = build_wecom(settings, engine, backoff=0.05)
    try:
        with LiveServer(app.flask) as server, httpx.Client(timeout=5.0) as client:
            yield Running(app, api, server.url + PATH, WeComSide(TOKEN, AES_KEY, CORP_ID), client)
    finally:
        app.close()


@pytest.fixture
def api() -> Iterator[FakeWeComApi]:
    with FakeWeComApi() as server:
        yield server


@pytest.fixture
def settings(api: FakeWeComApi, tmp_path: Path) -> Settings:
    return wecom_settings_for(api, tmp_path / "zwgk.sqlite3")


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def running(api: FakeWeComApi, settings: Settings, fake_engine: FakeEngine) -> Iterator[Running]:
    yield from start(api, settings, fake_engine)


@pytest.fixture(scope="session")
def real_engine() -> Engine:
    engine = Engine.load(load_settings(environ={}))
    engine.warm_up()
    return engine
