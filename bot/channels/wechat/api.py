"""The 公众号 server API client: access token cached and refreshed, 客服消息, 订阅通知, menu.

Job: one `WeChatApi` per account, shared between threads. The access token comes from
`POST stable_token` (the stable token: fetching it again does not invalidate the token another
process — the web server firing subscription notices, a second replica — is using), or from the
classic `GET token` where an API base has no stable_token. It is cached until shortly before its
`expires_in` and fetched again at once when WeChat answers 40001 / 40014 / 42001 for it; if the
platform keeps handing out the refused token, one `force_refresh` is asked for (at most every 30 s,
as the docs require). 45009 (API quota), 45011 (frequency) and -1 (system busy) are retried with
exponential backoff, as are network errors; any other errcode is a `WeChatApiError` with WeChat's
message (40164: this server's IP is not on the account's IP allow-list).

`proxy` routes every call through an HTTP(S) proxy, for servers whose egress to api.weixin.qq.com
goes through a fixed allow-listed address. Secrets and tokens are never logged.
Neighbours: bot.py (replies), notify.py (订阅通知), menu.py (menu/create); tests point `api_base` at
tests/wechat/fake_wechat_api.py on 127.0.0.1.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com/cgi-bin"
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid / not latest / expired access_token
RETRY_LATER = {-1, 45009, 45011}  # system busy, API quota reached, API called too often
REFUSED = {40013, 40125, 40164, 41002, 41004}  # wrong AppID / AppSecret, IP not allowed: the same on /token
TOKEN_MARGIN = 300  # seconds before expires_in at which the cached token is renewed
FORCE_INTERVAL = 30.0  # seconds between two force_refresh calls (WeChat ignores quicker ones)
HINTS = {40164: "add this server's public IP to the account's IP allow-list (IP白名单)",
         40013: "check wechat.app_id", 40125: "check ZWGK_WECHAT__APP_SECRET",
         48001: "the account lacks this API permission (客服消息 and 订阅通知 need a verified account)"}


class WeChatApiError(RuntimeError):
    """WeChat refused a call or could not be reached (`errcode` -2: network failure)."""

    def __init__(self, errcode: int, errmsg: str, *, call: str) -> None:
        hint = HINTS.get(errcode)
        super().__init__(f"WeChat {call}: errcode {errcode}: {errmsg}" + (f" ({hint})" if hint else ""))
        self.errcode, self.errmsg, self.call = errcode, errmsg, call


class WeChatApi:
    """Token, custom/send, subscribe/bizsend and menu/create for one 公众号."""

    def __init__(self, api_base: str, app_id: str, app_secret: str, *, proxy: str | None = None,
                 client: httpx.Client | None = None, attempts: int = 4, backoff: float = 0.5,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.api_base = (api_base or DEFAULT_API_BASE).rstrip("/")
        self.app_id = app_id
        self._secret = app_secret
        timeout = httpx.Timeout(10.0, connect=5.0)
        self._client = client or httpx.Client(timeout=timeout, proxy=proxy or None)
        self._attempts, self._backoff = max(1, attempts), backoff
        self._clock, self._sleep = clock, sleep
        self._token: tuple[str, float] | None = None  # (value, renew at)
        self._stable: bool | None = None  # stable_token available? None: not tried yet
        self._last_force = -FORCE_INTERVAL
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    # -- the access token ---------------------------------------------------------------------------

    def access_token(self, *, stale: str | None = None) -> str:
        """The cached token; fetched again when about to expire or when it is the `stale` one WeChat refused."""
        with self._lock:
            now = self._clock()
            if self._token and now < self._token[1] and self._token[0] != stale:
                return self._token[0]
            value, expires_in = self._fetch(force=False)
            if stale is not None and value == stale and self._stable and now - self._last_force >= FORCE_INTERVAL:
                self._last_force = now
                value, expires_in = self._fetch(force=True)
            self._token = (value, now + max(60, expires_in - TOKEN_MARGIN))
            return value

    def _fetch(self, *, force: bool) -> tuple[str, int]:
        credentials = {"grant_type": "client_credential", "appid": self.app_id, "secret": self._secret}
        if self._stable is not False:
            try:
                body = self._call("stable_token", "POST", json={**credentials, "force_refresh": force},
                                  attempts=None if self._stable else 1)
                self._stable = True
                return str(body["access_token"]), int(body.get("expires_in") or 7200)
            except WeChatApiError as exc:
                if self._stable or exc.errcode in REFUSED:
                    raise
                logger.info("WeChat API at %s: no stable_token (%s); using token", self.api_base, exc.errcode)
                self._stable = False
        body = self._call("token", "GET", params=credentials)
        return str(body["access_token"]), int(body.get("expires_in") or 7200)

    # -- calls with the token -------------------------------------------------------------------------

    def post(self, call: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST `payload` to `call` with the access token; fetched anew once if WeChat refuses it."""
        token = self.access_token()
        for attempt in range(2):
            try:
                return self._call(call, "POST", params={"access_token": token}, json=payload)
            except WeChatApiError as exc:
                if exc.errcode not in TOKEN_ERRORS or attempt:
                    raise
                logger.info("WeChat refused the access token (%s); fetching a new one", exc.errcode)
                token = self.access_token(stale=token)
        raise AssertionError("unreachable")

    def send_text(self, openid: str, content: str) -> None:
        """A 客服消息 text to one citizen (content at most 2048 UTF-8 bytes: split.py cuts)."""
        self.post("message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": content}})

    def send_notice(self, openid: str, template_id: str, data: dict[str, str], *, page: str = "") -> None:
        """A 订阅通知 (message/subscribe/bizsend): `data` maps the template's keys to values."""
        payload: dict[str, Any] = {"touser": openid, "template_id": template_id,
                                   "data": {key: {"value": value} for key, value in data.items()}}
        if page:
            payload["page"] = page
        self.post("message/subscribe/bizsend", payload)

    def create_menu(self, menu: dict[str, Any]) -> None:
        self.post("menu/create", menu)

    # -- one call, retried when WeChat says "later" -------------------------------------------------

    def _call(self, call: str, method: str, *, attempts: int | None = None, **kwargs: Any) -> dict[str, Any]:
        url = f"{self.api_base}/{call}"
        attempts = attempts or self._attempts
        for attempt in range(1, attempts + 1):
            wait = self._backoff * 2 ** (attempt - 1)
            try:
                response = self._client.request(method, url, **kwargs)
                if response.status_code == 404:
                    raise WeChatApiError(-404, "HTTP 404", call=call)
                body = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                if attempt == attempts:
                    raise WeChatApiError(-2, f"cannot reach {self.api_base} ({type(exc).__name__})",
                                         call=call) from None
                logger.warning("WeChat %s: network error, retrying in %.1f s: %s", call, wait, type(exc).__name__)
                self._sleep(wait)
                continue
            if not isinstance(body, dict):
                raise WeChatApiError(-2, "answer is not a JSON object", call=call)
            code = int(body.get("errcode") or 0)
            if code == 0:
                return body
            errmsg = str(body.get("errmsg", ""))[:200]
            if code in RETRY_LATER and attempt < attempts:
                logger.warning("WeChat %s: errcode %s (%s), retrying in %.1f s", call, code, errmsg, wait)
                self._sleep(wait)
                continue
            raise WeChatApiError(code, errmsg, call=call)
        raise AssertionError("unreachable")
