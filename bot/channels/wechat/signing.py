"""Is this request from WeChat, and is it new? URL signatures, a timestamp window and replay memory.

Job: every request to the callback URL carries `signature` = SHA-1 hex of Token, timestamp and nonce,
sorted and joined (the 公众号 docs' scheme; safe mode adds `msg_signature` over the ciphertext too,
computed by the same `sign`). A request is accepted only when the signature verifies (constant-time),
its timestamp is within WINDOW seconds of our clock (a captured request cannot be used later), and —
for POSTs — the same signed request (query and body) has not been seen inside the window: a replay is
answered "success" and has no effect, which is also what WeChat's own retries of a delivery need.

All of this looks at the query string only, so it runs before a byte of the body is parsed.
Neighbours: dedupe.py (the memory), envelope.py (uses `Freshness` on every POST).
"""
from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

from .dedupe import RecentKeys

WINDOW = 300  # seconds of clock difference accepted either way; WeChat retries within ~15 s


class SignatureError(ValueError):
    """Not signed with our Token, or too old to trust: the caller answers 403 and does nothing."""


def sign(*parts: str) -> str:
    """SHA-1 hex of the parts sorted and concatenated: `signature` and `msg_signature` alike."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def same(expected: str, given: str | None) -> bool:
    """Constant-time comparison of two hex signatures (WeChat sends lower case; accept either)."""
    return hmac.compare_digest(expected.encode(), (given or "").strip().lower().encode())


class Freshness:
    """The Token, the clock and the nonces already used: one per callback server."""

    def __init__(self, token: str, *, window: int = WINDOW, clock: Callable[[], float] = time.time) -> None:
        if not token:
            raise ValueError("the Token is empty")
        self.token = token
        self.window = window
        self._clock = clock
        self._seen = RecentKeys(ttl=2 * window, size=100_000, clock=clock)

    def check(self, args: Mapping[str, str]) -> None:
        """Raise SignatureError unless `signature` verifies and `timestamp` is inside the window."""
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        if not timestamp or not nonce:
            raise SignatureError("timestamp or nonce missing")
        if not same(sign(self.token, timestamp, nonce), args.get("signature")):
            raise SignatureError("bad signature")
        try:
            age = self._clock() - int(timestamp)
        except ValueError:
            raise SignatureError("timestamp is not a number") from None
        if abs(age) > self.window:
            raise SignatureError(f"timestamp {age:+.0f} s away from this server's clock")

    def first_use(self, args: Mapping[str, str], body: bytes = b"") -> bool:
        """False when this exact signed request — query and body — was already received (a replay or a
        retry). The body counts so that two different messages that happen to share a nonce both pass."""
        key = "|".join((args.get("timestamp", ""), args.get("nonce", ""), args.get("signature", ""),
                        args.get("msg_signature", ""), hashlib.sha256(body).hexdigest()))
        return self._seen.first_time(key)
