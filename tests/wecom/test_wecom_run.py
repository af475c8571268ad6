"""Starting the WeCom app: `python -m bot wecom` as operators run it, one-line setting errors, the token
check at start-up, and reminders / digests pushed to subscribers through message/send."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from click.testing import CliRunner

from bot.channels.wecom import wecom_settings
from bot.channels.wecom.schedule import next_run, send_digest, send_reminders
from bot.cli import cli
from bot.staff import StaffError
from indexer.settings import PROJECT_ROOT, Settings

from .conftest import PATH, Running
from .fake_wecom_api import AGENT_ID, CORP_ID, SECRET, FakeWeComApi
from .wecom_side import AES_KEY, TOKEN, WeComSide

SH = ZoneInfo("Asia/Shanghai")
MORNING = datetime(2022, 9, 26, 9, 0, tzinfo=SH)  # a Monday; 区民政局 (fake engine) has tasks due 09-30, 10-03


def _env(api: FakeWeComApi, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"ZWGK_WECOM__CORP_ID": CORP_ID, "ZWGK_WECOM__AGENT_ID": str(AGENT_ID), "ZWGK_WECOM__SECRET": SECRET,
           "ZWGK_WECOM__TOKEN": TOKEN, "ZWGK_WECOM__AES_KEY": AES_KEY, "ZWGK_WECOM__API_BASE": api.base_url,
           "ZWGK_WEB__DATABASE": str(tmp_path / "db.sqlite3"), "NO_PROXY": "127.0.0.1"}
    env.update(extra)
    return env


def test_missing_secret_is_one_line(api: FakeWeComApi, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["wecom"], env=_env(api, tmp_path, ZWGK_WECOM__SECRET=""))
    assert result.exit_code != 0
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "ZWGK_WECOM__SECRET is not set" in result.output


@pytest.mark.parametrize(("override", "needle"), [
    ({"ZWGK_WECOM__CORP_ID": ""}, "ZWGK_WECOM__CORP_ID"),
    ({"ZWGK_WECOM__AES_KEY": "too-short"}, "wecom.aes_key"),
    ({"ZWGK_WECOM__AGENT_ID": "0"}, "ZWGK_WECOM__AGENT_ID"),
    ({"ZWGK_WECOM__SECRET": "wrong"}, "40001"),  # gettoken refuses: one line, before the index loads
])
def test_bad_settings_are_one_line(api: FakeWeComApi, tmp_path: Path, override: dict[str, str], needle: str) -> None:
    result = CliRunner().invoke(cli, ["wecom"], env=_env(api, tmp_path, **override))
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1, result.output
    assert needle in result.output


def test_settings_are_masked_in_config_output(api: FakeWeComApi, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["config"], env=_env(api, tmp_path))
    assert SECRET not in result.output and AES_KEY not in result.output
    assert "wecom.api_base" in result.output and "ZWGK_WECOM__ALLOWED_USERS" in result.output


def test_settings_are_read(settings: Settings) -> None:
    ws = wecom_settings(settings.replace(wecom__allowed_users="ZhangSan, LiSi;WangWu"))
    assert ws.allowed_users == {"ZhangSan", "LiSi", "WangWu"} and ws.path == PATH and ws.agent_id == AGENT_ID
    with pytest.raises(StaffError, match="wecom.path"):
        wecom_settings(settings.replace(wecom__path="wecom"))


def test_reminders_and_digest_reach_subscribers_once(running: Running) -> None:
    running.say("地区 槐荫区", user="ZhangSan")
    running.say("订阅 区民政局", user="ZhangSan")
    running.say("订阅 区司法局", user="LiSi")
    running.api.wait_for(3)
    running.app.bot.close()  # the subscriptions are stored before the pushes are planned
    running.api.sent.clear()
    bot = running.app.bot
    assert send_reminders(bot, MORNING) == 1
    [reminder] = running.api.messages()
    assert reminder.touser == "ZhangSan" and "截止提醒" in reminder.content
    assert "任务表第30项" in reminder.content and "还有 4 天" in reminder.content and "＜低保＞" in reminder.content
    assert send_reminders(bot, MORNING) == 0 and send_reminders(bot, MORNING.replace(day=27)) == 0
    running.api.fail_next("message/send", 60020)  # undeliverable now: tried again next time
    assert send_digest(bot, MORNING) == 0
    assert send_digest(bot, MORNING.replace(hour=10)) == 1
    assert "每周摘要" in running.api.messages()[-1].content
    assert send_digest(bot, MORNING.replace(day=29)) == 0  # once per ISO week


def test_next_run_is_the_reminder_time_in_shanghai(running: Running) -> None:
    bot = running.app.bot
    assert next_run(MORNING.replace(hour=8), bot) == MORNING
    assert next_run(MORNING, bot) == MORNING.replace(day=27)
    utc_evening = datetime(2022, 9, 25, 20, 0, tzinfo=ZoneInfo("UTC"))  # 04:00 on the 26th in Shanghai
    assert next_run(utc_evening, bot) == MORNING


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.e2e
def test_python_m_bot_wecom_serves_and_stops_on_sigterm(api: FakeWeComApi, tmp_path: Path) -> None:
    """Also: WeCom refusing the token for an IP not yet trusted (60020) does not stop the callback; the
    token is retried until it comes, and start, token and stop are each one line."""
    api.fail_next("gettoken", 60020, times=2)  # the start-up check and the first retry
    port = _free_port()
    env = {**os.environ, **_env(api, tmp_path, ZWGK_WECOM__PORT=str(port))}
    proc = subprocess.Popen([sys.executable, "-m", "bot", "wecom"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}{PATH}"
    side = WeComSide(TOKEN, AES_KEY, CORP_ID)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(url, params=side.verification_query("1234567890"), timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the callback server did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.text == "1234567890"  # verified while 60020
        while ("gettoken", 0) not in api.calls:  # the retry got the token once the IP was trusted
            assert proc.poll() is None and time.monotonic() < deadline, "the token was never retried"
            time.sleep(0.1)
        query, body = side.callback(side.text_message("ZhangSan", "槐荫区养老补贴信息公开归哪个部门管？"))
        assert httpx.post(url, params=query, content=body, timeout=5).text == "success"
        [sent] = api.wait_for(1, timeout=30)
        assert sent.touser == "ZhangSan" and "区民政局" in sent.content
    finally:
        proc.send_signal(signal.SIGTERM)
        output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, output
    assert "WeCom app is running" in output and "errcode 60020" in output, output
    assert "access token obtained" in output and "WeCom app stopped" in output and "Traceback" not in output
