"""Conversation moves (bot/engine/moves.py, turns.py, conversation.py) on conversations written for these tests
from the shipped plans (knowledge/plans), each move in several wordings: "more" walks the clauses of the topic
without repeating one, a confirmation answers yes or no first and stays on its clause, a region or year not
held is declined in any turn, reset starts over; and what a citizen sees (the card's lead, declines)."""
from __future__ import annotations

import pytest

from bot.engine.answer import Context, Intent
from bot.engine.moves import Move, plan_turn


def converse(engine, *questions: str, region: str | None = None):  # type: ignore[no-untyped-def]
    context, answers = None, []
    for q in questions:
        ans = engine.answer(q, context=context, region=region)
        context = ans.context
        answers.append(ans)
    return answers


def top(ans):  # type: ignore[no-untyped-def]
    assert ans.results, ans.reply
    return ans.results[0].entry


PUBLIC_UNITS = "槐荫区对公共企事业单位的信息公开有什么要求？"


@pytest.mark.parametrize("more", [("还有吗？", "这方面还有别的规定吗？", "其他的呢？"),
                                  ("Anything else on that?", "What else?", "还有别的要求吗")])
def test_more_walks_the_topic_without_repeating(shipped_engine, more: tuple[str, ...]) -> None:
    answers = converse(shipped_engine, PUBLIC_UNITS, *(more * 3))
    shown = [top(a).id for a in answers if a.answered]
    assert len(shown) == len(set(shown)) >= 3  # never the same clause twice
    assert all(top(a).region == "槐荫区" for a in answers if a.answered)
    assert all("企事业单位" in top(a).text or "企事业单位" in top(a).section for a in answers if a.answered)
    last = answers[-1]
    assert not last.answered and ("都介绍过了" in last.reply or "every clause" in last.reply)


def test_more_after_a_narrow_topic_says_there_is_no_more(shipped_engine) -> None:
    first, more = converse(shipped_engine, "槐荫区义务教育信息公开由哪个部门负责？", "还有其他的吗？")
    assert first.answered and not more.answered and "都介绍过了" in more.reply


@pytest.mark.parametrize("presumption", ["那就是区民政局一家管呗？", "只有区民政局负责，对吧？", "区民政局单独负责吗？"])
def test_a_wrong_unit_is_denied_on_the_same_clause(shipped_engine, presumption: str) -> None:
    first, check = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", presumption)
    assert check.answered and check.reply.startswith("不是，这项由") and "共同负责" in check.reply
    assert top(check).id == top(first).id  # no jump to another clause naming 区民政局
    assert check.intent == Intent.WHO


@pytest.mark.parametrize("presumption", ["区商务局也在里面，对吧？", "区商务局也参与吗？", "是不是区商务局也负责？"])
def test_a_right_unit_is_confirmed(shipped_engine, presumption: str) -> None:
    first, check = converse(shipped_engine, "周村区“双招双引”和对外开放攻坚行动的进展由哪个部门公开？", presumption)
    assert check.answered and check.reply.startswith("是的") and top(check).id == top(first).id
    assert "区投资促进中心" in check.reply


@pytest.mark.parametrize("presumption, yes", [
    ("是不是年底前弄完就行？", False), ("这项9月底前完成吧？", False), ("全年都要做，对吗？", True),
])
def test_a_deadline_check_answers_yes_or_no_first(shipped_engine, presumption: str, yes: bool) -> None:
    first, check = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", presumption)
    assert check.answered and top(check).id == top(first).id and check.intent == Intent.WHEN
    assert check.reply.startswith("是的，完成时限是全年" if yes else "不是，完成时限是全年")


def test_a_deadline_check_in_english_and_a_right_one(shipped_engine) -> None:
    first, right, wrong = converse(shipped_engine, "历城区政府开放活动由谁负责？", "年底前完成，对吗？",
                                   "Is it due by the end of June?")
    assert right.reply.startswith("是的，完成时限是2023年12月底前")
    assert wrong.lang == "en" and wrong.reply.startswith("No: the deadline is")
    assert top(right).id == top(wrong).id == top(first).id


def test_a_check_naming_another_clause_is_about_that_clause(shipped_engine) -> None:
    _, check = converse(shipped_engine, PUBLIC_UNITS, "那监督投诉渠道这条，也是9月底前完成吧？")
    assert "监督投诉渠道" in top(check).text and check.reply.startswith("不是，完成时限是全年")


