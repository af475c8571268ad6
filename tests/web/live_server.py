"""A waitress server on a free 127.0.0.1 port in a background thread, stopped cleanly (browser tests)."""
from __future__ import annotations

import threading

from waitress import wasyncore
from waitress.server import create_server


class LiveServer:
    def __init__(self, app, threads: int = 4) -> None:
        self.server = create_server(app, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, name="waitress", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        # Close every socket from inside the loop thread (closing from here could hand select() a dead fd);
        # the loop ends when its map is empty.
        server = self.server
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        self.thread.join(timeout=10)
        server.task_dispatcher.shutdown()
