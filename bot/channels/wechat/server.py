"""The 公众号 server URL (服务器地址): URL verification (GET) and pushed messages (POST).

Job: `create_app(envelope, bot, path=...)` is a small Flask app with one route, wechat.path:

  * GET ?signature&timestamp&nonce&echostr — the console's check when the URL is saved: the
    signature and timestamp are verified and echostr returned as the body; 403 otherwise.
  * POST ?signature&timestamp&nonce&openid[&encrypt_type=aes&msg_signature] — a message or event in
    plaintext, compatible or safe mode. Checked before anything is read (envelope.py); a forged or
    stale request is 403 and nothing is answered. A replayed request, or a MsgId already taken (WeChat
    retries a slow delivery three times), is answered "success" and ignored. Anything else goes to
    the bot; the request waits up to PASSIVE_BUDGET for a one-part reply to return passively
    (encrypted when the push was), else answers "success" and the bot sends by 客服消息.

Bodies over MAX_BODY are refused (413) before they are read. Neighbours: envelope.py, bot.py,
__init__.py (waitress, SIGTERM).
"""
from __future__ import annotations

import logging

from flask import Flask, Response, request

from .bot import PASSIVE_BUDGET, WeChatBot
from .dedupe import RecentKeys
from .envelope import Envelope, Refused
from .messages import incoming_of
from .wxml import MAX_BODY, text_reply

logger = logging.getLogger(__name__)

RETRY_WINDOW = 120.0  # seconds a MsgId is remembered; WeChat's three retries come within ~15 s


def create_app(envelope: Envelope, bot: WeChatBot, *, path: str = "/wechat/callback",
               budget: float = PASSIVE_BUDGET) -> Flask:
    """The callback server's WSGI app (served by waitress in `run` and in the tests)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    taken = RecentKeys(ttl=RETRY_WINDOW)

    def plain(body: str, status: int = 200) -> Response:
        return Response(body, status=status, mimetype="text/plain")

    @app.get(path)
    def verify_url() -> Response:
        try:
            return plain(envelope.verify_url(request.args))
        except Refused as exc:
            logger.warning("WeChat URL verification refused: %s", exc.reason)
            return plain("forbidden" if exc.status == 403 else "bad request", exc.status)

    @app.post(path)
    def receive() -> Response:
        try:
            opened = envelope.open(request.args, request.get_data(cache=False))
            message = incoming_of(opened.root)
        except Refused as exc:
            logger.warning("WeChat push refused (%s): %s", exc.status, exc.reason)
            return plain("forbidden" if exc.status == 403 else "bad request", exc.status)
        except ValueError as exc:
            logger.warning("WeChat push unreadable: %s", exc)
            return plain("bad request", 400)
        if opened.replay or not taken.first_time(message.dedupe_key):
            return plain("success")
        parts = bot.submit(message).claim(budget)
        if not parts:
            return plain("success")
        reply = text_reply(message.openid, message.account, parts[0])
        return Response(envelope.seal(reply, opened.encrypted), mimetype="application/xml")

    return app
