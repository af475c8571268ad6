"""政策找人: subscription commands, notices through 订阅通知 or with the next reply, official answers,
retention — over the fake engine and the fake WeChat API; the real publish path is in test_wechat_e2e.py."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.channels.wechat.commands import Command, read_command
from bot.channels.wechat.store import MAX_TOPICS, WeChatStore
from bot.office.announce import Item, PublicationFeed
from bot.official.store import AnswerStore
from tests.fake_engine import FakeEngine

from .conftest import Running, start, wechat_settings_for
from .fake_wechat_api import FakeWeChatApi

CLAUSE = "多渠道发布养老保障、养老服务、养老机构、养老设施等相关补贴政策，实施养老托育拓展行动。"
CITATION = "《2026年槐荫区政务公开工作要点》第三部分（二）第4条"


@pytest.mark.parametrize("text, command", [
    ("订阅 养老", Command("subscribe", "养老")),
    ("订阅养老", Command("subscribe", "养老")),
    ("订阅：“低空经济”。", Command("subscribe", "低空经济")),
    ("订阅", Command("subscribe", "")),
    ("退订 养老", Command("unsubscribe", "养老")),
    ("取消订阅 就业", Command("unsubscribe", "就业")),
    ("退订", Command("unsubscribe", "")),
    ("退订全部", Command("unsubscribe", "")),
    ("我的订阅", Command("list")),
    ("订阅号怎么申请？", None),
    ("订阅政府信息公开需要什么材料", None),
    ("养老补贴归谁管", None),
])
def test_read_command(text: str, command: Command | None) -> None:
    assert read_command(text) == command


def test_subscription_commands(running: Running, fake_engine: FakeEngine) -> None:
    assert "已订阅“养老”" in running.say("订阅 养老")
    assert "您已订阅“养老”" in running.say("订阅养老")
    assert "已订阅“就业”" in running.say("订阅 就业")
    assert "您订阅了：养老、就业" in running.say("我的订阅")
    assert running.say("退订 养老") == "已退订“养老”。"
    assert "没有订阅“教育”" in running.say("退订 教育")
    assert "“订阅”后写上主题" in running.say("订阅")
    for i in range(MAX_TOPICS):
        running.say(f"订阅 主题{i}")
    assert "上限" in running.say("订阅 再来一个")
    assert f"已取消全部 {MAX_TOPICS} 个订阅" in running.say("退订")
    assert running.say("我的订阅").startswith("您还没有订阅")
    assert fake_engine.calls == []  # none of these reached the engine
    running.say("订阅号怎么申请？")
    assert fake_engine.calls == ["订阅号怎么申请？"]


def _publish(running: Running, *items: Item) -> int:
    feed = PublicationFeed(running.app.notifier.feed.db)
    return feed.record("plan", "2026-hy", items)


ITEM = Item(key="2026-hy-21", text=CLAUSE, citation=CITATION, heading="加强养老服务信息公开", region="槐荫区")
OTHER = Item(key="2026-hy-5", text="推进政务服务“一网通办”。", citation="《2026年槐荫区政务公开工作要点》第5项")


def test_without_a_template_the_notice_comes_with_the_next_reply(running: Running) -> None:
    running.say("订阅 养老", openid="o-a")
    running.say("订阅 医保", openid="o-b")
    _publish(running, ITEM, OTHER)
    _publish(running, ITEM, OTHER)  # the same plan recorded again (another web worker built the set too)
    assert running.app.notifier.poll() == 1
    assert running.app.notifier.poll() == 0  # announced once
    assert running.api.notices() == []
    reply = running.say("槐荫区养老补贴信息公开归哪个部门管？", openid="o-a")
    answer, notice = reply.split("\n\n", 1)
    assert answer == "区民政局、各街道办事处负责。"
    assert notice.startswith("【政策找人】您订阅的“养老”有新发布的政务公开工作要点条款")
    assert CLAUSE in notice and f"出处：{CITATION}" in notice and "退订 养老" in notice
    assert "政策找人" not in running.say("你好", openid="o-a")  # handed out once
    assert "政策找人" not in running.say("你好", openid="o-b")  # 医保 was not touched


@pytest.fixture
def templated(api: FakeWeChatApi, tmp_path: Path) -> Iterator[Running]:
    settings = wechat_settings_for(api, tmp_path, wechat__notice_template="TPL-zwgk",
                                   web__public_url="https://zwgk.example.gov.cn")
    yield from start(api, settings, FakeEngine())


def test_with_a_template_a_subscription_notice_is_sent(templated: Running) -> None:
    templated.say("订阅 养老", openid="o-a")
    _publish(templated, ITEM)
    assert templated.app.notifier.poll() == 1
    notice = templated.api.notices("o-a")[0].body
    assert notice["template_id"] == "TPL-zwgk" and notice["touser"] == "o-a"
    assert notice["page"] == "https://zwgk.example.gov.cn/browse/entry/2026-hy-21"
    data = {k: v["value"] for k, v in notice["data"].items()}
    assert data["thing1"] == "养老" and data["thing2"] == "加强养老服务信息公开"
    assert data["thing3"].startswith("《2026年槐荫区") and len(data["thing3"]) <= 20
    assert "年" in data["time4"]
    assert "政策找人" not in templated.say("你好", openid="o-a")  # nothing left waiting


def test_a_refused_or_rejected_notice_waits_for_the_next_message(templated: Running) -> None:
    templated.say("订阅 养老", openid="o-a")
    templated.say("订阅 养老", openid="o-b")
    templated.push(templated.wechat.popup("o-b", "TPL-zwgk", status="reject"), "o-b")
    templated.api.fail_next("message/subscribe/bizsend", 43101)  # o-a's one-time notice is used up
    _publish(templated, ITEM)
    assert templated.app.notifier.poll() == 2
    assert [c.body["touser"] for c in templated.api.of("message/subscribe/bizsend")] == ["o-a"]  # o-b refused
    for openid in ("o-a", "o-b"):
        assert CITATION in templated.say("你好", openid=openid)


def test_an_official_answer_is_announced(running: Running, settings) -> None:  # type: ignore[no-untyped-def]
    running.say("订阅 养老", openid="o-a")
    answers = AnswerStore(settings.path("office.dir") / "answers.json")
    answers.add({"question": "养老服务补贴怎么申请？", "answer": "向户籍所在街道提出申请，区民政局审核。",
                 "variants": [], "region": "槐荫区", "source": "区民政局"}, author="admin", now="2026-12-07T08:00:00Z")
    assert running.app.notifier.poll() == 1
    reply = running.say("你好", openid="o-a")
    assert "新发布的答复口径" in reply and "区民政局审核" in reply and "本机关答复口径（区民政局，2026-12-07）" in reply


def test_history_is_not_announced(api: FakeWeChatApi, tmp_path: Path) -> None:
    settings = wechat_settings_for(api, tmp_path)
    feed = PublicationFeed(settings.path("web.database"))
    feed.record("plan", "old", [ITEM])
    feed.close()
    for run in start(api, settings, FakeEngine()):
        run.say("订阅 养老")
        assert run.app.notifier.poll() == 0


def test_unfollowing_forgets_the_person_and_retention_purges(running: Running) -> None:
    running.say("订阅 养老", openid="o-gone")
    running.say("订阅 养老", openid="o-idle")
    running.push(running.wechat.event("o-gone", "unsubscribe"), "o-gone")
    time.sleep(0.3)
    store: WeChatStore = running.app.notifier.store
    assert store.topics("o-gone") == [] and store.topics("o-idle") == ["养老"]
    store.db.run("UPDATE wechat_people SET last_seen = '2000-01-01T00:00:00+00:00' WHERE openid = 'o-idle'")
    store.add_pending("o-idle", "旧通知")
    assert store.purge(180) == 1
    assert store.topics("o-idle") == [] and store.take_pending("o-idle") == []
