"""Question-log rows that found the queue full, kept on disk until the database takes them.

When the database is locked, down or full, the writer (bot/storage/writer.py) cannot empty its queue;
rather than let the queue grow (memory, and rows lost on kill -9) or make answering wait, rows beyond
`MAX_PENDING` are appended here, one JSON line each, to `<folder>/question-log.<pid>.spill` (the var
folder: beside the SQLite file, or `office.dir`'s parent with PostgreSQL). Appends go straight to the
OS (one write per row, O_APPEND), so a kill -9 of the server loses none of them.

Replay: the writer thread, once a batch was written again, claims its own spill file by renaming it to
`….replay` (under its lock, so no append is in between) and writes it in batches; each batch's
transaction also records the byte offset reached (meta key `spill:<file id>`), so a crash during replay
resumes where the last commit ended: no row is written twice or lost. Files left by a process that no
longer runs (its pid is gone) are claimed by the next writer that starts.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "question-log."


@dataclass
class Chunk:
    """Rows read from a replay file: (table, row) pairs, the file's id and the offset after them."""

    rows: list[tuple[str, tuple[Any, ...]]]
    file_id: str
    end: int


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Spill:
    """This process's spill file in `folder` (not thread-safe: the writer calls it under its lock)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.pid = os.getpid()
        self.rows = 0  # appended by this process and not yet claimed for replay

    @property
    def path(self) -> Path:
        return self.folder / f"{PREFIX}{self.pid}.spill"

    def append(self, table: str, row: tuple[Any, ...]) -> None:
        """Write one row to disk now; OSError (a full disk) is the caller's to handle."""
        new = not self.path.exists()
        lines = ""
        if new:
            self.folder.mkdir(parents=True, exist_ok=True)
            lines = json.dumps({"spill": secrets.token_hex(8)}) + "\n"
        lines += json.dumps({"t": table, "r": list(row)}, ensure_ascii=False) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            data = lines.encode("utf-8")
            if os.write(fd, data) != len(data):
                raise OSError(28, "short write to the spill file")
        finally:
            os.close(fd)
        self.rows += 1

    def claim(self) -> None:
        """Move our spill file (and those of dead processes) aside for replay."""
        if self.path.exists():
            os.replace(self.path, self.folder / f"{PREFIX}{self.pid}.{secrets.token_hex(4)}.replay")
            self.rows = 0
        for other in self._orphans():
            try:
                os.replace(other, self.folder / f"{PREFIX}{self.pid}.{secrets.token_hex(4)}.replay")
            except OSError:
                continue

    def _orphans(self) -> list[Path]:
        """Spill files of processes that no longer run."""
        if not self.folder.is_dir():
            return []
        out = []
        for other in self.folder.glob(f"{PREFIX}*.spill"):
            pid = other.name[len(PREFIX):].split(".")[0]
            if pid.isdigit() and int(pid) != self.pid and not _alive(int(pid)):
                out.append(other)
        return out

    def replay_files(self) -> list[Path]:
        """Replay files this process owns, or that a dead process left half-replayed."""
        if not self.folder.is_dir():
            return []
        out = []
        for path in sorted(self.folder.glob(f"{PREFIX}*.replay")):
            pid = path.name[len(PREFIX):].split(".")[0]
            if pid.isdigit() and (int(pid) == self.pid or not _alive(int(pid))):
                out.append(path)
        return out

    def pending(self) -> bool:
        return self.rows > 0 or bool(self.replay_files()) or bool(self._orphans())

    @staticmethod
    def file_id(path: Path) -> str | None:
        """The id in a replay file's header (None: no header; the file is moved aside as .bad)."""
        with path.open("rb") as f:
            header = f.readline()
        try:
            return str(json.loads(header)["spill"])
        except (ValueError, KeyError, TypeError):
            log.error("spill file %s has no header; moved aside", path)
            os.replace(path, path.with_suffix(".bad"))
            return None

    @staticmethod
    def read(path: Path, file_id: str, start: int, limit: int) -> Chunk | None:
        """Up to `limit` rows of `path` from byte `start` (0: after the header); None when it is done.
        A last line without its newline was cut by a crash mid-append (never acknowledged): not read."""
        rows: list[tuple[str, tuple[Any, ...]]] = []
        with path.open("rb") as f:
            header = f.readline()
            f.seek(max(start, len(header)))
            end = f.tell()
            while len(rows) < limit:
                line = f.readline()
                if not line.endswith(b"\n"):
                    break
                end += len(line)
                try:
                    data = json.loads(line)
                    rows.append((str(data["t"]), tuple(data["r"])))
                except (ValueError, KeyError, TypeError):
                    log.error("unreadable row in spill file %s skipped", path)
        return Chunk(rows, file_id, end) if end > max(start, len(header)) else None
