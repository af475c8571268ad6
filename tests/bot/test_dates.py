"""Due-by dates however they are written: English dates read as the plans write them (bot/language/rewrite/
dates.py), 截至 before a date, a quarter's 结束前 (bot/engine/understand.py `find_until`), and the lists they ask."""
from __future__ import annotations

from datetime import date

import pytest

from bot.engine.answer import Intent
from bot.engine.understand import find_until
from bot.language.rewrite.dates import chinese_dates


@pytest.mark.parametrize("english, chinese", [
    ("completed by 15 November 2022?", "2022年11月15日前"),
    ("due by November 15, 2022", "2022年11月15日前"),
    ("finished by the end of September 2023", "2023年9月底前"),
    ("What is due by the end of June?", "6月底前"),
    ("get done before the end of 2020", "2020年年底前"),
    ("by the end of the year", "年底前"),
    ("in the first half of 2022", "2022年上半年"),
    ("by the third quarter", "第三季度前"),
    ("by May 2023", "2023年5月底前"),
])
def test_english_due_dates_read_as_the_plans_write_them(english: str, chinese: str) -> None:
    assert chinese in chinese_dates(english)


@pytest.mark.parametrize("text", ["the end of the process", "the 2022 plan", "you may ask by email", "槐荫区养老补贴"])
def test_words_that_are_no_due_date_stay(text: str) -> None:
    assert chinese_dates(text) == text


@pytest.mark.parametrize("text, due", [
    ("截至2023年11月30日，历城区应当完成哪些任务？", date(2023, 11, 30)),
    ("槐荫区2022年第三季度结束前需要完成哪些任务？", date(2022, 9, 30)),
])
def test_due_by_dates_led_by_jiezhi_or_ending_a_quarter(text: str, due: date) -> None:
    assert find_until(text)[0] == due


@pytest.mark.parametrize("question, region", [
    ("Which Huaiyin District tasks have to be completed by 15 November 2022?", "槐荫区"),
    ("截至2023年11月30日，历城区应当完成哪些政务公开重点任务？", "历城区"),
])
def test_a_due_date_written_any_way_asks_for_the_list(shipped_engine, question: str, region: str) -> None:
    ans = shipped_engine.answer(question)
    assert ans.intent == Intent.LIST and ans.answered
    assert ans.results and all(r.entry.region == region for r in ans.results)
