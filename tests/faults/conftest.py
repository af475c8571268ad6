"""Fault-test fixtures: one index built per session (shared read-only), a fresh database per test,
and every started server killed at the end whatever happened (see server.py)."""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.storage.postgres_server import postgres_server  # noqa: F401 - the session fixture

from .server import PROJECT, Server


@pytest.fixture(scope="session")
def index_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built once for every fault test (each server only reads it)."""
    path = tmp_path_factory.mktemp("index") / "index"
    env_db = path.parent / "build.sqlite3"
    subprocess.run([sys.executable, "-m", "bot", "serve", "--get", "/healthz"], cwd=PROJECT, check=True,
                   capture_output=True, timeout=300,
                   env={**os.environ, "ZWGK_KNOWLEDGE__INDEX_PATH": str(path),
                        "ZWGK_WEB__DATABASE": str(env_db)})
    return path


@pytest.fixture
def start_server(tmp_path: Path, index_path: Path) -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(database: Path | str | None = None, *, timeout: float = 90.0, **kwargs: object) -> Server:
        server = Server(database or tmp_path / "var" / "zwgk.sqlite3", kwargs.pop("index", index_path),  # type: ignore[arg-type]
                        **kwargs)  # type: ignore[arg-type]
        started.append(server)
        return server.start(timeout)

    yield start
    for server in started:
        server.kill()
