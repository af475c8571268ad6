"""Real-traffic single questions over the shipped plans, written for these tests (not from any eval set):
chatty messages, honest scope, how-long questions, English replies, long clauses and staff lists."""
from __future__ import annotations

import re

import pytest

from bot.engine.answer import Intent


def top(ans):  # type: ignore[no-untyped-def]
    assert ans.results, ans.reply
    return ans.results[0].entry


def test_a_chatty_message_is_answered_from_its_question(shipped_engine) -> None:
    ans = shipped_engine.answer("你好，我刚搬到槐荫区，家里有位八十多岁的老人。想问下养老补贴政策的信息公开归哪个部门管？")
    assert ans.answered and ans.intent == Intent.WHO, ans.reply
    assert "区民政局" in top(ans).responsible


def test_a_chatty_message_the_plans_do_not_cover_is_declined(shipped_engine) -> None:
    ans = shipped_engine.answer("您好，我在历城区租房，房东一直不退押金，我该找谁帮忙？")
    assert not ans.answered
    assert "12345" in ans.reply


def test_the_story_does_not_set_the_intent(shipped_engine) -> None:
    ans = shipped_engine.answer("我是开小店的，每次都不知道该找哪个部门。区里对惠企政策信息的公开有什么要求？")
    assert ans.intent == Intent.WHAT


@pytest.mark.parametrize("question, named", [
    ("济南市天桥区养老补贴信息谁负责？", "天桥区"),  # a district of a city whose districts the plans hold
    ("tianqiao qu yanglao butie shei fuze", "Tianqiao"),  # in pinyin
    ("Who is responsible in Haidian District for pension subsidies?", "海淀区"),  # in English
    ("In Zhangdian, which bureau publishes the environmental information?", "张店区"),  # no "district"
    ("Who in Huaiyin District of Huai'an, Jiangsu, handles school enrolment news?", "淮安市"),  # a namesake
])
def test_a_district_not_held_is_declined_with_what_is_held(shipped_engine, question: str, named: str) -> None:
    ans = shipped_engine.answer(question)
    assert not ans.answered and not ans.results
    assert named in ans.reply and "槐荫区" in ans.reply and "2022" in ans.reply


def test_a_year_not_held_is_declined_with_the_year_held(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区2021年养老补贴谁负责？")
    assert not ans.answered
    assert "2022" in ans.reply and "2021" in ans.reply


def test_a_document_number_year_is_no_plan_year(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区按照国办发〔2019〕54号文件推进基层政务公开标准化，什么时候前完成？")
    assert ans.answered, ans.reply


def test_this_year_is_read_against_the_plans_held(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区今年的养老补贴信息由谁公开？")
    assert ans.answered and top(ans).year == 2022
    assert "2022" in ans.reply.split("\n")[-1]  # the reply says which year's plan it read


def test_how_long_is_answered_with_the_period_the_clause_states(shipped_engine) -> None:
    ans = shipped_engine.answer("薛城区政务公开重点工作台账多久内报送？")
    assert ans.answered
    assert ans.reply.startswith("期限：30日内")


def test_how_long_is_declined_when_the_plans_state_no_period(shipped_engine) -> None:
    ans = shipped_engine.answer("历城区政务公开工作人员调岗交接要几天内办完？")
    assert not ans.answered
    assert "期限" in ans.reply


def test_english_replies_read_deadlines_in_english(shipped_engine) -> None:
    ans = shipped_engine.answer("By when must Huaiyin standardise public enterprises' disclosure?")
    assert ans.answered and ans.lang == "en"
    first = ans.reply.split("\n")[0]
    assert first.startswith("Deadline: by the end of September 2022"), first
    assert "2022年9月底前" in first  # the plan's own words follow in brackets


def test_a_long_clause_is_excerpted_and_the_reply_leads_short(shipped_engine) -> None:
    ans = shipped_engine.answer("栖霞市政府网站改版有什么要求？")
    assert ans.answered
    entry = top(ans)
    assert len(entry.text) > 200
    lead = ans.reply.split("\n")
    assert sum(len(line) for line in lead[:2]) <= 260
    assert "原文（节选）" in ans.reply and f"“{entry.text}”" not in ans.reply


def test_related_clauses_share_the_question_topic(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区养老补贴政策信息公开归哪个部门管？")
    related = [line for line in ans.reply.split("\n") if line.startswith("· ")]
    assert all("养老" in line for line in related), related


def test_due_lists_compare_years_and_skip_rows_with_no_completion_date(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区2022年年底前要完成哪些任务？")
    assert ans.intent == Intent.LIST and ans.answered
    deadlines = [r.entry.deadline for r in ans.results]
    assert deadlines and all(d and d != "全年" for d in deadlines)
    assert "没有具体完成日期" in ans.reply
    ans = shipped_engine.answer("历城 11月底前 到期任务")  # staff shorthand; 历城's plan is 2023's
    assert ans.intent == Intent.LIST
    assert all((r.entry.due or "") <= "2023-11-30" for r in ans.results)


def test_half_year_and_shorthand_due_lists(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区2022年上半年要完成哪些政务公开任务？")
    assert ans.intent == Intent.LIST and ans.answered
    assert all((r.entry.due or "") <= "2022-06-30" for r in ans.results)
    assert shipped_engine.answer("槐荫 9月底前 到期").intent == Intent.LIST


def test_long_lists_state_their_total_and_page(shipped_engine) -> None:
    first = shipped_engine.answer("槐荫区有哪些任务")
    assert first.intent == Intent.LIST and "共" in first.reply and "下一页" in first.reply
    second = shipped_engine.answer("下一页", context=first.context)
    assert second.answered and second.intent == Intent.LIST
    assert {r.entry.id for r in first.results}.isdisjoint(r.entry.id for r in second.results)
    last = shipped_engine.answer("下一页", context=second.context)
    assert not last.answered and "全部列出" in last.reply


def test_department_lists_include_clauses_naming_it_as_the_subject(shipped_engine) -> None:
    tasks = shipped_engine.department_tasks("区政府办公室", region="周村区")
    by_text = [e for e in tasks if not any("区政府办公室" in u for u in e.responsible)]
    assert by_text, "a clause whose sentence makes 区政府办公室 its subject belongs on its list"
    assert all(re.search(r"(?:^|[。；，])区政府办公室[^的、和与及等]", e.text) for e in by_text)
