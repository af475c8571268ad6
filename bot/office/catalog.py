"""Every plan the office has: the shipped ones (knowledge.plans_dir) and the uploaded ones, with status.

The record is `office.dir`/plans.json: uploads (stored under uploads/<id>/, metadata from the indexer,
status draft, pending or published) and the names of shipped plans that were unpublished (the file itself is
never touched). Plan ids are URL-safe: "s-<hash of the file name>" for shipped plans, "u-<random>" for
uploads. Every change is a read-modify-write under `FileLock` (bot/office/locking.py: across threads and
worker processes) and replaces the file atomically (temp file, then rename), so readers need no lock and
concurrent uploads never lose each other's record. With `web.database` on PostgreSQL the same record
lives in the database instead (bot/office/db_store.py `DbPlanCatalog`, chosen by bot/office/records.py).
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
import shutil
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.office.locking import FileLock
from indexer.settings import ConfigError
from indexer.store import load_knowledge, plan_files, write_atomic

log = logging.getLogger(__name__)

DRAFT = "draft"
PENDING = "pending"  # submitted by an editor, waiting for a reviewer; not answered from
PUBLISHED = "published"


@dataclass
class PlanRecord:
    """One plan as /admin lists it (the contract's fields first)."""

    id: str
    file: str
    title: str | None
    region: str | None
    year: int | None
    status: str
    doc_number: str | None = None
    entries: int = 0
    tasks: int = 0
    warnings: list[str] = field(default_factory=list)
    shipped: bool = False
    original: str = ""  # the name as uploaded
    uploaded: str = ""  # ISO UTC
    author: str = ""
    sha256: str = ""  # of the file's bytes: where the database store keeps them (bot/office/db_store.py)

    def public(self) -> dict:
        return {"id": self.id, "file": self.file, "title": self.title, "region": self.region,
                "year": self.year, "status": self.status}


class CatalogError(ConfigError):
    """The plan record cannot be read: `bot serve` stops with this one line rather than guess what is published."""


def shipped_id(file_name: str) -> str:
    return "s-" + hashlib.sha256(file_name.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def new_upload_id() -> str:
    return "u-" + secrets.token_hex(6)


class PlanCatalog:
    def __init__(self, office_dir: Path, plans_dir: Path, knowledge_cache: Path | None) -> None:
        self.dir = Path(office_dir)
        self.plans_dir = Path(plans_dir)
        self.knowledge_cache = knowledge_cache
        self.record_path = self.dir / "plans.json"
        self.uploads_dir = self.dir / "uploads"
        self._lock: AbstractContextManager[Any] = FileLock(self.dir / "plans.json.lock")

    def locked(self) -> AbstractContextManager[Any]:
        """The record's lock (re-entrant): hold it to decide something from the record and act on it."""
        return self._lock

    # -- record ------------------------------------------------------------------------------
    def _read(self) -> dict:
        if not self.record_path.is_file():
            return {"uploads": [], "unpublished": []}
        try:
            data = json.loads(self.record_path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise CatalogError(f"plan record {self.record_path} is unreadable ({exc}); restore it from a backup, "
                               "or remove it to serve the shipped plans only") from None
        data.setdefault("uploads", [])
        data.setdefault("unpublished", [])
        return data

    def _write(self, data: dict) -> None:
        write_atomic(self.record_path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    # -- reading -----------------------------------------------------------------------------
    def shipped(self) -> list[PlanRecord]:
        """The shipped plans with metadata from the knowledge cache (parsed once, shared with the index)."""
        kb, _ = load_knowledge(self.plans_dir, self.knowledge_cache)
        unpublished = set(self._read()["unpublished"])
        out = []
        for d in kb.documents:
            name = Path(d.file).name
            tasks = sum(1 for e in d.entries if e.kind == "task")
            out.append(PlanRecord(id=shipped_id(name), file=name, title=d.title, region=d.region, year=d.year,
                                  status=DRAFT if name in unpublished else PUBLISHED, doc_number=d.doc_number,
                                  entries=len(d.entries), tasks=tasks, shipped=True))
        return out

    def uploads(self) -> list[PlanRecord]:
        return [PlanRecord(**row) for row in self._read()["uploads"]]

    def all(self) -> list[PlanRecord]:
        return self.shipped() + self.uploads()

    def get(self, plan_id: str) -> PlanRecord | None:
        return next((p for p in self.all() if p.id == plan_id), None)

    def upload_path(self, record: PlanRecord) -> Path:
        return self.uploads_dir / record.id / record.file

    def published_files(self) -> list[Path]:
        """The files an engine must be built from: shipped minus unpublished, plus published uploads."""
        unpublished = set(self._read()["unpublished"])
        files = [p for p in plan_files(self.plans_dir) if p.name not in unpublished and p.is_file()]
        files += [self.upload_path(r) for r in self.uploads() if r.status == PUBLISHED]
        return files

    def is_shipped_set(self) -> bool:
        data = self._read()
        return not data["unpublished"] and not any(u["status"] == PUBLISHED for u in data["uploads"])

    def taken_stems(self) -> set[str]:
        """Stems of every plan's file and of every file in the uploads folder (an upload still being read
        has no record yet, but its name is taken: two uploads of one name must not share it)."""
        return {Path(p.file).stem for p in self.all()} | self._stored_stems()

    def _stored_stems(self) -> set[str]:
        """Stems of the files in uploads/*/ (a failed upload's folder may vanish while we look)."""
        stems: set[str] = set()
        if not self.uploads_dir.is_dir():
            return stems
        for folder in self.uploads_dir.iterdir():
            try:
                stems.update(f.stem for f in folder.iterdir())
            except (FileNotFoundError, NotADirectoryError):
                continue
        return stems

    # -- changes -----------------------------------------------------------------------------
    def add_upload(self, record: PlanRecord) -> None:
        with self._lock:
            data = self._read()
            data["uploads"].append(asdict(record))
            self._write(data)

    def set_status(self, plan_id: str, status: str) -> PlanRecord | None:
        """Publish or unpublish; returns the record as it was before (None: unknown id)."""
        with self._lock:
            data = self._read()
            for row in data["uploads"]:
                if row["id"] == plan_id:
                    before = PlanRecord(**row)
                    row["status"] = status
                    self._write(data)
                    return before
            for rec in self.shipped():
                if rec.id == plan_id:
                    names = [n for n in data["unpublished"] if n != rec.file]
                    if status == DRAFT:
                        names.append(rec.file)
                    data["unpublished"] = names
                    self._write(data)
                    return rec
            return None

    def remove_upload(self, plan_id: str) -> PlanRecord | None:
        with self._lock:
            data = self._read()
            kept = [row for row in data["uploads"] if row["id"] != plan_id]
            if len(kept) == len(data["uploads"]):
                return None
            gone = next(PlanRecord(**row) for row in data["uploads"] if row["id"] == plan_id)
            data["uploads"] = kept
            self._write(data)
            shutil.rmtree(self.uploads_dir / gone.id, ignore_errors=True)  # a published set keeps its own link
            return gone
