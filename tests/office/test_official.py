"""bot/official: the answers file, the matcher (exact and near, never hijacking) and the overlay on an Answer."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.engine.answer import Answer, Intent, Result
from bot.official import AnswerStore, OfficialAnswers
from bot.official.match import Matcher, content_pairs, normalise
from bot.official.store import AnswerError, AnswerRecord, validated
from indexer.model import Entry

RECORD = AnswerRecord(id="a1", question="老年人优待证在哪里办？", answer="在街道便民服务中心办理。",
                      variants=["怎么办理老年优待证"], region="槐荫区", source="区民政局", created="2026-12-01T08:00:00+00:00")


@pytest.mark.parametrize(("a", "b"), [
    ("老年人优待证在哪里办？", "老年人优待证在哪里办"),
    ("请问老年人优待证在哪里办呢？", "老年人优待证在哪里办"),
    ("老年人 优待证，在哪里办!", "老年人优待证在哪里办"),
    ("ＡＢＣ优待证", "abc优待证"),
])
def test_normalise_drops_what_does_not_change_the_question(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_content_pairs_ignore_question_wording() -> None:
    assert content_pairs("养老补贴归哪个部门管？") == content_pairs("哪个部门负责养老补贴")


@pytest.mark.parametrize("question", [
    "老年人优待证在哪里办？", "您好，请问老年人优待证在哪里办", "怎么办理老年优待证？", "老年人优待证去哪里办",
])
def test_matches(question: str) -> None:
    assert Matcher([RECORD]).find(question) is RECORD


@pytest.mark.parametrize("question", [
    "老年人优待证有什么优惠？",        # same words plus a topic of its own
    "残疾人证在哪里办？",              # same wording, other topic
    "槐荫区养老补贴信息公开归哪个部门管？",
    "优待证",                          # too little content to match anything but exactly
    "在哪里办",
    "",
])
def test_never_hijacks(question: str) -> None:
    assert Matcher([RECORD]).find(question) is None


def test_an_answer_for_one_region_is_not_given_for_another() -> None:
    m = Matcher([RECORD])
    assert m.find("老年人优待证在哪里办？", "槐荫区") is RECORD
    assert m.find("老年人优待证在哪里办？", "历城区") is None


def test_store_round_trip_and_reload_from_another_process(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    writer, reader = AnswerStore(path), AnswerStore(path)
    assert reader.all() == []
    rec = writer.add(validated({"question": "问", "variants": ["问法"], "answer": "答"}), author="t", now="2026")
    assert [r.id for r in reader.all()] == [rec.id]  # reader sees the change without being told
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert writer.delete(rec.id) and not writer.delete(rec.id)
    assert reader.all() == []


def test_a_damaged_file_means_no_answers_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text("{not json", encoding="utf-8")
    assert AnswerStore(path).all() == []


@pytest.mark.parametrize("data", [
    {"answer": "x"}, {"question": "q", "answer": " "}, {"question": 3, "answer": "x"},
    {"question": "q", "answer": "x", "variants": "v"}, {"question": "q", "answer": "x" * 5000},
    {"question": "q", "answer": "x", "variants": ["v"] * 31 and [f"v{i}" for i in range(31)]},
])
def test_validation_names_the_field(data: dict) -> None:
    with pytest.raises(AnswerError):
        validated(data)


def test_overlay_puts_the_office_answer_first_and_keeps_the_clauses(tmp_path: Path) -> None:
    official = OfficialAnswers.at(tmp_path / "answers.json")
    official.store.add(validated({"question": RECORD.question, "variants": [], "answer": RECORD.answer,
                                  "source": "区民政局"}), author="t", now="2026-12-01T08:00:00+00:00")
    clause = Entry(id="d#1", kind="clause", number="1", section="s", text="条款", doc="d")
    plan = Answer(question="老年人优待证在哪里办？", intent=Intent.WHAT, answered=False, reply="没找到",
                  results=[Result(clause, 0.5)])
    got = official.overlay(plan)
    assert got.answered and got.results[0].entry.kind == "answer" and got.results[1].entry is clause
    assert RECORD.answer in got.reply and "区民政局" in got.reply and "2026-12-01" in got.reply
    assert got.to_dict()["results"][0]["kind"] == "answer"
    other = Answer(question="别的问题", intent=Intent.WHAT, answered=False, reply="r")
    assert official.overlay(other) is other
