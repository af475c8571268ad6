"""The question log and feedback store (SQLite), shared by every adapter: web API, kiosk and staff bot.

Adapters call `QuestionLog.log_question` after each answer and `log_feedback` when a person rates one;
the web admin (bot/web/admin.py) reads the reports back. No Flask here on purpose: the Telegram adapter
(bot/staffbot/) opens the same class on the same file (settings.path("web.database")).

Privacy: nothing that identifies a person is stored in clear. Session / chat ids are kept only as a
salted HMAC whose salt is generated per database and never leaves it, so rows of one conversation can be
grouped without being traceable to a browser or account. IP addresses are never passed in.

Concurrency: one connection guarded by a lock (SQLite serialises writers anyway), WAL journal so the
admin can read while the API writes, busy_timeout for a second process (the staff bot) on the same file.
Questions are written behind the request by one writer thread, in batches of one transaction each:
under load, a commit per request made every request thread queue on the connection. Reports flush
first, and `close()` drains the queue, so nothing is lost short of a crash.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

_INSERT_QUESTION = ("INSERT INTO questions(ts, day, channel, question, intent, answered, entry_id, latency_ms, session,"
                    " region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,            -- local time, ISO 8601 with offset
    day TEXT NOT NULL,           -- local date, for per-day counts
    channel TEXT NOT NULL,       -- web | kiosk | telegram | ...
    question TEXT NOT NULL,
    intent TEXT NOT NULL,
    answered INTEGER NOT NULL,
    entry_id TEXT,               -- top result, if any
    latency_ms REAL NOT NULL,
    session TEXT,                -- salted hash of the session / chat id
    region TEXT
);
CREATE INDEX IF NOT EXISTS questions_day ON questions(day);
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    day TEXT NOT NULL,
    channel TEXT NOT NULL,
    helpful INTEGER NOT NULL,
    question TEXT NOT NULL,
    entry_id TEXT,
    session TEXT,
    comment TEXT
);
CREATE INDEX IF NOT EXISTS feedback_day ON feedback(day);
"""

QUESTION_COLUMNS = ("id", "ts", "channel", "question", "intent", "answered", "entry_id", "latency_ms", "session", "region")
FEEDBACK_COLUMNS = ("id", "ts", "channel", "helpful", "question", "entry_id", "session", "comment")

# Cells starting with these are run as formulas by Excel / WPS ("CSV injection"); the export quotes them.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """One autocommit connection to the project database, shared across threads behind a lock.

    WAL and busy_timeout because the web server and the staff bot write the same file at once;
    the parent folder is created; `schema` (CREATE … IF NOT EXISTS) is applied.
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=10.0, isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 10000")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(schema)
    except BaseException:
        conn.close()
        raise
    return conn


