"""The daily purge that keeps the question log and feedback no longer than `web.log_retention_days`.

Personal data (个人信息保护法) is kept only as long as the office says: the serving process starts a
`Retention` thread that purges once at start and then every `PURGE_INTERVAL_SECONDS` (24 h). Several
workers or hosts purging the same database is harmless: a purge is one DELETE by day, idempotent.
0 keeps forever (no thread at all). The purge itself is bot/storage/log_reports.py's `purge`, also run
by hand with `python -m bot purge --older-than-days N`.
"""
from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from bot.storage.log_reports import purge

if TYPE_CHECKING:
    from bot.storage.question_log import QuestionLog

log = logging.getLogger(__name__)

PURGE_INTERVAL_SECONDS = 24 * 3600


class Retention:
    """A daemon thread purging `store` of rows older than `days` days, at start and every interval."""

    def __init__(self, store: QuestionLog, days: int, interval: float = PURGE_INTERVAL_SECONDS) -> None:
        self.store = store
        self.days = int(days)
        self.interval = interval
        self.purged = 0  # rows deleted by this thread so far
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Retention:
        """Start purging (nothing when days is 0: the log is kept forever)."""
        if self.days > 0 and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="zwgk-retention", daemon=True)
            self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval)

    def run_once(self) -> int:
        """One purge; a failing database is logged and tried again at the next interval."""
        try:
            deleted = purge(self.store, self.days)
        except Exception as exc:  # noqa: BLE001 - the thread must outlive a database outage
            log.warning("question log purge failed (tried again in %d s): %s", int(self.interval), exc)
            return 0
        self.purged += deleted
        self.runs += 1
        if deleted:
            log.info("question log: %d row(s) older than %d days purged", deleted, self.days)
        return deleted

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
            self._thread = None
