"""Run the web app under waitress (`python -m bot serve`) or fetch one response (`--get PATH`).

bot/cli.py (the click CLI) calls `serve(settings, host, port)` and `get_once(settings, path)`;
`python -m bot.channels.web` (bot/channels/web/__main__.py) does the same without the CLI. SIGTERM / SIGINT stop the
server gracefully (bot/channels/web/lifecycle.py: in-flight requests finished, the question log drained, exit 0).
A database that cannot be opened stops start-up with one line saying what to do (no traceback).
"""
from __future__ import annotations

import logging
import sys
from typing import TYPE_CHECKING

from indexer.settings import Settings
from bot.storage import StoreError

if TYPE_CHECKING:
    from flask import Flask

    from bot.channels.web.lifecycle import StopSignals

# The app refuses bodies over its MAX_CONTENT_LENGTH (16 KB, bot/channels/web/__init__.py) with its JSON 413.
# Waitress reads a body before the app runs, so its own limit sits far above: a client sending a few MB
# gets the app's answer after its body was read (no reset mid-upload). Bigger bodies waitress refuses
# on their headers, also as JSON (bot/channels/web/lifecycle.py).
MAX_REQUEST_BODY = 16 * 1024 * 1024


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
    from waitress.server import create_server

    from bot.channels.web.lifecycle import run_until_stopped, use_json_errors

    server = create_server(app, host=host, port=port, threads=int(settings["web.threads"]),
                           max_request_body_size=MAX_REQUEST_BODY, ident="zwgk",
                           clear_untrusted_proxy_headers=True)
    use_json_errors(server)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    base = f"http://{shown}:{server.effective_port}"  # type: ignore[union-attr]
    public = str(settings["web.public_url"]).rstrip("/") or base
    print(f"{settings['web.site_name']} is running — open {base}/\n"
          f"  widget demo: {base}/   kiosk: {base}/kiosk   admin: {base}/admin   API: {base}/api/ask\n"
          f"  embed: <script src=\"{public}/widget.js\" data-region=\"…\" defer></script>\n"
          "  Ctrl+C (or SIGTERM) stops after finishing the requests in flight.", flush=True)
    run_until_stopped(server, signals.stop, on_stop=lambda busy: _say(
        f"stopping on {signals.received}: no new connections, finishing {busy} request(s) in flight"))


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
