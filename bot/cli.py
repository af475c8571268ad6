"""`python -m bot`: ask questions, serve the web chat, run the staff bots, manage the index, show settings.

The click group's docstring is the manual. Commands only parse arguments, read settings once and hand
over to the Engine or an adapter; nothing heavy is imported until a command needs it.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import click

from bot.cli_index import index_group
from bot.cli_ops import COMMANDS as ops_commands
from bot.cli_people import people_group
from indexer.settings import SECRET_SETTINGS, SETTINGS, ConfigError, Settings, load_settings

if TYPE_CHECKING:  # the engine is imported only by the commands that use it
    from bot.engine.answer import Answer
    from bot.engine.coordinator import Engine


def _settings(config: str | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", envvar="ZWGK_CONFIG", type=click.Path(dir_okay=False),
              help="Settings file (default: config.toml in the project; env ZWGK_CONFIG).")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (index builds, requests).")
@click.version_option(package_name="zwgk-qa", prog_name="政务公开问答 (zwgk-qa)")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """政务公开问答: answers questions about district 政务公开工作要点 plans, with cited clauses.

    \b
    ask "问题"          answer one question (no question: interactive prompt)
    ask --json -        one question per stdin line -> one JSON object per line
    serve               web chat widget, kiosk, JSON API and admin (one process)
    serve --workers N   the same in N processes on one port (gunicorn)
    telegram            staff bot for Telegram (TELEGRAM_BOT_TOKEN)
    wecom               staff app for WeCom 企业微信 (callback server; ZWGK_WECOM__SECRET)
    wechat              WeChat Official Account 公众号 message server (ZWGK_WECHAT__APP_SECRET)
    wechat menu         push knowledge/data/wechat_menu.json as the 公众号's menu
    index build|list|rollback   the search index: build when stale, list versions, roll back
    admin-user add|list|disable|reset-token   people who sign in to /admin, with roles
    purge --older-than-days N   delete old logged questions and feedback
    backup FILE / restore FILE  the question log, office.dir and curated data in one .tar.gz
    config              every effective setting and where it came from
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = config


def _engine(config: str | None) -> Engine:
    from bot.office.publish import load_engine
    from indexer.model import DocumentError

    try:  # the shipped plans, or the set the office published in /admin
        return load_engine(_settings(config))
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None


def _held_region(engine: Engine, region: str) -> str:
    """The held region `--region` names (its full name for a short form); a region the knowledge base
    does not hold is refused rather than silently answered from another district."""
    held = engine.regions()
    if region in held:
        return region
    short = region.strip().rstrip("区县市")
    matches = [r for r in held if short and r.rstrip("区县市") == short]
    if len(matches) == 1:
        return matches[0]
    raise click.BadParameter(f"the knowledge base holds no plan of {region} (held: {'、'.join(held)})",
                             param_hint="--region")


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer object as JSON (one line per question).")
@click.option("--region", default=None, help="Region to answer for (e.g. 槐荫区); default: from the question.")
@click.pass_obj
def ask(config: str | None, question: str | None, as_json: bool, region: str | None) -> None:
    """Answer QUESTION; `-` reads one question per line from stdin; none starts a prompt."""
    engine = _engine(config)
    if region is not None:
        region = _held_region(engine, region)
    if question == "-":
        data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        lines = data.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for line in lines:
            ans = engine.answer(line.rstrip("\r"), region=region)
            _emit(ans, as_json)
        return
    if question is not None:
        _emit(engine.answer(question, region=region), as_json)
        return
    _interactive(engine, region, as_json)


def _emit(ans: Answer, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(ans.to_dict(), ensure_ascii=False))
    else:
        click.echo(ans.reply)
        if ans.suggestions:
            click.echo("你还可以问：" + " / ".join(ans.suggestions[:3]))


def _interactive(engine: Engine, region: str | None, as_json: bool) -> None:
    click.echo(f"政务公开问答 — 知识库：{'、'.join(engine.regions())}。输入问题后回车，空行或 Ctrl-D 退出。")
    context = None
    while True:
        try:
            question = input("问> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not question.strip():
            return
        ans = engine.answer(question, region=region, context=context)
        context = ans.context
        _emit(ans, as_json)
        click.echo()


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: web.host).")
@click.option("--port", default=None, type=int, help="Port to listen on (default: web.port).")
@click.option("--get", "get_path", default=None, metavar="PATH",
              help="Print the response to one GET request (e.g. /healthz) without starting a server.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes; 2 or more: gunicorn workers on one port (Linux), index shared.")
