"""Answer ids: an opaque, unguessable token in every `POST /api/ask` reply that feedback must carry.

`issue(entry_id)` signs (issue time, a random nonce, the answer's top entry id) with an HMAC key kept in
the database (`QuestionLog.secret("answer_key")`), so every worker and host sharing the database
accepts the ids any of them gave, and nothing needs remembering per answer. `verify(answer_id,
entry_id)` accepts only an id this server signed, for that entry, at most `MAX_AGE_SECONDS` old.
bot/channels/web/api.py issues and checks them; the question log keeps one vote per answer id.
Format: `a1.<issued, base 36>.<nonce, 16 hex>.<signature, 32 hex>`.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable

VERSION = "a1"
MAX_AGE_SECONDS = 7 * 24 * 3600
CLOCK_SKEW_SECONDS = 300
MAX_CHARS = 80
_FORMAT = re.compile(r"^a1\.([0-9a-z]{1,10})\.([0-9a-f]{16})\.([0-9a-f]{32})$")


class AnswerIds:
    """Issue and verify answer ids with one secret key (see the module docstring)."""

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock

    def _sign(self, issued: str, nonce: str, entry_id: str | None) -> str:
        message = f"{VERSION}|{issued}|{nonce}|{entry_id or ''}".encode("utf-8", "replace")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def issue(self, entry_id: str | None) -> str:
        issued = _base36(int(self._clock()))
        nonce = secrets.token_hex(8)
        return f"{VERSION}.{issued}.{nonce}.{self._sign(issued, nonce, entry_id)}"

    def verify(self, answer_id: str, entry_id: str | None) -> bool:
        """True only for an unexpired id this key signed for exactly this entry id."""
        m = _FORMAT.match(answer_id) if len(answer_id) <= MAX_CHARS else None
        if m is None:
            return False
        issued, nonce, signature = m.groups()
        if not hmac.compare_digest(signature, self._sign(issued, nonce, entry_id)):
            return False
        age = self._clock() - int(issued, 36)
        return -CLOCK_SKEW_SECONDS <= age <= MAX_AGE_SECONDS


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out
