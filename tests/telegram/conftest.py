"""Fixtures for the staff-bot tests: the fake Bot API, settings pointing at it, the fake engine."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine.coordinator import Engine
from indexer.settings import Settings, load_settings
from tests.fake_engine import FakeEngine

from .fake_bot_api import FakeBotApi
from .harness import RecordingEngine, bot_settings


@pytest.fixture(autouse=True)
def _no_proxy_for_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours HTTP(S)_PROXY from the environment; the fake API on 127.0.0.1 must be reached directly."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    return bot_settings(api, tmp_path / "zwgk.sqlite3", telegram__page_size=3)


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture(scope="session")
def real_engine() -> Engine:
    """The real engine over the shipped knowledge base (knowledge/plans), loaded once per test session."""
    engine = Engine.load(load_settings(environ={}))
    engine.warm_up()
    return engine


@pytest.fixture
def engine(real_engine: Engine) -> RecordingEngine:
    return RecordingEngine(real_engine)
