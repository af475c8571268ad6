"""Moved to bot/staff/dates.py (the channel-agnostic staff service); re-exported for old imports."""
from bot.staff.dates import FAR_FUTURE, DueRange, cn_date, month_end, parse_due

__all__ = ["FAR_FUTURE", "DueRange", "cn_date", "month_end", "parse_due"]
