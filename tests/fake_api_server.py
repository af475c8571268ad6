"""The loopback HTTP server under the fake WeCom and WeChat APIs: one threaded server on 127.0.0.1, started
and stopped by `with`, every request handed to the fake's `_handle`, plus the scripting both fakes share
(errors to answer next, tokens to expire). The fakes themselves say what each API answers."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self


class LoopbackApi:
    """Mixed into a fake API dataclass that sets `_lock`, `_tokens`, `_failures` and `_server` (None)."""

    _lock: threading.Lock
    _tokens: dict[str, bool]
    _failures: dict[str, list[int]]
    _server: ThreadingHTTPServer | None

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                fake._handle(self)

            do_POST = do_GET  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin"

    def fail_next(self, call: str, errcode: int, times: int = 1) -> None:
        """The next `times` calls of `call` (a path such as "message/send") answer `errcode`."""
        with self._lock:
            self._failures.setdefault(call, []).extend([errcode] * times)

    def expire_tokens(self) -> None:
        """Every token handed out so far now answers 42001 (access_token expired)."""
        with self._lock:
            self._tokens = dict.fromkeys(self._tokens, False)
