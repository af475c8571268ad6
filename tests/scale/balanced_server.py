"""gunicorn with bot/channels/web/balanced_worker.py (2 workers × 1 thread) serving a WSGI app that takes 0.3 s
and answers with its worker's pid: run as `python -m tests.scale.balanced_server PORT [stock]`.

The app is the test's own (a slow, predictable request), the worker class and gunicorn are the real
ones; `stock` runs gunicorn's plain ThreadWorker, for comparison by hand.
"""
from __future__ import annotations

import os
import sys
import time
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.workers.gthread import ThreadWorker

from bot.channels.web.balanced_worker import BalancedThreadWorker

REQUEST_SECONDS = 0.3


def slow_pid_app(environ: dict, start_response: Any) -> list[bytes]:
    time.sleep(REQUEST_SECONDS)
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

    def load(self) -> Any:
        return slow_pid_app


if __name__ == "__main__":
    _App(int(sys.argv[1]), ThreadWorker if sys.argv[2:] == ["stock"] else BalancedThreadWorker).run()
