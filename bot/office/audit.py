"""The admin audit log: one JSON line per admin action (who, when, what), in `office.dir`/audit.jsonl.

`who` is the person signed in (bot/office/people.py), "admin" for the break-glass password, "token"
for the break-glass `web.admin_token`.

Lines are appended with O_APPEND in one write, so concurrent workers never interleave a line. Times
are stored in UTC and shown in the configured timezone (web.timezone) by the admin page. With
`web.database` on PostgreSQL the events are rows of the database instead (bot/office/db_store.py
`DbAuditLog`), one list for every host.
"""
from __future__ import annotations

import json
import os
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class AuditEvent:
    ts: str  # ISO UTC
    who: str
    action: str
    detail: str
    client: str

    def public(self) -> dict:
        """The event as /admin/api/audit lists it: who (the person's name), what, on what, when (UTC)."""
        return {"user": self.who, "action": self.action, "target": self.detail, "at": self.ts}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class AuditLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(self, who: str, action: str, detail: str = "", client: str = "") -> AuditEvent:
        event = AuditEvent(ts=utc_now(), who=who, action=action, detail=detail[:500], client=client)
        line = json.dumps(event.__dict__, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
        return event

    def recent(self, n: int = 50) -> list[AuditEvent]:
        """The last `n` events, newest first (unreadable lines skipped)."""
        if not self.path.is_file():
            return []
        tail: deque[str] = deque(maxlen=n)
        with self.path.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                tail.append(line)
        out = []
        for line in reversed(tail):
            try:
                out.append(AuditEvent(**json.loads(line)))
            except (ValueError, TypeError):
                continue
        return out
