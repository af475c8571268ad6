"""Storage fixtures: a private PostgreSQL server per session (skipped only if Debian's binaries are
absent) and `database_target`, parametrized over both backends so every store test runs twice."""
from __future__ import annotations

from pathlib import Path

import pytest

from .postgres_server import postgres_server  # noqa: F401 - the session fixture


@pytest.fixture(params=["sqlite", "postgresql"])
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A fresh database: a SQLite file path or a new PostgreSQL database URL."""
    if request.param == "sqlite":
        return tmp_path / "var" / "zwgk.sqlite3"
    return request.getfixturevalue("postgres_server").new_database()