@pytest.mark.parametrize("switch", ["那2019年的呢？", "换成2025年的要点呢？", "2021年的工作要点里也这么规定吗？"])
def test_a_year_not_held_is_declined_in_a_follow_up(shipped_engine, switch: str) -> None:
    first, second = converse(shipped_engine, "历城区政府开放活动由谁负责？", switch)
    assert first.answered and not second.answered
    assert "历城区2023年" in second.reply and "12345" in second.reply


@pytest.mark.parametrize("switch", ["那济南历城区呢？", "换到历城区看看", "历城呢？"])
def test_a_region_switch_named_with_its_city(shipped_engine, switch: str) -> None:
    _, second = converse(shipped_engine, "薛城区2024年的区政府重大行政决策事项目录由哪个部门负责发布？", switch)
    assert second.answered and top(second).region == "历城区" and second.intent == Intent.WHO


@pytest.mark.parametrize("reset", ["换个问题", "我想重新问", "Start over"])
def test_reset_clears_the_context(shipped_engine, reset: str) -> None:
    _, again, more = converse(shipped_engine, PUBLIC_UNITS, reset, "还有吗？")
    assert not again.answered and again.context == Context()
    assert not more.answered  # nothing to continue


def test_the_card_leads_with_what_was_matched(shipped_engine) -> None:
    (ans,) = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？")
    assert ans.brief and ans.brief.startswith("要点：") and "养老" in ans.brief.split("\n")[0]
    assert ans.units and ans.deadline and ans.citation  # beside it; the clause and citation one tap away


def test_a_decline_never_echoes_the_message(shipped_engine) -> None:
    message = "您好，我家孩子今年上初中了，想问问周末去哪里可以学游泳，游泳馆办卡一次多少钱比较划算？"
    (ans,) = converse(shipped_engine, message, region="槐荫区")
    assert not ans.answered and message[:20] not in ans.reply and "12345" in ans.reply
    assert ans.suggestions and len(set(ans.suggestions)) == len(ans.suggestions)
    assert all("槐荫区" in s and s.endswith("？") for s in ans.suggestions)
    assert not any(s in (ans.brief or "") for s in ans.suggestions)  # chips, not repeated in the card


def test_the_site_region_answers_region_less_questions_first(shipped_engine) -> None:
    (own,) = converse(shipped_engine, "义务教育信息公开由哪个部门负责？", region="槐荫区")
    assert top(own).region == "槐荫区"
    (named,) = converse(shipped_engine, "历城区政府开放活动由谁负责？", region="槐荫区")
    assert top(named).region == "历城区"
    _, switched = converse(shipped_engine, "政府开放活动由谁负责？", "那历城区呢？", region="槐荫区")
    assert top(switched).region == "历城区"


CONTEXT = Context(question="槐荫区养老补贴谁负责", intent="who", region="槐荫区", year=2022, entry_ids=["x"],
                  topic="养老补贴谁负责")


@pytest.mark.parametrize("question, move", [
    ("还有别的吗？", Move.MORE), ("这方面还有什么要求？", Move.MORE), ("What else?", Move.MORE),
    ("区民政局也负责吗？", Move.CONFIRM), ("是不是9月底前完成？", Move.CONFIRM),
    ("So it is due by the end of the year, right?", Move.CONFIRM),
    ("那2019年的呢？", Move.SWITCH_YEAR), ("换成2025年的", Move.SWITCH_YEAR),
    ("淄博周村区呢？", Move.SWITCH_REGION), ("What about Licheng?", Move.SWITCH_REGION),
    ("重新开始吧", Move.RESET), ("start over", Move.RESET),
    ("那完成时限呢？", Move.SAME_CLAUSE), ("除了它还有哪些单位？", Move.SAME_CLAUSE), ("And by when?", Move.SAME_CLAUSE),
    ("那医保呢？", Move.TOPIC), ("周村区预决算信息公开由哪个部门负责？", Move.NEW),
    # issue 20, second round: pointing back with wording the plans never use; a month's end said without
    # "前"; a presumption question-marked without a particle; "more" on a part of the topic it names;
    # a year in Chinese digits; an English function word is no topic of its own.
    ("那这件事得啥时候弄利落？", Move.SAME_CLAUSE), ("我听人说是10月底，对不对？", Move.CONFIRM),
    ("那条也是6月底？", Move.CONFIRM), ("补贴这块还有啥规定？", Move.MORE), ("那二零一九年的呢？", Move.SWITCH_YEAR),
    ("And Zhoucun?", Move.SWITCH_REGION), ("还有其他部门参与吗？", Move.SAME_CLAUSE), ("那去年的呢？", Move.SWITCH_YEAR),
    ("下一条", Move.NEXT), ("Go on", Move.MORE), ("这事归宣传部管吧？", Move.CONFIRM),
    ("那区民政局还负责哪些事？", Move.NEW),
])
def test_moves_from_the_form_of_the_turn(shipped_engine, question: str, move: Move) -> None:
    plan = plan_turn(shipped_engine.understand(question), CONTEXT, shipped_engine.turns.names_topic)
    assert plan.move == move, plan


