"""A fake Telegram Bot API on 127.0.0.1 for the staff-bot tests: PTB talks to it over real HTTP.

Job: answer `/bot<token>/<method>` like Telegram does (getMe, getUpdates with a short long-poll,
sendMessage, editMessageText, editMessageReplyMarkup, answerCallbackQuery, setMyCommands,
getMyCommands, deleteWebhook, …), serve updates the test scripts, and record every call so tests
assert on what the bot sent. Failures can be scripted (`fail_next`: a 429 with retry_after, a 403 for a
chat that blocked the bot). Bodies are accepted as form data (what PTB sends: each value JSON-encoded
unless it is a string) or JSON.

Stdlib only (http.server's ThreadingHTTPServer in a daemon thread, on a free port); never the internet.
Used by test_e2e.py through `bot_running` in conftest.py.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "123456:TEST-token_for-fake-api"
BOT_ID = 123456
BOT_USERNAME = "zwgk_test_bot"
LONG_POLL_CAP = 0.3  # seconds getUpdates waits for updates at most, whatever timeout the bot asks for

_STRING_PARAMS = {"text", "callback_query_id", "parse_mode", "inline_message_id", "url", "secret_token",
                  "description", "short_description", "name", "language_code"}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None  # what the fake answered (e.g. the Message of a sendMessage)


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None = None
    chat_id: int | None = None


@dataclass
class FakeBotApi:
    """The server; `with FakeBotApi() as api:` starts and stops it."""

    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    commands: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1000
        self._failures: dict[str, list[_Failure]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    def __enter__(self) -> FakeBotApi:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                api._handle(self)

            do_GET = do_POST  # noqa: N815

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output clean
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # the bot cancels long polls on shutdown; a broken pipe then is expected

        self._server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="fake-bot-api")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        """What PTB's base_url should be (the token is appended by PTB)."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    # -- scripting --------------------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue one update (its update_id is assigned here) for the bot's next getUpdates."""
        with self._lock:
            update = {"update_id": self._next_update, **update}
            self._next_update += 1
            self._updates.append(update)
            self._lock.notify_all()
        return update

    def new_message_id(self) -> int:
        with self._lock:
            self._next_message += 1
            return self._next_message

    def fail_next(self, method: str, status: int = 429, *, retry_after: int | None = 1,
                  description: str | None = None, chat_id: int | None = None) -> None:
        """Make the next `method` call (optionally only to `chat_id`) fail like Telegram would."""
        params = {"retry_after": retry_after} if status == 429 and retry_after is not None else None
        desc = description or {429: f"Too Many Requests: retry after {retry_after}",
                               403: "Forbidden: bot was blocked by the user"}.get(status, "Bad Request")
        with self._lock:
            self._failures.setdefault(method, []).append(_Failure(status, desc, params, chat_id))

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        with self._lock:
            return [c.params for c in self.calls if c.method == method]

    def results(self, method: str = "sendMessage") -> list[Any]:
        """What the fake answered to each successful `method` call (sendMessage: the Message dicts)."""
        with self._lock:
            return [c.result for c in self.calls if c.method == method and c.result is not None]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    async def wait_for(self, method: str, count: int = 1, timeout: float = 8.0) -> list[dict[str, Any]]:
        """Wait (without blocking the bot's event loop) until `count` calls of `method` were recorded."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.sent(method)
            if len(got) >= count:
                return got
            await asyncio.sleep(0.02)
        raise AssertionError(f"expected {count} {method} call(s) within {timeout}s, got {self.sent(method)!r}")

    async def settle(self, delay: float = 0.4) -> None:
        """Give the bot time to (not) react, for tests asserting that nothing was sent."""
        await asyncio.sleep(delay)

    def message_text(self, chat_id: int, message_id: int) -> str | None:
        with self._lock:
            msg = self._messages.get((chat_id, message_id))
        return msg.get("text") if msg else None

    # -- the HTTP side ----------------------------------------------------------------------------

    def _params(self, request: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        ctype = request.headers.get("Content-Type", "")
        if not body:
            return {}
        if "json" in ctype:
            return dict(json.loads(body))
        raw = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in _STRING_PARAMS:
                params[key] = value
                continue
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        path = urlsplit(request.path).path
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = path[len(prefix):]
        params = self._params(request)
        call = Call(method, params)
        if method != "getUpdates":
            with self._lock:
                self.calls.append(call)
        failure = self._take_failure(method, params)
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return self._reply(request, failure.status, body)
        result = call.result = self._result(method, params)
        self._reply(request, 200, {"ok": True, "result": result})

    def _take_failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        with self._lock:
            queue = self._failures.get(method) or []
            for i, f in enumerate(queue):
                if f.chat_id is None or f.chat_id == params.get("chat_id"):
                    return queue.pop(i)
        return None

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode("ascii")  # \u escapes: updates may carry lone surrogates, as Telegram's can
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "政务公开问答", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return self._bot_user()
        if method == "getUpdates":
            return self._get_updates(params)
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            msg = {"message_id": self.new_message_id(), "date": int(time.time()),
                   "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                   "from": self._bot_user(), "text": params.get("text", "")}
            if params.get("reply_markup"):
                msg["reply_markup"] = params["reply_markup"]
            with self._lock:
                self._messages[(chat_id, msg["message_id"])] = msg
            return msg
        if method in ("editMessageText", "editMessageReplyMarkup"):
            key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
            with self._lock:
                msg = self._messages.setdefault(key, {
                    "message_id": key[1], "date": int(time.time()), "from": self._bot_user(),
                    "chat": {"id": key[0], "type": "private" if key[0] > 0 else "supergroup"}, "text": ""})
                if "text" in params:
                    msg["text"] = params["text"]
                if params.get("reply_markup"):
                    msg["reply_markup"] = params["reply_markup"]
                else:
                    msg.pop("reply_markup", None)
                return dict(msg)
        if method == "setMyCommands":
            with self._lock:
                self.commands = list(params.get("commands") or [])
            return True
        if method == "getMyCommands":
            with self._lock:
                return list(self.commands)
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # answerCallbackQuery, deleteWebhook, close, logOut, sendChatAction …

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        deadline = time.monotonic() + wait
        with self._lock:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._lock.wait(max(0.0, deadline - time.monotonic()))
            return list(self._updates[: int(params.get("limit") or 100)])


# -- update builders ---------------------------------------------------------------------------------


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def user(user_id: int = 1001, name: str = "张科员") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": name, "language_code": "zh-hans"}


def chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": "张科员"}
    return {"id": chat_id, "type": kind, "title": "政务公开工作群"}


def entities_for(text: str, bot_username: str = BOT_USERNAME) -> list[dict[str, Any]]:
    """The entities Telegram would attach: a bot_command at the start, @mentions anywhere."""
    ents: list[dict[str, Any]] = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        ents.append({"type": "bot_command", "offset": 0, "length": _utf16(command)})
    start = 0
    while (i := text.find("@", start)) != -1:
        j = i + 1
        while j < len(text) and (text[j].isascii() and (text[j].isalnum() or text[j] == "_")):
            j += 1
        if j - i > 1 and not (ents and ents[0]["type"] == "bot_command" and i < ents[0]["length"]):
            ents.append({"type": "mention", "offset": _utf16(text[:i]), "length": _utf16(text[i:j])})
        start = j
    return ents


def message_update(api: FakeBotApi, text: str, *, chat_id: int = 1001, user_id: int = 1001,
                   kind: str = "private") -> dict[str, Any]:
    """Push a text message from a user (private chat by default) and return the update."""
    msg: dict[str, Any] = {"message_id": api.new_message_id(), "date": int(time.time()),
                           "chat": chat(chat_id, kind), "from": user(user_id), "text": text}
    if ents := entities_for(text):
        msg["entities"] = ents
    return api.push({"message": msg})


def callback_update(api: FakeBotApi, data: str, *, message: dict[str, Any], user_id: int = 1001) -> dict[str, Any]:
    """Push a button press on `message` (a sendMessage result / recorded message) and return the update."""
    return api.push({"callback_query": {"id": f"cq{api.new_message_id()}", "from": user(user_id),
                                        "chat_instance": "ci-1", "data": data, "message": message}})
