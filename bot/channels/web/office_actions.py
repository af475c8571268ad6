"""What /admin does, once, for both its HTML pages (admin_pages.py) and its JSON API (admin_api.py).

Upload, publish and unpublish plans, write and delete official answers; every action is audited and
each change of knowledge drops the answer cache. Publishing builds a new engine (bot/office/publish.py)
and swaps it into the app with one reference assignment (`swap_engine`), so requests in flight finish on
the old engine and no request fails or waits.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

from bot.channels.web.admin_auth import Door, LoginThrottle
from bot.channels.web.knowledge_watch import KnowledgeWatch
from bot.index.store import IndexStore
from bot.office.audit import AuditLog, utc_now
from bot.office.catalog import DRAFT, PENDING, PUBLISHED, PlanCatalog, PlanRecord, new_upload_id
from bot.office.people import People
from bot.office.publish import Publisher
from bot.office.records import records_for
from bot.office.uploads import Parsed, UploadError, checked_name, discard, parse, receive
from bot.official import AnswerRecord, OfficialAnswers
from bot.official.store import validated
from indexer.parsed import ParsedCache
from indexer.sandbox import Limits
from indexer.settings import Settings


class ActionError(ValueError):
    """An admin action refused; `status` is the HTTP status, the message one line for the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Office:
    """Everything /admin needs, built once per app in create_app (app.extensions["office"])."""

    settings: Settings
    catalog: PlanCatalog
    publisher: Publisher
    audit: AuditLog
    official: OfficialAnswers
    door: Door
    throttle: LoginThrottle
    tz: ZoneInfo
    watch: KnowledgeWatch
    lock: threading.Lock = field(default_factory=threading.Lock)
    people: People = field(default_factory=People)  # attached to the project database in create_app

    @classmethod
    def build(cls, settings: Settings) -> Office:
        records = records_for(settings)  # files under office.dir, or PostgreSQL (bot/office/records.py)
        publisher = Publisher(settings, records.catalog)
        return cls(settings=settings, catalog=publisher.catalog, publisher=publisher,
                   audit=records.audit,
                   official=OfficialAnswers(records.answers),
                   door=Door.from_settings(settings),
                   throttle=LoginThrottle(settings.integer("web.admin_login_limit")),
                   tz=ZoneInfo(settings.text("web.timezone")),
                   watch=KnowledgeWatch(records.state, settings.path("knowledge.data_dir"),
                                        publisher.catalog.published_files, swap_engine,
                                        IndexStore.from_settings(settings).current_file))

    def build_engine(self) -> Any:
        """An engine over the plans published now (what the knowledge watch swaps in)."""
        return self.publisher.build()

    def local_time(self, iso_utc: str) -> str:
        """An ISO UTC time as 'YYYY-MM-DD HH:MM:SS' in web.timezone (unparseable text shown as it is)."""
        try:
            t = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            return iso_utc
        if t.tzinfo is None:
            t = t.replace(tzinfo=UTC)
        return t.astimezone(self.tz).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def parse_limits(self) -> Limits:
        """Time and memory for reading one upload (indexer/sandbox.py); the read limits are its defaults."""
        return Limits(seconds=self.settings.number("office.parse_seconds"),
                      memory_mb=self.settings.integer("office.parse_memory_mb"))

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.integer("office.max_upload_mb") * 2**20


def attach_official(engine: Any, official: OfficialAnswers) -> Any:
    """The engine with this app's official answers (a shallow copy: an engine shared by tests stays as it was)."""
    # test doubles without official answers (tests/fake_engine.py subclasses Engine but never sets .official)
    with_official = getattr(engine, "with_official", None) if hasattr(engine, "official") else None
    return with_official(official) if with_official is not None else engine


def swap_engine(app: Flask, engine: Any) -> None:
    """Serve `engine` from now on: one assignment, then forget cached answers (see AnswerCache.bump)."""
    app.extensions["engine"] = attach_official(engine, app.extensions["office"].official)
    app.extensions["zwgk"].answers.bump()


# -- plans ----------------------------------------------------------------------------------------

def upload_plan(office: Office, name: str | None, data: bytes, who: str, client: str) -> tuple[PlanRecord, Parsed]:
    """Check, store and parse an upload; it becomes a draft (not yet answered from)."""
    try:
        name = checked_name(name)
        if len(data) > office.max_upload_bytes:
            raise UploadError(413, f"the file is too large (at most {office.settings['office.max_upload_mb']} MB)")
        plan_id = new_upload_id()
        path = receive(office.catalog, plan_id, name, data, office.max_upload_bytes)
        try:
            parsed = parse(path, ParsedCache(office.settings.path("knowledge.parsed_dir")), office.parse_limits)
        except UploadError:
            discard(path.parent)
            raise
    except UploadError as exc:
        raise ActionError(exc.status, str(exc)) from None
    doc = parsed.document
    record = PlanRecord(id=plan_id, file=path.name, title=doc.title, region=doc.region, year=doc.year, status=DRAFT,
                        doc_number=doc.doc_number, entries=len(doc.entries), tasks=parsed.tasks,
                        warnings=parsed.warnings, original=name, uploaded=utc_now(), author=who)
    try:
        office.catalog.add_upload(record)
        office.audit.record(who, "plan.upload", f"{plan_id} {name} ({record.title or '无标题'})", client)
    except OSError as exc:  # a full disk: no record, no file, no audit line for an upload that is not there
        office.catalog.remove_upload(plan_id)
        discard(path.parent)
        raise ActionError(507, f"the upload could not be recorded ({exc.strerror or exc}); nothing was kept") from None
    return record, parsed


