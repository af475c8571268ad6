"""A lock that holds across threads AND processes: the office's records are shared by every worker.

`serve --workers 2` runs two processes on the same `office.dir`; a threading lock in each let both read
plans.json, add their upload and write it back, so one upload vanished (issue 23). `FileLock(path)` takes
fcntl.flock on `path` (created beside the record it guards) and a threading.RLock, so one thread at a time
in one process at a time runs the read-modify-write; it is re-entrant within a thread (a locked method may
call another). Records are still replaced by write-temp-then-rename, so readers never need the lock.
The lock is released by the kernel if the process dies, so a kill -9 never leaves it held.
Hosts sharing `office.dir` over NFS get flock emulated by fcntl locks on Linux; with `web.database` on
PostgreSQL the records are in the database and bot/office/db_store.py's `DbLock` (an advisory lock) takes
this one's place.
"""
from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType


class FileLock:
    """`with lock:` — exclusive across threads and processes; re-entrant in the holding thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        self._thread_lock.acquire()
        if self._depth == 0:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o640)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
            except BaseException:
                self._thread_lock.release()
                raise
            self._fd = fd
        self._depth += 1
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
        self._thread_lock.release()
