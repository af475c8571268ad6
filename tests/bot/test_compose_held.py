"""A scope decline names a few plans held and the count, however many the index holds (bot/engine/compose.py)."""
from __future__ import annotations

from bot.engine.compose import HELD_SHOWN, Composer


def _composer(n_regions: int) -> Composer:
    holdings = tuple((f"县{i:04d}区", year) for i in range(n_regions) for year in (2023, 2024))
    return Composer(hotline="12345", holdings=holdings, featured=(), top_k=3, max_question_chars=500)


def test_the_plans_held_are_bounded_with_the_right_count() -> None:
    many = _composer(2_800)  # 5 600 plans: a national portal
    zh, en = many._held("zh", ()), many._held("en", ())
    assert len(zh) < 150 and len(en) < 150
    assert zh.count("、") == HELD_SHOWN - 1 and zh.endswith("等5,600份")
    assert en.endswith(f" and {5_600 - HELD_SHOWN:,} more")


def test_few_plans_are_all_named_and_a_region_narrows_them() -> None:
    few = _composer(2)
    assert few._held("zh", ()) == "县0000区2023年、县0000区2024年、县0001区2023年、县0001区2024年"
    assert few._held("en", ("县0001区",)) == "县0001区 2023, 县0001区 2024"
