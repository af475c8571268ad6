"""`python -m bot serve --workers N` (N >= 2): N gunicorn worker processes on one port (Linux).

Why processes: answering is pure Python, so threads of one process share one core (the GIL); N
processes use N cores. The index is built or checked once here, in the master, before any fork; each
worker then opens it memory-mapped (bot/index/files.py), so its arrays' pages are shared by all
workers. Each worker builds its own app after the fork (no preload), so the question log's writer
thread and every other background thread start in the worker that uses them. SIGTERM or SIGINT to
the master stops gracefully: workers finish their in-flight requests (up to GRACEFUL_SECONDS), each
closes its app (the log is drained), then the master exits.
Neighbours: bot/cli.py `serve --workers`; bot/channels/web/serve.py runs the single-process waitress server;
bot/channels/web/__init__.py `create_app` / `close_app`.
"""
from __future__ import annotations

import logging
import sys
from typing import Any

from indexer.settings import Settings

GRACEFUL_SECONDS = 20  # in-flight requests get this long to finish after SIGTERM
WORKER_TIMEOUT = 60  # a worker silent this long (stuck) is killed and replaced by the master


class WorkersError(RuntimeError):
    """Multi-process serving is not possible here (gunicorn missing, not a Unix system)."""


def prepare_index(settings: Settings) -> int:
    """Build the index if plans or curated data changed, once, before the workers fork; its entry count."""
    from bot.index.search_index import load_index

    index, rebuilt = load_index(settings.path("knowledge.plans_dir"), settings.path("knowledge.data_dir"),
                                settings.path("knowledge.index_path"))
    if rebuilt:
        logging.getLogger("bot.channels.web").info("index rebuilt: %d entries", len(index.entries))
    return len(index.entries)


def gunicorn_options(settings: Settings, host: str, port: int, workers: int) -> dict[str, Any]:
    """The gunicorn settings we run with (threaded workers: keep-alive and slow clients cost no process;
    idle workers accept first, bot/channels/web/balanced_worker.py)."""
    from bot.channels.web.balanced_worker import BalancedThreadWorker

    shown = f"[{host}]" if ":" in host else host
    return {
        "bind": [f"{shown}:{port}"],
        "workers": workers,
        "worker_class": BalancedThreadWorker,
        "threads": max(1, int(settings["web.threads"])),
        "preload_app": False,
        "graceful_timeout": GRACEFUL_SECONDS,
        "timeout": WORKER_TIMEOUT,
        "keepalive": 5,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "zwgk",
        "forwarded_allow_ips": "127.0.0.1,::1",
    }


def serve_workers(settings: Settings, host: str | None = None, port: int | None = None, workers: int = 2) -> None:
    """Serve with `workers` processes until SIGTERM / SIGINT; the index is prepared first, once."""
    if workers < 2:
        raise WorkersError(f"--workers must be at least 2 for multi-process serving; got {workers}")
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:  # gunicorn is Unix-only; on Windows use the default single process
        raise WorkersError(f"--workers needs gunicorn on a Unix system ({exc}); without --workers the "
                           "single-process server runs anywhere") from None
    from bot.channels.web.admin_auth import check_settings

    check_settings(settings)  # a weak admin token stops the master with one line, not each worker's boot
    host = host or str(settings["web.host"])
    port = int(port if port is not None else settings["web.port"])
    print("正在加载知识库 / loading the knowledge base …", file=sys.stderr, flush=True)
    entries = prepare_index(settings)
    options = gunicorn_options(settings, host, port, workers)

    def when_ready(server: Any) -> None:  # in the master, once listening: the real port (also for --port 0)
        bound = server.LISTENERS[0].sock.getsockname()[1] if server.LISTENERS else port
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
        print(f"{settings['web.site_name']} is running with {workers} worker processes ({entries:,} entries) — "
              f"open http://{shown}:{bound}/\n  SIGTERM or Ctrl+C stops, SIGHUP restarts the workers.", flush=True)

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set("post_worker_init", _post_worker_init)
            self.cfg.set("when_ready", when_ready)
            self.cfg.set("worker_exit", _worker_exit)

        def load(self):  # type: ignore[no-untyped-def]
            from bot.channels.web import create_app

            return create_app(settings)  # in the worker, after the fork

    _App().run()


def _post_worker_init(worker: Any) -> None:
    logging.getLogger("bot.channels.web").info("worker %s ready", worker.pid)


def _worker_exit(server: Any, worker: Any) -> None:
    """In the exiting worker: close its app (drains the question log) after in-flight requests finished."""
    from bot.channels.web import close_app

    app = getattr(worker, "wsgi", None)
    if app is not None and hasattr(app, "extensions"):
        close_app(app)
