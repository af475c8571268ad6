"""The WeCom server API client: `gettoken` cached until it expires, `message/send` with retries.

Job: one `WeComApi` per app, safe to share between threads. The access token is fetched with
corp_id + secret, kept until shortly before its `expires_in` (7200 s), and fetched again at once when
WeCom answers an expired or invalid token (42001, 40014, 42007, 42009). Rate limiting (45009, 45033)
and WeCom's "system busy" (-1) are retried with exponential backoff; network errors likewise. Any
other error code is a `WeComApiError` naming the code and WeCom's message (e.g. 60020: the server's
IP is not among the app's trusted IPs).

Neighbours: bot.py (answers) and schedule.py (reminders, digests) send through it; the tests point
`api_base` at tests/wecom/fake_wecom_api.py on 127.0.0.1.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

logger = logging.getLogger(__name__)

TOKEN_ERRORS = {40014, 42001, 42007, 42009}  # invalid / expired access_token: fetch a new one and retry
RETRY_LATER = {-1, 45009, 45033}  # system busy, API rate limit, too many concurrent calls
TOKEN_MARGIN = 300  # seconds before expires_in at which a cached token is renewed
MESSAGE_BYTES = 2048  # text.content and markdown.content limit of message/send (UTF-8 bytes)


class WeComApiError(RuntimeError):
    """WeCom refused a call, or could not be reached; `errcode` -2 stands for a network failure."""

    def __init__(self, errcode: int, errmsg: str, *, call: str) -> None:
        super().__init__(f"WeCom {call}: errcode {errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


@dataclass
class _Token:
    value: str
    expires_at: float


class WeComApi:
    """gettoken + message/send for one self-built app."""

    def __init__(self, api_base: str, corp_id: str, secret: str, agent_id: int, *,
                 client: httpx.Client | None = None, attempts: int = 4, backoff: float = 0.5,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_base = api_base.rstrip("/")
        self.corp_id, self.agent_id = corp_id, agent_id
        self._secret = secret
        self._client = client or httpx.Client(timeout=httpx.Timeout(10.0, connect=5.0))
        self._attempts, self._backoff = max(1, attempts), backoff
        self._clock, self._sleep = clock, sleep
        self._token: _Token | None = None
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    # -- the access token -------------------------------------------------------------------------

    def access_token(self, *, stale: str | None = None) -> str:
        """The cached access token, fetched again when it is about to expire or when it is `stale`.

        `stale` is the token WeCom just refused: if another thread has already replaced it, the
        replacement is used rather than fetching yet another.
        """
        with self._lock:
            now = self._clock()
            if self._token is None or now >= self._token.expires_at or self._token.value == stale:
                body = self._call("gettoken", "GET", params={"corpid": self.corp_id, "corpsecret": self._secret})
                expires_in = int(body.get("expires_in") or 7200)
                self._token = _Token(str(body["access_token"]), now + max(60, expires_in - TOKEN_MARGIN))
            return self._token.value

    # -- sending ----------------------------------------------------------------------------------

    def send(self, touser: str, msgtype: str, content: str) -> dict[str, Any]:
        """POST message/send to one user (text or markdown, content at most MESSAGE_BYTES)."""
        if msgtype not in ("text", "markdown"):
            raise ValueError(f"unsupported msgtype {msgtype!r}")
        payload = {"touser": touser, "msgtype": msgtype, "agentid": self.agent_id, msgtype: {"content": content},
                   "safe": 0, "enable_duplicate_check": 0}
        token = self.access_token()
        for attempt in range(2):
            try:
                return self._call("message/send", "POST", params={"access_token": token}, json=payload)
            except WeComApiError as exc:
                if exc.errcode not in TOKEN_ERRORS or attempt:
                    raise
                logger.info("WeCom access token expired or invalid (%s); fetching a new one", exc.errcode)
                token = self.access_token(stale=token)
        raise AssertionError("unreachable")

    # -- one call with retries --------------------------------------------------------------------

    def _call(self, call: str, method: str, **kwargs: Any) -> dict[str, Any]:
        """One API call; busy, rate-limited and network failures retried with backoff, other errors raised."""
        url = f"{self.api_base}/{call}"
        for attempt in range(1, self._attempts + 1):
            wait = self._backoff * 2 ** (attempt - 1)
            try:
                response = self._client.request(method, url, **kwargs)
                body = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                if attempt == self._attempts:
                    raise WeComApiError(-2, f"cannot reach {self.api_base} ({exc})", call=call) from None
                logger.warning("WeCom %s: network error, retrying in %.1f s: %s", call, wait, exc)
                self._sleep(wait)
                continue
            code = int(body.get("errcode") or 0) if isinstance(body, dict) else -2
            if code == 0:
                return body
            errmsg = str(body.get("errmsg", "")) if isinstance(body, dict) else "not a JSON object"
            if code in RETRY_LATER and attempt < self._attempts:
                logger.warning("WeCom %s: errcode %s (%s), retrying in %.1f s", call, code, errmsg, wait)
                self._sleep(wait)
                continue
            raise WeComApiError(code, errmsg, call=call)
        raise AssertionError("unreachable")
