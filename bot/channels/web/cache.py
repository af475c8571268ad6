"""A small LRU of finished answers for POST /api/ask, so the featured questions everyone taps are cheap.

Sound because the engine is a pure function of (question, region, context) over an index that is loaded
once per process; the key adds today's date, so answers that depend on "this month" roll over at
midnight. Holds the encoded JSON body and the follow-up context as a dict (each hit gets its own
Context object). Used by bot/channels/web/api.py; size 0 turns it off (bench/load_web.py --no-cache).
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.engine.answer import Context

DEFAULT_SIZE = 2048


@dataclass(frozen=True)
class CachedAnswer:
    body: bytes  # the response body, exactly as sent on the first request
    context: dict[str, Any]
    intent: str
    answered: bool
    entry_id: str | None
    region: str | None
    reply: str = ""

    def fresh_context(self) -> Context:
        return Context.from_dict(self.context) or Context()


Key = tuple[str, str, str, str]
_OFF: Key = ("", "", "", "")  # the key of every question while the cache is off (size 0)


class AnswerCache:
    def __init__(self, size: int = DEFAULT_SIZE, stamp: Callable[[], object] | None = None) -> None:
        self.size = int(size)
        # Part of every key: what else answers depend on (the official answers' version, bot/official/),
        # so an answer written by another worker is never hidden behind a cached reply.
        self.stamp = stamp
        self._lock = threading.Lock()
        self._items: OrderedDict[Key, CachedAnswer] = OrderedDict()
        # Bumped by /admin after it swaps in a new engine or changes official answers (bot/channels/web/admin_api.py):
        # keys made before the bump are never looked up again, so no stale answer is served. Set the engine
        # first, then bump: a key made with the new generation can only meet the new engine.
        self.generation = 0

    def key(self, question: str, region: str | None, context: Context | None) -> Key:
        """The cache key of a question; with the cache off, no key is looked up, so none is made (the
        official answers' stamp is a stat of their file)."""
        if self.size <= 0:
            return _OFF
        ctx = json.dumps(context.to_dict(), sort_keys=True, ensure_ascii=False) if context else ""
        stamp = self.stamp() if self.stamp is not None else ""
        return (question, region or "", ctx, f"{date.today().isoformat()}#{self.generation}#{stamp}")

    def bump(self) -> None:
        """Forget every cached answer (new knowledge): new generation, old items dropped."""
        with self._lock:
            self.generation += 1
            self._items.clear()

    def get(self, key: Key) -> CachedAnswer | None:
        if self.size <= 0:
            return None
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Key, value: CachedAnswer) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
