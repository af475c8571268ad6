"""The message server end to end on 127.0.0.1: WeChat's side (wechat_side.py) pushes signed and encrypted
messages over HTTP, the app answers passively or through the fake API (fake_wechat_api.py)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.wechat.bot import ASK_PREFIX
from bot.channels.wechat.replies import OTHER_KIND, SORRY
from bot.channels.wechat.split import LIMIT, utf8_len
from bot.engine.answer import Answer, Context, Intent, Topic
from tests.fake_engine import FakeEngine

from .conftest import Running, start, wechat_settings_for
from .fake_wechat_api import FakeWeChatApi

WHO = "槐荫区养老补贴信息公开归哪个部门管？"
WHO_REPLY = "区民政局、各街道办事处负责。"


# -- URL verification --------------------------------------------------------------------------------------

def test_url_verification_echoes_only_signed_fresh_requests(running: Running) -> None:
    wechat, get = running.wechat, running.client.get
    ok = get(running.url, params=wechat.url_check("5837261945"))
    assert (ok.status_code, ok.text) == (200, "5837261945")
    assert get(running.url, params={**wechat.url_check("1"), "signature": "0" * 40}).status_code == 403
    stale = wechat.url_check("1", timestamp=str(int(time.time()) - 3600))
    assert get(running.url, params=stale).status_code == 403
    assert get(running.url, params=wechat.signed_query()).status_code == 400  # no echostr
    assert get(running.url, params={"echostr": "1"}).status_code == 403


# -- messages in each mode -----------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["safe", "compat", "plain"])
def test_text_is_answered_passively_in_every_mode(running: Running, mode: str) -> None:
    response, query = running.push(running.wechat.text("o-zhang", WHO), "o-zhang", mode=mode)
    assert response.status_code == 200
    if mode != "plain":
        assert "<Encrypt>" in response.text and "区民政局" not in response.text
    reply = running.wechat.read_reply(response.text, query)  # checks MsgSignature and the AppID
    assert reply is not None and reply["Content"] == WHO_REPLY
    assert reply["FromUserName"] == running.wechat.account and reply["ToUserName"] == "o-zhang"
    assert running.api.texts() == []


def test_forged_or_stale_pushes_are_refused_and_nothing_is_answered(running: Running,
                                                                     fake_engine: FakeEngine) -> None:
    wechat = running.wechat
    for kwargs in ({"bad_msg_signature": True}, {"bad_signature": True},
                   {"timestamp": str(int(time.time()) - 3600)}):
        response, _ = running.push(wechat.text("o-zhang", WHO), "o-zhang", **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 403, kwargs
    response, _ = running.push(wechat.text("o-zhang", WHO), "o-zhang", mode="safe")
    assert response.status_code == 200  # the same message, correctly signed
    time.sleep(0.2)
    assert fake_engine.calls == [WHO] and running.api.texts() == []


def test_malformed_and_hostile_bodies(running: Running) -> None:
    wechat = running.wechat
    bomb = '<!DOCTYPE xml [<!ENTITY a "x">]><xml><FromUserName>&a;</FromUserName></xml>'
    query, _ = wechat.push(bomb, "o-1", mode="plain")
    assert running.client.post(running.url, params=query, content=bomb.encode()).status_code == 400
    huge = "<xml>" + "a" * 70_000 + "</xml>"
    query, _ = wechat.push(huge, "o-1", mode="plain")
    assert running.client.post(running.url, params=query, content=huge.encode()).status_code == 413
    query, _ = wechat.push("<xml><MsgType>text</MsgType></xml>", "o-1", mode="plain")
    assert running.client.post(running.url, params=query, content=b"<xml><MsgType>text</MsgType></xml>").status_code == 400


def test_plaintext_mode_server(api: FakeWeChatApi, tmp_path: Path, fake_engine: FakeEngine) -> None:
    for run in start(api, wechat_settings_for(api, tmp_path, wechat__aes_key=""), fake_engine):
        assert run.say(WHO, mode="plain") == WHO_REPLY
        response, _ = run.push(run.wechat.text("o-1", WHO), "o-1", mode="safe")
        assert response.status_code == 400  # encrypted, but this server has no EncodingAESKey


# -- retries, replays ------------------------------------------------------------------------------------

def test_duplicate_deliveries_are_answered_once(running: Running, fake_engine: FakeEngine) -> None:
    inner = running.wechat.text("o-zhang", WHO, msg_id=987654321)
    query, body = running.wechat.push(inner, "o-zhang")
    first = running.client.post(running.url, params=query, content=body.encode())
    assert running.wechat.read_reply(first.text, query) is not None
    for _ in range(3):  # the same request again, and WeChat's three retries signed anew
        again = running.client.post(running.url, params=query, content=body.encode())
        assert (again.status_code, again.text) == (200, "success")
        retry, _ = running.push(inner, "o-zhang")
        assert (retry.status_code, retry.text) == (200, "success")
    time.sleep(0.2)
    assert fake_engine.calls == [WHO] and running.api.texts() == []


# -- answers sent by 客服消息 ---------------------------------------------------------------------------------

class SlowEngine(FakeEngine):
    def __init__(self, delay: float, reply: str | None = None) -> None:
        super().__init__()
        self.delay, self.reply = delay, reply

    def answer(self, question: str, *, region: str | None = None, context: Context | None = None) -> Answer:
        time.sleep(self.delay)
        if self.reply is not None:
            self.calls.append(question)
            return Answer(question, Intent.LIST, True, self.reply)
        return super().answer(question, region=region, context=context)


@pytest.fixture
def slow(api: FakeWeChatApi, tmp_path: Path) -> Iterator[Running]:
    yield from start(api, wechat_settings_for(api, tmp_path), SlowEngine(0.6), budget=0.2)


def test_a_slow_answer_is_acknowledged_then_sent_by_custom_message(slow: Running) -> None:
    response, query = slow.push(slow.wechat.text("o-li", WHO), "o-li")
    assert response.text == "success" and slow.wechat.read_reply(response.text, query) is None
    assert slow.api.wait_for_texts(1, touser="o-li") == [WHO_REPLY]
    sent = slow.api.of("message/custom/send", ok=True)[0].body
    assert sent == {"touser": "o-li", "msgtype": "text", "text": {"content": WHO_REPLY}}


def test_refused_tokens_are_refreshed_and_busy_answers_retried(slow: Running) -> None:
    assert slow.replies(slow.wechat.text("o-li", WHO), "o-li") == [WHO_REPLY]
    slow.api.expire_tokens()  # 42001
    assert slow.replies(slow.wechat.text("o-li", WHO), "o-li") == [WHO_REPLY]
    slow.api.revoke_tokens()  # 40001
    slow.api.fail_next("message/custom/send", 45009)
    slow.api.fail_next("message/custom/send", -1)
    assert slow.replies(slow.wechat.text("o-li", WHO), "o-li") == [WHO_REPLY]
    assert slow.api.token_fetches() == 3
    assert sorted(c.errcode for c in slow.api.of("message/custom/send", ok=False)) == [-1, 40001, 42001, 45009]


def test_a_long_answer_is_split_within_the_limit(api: FakeWeChatApi, tmp_path: Path) -> None:
    rows = "\n".join(f"{i}. 区民政局：多渠道发布养老保障、养老服务、养老机构等相关补贴政策（2022年槐荫区要点第{i}项）"
                     for i in range(1, 60))
    for run in start(api, wechat_settings_for(api, tmp_path), SlowEngine(0.0, reply=rows)):
        parts = run.replies(run.wechat.text("o-wang", "区民政局有哪些任务"), "o-wang", settle=0.5)
        assert len(parts) > 1 and all(utf8_len(p) <= LIMIT for p in parts)
        assert parts[0].startswith(f"（1/{len(parts)}）")
        assert "".join(p.split("\n", 1)[1] for p in parts).replace("\n", "") == rows.replace("\n", "")


# -- conversations, events, other kinds -----------------------------------------------------------------------

def test_follow_ups_keep_context_per_openid(running: Running, fake_engine: FakeEngine) -> None:
    assert running.say("养老保险信息公开由哪些部门负责", openid="o-a") == "区人力资源社会保障局、区医保局、各街道办事处负责。"
    assert running.say("规范性文件由哪个部门公开", openid="o-b") == "区司法局负责。"
    assert running.say("那完成时限呢？", openid="o-a") == "完成时限：全年。"
    assert running.say("那完成时限呢？", openid="o-b") == "完成时限：2022年年底前。"
    contexts = [ctx for q, _, ctx in fake_engine.asked if q == "那完成时限呢？"]
    assert [c.entry_ids for c in contexts if c] == [["hy-20"], ["hy-5"]]


class Featured(FakeEngine):
    def featured(self) -> list[Topic]:
        return [Topic(name, [f"{name}问题{i}" for i in range(1, 4)], key=name) for name in ("养老", "就业", "教育", "医保")]


def test_subscribe_event_gets_a_welcome_with_three_examples(api: FakeWeChatApi, tmp_path: Path) -> None:
    for run in start(api, wechat_settings_for(api, tmp_path), Featured()):
        welcome = run.replies(run.wechat.event("o-new", "subscribe"), "o-new")[0]
        assert "欢迎关注" in welcome and "订阅 养老" in welcome
        assert [line for line in welcome.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")] == [
            "1. 养老问题1", "2. 就业问题1", "3. 教育问题1"]
        faq = run.replies(run.wechat.event("o-new", "CLICK", "FAQ"), "o-new")[0]
        assert "【医保】医保问题1" in faq


def test_voice_is_answered_like_text_and_other_kinds_get_a_one_liner(running: Running) -> None:
    assert running.replies(running.wechat.voice("o-v", WHO), "o-v") == [WHO_REPLY]
    assert running.replies(running.wechat.voice("o-v", ""), "o-v") == [OTHER_KIND]
    assert running.replies(running.wechat.image("o-v"), "o-v") == [OTHER_KIND]


def test_menu_keys_and_silent_events(running: Running, fake_engine: FakeEngine) -> None:
    wechat = running.wechat
    asked = running.replies(wechat.event("o-m", "CLICK", ASK_PREFIX + WHO), "o-m")
    assert asked == [WHO_REPLY] and fake_engine.calls == [WHO]
    mine = running.replies(wechat.event("o-m", "CLICK", "MY_SUBSCRIPTIONS"), "o-m")[0]
    assert "还没有订阅" in mine
    for event in ("VIEW", "LOCATION", "unsubscribe"):
        response, _ = running.push(wechat.event("o-m", event), "o-m")
        assert (response.status_code, response.text) == (200, "success")


def test_engine_failure_costs_one_reply(running: Running) -> None:
    assert running.say("boom") == SORRY
    assert running.say(WHO) == WHO_REPLY


def test_without_custom_message_permission_long_answers_are_cut_to_one_passive_reply(
        api: FakeWeChatApi, tmp_path: Path) -> None:
    rows = "\n".join(f"{i}. 区民政局：公开养老服务相关补贴政策（第{i}项）" for i in range(1, 120))
    engine = SlowEngine(0.0, reply=rows)
    for run in start(api, wechat_settings_for(api, tmp_path), engine):
        api.fail_next("message/custom/send", 48001)  # an unverified 订阅号
        response, _ = run.push(run.wechat.text("o-dy", "区民政局有哪些任务"), "o-dy")
        assert response.text == "success"
        time.sleep(0.3)
        assert run.app.bot.passive_only
        cut = run.replies(run.wechat.text("o-dy", "区民政局有哪些任务"), "o-dy")
        assert len(cut) == 1 and utf8_len(cut[0]) <= LIMIT and cut[0].startswith("1. 区民政局")
        assert cut[0].endswith("请缩小问题范围后再问）")
