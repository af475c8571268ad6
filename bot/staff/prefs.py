"""What the staff bot must remember across restarts, in the project's SQLite file (settings.path("web.database")).

Job: per-user default region, per-chat department subscriptions, the record of reminders and digests
already sent (so one is never sent twice, even after a restart), the queries behind paginated lists
(so ◀ ▶ buttons keep working after a restart) and the answers that carry buttons (so a 👍/👎 can be
logged with its question, and a suggestion button, which carries only an index, finds its question).

One set of tables per channel: Telegram's are prefixed `staffbot_` (integer chat and user ids, the
names of the first release, so existing databases keep working) and WeCom's `wecom_` (text user ids
such as "ZhangSan"). A channel never sees, and never sends reminders to, another channel's chats.

Neighbours: bot/store.py (`QuestionLog`, the question/feedback log) opens the same file with its own
tables. Used by the staff service (service.py, lists.py, schedule.py). Plain SQLite, no channel code.
Every text written goes through clean.clean_text; every operation is its own transaction, rolled back
on any error. Callers on an event loop run these methods in a worker thread (a lock wait must never
stall the loop).
"""
from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.staff.clean import clean_text
from bot.store import open_database

ChatId = int | str  # Telegram chat/user ids are numbers, WeCom user ids are text

SCHEMA = """
CREATE TABLE IF NOT EXISTS {prefix}prefs (
    user_id {key} PRIMARY KEY,
    region TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {prefix}subscriptions (
    chat_id {key} NOT NULL,
    department TEXT NOT NULL,        -- canonical name (engine.resolve_department)
    region TEXT NOT NULL DEFAULT '', -- '' = every region
    created TEXT NOT NULL,
    PRIMARY KEY (chat_id, department)
);
CREATE TABLE IF NOT EXISTS {prefix}sent (
    chat_id {key} NOT NULL,
    kind TEXT NOT NULL,              -- reminder | digest
    key TEXT NOT NULL,               -- entry_id@due for a reminder, ISO week for a digest
    sent TEXT NOT NULL,
    PRIMARY KEY (chat_id, kind, key)
);
CREATE TABLE IF NOT EXISTS {prefix}listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id {key} NOT NULL,
    kind TEXT NOT NULL,              -- dept | due
    arg TEXT NOT NULL,
    region TEXT,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {prefix}answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id {key} NOT NULL,
    question TEXT NOT NULL,
    entry_id TEXT,
    suggestions TEXT NOT NULL DEFAULT '[]', -- JSON list, behind the sg:<id>:<i> buttons
    voted INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
"""


def _stamp() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Subscription:
    """A chat that wants reminders for one department (optionally of one region)."""

    chat_id: ChatId
    department: str
    region: str | None


@dataclass(frozen=True)
class Listing:
    """The query behind a paginated /dept or /due message, so a page can be recomputed later."""

    id: int
    chat_id: ChatId
    kind: str
    arg: str
    region: str | None


@dataclass(frozen=True)
class LoggedAnswer:
    """An answer message with buttons: what a vote on it refers to, and the suggestions it offered."""

    id: int
    chat_id: ChatId
    question: str
    entry_id: str | None
    voted: bool
    suggestions: list[str] = field(default_factory=list)


