"""Storage backends behind one interface: SQLite (embedded default) or PostgreSQL (shared by workers/hosts).

`open_database(target)` returns a `Database` (bot/storage/base.py): a `postgresql://` (or
`postgres://`) URL opens bot/storage/postgres.py, anything else is a SQLite file path. From settings:
`database_for(settings)` reads `web.database` (ZWGK_WEB__DATABASE), relative paths against the project
root. Stores built on it: bot/storage/question_log.py (question log, feedback), bot/storage/shared.py (conversation
context, rate limits shared between workers). Migrations: bot/storage/migrations.py.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.storage.base import Database, StoreError, Transaction
from bot.storage.migrations import Migration

if TYPE_CHECKING:
    from indexer.settings import Settings

__all__ = ["Database", "Migration", "StoreError", "Transaction", "database_target", "database_for",
           "is_postgres_url", "open_database"]


def is_postgres_url(target: str | Path) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def database_target(settings: Settings) -> str | Path:
    """`web.database` as a PostgreSQL URL (unchanged) or a SQLite path resolved like every path setting."""
    raw = settings.text("web.database")
    return raw if is_postgres_url(raw) else settings.path("web.database")


def open_database(target: str | Path) -> Database:
    """A `Database` for a `postgresql://` URL or a SQLite file path (":memory:" works too)."""
    if is_postgres_url(target):
        from bot.storage.postgres import PostgresDatabase

        return PostgresDatabase(str(target))
    from bot.storage.sqlite import SQLiteDatabase

    return SQLiteDatabase(target)


def database_for(settings: Settings) -> Database:
    return open_database(database_target(settings))
