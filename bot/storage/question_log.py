"""The question log and feedback store, shared by every adapter: web API, kiosk and staff bot.

Adapters call `QuestionLog.log_question` after each answer and `log_feedback` when a person rates one;
the web admin (bot/channels/web/admin.py) reads the reports back. No Flask here on purpose: the Telegram adapter
(bot/channels/telegram/) opens the same class on the same database.

Storage: a `Database` from bot/storage/ — a SQLite file (default) or PostgreSQL (`web.database` =
`postgresql://…`), tables created by versioned migrations (bot/storage/log_schema.py). Rows are written
behind the request by bot/storage/writer.py's `LogWriter` (batched, retried, never dies; `health()`),
and every text is cleaned of lone surrogates first (bot/storage/clean.py). Reports flush first;
`close()` drains the queue, so nothing is lost short of a crash (the crash bound is in writer.py). Rows
that find the queue full wait in a spill file in `spill_dir` (the SQLite file's folder by default; the
web app passes its var folder for PostgreSQL), replayed exactly once (bot/storage/spill.py).

Privacy: nothing that identifies a person is stored in clear. Session / chat ids are kept only as a
salted HMAC whose salt is generated per database and never leaves it, so rows of one conversation can be
grouped without being traceable to a browser or account. IP addresses are never passed in.
"""
from __future__ import annotations

import csv
import hashlib
import hmac
import io
import logging
import secrets
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.storage import Database
from bot.storage import open_database as open_storage
from bot.storage.clean import clean, clean_row
from bot.storage.log_schema import LOG_MIGRATIONS
from bot.storage.sqlite import connect_sqlite
from bot.storage.writer import META, Item, LogWriter

log = logging.getLogger(__name__)

