"""The WeCom app end to end: WeCom's encrypted callbacks POSTed over HTTP to the callback server (waitress on
127.0.0.1), answers sent by the app's real client through the fake WeCom API (message/send), the same staff
service as the Telegram bot behind it.

URL verification, questions with follow-ups and feedback, Chinese text commands, pagination, the allow-list,
bad signatures, duplicate deliveries, token expiry, rate limiting, API errors and long answers.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.engine.coordinator import Engine
from bot.staff.options import StaffOptions
from bot.storage.question_log import QuestionLog
from indexer.settings import Settings
from tests.fake_engine import FakeEngine

from .conftest import Running, start, wecom_settings_for
from .fake_wecom_api import AGENT_ID, LIMIT_BYTES, FakeWeComApi

pytestmark = pytest.mark.e2e

PENSION = "槐荫区养老补贴信息公开归哪个部门管？"


def test_url_verification_returns_the_decrypted_echostr(running: Running) -> None:
    query = running.wecom.verification_query("8471827310589012345")
    response = running.client.get(running.url, params=query)
    assert response.status_code == 200 and response.text == "8471827310589012345"
    query["msg_signature"] = "0" * 40
    assert running.client.get(running.url, params=query).status_code == 403


def test_question_is_answered_through_message_send(running: Running, fake_engine: FakeEngine) -> None:
    response = running.say(PENSION)
    assert response.text == "success"  # at once; the answer follows through the API
    [sent] = running.api.wait_for(1)
    assert (sent.touser, sent.agentid, sent.msgtype) == ("ZhangSan", AGENT_ID, "markdown")
    assert "区民政局" in sent.content and "回复“有用”或“没用”" in sent.content
    assert "1. 那完成时限呢？" in sent.content  # the suggested follow-ups, by number
    running.say("那完成时限呢？")  # a follow-up in the same conversation
    running.say("1")  # the first suggested follow-up of the latest answer
    sent = running.api.wait_for(3)
    assert fake_engine.calls == [PENSION, "那完成时限呢？", "那完成时限呢？"]
    assert "完成时限" in sent[1].content
    assert running.api.gettoken_calls() == 1  # the token is cached


def test_feedback_goes_into_the_shared_log_once(running: Running, settings: Settings) -> None:
    running.say(PENSION)
    running.api.wait_for(1)
    running.say("有用")
    running.say("没用")
    sent = running.api.wait_for(3)
    assert sent[1].content == "谢谢反馈！" and sent[1].msgtype == "text"
    assert "已收到" in sent[2].content
    running.app.bot.close()  # let the workers finish before reading the log
    with QuestionLog(settings.path("web.database")) as log:
        assert log.count("questions") == 1 and log.count("feedback") == 1
        csv = log.export_csv("questions")
        assert "wecom" in csv and PENSION in csv and "ZhangSan" not in csv  # the user id only as a pseudonym


def test_chinese_commands(running: Running) -> None:
    for text in ("帮助", "部门 民政局", "下一页", "到期 2022年9月", "地区：槐荫", "订阅 区民政局", "订阅",
                 "退订 区民政局", "部门 不存在的局", "到期 下周三开会", "部门职责有哪些"):
        running.say(text)
    sent = [m.content for m in running.api.wait_for(11)]
    assert "`部门 区民政局`" in sent[0] and "`订阅 区民政局`" in sent[0] and "/dept" not in sent[0]
    assert "**区民政局**" in sent[1] and "第 1/" in sent[1] and "“下一页”" in sent[1]
    assert "第 2/" in sent[2]
    assert "2022年9月底前" in sent[3] and "2022-09-30" in sent[3]
    assert "已将默认地区设为 **槐荫区**" in sent[4]
    assert "已订阅 **区民政局**（槐荫区）" in sent[5] and "`退订 区民政局`" in sent[5]
    assert "区民政局（槐荫区）" in sent[6]
    assert "已取消订阅 **区民政局**" in sent[7]
    assert "没有找到部门" in sent[8] and "看不懂这个日期" in sent[9] and "`到期 9月底`" in sent[9]
    assert "没有找到部门" not in sent[10] and "用法" not in sent[10]  # a question, not the command


def test_bad_signature_is_403_and_nothing_is_processed(running: Running, fake_engine: FakeEngine) -> None:
    response = running.post(running.wecom.text_message("ZhangSan", PENSION), bad_signature=True)
    assert response.status_code == 403
    bad_corp = running.wecom.__class__(running.wecom.token, running.wecom.aes_key, "ww-someone-else")
    query, body = bad_corp.callback(bad_corp.text_message("ZhangSan", PENSION))
    assert running.client.post(running.url, params=query, content=body).status_code == 403
    assert running.client.post(running.url, params=query, content=b"<xml><Encrypt>").status_code in (400, 403)
    doctype = b'<!DOCTYPE x [<!ENTITY a "b">]><xml><Encrypt>&a;</Encrypt></xml>'
    assert running.client.post(running.url, params=query, content=doctype).status_code == 400
    running.say("你好")  # something that is processed, to be sure the others were not
    running.api.wait_for(1)
    assert fake_engine.calls == ["你好"] and len(running.api.messages()) == 1


def test_duplicate_message_is_processed_once(running: Running, fake_engine: FakeEngine) -> None:
    inner = running.wecom.text_message("ZhangSan", PENSION, msg_id=4242)
    for _ in range(3):  # WeCom retries a callback it thinks was not taken
        assert running.post(inner).status_code == 200
    running.say("你好")
    running.api.wait_for(2)
    assert fake_engine.calls == [PENSION, "你好"]


def test_allow_list_refuses_others_without_the_engine(api: FakeWeComApi, tmp_path: Path) -> None:
    engine = FakeEngine()
    settings = wecom_settings_for(api, tmp_path / "db.sqlite3", wecom__allowed_users="LiSi, ZhangSan")
    for running in start(api, settings, engine):
        running.say(PENSION, user="WangWu")
        [refusal] = running.api.wait_for(1, touser="WangWu")
        assert "仅供授权" in refusal.content and "WangWu" in refusal.content
        running.say(PENSION, user="LiSi")
        running.api.wait_for(1, touser="LiSi")
    assert engine.calls == [PENSION]


def test_expired_token_is_fetched_again(running: Running) -> None:
    running.say(PENSION)
    running.api.wait_for(1)
    running.api.expire_tokens()
    running.say("你好")
    running.api.wait_for(2)
    assert running.api.errors() == [42001] and running.api.gettoken_calls() == 2
    running.api.fail_next("message/send", 40014)  # an invalid token is treated the same way
    running.say("你好")
    running.api.wait_for(3)
    assert running.api.gettoken_calls() == 3


def test_rate_limit_is_waited_out(running: Running) -> None:
    running.api.fail_next("message/send", 45009, times=2)
    running.say(PENSION)
    [sent] = running.api.wait_for(1)
    assert "区民政局" in sent.content and running.api.errors() == [45009, 45009]


def test_api_error_costs_one_reply_not_the_app(running: Running, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="bot.channels.wecom")
    running.api.fail_next("message/send", 60020)  # this server's IP is not among the trusted IPs
    running.say(PENSION)
    running.say("你好")
    [sent] = running.api.wait_for(1)
    assert "您好" in sent.content
    running.app.bot.close()
    assert any("60020" in r.getMessage() for r in caplog.records)


def test_long_answers_are_split_under_the_limit(running: Running) -> None:
    running.app.bot.service.options = StaffOptions(page_size=30)  # one page of 16 tasks: over 2048 bytes
    running.say("部门 区民政局")
    sent = running.api.wait_for(2)
    assert all(len(m.content.encode("utf-8")) <= LIMIT_BYTES for m in sent)
    assert not running.api.errors()


def test_opening_the_app_shows_help(running: Running) -> None:
    assert running.post(running.wecom.event("ZhangSan", "enter_agent")).status_code == 200
    [sent] = running.api.wait_for(1)
    assert "`部门 区民政局`" in sent.content and "常见问题" in sent.content


def test_conversation_with_the_real_engine(api: FakeWeComApi, tmp_path: Path, real_engine: Engine) -> None:
    settings = wecom_settings_for(api, tmp_path / "db.sqlite3")
    for running in start(api, settings, real_engine):
        running.say(PENSION)
        running.say("那完成时限呢？")
        running.say("谁负责 养老补贴")
        running.say("时限 槐荫区养老补贴信息公开")
        sent = running.api.wait_for(4)
        assert sent[0].content.startswith("**负责单位**：区民政局")
        assert "附件任务表第21项" in sent[0].content
        assert sent[1].content.startswith("**完成时限**：全年")
        assert "区民政局" in sent[2].content and sent[3].content.startswith("**完成时限**：全年")


def test_help_on_opening_is_shown_once_and_other_events_are_quiet(running: Running) -> None:
    for event in ("enter_agent", "enter_agent", "subscribe", "view"):
        assert running.post(running.wecom.event("LiSi", event)).status_code == 200
    running.say("你好", user="LiSi")
    sent = running.api.wait_for(2, touser="LiSi")
    assert "常见问题" in sent[0].content and "您好" in sent[1].content


def test_a_non_text_message_gets_a_pointer(running: Running) -> None:
    image = running.wecom.text_message("ZhangSan", "x").replace("<![CDATA[text]]>", "<![CDATA[image]]>")
    running.post(image)
    [sent] = running.api.wait_for(1)
    assert "文字" in sent.content


def test_buttonless_stand_ins_without_an_answer_say_so(running: Running, fake_engine: FakeEngine) -> None:
    running.say("有用")
    running.say("2")
    running.say("下一页")
    sent = running.api.wait_for(3)
    assert all("失效" in m.content for m in sent) and fake_engine.calls == []
