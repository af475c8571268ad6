"""Helpers for driving the staff bot in tests: `run` an async scenario with a timeout, `bot_running`.

`run(coro)` drives one async scenario with an overall timeout (no pytest-asyncio in the project), and
`bot_running` starts the real PTB Application the way `Application.run_polling` does (initialize,
post_init, start_polling, start … and the reverse), against the fake Bot API, with a short long-poll.
"""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from telegram.ext import Application

from bot.channels.telegram import ALLOWED_UPDATES, build_application
from bot.engine.coordinator import Engine
from indexer.settings import Settings, load_settings

from .fake_bot_api import TOKEN, FakeBotApi

T = TypeVar("T")
SCENARIO_TIMEOUT = 20.0


def run(coro: Coroutine[Any, Any, T], timeout: float = SCENARIO_TIMEOUT) -> T:
    """Run one async test scenario; a hang fails the test instead of the whole run.

    Playwright's sync API (the browser tests) leaves an event loop running in the main thread of the
    process it ran in; under pytest-xdist a staff-bot test may come after one in the same process, so the
    scenario then gets a thread of its own, with its own loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(asyncio.wait_for(coro, timeout))
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coro, timeout)).result()


def bot_settings(api: FakeBotApi, database: Path, **overrides: Any) -> Settings:
    """Project defaults (environment ignored) with the bot pointed at the fake API and a private database."""
    base = load_settings(environ={})
    return base.replace(telegram__token=TOKEN, telegram__api_base=api.base_url, web__database=str(database),
                        **overrides)


@asynccontextmanager
async def bot_running(settings: Settings, engine: Engine, *, poll: bool = True,
                      **kwargs: Any) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """The staff bot's Application, started and polling the fake API, stopped (and its storage closed) on exit."""
    app = build_application(settings, engine, **kwargs)
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        if poll:
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            yield app
        finally:
            if app.updater is not None and app.updater.running:
                await app.updater.stop()
            await app.stop()
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


class RecordingEngine:
    """The real engine, recording the questions it is asked (to assert that a refusal costs no engine call)."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner
        self.calls: list[str] = []

    def answer(self, question: str, **kwargs: object) -> object:
        self.calls.append(question)
        return self.inner.answer(question, **kwargs)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)
