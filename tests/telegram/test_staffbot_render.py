"""Rendering (bot/channels/telegram/render.py): escaping, splitting under 4096 with balanced tags, keyboards, pages."""
from __future__ import annotations

import re
from datetime import date

import pytest

from bot.channels.telegram import render
from bot.engine.answer import Answer, Intent, Result
from indexer.model import Entry
from tests.fake_engine import FakeEngine


def _balanced(html: str) -> bool:
    stack: list[str] = []
    for closing, name in re.findall(r"<(/?)([a-z]+)[^>]*>", html):
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def _no_broken_entity(html: str) -> bool:
    """Every & starts a complete entity (a cut "&am" would make Telegram reject the message)."""
    return all(re.match(r"&(#\d+|#x[0-9a-f]+|\w+);", html[i:]) for i in range(len(html)) if html[i] == "&")


def test_escape_everything() -> None:
    assert render.esc('<b>x</b><script>&"') == "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;&amp;&quot;"
    assert render.esc(None) == ""


def test_answer_blocks_escape_document_text_and_bold_labels() -> None:
    entry = Entry(id="e", kind="task", number="表.3", section="A > B", text="公开<低保>标准 & 结果",
                  responsible=["区民政局"], region="槐荫区", year=2022, title="2022年槐荫区政务公开工作要点")
    ans = Answer("q", Intent.WHO, True, "负责单位：区民政局<负责>\n原文：“公开<低保>标准 & 结果”",
                 results=[Result(entry, 1.0)], citation="《2022年槐荫区政务公开工作要点》 附件任务表第3项（A > B）",
                 units=["区民政局"])
    html = "\n\n".join(render.answer_blocks(ans))
    assert "<低保>" not in html and "&lt;低保&gt;" in html and "&amp; 结果" in html
    assert "<b>负责单位</b>：区民政局&lt;负责&gt;" in html and "<b>原文</b>：“公开" in html
    assert "<b>出处</b>：《2022年槐荫区政务公开工作要点》 附件任务表第3项（A &gt; B）" in html
    assert _balanced(html)
    # a reply that already cites its source is not given a second 出处 line
    ans.reply += "\n出处：" + (ans.citation or "")
    assert len(render.answer_blocks(ans)) == 1
    assert render.entry_label(entry) == "任务表第3项"


def test_split_between_blocks_under_limit() -> None:
    blocks = [f"<b>第{i}条</b> " + "公开&amp;解读" * 40 for i in range(60)]
    parts = render.split_html(blocks)
    assert len(parts) > 1
    assert all(render.utf16_len(p) <= render.TELEGRAM_LIMIT for p in parts)
    assert all(_balanced(p) and _no_broken_entity(p) for p in parts)
    assert "".join(parts).count("<b>第") == 60  # nothing lost, no block cut in two


def test_split_one_huge_block_on_lines_keeps_tags_balanced() -> None:
    line = "政务公开&lt;重点&gt;任务" * 10
    block = "<blockquote>" + "\n".join(f"{i}: {line}" for i in range(200)) + "</blockquote>"
    parts = render.split_html([block], limit=1000)
    assert len(parts) > 3
    for p in parts:
        assert render.utf16_len(p) <= 1000
        assert _balanced(p) and _no_broken_entity(p)
        assert p.startswith("<blockquote>") and p.endswith("</blockquote>")


def test_split_a_line_without_breaks() -> None:
    block = "<b>" + "&amp;" * 3000 + "</b>"
    parts = render.split_html([block], limit=500)
    assert all(render.utf16_len(p) <= 500 and _balanced(p) and _no_broken_entity(p) for p in parts)
    assert sum(p.count("&amp;") for p in parts) == 3000


def test_utf16_counts_emoji_twice() -> None:
    assert render.utf16_len("👍a") == 3


def test_callback_data_fits_64_bytes() -> None:
    engine = FakeEngine()
    long_q = "这是一个非常非常非常非常非常非常非常非常长的后续问题，远远超过六十四字节的回调数据限制？"
    ans = Answer("q", Intent.WHO, True, "r", suggestions=["短问题？", long_q, "三？", "四？"])
    markup = render.answer_keyboard(ans, 123456789)
    assert markup is not None
    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    # suggestions travel as an index into the stored answer, so long ones work too; at most three
    assert data == ["fb:123456789:1", "fb:123456789:0", "sg:123456789:0", "sg:123456789:1", "sg:123456789:2"]
    for kb in (markup, render.featured_keyboard(engine.featured()), render.pager(99999, 5, 10),
               render.region_keyboard(engine.regions(), None)):
        assert kb is not None
        assert all(len(str(b.callback_data).encode()) <= 64 for row in kb.inline_keyboard for b in row)


def test_no_feedback_buttons_for_greetings() -> None:
    assert render.answer_keyboard(Answer("你好", Intent.NONE, False, "您好"), 5) is None
    markup = render.answer_keyboard(Answer("你好", Intent.NONE, False, "您好", suggestions=["养老？"]), 5)
    assert markup is not None and [b.callback_data for r in markup.inline_keyboard for b in r] == ["sg:5:0"]
    assert render.answer_keyboard(Answer("q", Intent.WHO, True, "r"), None) is None  # nothing stored


def test_without_feedback_keeps_suggestions() -> None:
    ans = Answer("q", Intent.WHO, True, "r", suggestions=["那完成时限呢？"])
    kept = render.without_feedback(render.answer_keyboard(ans, 1))
    assert kept is not None
    assert [[b.callback_data for b in row] for row in kept.inline_keyboard] == [["sg:1:0"]]


@pytest.mark.parametrize(("page", "labels"), [(0, ["1/3", "下一页 ▶"]), (1, ["◀ 上一页", "2/3", "下一页 ▶"]),
                                              (2, ["◀ 上一页", "3/3"])])
def test_pager(page: int, labels: list[str]) -> None:
    kb = render.pager(7, page, 3)
    assert kb is not None and [b.text for b in kb.inline_keyboard[0]] == labels
    assert render.pager(7, 0, 1) is None


def test_task_page_groups_by_plan_and_fits() -> None:
    engine = FakeEngine()
    tasks = render.by_plan(engine.department_tasks("区民政局"))
    text = render.task_page("<b>区民政局</b>", tasks, 0, 30, today=date(2022, 9, 26))
    assert render.utf16_len(text) <= render.TELEGRAM_LIMIT and _balanced(text)
    assert text.count("📄") == 2  # 槐荫区 2022 and 历城区 2023
    assert "还有 4 天" in text and "&lt;低保&gt;" in text
    last = render.task_page("<b>区民政局</b>", tasks, 99, 5)
    assert "第 3/3 页" in last
