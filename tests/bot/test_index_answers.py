"""Answers from the index as loaded from disk (memory-mapped columns, data forms) are exactly the answers
from the same index built in memory: the on-disk format changes nothing the engine can see."""
from __future__ import annotations

import json

import pytest

from bot.engine.coordinator import Engine
from bot.index.search_index import build_index
from indexer.store import build_knowledge

QUESTIONS = (
    "养老补贴信息公开由哪个部门负责？", "槐荫区新冠肺炎疫情防控信息发布由哪个部门负责？", "历城区义物教育双减的公开要求是什么？",
    "栖霞市公共企事业单位信息公开平台什么时候升级改造完成？", "政府开放月活动要怎么开展？", "区民政局有哪些任务？",
    "薛城区住建局负责哪些政务公开任务？", "2023年12月底前要完成哪些任务？", "历城区政务公开工作要点有哪些任务？",
    "yanglao butie 信息公开由谁负责？", "Who is responsible for epidemic prevention information in Huaiyin district?",
    "北京市海淀区政务公开要点有哪些？", "你好", "槐荫 快易办 责任单位", "个人所得税怎么申报？",
)


@pytest.fixture(scope="module")
def in_memory(shipped_settings, shipped_engine) -> Engine:  # type: ignore[no-untyped-def]
    kb = build_knowledge(shipped_settings.path("knowledge.plans_dir"))
    index = build_index(kb, shipped_settings.path("knowledge.data_dir"), shipped_engine.index.fingerprint)
    from bot.engine.tuning import Tuning

    s = shipped_settings
    return Engine(index, top_k=int(s["search.top_k"]), list_limit=int(s["search.list_limit"]),
                  default_region=str(s["search.default_region"]), hotline=str(s["search.hotline"]),
                  tuning=Tuning.from_settings(s))


def test_loaded_index_answers_exactly_as_the_built_one(shipped_engine, in_memory: Engine) -> None:  # type: ignore[no-untyped-def]
    assert type(shipped_engine.index.entries).__name__ == "EntryRows"  # really the on-disk form
    for question in QUESTIONS:
        loaded = json.dumps(shipped_engine.answer(question).to_dict(), ensure_ascii=False)
        built = json.dumps(in_memory.answer(question).to_dict(), ensure_ascii=False)
        assert loaded == built, question
    assert shipped_engine.suggest("yang") == in_memory.suggest("yang")
    assert shipped_engine.documents() == in_memory.documents()
    assert shipped_engine.department_tasks("区民政局") == in_memory.department_tasks("区民政局")
