"""The official answers on disk: one JSON file (`office.dir`/answers.json), written atomically.

Every process (web workers, staff bot) reads the same file and reloads it when its modification time
or size changes, so an answer written in /admin is used everywhere without a restart. Writes may come
from any worker: each is a read-modify-write under a lock held across threads and processes
(bot/office/locking.py `FileLock`, answers.json.lock), and the file is replaced with os.replace, so a
reader never sees half a file and 200 answers added at once by two workers are all kept. With
`web.database` on PostgreSQL the answers live in the database instead (bot/office/db_store.py
`DbAnswerStore`, chosen by bot/office/records.py), so hosts without a shared file system share them.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import threading
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.office.locking import FileLock

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 200
MAX_ANSWER_CHARS = 4000
MAX_VARIANTS = 30
MAX_FIELD_CHARS = 200
MAX_HISTORY = 50  # versions kept per answer
PENDING, PUBLISHED = "pending", "published"
EDITABLE = ("question", "variants", "answer", "region", "source", "expires")


class AnswerError(ValueError):
    """An official answer that cannot be stored; the message names the field."""


@dataclass
class AnswerRecord:
    """One 答复口径: the question, other ways of asking it, the answer, where it applies and its source."""

    id: str
    question: str
    answer: str
    variants: list[str] = field(default_factory=list)
    region: str | None = None
    source: str | None = None
    created: str = ""  # ISO date-time (UTC) the answer was written
    author: str = ""
    status: str = PUBLISHED  # pending: written by an editor, not served until a reviewer publishes it
    expires: str | None = None  # YYYY-MM-DD: the last day it is served (None: no end)
    version: int = 1
    updated: str = ""  # ISO date-time (UTC) of this version (created for the first one)
    history: list[dict] = field(default_factory=list)  # earlier versions, oldest first (without history)

    @property
    def date(self) -> str:
        return (self.updated or self.created)[:10]

    def served(self, today: str) -> bool:
        """Published and not past its expiry date (`today` is YYYY-MM-DD)."""
        return self.status == PUBLISHED and (not self.expires or self.expires >= today)

    def snapshot(self) -> dict:
        """This version as one row of the history (every field but the history itself)."""
        row = asdict(self)
        row.pop("history", None)
        return row


def _text(value: Any, name: str, limit: int, *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise AnswerError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise AnswerError(f"{name} must be a string")
    value = " ".join(value.split())
    if len(value) > limit:
        raise AnswerError(f"{name} is too long ({len(value)} characters; at most {limit})")
    return value


def _expiry(value: Any) -> str | None:
    """YYYY-MM-DD (a workbook's date cell too), None for no expiry; AnswerError for anything else."""
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise AnswerError(f"expires must be a date YYYY-MM-DD (got {text[:20]!r})")


def validated(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a new answer from a JSON object or form, cleaned; AnswerError names what is wrong."""
    variants = data.get("variants") or []
    if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
        raise AnswerError("variants must be a list of strings")
    cleaned = [v for v in (_text(v, "variant", MAX_QUESTION_CHARS, required=False) for v in variants) if v]
    if len(cleaned) > MAX_VARIANTS:
        raise AnswerError(f"too many variants ({len(cleaned)}; at most {MAX_VARIANTS})")
    answer = data.get("answer")
    if isinstance(answer, str):  # keep the author's paragraphs, trim each line
        answer = "\n".join(line.strip() for line in answer.strip().splitlines())
    if answer is not None and not isinstance(answer, str):
        raise AnswerError("answer must be a string")
    if not answer:
        raise AnswerError("answer is required")
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerError(f"answer is too long ({len(answer)} characters; at most {MAX_ANSWER_CHARS})")
    return {
        "expires": _expiry(data.get("expires")),
        "question": _text(data.get("question"), "question", MAX_QUESTION_CHARS, required=True),
        "variants": list(dict.fromkeys(cleaned)),
        "answer": answer,
        "region": _text(data.get("region"), "region", MAX_FIELD_CHARS, required=False),
        "source": _text(data.get("source"), "source", MAX_FIELD_CHARS, required=False),
    }


class AnswerStore:
    """The answers file: `all()` for readers (cheap stat, reload on change), `add`/`delete` for /admin."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()  # this process's copy of the records
        # the file, across workers (a database lock for DbAnswerStore, bot/office/db_store.py)
        self._file_lock: AbstractContextManager[Any] = FileLock(self.path.with_name(self.path.name + ".lock"))
        self._stamp: tuple[int, int] | None = None
        self._records: list[AnswerRecord] = []
        self.version = 0  # bumped on every reload; matchers rebuild their tables when it changes

    def all(self) -> list[AnswerRecord]:
        self._refresh()
        return list(self._records)

    def get(self, answer_id: str) -> AnswerRecord | None:
        return next((r for r in self.all() if r.id == answer_id), None)

    def add(self, fields: dict[str, Any], *, author: str, now: str, status: str = PUBLISHED) -> AnswerRecord:
        record = AnswerRecord(id=secrets.token_hex(6), created=now, author=author, status=status, updated=now,
                              **fields)
        with self._file_lock, self._lock:
            records = self._read()
            records.append(record)
            self._write(records)
        return record

    def update(self, answer_id: str, changes: dict[str, Any], *, author: str, now: str,
               status: str | None = None) -> AnswerRecord | None:
        """A new version of the answer with `changes` (any of EDITABLE); the old one goes to its history.
        AnswerError when the result is not a valid answer; None for an unknown id."""
        with self._file_lock, self._lock:
            records = self._read()
            old = next((r for r in records if r.id == answer_id), None)
            if old is None:
                return None
            merged = {k: getattr(old, k) for k in EDITABLE}
            merged.update({k: v for k, v in changes.items() if k in EDITABLE})
            fields = validated(merged)
            history = [*old.history, old.snapshot()][-MAX_HISTORY:]
            new = AnswerRecord(id=old.id, created=old.created, author=author, status=status or old.status,
                               version=old.version + 1, updated=now, history=history, **fields)
            self._write([new if r.id == answer_id else r for r in records])
        return new

    def set_status(self, answer_id: str, status: str, *, author: str, now: str) -> AnswerRecord | None:
        """Publish (or withdraw to pending) an answer as a new version; None for an unknown id."""
        return self.update(answer_id, {}, author=author, now=now, status=status)

    def delete(self, answer_id: str) -> bool:
        with self._file_lock, self._lock:
            records = self._read()
            kept = [r for r in records if r.id != answer_id]
            if len(kept) == len(records):
                return False
            self._write(kept)
            return True

    # -- file --------------------------------------------------------------------------------
    def _stat(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def _refresh(self) -> None:
        stamp = self._stat()
        if stamp == self._stamp:
            return
        with self._lock:
            self._records = self._read()
            self._stamp = stamp
            self.version += 1

    def _read(self) -> list[AnswerRecord]:
        if not self.path.is_file():
            return []
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
            return [AnswerRecord(**row) for row in rows.get("answers", [])]
        except (OSError, ValueError, TypeError) as exc:
            log.error("official answers file %s unreadable (%s); using none until it is fixed", self.path, exc)
            return []

    def _write(self, records: list[AnswerRecord]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({"answers": [asdict(r) for r in records]}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".answers-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(body)
            os.replace(tmp, self.path)
        except BaseException:  # a full disk: the old file stays whole, no temp file is left
            Path(tmp).unlink(missing_ok=True)
            raise
        self._records = records
        self._stamp = self._stat()
        self.version += 1
