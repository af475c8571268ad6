"""Unit tests of the protocol pieces: signatures and replays, safe-mode envelopes, XML, the message model,
splitting by UTF-8 bytes, MsgId memory. WeChat's side is tests/wechat/wechat_side.py (written from the docs)."""
from __future__ import annotations

import pytest

from bot.channels.wechat.dedupe import RecentKeys
from bot.channels.wechat.envelope import Envelope, Refused
from bot.channels.wechat.messages import incoming_of
from bot.channels.wechat.signing import WINDOW, Freshness, SignatureError, sign
from bot.channels.wechat.split import LIMIT, MORE, split_text, utf8_len
from bot.channels.wechat.wxml import MAX_BODY, XmlRefused, parse, text_reply

from .conftest import app_crypto
from .wechat_side import TOKEN, WeChatSide, sha1_sorted


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def envelope(*, crypto: bool = True) -> Envelope:
    return Envelope(Freshness(TOKEN), app_crypto() if crypto else None)


# -- signatures, window, replays ---------------------------------------------------------------------

def test_sign_is_the_documented_sorted_sha1() -> None:
    assert sign("AAAAA", "1714037059", "486452656") == sha1_sorted("AAAAA", "1714037059", "486452656")
    assert sign("b", "a", "c") == sign("c", "b", "a")


def test_url_signature_window_and_replays(wechat: WeChatSide) -> None:
    clock = Clock()
    fresh = Freshness(TOKEN, clock=clock)
    query = wechat.signed_query(timestamp=str(int(clock.now)), nonce="123")
    fresh.check(query)
    assert fresh.first_use(query) and not fresh.first_use(query)
    with pytest.raises(SignatureError, match="bad signature"):
        fresh.check({**query, "signature": query["signature"][::-1]})
    with pytest.raises(SignatureError, match="missing"):
        fresh.check({"signature": query["signature"], "timestamp": query["timestamp"]})
    for skew in (WINDOW + 5, -(WINDOW + 5)):
        old = wechat.signed_query(timestamp=str(int(clock.now) - skew), nonce="9")
        with pytest.raises(SignatureError, match="away from"):
            fresh.check(old)
    with pytest.raises(SignatureError, match="not a number"):
        fresh.check(wechat.signed_query(timestamp="soon", nonce="1"))
    upper = {**query, "signature": query["signature"].upper()}
    fresh.check(upper)  # hex case does not matter
    assert fresh.first_use(query, b"<xml>one</xml>") and not fresh.first_use(query, b"<xml>one</xml>")
    assert fresh.first_use(query, b"<xml>two</xml>")  # another message that happens to share the nonce


def test_recent_keys_forget_after_ttl_and_stay_bounded() -> None:
    clock = Clock(0.0)
    keys = RecentKeys(ttl=10, size=3, clock=clock)
    assert keys.first_time("a") and not keys.first_time("a")
    clock.now = 11
    assert keys.first_time("a")
    for k in "bcdef":
        keys.first_time(k)
    assert len(keys) <= 3


# -- envelopes -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
def test_pushes_open_in_every_mode(wechat: WeChatSide, mode: str) -> None:
    query, body = wechat.push(wechat.text("o-user", "养老补贴归谁管？", msg_id=42), "o-user", mode=mode)
    opened = envelope().open(query, body.encode())
    message = incoming_of(opened.root)
    assert (message.openid, message.kind, message.text, message.msg_id) == ("o-user", "text", "养老补贴归谁管？", "42")
    assert opened.encrypted is (mode != "plain") and not opened.replay
    assert envelope().open(query, body.encode()).replay is False  # another server has its own memory


def test_forged_or_foreign_pushes_are_refused(wechat: WeChatSide) -> None:
    inner = wechat.text("o-user", "你好")
    env = envelope()
    for bad in ("signature", "msg_signature"):
        query, body = wechat.push(inner, "o-user", bad_signature=bad == "signature",
                                  bad_msg_signature=bad == "msg_signature")
        with pytest.raises(Refused) as caught:
            env.open(query, body.encode())
        assert caught.value.status == 403
    other = WeChatSide(app_id="wx_another_account_0")  # same Token and key, sealed for another AppID
    query, body = other.push(inner, "o-user")
    with pytest.raises(Refused, match="decrypt") as caught:
        env.open(query, body.encode())
    assert caught.value.status == 403
    with pytest.raises(Refused) as caught:  # encrypted, but this server has no EncodingAESKey
        envelope(crypto=False).open(*_encoded(wechat.push(inner, "o-user")))
    assert caught.value.status == 400


def _encoded(pair: tuple[dict[str, str], str]) -> tuple[dict[str, str], bytes]:
    return pair[0], pair[1].encode()


