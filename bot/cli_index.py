"""`python -m bot index build|list|rollback`: the index's life from the command line.

Only parses and prints; the work is `bot.index.store.IndexStore`, the one owner of index versions, which
`ask`, `serve`, the staff bots and the office's publish use as well.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from indexer.model import DocumentError
from indexer.settings import ConfigError, load_settings

if TYPE_CHECKING:
    from bot.index.store import IndexStore


def _store(config: str | None) -> IndexStore:
    from bot.index.store import IndexStore

    try:
        return IndexStore.from_settings(load_settings(config))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("index")
def index_group() -> None:
    """The search index: versions under knowledge.index_path, one of them current."""


@index_group.command("build")
@click.option("--json", "as_json", is_flag=True, help='Print {"version", "built", "entries", "seconds"}.')
@click.option("--force", is_flag=True, help="Build a new version even when the current one is up to date.")
@click.pass_obj
def build(config: str | None, as_json: bool, force: bool) -> None:
    """Build and publish a new version when plans, curated data or the index code changed."""
    from bot.index.files import IndexFormatError

    try:
        result = _store(config).build(force=force)
    except (DocumentError, IndexFormatError, OSError) as exc:
        raise click.ClickException(f"index not built: {exc}") from None
    if as_json:
        click.echo(json.dumps(asdict(result)))
    else:
        what = "built" if result.built else "up to date"
        click.echo(f"index {what}: version {result.version}, {result.entries} entries ({result.seconds:.2f} s)")


@index_group.command("list")
@click.option("--json", "as_json", is_flag=True, help='Print [{"version", "current", "built_at", "entries"}, …].')
@click.pass_obj
def list_versions(config: str | None, as_json: bool) -> None:
    """The stored versions, oldest first; the current one is marked."""
    versions = _store(config).versions()
    if as_json:
        click.echo(json.dumps([asdict(v) for v in versions]))
        return
    if not versions:
        click.echo("no index version yet (`python -m bot index build` makes one)")
    for v in versions:
        click.echo(f"{'*' if v.current else ' '} {v.version}  built {v.built_at}  {v.entries} entries")


@index_group.command("rollback")
@click.argument("version")
@click.option("--json", "as_json", is_flag=True, help='Print the version now current, as `list --json` does.')
@click.pass_obj
def rollback(config: str | None, version: str, as_json: bool) -> None:
    """Make VERSION current again; running servers follow as they follow a publish."""
    from bot.index.files import IndexFormatError

    try:
        info = _store(config).rollback(version)
    except IndexFormatError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        click.echo(json.dumps(asdict(info)))
    else:
        click.echo(f"index {info.version} is current again ({info.entries} entries); it stays current until "
                   "a plan or curated file changes or `index build` runs")