def test_page_only_after_a_list(shipped_engine) -> None:
    listing = Context(question="槐荫区民政局有哪些任务", intent="list", region="槐荫区", next_page=50, entry_ids=["x"])
    assert plan_turn(shipped_engine.understand("下一页"), listing).move == Move.PAGE
    assert plan_turn(shipped_engine.understand("下一页"), Context(**{**listing.to_dict(), "next_page": 0})).move \
        == Move.NO_MORE


def test_a_follow_up_after_the_nearest_clause_is_about_that_clause(shipped_engine) -> None:
    """When the bot showed the nearest clause, "那啥时候完成？" asks about it, as after an answer."""
    from bot.engine.conversation import next_context
    from bot.engine.decide import Decision, Kind
    from bot.engine.retrieve import Candidate

    entry = next(e for e in shipped_engine.index.entries if e.region == "槐荫区" and e.deadline)
    query = shipped_engine.understand("槐荫区那个村里的补贴到底在哪能看着啊")
    nearest = Decision(Kind.NEAREST, Intent.WHAT, (Candidate(entry, 0, 1.0, 0.35),))
    context = next_context(query, nearest)
    assert context.entry_ids == [entry.id] and entry.id in context.shown
    plan = plan_turn(shipped_engine.understand("那啥时候以前得弄完啊"), context, shipped_engine.turns.names_topic)
    assert plan.move == Move.SAME_CLAUSE and plan.entry_id == entry.id


@pytest.mark.parametrize("followup", ["这个要多少天办完？", "那我怎么申请呢？", "How many days does it take?"])
def test_a_follow_up_gets_the_scope_rules_of_a_first_question(shipped_engine, followup: str) -> None:
    """Asking the clause shown for a period, a procedure or an amount it does not state is declined, as the
    question alone would be; the conversation keeps its clause."""
    first, then, who = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", followup, "那谁负责？")
    assert first.answered and not then.answered and who.answered
    assert top(who).id == top(first).id


def test_a_fresh_start_with_a_question_reads_the_question_alone(shipped_engine) -> None:
    _, fresh = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", "换个话题：历城区义务教育双减信息公开什么时候完成？")
    assert fresh.answered and top(fresh).region == "历城区" and "双减" in top(fresh).text


def test_an_aspect_named_inside_the_clause_shown_stays_on_that_clause(shipped_engine) -> None:
    """A follow-up whose own topic words are all in the clause shown asks another aspect of it, and of two
    periods in one sentence the one beside those words answers ("新闻发布会" -> 24小时内, not 5小时内)."""
    first, then = converse(shipped_engine, "槐荫区发生重大突发事件，最迟多久要发布权威信息？", "新闻发布会要在多长时间内开？")
    assert first.answered and then.answered and top(then).id == top(first).id
    assert "24小时内" in then.reply.split("\n")[0]


def test_a_region_switch_asking_how_often_keeps_the_topic(shipped_engine) -> None:
    """"一年要请几次" asks how often, it names no topic: the conversation's topic in the region named."""
    first, then = converse(shipped_engine, "薛城区邀请公众代表列席政府会议有什么要求？", "那济南历城呢，一年要请几次？")
    assert first.answered and then.answered
    assert top(then).region == "历城区" and "列席" in top(then).text


