"""The channel-agnostic staff service (bot/staff/service.py) through its typed messages, without any channel."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.staff import Ask, Command, Prefs, Press, Sender, StaffOptions, StaffService
from bot.staff.messages import AnswerPart, HelpPart, Noop, Page, PickRegion, Say, Suggest, TaskPage, Vote
from bot.storage.question_log import QuestionLog
from tests.fake_engine import FakeEngine

ME = Sender("test", 1, 1)
OTHER = Sender("test", 2, 2)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[StaffService]:
    db = tmp_path / "db.sqlite3"
    prefs, log = Prefs(db), QuestionLog(db)
    yield StaffService(FakeEngine(), prefs, log, StaffOptions(page_size=3), channel="test")
    prefs.close()
    log.close()


def _text(reply: object) -> str:
    return "".join(s.text for p in reply.parts if isinstance(p, Say) for s in p.spans)  # type: ignore[attr-defined]


def test_question_follow_up_and_vote(service: StaffService) -> None:
    reply = service.handle(ME, Ask("槐荫区养老补贴信息公开归哪个部门管？"))
    [part] = reply.parts
    assert isinstance(part, AnswerPart) and "区民政局" in part.answer.reply
    votes = [b.action for row in reply.buttons for b in row if isinstance(b.action, Vote)]
    suggestions = [b.action for row in reply.buttons for b in row if isinstance(b.action, Suggest)]
    assert len(votes) == 2 and suggestions
    follow = service.handle(ME, Ask("那完成时限呢？"))
    assert "完成时限" in follow.parts[0].answer.reply  # type: ignore[union-attr]
    assert service.handle(OTHER, Press(votes[0])).notice == "这条回答已过期。"  # not their answer
    first = service.handle(ME, Press(votes[0]))
    assert first.drop_votes and first.notice == "谢谢反馈！"
    assert "已收到" in (service.handle(ME, Press(votes[1])).notice or "")
    assert service.log.count("feedback") == 1


def test_lists_page_by_page(service: StaffService) -> None:
    reply = service.handle(ME, Command("dept", "民政局"))
    [page] = reply.parts
    assert isinstance(page, TaskPage) and page.page == 0 and page.pages > 1
    forward = next(b.action for row in reply.buttons for b in row if isinstance(b.action, Page))
    second = service.handle(ME, Press(forward))
    assert second.replace and second.parts[0].page == 1  # type: ignore[union-attr]
    assert service.handle(OTHER, Press(forward)).notice == "这个列表已失效，请重新查询。"
    assert service.handle(ME, Press(Noop())).parts == ()


def test_region_and_subscriptions(service: StaffService) -> None:
    regions = service.engine.regions()
    picker = service.handle(ME, Command("region"))
    assert [b.action for row in picker.buttons for b in row][-1] == PickRegion(None)
    assert service.handle(ME, Press(PickRegion(regions.index("槐荫区")))).replace
    assert service.prefs.region(1) == "槐荫区"
    assert "已订阅" in _text(service.handle(ME, Command("subscribe", "民政局")))
    assert service.prefs.subscriptions(1)[0].region == "槐荫区"
    assert "已取消订阅" in _text(service.handle(ME, Command("unsubscribe", "区民政局")))
    assert service.handle(ME, Press(PickRegion(99))).notice


@pytest.mark.parametrize("name", ["dept", "due", "region", "subscribe", "unsubscribe", "who", "when"])
def test_long_arguments_are_refused_without_echo(service: StaffService, name: str) -> None:
    reply = service.handle(ME, Command(name, "局" * 61))
    assert "太长" in _text(reply) and "局局" not in _text(reply)


def test_unknown_things_are_answered(service: StaffService) -> None:
    assert "失效" in (service.handle(ME, Press(None)).notice or "")
    assert "没有这个命令" in _text(service.handle(ME, Command("nosuch")))
    assert service.handle(ME, Press(Suggest(999, 0))).notice
    [help_part, *_] = service.handle(ME, Command("help")).parts
    assert isinstance(help_part, HelpPart) and help_part.topics


def test_contexts_are_kept_as_dicts_and_bounded(service: StaffService) -> None:
    service.handle(ME, Ask("槐荫区养老补贴信息公开归哪个部门管？"))
    assert isinstance(service._contexts[1], dict)  # the engine's Context, stored as its dict
    assert service.context_for(1) is not None and service.context_for(2) is None
