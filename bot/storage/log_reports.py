"""What the office reads back from the question log: filtered rows, per-day statistics, purges, totals.

The log stores each row's time as ISO 8601 with the writing server's offset (`ts`) and that server's
local date (`day`). The office counts days in `web.timezone` (Asia/Shanghai by default), which may not
be the server's zone, so every report here first narrows rows by `day` with a margin of
`DAY_MARGIN` days (indexed, cheap) and then places each row on the office's calendar from its `ts`.
The same SQL runs on SQLite and PostgreSQL (bot/storage/base.py's `?` dialect subset).

Used by bot/channels/web/admin_stats.py (stats API, page, CSV/xlsx export), bot/channels/web/metrics.py
(/metrics), bot/storage/retention.py (the daily purge) and bot/cli_ops.py (`bot purge`).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.storage.question_log import QuestionLog

DAY_MARGIN = 2  # server zone vs office zone: at most 26 h apart, so 2 days of `day` cover any row
MAX_DAYS = 366  # the longest statistics window
TOP_LIMIT = 10  # questions in each "top" list
ROW_LIMIT = 200  # rows shown on the page (exports carry every matching row)
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)  # seconds, /metrics histogram

# Cells starting with these are run as formulas by Excel / WPS ("CSV injection"); exports quote them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

LOG_COLUMNS = ("ts", "channel", "region", "question", "answered", "intent", "entry_id", "latency_ms", "reply")


@dataclass(frozen=True)
class LogFilter:
    """Which rows of the question log: dates inclusive (office calendar), None meaning "any"."""

    start: date | None = None
    end: date | None = None
    channel: str | None = None
    region: str | None = None
    answered: bool | None = None
    keyword: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """SQL conditions (with the `day` margin) and their parameters."""
        parts: list[str] = ["1 = 1"]
        params: list[Any] = []
        if self.start is not None:
            parts.append("day >= ?")
            params.append((self.start - timedelta(days=DAY_MARGIN)).isoformat())
        if self.end is not None:
            parts.append("day <= ?")
            params.append((self.end + timedelta(days=DAY_MARGIN)).isoformat())
        if self.channel:
            parts.append("channel = ?")
            params.append(self.channel)
        if self.region:
            parts.append("region = ?")
            params.append(self.region)
        if self.answered is not None:
            parts.append("answered = ?")
            params.append(int(self.answered))
        if self.keyword:
            parts.append("question LIKE ? ESCAPE '!'")
            params.append("%" + _like_escaped(self.keyword) + "%")
        return " AND ".join(parts), params

    def holds(self, day: date | None) -> bool:
        """Whether a row on office day `day` is inside the date range (rows without a readable time: yes)."""
        if day is None:
            return self.start is None and self.end is None
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class LogRow:
    """One logged question as the office sees it (time in the office's zone)."""

    ts: str
    channel: str
    region: str | None
    question: str
    answered: bool
    intent: str
    entry_id: str | None
    latency_ms: float
    reply: str | None

    def cells(self) -> tuple[Any, ...]:
        """The row in LOG_COLUMNS order, for CSV and xlsx."""
        return (self.ts, self.channel, self.region or "", self.question, "是" if self.answered else "否",
                self.intent, self.entry_id or "", self.latency_ms, self.reply or "")


def _like_escaped(text: str) -> str:
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def office_day(ts: str, tz: tzinfo) -> tuple[date | None, str]:
    """A stored `ts` as (its date in the office's zone, 'YYYY-MM-DD HH:MM:SS' there)."""
    try:
        t = datetime.fromisoformat(ts)
    except (TypeError, ValueError):
        return None, str(ts)
    if t.tzinfo is None:  # rows written before offsets were stored: taken as the office's own time
        t = t.replace(tzinfo=tz)
    local = t.astimezone(tz)
    return local.date(), local.strftime("%Y-%m-%d %H:%M:%S")


def log_rows(log: QuestionLog, flt: LogFilter, tz: tzinfo, limit: int | None = None) -> Iterator[LogRow]:
    """Rows matching `flt`, newest first, at most `limit`."""
    where, params = flt.where()
    sql = (f"SELECT ts, channel, region, question, answered, intent, entry_id, latency_ms, reply FROM questions"
           f" WHERE {where} ORDER BY id DESC")
    shown = 0
    for ts, channel, region, question, answered, intent, entry_id, latency, reply in log.query(sql, params):
        day, local = office_day(ts, tz)
        if not flt.holds(day):
            continue
        yield LogRow(local, channel, region, question, bool(answered), intent, entry_id, float(latency or 0), reply)
        shown += 1
        if limit is not None and shown >= limit:
            return


def log_choices(log: QuestionLog) -> tuple[list[str], list[str]]:
    """The channels and regions present in the log, for the filter form's lists."""
    channels = [str(r[0]) for r in log.query("SELECT DISTINCT channel FROM questions ORDER BY channel")]
    regions = [str(r[0]) for r in log.db.run("SELECT DISTINCT region FROM questions WHERE region IS NOT NULL"
                                             " AND region <> '' ORDER BY region")]
    return channels, regions


def stats(log: QuestionLog, days: int, tz: tzinfo, today: date | None = None) -> dict[str, Any]:
    """`{"days": [{date, questions, answered, declined}], "top_questions": [...], "top_declined": [...]}`.

    Every day of the window is present, oldest first, zeros included; the tops count the window only
    (`{"question", "count"}`, most asked first)."""
    days = max(1, min(int(days), MAX_DAYS))
    today = today or datetime.now(tz).date()
    first = today - timedelta(days=days - 1)
    counts = {first + timedelta(days=i): [0, 0] for i in range(days)}
    asked: Counter[str] = Counter()
    declined: Counter[str] = Counter()
    where, params = LogFilter(first, today).where()
    for ts, question, answered in log.query(f"SELECT ts, question, answered FROM questions WHERE {where}", params):
        day, _ = office_day(ts, tz)
        if day not in counts:
            continue
        counts[day][0] += 1
        asked[question] += 1
        if answered:
            counts[day][1] += 1
        else:
            declined[question] += 1
    return {
        "days": [{"date": d.isoformat(), "questions": n, "answered": a, "declined": n - a}
                 for d, (n, a) in counts.items()],
        "top_questions": _top(asked),
        "top_declined": _top(declined),
    }


def _top(counter: Counter[str]) -> list[dict[str, Any]]:
    ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_LIMIT]
    return [{"question": q, "count": n} for q, n in ranked]


