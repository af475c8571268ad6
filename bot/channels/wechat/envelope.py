"""Opening what WeChat POSTs and sealing what we answer, in plaintext, compatible and safe mode.

Job: `Envelope.open(args, body)` checks, in this order and before reading any XML, the URL
`signature` and the timestamp window (signing.py); then, when `encrypt_type=aes` (compatible and safe
mode alike), reads only the outer <Encrypt>, verifies `msg_signature` over it, decrypts it (AppID
checked by the crypto) and parses the inner document. Failures are `Refused` with the HTTP status to
answer: 403 for anything unsigned, forged or sealed for another account, 400 for malformed input.
`seal(reply, encrypted)` encrypts a passive reply for a push that came encrypted, with a fresh
timestamp and nonce and its MsgSignature; a plaintext push gets a plaintext reply.

The AES scheme (WXBizMsgCrypt) is shared with the WeCom channel: any object with `encrypt` and
`decrypt` raising ValueError (its CryptoError) will do. Neighbours: server.py, signing.py, wxml.py.
"""
from __future__ import annotations

import secrets
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from .signing import Freshness, SignatureError, same, sign
from .wxml import XmlRefused, encrypted_reply, fields, parse


class MessageCrypto(Protocol):
    def encrypt(self, msg: str) -> str: ...

    def decrypt(self, encrypted: str) -> str: ...


class Refused(Exception):
    """A request not to act on, and the status to answer it with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Opened:
    root: ET.Element  # the message document, decrypted
    encrypted: bool  # came with encrypt_type=aes: answer encrypted too
    replay: bool  # this exact signed request was received before


class Envelope:
    """The account's Token, its crypto (None: plaintext mode) and the replay memory."""

    def __init__(self, freshness: Freshness, crypto: MessageCrypto | None) -> None:
        self.freshness, self.crypto = freshness, crypto

    @property
    def token(self) -> str:
        return self.freshness.token

    def verify_url(self, args: Mapping[str, str]) -> str:
        """The echostr to answer the console's URL check with (GET): signature and window checked."""
        echostr = args.get("echostr", "")
        if not echostr:
            raise Refused(400, "echostr missing")
        self._check(args)
        return echostr

    def open(self, args: Mapping[str, str], body: bytes) -> Opened:
        self._check(args)
        replay = not self.freshness.first_use(args, body)
        encrypted = args.get("encrypt_type", "raw").lower() == "aes"
        try:
            outer = parse(body)
            if not encrypted:
                return Opened(outer, False, replay)
            if self.crypto is None:
                raise Refused(400, "encrypted push, but wechat.aes_key is not set")
            cipher = fields(outer).get("Encrypt", "")
            if not cipher:
                raise Refused(400, "encrypt_type=aes without <Encrypt>")
            if not same(sign(self.token, args["timestamp"], args["nonce"], cipher), args.get("msg_signature")):
                raise Refused(403, "bad msg_signature")
            try:
                inner = self.crypto.decrypt(cipher)
            except ValueError as exc:
                raise Refused(403, f"cannot decrypt: {exc}") from None
            return Opened(parse(inner), True, replay)
        except XmlRefused as exc:
            raise Refused(400, str(exc)) from None

    def seal(self, reply: str, encrypted: bool) -> str:
        """`reply` as it goes back: encrypted with a fresh timestamp, nonce and MsgSignature when asked."""
        if not encrypted or self.crypto is None:
            return reply
        timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
        cipher = self.crypto.encrypt(reply)
        return encrypted_reply(cipher, sign(self.token, timestamp, nonce, cipher), timestamp, nonce)

    def _check(self, args: Mapping[str, str]) -> None:
        try:
            self.freshness.check(args)
        except SignatureError as exc:
            raise Refused(403, str(exc)) from None
