"""`python -m bot purge|backup|restore`: the operator's commands for the question log and the office's files.

purge    delete questions and feedback older than N days now (the server also does it daily for
         web.log_retention_days; bot/storage/retention.py)
backup   one .tar.gz of the question log, office.dir (with the published sets) and the curated data
restore  unpack such a file into an empty installation (--force: over a used one)
The work is in bot/storage/log_reports.py and bot/office/backup.py; these only parse and print.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import click

from bot.storage import StoreError, database_target
from indexer.settings import ConfigError, Settings, load_settings


def _settings(ctx: click.Context) -> Settings:
    try:
        return load_settings(ctx.obj)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.command()
@click.option("--older-than-days", "days", required=True, type=click.IntRange(min=1),
              help="Delete questions and feedback logged more than this many days ago.")
@click.option("--json", "as_json", is_flag=True, help='Print {"deleted": n}.')
@click.pass_context
def purge(ctx: click.Context, days: int, as_json: bool) -> None:
    """Delete logged questions and feedback older than --older-than-days (personal-data retention)."""
    from bot.storage.log_reports import purge as purge_log
    from bot.storage.question_log import QuestionLog

    settings = _settings(ctx)
    try:
        with QuestionLog(database_target(settings)) as log:
            deleted = purge_log(log, days)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps({"deleted": deleted}) if as_json else f"deleted {deleted} row(s) older than {days} days")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print what the archive holds as JSON.")
@click.pass_context
def backup(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Write FILE (.tar.gz): the question log, office.dir with the published plan sets, the curated data."""
    from bot.office.backup import BackupError
    from bot.office.backup import backup as make_backup

    try:
        report = make_backup(_settings(ctx), file)
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    _say(report, as_json, "backed up to")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True, help="Replace the question log and office.dir of a used installation.")
@click.option("--json", "as_json", is_flag=True, help="Print what was restored as JSON.")
@click.pass_context
def restore(ctx: click.Context, file: Path, force: bool, as_json: bool) -> None:
    """Restore FILE (made by `backup`) into this installation; stop the server first."""
    from bot.office.backup import BackupError
    from bot.office.backup import restore as restore_backup

    try:
        report = restore_backup(_settings(ctx), file, force=force)
    except (BackupError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    _say(report, as_json, "restored from")


def _say(report: object, as_json: bool, verb: str) -> None:
    data = asdict(report)  # type: ignore[call-overload]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    click.echo(f"{verb} {data['file']}: question log {data['log']}, {data['office_files']} office file(s), "
               f"{data['data_files']} curated data file(s)")
    for note in data["notes"]:
        click.echo(f"note: {note}")


COMMANDS = (purge, backup, restore)
