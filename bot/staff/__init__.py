"""The channel-agnostic staff service: one implementation of the staff features for every chat channel.

`StaffService(engine, prefs, log, options, channel=...)` takes typed messages in and gives typed
replies out (messages.py); schedule.py plans reminders and digests. The adapters are thin
translators: bot/channels/telegram/ (Telegram) and bot/channels/wecom/ (WeCom 企业微信).
"""
from .messages import Ask, Command, Press, Reply, Sender
from .options import StaffError, StaffOptions, staff_options
from .prefs import Prefs
from .service import StaffService

__all__ = ["Ask", "Command", "Prefs", "Press", "Reply", "Sender", "StaffError", "StaffOptions", "StaffService",
           "staff_options"]
