"""Starting the bot (bot/channels/telegram/__init__.py): token, Bot API base URL, proxy, settings errors, webhook checks."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.channels.telegram import StaffBotError, build_application, run
from indexer.settings import load_settings
from tests.fake_engine import FakeEngine

from .fake_bot_api import TOKEN, FakeBotApi
from .harness import bot_settings


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    settings = load_settings(environ={}).replace(web__database=str(tmp_path / "db.sqlite3"))
    with pytest.raises(StaffBotError) as err:
        run(settings)  # fails before the engine loads or anything touches the network
    assert str(err.value).startswith("TELEGRAM_BOT_TOKEN is not set")
    assert "\n" not in str(err.value)


def test_token_and_api_base_from_the_environment_names(tmp_path: Path) -> None:
    settings = load_settings(environ={"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": "http://127.0.0.1:9/bot",
                                      "TELEGRAM_PROXY": "http://proxy.local:3128",
                                      "ZWGK_WEB__DATABASE": str(tmp_path / "db.sqlite3")})
    app = build_application(settings, FakeEngine())
    try:
        assert app.bot.token == TOKEN
        assert app.bot.base_url == f"http://127.0.0.1:9/bot{TOKEN}"
        assert app.bot.base_file_url == f"http://127.0.0.1:9/file/bot{TOKEN}"
        # the proxy is used for API calls and for getUpdates alike
        for request in (app.bot.request, app.bot._request[0]):  # [0] is the getUpdates request
            assert request._client_kwargs["proxy"] == "http://proxy.local:3128"  # type: ignore[attr-defined]
        assert repr(settings["telegram.token"]) == "Secret('**********')"
    finally:
        app.bot_data["staffbot"].close()


def test_default_api_base_is_telegrams(tmp_path: Path) -> None:
    settings = load_settings(environ={"TELEGRAM_BOT_TOKEN": TOKEN, "ZWGK_WEB__DATABASE": str(tmp_path / "d.sqlite3")})
    app = build_application(settings, FakeEngine())
    try:
        assert app.bot.base_url == f"https://api.telegram.org/bot{TOKEN}"
    finally:
        app.bot_data["staffbot"].close()


@pytest.mark.parametrize(("override", "needle"), [
    ({"telegram__allowed_ids": "12, alice"}, "telegram.allowed_ids"),
    ({"telegram__timezone": "Mars/Olympus"}, "telegram.timezone"),
    ({"telegram__reminder_time": "nine"}, "telegram.reminder_time"),
    ({"telegram__digest_weekday": 8}, "telegram.digest_weekday"),
])
def test_bad_settings_are_named(api: FakeBotApi, tmp_path: Path, override: dict[str, object], needle: str) -> None:
    settings = bot_settings(api, tmp_path / "db.sqlite3", **override)
    with pytest.raises(StaffBotError, match=needle):
        build_application(settings, FakeEngine())


def test_webhook_needs_https(tmp_path: Path) -> None:
    settings = load_settings(environ={"TELEGRAM_BOT_TOKEN": TOKEN,
                                      "ZWGK_TELEGRAM__WEBHOOK_URL": "http://bot.example.gov.cn/tg"})
    with pytest.raises(StaffBotError, match="https"):
        run(settings)


@pytest.mark.skipif(importlib.util.find_spec("tornado") is not None, reason="webhooks extra installed")
def test_webhook_without_the_extra_is_a_clear_error() -> None:
    settings = load_settings(environ={"TELEGRAM_BOT_TOKEN": TOKEN,
                                      "ZWGK_TELEGRAM__WEBHOOK_URL": "https://bot.example.gov.cn/tg"})
    with pytest.raises(StaffBotError, match=r"python-telegram-bot\[webhooks\]"):
        run(settings)
