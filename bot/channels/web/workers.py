"""`python -m bot serve --workers N` (N >= 2): N gunicorn worker processes on one port (Linux).

Why processes: answering is pure Python, so threads of one process share one core (the GIL); N
processes use N cores. The index is built or checked once here, in the master, before any fork; each
worker then opens it memory-mapped (bot/index/files.py), so its arrays' pages are shared by all
workers. Each worker builds its own app after the fork (no preload), so the question log's writer
thread and every other background thread start in the worker that uses them. SIGTERM or SIGINT to
the master stops gracefully: workers finish their in-flight requests (up to GRACEFUL_SECONDS), each
closes its app (the log is drained), then the master exits.
`serve_in_process` runs the same worker in the serving process itself, without a master (plain `serve`).
Neighbours: bot/cli.py `serve --workers`; bot/channels/web/serve.py runs the single-process server;
bot/channels/web/__init__.py `create_app` / `close_app`.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.storage import StoreError, database_for
from indexer.settings import Settings

if TYPE_CHECKING:
    from flask import Flask

GRACEFUL_SECONDS = 20  # in-flight requests get this long to finish after SIGTERM
WORKER_TIMEOUT = 60  # a worker silent this long (stuck) is killed and replaced by the master
# Open connections per process (slow or idle ones included); beyond, new ones wait in the listen backlog.
WORKER_CONNECTIONS = 1000
WORKER_BOOT_ERROR = 3  # gunicorn's exit status for "this worker cannot boot": the master halts
MIN_FRONT_BODY = 16 * 1024 * 1024  # the front reads bodies up to this (the app refuses most far below)
FORM_OVERHEAD = 64 * 1024  # multipart framing around an upload (bot/channels/web/admin.py allows the same)


class WorkersError(RuntimeError):
    """Multi-process serving is not possible here (gunicorn missing, not a Unix system)."""


def prepare_index(settings: Settings) -> int:
    """Build the index if plans or curated data changed, once, before the workers fork; its entry count."""
    from bot.index.store import IndexStore

    index, rebuilt = IndexStore.from_settings(settings).load()
    if rebuilt:
        logging.getLogger("bot.channels.web").info("index rebuilt: %d entries", len(index.entries))
    return len(index.entries)


def front_worker_class(settings: Settings, *, standalone: bool = False, board: Any = None) -> type:
    """The worker class with this deployment's largest body (the largest upload plus form overhead) and,
    with several workers, the board of their connection counts (bot/channels/web/connection_board.py)."""
    from bot.channels.web.balanced_worker import BalancedThreadWorker
    from bot.channels.web.request_buffer import Limits

    limits = Limits(max_body=max(MIN_FRONT_BODY, settings.integer("office.max_upload_mb") * 2**20 + FORM_OVERHEAD))
    return type("ZwgkWorker", (BalancedThreadWorker,), {"limits": limits, "standalone": standalone, "board": board})


def gunicorn_options(settings: Settings, host: str, port: int, workers: int, board: Any = None) -> dict[str, Any]:
    """The gunicorn settings we run with (threaded workers fed whole requests by an event loop: keep-alive
    and slow clients cost no thread; idle workers accept first, bot/channels/web/balanced_worker.py)."""
    shown = f"[{host}]" if ":" in host else host
    return {
        "bind": [f"{shown}:{port}"],
        "workers": workers,
        "worker_class": front_worker_class(settings, board=board),
        "worker_connections": WORKER_CONNECTIONS,
        "limit_request_line": 8190,  # gunicorn's largest (its default 4094 refused URLs waitress took)
        "threads": max(1, settings.integer("web.threads")),
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
    _check_database(settings)  # so does a database that cannot be opened (not N workers' tracebacks)
    host = host or settings.text("web.host")
    port = int(port if port is not None else settings["web.port"])
    print("正在加载知识库 / loading the knowledge base …", file=sys.stderr, flush=True)
    entries = prepare_index(settings)
    from bot.channels.web.connection_board import ConnectionBoard

    board = ConnectionBoard()  # mapped here, in the master, so every forked worker shares it
    options = gunicorn_options(settings, host, port, workers, board)
    ready = threading.Event()

    def when_ready(server: Any) -> None:  # in the master, once listening: the real port (also for --port 0)
        bound = server.LISTENERS[0].sock.getsockname()[1] if server.LISTENERS else port
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
        print(f"{settings['web.site_name']} is running with {workers} worker processes ({entries:,} entries) — "
              f"open http://{shown}:{bound}/\n  SIGTERM or Ctrl+C stops, SIGHUP restarts the workers.", flush=True)
        ready.set()

    def on_exit(_server: Any) -> None:  # in the master, after every worker exited (SIGTERM, SIGINT)
        if ready.is_set():
            print(f"stopped: {workers} worker processes finished their requests in flight and drained the "
                  "question log", file=sys.stderr, flush=True)

    class _App(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set("post_worker_init", _post_worker_init)
            self.cfg.set("when_ready", when_ready)
            self.cfg.set("worker_exit", _worker_exit)
            self.cfg.set("child_exit", lambda _server, worker: board.clear(ConnectionBoard.slot_of(worker)))
            self.cfg.set("on_exit", on_exit)

        def load(self) -> Flask:
            from bot.channels.web import create_app

            try:
                return create_app(settings)  # in the worker, after the fork
            except StoreError as exc:  # the database went away since the master checked: one line, no traceback
                print(f"error: {exc}", file=sys.stderr, flush=True)
                sys.exit(WORKER_BOOT_ERROR)  # gunicorn's master stops instead of respawning forever

    _App().run()


def _check_database(settings: Settings) -> None:
    """Open and close `web.database` once in the master: an unreachable one stops start-up with one line."""
    try:
        database_for(settings).close()
    except StoreError as exc:
        raise SystemExit(f"error: {exc}") from None


def _post_worker_init(worker: Any) -> None:
    settle_heap()
    logging.getLogger("bot.channels.web").info("worker %s ready", worker.pid)


def settle_heap() -> None:
    """Take what a worker loaded at start (the engine, its tables, the app) out of the garbage collector's
    full passes: they live as long as the worker, and walking their ~50 000 objects cost a full collection
    5–20 ms every few hundred questions (issue 24). Objects still go when their last reference does; only a
    cycle among them would wait (a later publish loads a new engine, which is not frozen)."""
    import gc

    gc.collect()
    gc.freeze()


def _worker_exit(server: Any, worker: Any) -> None:
    """In the exiting worker: close its app (drains the question log) after in-flight requests finished."""
    from bot.channels.web import close_app

    app = getattr(worker, "wsgi", None)
    if app is not None and hasattr(app, "extensions"):
        close_app(app)


def serve_in_process(app: Any, settings: Settings, host: str, port: int, stop: threading.Event,
                     ready: Callable[[int], None], on_stop: Callable[[int], None]) -> None:
    """`serve` on Unix: one worker (bot/channels/web/balanced_worker.py) in this process, no master.

    `ready(port)` is called once listening; when `stop` is set, `on_stop(requests in flight)` runs and the worker stops
    gracefully: no new connections, requests in flight finished (at most GRACEFUL_SECONDS)."""
    import selectors

    from gunicorn.config import Config
    from gunicorn.glogging import Logger
    from gunicorn.sock import create_sockets

    cfg = Config()
    for key, value in gunicorn_options(settings, host, port, 1).items():
        cfg.set(key, value)
    log = Logger(cfg)
    listeners = create_sockets(cfg, log)
    worker = front_worker_class(settings, standalone=True)(1, os.getppid(), listeners, None, WORKER_TIMEOUT, cfg, log)
    worker.pid = os.getpid()
    worker.wsgi = app
    worker.tpool = worker.get_thread_pool()
    worker.poller = selectors.DefaultSelector()
    worker.method_queue.init()

    def watch() -> None:
        stop.wait()
        on_stop(worker.in_flight)
        worker.handle_exit(None, None)  # thread-safe: wakes the event loop through its pipe

    threading.Thread(target=watch, name="zwgk-stop", daemon=True).start()
    settle_heap()
    ready(listeners[0].sock.getsockname()[1])
    try:
        worker.run()  # closes the listeners when it stops
    finally:
        for listener in listeners:
            if listener.sock is not None:
                listener.close()