@pytest.mark.parametrize("elsewhere", ["Haidian district呢？", "那张店区呢？"])
def test_a_decline_for_a_place_not_held_keeps_the_conversation_topic(shipped_engine, elsewhere: str) -> None:
    first, declined, then = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", elsewhere, "那历城区呢？")
    assert first.answered and not declined.answered and then.answered
    assert top(then).region == "历城区" and "养老" in top(then).text


@pytest.mark.parametrize("next_item", ["下一条", "再往下说说", "下一页", "Show me the next item.", "Next one, please.", "Next page."])
def test_next_walks_the_plan_in_its_own_order(shipped_engine, next_item: str) -> None:
    """"下一条" after a clause is the plan's next item of the same kind, never one already shown; after the
    plan's last item there is no next."""
    first, then, again = converse(shipped_engine, "槐荫区政务公开培训考核有什么要求？", next_item, next_item)
    a, b, c = top(first), top(then), top(again)
    entries = shipped_engine.index.entries
    at = shipped_engine.index.position(a.id)
    assert b.id == entries[at + 1].id and b.doc == a.doc and b.kind == a.kind
    assert c.id == entries[at + 2].id
    assert len({a.id, b.id, c.id}) == 3


def test_next_after_the_last_item_says_there_is_no_more(shipped_engine) -> None:
    entries = shipped_engine.index.entries
    last = max((i for i, e in enumerate(entries) if e.doc == entries[0].doc and e.kind == entries[0].kind))
    context = Context(question="q", intent="what", region=entries[last].region, entry_ids=[entries[last].id],
                      shown=[entries[last].id], topic="q")
    ans = shipped_engine.answer("下一条", context=context)
    assert not ans.answered and not ans.results


@pytest.mark.parametrize("pointing", ["谁管这摊子？", "这一块谁负责？", "该项由谁负责？"])
def test_a_word_pointed_at_refers_back_and_names_no_topic(shipped_engine, pointing: str) -> None:
    """"这摊子", "这一块", "该项" point at the clause shown: a who-question about it, not a new topic."""
    first, then = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", pointing)
    assert then.answered and top(then).id == top(first).id


def test_a_place_not_held_named_by_city_and_district_is_no_topic(shipped_engine) -> None:
    first, declined, then = converse(shipped_engine, "栖霞市对各部门政务公开工作的指导由谁负责？", "那烟台蓬莱那边呢？",
                                     "那就说济南历城吧，历城是怎么规定的？")
    assert first.answered and not declined.answered and "蓬莱" in declined.reply
    assert then.answered and top(then).region == "历城区"


@pytest.mark.parametrize("presumption", ["是不是区政府办公室一家说了算？", "So the government office alone decides this?"])
def test_a_presumed_unit_other_clauses_name_never_moves_the_check(shipped_engine, presumption: str) -> None:
    """The words of a presumed unit ("说了算" aside) are that unit, not a topic: the check stays on its clause."""
    first, check = converse(shipped_engine, "槐荫区养老补贴政策信息公开由哪个部门负责？", presumption)
    assert check.answered and top(check).id == top(first).id
    assert check.reply.startswith(("不是", "No"))


def test_an_english_unit_check_is_read_as_the_unit(shipped_engine) -> None:
    first, check = converse(shipped_engine, "Who in Huaiyin publishes the elderly-care subsidy policies?",
                            "So the civil affairs bureau is one of them?")
    assert check.answered and top(check).id == top(first).id and check.reply.startswith("Yes")


@pytest.mark.parametrize("asking", ["换个问题：哪个区说要借电影下乡这种办法把信息送到村里？",
                                    "Forget all that. No particular district: which plan says it shows films in the "
                                    "countryside to spread information?"])
def test_asking_which_district_names_no_place(shipped_engine, asking: str) -> None:
    """"哪个区" and "no particular district" ask for a district; neither is a district the base lacks."""
    _, fresh = converse(shipped_engine, "薛城 政府开放活动 主题场次 怎么定", asking)
    assert fresh.answered and "电影下乡" in top(fresh).text


def test_a_part_named_in_words_no_plan_uses_goes_on_with_the_topic(shipped_engine) -> None:
    first = shipped_engine.answer("栖霞市房地产市场监管信息公开有什么要求？")
    plan = plan_turn(shipped_engine.understand("房子这块还有啥说法？"), first.context, shipped_engine.turns.names_topic)
    assert plan.move == Move.MORE and plan.text == first.context.topic


