"""`/due` argument parsing (bot/channels/telegram/dates.py): every accepted form, past periods, next-year months."""
from __future__ import annotations

from datetime import date

import pytest

from bot.channels.telegram.dates import FAR_FUTURE, DueRange, parse_due

TODAY = date(2024, 8, 15)


@pytest.mark.parametrize(("text", "since", "until"), [
    ("", TODAY, date(2024, 8, 31)),
    ("月底", TODAY, date(2024, 8, 31)),
    ("本月", TODAY, date(2024, 8, 31)),
    ("2024-09-30", TODAY, date(2024, 9, 30)),
    ("2024/9/30", TODAY, date(2024, 9, 30)),
    ("2024年9月30日", TODAY, date(2024, 9, 30)),
    ("2024年9月30日前", TODAY, date(2024, 9, 30)),
    ("20240930", TODAY, date(2024, 9, 30)),
    ("９月", TODAY, date(2024, 9, 30)),
    ("9月", TODAY, date(2024, 9, 30)),
    ("9月底", TODAY, date(2024, 9, 30)),
    ("九月底", TODAY, date(2024, 9, 30)),
    ("十二月", TODAY, date(2024, 12, 31)),
    ("8月", TODAY, date(2024, 8, 31)),
    ("3月", TODAY, date(2025, 3, 31)),  # already past this year: next March
    ("9月30日", TODAY, date(2024, 9, 30)),
    ("2月1日", TODAY, date(2025, 2, 1)),
    ("2024年9月", TODAY, date(2024, 9, 30)),
    ("2024-09", TODAY, date(2024, 9, 30)),
    ("年底", TODAY, date(2024, 12, 31)),
    ("2025年底", TODAY, date(2025, 12, 31)),
    ("下月", TODAY, date(2024, 9, 30)),
    ("季度末", TODAY, date(2024, 9, 30)),
    ("30天", TODAY, date(2024, 9, 14)),
    ("2周内", TODAY, date(2024, 8, 29)),
    ("3个月", TODAY, date(2024, 11, 15)),
])
def test_ranges_from_today(text: str, since: date, until: date) -> None:
    rng = parse_due(text, TODAY)
    assert rng is not None
    assert (rng.since, rng.until) == (since, until)


@pytest.mark.parametrize(("text", "since", "until"), [
    ("2022年9月", date(2022, 9, 1), date(2022, 9, 30)),
    ("2022-09-30", date(2022, 9, 1), date(2022, 9, 30)),
    ("2022年", date(2022, 1, 1), date(2022, 12, 31)),
])
def test_past_periods_list_that_period(text: str, since: date, until: date) -> None:
    rng = parse_due(text, TODAY)
    assert rng is not None and (rng.since, rng.until) == (since, until)


def test_all_includes_overdue() -> None:
    assert parse_due("all", TODAY) == DueRange(None, FAR_FUTURE, "全部")
    assert parse_due("全部", TODAY) == DueRange(None, FAR_FUTURE, "全部")


@pytest.mark.parametrize("text", ["下周三开会", "2月30日", "13月", "abc", "2024-13-01"])
def test_unreadable(text: str) -> None:
    assert parse_due(text, TODAY) is None


def test_december_next_month_and_labels() -> None:
    rng = parse_due("下个月", date(2024, 12, 5))
    assert rng is not None and rng.until == date(2025, 1, 31)
    rng = parse_due("2024-09-30", TODAY)
    assert rng is not None and rng.label == "2024年9月30日前"


def test_key_round_trip() -> None:
    for text in ("", "all", "2022年9月"):
        rng = parse_due(text, TODAY)
        assert rng is not None and DueRange.from_key(rng.key()) == rng