class QuestionLog:
    """Append-only log of questions and feedback with the few reports the admin page shows.

    Thread-safe; open once per process and share it. `close()` when done (tests run with
    warnings as errors, and an unclosed sqlite connection is one).
    """

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = _now) -> None:
        self.path = Path(path)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = open_database(path, SCHEMA)
        try:
            # WAL + NORMAL: a commit is durable against a process crash, fsync only at checkpoints;
            # losing the last few log rows on power loss is acceptable for a statistics log.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('salt', ?)", (secrets.token_hex(16),))
            self._salt = self._conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0].encode()
        except BaseException:
            self._conn.close()
            raise
        self._pending: list[tuple[object, ...]] = []
        self._writing = False
        self._closed = False
        self._cond = threading.Condition()
        self._writer = threading.Thread(target=self._write_loop, name="question-log-writer", daemon=True)
        self._writer.start()

    # -- lifecycle -------------------------------------------------------------------------------

    def close(self) -> None:
        """Write what is queued, stop the writer thread, close the connection."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._cond.notify_all()
        self._writer.join(timeout=30)
        with self._lock:
            self._conn.close()

    def flush(self, timeout: float = 30.0) -> None:
        """Wait until every queued question is in the database (reports call this first)."""
        with self._cond:
            self._cond.notify_all()
            self._cond.wait_for(lambda: not self._pending and not self._writing, timeout)

    def _write_loop(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                batch, self._pending = self._pending, []
                self._writing = True
            try:
                self._insert(batch)
            finally:
                with self._cond:
                    self._writing = False
                    self._cond.notify_all()

    def _insert(self, batch: list[tuple[object, ...]]) -> None:
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                self._conn.executemany(_INSERT_QUESTION, batch)
                self._conn.execute("COMMIT")
            except sqlite3.Error:
                log.exception("could not write %d logged questions", len(batch))
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")

    def __enter__(self) -> QuestionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _cursor(self) -> Iterator[sqlite3.Connection]:
        """The connection, for reading reports: queued questions are written first."""
        self.flush()
        with self._lock:
            yield self._conn

    # -- writing ---------------------------------------------------------------------------------

    def pseudonym(self, ident: str | int | None) -> str | None:
        """Salted hash of a session / chat id: stable within this database, meaningless outside it."""
        if ident is None or ident == "":
            return None
        return hmac.new(self._salt, str(ident).encode("utf-8"), hashlib.sha256).hexdigest()[:20]

    def log_question(self, question: str, *, intent: str, answered: bool, entry_id: str | None = None,
                     latency_ms: float = 0.0, session: str | int | None = None, channel: str = "web",
                     region: str | None = None) -> None:
        """Queue one answered (or declined) question for the writer thread (returns at once)."""
        now = self._clock()
        row = (now.isoformat(timespec="seconds"), now.date().isoformat(), channel, question, str(intent),
               int(bool(answered)), entry_id, round(float(latency_ms), 2), self.pseudonym(session), region)
        with self._cond:
            if self._closed:
                raise RuntimeError("the question log is closed")
            self._pending.append(row)
            self._cond.notify_all()

    def log_feedback(self, *, helpful: bool, question: str, entry_id: str | None = None,
                     session: str | int | None = None, comment: str | None = None, channel: str = "web") -> int:
        """Record a helpful / not-helpful vote on an answer; returns the row id."""
        now = self._clock()
        row = (now.isoformat(timespec="seconds"), now.date().isoformat(), channel, int(bool(helpful)), question,
               entry_id, self.pseudonym(session), comment or None)
        with self._cursor() as c:
            cur = c.execute(
                "INSERT INTO feedback(ts, day, channel, helpful, question, entry_id, session, comment)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            return int(cur.lastrowid or 0)

    # -- reports ---------------------------------------------------------------------------------

    def count(self, table: str = "questions") -> int:
        if table not in ("questions", "feedback"):
            raise ValueError(f"unknown table {table!r}")
        with self._cursor() as c:
            return int(c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def top_questions(self, limit: int = 20, *, since: str | None = None) -> list[QuestionCount]:
        """Most frequent questions (exact text), optionally since a day (YYYY-MM-DD)."""
        return self._grouped("1 = 1", limit, since)

    def declined(self, limit: int = 20, *, since: str | None = None) -> list[QuestionCount]:
        """Questions the bot could not answer, most frequent first: what the knowledge base lacks."""
        return self._grouped("answered = 0", limit, since)

    def _grouped(self, where: str, limit: int, since: str | None) -> list[QuestionCount]:
        sql = (f"SELECT question, COUNT(*) AS n, MAX(ts) FROM questions WHERE {where} AND day >= ?"
               " GROUP BY question ORDER BY n DESC, MAX(ts) DESC LIMIT ?")
        with self._cursor() as c:
            rows = c.execute(sql, (since or "", int(limit))).fetchall()
        return [QuestionCount(q, int(n), ts) for q, n, ts in rows]

    def unhelpful(self, limit: int = 50) -> list[FeedbackRow]:
        """The latest "not helpful" votes with their comments."""
        with self._cursor() as c:
            rows = c.execute(
                "SELECT ts, channel, helpful, question, entry_id, comment FROM feedback WHERE helpful = 0"
                " ORDER BY id DESC LIMIT ?", (int(limit),)).fetchall()
        return [FeedbackRow(ts, ch, bool(h), q, e, cm) for ts, ch, h, q, e, cm in rows]

    def per_day(self, days: int = 30) -> list[DayCount]:
        """Questions, answered, declined and votes per local day, newest first, for the last `days` days with traffic."""
        with self._cursor() as c:
            q = c.execute("SELECT day, COUNT(*), SUM(answered) FROM questions GROUP BY day ORDER BY day DESC LIMIT ?",
                          (int(days),)).fetchall()
            f = c.execute("SELECT day, SUM(helpful), SUM(1 - helpful) FROM feedback GROUP BY day ORDER BY day DESC LIMIT ?",
                          (int(days),)).fetchall()
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
        with self._cursor() as c:
            rows = c.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
        buf = io.StringIO()
        buf.write("\ufeff")
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(columns)
        for row in rows:
            w.writerow(["'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in row])
        return buf.getvalue()