def test_asking_for_a_date_in_english_is_a_when_question(shipped_engine) -> None:
    first, when = converse(shipped_engine, "Over in Xuecheng, which offices make sure farm-subsidy payouts and "
                                           "demolition resettlement plans are posted?", "Is there a date they have to get that done by?")
    assert first.answered and when.intent == Intent.WHEN and not when.answered  # the clause sets no date


@pytest.mark.parametrize("again", ["OK, then the plan you do have — what does it say about that?", "那就说有的那年吧，怎么规定的？"])
def test_after_a_year_not_held_a_turn_without_topic_asks_the_held_plan(shipped_engine, again: str) -> None:
    """Nothing was shown after the decline: the turn asks the conversation's topic in its region's plan held."""
    declined, then = converse(shipped_engine, "槐荫区2021年的要点对公共企事业单位监督投诉渠道怎么说？", again)
    assert not declined.answered and then.answered
    assert top(then).region == "槐荫区" and "投诉" in top(then).text


@pytest.mark.parametrize("section", ["What else does that section say?", "同节 其他", "这一部分还有啥？"])
def test_more_of_the_part_shown_stays_in_its_section(shipped_engine, section: str) -> None:
    answers = converse(shipped_engine, "槐荫区疫苗接种信息公开由哪个部门负责？", section, section)
    first, *more = answers
    assert all(a.answered for a in answers), [a.reply for a in answers]
    assert {top(a).section for a in more} == {top(first).section}
    assert len({top(a).id for a in answers}) == 3  # never one shown


@pytest.mark.parametrize("check", ["So the health bureau is one of them?", "那卫健局也算一个？", "The water bureau too?"])
def test_a_department_named_in_a_yes_no_check_is_presumed_not_listed(shipped_engine, check: str) -> None:
    assert shipped_engine.understand(check).intent == Intent.WHO
    assert shipped_engine.understand("区民政局").intent == Intent.LIST  # a bare name still asks its list


def test_a_turn_pointing_back_names_no_topic_with_everyday_plan_words(shipped_engine) -> None:
    """"这事儿落到哪些单位头上？": 落到 is in the plans ("落到实处") but is wording; the turn asks who of the clause."""
    first, who = converse(shipped_engine, "周村区政务公开工作机构和专职工作人员有什么要求？", "这事儿落到哪些单位头上？")
    assert first.answered and who.answered and top(who).id == top(first).id


def test_more_with_nothing_else_on_the_topic_reads_on_in_the_clause_shown(shipped_engine) -> None:
    """"What else does that part say?" when the topic has no other clause: the same clause, led by another of
    its sentences and said to be the same clause — not "that was the whole list"."""
    first, who, more, again = converse(shipped_engine, "Is Zhoucun going back over whether it actually did what the "
                                       "revised disclosure regulations require?", "Who checks up on that?",
                                       "What else does that part say?", "Anything else?")
    assert first.answered and more.answered and top(more).id == top(first).id
    assert more.reply.startswith("No other clause on this topic") and "whole list" not in more.reply
    assert not again.answered and "every clause" in again.reply  # read on once, then no more


def test_two_plans_compared_by_deadline_set_the_clause_shown_against_the_one_before(shipped_engine) -> None:
    first, switched, compared = converse(shipped_engine, "历城区在各公共企事业单位建立联络员制度，要求几月底前弄完？",
                                         "那槐荫那边呢？", "两个区哪个要求更早完成？")
    assert first.answered and switched.answered and compared.answered
    assert compared.intent == Intent.WHEN and top(compared).id == top(switched).id
    assert compared.reply.startswith("比较：") and "本条更早" in compared.reply  # 2022年9月底 before 2023年11月底
    assert "历城" not in compared.reply.split("|")[0]  # the one before is "the one asked about before"


def test_which_of_two_plans_says_something_searches_both(shipped_engine) -> None:
    *_, which = converse(shipped_engine, "How often are Huaiyin's department heads supposed to hear a report on "
                         "open-government work?", "And in Qixia?", "Which of the two also says its leading group has "
                         "to meet regularly?")
    assert which.answered and top(which).region == "槐荫区" and "领导小组" in top(which).text


def test_a_comparison_within_one_plan_asks_about_the_clause_shown(shipped_engine) -> None:
    first, again = converse(shipped_engine, "槐荫区疫苗接种信息公开由哪个部门负责？", "哪个更早？")
    assert first.answered and top(again).id == top(first).id and not again.reply.startswith("比较")


