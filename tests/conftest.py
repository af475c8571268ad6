"""Fixtures shared by every test folder: the shipped settings and one engine over the shipped plans.

Folders add their own (tests/web: app and client; tests/telegram: fake Bot API). The index is built
into a session temp folder so tests never depend on, or disturb, the project's var/.
"""
from __future__ import annotations

import pytest

from indexer.settings import Settings, load_settings


@pytest.fixture(scope="session")
def shipped_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    var = tmp_path_factory.mktemp("var")
    return load_settings(environ={}).replace(
        knowledge__index_path=str(var / "index"), web__database=str(var / "zwgk.sqlite3")
    )


@pytest.fixture(scope="session")
def shipped_engine(shipped_settings: Settings):  # type: ignore[no-untyped-def]
    from bot.engine.coordinator import Engine

    return Engine.load(shipped_settings)
