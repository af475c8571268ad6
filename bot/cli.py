"""`python -m bot`: ask questions, serve the web chat, run the staff bot, benchmark, show settings.

The click group's docstring is the manual. Commands only parse arguments, read settings once and hand
over to the Engine or an adapter; nothing heavy is imported until a command needs it.
"""
from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from indexer.settings import SECRET_SETTINGS, SETTINGS, ConfigError, Settings, load_settings


def _settings(config: str | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", envvar="ZWGK_CONFIG", type=click.Path(dir_okay=False),
              help="Settings file (default: config.toml in the project; env ZWGK_CONFIG).")
@click.option("-v", "--verbose", is_flag=True, help="Log what happens (index builds, requests).")
@click.pass_context
def cli(ctx: click.Context, config: str | None, verbose: bool) -> None:
    """政务公开问答: answers questions about district 政务公开工作要点 plans, with cited clauses.

    \b
    ask "问题"          answer one question (no question: interactive prompt)
    ask --json -        one question per stdin line -> one JSON object per line
    serve               web chat widget, kiosk, JSON API and admin (waitress)
    serve --workers N   the same in N processes on one port (gunicorn)
    telegram            staff bot for Telegram (TELEGRAM_BOT_TOKEN)
    wecom               staff app for WeCom 企业微信 (callback server; ZWGK_WECOM__SECRET)
    bench               speed and memory benchmark
    config              every effective setting and where it came from
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = config


def _engine(config: str | None):  # type: ignore[no-untyped-def]
    from bot.office.publish import load_engine
    from indexer.model import DocumentError

    try:  # the shipped plans, or the set the office published in /admin
        return load_engine(_settings(config))
    except DocumentError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer object as JSON (one line per question).")
@click.option("--region", default=None, help="Region to answer for (e.g. 槐荫区); default: from the question.")
@click.pass_obj
def ask(config: str | None, question: str | None, as_json: bool, region: str | None) -> None:
    """Answer QUESTION; `-` reads one question per line from stdin; none starts a prompt."""
    engine = _engine(config)
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


def _emit(ans, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        click.echo(json.dumps(ans.to_dict(), ensure_ascii=False))
    else:
        click.echo(ans.reply)
        if ans.suggestions:
            click.echo("你还可以问：" + " / ".join(ans.suggestions[:3]))


def _interactive(engine, region: str | None, as_json: bool) -> None:  # type: ignore[no-untyped-def]
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
    from bot.staff import StaffError
    from bot.channels.wecom import run as run_wecom

    try:
        run_wecom(_settings(config))
    except StaffError as exc:
        raise click.ClickException(str(exc)) from None


@cli.command()
@click.option("--entries", default=200_000, show_default=True, help="Size of the scaled corpus.")
@click.option("--queries", default=300, show_default=True, help="Questions timed per corpus.")
@click.option("--skip-scaled", is_flag=True, help="Only benchmark the shipped corpus.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=0),
              help="Uncached HTTP load against 1 and this many worker processes (0: no HTTP load).")
@click.option("--eval-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of *.jsonl evaluation files whose questions the HTTP load sends "
                   "(default: ../shared/eval beside the project, when present).")
@click.option("--seconds", default=10.0, show_default=True, help="Length of each HTTP load run.")
@click.option("--connections", default=16, show_default=True, help="Concurrent HTTP connections.")
@click.pass_obj
def bench(config: str | None, entries: int, queries: int, skip_scaled: bool, workers: int,
          eval_dir: Path | None, seconds: float, connections: int) -> None:
    """Benchmark build/load, start-up, latency per question kind, memory, BM25 libraries and HTTP load."""
    from indexer.settings import PROJECT_ROOT

    bench_module = _bench_module()
    if eval_dir is None and (PROJECT_ROOT.parent / "shared" / "eval").is_dir():
        eval_dir = PROJECT_ROOT.parent / "shared" / "eval"
    options = bench_module.BenchOptions(scaled_entries=0 if skip_scaled else entries, n_queries=queries,
                                        workers=workers, eval_dir=eval_dir, http_seconds=seconds,
                                        connections=connections)
    bench_module.run_bench(_settings(config), options)


def _bench_module():  # type: ignore[no-untyped-def]
    """The project's bench/ package: the benchmark is not part of the installed package."""
    from indexer.settings import PROJECT_ROOT

    if not (PROJECT_ROOT / "bench" / "__init__.py").is_file():
        raise click.ClickException(f"the benchmark is not installed: {PROJECT_ROOT / 'bench'} is missing "
                                   "(it ships in the source checkout, not in the package)")
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    import bench

    return bench


@cli.command("config")
@click.pass_obj
def show_config(config: str | None) -> None:
    """Print every effective setting, its value and its source (default, file or env)."""
    settings = _settings(config)
    for s in SETTINGS:
        value = settings[s.name]
        shown = ("********" if value else "") if s.name in SECRET_SETTINGS else value
        click.echo(f"{s.name:30} = {shown!r:40} [{settings.sources.get(s.name, 'default')}]  {s.env_name}")


def main() -> None:
    cli(prog_name="python -m bot")


__all__ = ["cli", "main", "Path"]
