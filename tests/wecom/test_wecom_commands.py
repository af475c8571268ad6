"""Reading what staff type in WeCom (bot/channels/wecom/commands.py) and rendering replies for it (bot/channels/wecom/render.py)."""
from __future__ import annotations

import pytest

from bot.channels.wecom.commands import Latest, read_text
from bot.channels.wecom.render import pack, plain, render_reply
from bot.engine.answer import Answer, Intent
from bot.staff.messages import (
    AnswerPart,
    Ask,
    Button,
    Command,
    Page,
    Press,
    Reply,
    Say,
    Suggest,
    Vote,
    bold,
    cmd,
)

LATEST = Latest(answer_id=7, listing_id=3, page=1)


@pytest.mark.parametrize(("text", "expected"), [
    ("部门 区民政局", Command("dept", "区民政局")),
    ("部门：区民政局", Command("dept", "区民政局")),
    ("部门", Command("dept", "")),
    ("到期 9月底", Command("due", "9月底")),
    ("订阅 区民政局", Command("subscribe", "区民政局")),
    ("退订", Command("unsubscribe", "")),
    ("取消订阅 区民政局", Command("unsubscribe", "区民政局")),
    ("地区 槐荫区", Command("region", "槐荫区")),
    ("帮助", Command("help", "")),
    ("？", Command("help", "")),
    ("谁负责 养老补贴", Command("who", "养老补贴")),
    ("时限 规范性文件集中公开", Command("when", "规范性文件集中公开")),
    ("/dept 区人社局", Command("dept", "区人社局")),
    ("部门职责有哪些？", Ask("部门职责有哪些？")),
    ("养老补贴谁负责？", Ask("养老补贴谁负责？")),
    ("/nosuch 1", Ask("/nosuch 1")),
    ("有用", Press(Vote(7, True))),
    ("没用", Press(Vote(7, False))),
    ("2", Press(Suggest(7, 1))),
    ("下一页", Press(Page(3, 2))),
    ("上一页", Press(Page(3, 0))),
    ("2024", Ask("2024")),
])
def test_read_text(text: str, expected: object) -> None:
    assert read_text(text, LATEST) == expected


def test_stand_ins_without_anything_to_refer_to() -> None:
    assert read_text("有用", Latest()) == Press(None)
    assert read_text("下一页", Latest()) == Press(None)


def test_markdown_marks_in_text_are_neutralised() -> None:
    evil = "**x** `y` [z](http://a) <font color=red>"
    [out] = render_reply(Reply(parts=(Say.of("没有找到“", evil, "”", bold(evil)),)))
    assert "**x**" not in out.content and "`y`" not in out.content and "<font" not in out.content
    assert plain("a*b") == "a＊b"
    assert f"**{plain(evil)}**" in out.content


def test_commands_are_shown_the_wecom_way() -> None:
    [out] = render_reply(Reply(parts=(Say.of("用法：", cmd("dept", "部门"), "；", cmd("unsubscribe")),)))
    assert out.content == "用法：`部门 部门`；`退订`"


def test_buttons_become_reply_hints() -> None:
    answer = Answer("q", Intent.WHO, True, "负责单位：区民政局")
    buttons = ((Button("👍 有帮助", Vote(1, True)), Button("👎 没帮助", Vote(1, False))),
               (Button("那完成时限呢？", Suggest(1, 0)),))
    [out] = render_reply(Reply(parts=(AnswerPart(answer),), buttons=buttons))
    assert out.content.startswith("**负责单位**：区民政局")
    assert "回复“有用”或“没用”" in out.content and "1. 那完成时限呢？" in out.content


def test_pack_keeps_every_message_under_the_limit() -> None:
    blocks = ["段落" * 300, "x" * 5000, "短句", "\n".join(["一行" * 50] * 40)]
    messages = pack(blocks, limit=2048)
    assert all(len(m.encode("utf-8")) <= 2048 for m in messages)
    assert "".join(messages).replace("\n", "") == "".join(blocks).replace("\n", "")  # nothing lost
