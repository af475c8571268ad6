"""Reading the argument of `/due` ("2024-09-30", "9月", "9月底", "2024年9月", "月底", "年底", "30天", "all").

Job: turn what staff type into a date range for `Engine.due_tasks(until, since=...)`. Pure functions of
the text and `today` (the caller's clock, in the bot's timezone), so every rule is unit-testable.

The rules, chosen so the default view is "what is still ahead of me":
  * no argument: from today to the end of this month;
  * a future (or current) date, month or year: from today up to it;
  * a period wholly in the past ("2022年9月"): the tasks due within that period, because nothing
    from today on can be due by then and staff asking about the past want that period;
  * `all` / `全部`: every dated task, overdue ones included.
A month or day without a year that has already passed this year means next year's ("3月" in November).

Neighbours: the staff service (service.py, lists.py) calls `parse_due`; nothing here knows about a channel or the engine.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_FULLWIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True)
class DueRange:
    """Tasks due in [since, until]; since None means no lower bound (overdue tasks included)."""

    since: date | None
    until: date
    label: str  # how the reply names the range, e.g. "2024年9月30日前"

    def key(self) -> str:
        """Compact text form, stored with a paginated listing so a page can be recomputed."""
        return f"{self.since.isoformat() if self.since else ''}|{self.until.isoformat()}|{self.label}"

    @classmethod
    def from_key(cls, key: str) -> DueRange:
        since, until, label = key.split("|", 2)
        return cls(date.fromisoformat(since) if since else None, date.fromisoformat(until), label)


def cn_date(d: date) -> str:
    """2024-09-30 -> 2024年9月30日, the way the plans write dates."""
    return f"{d.year}年{d.month}月{d.day}日"


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    """"9", "09", "九", "十二" -> int; None for anything else."""
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十") and len(text) == 2 and text[1] in _CN_DIGITS:
        return 10 + _CN_DIGITS[text[1]]
    if len(text) == 1 and text in _CN_DIGITS:
        return _CN_DIGITS[text]
    return None


def _ahead(until: date, today: date, label: str, period_start: date) -> DueRange:
    """From today up to `until`, or the named period itself when it lies wholly in the past."""
    if until < today:
        return DueRange(period_start, until, label)
    return DueRange(today, until, label)


_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DAY_MONTH = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})[-/.月](\d{1,2})[日号]?")
_YEAR_MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?(?:底|末|份)?")
_MONTH = re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,3})月(?:底|末|份|份底)?")
_YEAR = re.compile(r"(\d{4})年?(?:底|末)?")
_SPAN = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})(天|日|周|星期|个月)(?:内|之内|以内)?")


def parse_due(text: str, today: date) -> DueRange | None:
    """The range `/due <text>` asks for, or None when the text is not a date we can read."""
    t = re.sub(r"\s+", "", (text or "").translate(_FULLWIDTH)).lower()
    t = re.sub(r"(之前|以前|前)$", "", t)
    if t in ("", "本月", "本月底", "月底", "月末", "这个月", "本月末"):
        return DueRange(today, month_end(today.year, today.month), "本月底前")
    if t in ("all", "全部", "所有", "*"):
        return DueRange(None, FAR_FUTURE, "全部")
    if t in ("下月", "下个月", "下月底", "下月末", "下个月底"):
        y, m = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return DueRange(today, month_end(y, m), "下月底前")
    if t in ("年底", "年末", "今年", "本年", "本年底", "今年底", "今年年底"):
        return DueRange(today, date(today.year, 12, 31), "年底前")
    if t in ("季度末", "本季度", "季度底", "本季度末", "本季", "季末"):
        m = (today.month - 1) // 3 * 3 + 3
        return DueRange(today, month_end(today.year, m), "本季度末前")
    try:
        return _parse_dated(t, today)
    except ValueError:  # 2月30日, 13月 …
        return None


def _span(m: re.Match[str], today: date) -> DueRange | None:
    n = _number(m.group(1))
    if n is None:
        return None
    unit = m.group(2)
    if unit == "个月":
        y, mo = divmod(today.month - 1 + n, 12)
        until = month_end(today.year + y, mo + 1)
        until = until.replace(day=min(today.day, until.day))
    else:
        until = today + timedelta(days=n * (7 if unit in ("周", "星期") else 1))
    return DueRange(today, until, f"{m.group(1)}{unit}内")


def _full_date(m: re.Match[str], today: date) -> DueRange:
    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return _ahead(d, today, f"{cn_date(d)}前", d.replace(day=1))


def _year_month(m: re.Match[str], today: date) -> DueRange:
    y, mo = int(m.group(1)), int(m.group(2))
    return _ahead(month_end(y, mo), today, f"{y}年{mo}月底前", date(y, mo, 1))


def _day_month(m: re.Match[str], today: date) -> DueRange | None:
    mo, day = _number(m.group(1)), int(m.group(2))
    if mo is None:
        return None
    d = date(today.year, mo, day)
    if d < today:
        d = date(today.year + 1, mo, day)
    return DueRange(today, d, f"{cn_date(d)}前")


def _month(m: re.Match[str], today: date) -> DueRange | None:
    mo = _number(m.group(1))
    if mo is None or not 1 <= mo <= 12:
        return None
    y = today.year if mo >= today.month else today.year + 1
    return DueRange(today, month_end(y, mo), f"{y}年{mo}月底前")


def _year(m: re.Match[str], today: date) -> DueRange:
    y = int(m.group(1))
    return _ahead(date(y, 12, 31), today, f"{y}年底前", date(y, 1, 1))


# Tried in order, first full match wins: spans, full dates, year+month, month+day, month, year.
_DATED: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], date], DueRange | None]], ...] = (
    (_SPAN, _span), (_FULL_DATE, _full_date), (_COMPACT_DATE, _full_date), (_YEAR_MONTH, _year_month),
    (_DAY_MONTH, _day_month), (_MONTH, _month), (_YEAR, _year),
)


def _parse_dated(t: str, today: date) -> DueRange | None:
    for pattern, read in _DATED:
        if m := pattern.fullmatch(t):
            return read(m, today)
    return None
