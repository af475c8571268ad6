"""Offline unit tests of handler helpers (bot/channels/telegram/handlers.py): mentions, regions, settings parsing."""
from __future__ import annotations

import pytest

from bot.channels.telegram.handlers import match_region, strip_mention
from bot.channels.telegram.state import StaffBotError, parse_allowed_ids

REGIONS = ["历城区", "周村区", "栖霞市", "槐荫区", "薛城区"]


@pytest.mark.parametrize(("text", "question"), [
    ("@zwgk_test_bot 养老补贴谁负责？", "养老补贴谁负责？"),
    ("@ZWGK_test_bot，养老补贴谁负责？", "养老补贴谁负责？"),
    ("养老补贴谁负责？ @zwgk_test_bot", "养老补贴谁负责？"),
    ("@zwgk_test_bot", ""),
])
def test_strip_mention(text: str, question: str) -> None:
    assert strip_mention(text, "zwgk_test_bot") == question


@pytest.mark.parametrize(("text", "region"), [
    ("槐荫区", "槐荫区"), ("槐荫", "槐荫区"), ("济南市槐荫区", "槐荫区"), ("栖霞", "栖霞市"), ("区", None), ("青岛", None),
])
def test_match_region(text: str, region: str | None) -> None:
    assert match_region(text, REGIONS) == region


def test_allowed_ids() -> None:
    assert parse_allowed_ids("") == frozenset()
    assert parse_allowed_ids("12, -1001234567890;7") == {12, -1001234567890, 7}
    with pytest.raises(StaffBotError, match="'@alice'"):
        parse_allowed_ids("12,@alice")