_INSERT_QUESTION = ("INSERT INTO questions(ts, day, channel, question, intent, answered, entry_id, latency_ms, session,"
                    " region, answer_id, reply) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
REPLY_KEPT_CHARS = 2000  # a reply is logged up to this length (the CSV export shows what was said)
_UPSERT_META = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
_UPSERT_FEEDBACK = ("INSERT INTO feedback(ts, day, channel, helpful, question, entry_id, session, comment, answer_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (answer_id) DO UPDATE SET ts = excluded.ts, day = excluded.day,"
                    " helpful = excluded.helpful, comment = excluded.comment RETURNING id")

QUESTION_COLUMNS = ("id", "ts", "channel", "question", "intent", "answered", "entry_id", "latency_ms", "session", "region",
                    "answer_id", "reply")
FEEDBACK_COLUMNS = ("id", "ts", "channel", "helpful", "question", "entry_id", "session", "comment")

# Cells starting with these are run as formulas by Excel / WPS ("CSV injection"); the export quotes them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# How long `log_feedback` waits for its row (to return the id); the row is written later if slower.
FEEDBACK_WAIT_SECONDS = 2.0
# How long a report waits for queued rows before reading what is there.
REPORT_FLUSH_SECONDS = 5.0


class LogUnavailable(RuntimeError):
    """A row that could be kept nowhere (queue, spill file and overflow full): the caller must not say
    "written later"."""


@dataclass(frozen=True)
class QuestionCount:
    """A question text with how often it was asked and when last."""

    question: str
    count: int
    last_seen: str


@dataclass(frozen=True)
class FeedbackRow:
    ts: str
    channel: str
    helpful: bool
    question: str
    entry_id: str | None
    comment: str | None


@dataclass(frozen=True)
class DayCount:
    day: str
    questions: int
    answered: int
    declined: int
    helpful: int
    unhelpful: int


def _now() -> datetime:
    return datetime.now().astimezone()


def open_database(path: str | Path, schema: str) -> sqlite3.Connection:
    """One autocommit SQLite connection shared across threads behind the caller's lock (the staff bot's prefs).

    WAL and busy_timeout because the web server and the staff bot write the same file at once;
    the parent folder is created; `schema` (CREATE … IF NOT EXISTS) is applied. A file that is not a
    database raises bot.storage.StoreError (one line saying what to do).
    """
    conn = connect_sqlite(path)
    try:
        conn.executescript(schema)
    except BaseException:
        conn.close()
        raise
    return conn


class QuestionLog:
    """Append-only log of questions and feedback with the few reports the admin page shows.

    Thread-safe; open once per process and share it (fork-safe: a log opened before fork reconnects
    and starts its writer in each child). `close()` when done (tests run with warnings as errors, and
    an unclosed sqlite connection is one). `target` is a SQLite path, a `postgresql://` URL or an open
    `Database` (then not closed by `close()`).
    """

    def __init__(self, target: str | Path | Database, *, clock: Callable[[], datetime] = _now,
                 spill_dir: str | Path | None = None) -> None:
        self._owns_db = not isinstance(target, Database)
        self.db: Database = target if isinstance(target, Database) else open_storage(target)
        self.path = Path(target) if isinstance(target, (str, Path)) and self.db.dialect == "sqlite" else None
        self._clock = clock
        self._closed = False
        try:
            self.db.migrate("log", LOG_MIGRATIONS)
            self._salt = self.secret("salt").encode()
        except BaseException:
            if self._owns_db:
                self.db.close()
            raise
        if spill_dir is None and self.path is not None and str(target) != ":memory:":
            spill_dir = self.path.parent
        self._writer = LogWriter(self._write, self.db.is_transient, spill_dir=spill_dir, progress=self._spill_progress)
        self._writer.replay_left_rows()

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self, timeout: float = 10.0) -> int:
        """Write what is queued (waiting at most `timeout` s on a locked database), stop the writer, close.

        Returns the number of rows that could not be written in time (0 normally)."""
        if self._closed:
            return 0
        self._closed = True
        left = self._writer.close(timeout)
        if self._owns_db:
            self.db.close()
        return left

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every queued row is in the database (reports call this first); False on timeout."""
        return self._writer.flush(timeout)

    def health(self) -> dict[str, Any]:
        """The writer's state for /healthz: status (ok, retrying, degraded, closed), pending, written, dropped,
        spilled, last error; with PostgreSQL also the circuit breaker's state (closed, open, half-open)."""
        breaker = getattr(self.db, "breaker", None)
        extra = {"circuit": breaker.state} if breaker is not None else {}
        return {"backend": self.db.dialect, **self._writer.health(), **extra}

    def secret(self, name: str) -> str:
        """A random value generated once per database and kept in it (salt, answer-id key)."""
        self.db.run("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    (name, secrets.token_hex(16)))
        return str(self.db.run("SELECT value FROM meta WHERE key = ?", (name,))[0][0])

    def _write(self, items: Sequence[Item]) -> None:
        """One transaction for a batch of queued rows (called by the writer thread)."""
        questions = [i.row for i in items if i.table == "questions"]
        ids: list[tuple[Item, Any]] = []
        with self.db.transaction() as tx:
            if questions:
                tx.executemany(_INSERT_QUESTION, questions)
            for item in items:
                if item.table == "feedback":
                    ids.append((item, int(tx.execute(_UPSERT_FEEDBACK, item.row)[0][0])))
                elif item.table == META:  # how far a spill file is replayed, committed with its rows
                    tx.execute(_UPSERT_META, item.row)
        for item, row_id in ids:
            item.result = row_id

    def _spill_progress(self, file_id: str) -> int:
        """Byte offset up to which spill file `file_id` is already in the database (0: none of it)."""
        rows = self.db.run("SELECT value FROM meta WHERE key = ?", (f"spill:{file_id}",))
        return int(rows[0][0]) if rows else 0

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows for a report: queued rows are written first (waiting at most REPORT_FLUSH_SECONDS)."""
        self.flush(REPORT_FLUSH_SECONDS)
        return self.db.run(sql, params)

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A report's rows after queued rows are written (bot/storage/log_reports.py's reports)."""
        return self._read(sql, params)

    def now(self) -> datetime:
        """The log's clock (what `day` and `ts` of a new row are taken from)."""
        return self._clock()

    # -- writing ---------------------------------------------------------------------------------

    def pseudonym(self, ident: str | int | None) -> str | None:
        """Salted hash of a session / chat id: stable within this database, meaningless outside it."""
        if ident is None or ident == "":
            return None
        return hmac.new(self._salt, str(clean(ident)).encode("utf-8"), hashlib.sha256).hexdigest()[:20]

    def log_question(self, question: str, *, intent: str, answered: bool, entry_id: str | None = None,
                     latency_ms: float = 0.0, session: str | int | None = None, channel: str = "web",
                     region: str | None = None, answer_id: str | None = None, reply: str | None = None) -> None:
        """Queue one answered (or declined) question for the writer thread (returns at once)."""
        now = self._clock()
        row = (now.isoformat(timespec="seconds"), now.date().isoformat(), channel, question, str(intent),
               int(bool(answered)), entry_id, round(float(latency_ms), 2), self.pseudonym(session), region,
               answer_id, reply[:REPLY_KEPT_CHARS] if reply else None)
        self._writer.submit(Item("questions", clean_row(row)))  # False (dropped, counted) only past every bound

    def log_feedback(self, *, helpful: bool, question: str, entry_id: str | None = None,
                     session: str | int | None = None, comment: str | None = None, channel: str = "web",
                     answer_id: str | None = None) -> int | None:
        """Record a helpful / not-helpful vote on an answer; returns the row id (None if still queued).

        With `answer_id`, a second vote on the same answer replaces the first (one vote per answer)."""
        now = self._clock()
        row = (now.isoformat(timespec="seconds"), now.date().isoformat(), channel, int(bool(helpful)), question,
               entry_id, self.pseudonym(session), comment or None, answer_id)
        done = threading.Event()
        item = Item("feedback", clean_row(row), done=done)
        if not self._writer.submit(item):
            raise LogUnavailable("the vote could not be kept (the database and the disk are both unavailable)")
        if not self._writer.retrying:  # a failing database: "written later" at once, no wait
            done.wait(FEEDBACK_WAIT_SECONDS)
        return item.result if item.ok else None

    # -- reports ---------------------------------------------------------------------------------

    def count(self, table: str = "questions") -> int:
        if table not in ("questions", "feedback"):
            raise ValueError(f"unknown table {table!r}")
        return int(self._read(f"SELECT COUNT(*) FROM {table}")[0][0])

    def top_questions(self, limit: int = 20, *, since: str | None = None) -> list[QuestionCount]:
        """Most frequent questions (exact text), optionally since a day (YYYY-MM-DD)."""
        return self._grouped("1 = 1", limit, since)

    def declined(self, limit: int = 20, *, since: str | None = None) -> list[QuestionCount]:
        """Questions the bot could not answer, most frequent first: what the knowledge base lacks."""
        return self._grouped("answered = 0", limit, since)

    def _grouped(self, where: str, limit: int, since: str | None) -> list[QuestionCount]:
        sql = (f"SELECT question, COUNT(*) AS n, MAX(ts) FROM questions WHERE {where} AND day >= ?"
               " GROUP BY question ORDER BY n DESC, MAX(ts) DESC LIMIT ?")
        rows = self._read(sql, (since or "", int(limit)))
        return [QuestionCount(q, int(n), ts) for q, n, ts in rows]

    def unhelpful(self, limit: int = 50) -> list[FeedbackRow]:
        """The latest "not helpful" votes with their comments."""
        rows = self._read("SELECT ts, channel, helpful, question, entry_id, comment FROM feedback WHERE helpful = 0"
                          " ORDER BY id DESC LIMIT ?", (int(limit),))
        return [FeedbackRow(ts, ch, bool(h), q, e, cm) for ts, ch, h, q, e, cm in rows]

    def per_day(self, days: int = 30) -> list[DayCount]:
        """Questions, answered, declined and votes per local day, newest first, for the last `days` days with traffic."""
        q = self._read("SELECT day, COUNT(*), SUM(answered) FROM questions GROUP BY day ORDER BY day DESC LIMIT ?",
                       (int(days),))
        f = self.db.run("SELECT day, SUM(helpful), SUM(1 - helpful) FROM feedback GROUP BY day ORDER BY day DESC LIMIT ?",
                        (int(days),))
        by_day: dict[str, list[int]] = {}
        for day, n, answered in q:
            by_day.setdefault(day, [0, 0, 0, 0])[:2] = [int(n), int(answered or 0)]
        for day, good, bad in f:
            by_day.setdefault(day, [0, 0, 0, 0])[2:] = [int(good or 0), int(bad or 0)]
        out = [DayCount(day, v[0], v[1], v[0] - v[1], v[2], v[3]) for day, v in by_day.items()]
        out.sort(key=lambda d: d.day, reverse=True)
        return out[:days]

    def export_csv(self, table: str = "questions") -> str:
        """The whole table as CSV text with a UTF-8 BOM, so Excel opens the Chinese correctly.

        Cells that Excel would run as formulas are prefixed with an apostrophe.
        """
        columns = {"questions": QUESTION_COLUMNS, "feedback": FEEDBACK_COLUMNS}.get(table)
        if columns is None:
            raise ValueError(f"unknown table {table!r}")
        rows = self._read(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
        buf = io.StringIO()
        buf.write("\ufeff")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row])
        return buf.getvalue()
