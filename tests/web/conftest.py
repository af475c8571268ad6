"""Web fixtures: settings on a temporary database, the app over the REAL engine, a test client.

The engine is loaded once per session from the shipped knowledge/ plans (Engine.load); the shared fake
(tests/fake_engine.py) is only for tests that need an engine to fail or to count its calls.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.channels.web import close_app, create_app
from indexer.settings import Settings, load_settings
from tests.fake_engine import FakeEngine

ADMIN_TOKEN = "test-token-7c1e9a4b2f"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def engine():
    """The real engine over the shipped plans, loaded once."""
    from bot.engine.coordinator import Engine

    return Engine.load(load_settings(environ={}))


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(environ={}).replace(web__database=str(tmp_path / "var" / "web.sqlite3"),
                                             web__admin_token=ADMIN_TOKEN, office__dir=str(tmp_path / "office"))


def make_app(settings: Settings, engine) -> Iterator[Flask]:
    app = create_app(settings, engine=engine)
    try:
        yield app
    finally:
        close_app(app)


@pytest.fixture
def app(settings: Settings, engine) -> Iterator[Flask]:
    yield from make_app(settings, engine)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def app_factory(settings: Settings, engine):
    """Build extra apps with setting overrides (`rate_limit=3`) or another engine; closed after the test."""
    made: list[Flask] = []

    def build(engine_override=None, **overrides) -> Flask:
        s = settings.replace(**{f"web__{k}": v for k, v in overrides.items()})
        a = create_app(s, engine=engine_override if engine_override is not None else engine)
        made.append(a)
        return a

    yield build
    for a in made:
        close_app(a)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian Chromium for every browser test (Playwright allows one sync driver per thread)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python package) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
