"""Regions as identities: two held districts of one name (市中区 of 济南 and of 枣庄) never mix.

The two plans are the shipped 槐荫 and 薛城 plans with their district renamed 市中区 (their cities, 济南 and
枣庄, stay in their titles and issuers), beside the shipped 历城 plan; the engine is the real one.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.coordinator import Engine
from bot.index.region_keys import unheld_division
from indexer import parse_file
from indexer.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "knowledge" / "plans"
JINAN = "2022-济南市市中区-政务公开工作要点.txt"
ZAOZHUANG = "2024-枣庄市市中区-政务公开工作要点.txt"


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("namesakes") / "plans"
    folder.mkdir()
    huaiyin = (PLANS / "2022-济南市槐荫区-政务公开工作要点.txt").read_text(encoding="utf-8")
    (folder / JINAN).write_text(huaiyin.replace("槐荫区", "市中区").replace("槐荫", "市中"), encoding="utf-8")
    xuecheng = (PLANS / "2024-枣庄市薛城区-政务公开工作要点.txt").read_text(encoding="utf-8")
    (folder / ZAOZHUANG).write_text(xuecheng.replace("薛城区", "市中区").replace("薛城", "市中"), encoding="utf-8")
    shutil.copy(PLANS / "2023-济南市历城区-政务公开工作要点.txt", folder)
    return folder


@pytest.fixture(scope="module")
def engine(plans: Path) -> Engine:
    root = plans.parent
    settings = load_settings(environ={}).replace(
        knowledge__plans_dir=str(plans), knowledge__index_path=str(root / "var" / "index"),
        knowledge__parsed_dir=str(root / "var" / "parsed"), office__dir=str(root / "office"))
    return Engine.load(settings)


def test_each_plan_carries_its_division(plans: Path) -> None:
    jinan, zaozhuang = parse_file(plans / JINAN), parse_file(plans / ZAOZHUANG)
    assert (jinan.region, jinan.division_code, jinan.region_full) == ("市中区", "370103", "山东省济南市市中区")
    assert (zaozhuang.region, zaozhuang.division_code) == ("市中区", "370402")


def test_namesakes_get_city_qualified_regions_and_others_keep_theirs(engine: Engine) -> None:
    assert sorted(engine.regions()) == ["历城区", "枣庄市市中区", "济南市市中区"]


@pytest.mark.parametrize(("question", "region"), [
    ("枣庄市中区养老补贴信息公开归哪个部门管？", "枣庄市市中区"),
    ("枣庄市市中区权责清单谁负责？", "枣庄市市中区"),
    ("济南市市中区养老补贴信息公开归哪个部门管？", "济南市市中区"),
    ("济南市中区养老补贴信息公开归哪个部门管？", "济南市市中区"),
])
def test_a_city_and_district_resolve_to_that_plan_only(engine: Engine, question: str, region: str) -> None:
    answer = engine.answer(question)
    assert answer.answered, answer.reply
    assert {r.entry.region for r in answer.results} == {region}
    other = ({"济南市市中区", "枣庄市市中区"} - {region}).pop()
    assert other not in answer.reply


def test_a_shared_name_alone_is_answered_per_city(engine: Engine) -> None:
    answer = engine.answer("市中区养老补贴信息公开归哪个部门管？")
    assert "济南市市中区" in answer.reply and "枣庄市市中区" in answer.reply


@pytest.mark.parametrize("question", ["乐山市市中区养老补贴信息公开归哪个部门管？", "内江市中区权责清单谁负责？"])
def test_a_namesake_not_held_is_declined_as_not_held(engine: Engine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert not answer.results or all(r.entry.region not in answer.reply for r in answer.results[:0])
    assert "济南市市中区" not in answer.reply.split("现有")[0]


def test_a_district_of_another_city_is_not_held_when_only_its_namesake_is() -> None:
    assert unheld_division("枣庄市市中区养老补贴谁负责", {"370103"}) == "枣庄市市中区"
    assert unheld_division("枣庄市中区养老补贴谁负责", {"370103"}) == "枣庄市市中区"
    assert unheld_division("济南市市中区养老补贴谁负责", {"370103"}) is None
    assert unheld_division("区民政局负责养老补贴", {"370103"}) is None
