"""gunicorn with bot/channels/web/balanced_worker.py (2 workers × 1 thread) serving a WSGI app that answers
with its worker's pid: run as `python -m tests.scale.balanced_server PORT HOLD_FILE [stock]`.

`GET /hold` writes HOLD_FILE.taken (its pid) and keeps its worker's only thread busy until HOLD_FILE
exists (the test creates it), so which
worker is busy is a fact, not a timing. The worker class and gunicorn are the real ones; the grace a busy
worker gives the others is widened so a loaded machine cannot make the idle worker miss it; `stock` runs
gunicorn's plain ThreadWorker, for comparison by hand.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.channels.web import balanced_worker
from bot.channels.web.balanced_worker import BalancedThreadWorker
from bot.channels.web.connection_board import ConnectionBoard

HOLD_LIMIT_SECONDS = 60.0  # a held request gives up after this, so a failed test never hangs


def pid_app(environ: dict, start_response: Any) -> list[bytes]:
    if environ.get("PATH_INFO") == "/hold":
        with open(HOLD_FILE + ".taken", "w", encoding="utf-8") as f:  # tells the test which worker is held
            f.write(str(os.getpid()))
        give_up = time.monotonic() + HOLD_LIMIT_SECONDS
        while not os.path.exists(HOLD_FILE) and time.monotonic() < give_up:
            time.sleep(0.01)
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


class _App(BaseApplication):  # type: ignore[misc]
    def __init__(self, port: int, worker_class: type) -> None:
        self.port, self.worker_class = port, worker_class
        super().__init__()

    def load_config(self) -> None:
        for key, value in (("bind", [f"127.0.0.1:{self.port}"]), ("workers", 2), ("threads", 1),
                           ("worker_class", self.worker_class), ("loglevel", "warning")):
            self.cfg.set(key, value)
        board = getattr(self.worker_class, "board", None)
        if board is not None:  # as bot/channels/web/workers.py does: a gone worker's slot is freed
            self.cfg.set("child_exit", lambda _server, worker: board.clear(ConnectionBoard.slot_of(worker)))

    def load(self) -> Any:
        return pid_app


HOLD_FILE = ""

if __name__ == "__main__":
    HOLD_FILE = sys.argv[2]
    balanced_worker.GRACE_SECONDS = 5.0
    stock = sys.argv[3:] == ["stock"]
    if not stock:  # the workers' connection counts, shared as `serve --workers N` shares them
        BalancedThreadWorker.board = ConnectionBoard()
    _App(int(sys.argv[1]), ThreadWorker if stock else BalancedThreadWorker).run()
