"""Text from chat channels made safe to store and process: the staff service's input boundary.

Job: `clean_text` turns whatever a channel delivered (Telegram JSON, WeCom XML) into text that every
later step can encode: a lone UTF-16 surrogate ("\\ud800", valid JSON but not valid text) or a NUL
would otherwise fail deep inside SQLite or the question log's writer. Replaced, not rejected, so
the person still gets an answer to the rest of the message.

Neighbours: called by the channel adapters (bot/channels/telegram/, bot/channels/wecom/) on every incoming text and by
prefs.py on every value it writes.
"""
from __future__ import annotations

import re

_UNENCODABLE = re.compile("[\ud800-\udfff\x00]")
REPLACEMENT = "\ufffd"


def clean_text(text: str | None) -> str:
    """The text with lone surrogates and NULs replaced by U+FFFD; None becomes ""."""
    if not text:
        return ""
    return _UNENCODABLE.sub(REPLACEMENT, str(text))
