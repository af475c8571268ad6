"""Question understanding and answers over the shipped plans, with questions written for these tests.

Each test states a behaviour a citizen or clerk relies on: who / when / what / list intents, regions and
their short or pinyin forms, typos by sound, traditional characters, English, colloquial words,
honest declines, follow-ups, and hostile input.
"""
from __future__ import annotations

import pytest

from bot.engine.answer import Intent


def ask(engine, question: str, **kw):  # type: ignore[no-untyped-def]
    return engine.answer(question, **kw)


def top(answer):  # type: ignore[no-untyped-def]
    assert answer.results, answer.reply
    return answer.results[0].entry


@pytest.mark.parametrize(
    "question, region, unit",
    [
        ("槐荫区养老补贴政策信息公开归哪个部门管？", "槐荫区", "区民政局"),
        ("槐荫区老人补贴的事归哪个部门管？", "槐荫区", "区民政局"),  # colloquial: 老人 -> 养老
        ("槐荫 养劳补贴 谁负责", "槐荫区", "区民政局"),  # typo by sound
        ("huaiyin yanglao butie 谁负责", "槐荫区", "区民政局"),  # pinyin, region in pinyin
        ("槐蔭區養老補貼信息公開由哪個部門負責", "槐荫区", "区民政局"),  # traditional
        ("Who is responsible for elderly-care subsidy disclosure in Huaiyin?", "槐荫区", "区民政局"),
        ("周村区政府预决算信息公开由谁负责？", "周村区", "区财政局"),
        ("薛城区义务教育信息公开是哪个单位负责", "薛城区", "区教体局"),
        ("历城区减税降费政策宣传谁负责", "历城区", "区税务局"),
        ("薛城 人社局 就业 责任", "薛城区", "区人社局"),  # terse staff style
        ("周村 双公示 牵头", "周村区", "区发展改革局"),
    ],
)
def test_who_questions_name_the_responsible_unit(shipped_engine, question: str, region: str, unit: str) -> None:
    ans = ask(shipped_engine, question)
    assert ans.intent == Intent.WHO
    assert ans.answered, ans.reply
    assert top(ans).region == region
    assert unit in top(ans).responsible
    assert unit in ans.reply.split("\n")[0] or unit in ans.reply  # the direct answer comes first
    assert ans.citation and "《" in ans.citation


def test_reply_puts_direct_answer_first_then_verbatim_clause_and_citation(shipped_engine) -> None:
    ans = ask(shipped_engine, "槐荫区养老补贴政策信息公开归哪个部门管？")
    lines = ans.reply.split("\n")
    assert lines[0].startswith("负责单位：") and "区民政局" in lines[0]
    entry = top(ans)
    assert f"“{entry.text}”" in ans.reply
    assert any(line.startswith("出处：") and entry.title in line for line in lines)
    assert ans.units == entry.responsible and ans.deadline == entry.deadline


@pytest.mark.parametrize(
    "question, deadline_part",
    [
        ("历城区年度政务公开工作实施方案什么时候前编制好？", "8月31日"),
        ("槐荫区公共企事业单位摸清信息公开现状的完成时限", "2022年9月底前"),
        ("薛城区政务公开重点工作台账多久内报送？", "30日内"),
    ],
)
def test_when_questions_give_the_deadline_first(shipped_engine, question: str, deadline_part: str) -> None:
    ans = ask(shipped_engine, question)
    assert ans.intent == Intent.WHEN and ans.answered, ans.reply
    first = ans.reply.split("\n")[0]
    assert first.startswith(("完成时限：", "期限：")), first  # a how-long question leads with the period
    assert deadline_part in ans.reply


def test_what_question_quotes_the_clause(shipped_engine) -> None:
    ans = ask(shipped_engine, "政府信息公开信息处理费按什么办法收取？")
    assert ans.answered and ans.intent == Intent.WHAT
    assert "信息处理费" in top(ans).text


def test_department_list_resolves_aliases_and_groups_by_plan(shipped_engine) -> None:
    long_form = ask(shipped_engine, "历城区区人力资源社会保障局有哪些公开任务？")
    short_form = ask(shipped_engine, "历城区人社局负责哪些任务")
    assert long_form.intent == Intent.LIST == short_form.intent
    assert long_form.answered and short_form.answered
    assert [r.entry.id for r in long_form.results] == [r.entry.id for r in short_form.results]
    assert all(r.entry.region == "历城区" for r in long_form.results)
    assert "《" in long_form.reply


