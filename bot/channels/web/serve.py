"""Run the web app in this process (`python -m bot serve`) or fetch one response (`--get PATH`).

The server is gunicorn's threaded worker with our event-driven front (bot/channels/web/balanced_worker.py),
run in this process without a gunicorn master (bot/channels/web/workers.py `serve_in_process`): slow
clients cost no thread, and it keeps its throughput at hundreds of connections (bench/README.md, "The
server stack"). On Windows, where gunicorn does not run, waitress serves instead.
bot/cli.py (the click CLI) calls `serve(settings, host, port)` and `get_once(settings, path)`;
`python -m bot.channels.web` (bot/channels/web/__main__.py) does the same without the CLI. SIGTERM / SIGINT stop the
server gracefully (in-flight requests finished, the question log drained, exit 0).
A database that cannot be opened stops start-up with one line saying what to do (no traceback).
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.storage import StoreError
from indexer.settings import Settings

if TYPE_CHECKING:
    from flask import Flask

    from bot.channels.web.lifecycle import StopSignals

# The app refuses bodies over its MAX_CONTENT_LENGTH (16 KB, bot/channels/web/__init__.py) with its JSON 413,
# uploads over office.max_upload_mb likewise. The front reads whole requests before the app runs, so its
# own limit is the largest upload plus form framing (bot/channels/web/workers.py `front_worker_class`): a
# client sending a few MB gets the app's answer after its body was read (no reset mid-upload); bigger
# bodies the front refuses on their headers, also as JSON.


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Load the engine, then serve until SIGTERM / SIGINT; prints the URLs to open (port 0: a free one)."""
    from bot.channels.web import close_app, create_app
    from bot.channels.web.lifecycle import LOG_DRAIN_SECONDS, StopSignals

    host = host or settings["web.host"]
    port = int(port if port is not None else settings["web.port"])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth 1" on every busy moment
    print("正在加载知识库 / loading the knowledge base …", file=sys.stderr, flush=True)
    with StopSignals() as signals:  # installed first: a SIGTERM while loading still stops cleanly
        try:
            app = create_app(settings)
        except StoreError as exc:
            raise SystemExit(f"error: {exc}") from None
        try:
            if not signals.stop.is_set():
                _run(app, settings, host, port, signals)
        finally:
            left = close_app(app, LOG_DRAIN_SECONDS)
            _say(f"stopped; question log {'drained' if not left else f'NOT drained: {left} row(s) lost'}")


def _run(app: Flask, settings: Settings, host: str, port: int, signals: StopSignals) -> None:
    """gunicorn's threaded worker with our event-driven front in this process (Unix); waitress elsewhere."""
    def stopping(busy: int) -> None:
        _say(f"stopping on {signals.received}: no new connections, finishing {busy} request(s) in flight")

    if os.name == "posix":
        from bot.channels.web.workers import serve_in_process

        serve_in_process(app, settings, host, port, signals.stop,
                         ready=lambda bound: _announce(settings, host, bound), on_stop=stopping)
        return
    _run_waitress(app, settings, host, port, signals, stopping)


def _run_waitress(app: Flask, settings: Settings, host: str, port: int, signals: StopSignals,
                  stopping: Callable[[int], None]) -> None:
    """Windows: waitress (also reads whole requests before a thread); proxy headers kept for ProxyFix."""
    from waitress.server import create_server

    from bot.channels.web.lifecycle import run_until_stopped, use_json_errors
    from bot.channels.web.workers import FORM_OVERHEAD, MIN_FRONT_BODY, WORKER_CONNECTIONS

    max_body = max(MIN_FRONT_BODY, settings.integer("office.max_upload_mb") * 2**20 + FORM_OVERHEAD)
    server = create_server(app, host=host, port=port, threads=settings.integer("web.threads"),
                           max_request_body_size=max_body, ident="zwgk", connection_limit=WORKER_CONNECTIONS,
                           clear_untrusted_proxy_headers=settings.integer("web.trusted_proxies") == 0)
    use_json_errors(server)
    _announce(settings, host, int(server.effective_port))  # type: ignore[union-attr]
    run_until_stopped(server, signals.stop, on_stop=stopping)


def _announce(settings: Settings, host: str, port: int) -> None:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    base = f"http://{shown}:{port}"
    public = settings.text("web.public_url").rstrip("/") or base
    print(f"{settings['web.site_name']} is running — open {base}/\n"
          f"  widget demo: {base}/   kiosk: {base}/kiosk   admin: {base}/admin   API: {base}/api/ask\n"
          f"  embed: <script src=\"{public}/widget.js\" data-region=\"…\" defer></script>\n"
          "  Ctrl+C (or SIGTERM) stops after finishing the requests in flight.", flush=True)


def _say(line: str) -> None:
    """Start/stop lines go to stderr whatever the log level (the CLI logs warnings only by default)."""
    print(line, file=sys.stderr, flush=True)


def get_once(settings: Settings, path: str) -> tuple[int, str]:
    """GET one path through the test client (no socket): the status code and the body text."""
    from bot.channels.web import close_app, create_app

    try:
        app = create_app(settings)
    except StoreError as exc:
        raise SystemExit(f"error: {exc}") from None
    try:
        with app.test_client() as client:
            resp = client.get(path if path.startswith("/") else "/" + path)
            try:
                return resp.status_code, resp.get_data(as_text=True)
            finally:
                resp.close()
    finally:
        close_app(app)
