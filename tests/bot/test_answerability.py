"""Issue 20: answers that hold on new wording — the clause must hold the question's specific topic, words a
synonym rule reads count where the clause holds their plan terms, the nearest clause is shown (not
answered) when unsure, lists asked in new words, and the dictionaries read at index build."""
from __future__ import annotations

import gzip
from pathlib import Path

from bot.engine.answer import Intent
from bot.engine.understand import stated_period
from bot.language.rewrite import resources
from bot.language.rewrite.english import English
from bot.language.rewrite.synonyms import alternatives_of

NEAREST = "最接近的规定"


def test_a_clause_without_the_specific_topic_is_not_the_answer(shipped_engine) -> None:
    ans = shipped_engine.answer("历城区养老补贴信息公开归哪个部门管？")
    assert ans.results and "养老" in ans.results[0].entry.text, ans.reply
    assert "就业创业" not in ans.results[0].entry.text


def test_kiosk_words_count_where_the_clause_holds_their_plan_terms(shipped_engine) -> None:
    ans = shipped_engine.answer("槐荫区孩子上幼儿园的信息哪个部门管")
    assert ans.answered and "学前教育" in ans.results[0].entry.text, ans.reply
    assert "区教育和体育局" in ans.units
    elderly = shipped_engine.answer("老人补贴找哪个部门")
    assert elderly.answered and "区民政局" in elderly.reply, elderly.reply


def test_unsure_shows_the_nearest_clause_without_answering(shipped_engine) -> None:
    ans = shipped_engine.answer("历城区哪个小区的房子学区最好？")
    assert not ans.answered
    assert NEAREST in ans.reply and ans.results, ans.reply
    assert ans.results[0].entry.text[:20] in ans.reply  # the clause shown is the one it names


def test_nothing_near_is_declined_outright(shipped_engine) -> None:
    ans = shipped_engine.answer("薛城区哪家医院看骨科最好？")
    assert not ans.answered and NEAREST not in ans.reply
    assert "12345" in ans.reply


def test_a_task_list_asked_in_new_words_is_a_list(shipped_engine) -> None:
    ans = shipped_engine.answer("历城区民政局分到了哪几项任务？帮我列一下")
    assert ans.answered and ans.intent == Intent.LIST, ans.reply
    assert all("区民政局" in "".join(r.entry.responsible) + r.entry.text for r in ans.results)


def test_how_often_in_spoken_words_is_answered_with_the_frequency(shipped_engine) -> None:
    ans = shipped_engine.answer("周村区政务公开在行动专栏，区里各部门多长时间得报送一回稿子")
    assert ans.answered, ans.reply
    assert "每月" in ans.reply


def test_synonym_alternatives_keep_the_part_the_word_says_itself() -> None:
    senses = (("老人补贴", ("养老", "补贴")), ("看病报销", ("医疗保险", "医保")))
    alts = dict(alternatives_of(("老人", "补贴", "老人补贴", "看病", "找"), senses))
    assert alts["老人"] == ("养老",)
    assert alts["老人补贴"] == ("养老 补贴",)  # both needed: 补贴 alone is no 老人补贴
    assert "补贴" not in alts and "找" not in alts
    assert alts["看病"] == ("医疗保险", "医保")


def _plan_words(*words: str):  # type: ignore[no-untyped-def]
    return lambda w: w in words


def test_cnsyn_groups_become_gated_rules(tmp_path: Path) -> None:
    groups = tmp_path / "sim_words.txt"
    groups.write_text("敬老院 养老院 养老机构\n老 老人 上下\n" + " ".join(f"词{i}" for i in range(20)) + "\n",
                      encoding="utf-8")
    specific = {"敬老院": 0.9, "养老院": 0.9, "养老机构": 0.9, "老人": 0.3, "上下": 0.2}
    rules = resources.synonym_rules(_plan_words("养老机构", "上下"), lambda w: specific.get(w, 0.9),
                                    taken={"养老院"}, path=groups)
    assert rules == [(("敬老院",), ("养老机构",))]  # 养老院 is the curated list's; 老人/上下 are everyday


def test_cedict_glosses_become_english_keys_under_the_glossary(tmp_path: Path) -> None:
    cedict = tmp_path / "cedict.txt.gz"
    with gzip.open(cedict, "wt", encoding="utf-8") as f:
        f.write("# comment\n")
        f.write("養老院 养老院 [yang3 lao3 yuan4] /nursing home/old people's home (lit.)/\n")
        f.write("垃圾 垃圾 [la1 ji1] /trash/refuse/garbage/(coll.) of poor quality/\n")
        f.write("時限 时限 [shi2 xian4] /time limit/\n")
    keys = resources.english_terms(_plan_words("养老院", "垃圾", "时限"), lambda w: 0.9, lambda w: 1, path=cedict)
    assert keys["nursing home"] == ["养老院"] and keys["refuse"] == ["垃圾"]
    english = English.build({"garbage": ["生活垃圾"]}, {"time limit": "什么时候完成"}, keys)
    assert english.glossary[("garbag",)] == ("生活垃圾",)  # the curated key wins
    assert ("time", "limit") not in english.glossary  # an intent's words stay the intent's
    assert english.glossary[("nurs", "hom")] == ("养老院",)


def test_how_often_in_english_asks_how_often(shipped_engine) -> None:
    """"How often …?" asks a frequency (the plan's 每季度), not what; "一次办好" and "一次性" name a service and a
    one-off, no count."""
    ans = shipped_engine.answer("How often does Zhoucun bundle up business policies and push them to the companies "
                                "in the district?")
    assert shipped_engine.understand("How often is it published?").asks_frequency
    assert ans.answered and ans.intent == "when" and "每季度" in ans.reply and "Frequency: 一次" not in ans.reply
    assert stated_period("深化“一窗受理·一次办好”改革", True) is None
    assert stated_period("每年至少召开1次会议", True) == "每年"


def test_a_how_often_question_leads_with_the_sentence_stating_how_often(shipped_engine) -> None:
    """Of a clause's sentences matching the question equally well, a how-often question leads with the one
    stating a frequency ("每季度梳理涉企政策，集中推送辖区企业"), not one that states none."""
    ans = shipped_engine.answer("周村 涉企政策集中推送 频次")
    assert ans.answered and ans.reply.startswith("频次：每季度")


def test_what_to_do_about_a_situation_the_plan_covers_is_answered(shipped_engine) -> None:
    """"碰到疑难复杂的案子咋办" asks what the plan says to do ("妥善处理…疑难复杂案件"); "怎么办理" / "怎么办手续" ask a
    procedure the plans do not give, and a personal mishap the plans do not cover is still declined."""
    ans = shipped_engine.answer("枣庄薛城区依申请公开碰到疑难复杂的案子咋办")
    assert ans.answered and "疑难复杂案件" in ans.results[0].entry.text
    assert shipped_engine.understand("低保怎么办理？").asks_procedure
    assert shipped_engine.understand("养老补贴怎么办手续").asks_procedure
    assert not shipped_engine.answer("身份证丢了怎么办？").answered