def test_list_by_date_returns_entries_due_by_then_earliest_first(shipped_engine) -> None:
    ans = ask(shipped_engine, "槐荫区2022年9月底前要完成哪些任务？")
    assert ans.intent == Intent.LIST and ans.answered
    dues = [r.entry.due for r in ans.results]
    assert dues and all(d and "2022-01-01" <= d <= "2022-09-30" for d in dues)
    assert dues == sorted(dues)
    assert len(ans.results) <= 50


@pytest.mark.parametrize(
    "question",
    [
        "个人所得税汇算清缴怎么退税？",
        "公积金贷款最多能贷多少钱？",
        "栖霞市种苹果每亩补贴多少钱？",
        "身份证丢了去哪里补办？",
        "海淀区养老补贴信息公开谁负责？",  # a district not in the knowledge base
        "How much is the pension in Haidian?",
        "居住证办理流程是什么？",  # how-to questions: the plans hold no procedures
        "个体工商户怎么注册？",
        "医保异地就医怎么备案？",
    ],
)
def test_declines_when_the_plans_are_silent(shipped_engine, question: str) -> None:
    ans = ask(shipped_engine, question)
    assert not ans.answered, ans.reply
    assert "12345" in ans.reply
    assert ans.suggestions


def test_unknown_region_is_named_in_the_decline(shipped_engine) -> None:
    ans = ask(shipped_engine, "海淀区养老补贴信息公开谁负责？")
    assert "海淀区" in ans.reply and "槐荫区" in ans.reply


def test_english_question_gets_english_labels_and_chinese_quote(shipped_engine) -> None:
    ans = ask(shipped_engine, "Who is responsible for elderly-care subsidy disclosure in Huaiyin?")
    assert ans.lang == "en"
    assert ans.reply.startswith("Responsible units")
    assert "区民政局" in ans.reply and "“" in ans.reply


def test_follow_up_reuses_the_previous_clause(shipped_engine) -> None:
    first = ask(shipped_engine, "槐荫区公共企事业单位信息公开细则由哪个部门负责？")
    assert first.answered
    follow = ask(shipped_engine, "那完成时限呢？", context=first.context)
    assert follow.answered and follow.intent == Intent.WHEN
    assert top(follow).id == top(first).id
    assert follow.reply.startswith("完成时限：")


def test_question_without_region_answered_by_several_plans_is_grouped(shipped_engine) -> None:
    ans = ask(shipped_engine, "依申请公开办理有什么要求？")
    assert ans.answered
    regions = {r.entry.region for r in ans.results}
    if len(regions) > 1 and "以下地区" in ans.reply:
        assert sum(f"【{r}】" in ans.reply for r in regions) >= 2


def test_region_argument_filters_results(shipped_engine) -> None:
    ans = ask(shipped_engine, "政府网站由哪个部门负责？", region="历城区")
    assert ans.results and all(r.entry.region == "历城区" for r in ans.results)


def test_default_region_is_preferred(shipped_settings) -> None:
    from bot.engine.coordinator import Engine

    engine = Engine.load(shipped_settings.replace(search__default_region="薛城区"))
    ans = engine.answer("义务教育信息公开由哪个部门负责？")
    assert top(ans).region == "薛城区"


@pytest.mark.parametrize("question", ["", "   ", "\n"])
def test_empty_question_is_a_clear_non_answer(shipped_engine, question: str) -> None:
    ans = ask(shipped_engine, question)
    assert not ans.answered and ans.intent == Intent.NONE and ans.reply


def test_huge_question_is_refused_not_crashed(shipped_engine) -> None:
    ans = ask(shipped_engine, "养老" * 50_000)
    assert not ans.answered and "太长" in ans.reply


def test_html_in_question_is_just_text(shipped_engine) -> None:
    ans = ask(shipped_engine, "<img src=x onerror=alert(1)>槐荫区养老补贴信息公开谁负责？")
    assert ans.answered and "区民政局" in ans.units
    assert ans.question.startswith("<img")


def test_greeting_is_answered_politely_without_results(shipped_engine) -> None:
    ans = ask(shipped_engine, "你好")
    assert not ans.answered and not ans.results and "您好" in ans.reply


def test_suggest_by_hanzi_and_pinyin_prefix(shipped_engine) -> None:
    assert any("养老" in s for s in shipped_engine.suggest("养老"))
    assert any("养老" in s for s in shipped_engine.suggest("yanglao"))
    assert shipped_engine.suggest("") == []


def test_featured_topics_come_from_the_curated_file(shipped_engine) -> None:
    topics = shipped_engine.featured()
    assert len(topics) >= 6
    assert all(t.questions and t.key for t in topics)
    names = {t.name for t in topics}
    assert {"养老", "就业", "依申请公开"} <= names


