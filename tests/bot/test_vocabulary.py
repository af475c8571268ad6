"""One test per cue list of bot/language/vocabulary.py: each list does the one job its comment names."""
from __future__ import annotations

import pytest

from bot.language import vocabulary as v


@pytest.mark.parametrize(("text", "value"), [("9", 9), ("09", 9), ("九", 9), ("十", 10), ("十二", 12),
                                             ("二十三", 23), ("两", 2), ("", None), ("十十", None), ("abc", None)])
def test_cn_number(text: str, value: int | None) -> None:
    assert v.cn_number(text) == value


def test_leading_clause_number() -> None:
    assert [v.LEADING_CLAUSE_NUMBER.sub("", s) for s in ("一、总体要求", "（三）公开", "2.专栏", "政务公开")] == [
        "总体要求", "公开", "专栏", "政务公开"]


def test_stopwords_are_not_topics() -> None:
    assert {"哪个", "负责", "什么时候", "请问", "的"} <= v.STOPWORDS
    assert not {"养老", "补贴", "医保", "公开专栏"} & v.STOPWORDS


def test_question_phrases_are_cut_but_topics_stay() -> None:
    assert v.QUESTION_PHRASES.sub(" ", "养老补贴由哪个部门负责呢").split() == ["养老补贴由"]


def test_generic_terms_name_no_topic() -> None:
    assert {"政务公开", "任务", "工作要点"} <= v.GENERIC_TERMS and "养老" not in v.GENERIC_TERMS


def test_question_words_and_english_stopwords() -> None:
    assert "哪个部门" in v.QUESTION_WORDS and "养老" not in v.QUESTION_WORDS
    assert {"the", "who", "district"} - v.EN_STOPWORDS == {"who"}  # "who" is an intent, not a stop word


@pytest.mark.parametrize(("cue", "yes", "no"), [
    (v.WHO_CUES, ["养老补贴归哪个部门管", "谁负责", "周村 双公示 牵头"], ["什么时候完成", "公开什么内容"]),
    (v.WHEN_CUES, ["什么时候完成", "完成时限", "要多久"], ["谁负责", "公开什么内容"]),
    (v.LIST_CUES, ["区民政局有哪些任务", "负责哪些", "要完成什么"], ["养老补贴谁负责"]),
    (v.AMOUNT_CUES, ["一吨多少钱", "补贴标准是多少", "How much is it", "贷款利率是多少", "能不能贴息"],
     ["谁负责", "多少天"]),
    (v.PROCEDURE_CUES, ["低保怎么申请", "需要什么材料", "去哪里办"], ["养老补贴谁负责"]),
    (v.DURATION_CUES, ["要多久", "几个工作日", "多少天"], ["什么时候前完成", "谁负责"]),
    (v.STATES_PERIOD, ["10个工作日内答复", "三个月", "当日办结"], ["2022年年底前", "及时公开", "每季度更新"]),
    (v.STATES_FREQUENCY, ["每季度更新", "每年至少召开1次", "按月发布"], ["2022年年底前", "及时公开"]),
    (v.ASKS_FREQUENCY, ["多久更新一次", "一年开几次", "频次是多少"], ["要多久答复", "几天内办完"]),
    (v.NO_COMPLETION_DATE, ["全年", "长期坚持", "常态化"], ["2022年9月底前"]),
    (v.COMPLETION_DATE, ["2022年9月底前", "年底前", "8月31日前"], ["全年", "长期坚持"]),
    (v.HALF_YEAR, ["2022年上半年要完成"], ["全年"]),
    (v.QUARTER, ["第三季度前", "2023年第2季度末前"], ["每季度"]),
    (v.STATES_AMOUNT, ["每人每月补贴300元"], ["补贴标准"]),
    (v.CONTACT_CUES, ["区政府办公室电话是多少", "What's the phone number of the office?", "几点上班",
                      "What's the mobile number of the district head?"],
     ["电话咨询渠道建设由谁负责", "热线电话", "Who runs the 12345 hotline?"]),
    (v.WHAT_CUES, ["那招商引资那一块是咋说的", "有啥要求"], ["谁负责"]),
    (v.EN_MAIN_QUESTION, ["When a request is refused, does the office say why?"], ["When must it be done, and who?"]),
    (v.STATES_CONTACT, ["电话：0531-12345678"], ["加强电话咨询渠道建设"]),
    (v.GREETING, ["你好", "谢谢！", "hello"], ["你好，养老补贴谁负责"]),
    (v.YEAR_END_LIST_CUES, ["年底前有哪些任务"], ["年底前"]),
    (v.WHICH_CUES, ["要完成什么"], ["谁负责"]),
])
def test_cue_patterns(cue, yes: list[str], no: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert all(cue.search(s) for s in yes), [s for s in yes if not cue.search(s)]
    assert not any(cue.search(s) for s in no), [s for s in no if cue.search(s)]


def test_followup_is_a_whole_short_turn() -> None:
    assert v.FOLLOWUP.match("那完成时限呢？") and v.FOLLOWUP.match("谁负责")
    assert not v.FOLLOWUP.match("养老补贴的完成时限呢")


def test_dates_years_and_places() -> None:
    m = v.MONTH_END.search("2024年6月30日前要完成什么")
    assert m and m.groups() == ("2024", "6", "30")
    assert v.YEAR_END.search("2020年底前") and v.YEAR.search("2022年度").group(1) == "2022"
    assert v.YEAR_PHRASE.sub("", "2022年度计划") == "计划"
    assert v.PLACE_NOT_OFFICE.match("政府", 0) is None and v.PLACE_NOT_OFFICE.match("的政府开放日", 0)
    assert "开发" in v.NOT_PLACE_STARTS and "城乡" in v.NOT_PLACE_ENDS


def test_function_chars_split_topic_pairs() -> None:
    assert v.FUNCTION_CHARS.sub(" ", "养老的补贴").split() == ["养老", "补贴"]
