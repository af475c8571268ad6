"""Storage fixtures: a private PostgreSQL server per session (skipped only if Debian's binaries are
absent) and `database_target`, parametrized over both backends so every store test runs twice."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .postgres_server import BIN_GLOB, PostgresServer, postgres_bin


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip(f"PostgreSQL server binaries not found ({BIN_GLOB}/initdb): `make system-deps` installs them")
    server = PostgresServer(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """A fresh database: a SQLite file path or a new PostgreSQL database URL."""
    if request.param == "sqlite":
        return tmp_path / "var" / "zwgk.sqlite3"
    return request.getfixturevalue("postgres_server").new_database()
