"""The WeCom callback at a REAL server (waitress on 127.0.0.1, the fake WeCom API): stale timestamps are
refused, a replayed callback is not processed again after a restart, and a UTF-16 body with entity
declarations is refused before anything is parsed or decrypted (issue 23)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.fake_engine import FakeEngine
from tests.wecom.conftest import start, wecom_settings_for
from tests.wecom.fake_wecom_api import FakeWeComApi
from tests.wecom.wecom_side import AES_KEY, TOKEN, WeComSide

pytestmark = pytest.mark.faults


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    with FakeWeComApi() as fake:
        yield fake


def _post(running, query: dict[str, str], body: str | bytes):  # type: ignore[no-untyped-def]
    data = body.encode("utf-8") if isinstance(body, str) else body
    return running.client.post(running.url, params=query, content=data, headers={"Content-Type": "text/xml"})


def test_a_stale_timestamp_is_refused(api: FakeWeComApi, tmp_path: Path) -> None:
    settings = wecom_settings_for(api, tmp_path / "db.sqlite3")
    side = WeComSide(TOKEN, AES_KEY, settings["wecom.corp_id"])
    for running in start(api, settings, FakeEngine()):
        query, body = side.callback(side.text_message("ZhangSan", "你好"))
        stale = str(int(time.time()) - 3600)
        query = {**query, "timestamp": stale, "msg_signature": side.sign(stale, query["nonce"], _cipher(body))}
        assert _post(running, query, body).status_code == 403
        assert running.say("你好").status_code == 200  # a fresh one goes through
        running.api.wait_for(1)


def _cipher(body: str) -> str:
    return body.split("<Encrypt><![CDATA[")[1].split("]]>")[0]


def test_a_replayed_callback_is_not_processed_again_after_a_restart(api: FakeWeComApi, tmp_path: Path) -> None:
    settings = wecom_settings_for(api, tmp_path / "db.sqlite3")
    side = WeComSide(TOKEN, AES_KEY, settings["wecom.corp_id"])
    query, body = side.callback(side.text_message("ZhangSan", "你好"))
    first = FakeEngine()
    for running in start(api, settings, first):
        assert _post(running, query, body).status_code == 200
        api.wait_for(1)
    again = FakeEngine()
    for running in start(api, settings, again):  # a new process would start the same way: same database
        assert _post(running, query, body).status_code == 200
        assert running.say("在吗").status_code == 200
        api.wait_for(2)
    assert first.calls == ["你好"] and again.calls == ["在吗"]


def test_a_utf16_body_with_entities_is_refused_unparsed(api: FakeWeComApi, tmp_path: Path) -> None:
    settings = wecom_settings_for(api, tmp_path / "db.sqlite3")
    side = WeComSide(TOKEN, AES_KEY, settings["wecom.corp_id"])
    bomb = ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            + '<!ENTITY a0 "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            + ']><xml><Encrypt>&a0;</Encrypt></xml>')
    for running in start(api, settings, FakeEngine()):
        query, _ = side.callback(side.text_message("ZhangSan", "你好"))
        response = _post(running, query, bomb.encode("utf-16"))
        assert response.status_code == 400
        assert running.say("你好").status_code == 200
