"""The question log's writer thread: queued rows written in batches, and a writer that cannot die.

bot/storage/question_log.py queues each logged question (and feedback vote) here and returns at once; one thread per
process writes them. Each batch is one transaction. On an error the transaction is rolled back and:
- a transient error (the database locked longer than busy_timeout, a lost PostgreSQL connection) is
  retried with backoff for as long as it lasts, so lock contention never drops rows;
- any other error is retried `BATCH_ATTEMPTS` times, then the batch is written row by row, so one bad
  row is dropped (and counted) while every other row of the batch is kept.
Every exception is caught, so the thread never dies; `health()` (shown in /healthz) reports it.

Batches: a row waits up to `LINGER_SECONDS` for others before its batch is written, so a busy server
writes one transaction per tenth of a second rather than one per question, and its answering threads
are not interrupted by the writer (and the GIL handed over) on every row. A feedback vote (whose
sender waits for its row id), `flush` (reports read after it) and `close` write at once.

Crash bound: rows not yet committed are the queue plus the batch being written. The queue never holds
more than `MAX_PENDING` rows: while the database is slow, locked, down or full, `submit` appends each
further row to a spill file on disk (bot/storage/spill.py) instead of waiting or growing, and the writer
replays the file once writes succeed again. A batch is at most `MAX_BATCH` rows, so kill -9 loses at
most MAX_PENDING + MAX_BATCH rows (512), in practice those answered in the last `LINGER_SECONDS`.
Only if the spill file cannot be written either (the disk is full) are rows held in memory beyond the
queue, up to `MAX_OVERFLOW`, then dropped and counted. Errors that say the disk is full are transient:
rows wait for space, they are never dropped for it. docs/guarantees.md states all of this.

The thread starts lazily on the first row, in the process that queues it: a writer created before
fork() (gunicorn --preload) starts afresh in each worker.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.storage.spill import Spill

log = logging.getLogger(__name__)

MAX_BATCH = 256
MAX_PENDING = 256
MAX_OVERFLOW = 10_000  # rows held in memory past MAX_PENDING only when the spill file cannot be written
REPLAY_IDLE_SECONDS = 1.0  # how often an idle writer looks at rows spilled to disk
LINGER_SECONDS = 0.1  # a row waits at most this long for others to share its transaction
BATCH_ATTEMPTS = 3
ROW_ATTEMPTS = 2
BACKOFF_START = 0.05
BACKOFF_MAX = 1.0


@dataclass
class Item:
    """One row to write: `table` names the insert; `done` is set once it is written or dropped."""

    table: str
    row: tuple[Any, ...]
    done: threading.Event | None = None
    result: Any = None
    ok: bool = False


@dataclass
class Health:
    written: int = 0
    dropped: int = 0
    retries: int = 0
    last_error: str | None = None
    last_error_at: str | None = None
    retrying: bool = False
    spilled: int = 0  # rows this process wrote to its spill file
    replayed: int = 0  # spilled rows written to the database since


WriteBatch = Callable[[Sequence[Item]], None]
META = "meta"  # an Item of this table records (key, value) in the batch's transaction (spill progress)


class LogWriter:
    """Queue + thread: `submit(item)`, `flush(timeout)`, `close(timeout)`, `health()`.

    `write(items)` must write all items in one transaction (setting `item.result` if wanted) and
    raise on failure after rolling back; `is_transient(exc)` says whether to retry unchanged.
    """

    def __init__(self, write: WriteBatch, is_transient: Callable[[BaseException], bool], *,
                 name: str = "question-log-writer", max_batch: int = MAX_BATCH, max_pending: int = MAX_PENDING,
                 linger: float = LINGER_SECONDS, spill_dir: Any = None,
                 progress: Callable[[str], int] | None = None) -> None:
        self._write = write
        self._spill_dir = spill_dir
        self._progress = progress or (lambda _file_id: 0)
        self._is_transient = is_transient
        self._name = name
        self.max_batch = max_batch
        self.max_pending = max_pending
        self.linger = linger
        self._reset()

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._cond = threading.Condition()
        self._pending: list[Item] = []
        self._writing = 0
        self._flushing = 0  # callers waiting in flush(): no lingering meanwhile
        self._closing = False
        self._deadline: float | None = None
        self._thread: threading.Thread | None = None
        self._health = Health()
        self._spill = Spill(self._spill_dir) if self._spill_dir is not None else None

    # -- producer side ---------------------------------------------------------------------------

    def submit(self, item: Item) -> bool:
        """Queue one row (starting the thread if this process has none); never waits. With the queue full
        the row goes to the spill file. False only when it could be kept nowhere (dropped, counted)."""
        if os.getpid() != self._pid:  # forked: the parent's queue and thread are not ours
            self._reset()
        with self._cond:
            if self._closing:
                raise RuntimeError("the question log is closed")
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            if len(self._pending) >= self.max_pending:
                if self._spill_locked(item):
                    return True
                if len(self._pending) >= self.max_pending + MAX_OVERFLOW:
                    self._health.dropped += 1
                    log.error("question log: row dropped (queue, spill file and overflow all full)")
                    if item.done is not None:
                        item.done.set()
                    return False
            self._pending.append(item)
            # Wake the writer for the first row of a batch, a full batch or a row someone waits for;
            # rows joining a lingering batch wake nobody.
            if len(self._pending) == 1 or len(self._pending) >= self.max_batch or item.done is not None:
                self._cond.notify_all()
            return True

    def _spill_locked(self, item: Item) -> bool:
        """Append a row to the spill file (caller holds the lock); False if there is none or it fails."""
        if self._spill is None:
            return False
        try:
            self._spill.append(item.table, item.row)
        except OSError as exc:
            self._health.last_error = f"spill file: {exc}"[:300]
            return False
        self._health.spilled += 1
        if item.done is not None:  # a vote: written later, from the spill file
            item.done.set()
        return True

    def replay_left_rows(self) -> None:
        """Start the thread now if a spill file waits (a previous process died with rows on disk)."""
        with self._cond:
            if self._thread is None and self._spill is not None and self._spill.pending():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until everything queued so far is written (or dropped); False on timeout."""
        with self._cond:
            if self._thread is None or os.getpid() != self._pid:
                return not self._pending
            self._flushing += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: not self._pending and not self._writing, timeout)
            finally:
                self._flushing -= 1

    def close(self, timeout: float = 10.0) -> int:
        """Write what is queued (giving up on a locked database after `timeout` s), stop the thread.

        Returns how many rows could not be written in time (0 normally)."""
        with self._cond:
            self._closing = True
            self._deadline = time.monotonic() + timeout
            self._cond.notify_all()
            thread = self._thread if os.getpid() == self._pid else None
        if thread is not None:
            thread.join(timeout + 1.0)
        with self._cond:
            if not self._writing:  # rows the database would not take in time wait on disk instead
                self._pending = [item for item in self._pending if not self._spill_locked(item)]
            left = len(self._pending) + self._writing
            if left:
                log.error("question log closed with %d row(s) unwritten", left)
            return left

    # -- health ----------------------------------------------------------------------------------

    @property
    def retrying(self) -> bool:
        """The last write failed and is being retried (the database is locked, down or full)."""
        return self._health.retrying

    def health(self) -> dict[str, Any]:
        with self._cond:
            h = self._health
            running = self._thread is not None and self._thread.is_alive()
            on_disk = self._spill is not None and self._spill.pending()
            status = "retrying" if h.retrying else ("ok" if running or self._thread is None else "stopped")
            if status == "ok" and (on_disk or len(self._pending) > self.max_pending):
                status = "degraded"  # writes work again, but rows still wait on disk or in memory
            if self._closing and not running:
                status = "closed"
            return {"status": status, "pending": len(self._pending) + self._writing, "queued": len(self._pending),
                    "written": h.written,
                    "dropped": h.dropped, "retries": h.retries, "spilled": h.spilled, "replayed": h.replayed,
                    "on_disk": on_disk, "last_error": h.last_error, "last_error_at": h.last_error_at}

    # -- writer thread ---------------------------------------------------------------------------

    def _run(self) -> None:
        replay = self._spill is not None  # rows a previous process left on disk are looked for at start
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._closing,
                                    REPLAY_IDLE_SECONDS if replay else None)
                if not self._pending and self._closing:
                    return
                replay = replay or (self._spill is not None and self._spill.rows > 0)
                if not self._pending:
                    batch: list[Item] = []
                else:
                    if self.linger > 0:
                        self._cond.wait_for(self._write_now, self.linger)
                    batch, self._pending = self._pending[:self.max_batch], self._pending[self.max_batch:]
                    self._writing = len(batch)
                    self._cond.notify_all()
            if not batch:
                replay = self._replay_some()
                continue
            try:
                self._write_batch(batch)
            except BaseException as exc:  # never let the thread die (should not happen: see _attempt)
                log.exception("question log writer: unexpected error")
                self._note_error(exc)
            finally:
                for item in batch:
                    if item.done is not None:
                        item.done.set()
                with self._cond:
                    self._writing = 0
                    self._cond.notify_all()
            if replay and len(self._pending) < self.max_pending // 2 and not self._health.retrying:
                replay = self._replay_some()  # under steady load the queue is never empty: replay between batches

    def _replay_some(self) -> bool:
        """Write one batch of spilled rows (with the offset reached, in the same transaction); True while
        rows remain on disk. Called by the writer thread only, never while the database is failing."""
        assert self._spill is not None
        with self._cond:
            if self._health.retrying:
                return True
            try:
                self._spill.claim()  # under the lock: no row is appended to the file being renamed
            except OSError as exc:
                self._health.last_error = f"spill file: {exc}"[:300]
                return True
        for path in self._spill.replay_files():
            try:
                file_id = self._spill.file_id(path)
                if file_id is None:
                    continue
                chunk = self._spill.read(path, file_id, self._progress(file_id), self.max_batch)
            except Exception as exc:  # the database (progress) or the file: try again later
                self._note_error(exc)
                return True
            if chunk is None:
                path.unlink(missing_ok=True)
                continue
            items = [Item(table, row) for table, row in chunk.rows] + [Item(META, (f"spill:{file_id}", str(chunk.end)))]
            if self._attempt(items, BATCH_ATTEMPTS):
                with self._cond:
                    self._health.replayed += len(chunk.rows)
            else:  # a row the database refuses: keep the file for a person to look at, never loop on it
                log.error("question log: spill file %s could not be replayed; moved aside as .bad", path)
                path.replace(path.with_suffix(".bad"))
            return True
        return False

    def _write_now(self) -> bool:
        """No (more) lingering: closing, flushing, a full batch, or a row whose sender waits for it."""
        return (self._closing or self._flushing > 0 or len(self._pending) >= self.max_batch
                or any(item.done is not None for item in self._pending))

    def _write_batch(self, batch: list[Item]) -> None:
        if self._attempt(batch, BATCH_ATTEMPTS):
            return
        if len(batch) > 1:
            log.warning("question log: writing a failed batch of %d row by row", len(batch))
        for item in batch:
            if not self._attempt([item], ROW_ATTEMPTS):
                with self._cond:
                    self._health.dropped += 1
                log.error("question log: dropped one %s row that cannot be written: %s", item.table,
                          self._health.last_error)

    def _attempt(self, items: list[Item], attempts: int) -> bool:
        """Write `items` in one transaction; transient errors retry until closing times out."""
        delay = BACKOFF_START
        failures = 0
        while True:
            try:
                self._write(items)
            except Exception as exc:
                self._note_error(exc)
                transient = self._is_transient(exc)
                if not transient:
                    failures += 1
                if failures >= attempts or self._past_deadline():
                    self._set_retrying(False)
                    return False
                self._set_retrying(True)
                time.sleep(delay)
                delay = min(BACKOFF_MAX, delay * 2)
                continue
            for item in items:
                item.ok = True
            with self._cond:
                self._health.written += sum(1 for item in items if item.table != META)
                self._health.retrying = False
            return True

    def _past_deadline(self) -> bool:
        with self._cond:
            return self._deadline is not None and time.monotonic() >= self._deadline

    def _set_retrying(self, value: bool) -> None:
        with self._cond:
            if value:
                self._health.retries += 1
            self._health.retrying = value

    def _note_error(self, exc: BaseException) -> None:
        text = f"{type(exc).__name__}: {exc}"[:300]
        log.warning("question log write failed: %s", text)
        with self._cond:
            self._health.last_error = text
            self._health.last_error_at = datetime.now(UTC).isoformat(timespec="seconds")
