"""Run the web app under waitress (`python -m bot serve`) or fetch one response (`--get PATH`).

bot/cli.py (the click CLI) calls `serve(settings, host, port)` and `get_once(settings, path)`;
`python -m bot.web` (bot/web/__main__.py) does the same without the CLI.
"""
from __future__ import annotations

import logging
import sys

from bot.config import Settings

# Waitress refuses bodies above this itself (plain-text 413); the app's own JSON 413 starts far lower.
MAX_REQUEST_BODY = 1024 * 1024


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Load the engine, then serve until interrupted; prints the URLs to open (port 0: a free one)."""
    from waitress.server import create_server

    from bot.web import close_app, create_app

    host = host or settings["web.host"]
    port = int(port if port is not None else settings["web.port"])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "queue depth 1" on every busy moment
    print("正在加载知识库 / loading the knowledge base …", file=sys.stderr, flush=True)
    app = create_app(settings)
    try:
        server = create_server(app, host=host, port=port, threads=int(settings["web.threads"]),
                               max_request_body_size=MAX_REQUEST_BODY, ident="zwgk",
                               clear_untrusted_proxy_headers=True)
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
        base = f"http://{shown}:{server.effective_port}"  # type: ignore[union-attr]
        public = str(settings["web.public_url"]).rstrip("/") or base
        print(f"{settings['web.site_name']} is running — open {base}/\n"
              f"  widget demo: {base}/   kiosk: {base}/kiosk   admin: {base}/admin   API: {base}/api/ask\n"
              f"  embed: <script src=\"{public}/widget.js\" data-region=\"…\" defer></script>\n"
              "  Ctrl+C stops.", flush=True)
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        close_app(app)


def get_once(settings: Settings, path: str) -> tuple[int, str]:
    """GET one path through the test client (no socket): the status code and the body text."""
    from bot.web import close_app, create_app

    app = create_app(settings)
    try:
        with app.test_client() as client:
            resp = client.get(path if path.startswith("/") else "/" + path)
            try:
                return resp.status_code, resp.get_data(as_text=True)
            finally:
                resp.close()
    finally:
        close_app(app)