@pytest.mark.parametrize("source", ["这是哪个文件里的？", "出处呢？", "Which document is that from?", "What's the source?"])
def test_asking_where_the_clause_comes_from_cites_it_first(shipped_engine, source: str) -> None:
    first, cited = converse(shipped_engine, "周村区应急预案公开由哪些部门负责？", source)
    assert first.answered and cited.answered and top(cited).id == top(first).id
    assert cited.reply.startswith(("这一条出自《", "This comes from 《"))


def test_a_question_naming_a_topic_with_which_plan_is_a_question_of_its_own(shipped_engine) -> None:
    first = shipped_engine.answer("周村区应急预案公开由哪些部门负责？")
    for other in ("哪个文件提到政府网站IPv6改造？", "Which plan talks about switching government websites to IPv6?"):
        plan = plan_turn(shipped_engine.understand(other), first.context, shipped_engine.turns.names_topic)
        assert plan.move != Move.SOURCE


def test_a_chinese_question_spelling_a_latin_plan_term_keeps_it_as_written(shipped_engine) -> None:
    assert shipped_engine.understand("政府网站IPv6改造谁负责").text == "政府网站IPv6改造谁负责"  # was "IPv6改造6改造"
    assert "ipv6改造" in shipped_engine.understand("政府网站IPv6谁负责").terms  # the gloss still reads a bare "IPv6"


@pytest.mark.parametrize("said", ["这个比较急，啥时候完成？", "是两家单位一起管吗？"])
def test_comparing_wording_in_a_plain_question_is_no_comparison(shipped_engine, said: str) -> None:
    *_, last = converse(shipped_engine, "历城区在各公共企事业单位建立联络员制度，要求几月底前弄完？", "那槐荫那边呢？")
    plan = plan_turn(shipped_engine.understand(said), last.context, shipped_engine.turns.names_topic)
    assert plan.move != Move.COMPARE


def test_what_about_a_place_keeps_the_question_asked(shipped_engine) -> None:
    """"What about Zhoucun?" continues: it asks who again there, as "那周村呢？" does, not "what"."""
    first, then = converse(shipped_engine, "Who in Licheng handles disclosure of the 12345 hotline work?", "What about Zhoucun?")
    assert first.intent == Intent.WHO and then.intent == Intent.WHO and top(then).region == "周村区"


def test_a_part_of_the_rows_responsibility_cell_is_asked_of_the_same_row(shipped_engine) -> None:
    """The 应急预案 row gives each kind of plan its own units ("自然灾害类专项预案:区应急局、…"): naming one
    of them asks the same row, and the reply leads with that part's units."""
    first, part = converse(shipped_engine, "Zhoucun: which bureau publishes the district's overall emergency plan?",
                           "And the plans for natural disasters?")
    assert top(part).id == top(first).id and part.intent == Intent.WHO
    assert part.reply.startswith("For 自然灾害类专项预案: 区应急局、区住房城乡建设局、区水利局")
    assert first.reply.startswith("For 区总体预案: 区应急局.")
    alone = shipped_engine.answer("周村区公共卫生类应急预案谁负责公开？")
    assert alone.reply.startswith("其中公共卫生类专项预案：区卫生健康局、区农业农村局、区市场监管局。")


def test_which_of_two_plans_says_what_neither_says_is_declined(shipped_engine) -> None:
    *_, which = converse(shipped_engine, "历城区在各公共企事业单位建立联络员制度，要求几月底前弄完？", "那槐荫那边呢？",
                         "两个区哪个还提到了建设地铁站？")
    assert not which.answered and not which.reply.startswith("比较")


@pytest.mark.parametrize(("said", "unit"), [("So the veterans' affairs bureau is one of them?", "区退役军人事务局"),
                                            ("So that's just the big-data centre's job?", "区大数据中心")])
def test_an_english_unit_named_by_what_it_does_is_a_department(shipped_engine, said: str, unit: str) -> None:
    """"the veterans' affairs bureau": the plan word its words read as, then the kind of unit (局), is the one
    department of that kind; "the centre's job" asks whose duty it is and names no topic (就业)."""
    query = shipped_engine.understand(said)
    assert query.departments == (unit,) and "就业" not in query.topic


