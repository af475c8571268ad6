"""A fake WeChat server API (api.weixin.qq.com/cgi-bin) on 127.0.0.1: the app's real HTTP client talks to it.

Job: answer the calls the 公众号 channel makes, the way the published docs describe them:

  * `GET /token?grant_type=client_credential&appid&secret` and `POST /stable_token` (JSON body,
    `force_refresh`): access tokens valid until the test expires them;
  * `POST /message/custom/send?access_token`: 客服消息, text content at most 2048 UTF-8 bytes (45002);
  * `POST /message/subscribe/bizsend?access_token`: 订阅通知, `thing` values at most 20 characters;
  * `POST /menu/create?access_token`: 1-3 buttons of at most 16 bytes, 1-5 sub-buttons of at most 60.

An unknown token answers 40001, an expired one 42001. Errors are injected per call
(`fail_next("message/custom/send", 45009)`); every call is recorded with its query, body and errcode.
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

from .wechat_side import APP_ID, APP_SECRET

TEXT_LIMIT = 2048


@dataclass
class Call:
    """One request the fake answered."""

    path: str  # "token", "message/custom/send", …
    query: dict[str, str]
    body: dict[str, Any]
    errcode: int
    at: float = field(default_factory=time.monotonic)


@dataclass
class FakeWeChatApi(LoopbackApi):
    """`with FakeWeChatApi() as api:`; `api.base_url` is the app's wechat.api_base."""

    app_id: str = APP_ID
    app_secret: str = APP_SECRET
    calls: list[Call] = field(default_factory=list)
    delay: float = 0.0  # seconds every answer waits (a slow WeChat)
    stable: bool = True  # False: no /stable_token (an API base that only has the classic /token)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._tokens: dict[str, bool] = {}  # token -> still valid
        self._stable: str | None = None
        self._issued = 0
        self._failures: dict[str, list[int]] = {}
        self._server: ThreadingHTTPServer | None = None

    # -- scripting and reading ----------------------------------------------------------------------

    def expire_tokens(self) -> None:
        """Every token handed out so far now answers 42001 (access_token expired)."""
        super().expire_tokens()
        with self._lock:
            self._stable = None

    def revoke_tokens(self) -> None:
        """Every token handed out so far is unknown (40001), as after a fetch by another server."""
        with self._lock:
            self._tokens.clear()
            self._stable = None

    def of(self, path: str, *, ok: bool | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.path == path and (ok is None or (c.errcode == 0) == ok)]

    def token_fetches(self) -> int:
        return len(self.of("token", ok=True)) + len(self.of("stable_token", ok=True))

    def texts(self, touser: str | None = None) -> list[str]:
        return [c.body["text"]["content"] for c in self.of("message/custom/send", ok=True)
                if touser is None or c.body.get("touser") == touser]

    def notices(self, touser: str | None = None) -> list[Call]:
        return [c for c in self.of("message/subscribe/bizsend", ok=True)
                if touser is None or c.body.get("touser") == touser]

    def wait_for_texts(self, count: int, *, touser: str | None = None, timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.texts(touser)
            if len(got) >= count:
                return got
            time.sleep(0.02)
        raise AssertionError(f"expected {count} custom message(s) within {timeout}s, got {self.texts(touser)!r}")

    # -- the HTTP side --------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        path = url.path.removeprefix("/cgi-bin/")
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(request.headers.get("Content-Length") or 0)
        try:
            body = json.loads(request.rfile.read(length).decode("utf-8")) if length else {}
        except ValueError:
            body = {"__invalid__": True}
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            queue = self._failures.get(path) or []
            injected = queue.pop(0) if queue else None
        routes = {"token": self._token, "stable_token": self._stable_token, "message/custom/send": self._custom,
                  "message/subscribe/bizsend": self._bizsend, "menu/create": self._menu}
        if not self.stable:
            del routes["stable_token"]
        if injected is not None:
            answer: dict[str, Any] = {"errcode": injected, "errmsg": f"injected error {injected}"}
        elif path in routes:
            answer = routes[path](query, body)
        else:
            answer = {"errcode": 404, "errmsg": "no such API"}
        code = int(answer.get("errcode", 0))
        with self._lock:
            self.calls.append(Call(path, query, body, code))
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        request.send_response(200)  # WeChat answers errors with 200 and an errcode
        request.send_header("Content-Type", "application/json; encoding=utf-8")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _new_token(self) -> str:
        self._issued += 1
        token = f"ACCESS_TOKEN_{self._issued:04d}_" + "x" * 40
        self._tokens[token] = True
        return token

    def _credentials(self, appid: object, secret: object) -> dict[str, Any] | None:
        if appid != self.app_id:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        if secret != self.app_secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        return None

    def _token(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        refused = self._credentials(query.get("appid"), query.get("secret"))
        if refused:
            return refused
        with self._lock:
            self._tokens = dict.fromkeys(self._tokens, False)  # a new /token fetch invalidates the old one
            self._stable = None
            return {"access_token": self._new_token(), "expires_in": 7200}

    def _stable_token(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        if body.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        refused = self._credentials(body.get("appid"), body.get("secret"))
        if refused:
            return refused
        with self._lock:
            if body.get("force_refresh") or self._stable is None or not self._tokens.get(self._stable):
                if self._stable:
                    self._tokens[self._stable] = False
                self._stable = self._new_token()
            return {"access_token": self._stable, "expires_in": 7200}

    def _check_token(self, query: dict[str, str]) -> dict[str, Any] | None:
        with self._lock:
            valid = self._tokens.get(query.get("access_token", ""))
        if valid is None:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
        if not valid:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return None

    def _custom(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        refused = self._check_token(query)
        if refused:
            return refused
        if not body.get("touser") or body.get("msgtype") != "text" or not isinstance(body.get("text"), dict):
            return {"errcode": 40008, "errmsg": "invalid message type"}
        content = str(body["text"].get("content", ""))
        if not content:
            return {"errcode": 44003, "errmsg": "empty content"}
        if len(content.encode("utf-8")) > TEXT_LIMIT:
            return {"errcode": 45002, "errmsg": "content size out of limit"}
        return {"errcode": 0, "errmsg": "ok"}

    def _bizsend(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        refused = self._check_token(query)
        if refused:
            return refused
        data = body.get("data")
        if not body.get("touser") or not body.get("template_id") or not isinstance(data, dict) or not data:
            return {"errcode": 47003, "errmsg": "argument invalid! data is empty"}
        for key, item in data.items():
            value = str((item or {}).get("value", "")) if isinstance(item, dict) else ""
            if not value or (key.startswith("thing") and len(value) > 20):
                return {"errcode": 47003, "errmsg": f"argument invalid! data.{key}.value invalid"}
        return {"errcode": 0, "errmsg": "ok"}

    def _menu(self, query: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        refused = self._check_token(query)
        if refused:
            return refused
        buttons = body.get("button")
        if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
            return {"errcode": 40016, "errmsg": "invalid button size"}
        for button in buttons:
            if len(str(button.get("name", "")).encode("utf-8")) > 16:
                return {"errcode": 40018, "errmsg": "invalid button name size"}
            subs = button.get("sub_button")
            if subs is not None and not (isinstance(subs, list) and 1 <= len(subs) <= 5):
                return {"errcode": 40023, "errmsg": "invalid sub button size"}
            for item in subs or [button]:
                if item is not button and len(str(item.get("name", "")).encode("utf-8")) > 60:
                    return {"errcode": 40018, "errmsg": "invalid button name size"}
                if item.get("type") not in ("click", "view"):
                    return {"errcode": 40017, "errmsg": "invalid button type"}
                if item["type"] == "click" and not 0 < len(str(item.get("key", "")).encode()) <= 128:
                    return {"errcode": 40019, "errmsg": "invalid button key size"}
        return {"errcode": 0, "errmsg": "ok"}
