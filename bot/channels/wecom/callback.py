"""The WeCom callback URL: URL verification (GET) and encrypted messages (POST), answered within 5 s.

Job: `create_callback_app(...)` is a small Flask app with one route, wecom.path (/wecom/callback):

  * GET ?msg_signature&timestamp&nonce&echostr — WeCom's check when the URL is saved in the admin
    console: the signature is verified and the decrypted echostr returned as the body.
  * POST ?msg_signature&timestamp&nonce with XML <Encrypt> — a message: the signature is verified
    (a bad one is 403 and nothing is processed), the message decrypted (CorpID checked) and parsed,
    a MsgId seen before (WeCom retries when an answer is slow) is dropped, a user outside
    wecom.allowed_users is told so, and anything else is handed to the bot's worker threads. The
    response is an empty-bodied "success" at once; the answer goes out through message/send.

XML from the network is parsed with the standard library only after refusing any DOCTYPE/ENTITY
(no entity expansion, no external fetches). Neighbours: crypto.py, bot.py, __init__.py (waitress).
"""
from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Mapping

from flask import Flask, Response, request

from .bot import IncomingMessage, WeComBot
from .crypto import CryptoError, WeComCrypto

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # a WeCom text message is at most 2048 bytes; its envelope far below this
SEEN_IDS = 10_000  # message ids remembered to drop WeCom's retries of a message already taken
REFUSAL = "抱歉，本应用仅供授权的工作人员使用。如需开通，请联系管理员并提供您的企业微信账号：{user}"


class _Seen:
    """The most recent message ids, to process each message once (thread-safe)."""

    def __init__(self, size: int = SEEN_IDS) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
            return True


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The child elements of a WeCom <xml> document as text; ValueError for anything else."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise ValueError("DOCTYPE and ENTITY are not accepted")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    return {child.tag: (child.text or "") for child in root}


def message_of(fields: dict[str, str]) -> IncomingMessage:
    return IncomingMessage(user=fields.get("FromUserName", ""), msg_type=fields.get("MsgType", ""),
                           content=fields.get("Content", ""), msg_id=fields.get("MsgId", ""),
                           event=fields.get("Event", ""))


class CallbackHandler:
    """What the route does, apart from Flask: verify, open, deduplicate, gate, hand over."""

    def __init__(self, crypto: WeComCrypto, bot: WeComBot, allowed_users: frozenset[str]) -> None:
        self.crypto, self.bot, self.allowed_users = crypto, bot, allowed_users
        self.seen = _Seen()

    def verify(self, args: Mapping[str, str]) -> tuple[int, str]:
        """(status, body) for WeCom's URL verification: the decrypted echostr."""
        echostr = args.get("echostr", "")
        if not echostr:
            return 400, "missing echostr"
        try:
            return 200, self._open(args, echostr)
        except CryptoError as exc:
            logger.warning("WeCom URL verification refused: %s", exc)
            return 403, "forbidden"

    def receive(self, args: Mapping[str, str], body: bytes) -> tuple[int, str]:
        """(status, body) for one POSTed message; the answer itself is sent later by the bot."""
        try:
            fields = parse_xml(self._open(args, parse_xml(body).get("Encrypt", "")))
        except CryptoError as exc:
            logger.warning("WeCom callback refused: %s", exc)
            return 403, "forbidden"
        except ValueError as exc:
            logger.warning("WeCom callback unreadable: %s", exc)
            return 400, "bad request"
        message = message_of(fields)
        key = message.msg_id or f"{message.user}|{fields.get('CreateTime', '')}|{message.event}"
        if not message.user or not self.seen.first_time(key):
            return 200, "success"
        if self.allowed_users and message.user not in self.allowed_users:
            if message.msg_type != "event":
                self.bot.refuse(message.user, REFUSAL.format(user=message.user))
            return 200, "success"
        self.bot.submit(message)
        return 200, "success"

    def _open(self, args: Mapping[str, str], encrypted: str) -> str:
        return self.crypto.open(args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", ""),
                                encrypted)


def create_callback_app(crypto: WeComCrypto, bot: WeComBot, *, path: str = "/wecom/callback",
                        allowed_users: frozenset[str] = frozenset()) -> Flask:
    """The callback server's WSGI app (served by waitress in `run` and in the tests)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    handler = CallbackHandler(crypto, bot, allowed_users)

    @app.get(path)
    def verify_url() -> Response:
        status, body = handler.verify(request.args)
        return Response(body, status=status, mimetype="text/plain")

    @app.post(path)
    def receive() -> Response:
        status, body = handler.receive(request.args, request.get_data(cache=False))
        return Response(body, status=status, mimetype="text/plain")

    return app