class Prefs:
    """The staff bot's tables. Thread-safe (one connection, one lock); `close()` when done.

    WAL and busy_timeout because the web process writes the same file through `QuestionLog`.
    """

    def __init__(self, path: str | Path, *, prefix: str = "staffbot_", key_type: str = "INTEGER") -> None:
        if prefix not in ("staffbot_", "wecom_") or key_type not in ("INTEGER", "TEXT"):
            raise ValueError(f"unknown table set {prefix!r} / {key_type!r}")
        self.path = Path(path)
        self._lock = threading.Lock()
        self._conn = open_database(path, SCHEMA.format(prefix=prefix, key=key_type))
        self._t = prefix  # table name prefix, one of the fixed names above (never user input)
        self._key: type[int] | type[str] = int if key_type == "INTEGER" else str

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Prefs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """The connection for one operation; whatever fails inside, no transaction is left open.

        Each operation is its own unit: an error (a locked database, a bad value) rolls it back and is
        raised to the caller, and the next operation starts clean (an open BEGIN would otherwise keep the
        shared file write-locked for the web server too).
        """
        with self._lock:
            try:
                yield self._conn
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.rollback()
                raise

    # -- region -----------------------------------------------------------------------------------

    def region(self, user_id: ChatId) -> str | None:
        """The user's default region, or None (every region)."""
        with self._db() as c:
            row = c.execute(f"SELECT region FROM {self._t}prefs WHERE user_id = ?", (user_id,)).fetchone()
        return row[0] if row and row[0] else None

    def set_region(self, user_id: ChatId, region: str | None) -> None:
        with self._db() as c:
            c.execute(
                f"INSERT INTO {self._t}prefs(user_id, region, updated) VALUES (?, ?, ?)"
                " ON CONFLICT(user_id) DO UPDATE SET region = excluded.region, updated = excluded.updated",
                (user_id, clean_text(region) or None, _stamp()))

    # -- subscriptions ----------------------------------------------------------------------------

    def subscribe(self, chat_id: ChatId, department: str, region: str | None = None) -> str:
        """Subscribe a chat to a department in a region (None: every region).

        One subscription per chat and department: subscribing again changes its region rather than adding
        a second, overlapping one. Returns "added", "updated" or "unchanged" for the reply.
        """
        department, region = clean_text(department), clean_text(region) or None
        with self._db() as c:
            row = c.execute(f"SELECT region FROM {self._t}subscriptions WHERE chat_id = ? AND department = ?",
                            (chat_id, department)).fetchone()
            if row is None:
                c.execute(f"INSERT INTO {self._t}subscriptions(chat_id, department, region, created) VALUES (?, ?, ?, ?)",
                          (chat_id, department, region or "", _stamp()))
                return "added"
            if (row[0] or None) == (region or None):
                return "unchanged"
            c.execute(f"UPDATE {self._t}subscriptions SET region = ? WHERE chat_id = ? AND department = ?",
                      (region or "", chat_id, department))
            return "updated"

    def unsubscribe(self, chat_id: ChatId, department: str | None = None) -> int:
        """Remove one department's subscription of a chat, or all of them; returns how many."""
        department = clean_text(department) if department is not None else None
        with self._db() as c:
            if department is None:
                cur = c.execute(f"DELETE FROM {self._t}subscriptions WHERE chat_id = ?", (chat_id,))
            else:
                cur = c.execute(f"DELETE FROM {self._t}subscriptions WHERE chat_id = ? AND department = ?",
                                (chat_id, department))
            return cur.rowcount

    def subscriptions(self, chat_id: ChatId | None = None) -> list[Subscription]:
        """One chat's subscriptions, or everybody's (for the reminder job), in a stable order."""
        sql = f"SELECT chat_id, department, region FROM {self._t}subscriptions"
        args: tuple[int, ...] = ()
        if chat_id is not None:
            sql += " WHERE chat_id = ?"
            args = (chat_id,)
        with self._db() as c:
            rows = c.execute(sql + " ORDER BY chat_id, rowid", args).fetchall()
        return [Subscription(self._key(ch), dep, reg or None) for ch, dep, reg in rows]

    # -- what was sent ----------------------------------------------------------------------------

    def was_sent(self, chat_id: ChatId, kind: str, key: str) -> bool:
        with self._db() as c:
            row = c.execute(f"SELECT 1 FROM {self._t}sent WHERE chat_id = ? AND kind = ? AND key = ?",
                            (chat_id, kind, key)).fetchone()
        return row is not None

    def mark_sent(self, chat_id: ChatId, kind: str, keys: list[str], when: datetime) -> None:
        """Record delivered reminders in one transaction, right after the message went out."""
        stamp = when.isoformat(timespec="seconds")
        with self._db() as c:
            c.execute("BEGIN")
            c.executemany(f"INSERT OR IGNORE INTO {self._t}sent(chat_id, kind, key, sent) VALUES (?, ?, ?, ?)",
                          [(chat_id, kind, clean_text(k), stamp) for k in keys])
            c.execute("COMMIT")

    # -- paginated lists --------------------------------------------------------------------------

    def save_listing(self, chat_id: ChatId, kind: str, arg: str, region: str | None) -> int:
        arg, region = clean_text(arg), clean_text(region) or None
        with self._db() as c:
            cur = c.execute(f"INSERT INTO {self._t}listings(chat_id, kind, arg, region, created) VALUES (?, ?, ?, ?, ?)",
                            (chat_id, kind, arg, region, _stamp()))
            return int(cur.lastrowid or 0)

    def listing(self, listing_id: int) -> Listing | None:
        with self._db() as c:
            row = c.execute(f"SELECT id, chat_id, kind, arg, region FROM {self._t}listings WHERE id = ?",
                            (listing_id,)).fetchone()
        return Listing(int(row[0]), self._key(row[1]), row[2], row[3], row[4]) if row else None

    # -- answers with feedback buttons ------------------------------------------------------------

    def save_answer(self, chat_id: ChatId, question: str, entry_id: str | None,
                    suggestions: list[str] | None = None) -> int:
        question = clean_text(question)
        suggestions = [clean_text(s) for s in suggestions or []]
        with self._db() as c:
            cur = c.execute(
                f"INSERT INTO {self._t}answers(chat_id, question, entry_id, suggestions, created) VALUES (?, ?, ?, ?, ?)",
                (chat_id, question, entry_id, json.dumps(suggestions, ensure_ascii=False), _stamp()))
            return int(cur.lastrowid or 0)

    def answer(self, answer_id: int) -> LoggedAnswer | None:
        with self._db() as c:
            row = c.execute(f"SELECT id, chat_id, question, entry_id, voted, suggestions FROM {self._t}answers"
                            " WHERE id = ?", (answer_id,)).fetchone()
        if not row:
            return None
        return LoggedAnswer(int(row[0]), self._key(row[1]), row[2], row[3], bool(row[4]), list(json.loads(row[5] or "[]")))

    def last_answer(self, chat_id: ChatId) -> LoggedAnswer | None:
        """The chat's latest answer with buttons: what "有用" or "1" refers to on a channel without buttons."""
        with self._db() as c:
            row = c.execute(f"SELECT max(id) FROM {self._t}answers WHERE chat_id = ?", (chat_id,)).fetchone()
        return self.answer(int(row[0])) if row and row[0] is not None else None

    def last_listing(self, chat_id: ChatId) -> Listing | None:
        """The chat's latest paginated list: what "下一页" refers to on a channel without buttons."""
        with self._db() as c:
            row = c.execute(f"SELECT max(id) FROM {self._t}listings WHERE chat_id = ?", (chat_id,)).fetchone()
        return self.listing(int(row[0])) if row and row[0] is not None else None

    def mark_voted(self, answer_id: int) -> bool:
        """Claim the vote on an answer; False when somebody already voted (double taps, group members)."""
        with self._db() as c:
            cur = c.execute(f"UPDATE {self._t}answers SET voted = 1 WHERE id = ? AND voted = 0", (answer_id,))
            return cur.rowcount > 0
