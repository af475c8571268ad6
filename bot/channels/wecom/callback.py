"""The WeCom callback URL: URL verification (GET) and encrypted messages (POST), answered within 5 s.

Job: `create_callback_app(...)` is a small Flask app with one route, wecom.path (/wecom/callback):

  * GET ?msg_signature&timestamp&nonce&echostr — WeCom's check when the URL is saved in the admin
    console: the signature is verified and the decrypted echostr returned as the body.
  * POST ?msg_signature&timestamp&nonce with XML <Encrypt> — a message: the signature is verified
    (a bad one is 403 and nothing is processed), the message decrypted (CorpID checked) and parsed,
    a MsgId seen before (WeCom retries when an answer is slow) is dropped, a user outside
    wecom.allowed_users is told so, and anything else is handed to the bot's worker threads. The
    response is an empty-bodied "success" at once; the answer goes out through message/send.

Hardening (issue 23): nothing from the network is parsed as XML before its signature is checked — the
ciphertext is cut out of the envelope as base64 text, the envelope must be UTF-8 (a UTF-16 body hid a
DOCTYPE from the check) and may hold no `<!DOCTYPE`/`<!ENTITY`. The signed `timestamp` must be within
MAX_CLOCK_SKEW seconds of now, so a captured callback cannot be replayed later; message ids already
taken are remembered in the database (`seen_db`), so a replay or a WeCom retry after a restart is not
processed twice. Neighbours: crypto.py, bot.py, __init__.py (waitress).
"""
from __future__ import annotations

import logging
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections import OrderedDict
from collections.abc import Callable, Mapping

from flask import Flask, Response, request

from bot.storage.base import Database
from bot.storage.migrations import Migration

from .bot import IncomingMessage, WeComBot
from .crypto import CryptoError, WeComCrypto

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024  # a WeCom text message is at most 2048 bytes; its envelope far below this
SEEN_IDS = 10_000  # message ids remembered to drop WeCom's retries of a message already taken
MAX_CLOCK_SKEW = 300  # seconds between a callback's signed timestamp and now
SEEN_KEEP_SECONDS = 2 * MAX_CLOCK_SKEW  # older ids need not be kept: their callbacks are refused anyway
_ENCRYPT = re.compile(r"<Encrypt>\s*(?:<!\[CDATA\[([A-Za-z0-9+/=\s]*)\]\]>|([A-Za-z0-9+/=\s]*))\s*</Encrypt>")
_SEEN_TABLE = """CREATE TABLE IF NOT EXISTS wecom_seen (
    key TEXT PRIMARY KEY,
    at DOUBLE PRECISION NOT NULL
)"""
SEEN_MIGRATIONS = (Migration(1, "WeCom message ids already taken (replays, retries)", _SEEN_TABLE, _SEEN_TABLE),)
REFUSAL = "抱歉，本应用仅供授权的工作人员使用。如需开通，请联系管理员并提供您的企业微信账号：{user}"


class _Seen:
    """The most recent message ids, to process each message once (thread-safe); in the database when
    given one, so that a restart does not forget them."""

    def __init__(self, size: int = SEEN_IDS, db: Database | None = None) -> None:
        self._ids: OrderedDict[str, None] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._db = db
        if db is not None:
            db.migrate("wecom_seen", SEEN_MIGRATIONS)

    def first_time(self, key: str) -> bool:
        with self._lock:
            if key in self._ids:
                return False
            self._ids[key] = None
            while len(self._ids) > self._size:
                self._ids.popitem(last=False)
        return self._first_in_database(key)

    def _first_in_database(self, key: str) -> bool:
        if self._db is None:
            return True
        now = time.time()
        try:
            self._db.run("DELETE FROM wecom_seen WHERE at < ?", (now - SEEN_KEEP_SECONDS,))
            return bool(self._db.run("INSERT INTO wecom_seen(key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING "
                                     "RETURNING key", (key, now)))
        except Exception:  # the database down: memory alone still drops retries within this process
            logger.exception("WeCom: could not record message id %s", key)
            return True


def _utf8(body: bytes | str) -> str:
    """The body as text: UTF-8 only (no BOM, no other declared encoding), no DOCTYPE or ENTITY."""
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError("not UTF-8") from None
    else:
        text = body
    head = text[:200].lower()
    if text.startswith("\ufeff") or ("encoding=" in head and not re.search(r"encoding=[\"']utf-?8[\"']", head)):
        raise ValueError("only UTF-8 is accepted")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise ValueError("DOCTYPE and ENTITY are not accepted")
    return text


def envelope_ciphertext(body: bytes) -> str:
    """The <Encrypt> text of a POSTed envelope, cut out without an XML parser (the signature is not
    checked yet); ValueError if there is none."""
    m = _ENCRYPT.search(_utf8(body))
    if m is None:
        raise ValueError("no <Encrypt> element")
    return "".join((m.group(1) or m.group(2) or "").split())


def parse_xml(body: bytes | str) -> dict[str, str]:
    """The child elements of a WeCom <xml> document as text; ValueError for anything else."""
    text = _utf8(body)
    try:
        root = ET.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", text))
    except ET.ParseError as exc:
        raise ValueError(f"not XML: {exc}") from None
    return {child.tag: (child.text or "") for child in root}


def message_of(fields: dict[str, str]) -> IncomingMessage:
    return IncomingMessage(user=fields.get("FromUserName", ""), msg_type=fields.get("MsgType", ""),
                           content=fields.get("Content", ""), msg_id=fields.get("MsgId", ""),
                           event=fields.get("Event", ""))


class CallbackHandler:
    """What the route does, apart from Flask: verify, open, deduplicate, gate, hand over."""

    def __init__(self, crypto: WeComCrypto, bot: WeComBot, allowed_users: frozenset[str],
                 seen_db: Database | None = None, clock: Callable[[], float] = time.time) -> None:
        self.crypto, self.bot, self.allowed_users = crypto, bot, allowed_users
        self.seen = _Seen(db=seen_db)
        self._clock = clock

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
            fields = parse_xml(self._open(args, envelope_ciphertext(body)))
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
        stamp = args.get("timestamp", "")
        if not stamp.isdigit() or abs(self._clock() - int(stamp)) > MAX_CLOCK_SKEW:
            raise CryptoError(f"timestamp {stamp[:20]!r} is not within {MAX_CLOCK_SKEW} s of now")
        return self.crypto.open(args.get("msg_signature", ""), args.get("timestamp", ""), args.get("nonce", ""),
                                encrypted)


def create_callback_app(crypto: WeComCrypto, bot: WeComBot, *, path: str = "/wecom/callback",
                        allowed_users: frozenset[str] = frozenset(), seen_db: Database | None = None) -> Flask:
    """The callback server's WSGI app (served by waitress in `run` and in the tests)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    handler = CallbackHandler(crypto, bot, allowed_users, seen_db)

    @app.get(path)
    def verify_url() -> Response:
        status, body = handler.verify(request.args)
        return Response(body, status=status, mimetype="text/plain")

    @app.post(path)
    def receive() -> Response:
        status, body = handler.receive(request.args, request.get_data(cache=False))
        return Response(body, status=status, mimetype="text/plain")

    return app
