"""One person's messages answered in the order they came, different people's in parallel.

Job: `KeyedSerial.submit(key, job)` queues `job` behind the jobs already waiting for the same key and
runs each key's queue on one worker of a shared pool at a time. A follow-up ("那完成时限呢？") must be
read after the question it follows, or it would find no context; a flood from one person is capped at
MAX_WAITING so it cannot occupy the pool. `close()` lets queued jobs finish (graceful SIGTERM).
Neighbours: bot.py.
"""
from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

logger = logging.getLogger(__name__)

MAX_WAITING = 20  # jobs of one key waiting at once; more are refused


class KeyedSerial:
    def __init__(self, workers: int = 4, *, name: str = "wechat") -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._waiting: dict[str, deque[Callable[[], None]]] = {}
        self._lock = threading.Lock()

    def submit(self, key: str, job: Callable[[], None]) -> bool:
        """Queue `job`; False when this key already has MAX_WAITING jobs waiting (the job is dropped)."""
        with self._lock:
            line = self._waiting.get(key)
            if line is None:
                self._waiting[key] = deque([job])
            elif len(line) >= MAX_WAITING:
                return False
            else:
                line.append(job)
                return True  # the worker draining this key will get to it
        self._pool.submit(self._run, key)
        return True

    def _run(self, key: str) -> None:
        while True:
            with self._lock:
                job = self._waiting[key][0]
            try:
                job()
            except Exception:  # a job reports its own failures; this keeps the key's queue moving
                logger.exception("job for one sender failed")
            with self._lock:
                line = self._waiting[key]
                line.popleft()
                if not line:
                    del self._waiting[key]
                    return

    def close(self) -> None:
        self._pool.shutdown(wait=True)
