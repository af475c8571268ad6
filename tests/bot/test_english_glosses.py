"""English questions reordered by the dictionary's English for the plans' words (bot/language/rewrite/
glosses.py, bot/engine/english_rerank.py)."""
from __future__ import annotations

import gzip
from pathlib import Path

from bot.engine.answer import Intent
from bot.engine.english_rerank import rerank
from bot.engine.retrieve import Candidate, Ranked
from bot.engine.tuning import DEFAULT
from bot.language.rewrite.english import stem
from bot.language.rewrite.glosses import Glosses
from indexer.model import Entry

CEDICT = """# a few CC-CEDICT lines
工作人员 工作人员 [gong1 zuo4 ren2 yuan2] /staff member/
变动 变动 [bian4 dong4] /to change/fluctuation/
就业 就业 [jiu4 ye4] /to get a job/employment/
补贴 补贴 [bu3 tie1] /to subsidize/subsidy/allowance/
工作 工作 [gong1 zuo4] /to work/job/work/
天气 天气 [tian1 qi4] /weather/
"""


def _glosses(tmp_path: Path) -> Glosses:
    path = tmp_path / "cedict.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(CEDICT)
    return Glosses.build(lambda w: w != "天气", stem, path)  # the plans never say 天气


def test_only_the_plans_words_are_kept_and_rarer_stems_weigh_more(tmp_path: Path) -> None:
    g = _glosses(tmp_path)
    assert "天气" not in g.stems and g.stems["变动"] == {"chang", "fluctuation"}
    assert g.weight["job"] < g.weight["staff"]  # "job" glosses two headwords, "staff" one
    assert g.of_text("政务公开工作人员发生变动的") >= {"staff", "member", "chang", "work", "job"}


def test_a_clause_covering_more_of_the_question_moves_up(tmp_path: Path) -> None:
    g = _glosses(tmp_path)
    jobs = Entry(id="a", doc="d", region="槐荫区", year=2022, section="", kind="clause", number="1", text="做好就业补贴信息公开。")
    staff = Entry(id="b", doc="d", region="槐荫区", year=2022, section="", kind="clause", number="2", text="政务公开工作人员发生变动的，及时调整。")
    ranked = Ranked((Candidate(jobs, 0, 10.0, 0.6), Candidate(staff, 1, 8.0, 0.5)))

    class Asked:  # what rerank reads of a Query
        lang, raw, corrections, intent = "en", "What if the staff member changes?", (), Intent.WHAT

    order = rerank(Asked(), ranked, g, DEFAULT)  # type: ignore[arg-type]
    assert [c.entry.id for c in order] == ["b", "a"]
    assert order[0].score >= order[1].score
    chinese = type("Q", (), {"lang": "zh", "raw": "就业补贴", "corrections": ()})()
    assert rerank(chinese, ranked, g, DEFAULT) is ranked  # type: ignore[arg-type]


def test_an_english_paraphrase_finds_the_clause_it_describes(shipped_engine) -> None:
    ans = shipped_engine.answer("In Huaiyin, what happens when the staff in charge of open-government work are replaced?")
    assert ans.answered and "政务公开工作人员" in ans.results[0].entry.text


def test_a_time_clause_before_the_question_asks_nothing(shipped_engine) -> None:
    """"When X happens, does Y …?" asks Y; "When must …" and "When is it due?" ask when."""
    conditional = shipped_engine.understand("When a Qixia office decides not to release a document, does it have to "
                                            "say which legal exemption it is relying on?")
    assert conditional.intent != Intent.WHEN
    assert shipped_engine.understand("When must Huaiyin publish it, and who does it?").text.count("什么时候完成") == 1
    assert shipped_engine.understand("When is it due?").intent == Intent.WHEN


def test_a_verb_of_duty_after_who_asks_who_and_names_no_topic(shipped_engine) -> None:
    for asked in ("Who handles it?", "Which bureau looks after that?", "Who takes care of it?"):
        query = shipped_engine.understand(asked)
        assert query.intent == Intent.WHO and not query.topic, (asked, query.topic)
    assert "申请" in shipped_engine.understand("Who handles requests for records in Huaiyin?").text


def test_a_candidate_lacking_the_core_translation_keeps_its_score_when_it_glosses_more(tmp_path: Path) -> None:
    """The core word of an English question is a translation too: a clause without it (halved by the retriever)
    that glosses more of the question's English than every clause holding it is ranked unhalved."""
    g = _glosses(tmp_path)
    weather = Entry(id="a", doc="d", region="槐荫区", year=2022, section="", kind="clause", number="1", text="发布天气工作。")
    staff = Entry(id="b", doc="d", region="槐荫区", year=2022, section="", kind="clause", number="2", text="政务公开工作人员发生变动的，及时调整。")
    halved = 8.0 * DEFAULT.lacks_core
    ranked = Ranked((Candidate(weather, 0, 30.0, 0.6, has_core=True), Candidate(staff, 1, halved, 0.5, has_core=False)),
                    core="天气")

    class Asked:  # what rerank reads of a Query
        lang, raw, corrections, intent = "en", "Who handles it when the staff member changes job?", (), Intent.WHO

    order = rerank(Asked(), ranked, g, DEFAULT)  # type: ignore[arg-type]
    assert [c.entry.id for c in order] == ["b", "a"]


def test_english_questions_the_core_word_had_misled(shipped_engine) -> None:
    ans = shipped_engine.answer("Do policies issued by Licheng's own departments and sub-districts also get evaluated, "
                                "or only the district-level ones?")
    assert ans.answered and "以部门、街道名义印发的政策文件" in ans.results[0].entry.text


def test_a_duty_verb_closing_a_do_question_asks_for_the_units_tasks(shipped_engine) -> None:
    """"Which disclosure tasks does X handle?" asks X's task list: "handle" (办理) names no topic; a passive
    ("How are requests handled?") keeps it."""
    listed = shipped_engine.understand("Which disclosure tasks does Zhoucun's market regulation bureau handle?")
    assert listed.intent == Intent.LIST and listed.departments == ("区市场监管局",)
    assert "办理" in shipped_engine.understand("How are information requests handled in Huaiyin?").text
