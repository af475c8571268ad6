"""A plan published in traditional characters is searched in simplified and quoted verbatim."""
from __future__ import annotations

from pathlib import Path

import zhconv

from bot.engine.coordinator import Engine
from indexer.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_a_traditional_plan_answers_a_simplified_question(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    source = (ROOT / "knowledge/plans/2022-烟台栖霞市-政务公开工作要点.txt").read_text(encoding="utf-8")
    (plans / "2022-栖霞市-政务公开工作要点.txt").write_text(zhconv.convert(source, "zh-hant"), encoding="utf-8")
    settings = load_settings(environ={}).replace(knowledge__plans_dir=str(plans),
                                                 knowledge__index_path=str(tmp_path / "var" / "index"))
    engine = Engine.load(settings)
    ans = engine.answer("栖霞市政府网站适老化和无障碍改造有什么要求？")
    assert ans.answered, ans.reply
    top = ans.results[0].entry
    assert top.region == "栖霞市" and "適老化" in top.text  # quoted as the plan writes it
