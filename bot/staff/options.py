"""The staff service's settings, parsed once: page size, reminder window and time, timezone, limits.

Job: read the shared staff settings (declared under [telegram] in indexer/settings.py since the first release;
the WeCom app uses the same ones) into a frozen `StaffOptions`, turning a bad value into a one-line
`StaffError` that the CLI prints. Neighbours: service.py and schedule.py read the options; the
adapters (bot/channels/telegram/state.py, bot/channels/wecom/) call `staff_options(settings)` at start-up.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from indexer.settings import Settings

MAX_ARG_CHARS = 60  # longest command argument read (department, region, date); longer ones are refused unread


class StaffError(RuntimeError):
    """A problem the operator must fix (missing token or secret, bad setting); the CLI prints it as one line."""


@dataclass(frozen=True)
class StaffOptions:
    """Knobs of the staff service shared by every channel."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    page_size: int = 8
    remind_days_before: int = 7
    reminder_time: time = time(9, 0)
    digest_weekday: int = 1  # ISO: 1 = Monday … 7 = Sunday
    max_question_chars: int = 500
    max_arg_chars: int = MAX_ARG_CHARS
    site_name: str = "政务公开问答"

    def today(self, now: datetime | None = None) -> date:
        """The date in the service's timezone (Asia/Shanghai by default), not the server's."""
        return (now or datetime.now(self.tz)).astimezone(self.tz).date()


def staff_options(settings: Settings) -> StaffOptions:
    """The staff settings as typed options; a bad value is a StaffError naming the setting."""
    try:
        tz = ZoneInfo(settings.text("telegram.timezone"))
    except (ZoneInfoNotFoundError, ValueError):
        raise StaffError(f"telegram.timezone: unknown timezone {settings['telegram.timezone']!r}") from None
    raw_time = settings.text("telegram.reminder_time").strip()
    try:
        hh, mm = raw_time.split(":")
        at = time(int(hh), int(mm), tzinfo=tz)
    except ValueError:
        raise StaffError(f"telegram.reminder_time: {raw_time!r} is not a time like 09:00") from None
    weekday = settings.integer("telegram.digest_weekday")
    if not 1 <= weekday <= 7:
        raise StaffError(f"telegram.digest_weekday: {weekday} is not 1 (Monday) … 7 (Sunday)")
    page_size = settings.integer("telegram.page_size")
    if not 1 <= page_size <= 30:
        raise StaffError(f"telegram.page_size: {page_size} is not between 1 and 30")
    return StaffOptions(
        tz=tz, page_size=page_size, remind_days_before=max(0, settings.integer("telegram.remind_days_before")),
        reminder_time=at, digest_weekday=weekday,
        max_question_chars=int(settings.get("web.max_question_chars", 500) or 500),
        site_name=str(settings.get("web.site_name", "") or "政务公开问答"))