def test_signature_is_checked_before_the_body_is_parsed(wechat: WeChatSide) -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml>&a;</xml>'
    query, _ = wechat.push(bomb, "o-user", mode="plain", bad_signature=True)
    with pytest.raises(Refused) as caught:
        envelope().open(query, bomb.encode())
    assert caught.value.status == 403
    query, _ = wechat.push(bomb, "o-user", mode="plain")
    with pytest.raises(Refused) as caught:
        envelope().open(query, bomb.encode())
    assert caught.value.status == 400
    query, body = wechat.push(bomb, "o-user", mode="safe")  # the same inside the ciphertext
    with pytest.raises(Refused) as caught:
        envelope().open(query, body.encode())
    assert caught.value.status == 400


def test_sealed_replies_verify_on_wechats_side(wechat: WeChatSide) -> None:
    query, _ = wechat.push(wechat.text("o-user", "问"), "o-user")
    reply = text_reply("o-user", wechat.account, "答：区民政局 ]]> 负责")
    sealed = envelope().seal(reply, True)
    assert "区民政局" not in sealed
    got = wechat.read_reply(sealed, query)
    assert got is not None and got["Content"] == "答：区民政局 ]]> 负责" and got["ToUserName"] == "o-user"
    assert got["MsgType"] == "text" and got["FromUserName"] == wechat.account
    plain_query, _ = wechat.push("<xml/>", "o-user", mode="plain")
    assert envelope().seal(reply, False) == reply
    assert wechat.read_reply(reply, plain_query)["Content"] == "答：区民政局 ]]> 负责"  # type: ignore[index]


def test_url_check_echoes_only_when_signed(wechat: WeChatSide) -> None:
    assert envelope().verify_url(wechat.url_check("echo-123")) == "echo-123"
    with pytest.raises(Refused) as caught:
        envelope().verify_url({**wechat.url_check("x"), "signature": "f" * 40})
    assert caught.value.status == 403
    with pytest.raises(Refused):
        envelope().verify_url(wechat.signed_query())


# -- XML -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    '<!DOCTYPE xml SYSTEM "http://127.0.0.1/x.dtd"><xml/>',
    '<!doctype xml><xml/>',
    '<xml><!ENTITY x "y"></xml>',
    '<xml><a>unclosed</xml>',
    '<root><a>1</a></root>',
    "<xml>" + "a" * MAX_BODY + "</xml>",
])
def test_xml_refusals(body: str) -> None:
    with pytest.raises(XmlRefused):
        parse(body)


# -- the message model -----------------------------------------------------------------------------------

def test_message_kinds(wechat: WeChatSide) -> None:
    voice = incoming_of(parse(wechat.voice("o1", "养老补贴归哪个部门管")))
    assert voice.kind == "voice" and voice.text == "养老补贴归哪个部门管" and voice.is_question
    assert not incoming_of(parse(wechat.voice("o1", ""))).is_question
    image = incoming_of(parse(wechat.image("o1")))
    assert image.kind == "image" and not image.is_question
    click = incoming_of(parse(wechat.event("o1", "CLICK", "MY_SUBSCRIPTIONS", create_time=5)))
    assert (click.event, click.event_key, click.dedupe_key) == ("click", "MY_SUBSCRIPTIONS", "o1|5|click|MY_SUBSCRIPTIONS")
    popup = incoming_of(parse(wechat.popup("o1", "TPL-1")))
    assert popup.event == "subscribe_msg_popup_event" and popup.accepted == ("TPL-1",) and popup.rejected == ()
    refused = incoming_of(parse(wechat.popup("o1", "TPL-1", status="reject")))
    assert refused.rejected == ("TPL-1",)
    with pytest.raises(ValueError):
        incoming_of(parse("<xml><MsgType>text</MsgType></xml>"))


# -- splitting -------------------------------------------------------------------------------------------

def test_short_text_is_one_part() -> None:
    assert split_text("负责单位：区民政局") == ["负责单位：区民政局"]
    assert split_text("  ") == []


def test_long_text_splits_at_breaks_within_the_byte_limit() -> None:
    paragraphs = [f"第{i}段：" + "多渠道发布养老保障、养老服务等相关补贴政策。" * 12 for i in range(8)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert 1 < len(parts) <= 5 and all(utf8_len(p) <= LIMIT for p in parts)
    assert parts[0].startswith("（1/") and all("\ufffd" not in p for p in parts)
    bodies = [p.split("\n", 1)[1] for p in parts]
    assert all(b.rstrip().endswith(("。", "政策。")) or b.endswith("段：") for b in bodies[:-1])
    assert "".join(bodies).replace("\n", "") == text.replace("\n", "")


def test_unbreakable_and_four_byte_text_is_cut_between_characters() -> None:
    text = "😀" * 1500  # 4 bytes each, no break anywhere
    parts = split_text(text, number=False, max_parts=10)
    assert all(utf8_len(p) <= LIMIT for p in parts) and "".join(parts) == text


def test_too_many_parts_end_with_a_note() -> None:
    parts = split_text("。".join(["区民政局负责养老服务信息公开"] * 2000))
    assert len(parts) == 5 and parts[-1].endswith(MORE) and all(utf8_len(p) <= LIMIT for p in parts)