def test_every_featured_question_is_answered(shipped_engine) -> None:
    for topic in shipped_engine.featured():
        for q in topic.questions:
            assert shipped_engine.answer(q).answered, q


def test_department_tasks_and_due_tasks(shipped_engine) -> None:
    from datetime import date

    tasks = shipped_engine.department_tasks("区卫健局", region="槐荫区")
    assert tasks and all(any("卫生健康" in u for u in e.responsible) for e in tasks)
    due = shipped_engine.due_tasks(date(2022, 9, 30), since=date(2022, 1, 1), region="槐荫区")
    assert due and [e.due for e in due] == sorted(e.due for e in due)
    assert shipped_engine.resolve_department("区人社局") == shipped_engine.resolve_department("区人力资源社会保障局")


def test_how_to_question_names_who_publishes_the_related_information(shipped_engine) -> None:
    ans = ask(shipped_engine, "槐荫区低保申请条件是什么？")
    assert not ans.answered
    assert "办理条件" in ans.reply and "区民政局" in ans.reply


def test_what_answer_over_a_long_clause_leads_with_the_matching_sentence(shipped_engine) -> None:
    ans = ask(shipped_engine, "栖霞市各单位一年至少组织几次政务公开通识培训？")
    assert ans.answered
    first = ans.reply.split("\n")[0]
    assert "通识培训不少于" in ans.reply
    # the time requirement shown is the one of the sentence asked about, not the clause's first
    if ans.intent == Intent.WHEN:
        assert first.startswith(("完成时限：", "频次：")) and "听取" not in first


def test_grouped_answer_for_a_question_without_region_never_fails(shipped_engine) -> None:
    for q in ("依申请公开办理有什么要求？", "政府开放活动什么时候开展？", "政策解读由哪个部门负责？"):
        ans = ask(shipped_engine, q)
        assert ans.answered and "抱歉，暂时无法回答" not in ans.reply, q


@pytest.mark.parametrize("question", ["周村区2020年底前要完成哪些政务公开任务？", "周村区年底前要完成哪些任务？"])
def test_year_end_list_uses_the_whole_date_phrase(shipped_engine, question: str) -> None:
    ans = ask(shipped_engine, question)
    assert ans.intent == Intent.LIST and ans.answered
    assert len(ans.results) >= 3
    assert all(r.entry.region == "周村区" and r.entry.due <= "2020-12-31" for r in ans.results)


def test_duration_question_is_declined_when_the_clause_states_none(shipped_engine) -> None:
    ans = ask(shipped_engine, "政府信息公开申请的法定答复期限是多少个工作日？")
    assert not ans.answered and "期限" in ans.reply and "《" in ans.reply  # points to the nearest clause
    kept = ask(shipped_engine, "薛城区政务公开重点工作台账多久内报送？")
    assert kept.answered and "30日内" in kept.reply


def test_parent_city_places_the_question_but_is_not_its_topic(shipped_engine) -> None:
    assert not ask(shipped_engine, "What is the minimum wage in Zibo?").answered
    ans = ask(shipped_engine, "淄博市预决算信息公开由哪个部门负责？")
    assert ans.answered and top(ans).region == "周村区" and "区财政局" in ans.units
    assert not ask(shipped_engine, "淄博市高新区养老服务信息公开有什么要求？").answered


@pytest.mark.parametrize("question", ["区", "9月", "任务", "部门"])
def test_question_of_only_general_words_asks_for_a_topic(shipped_engine, question: str) -> None:
    ans = ask(shipped_engine, question)
    assert not ans.answered and not ans.results and "具体" in ans.reply


def test_region_task_list(shipped_engine) -> None:
    ans = ask(shipped_engine, "薛城区2024年有哪些政务公开任务？")
    assert ans.intent == Intent.LIST and ans.answered
    assert len(ans.results) >= 20 and all(r.entry.region == "薛城区" for r in ans.results)


def test_a_question_the_rewriter_fails_on_is_still_read_and_answered(shipped_engine, monkeypatch) -> None:
    """The rewriter raising on one question (logged) leaves the plain reading: places, regions and all."""
    def broken(question: str) -> None:
        raise RuntimeError("rewriter broke")

    monkeypatch.setattr(shipped_engine.index.rewriter, "rewrite", broken)
    ans = shipped_engine.answer("槐荫区养老补贴政策信息公开由哪个部门负责？")
    assert ans.answered and ans.region == "槐荫区" and "区民政局" in ans.units
