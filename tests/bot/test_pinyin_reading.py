"""The steps of reading typed pinyin as hanzi (bot/language/rewrite/hanzi.py), each checked on its own."""
from __future__ import annotations

from bot.language.rewrite.hanzi import F_TERM, F_WORD, _first_usable, _join_typed, _render, _trace_back


def test_typed_boundaries_are_kept_as_offsets() -> None:
    assert _join_typed(["Yang'lao", "butie"]) == ("yanglaobutie", {4, 7})
    assert _join_typed(["yanglao"]) == ("yanglao", set())


def test_first_candidate_that_fits_the_typed_boundaries_is_used() -> None:
    cands = (("仰", 9, F_WORD, "4"), ("养老", 5, F_WORD, "43"), ("阳佬", 1, F_WORD, "34"))
    # A single syllable is skipped unless curated; the first candidate whose syllables end where the
    # user typed a boundary wins (after "yang": 养老; after "yan": 阳佬).
    assert _first_usable(cands, 0, 7, {4}) == ("养老", 5, F_WORD, "43")
    assert _first_usable(cands, 0, 7, {3}) == ("阳佬", 1, F_WORD, "34")
    assert _first_usable((("谁", 1, F_TERM, "4"),), 0, 4, set()) == ("谁", 1, F_TERM, "4")


def test_reading_is_traced_back_and_rendered_with_regions_noted() -> None:
    back = [None, None, None, None, None, (0, "槐荫区", True, True), None, None, (5, "xin", False, False)]
    pieces = _trace_back(back, 8)
    assert pieces == [(0, 5, "槐荫区", True, True), (5, 8, "xin", False, False)]
    regions: list[str] = []
    assert _render(pieces, set(), regions) == "槐荫区 xin"
    assert regions == ["槐荫区"]
