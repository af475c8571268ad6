"""What /admin does with official answers beyond writing and deleting one (office_actions.py): review,
edit with history, bulk import from the office's workbook.

Why: offices work as 编辑 → 审核 → 发布, so an editor's answer waits (pending, not served) until a
reviewer publishes it, while a reviewer's or an admin's is served at once as before. An edit makes a new
version served at once and keeps the old one in the answer's history. Every action is audited under
the person's name and drops the answer cache. Both the JSON API (admin_api.py) and the pages
(admin_pages.py) call these.
"""
from __future__ import annotations

from typing import Any

from flask import Flask

from bot.channels.web.office_actions import ActionError, Office
from bot.office.audit import utc_now
from bot.office.people import may
from bot.official import AnswerRecord
from bot.official.store import PENDING, PUBLISHED, AnswerError
from bot.official.workbook import WorkbookError, read


def status_for(role: str) -> str:
    """A new answer is served at once when its author may approve answers, else it waits for review."""
    return PUBLISHED if may(role, "approve") else PENDING


def _saved(app: Flask, office: Office, who: str, action: str, record: AnswerRecord, client: str) -> AnswerRecord:
    app.extensions["zwgk"].answers.bump()
    office.audit.record(who, action, f"{record.id} {record.question}", client)
    return record


def update_answer(app: Flask, office: Office, answer_id: str, changes: dict[str, Any], who: str, role: str,
                  client: str) -> AnswerRecord:
    """A new version with `changes`; an editor may only change answers still waiting for review."""
    record = office.official.store.get(answer_id)
    if record is None:
        raise ActionError(404, f"unknown answer: {answer_id}")
    if record.status == PUBLISHED and not may(role, "approve"):
        raise ActionError(403, f"{who} ({role}) may not change a published answer: ask a reviewer")
    try:
        new = office.official.store.update(answer_id, changes, author=who, now=utc_now())
    except AnswerError as exc:
        raise ActionError(400, str(exc)) from None
    except OSError as exc:
        raise ActionError(507, f"the answer could not be saved ({exc.strerror or exc}); try again") from None
    if new is None:
        raise ActionError(404, f"unknown answer: {answer_id}")
    return _saved(app, office, who, "answer.edit", new, client)


def publish_answer(app: Flask, office: Office, answer_id: str, who: str, client: str) -> AnswerRecord:
    record = office.official.store.set_status(answer_id, PUBLISHED, author=who, now=utc_now())
    if record is None:
        raise ActionError(404, f"unknown answer: {answer_id}")
    return _saved(app, office, who, "answer.publish", record, client)


def history(office: Office, answer_id: str) -> list[dict[str, Any]]:
    """Every version of an answer, oldest first, the current one last."""
    record = office.official.store.get(answer_id)
    if record is None:
        raise ActionError(404, f"unknown answer: {answer_id}")
    return [*record.history, record.snapshot()]


def import_answers(app: Flask, office: Office, data: bytes, who: str, role: str,
                   client: str) -> tuple[int, list[dict[str, Any]]]:
    """Add every usable row of a workbook (pending for an editor); returns (created, errors by row)."""
    try:
        rows = read(data)
    except WorkbookError as exc:
        raise ActionError(400, str(exc)) from None
    status, now = status_for(role), utc_now()
    created = 0
    for row in rows.answers:
        fields = {k: v for k, v in row.items() if k != "row"}
        try:
            office.official.store.add(fields, author=who, now=now, status=status)
        except OSError as exc:
            rows.errors.append({"row": row["row"], "error": f"not saved ({exc.strerror or exc})"})
            continue
        created += 1
    app.extensions["zwgk"].answers.bump()
    office.audit.record(who, "answer.import", f"{created} added, {len(rows.errors)} rows refused", client)
    return created, rows.errors
