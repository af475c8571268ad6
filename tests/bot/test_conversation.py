"""Conversation rules (bot/engine/conversation.py) with questions written for these tests: the same clause asked
again, a region switch, a topic switch, "who else", a follow-up after a decline or a request for detail,
a year switch and a fresh question — through the engine, the web API's sessions and the staff service."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.answer import Context, Intent
from bot.engine.conversation import Move, plan_turn


def converse(engine, *questions: str):  # type: ignore[no-untyped-def]
    context, answers = None, []
    for q in questions:
        ans = engine.answer(q, context=context)
        context = ans.context
        answers.append(ans)
    return answers


def top(ans):  # type: ignore[no-untyped-def]
    assert ans.results, ans.reply
    return ans.results[0].entry


def test_who_then_when_then_who_else_stay_on_the_clause(shipped_engine) -> None:
    first, when, others = converse(shipped_engine, "槐荫区老旧小区改造的项目清单谁负责公开？",
                                   "那这个什么时候要完成？", "除了它，还有哪些单位一起负责？")
    assert first.answered and first.intent == Intent.WHO
    assert when.intent == Intent.WHEN and top(when).id == top(first).id
    assert others.intent == Intent.WHO and top(others).id == top(first).id
    assert all(u in others.reply for u in top(first).responsible)


def test_a_region_switch_keeps_the_topic_and_the_intent(shipped_engine) -> None:
    first, second = converse(shipped_engine, "槐荫区政府开放活动由谁负责？", "那历城区呢？")
    assert second.answered and second.intent == Intent.WHO
    assert top(second).region == "历城区" and "开放" in top(second).text


def test_a_topic_switch_keeps_the_region_and_the_intent(shipped_engine) -> None:
    _, second = converse(shipped_engine, "周村区科教创新攻坚行动的进展由哪个部门公开？", "那文旅融合发展攻坚行动呢？")
    assert second.answered and second.intent == Intent.WHO
    assert top(second).region == "周村区" and "文旅" in top(second).text


def test_a_decline_keeps_the_topic_for_the_next_region(shipped_engine) -> None:
    first, second = converse(shipped_engine, "海淀区政府开放活动由谁负责？", "那槐荫区呢？")
    assert not first.answered
    assert second.answered and top(second).region == "槐荫区" and "开放" in top(second).text


def test_a_request_for_detail_keeps_the_context(shipped_engine) -> None:
    first, vague, when = converse(shipped_engine, "薛城区政府开放活动由谁负责？", "政务公开", "那什么时候完成？")
    assert not vague.answered and vague.context == first.context
    assert when.intent == Intent.WHEN and top(when).id == top(first).id


def test_a_year_switch_reasks_the_topic(shipped_engine) -> None:
    first, second = converse(shipped_engine, "历城区2022年政务公开要点对政府文件库有什么要求？", "那2023年的呢？")
    assert not first.answered and "2023" in first.reply
    assert second.answered and top(second).year == 2023 and "文件库" in top(second).text


def test_a_fresh_question_does_not_inherit(shipped_engine) -> None:
    _, fresh = converse(shipped_engine, "槐荫区政府开放活动由谁负责？", "周村区预决算信息公开由哪个部门负责？")
    assert top(fresh).region == "周村区" and "区财政局" in top(fresh).responsible
    _, off_topic = converse(shipped_engine, "槐荫区政府开放活动由谁负责？", "身份证丢了怎么补办？")
    assert not off_topic.answered


def test_english_follow_up_on_a_chinese_question(shipped_engine) -> None:
    first, when = converse(shipped_engine, "槐荫区公共企事业单位信息公开细则由谁督促制定？", "And by when?")
    assert when.intent == Intent.WHEN and top(when).id == top(first).id and when.lang == "en"


@pytest.mark.parametrize("question, move", [
    ("那完成时限呢？", Move.SAME_CLAUSE), ("还有哪些单位参与？", Move.SAME_CLAUSE), ("那历城区呢？", Move.SWITCH_REGION),
    ("那医保呢？", Move.TOPIC), ("周村区预决算信息公开由哪个部门负责？", Move.NEW),
])
def test_plan_turn_names_the_rule(shipped_engine, question: str, move: Move) -> None:
    context = Context(question="槐荫区养老补贴谁负责", intent="who", region="槐荫区", year=2022,
                      entry_ids=["x"], topic="养老补贴谁负责")
    assert plan_turn(shipped_engine.understand(question), context, shipped_engine.turns.names_topic).move == move


def test_web_sessions_carry_the_region_switch(shipped_engine, tmp_path: Path) -> None:
    from bot.channels.web import close_app, create_app
    from indexer.settings import load_settings

    app = create_app(load_settings(environ={}).replace(web__database=str(tmp_path / "w.sqlite3"), web__rate_limit=0),
                     engine=shipped_engine)
    try:
        client = app.test_client()
        client.post("/api/ask", json={"question": "槐荫区政府开放活动由谁负责？", "session": "s1"})
        second = client.post("/api/ask", json={"question": "那历城区呢？", "session": "s1"}).get_json()
        assert second["answered"] and second["results"][0]["region"] == "历城区"
    finally:
        close_app(app)


def test_the_staff_service_carries_the_region_switch(shipped_engine, tmp_path: Path) -> None:
    from bot.staff import Ask, Prefs, Sender, StaffOptions, StaffService
    from bot.storage.question_log import QuestionLog

    prefs, log = Prefs(tmp_path / "db.sqlite3"), QuestionLog(tmp_path / "db.sqlite3")
    try:
        service = StaffService(shipped_engine, prefs, log, StaffOptions(), channel="test")
        me = Sender("test", 7, 7)
        service.handle(me, Ask("槐荫区政府开放活动由谁负责？"))
        second = service.handle(me, Ask("那历城区呢？")).parts[0].answer  # type: ignore[union-attr]
        assert second.answered and second.results[0].entry.region == "历城区"
    finally:
        prefs.close()
        log.close()
