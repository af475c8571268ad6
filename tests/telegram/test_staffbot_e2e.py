"""The staff bot end to end: the real PTB Application polling a fake Bot API on 127.0.0.1 over HTTP, answering
with the REAL engine over the shipped knowledge base (knowledge/plans).

Every command, free-text questions with follow-ups, suggestion and featured buttons, ◀ ▶ pagination by
editMessageText, 👍/👎 into the shared QuestionLog, HTML escaping, the allow-list, group-chat manners,
flood control (429) and persistence of region and subscriptions across a restart.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.storage.question_log import QuestionLog
from indexer.settings import Settings
from tests.fake_engine import FakeEngine

from .fake_bot_api import BOT_USERNAME, FakeBotApi, callback_update, message_update
from .harness import RecordingEngine, bot_running, bot_settings, run

# PTB 22.x's own RetryAfter.__init__ reads its deprecated int `retry_after` on every 429, which warns
# (PTBDeprecationWarning, "will be of type datetime.timedelta") inside PTB; unavoidable from our side,
# and with filterwarnings=error it would turn the 429 under test into a different exception.
RETRY_AFTER_WARNING = "ignore:Deprecated since version v22.2.*retry_after:telegram.warnings.PTBDeprecationWarning"
pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings(RETRY_AFTER_WARNING)]

GROUP = -1001234567890
PENSION = "槐荫区养老补贴信息公开归哪个部门管？"


def _buttons(msg: dict[str, Any]) -> list[str]:
    markup = msg.get("reply_markup") or {}
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def _texts(api: FakeBotApi) -> list[str]:
    return [m["text"] for m in api.sent()]


def test_start_help_and_command_menu(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            assert [c["command"] for c in api.commands] == [
                "start", "help", "who", "when", "dept", "due", "region", "subscribe", "unsubscribe"]
            message_update(api, "/start")
            [start] = await api.wait_for("sendMessage")
            assert "/dept" in start["text"] and "/subscribe" in start["text"] and "/due" in start["text"]
            featured = [f"fq:{t}:{q}" for t, topic in enumerate(engine.featured())
                        for q in range(min(3, len(topic.questions)))]
            assert _buttons(start) == featured[:15]
            message_update(api, "/help")
            sent = await api.wait_for("sendMessage", 2)
            assert sent[1]["text"] == start["text"]
            assert engine.calls == []

    run(scenario())


def test_featured_button_asks_the_question(api: FakeBotApi, settings: Settings) -> None:
    fake = FakeEngine()  # the shipped knowledge base may have no featured.toml; these buttons must still work

    async def scenario() -> None:
        async with bot_running(settings, fake):
            message_update(api, "/start")
            [start] = await api.wait_for("sendMessage")
            assert _buttons(start) == ["fq:0:0", "fq:0:1"]
            callback_update(api, "fq:0:1", message=api.results()[0])
            await api.wait_for("sendMessage", 2)
            assert api.sent("answerCallbackQuery")
            assert fake.calls == [fake.featured()[0].questions[1]]

    run(scenario())


def test_question_names_the_unit_then_follow_up_feedback_and_suggestion(
        api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, PENSION)
            [reply] = await api.wait_for("sendMessage")
            text = reply["text"]
            assert reply["parse_mode"] == "HTML"
            assert text.startswith("<b>负责单位</b>：区民政局")
            assert "《2022年槐荫区政务公开工作要点》 附件任务表第21项" in text  # the same citation as the web
            assert engine.inner.answer(PENSION).citation in text.replace("&gt;", ">")
            buttons = _buttons(reply)
            fb = [d for d in buttons if d.startswith("fb:")]
            suggestions = [d for d in buttons if d.startswith("sg:")]
            assert len(fb) == 2 and suggestions
            # a follow-up in the same chat reuses the context
            message_update(api, "那完成时限呢？")
            sent = await api.wait_for("sendMessage", 2)
            assert sent[1]["text"].startswith("<b>完成时限</b>：全年") and "附件任务表第21项" in sent[1]["text"]
            # 👍 goes into the shared feedback log, once; the 👍/👎 row disappears, suggestions stay
            msg = api.results()[0]
            callback_update(api, fb[0], message=msg)
            [edit] = await api.wait_for("editMessageReplyMarkup")
            assert _buttons(edit) == suggestions
            callback_update(api, fb[1], message=msg)
            answers = await api.wait_for("answerCallbackQuery", 2)
            assert "已收到" in answers[1]["text"]
            # a suggestion button asks the suggested question, which is longer than callback data allows
            callback_update(api, suggestions[0], message=msg)
            await api.wait_for("sendMessage", 3)
            asked = engine.calls[-1]
            assert len(asked.encode()) > 64 and asked == engine.inner.answer(PENSION).suggestions[0]

    run(scenario())
    with QuestionLog(settings.path("web.database")) as log:
        assert log.count("questions") == 3
        assert log.count("feedback") == 1 and log.unhelpful() == []
        csv = log.export_csv("questions")
        assert "telegram" in csv and PENSION in csv
        assert "1001" not in csv  # the chat id is stored only as a salted pseudonym


def test_who_and_when_commands(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, "/who")
            await api.wait_for("sendMessage")
            assert "用法" in _texts(api)[0] and engine.calls == []
            message_update(api, "/who 养老补贴")
            await api.wait_for("sendMessage", 2)
            assert engine.calls == ["养老补贴由哪个部门负责？"]
            assert "区民政局" in _texts(api)[1]
            message_update(api, "/when 槐荫区养老补贴信息公开")
            await api.wait_for("sendMessage", 3)
            assert engine.calls[-1] == "槐荫区养老补贴信息公开的完成时限是什么？"
            assert _texts(api)[2].startswith("<b>完成时限</b>：全年")
            message_update(api, "/who")  # right after an answer: a follow-up on the same topic
            await api.wait_for("sendMessage", 4)
            assert engine.calls[-1] == "那由哪个部门负责？"
            assert "区民政局" in _texts(api)[3]

    run(scenario())


def test_dept_pagination_edits_the_same_message(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, "/dept 民政局")  # an alias of 区民政局; page_size is 3 in these tests
            [first] = await api.wait_for("sendMessage")
            total = len(engine.department_tasks("区民政局"))
            pages = -(-total // 3)
            assert pages >= 2
            assert "<b>区民政局</b>" in first["text"] and f"共 {total} 项任务" in first["text"]
            assert f"第 1/{pages} 页" in first["text"] and "📄 <b>" in first["text"]  # grouped under plan titles
            nav = _buttons(first)
            assert nav[0] == "noop" and nav[1].startswith("pg:") and nav[1].endswith(":1")
            msg = api.results()[0]
            callback_update(api, nav[1], message=msg)
            [edit] = await api.wait_for("editMessageText")
            assert edit["message_id"] == msg["message_id"] and edit["chat_id"] == msg["chat"]["id"]
            assert f"第 2/{pages} 页" in edit["text"] and edit["text"] != first["text"]
            assert _buttons(edit)[0].endswith(":0")  # ◀ back to the first page
            assert api.sent("answerCallbackQuery")
            assert len(api.sent()) == 1  # no new message
            message_update(api, "/dept 区人社局")
            message_update(api, "/dept 不存在的局")
            message_update(api, "/dept")
            sent = await api.wait_for("sendMessage", 4)
            assert "<b>区人力资源社会保障局</b>" in sent[1]["text"]
            assert "没有找到部门" in sent[2]["text"] and "用法" in sent[3]["text"]

    run(scenario())


def test_due_lists_earliest_first(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, "/due 2022年9月")  # a past month: the tasks due within it
            [sent] = await api.wait_for("sendMessage")
            assert "2022年9月底前" in sent["text"] and "2022-09-30" in sent["text"]
            assert "2022-12-31" not in sent["text"] and "2022-06-30" not in sent["text"]
            message_update(api, "/due all")
            text = (await api.wait_for("sendMessage", 2))[1]["text"]
            dates = re.findall(r"\d{4}-\d{2}-\d{2}", text)
            assert "全部" in text and len(dates) >= 2 and dates == sorted(dates)
            message_update(api, "/due 下周三开会")
            assert "看不懂" in (await api.wait_for("sendMessage", 3))[2]["text"]
            message_update(api, "/due")  # from today to the end of this month: the shipped plans are older
            text = (await api.wait_for("sendMessage", 4))[3]["text"]
            assert "本月底前" in text and "共 0 项" in text

    run(scenario())


def test_html_in_user_text_is_escaped(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    evil = "<b>x</b><script>alert(1)</script>"

    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, f"/dept {evil}")
            message_update(api, f"/region {evil}")
            message_update(api, f"{evil}养老补贴谁负责？")
            message_update(api, f"/subscribe {evil}")
            await api.wait_for("sendMessage", 4)

    run(scenario())
    texts = _texts(api)
    assert "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in texts[0]
    assert "&lt;script&gt;" in texts[1] and "&lt;script&gt;" in texts[3]
    assert all("<script>" not in t and "<b>x</b>" not in t for t in texts)


def test_allow_list_refuses_others_once_without_engine(api: FakeBotApi, tmp_path: Path,
                                                       engine: RecordingEngine) -> None:
    settings = bot_settings(api, tmp_path / "db.sqlite3", telegram__allowed_ids=f"42, {GROUP}")

    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, PENSION, chat_id=1001, user_id=1001)
            [refusal] = await api.wait_for("sendMessage")
            assert "仅供授权" in refusal["text"] and "1001" in refusal["text"]
            message_update(api, "/dept 区民政局", chat_id=1001, user_id=1001)
            await api.wait_for("sendMessage", 2)
            callback_update(api, "pg:1:1", message=api.results()[0], user_id=1001)
            [alert] = await api.wait_for("answerCallbackQuery")
            assert alert["show_alert"] is True
            assert engine.calls == []
            message_update(api, PENSION, chat_id=42, user_id=42)  # an allowed user
            await api.wait_for("sendMessage", 3)
            message_update(api, f"@{BOT_USERNAME} {PENSION}", chat_id=GROUP, user_id=777, kind="supergroup")
            await api.wait_for("sendMessage", 4)  # an allowed group, whoever asks in it
            message_update(api, "大家好", chat_id=-100999, user_id=1001, kind="supergroup")  # chatter elsewhere
            await api.settle(0.3)

    run(scenario())
    texts = _texts(api)
    assert len(texts) == 4 and "仅供授权" in texts[1]
    assert "区民政局" in texts[2] and "区民政局" in texts[3]
    assert engine.calls == [PENSION, PENSION]


def test_group_chat_only_commands_and_mentions(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, PENSION, chat_id=GROUP, kind="supergroup")
            message_update(api, "/who@other_bot 养老补贴", chat_id=GROUP, kind="supergroup")
            message_update(api, "/nosuchcommand", chat_id=GROUP, kind="supergroup")
            message_update(api, "@somebody_else 养老补贴谁负责？", chat_id=GROUP, kind="supergroup")
            await api.settle()
            assert api.sent() == [] and engine.calls == []
            asked = message_update(api, f"@{BOT_USERNAME}，{PENSION}", chat_id=GROUP, kind="supergroup")
            [reply] = await api.wait_for("sendMessage")
            assert reply["text"].startswith("<b>负责单位</b>：区民政局")
            assert reply["reply_parameters"]["message_id"] == asked["message"]["message_id"]
            assert engine.calls == [PENSION]
            message_update(api, f"/who@{BOT_USERNAME} 养老补贴", chat_id=GROUP, kind="supergroup")
            message_update(api, "/dept 区司法局", chat_id=GROUP, kind="supergroup")
            message_update(api, "/start", chat_id=GROUP, kind="supergroup")
            sent = await api.wait_for("sendMessage", 4)
            assert "区民政局" in sent[1]["text"] and "<b>区司法局</b>" in sent[2]["text"]
            assert f"@{BOT_USERNAME}" in sent[3]["text"]  # group help says how to address the bot

    run(scenario())


def test_unknown_command_and_greeting(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, "/nosuchcommand")
            [sent] = await api.wait_for("sendMessage")
            assert "/help" in sent["text"]
            message_update(api, "你好")  # a greeting is answered, without 👍/👎
            sent2 = (await api.wait_for("sendMessage", 2))[1]
            assert "您好" in sent2["text"] and not any(d.startswith("fb:") for d in _buttons(sent2))

    run(scenario())


def test_flood_control_429_is_waited_out(api: FakeBotApi, settings: Settings, engine: RecordingEngine) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine) as app:  # type: ignore[arg-type]
            api.fail_next("sendMessage", 429, retry_after=1)
            message_update(api, PENSION)
            sent = await api.wait_for("sendMessage", 2, timeout=6)
            assert sent[0]["text"] == sent[1]["text"]  # the same answer, retried after retry_after
            assert len(api.results()) == 1  # delivered once
            message_update(api, "/who 养老补贴")  # and the bot keeps working
            await api.wait_for("sendMessage", 3)
            assert app.running

    run(scenario())


def test_flood_control_on_a_button_reaches_the_error_handler(api: FakeBotApi, settings: Settings,
                                                           engine: RecordingEngine,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    async def scenario() -> None:
        async with bot_running(settings, engine) as app:  # type: ignore[arg-type]
            message_update(api, "/dept 区民政局")
            [first] = await api.wait_for("sendMessage")
            api.fail_next("editMessageText", 429, retry_after=3)
            callback_update(api, _buttons(first)[1], message=api.results()[0])
            await api.wait_for("editMessageText")
            await api.settle(0.2)
            message_update(api, "/who 养老补贴")
            await api.wait_for("sendMessage", 2)
            assert app.running

    run(scenario())
    assert any("flood control" in r.getMessage() for r in caplog.records)


def test_region_and_subscriptions_survive_a_restart(api: FakeBotApi, settings: Settings,
                                                    engine: RecordingEngine) -> None:
    regions = engine.regions()

    async def first_run() -> None:
        async with bot_running(settings, engine):  # type: ignore[arg-type]
            message_update(api, "/region")
            [picker] = await api.wait_for("sendMessage")
            assert _buttons(picker) == [f"rg:{i}" for i in range(len(regions))] + ["rg:-"]
            callback_update(api, f"rg:{regions.index('槐荫区')}", message=api.results()[0])
            [edit] = await api.wait_for("editMessageText")
            assert "<b>槐荫区</b>" in edit["text"]
            message_update(api, "/subscribe 民政局")
            message_update(api, "/subscribe 区教育和体育局")
            message_update(api, "/subscribe 不存在的局")
            sent = await api.wait_for("sendMessage", 4)
            assert "已订阅 <b>区民政局</b>（槐荫区）" in sent[1]["text"]
            assert "<b>区教育和体育局</b>" in sent[2]["text"] and "未订阅" in sent[3]["text"]

    async def second_run() -> None:
        api.clear()
        async with bot_running(settings, engine):  # type: ignore[arg-type]  # a new Application, same database
            message_update(api, "/region")
            message_update(api, "/subscribe")
            sent = await api.wait_for("sendMessage", 2)
            assert "当前默认地区：<b>槐荫区</b>" in sent[0]["text"]
            assert "区民政局（槐荫区）" in sent[1]["text"] and "区教育和体育局（槐荫区）" in sent[1]["text"]
            message_update(api, "/dept 区民政局")  # the region applies to lists …
            sent = await api.wait_for("sendMessage", 3)
            n = len(engine.department_tasks("区民政局", region="槐荫区"))
            assert "（槐荫区）" in sent[2]["text"] and f"共 {n} 项任务" in sent[2]["text"]
            message_update(api, "/region 历城")  # … and to questions
            message_update(api, "养老补贴信息公开归哪个部门管？")
            sent = await api.wait_for("sendMessage", 5)
            assert "<b>历城区</b>" in sent[3]["text"] and "历城区政务公开工作要点" in sent[4]["text"]
            message_update(api, "/unsubscribe 区人社局")
            message_update(api, "/unsubscribe 区教育和体育局")
            sent = await api.wait_for("sendMessage", 7)
            assert "没有订阅" in sent[5]["text"] and "已取消订阅 <b>区教育和体育局</b>" in sent[6]["text"]
            message_update(api, "/region 不限")
            message_update(api, "/unsubscribe")
            sent = await api.wait_for("sendMessage", 9)
            assert "已取消默认地区" in sent[7]["text"] and "1 项" in sent[8]["text"]

    run(first_run())
    run(second_run())
