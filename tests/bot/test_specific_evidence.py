"""A long chatty message whose best clause covers little of it is answered when what the clause matches is
specific evidence, and still declined when the clause lacks a more specific topic the question names or the
message asks what no plan states (bot/engine/decide.py `specific_evidence`)."""
from __future__ import annotations

from bot.engine.decide import specific_evidence
from bot.engine.retrieve import Candidate
from bot.engine.tuning import DEFAULT
from indexer.model import Entry

SPECIFIC = {"惠农": 4.1, "补贴": 1.2, "专项": 3.1, "电视问政": 4.2, "问政": 3.7, "电视": 2.2, "审计": 3.3, "整改": 2.7, "黄河流域": 4.5,
            "高质量发展": 3.1, "公开": 0.03, "网上": 2.1}


class Terms:
    def specificity(self, term: str) -> float:
        return SPECIFIC.get(term, 0.5)

    def in_plans(self, term: str) -> bool:
        return term in SPECIFIC


class Asked:
    def __init__(self, *terms: str) -> None:
        self.terms = terms


def _top(*matched: str, coverage: float = 0.28) -> Candidate:
    entry = Entry(id="x", doc="d", region="周村区", year=2020, section="", kind="clause", number="1", text="…")
    return Candidate(entry, 0, 1.0, coverage, matched)


def test_a_specific_compound_or_two_specific_words_are_evidence() -> None:
    assert specific_evidence(Asked("电视问政", "老百姓", "参加"), _top("电视问政", "问政", "电视"), Terms(), DEFAULT)  # type: ignore[arg-type]
    assert specific_evidence(Asked("审计", "整改", "毛病"), _top("审计", "整改", "公开"), Terms(), DEFAULT)  # type: ignore[arg-type]


def test_generic_matches_or_too_little_coverage_are_not() -> None:
    assert not specific_evidence(Asked("网上", "公开", "瞎猜"), _top("网上", "公开"), Terms(), DEFAULT)  # type: ignore[arg-type]
    assert not specific_evidence(Asked("电视问政"), _top("电视问政", coverage=0.1), Terms(), DEFAULT)  # type: ignore[arg-type]


def test_a_clause_lacking_the_more_specific_topic_asked_is_no_answer() -> None:
    asked = Asked("黄河流域", "高质量发展", "公开")
    assert not specific_evidence(asked, _top("高质量发展", "公开"), Terms(), DEFAULT)  # type: ignore[arg-type]


def test_the_question_core_alone_is_evidence_when_specific_enough() -> None:
    asked = Asked("惠农", "补贴", "发了", "多少")
    assert specific_evidence(asked, _top("惠农", "补贴"), Terms(), DEFAULT, core_word="惠农")  # type: ignore[arg-type]
    assert not specific_evidence(asked, _top("惠农", "补贴"), Terms(), DEFAULT)  # type: ignore[arg-type]  # not the core
    weak = Asked("专项", "附加", "扣除")  # a fragment of a longer word the plans lack: below the bar
    assert not specific_evidence(weak, _top("专项"), Terms(), DEFAULT, core_word="专项")  # type: ignore[arg-type]


def test_how_to_wording_before_a_stated_who_question_is_story(shipped_engine) -> None:
    ans = shipped_engine.answer("您好，我想把我妈送养老院，想先了解下周村区养老服务方面的政策和怎么办手续，这些信息是哪个部门公开的？")
    assert ans.answered and "区民政局" in ans.results[0].entry.responsible
    asks_how = shipped_engine.answer("槐荫区办老年证要带啥材料？")
    assert not asks_how.answered  # the plans say what is published, never what to bring


def test_chatty_messages_with_specific_evidence_are_answered(shipped_engine) -> None:
    ans = shipped_engine.answer("你好，我家在周村，平时爱看电视，听说区里搞电视问政，这个老百姓能去参加吗？")
    assert ans.answered and "电视问政" in ans.results[0].entry.text
    asks_contact = shipped_engine.answer("你好，我想报名参加薛城区的政府开放月，能告诉我报名电话吗？")
    assert not asks_contact.answered  # the plans hold no phone numbers, however specific the topic


def test_the_plan_words_a_synonym_rule_reads_are_searched_too(shipped_engine) -> None:
    """A synonym rule's plan words (惠企政策 -> 政策包) count in the BM25 search as they count in coverage, so a
    clause naming only the rule's word is not outranked by one holding a fragment of the question."""
    query = shipped_engine.understand("槐荫 惠企政策 时限")
    assert "政策包" in shipped_engine.turns.retriever.expansion_terms(query)
    ans = shipped_engine.answer("槐荫区惠企政策包啥时候完成")
    assert ans.answered and "政策包" in ans.results[0].entry.text
