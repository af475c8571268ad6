"""Moved to bot/staff/prefs.py (the channel-agnostic staff service); re-exported for old imports."""
from bot.staff.prefs import Listing, LoggedAnswer, Prefs, Subscription

__all__ = ["Listing", "LoggedAnswer", "Prefs", "Subscription"]