@click.pass_obj
def serve(config: str | None, host: str | None, port: int | None, get_path: str | None, workers: int) -> None:
    """Serve the web chat widget, kiosk, JSON API and admin (waitress; gunicorn with --workers N)."""
    from bot.channels.web.serve import get_once
    from bot.channels.web.serve import serve as run_server

    settings = _settings(config)
    if get_path:
        status, body = get_once(settings, get_path)
        click.echo(body)
        if status >= 400:
            sys.exit(1)
        return
    try:
        if workers >= 2:
            from bot.channels.web.workers import WorkersError, serve_workers

            try:
                serve_workers(settings, host=host, port=port, workers=workers)
            except WorkersError as exc:
                raise click.ClickException(str(exc)) from None
            return
        run_server(settings, host=host, port=port)
    except ConfigError as exc:  # e.g. a weak web.admin_token: one line, no traceback
        raise click.ClickException(str(exc)) from None


@cli.command("admin-hash")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="The /admin password (asked for when not given).")
def admin_hash(password: str) -> None:
    """Print the hash of an /admin password, for web.admin_password_hash (ZWGK_WEB__ADMIN_PASSWORD_HASH)."""
    from bot.channels.web.admin_auth import MIN_PASSWORD_CHARS, hash_password

    if len(password.strip()) < MIN_PASSWORD_CHARS:
        raise click.ClickException(f"the password is too short (at least {MIN_PASSWORD_CHARS} characters)")
    click.echo(hash_password(password))


@cli.command()
@click.pass_obj
def telegram(config: str | None) -> None:
    """Run the staff bot (long polling, or webhook when telegram.webhook_url is set)."""
    from bot.channels.telegram import StaffBotError, run

    try:
        run(_settings(config))
    except StaffBotError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.pass_obj
def wecom(config: str | None) -> None:
    """Run the WeCom (企业微信) staff app: the callback server for a self-built app."""
    from bot.channels.wecom import run as run_wecom
    from bot.staff import StaffError

    try:
        run_wecom(_settings(config))
    except StaffError as exc:
        raise click.ClickException(str(exc)) from None


@cli.group(invoke_without_command=True)
@click.pass_context
def wechat(ctx: click.Context) -> None:
    """Run the WeChat Official Account (公众号) message server; `wechat menu` pushes the menu (docs/wechat.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.channels.wechat import WeChatError, run

    try:
        run(_settings(ctx.obj))
    except WeChatError as exc:
        raise click.ClickException(str(exc)) from None


@wechat.command("menu")
@click.option("--file", "menu_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Menu JSON in WeChat's menu/create format (default: knowledge/data/wechat_menu.json).")
@click.option("--check", is_flag=True, help="Only check the file against WeChat's limits; send nothing.")
@click.pass_obj
def wechat_menu(config: str | None, menu_file: Path | None, check: bool) -> None:
    """Check the menu file and create it as the 公众号's custom menu (menu/create)."""
    from bot.channels.wechat import WeChatError
    from bot.channels.wechat.menu import load_menu, menu_path, push_menu

    settings = _settings(config)
    try:
        if check:
            menu = load_menu(menu_file or menu_path(settings))
        else:
            menu = push_menu(settings, menu_file)
    except WeChatError as exc:
        raise click.ClickException(str(exc)) from None
    names = " / ".join(str(b.get("name")) for b in menu["button"])
    click.echo(f"menu {'is valid' if check else 'created'}: {names}")


@cli.command("config")
@click.pass_obj
def show_config(config: str | None) -> None:
    """Print every effective setting, its value and its source (default, file or env)."""
    settings = _settings(config)
    for s in SETTINGS:
        value = settings[s.name]
        shown = ("********" if value else "") if s.name in SECRET_SETTINGS else _without_password(value)
        click.echo(f"{s.name:30} = {shown!r:40} [{settings.sources.get(s.name, 'default')}]  {s.env_name}")


cli.add_command(index_group)
for _command in ops_commands:
    cli.add_command(_command)
cli.add_command(people_group)


def _without_password(value: object) -> object:
    """A URL setting with its password masked (postgresql://user:********@host/db); others unchanged."""
    if not isinstance(value, str) or "://" not in value:
        return value
    parts = urlsplit(value)
    if parts.password is None:
        return value
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:********@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def main() -> None:
    cli(prog_name="python -m bot")


__all__ = ["cli", "main", "Path"]
