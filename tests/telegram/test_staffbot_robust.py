"""Odd input and a missing network (issue 11, item 8): every button answered, long arguments refused
unread, lone surrogates stored safely, and an unreachable Bot API reported in one line.

Through the real network path: the PTB Application polling the fake Bot API on 127.0.0.1, and the
`python -m bot telegram` command itself for the start-up errors.
"""
from __future__ import annotations

import asyncio
import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.channels.telegram.prefs import Prefs
from bot.cli import cli
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings
from tests.fake_engine import FakeEngine

from .fake_bot_api import TOKEN, FakeBotApi, callback_update, message_update
from .harness import bot_running, run

pytestmark = pytest.mark.e2e

HUGE = "区民政局" * 2500  # 10 000 characters


def test_unknown_and_expired_buttons_are_answered(api: FakeBotApi, settings: Settings) -> None:
    async def scenario() -> None:
        async with bot_running(settings, FakeEngine()):
            message_update(api, "/start")
            await api.wait_for("sendMessage")
            msg = api.results()[0]
            for data in ("zz:1", "pg:999:1", "fb:999:1", "sg:999:0", "rg:99", "fq:99:0", "x" * 64):
                callback_update(api, data, message=msg)
            answers = await api.wait_for("answerCallbackQuery", 7)
            assert all(a.get("text") for a in answers), answers  # each says why nothing happened
            assert "失效" in answers[0]["text"]

    run(scenario())


@pytest.mark.parametrize("command", ["/region", "/subscribe", "/unsubscribe", "/dept", "/due"])
def test_long_arguments_are_refused_without_echo(api: FakeBotApi, settings: Settings, command: str) -> None:
    fake = FakeEngine()

    async def scenario() -> None:
        async with bot_running(settings, fake):
            message_update(api, f"{command} {HUGE}")
            [reply] = await api.wait_for("sendMessage")
            assert "太长" in reply["text"] and "区民政局区民政局" not in reply["text"]
            assert len(reply["text"]) < 200
            message_update(api, f"{command} 区民政局")  # and the bot goes on as before
            await api.wait_for("sendMessage", 2)

    run(scenario())


def test_lone_surrogates_are_answered_and_stored_replaced(api: FakeBotApi, settings: Settings) -> None:
    fake = FakeEngine()

    async def scenario() -> None:
        async with bot_running(settings, fake):
            message_update(api, "养老补贴\ud800谁负责？")
            message_update(api, "/region 槐荫\udfff")
            message_update(api, "/subscribe 区民政局\ud800")
            await api.wait_for("sendMessage", 3)
            message_update(api, "养老补贴谁负责？")  # the store and the log still work afterwards
            sent = await api.wait_for("sendMessage", 4)
            assert "区民政局" in sent[3]["text"]

    run(scenario())
    with QuestionLog(settings.path("web.database")) as log:
        assert log.count("questions") == 2
        assert "养老补贴\ufffd谁负责？" in log.export_csv("questions")


def test_prefs_replace_unencodable_text_and_stay_usable(tmp_path: Path) -> None:
    with Prefs(tmp_path / "db.sqlite3") as prefs:
        assert prefs.subscribe(1, "区民政局\ud800", "槐荫\x00区") == "added"
        [sub] = prefs.subscriptions(1)
        assert sub.department == "区民政局\ufffd" and sub.region == "槐荫\ufffd区"
        aid = prefs.save_answer(1, "问\udc00题", None, ["建议\ud800"])
        answer = prefs.answer(aid)
        assert answer is not None and answer.question == "问\ufffd题" and answer.suggestions == ["建议\ufffd"]
        prefs.set_region(2, "\ud800")
        assert prefs.region(2) == "\ufffd"
        probe = sqlite3.connect(tmp_path / "db.sqlite3", timeout=0, isolation_level=None)
        try:  # no transaction was left open: another writer gets the lock at once
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        finally:
            probe.close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_cli(env: dict[str, str]) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["telegram"], env=env)
    return result.exit_code, result.output


def test_unreachable_bot_api_is_one_line_naming_the_settings(tmp_path: Path) -> None:
    code, output = _run_cli({"TELEGRAM_BOT_TOKEN": TOKEN, "ZWGK_WEB__DATABASE": str(tmp_path / "db.sqlite3"),
                             "TELEGRAM_API_BASE": f"http://127.0.0.1:{_closed_port()}/bot",
                             "TELEGRAM_PROXY": "", "NO_PROXY": "127.0.0.1"})
    assert code != 0
    assert len(output.strip().splitlines()) == 1, output
    assert "TELEGRAM_PROXY" in output and "TELEGRAM_API_BASE" in output and "Traceback" not in output


def test_refused_token_is_one_line(api: FakeBotApi, tmp_path: Path) -> None:
    code, output = _run_cli({"TELEGRAM_BOT_TOKEN": "999:wrong", "TELEGRAM_API_BASE": api.base_url,
                             "ZWGK_WEB__DATABASE": str(tmp_path / "db.sqlite3"), "NO_PROXY": "127.0.0.1"})
    assert code != 0 and len(output.strip().splitlines()) == 1, output
    assert "TELEGRAM_BOT_TOKEN" in output


def test_a_locked_database_does_not_stall_the_event_loop(api: FakeBotApi, settings: Settings) -> None:
    """Another process holding the write lock makes an answer wait, never the bot's event loop."""
    import sqlite3
    import threading

    locked, release = threading.Event(), threading.Event()

    def hold_lock() -> None:
        conn = sqlite3.connect(str(settings.path("web.database")), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(5)
        conn.execute("COMMIT")
        conn.close()

    async def scenario() -> None:
        async with bot_running(settings, FakeEngine()):
            holder = threading.Thread(target=hold_lock)
            holder.start()
            locked.wait(5)
            message_update(api, "养老补贴谁负责？")  # its answer record waits for the lock
            for _ in range(40):  # the loop keeps running this coroutine while the answer waits;
                await asyncio.sleep(0.01)  # a loop stuck in SQLite's busy wait would answer first, after 10 s
            assert api.sent() == []  # nothing answered while the database is locked
            release.set()
            holder.join()
            [reply] = await api.wait_for("sendMessage")
            assert "区民政局" in reply["text"]

    run(scenario())


def test_losing_the_network_while_polling_logs_one_line_each(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from bot.channels.telegram import quiet_network_tracebacks

    from .harness import bot_settings

    quiet_network_tracebacks()
    api = FakeBotApi().__enter__()
    settings = bot_settings(api, tmp_path / "net.sqlite3")  # stopped below, inside the scenario

    async def scenario() -> None:
        async with bot_running(settings, FakeEngine()):
            api.__exit__()  # the network goes away under the running bot
            await asyncio.sleep(1.5)

    with caplog.at_level(logging.ERROR, logger="telegram.ext"):
        run(scenario())
    failures = [r for r in caplog.records if "All connection attempts failed" in r.getMessage()]
    assert failures and all(r.exc_info is None and "\n" not in r.getMessage() for r in failures)