def test_an_english_check_of_a_unit_named_by_what_it_does(shipped_engine) -> None:
    first, check = converse(shipped_engine, "What job-related information does Licheng promise to keep publishing for "
                                            "people like laid-off workers and veterans?",
                            "So the veterans' affairs bureau is one of them?")
    assert check.answered and check.reply.startswith("Yes") and top(check).id == top(first).id
    # the topic handed on holds only words the clause itself holds (not an English word's other renderings)
    assert first.context.topic and all(w in top(first).text for w in first.context.topic.split())


def test_a_check_of_how_often_is_answered_from_what_the_clause_says(shipped_engine) -> None:
    """A clause with no deadline that says how often ("按季度向社会公开…") answers a when-check: "every quarter"
    is 按季度, "每个月" is not."""
    asked = "薛城区政府工作报告重点任务的执行情况多久公开一次？"
    first, right = converse(shipped_engine, asked, "So that's every quarter, right?")
    assert right.answered and right.reply.startswith("Yes: the clause says every quarter (按季度).")
    assert top(right).id == top(first).id
    _, wrong = converse(shipped_engine, asked, "是每个月一次吧？")
    assert wrong.answered and wrong.reply.startswith("不是，条款写的是按季度。")


def test_a_turn_opening_with_so_continues_on_the_clause_shown(shipped_engine) -> None:
    first, _, then = converse(shipped_engine, "Which Huaiyin offices have to put all the tax and fee cuts on the "
                                              "government website and keep them updated?", "By when?",
                              "So once 2022 is over, that's the end of it?")
    assert then.answered and top(then).id == top(first).id and "长期坚持" in then.reply


def test_a_how_long_word_of_the_clause_own_wording_is_no_presumed_deadline(shipped_engine) -> None:
    """"考核长期落后的，是不是通报批评…": 长期 is the clause's own 长期落后, not a presumed deadline 长期."""
    first = shipped_engine.answer("历城区对各单位政务公开工作是咋督查的？")
    plan = plan_turn(shipped_engine.understand("考核长期落后的，是不是通报批评一下就完了？"), first.context,
                     shipped_engine.turns.names_topic, top(first).text)
    assert plan.presumption is None or plan.presumption.deadline is None
    check = plan_turn(shipped_engine.understand("是不是长期坚持就行？"), first.context,
                      shipped_engine.turns.names_topic, top(first).text)
    assert check.move == Move.CONFIRM and check.presumption is not None and check.presumption.deadline == "长期"


def test_a_city_and_a_year_pick_the_citys_plan_of_that_year(shipped_engine) -> None:
    """"And Jinan's 2023 plan?" after Huaiyin's 2022 plan (both 济南): the city's 2023 plan is 历城区's."""
    first, then = converse(shipped_engine, "Jinan's 2022 openness plan: who has to publish progress on rural "
                                           "revitalisation and where the money went?", "And Jinan's 2023 plan?")
    assert top(first).region == "槐荫区" and then.answered and top(then).region == "历城区"
    assert shipped_engine.understand("济南养老补贴信息公开谁负责？").regions == ("历城区", "槐荫区")


def test_an_apology_before_asking_for_the_source_is_no_topic(shipped_engine) -> None:
    first, source = converse(shipped_engine, "Who in Huaiyin has to publish vaccination information?",
                             "Sorry, which document did you get that from?")
    assert source.answered and top(source).id == top(first).id and source.reply.startswith("This comes from")


def test_pointing_back_at_the_first_clause_shown(shipped_engine) -> None:
    """"刚才第一条那个…，谁负责？" asks about the first clause the conversation showed, its words describing that
    clause; "你刚才说的第一个，历城那个，有发改局吗" checks a unit on the first one shown from 历城."""
    first, _, back = converse(shipped_engine, "槐荫区继续优化政府信息公开专栏、规范集中发布法定主动公开内容，啥时候前要完成？",
                              "平台建设这块还有啥？", "刚才第一条那个信息公开专栏的，谁负责？")
    assert back.answered and top(back).id == top(first).id and back.intent == Intent.WHO
    licheng, *_, check = converse(shipped_engine, "历城区生态环境质量信息公开谁负责", "什么时候完成",
                                  "槐荫区生态环境信息公开又是谁负责", "你刚才说的第一个，历城那个，有发改局吗")
    assert check.answered and top(check).id == top(licheng).id and check.reply.startswith("是的")
