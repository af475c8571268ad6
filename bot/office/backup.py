"""One-file backups of what an office cannot rebuild: the question log, `office.dir` and the curated data.

`python -m bot backup FILE` (bot/cli_ops.py) writes a .tar.gz holding
  manifest.json      what is inside, when, from which version
  log/zwgk.sqlite3   the question log (and everything else in the SQLite database: people, sessions),
                     a consistent copy made with sqlite3's online backup API while the server runs
  log/POSTGRESQL.txt instead, with PostgreSQL: the database is backed up with pg_dump (the note says how)
  office/            `office.dir`: uploads, plans.json, official answers, the audit log and the published
                     plan sets under office/sets (their index caches left out: rebuilt on load)
  data/              `knowledge.data_dir`: the curated aliases, synonyms, glossary, featured questions
`python -m bot restore FILE` brings them back into an empty installation (no logged question, an empty
`office.dir`), or over a used one with `force`. Archives are read with tarfile's "data" filter, so a
crafted member can never write outside the three target folders.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.storage import database_target, is_postgres_url
from indexer.settings import Settings

FORMAT = 1
LOG_NAME = "zwgk.sqlite3"
PG_NOTE = "POSTGRESQL.txt"
SKIPPED = (".lock", ".tmp")  # lock files and half-built sets are never worth restoring


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says what to do instead."""


@dataclass
class Report:
    """What a backup or restore covered, for the CLI's line and its --json."""

    file: str
    log: str  # "sqlite", "postgresql" (a note: pg_dump) or "none"
    office_files: int = 0
    data_files: int = 0
    notes: list[str] = field(default_factory=list)


def _pg_note(url: str) -> str:
    from bot.storage.postgres import redact

    return (f"The question log is in PostgreSQL ({redact(url)}): back it up with the database's own tools,\n"
            "  pg_dump --format=custom --file=zwgk.pgdump 'postgresql://…'\n"
            "and restore it with pg_restore --dbname='postgresql://…' zwgk.pgdump before `bot restore`.\n")


def _keep(path: Path, root: Path) -> bool:
    rel = path.relative_to(root).parts
    if any(part.endswith(SKIPPED) for part in rel):
        return False
    return not (len(rel) >= 3 and rel[0] == "sets" and rel[2] == "index")  # a set's index cache


def _add_tree(tar: tarfile.TarFile, folder: Path, arcname: str) -> int:
    count = 0
    if not folder.is_dir():
        return 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and _keep(path, folder):
            tar.add(path, f"{arcname}/{path.relative_to(folder).as_posix()}", recursive=False)
            count += 1
    return count


def backup(settings: Settings, file: Path) -> Report:
    """Write the archive to `file` (written beside it first, then renamed: never half a backup)."""
    target = database_target(settings)
    report = Report(str(file), "postgresql" if is_postgres_url(target) else "sqlite")
    file.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="zwgk-backup-") as tmp:
        log_copy = Path(tmp) / LOG_NAME
        if isinstance(target, str):
            log_copy = Path(tmp) / PG_NOTE
            log_copy.write_text(_pg_note(target), encoding="utf-8")
            report.notes.append("PostgreSQL: back the database up with pg_dump (see log/POSTGRESQL.txt)")
        elif Path(target).is_file():
            _sqlite_copy(Path(target), log_copy)
        else:
            report.log = "none"
        partial = file.with_name(file.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            manifest = {"format": FORMAT, "created": datetime.now(UTC).isoformat(timespec="seconds"),
                        "log": report.log, "version": _version()}
            _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
            if report.log != "none":
                tar.add(log_copy, f"log/{log_copy.name}")
            report.office_files = _add_tree(tar, settings.path("office.dir"), "office")
            report.data_files = _add_tree(tar, settings.path("knowledge.data_dir"), "data")
        partial.replace(file)
    return report


def _sqlite_copy(source: Path, dest: Path) -> None:
    """A consistent snapshot of a live SQLite database (online backup API: writers may continue)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("zwgk-qa")
    except PackageNotFoundError:
        return "unknown"


def in_use(settings: Settings) -> list[str]:
    """Why this installation is not empty (restore would overwrite it): logged rows, files in office.dir."""
    reasons = []
    office = settings.path("office.dir")
    if office.is_dir() and any(p.is_file() and not p.name.endswith(SKIPPED) for p in office.rglob("*")):
        reasons.append(f"{office} holds files")
    target = database_target(settings)
    if not isinstance(target, str) and Path(target).is_file():
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            has = conn.execute("SELECT name FROM sqlite_master WHERE name = 'questions'").fetchone()
            rows = conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0] if has else 0
        finally:
            conn.close()
        if rows:
            reasons.append(f"the question log {target} holds {rows} question(s)")
    return reasons


def restore(settings: Settings, file: Path, *, force: bool = False) -> Report:
    """Unpack `file` into this installation's database, office.dir and data folder."""
    if not file.is_file():
        raise BackupError(f"{file} does not exist")
    busy = in_use(settings)
    if busy and not force:
        raise BackupError("this installation is not empty (" + "; ".join(busy) + "): restore into a fresh one, "
                          "or add --force to replace what is there")
    with tempfile.TemporaryDirectory(prefix="zwgk-restore-") as tmp:
        root = Path(tmp)
        try:
            with tarfile.open(file, "r:gz") as tar:
                tar.extractall(root, filter="data")
            manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{file} is not a backup made by `bot backup` ({exc})") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{file} has backup format {manifest.get('format')!r}; this version reads {FORMAT}")
        report = Report(str(file), str(manifest.get("log", "none")))
        _restore_log(settings, root / "log", report)
        report.office_files = _replace_tree(root / "office", settings.path("office.dir"))
        report.data_files = _replace_tree(root / "data", settings.path("knowledge.data_dir"), keep_others=True)
    return report


def _restore_log(settings: Settings, folder: Path, report: Report) -> None:
    target = database_target(settings)
    saved = folder / LOG_NAME
    if (folder / PG_NOTE).is_file():
        report.notes.append("the question log was in PostgreSQL: restore it with pg_restore (see the note)")
        return
    if not saved.is_file():
        return
    if isinstance(target, str):
        raise BackupError("the backup holds a SQLite question log but web.database is PostgreSQL: restore with "
                          "a SQLite web.database, or copy the rows across yourself")
    dest = Path(target)
    dest.parent.mkdir(parents=True, exist_ok=True)
    for extra in (dest.with_name(dest.name + "-wal"), dest.with_name(dest.name + "-shm")):
        extra.unlink(missing_ok=True)  # a stale WAL would be replayed over the restored file
    tmp = dest.with_name(dest.name + ".restoring")
    shutil.copyfile(saved, tmp)
    tmp.replace(dest)


def _replace_tree(source: Path, dest: Path, *, keep_others: bool = False) -> int:
    """Copy `source` over `dest`; without `keep_others` dest is emptied first (office.dir is all ours)."""
    if not source.is_dir():
        return 0
    if dest.is_dir() and not keep_others:
        shutil.rmtree(dest)
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_file():
            out = dest / path.relative_to(source)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, out)
            count += 1
    return count
