"""Keys seen recently, each remembered for a while: MsgIds (WeChat retries a slow delivery three
times, about 5 s apart) and signed nonces (replays).

Job: `RecentKeys.first_time(key)` is True once per key inside `ttl` seconds, thread-safe, bounded in
memory (the oldest keys go first when `size` is reached). Time-based rather than count-based, so a
burst of traffic cannot push a retry's key out of memory before its retries stop.
Neighbours: signing.py (replays), server.py (MsgId and event keys).
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable


class RecentKeys:
    """An insertion-ordered map key -> expiry; expired keys are dropped from the old end on each call."""

    def __init__(self, *, ttl: float = 300.0, size: int = 50_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.size = ttl, size
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            while self._expiry:
                oldest, expires = next(iter(self._expiry.items()))
                if expires > now and len(self._expiry) < self.size:
                    break
                del self._expiry[oldest]
            if key in self._expiry:
                return False
            self._expiry[key] = now + self.ttl
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)