def preview(office: Office, record: PlanRecord) -> Parsed:
    """The plan parsed again from its file, for the preview page."""
    path = (office.settings.path("knowledge.plans_dir") / record.file if record.shipped
            else office.catalog.upload_path(record))
    try:
        return parse(path, ParsedCache(office.settings.path("knowledge.parsed_dir")), office.parse_limits)
    except UploadError as exc:
        raise ActionError(exc.status, str(exc)) from None


def set_plan_status(app: Flask, office: Office, plan_id: str, status: str, who: str, client: str,
                    replaces: str | None = None) -> PlanRecord:
    """Publish or unpublish, rebuild the engine and swap it in; on any failure the records are restored.

    `replaces` (publishing only) unpublishes that plan in the same switch: replacing a plan by a new
    version, or rolling back to an older one, never serves both or neither.
    """
    with office.lock, office.publisher.lock:  # one publication at a time, across workers too
        record = office.catalog.get(plan_id)
        old = office.catalog.get(replaces) if replaces else None
        if record is None or (replaces and old is None):
            raise ActionError(404, f"unknown plan: {plan_id if record is None else replaces}")
        if status == DRAFT and record.status == PUBLISHED and len(office.catalog.published_files()) <= 1:
            raise ActionError(409, "this is the only published plan; publish another one first")
        changes = [(plan_id, status, record.status)]
        if old is not None and status == PUBLISHED and old.id != plan_id:
            changes.append((old.id, DRAFT, old.status))
        action = "plan.publish" if status == PUBLISHED else "plan.unpublish"
        detail = f"{plan_id} {record.file}" + (f" (replaces {old.id} {old.file})" if len(changes) > 1 and old else "")
        # The intent is audited before anything changes: a publication killed half-way is still on record.
        office.audit.record(who, action, detail, client)
        for pid, new_status, _ in changes:
            office.catalog.set_status(pid, new_status)
        office.watch.mark_built()
        try:
            engine = office.publisher.build()
        except Exception as exc:
            for pid, _, before in changes:
                office.catalog.set_status(pid, before)
            office.watch.mark_built()
            office.audit.record(who, action + ".failed", f"{detail}: {exc}", client)
            raise ActionError(500, f"could not build the index for the new plan set ({exc})") from exc
        swap_engine(app, engine)
    record.status = status
    return record


def submit_plan(office: Office, plan_id: str, who: str, client: str) -> PlanRecord:
    """An editor's draft goes to review (pending): still not answered from until a reviewer publishes it."""
    with office.catalog.locked():
        record = office.catalog.get(plan_id)
        if record is None:
            raise ActionError(404, f"unknown plan: {plan_id}")
        if record.shipped or record.status != DRAFT:
            raise ActionError(409, f"only an uploaded draft can be submitted (this plan is {record.status})")
        office.catalog.set_status(plan_id, PENDING)
        office.audit.record(who, "plan.submit", f"{plan_id} {record.file}", client)
    record.status = PENDING
    return record


def plan_history(office: Office, record: PlanRecord) -> list:
    """Audit events about this plan, newest first (its upload, publications, replacements)."""
    return [e for e in office.audit.recent(2000) if e.detail.startswith(record.id) or f"replaces {record.id}" in e.detail]


def versions(office: Office, record: PlanRecord) -> list[PlanRecord]:
    """Other plans of the same region: what this one can replace, or roll back to."""
    return [p for p in office.catalog.all() if p.id != record.id and p.region and p.region == record.region]


def delete_draft(office: Office, plan_id: str, who: str, client: str) -> PlanRecord:
    with office.catalog.locked():  # not published by another worker between the check and the removal
        record = office.catalog.get(plan_id)
        if record is None or record.shipped:
            raise ActionError(404, f"unknown uploaded plan: {plan_id}")
        if record.status == PUBLISHED:
            raise ActionError(409, "unpublish the plan before deleting it")
        office.audit.record(who, "plan.delete", f"{plan_id} {record.file}", client)
        office.catalog.remove_upload(plan_id)  # the record, then its folder and file
    return record


# -- official answers -----------------------------------------------------------------------------

def add_answer(app: Flask, office: Office, data: dict[str, Any], who: str, client: str,
               status: str = "published") -> AnswerRecord:
    """A new answer: served at once when `status` is published, else waiting for a reviewer (pending)."""
    try:
        fields = validated(data)
    except ValueError as exc:
        raise ActionError(400, str(exc)) from None
    try:
        record = office.official.store.add(fields, author=who, now=utc_now(), status=status)
    except OSError as exc:  # a full disk: the answers file is unchanged
        raise ActionError(507, f"the answer could not be saved ({exc.strerror or exc}); try again") from None
    app.extensions["zwgk"].answers.bump()
    office.audit.record(who, "answer.add", f"{record.id} {record.question}", client)
    return record


def delete_answer(app: Flask, office: Office, answer_id: str, who: str, client: str) -> None:
    if not office.official.store.delete(answer_id):
        raise ActionError(404, f"unknown answer: {answer_id}")
    app.extensions["zwgk"].answers.bump()
    office.audit.record(who, "answer.delete", answer_id, client)
