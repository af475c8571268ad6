"""A fake WeCom server API on 127.0.0.1 for the WeCom tests: the app's real HTTP client talks to it.

Job: answer `GET /cgi-bin/gettoken?corpid&corpsecret` (tokens that expire when the test says so) and
`POST /cgi-bin/message/send?access_token=…` like WeCom does (errcode 0, 40014 for an unknown token,
42001 for an expired one, 45002 for content over 2048 bytes), record every message delivered, and fail
on demand (`fail_next("message/send", 45009)`: rate limit, 60020: IP not trusted, …).

Stdlib only (ThreadingHTTPServer in a daemon thread on a free port); never the internet.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_api_server import LoopbackApi

CORP_ID = "ww0123456789abcdef"
SECRET = "app-secret-for-the-fake-wecom-server"
AGENT_ID = 1000002
LIMIT_BYTES = 2048


@dataclass
class Sent:
    """One message/send call that WeCom accepted."""

    touser: str
    msgtype: str
    content: str
    agentid: int


@dataclass
class FakeWeComApi(LoopbackApi):
    """`with FakeWeComApi() as api:` starts and stops it; `api.base_url` is the app's wecom.api_base."""

    corp_id: str = CORP_ID
    secret: str = SECRET
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, int]] = field(default_factory=list)  # (path, errcode answered)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, bool] = {}  # token -> still valid
        self._failures: dict[str, list[int]] = {}
        self._server: ThreadingHTTPServer | None = None

    # -- scripting --------------------------------------------------------------------------------

    def gettoken_calls(self) -> int:
        with self._lock:
            return sum(1 for path, _ in self.calls if path == "gettoken")

    def errors(self, call: str = "message/send") -> list[int]:
        with self._lock:
            return [code for path, code in self.calls if path == call and code]

    def messages(self, touser: str | None = None) -> list[Sent]:
        with self._lock:
            return [m for m in self.sent if touser is None or m.touser == touser]

    def wait_for(self, count: int, *, touser: str | None = None, timeout: float = 10.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.messages(touser)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"expected {count} message(s) within {timeout}s, got {self.messages(touser)!r}")

    def text(self, touser: str | None = None) -> str:
        return "\n\n".join(m.content for m in self.messages(touser))

    # -- the HTTP side ----------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        call = url.path.removeprefix("/cgi-bin/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(request.headers.get("Content-Length") or 0)
        body = json.loads(request.rfile.read(length) or b"{}") if length else {}
        with self._lock:
            queue = self._failures.get(call) or []
            injected = queue.pop(0) if queue else None
        if injected is not None:
            answer: dict[str, Any] = {"errcode": injected, "errmsg": f"injected error {injected}"}
        elif call == "gettoken":
            answer = self._gettoken(query)
        elif call == "message/send":
            answer = self._send(query, body)
        else:
            answer = {"errcode": 404, "errmsg": "no such API"}
        with self._lock:
            self.calls.append((call, int(answer["errcode"])))
        data = json.dumps(answer).encode()
        request.send_response(200)  # WeCom answers errors with 200 and an errcode
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _gettoken(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        with self._lock:
            token = f"token-{len(self._tokens) + 1}"
            self._tokens[token] = True
        return {"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200}

    def _send(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            valid = self._tokens.get(query.get("access_token", ""))
        if valid is None:
            return {"errcode": 40014, "errmsg": "invalid access_token"}
        if not valid:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        msgtype = body.get("msgtype", "")
        content = str((body.get(msgtype) or {}).get("content", ""))
        if msgtype not in ("text", "markdown") or not body.get("touser"):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        if len(content.encode("utf-8")) > LIMIT_BYTES:
            return {"errcode": 45002, "errmsg": "content size out of limit"}
        with self._lock:
            self.sent.append(Sent(body["touser"], msgtype, content, int(body.get("agentid", 0))))
        return {"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": f"m{len(self.sent)}"}