def purge(log: QuestionLog, older_than_days: int) -> int:
    """Delete questions and feedback older than `older_than_days` days (by the log's own day); how many rows.

    0 deletes nothing (0 keeps forever, like web.log_retention_days)."""
    if older_than_days <= 0:
        return 0
    cutoff = (log.now().date() - timedelta(days=int(older_than_days))).isoformat()
    log.flush()
    deleted = 0
    with log.db.transaction() as tx:
        for table in ("questions", "feedback"):
            rows = tx.execute(f"SELECT COUNT(*) FROM {table} WHERE day < ?", (cutoff,))
            deleted += int(rows[0][0]) if rows else 0
            tx.execute(f"DELETE FROM {table} WHERE day < ?", (cutoff,))
    return deleted


@dataclass(frozen=True)
class ChannelTotals:
    """Per channel: questions, declined, and the latency histogram (cumulative counts per bucket, sum)."""

    channel: str
    questions: int
    declined: int
    buckets: tuple[int, ...]
    seconds_sum: float


def channel_totals(log: QuestionLog, buckets: Sequence[float] = LATENCY_BUCKETS) -> list[ChannelTotals]:
    """Totals per channel over the whole log (every process's rows: the numbers every worker serves agree)."""
    le = ", ".join(f"SUM(CASE WHEN latency_ms <= {float(b) * 1000!r} THEN 1 ELSE 0 END)" for b in buckets)
    rows = log.query(f"SELECT channel, COUNT(*), SUM(1 - answered), SUM(latency_ms), {le} FROM questions"
                     " GROUP BY channel ORDER BY channel")
    return [ChannelTotals(str(r[0]), int(r[1]), int(r[2] or 0), tuple(int(v or 0) for v in r[4:]),
                          float(r[3] or 0) / 1000) for r in rows]


def asked(log: QuestionLog, limit: int) -> list[tuple[str, str | None]]:
    """The most asked (question, region) pairs, declined ones first: what a curation preview replays."""
    rows = log.query("SELECT question, region, COUNT(*) AS n, MIN(answered) FROM questions GROUP BY question, region"
                     " ORDER BY MIN(answered), n DESC LIMIT ?", (int(limit),))
    return [(str(q), r or None) for q, r, _, _ in rows]
