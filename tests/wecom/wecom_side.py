"""Plays WeCom's part of the callback protocol, implemented separately from bot/channels/wecom/crypto.py.

Job: seal messages exactly as WeCom does before POSTing them to the app's callback URL (AES-256-CBC
with the EncodingAESKey, IV = key[:16], 16 random bytes + 4-byte big-endian length + msg + CorpID,
PKCS#7 to 32-byte blocks, SHA-1 msg_signature over the sorted token/timestamp/nonce/ciphertext), so the
tests check the app against the published scheme rather than against itself.
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import time
from dataclasses import dataclass
from itertools import count

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TOKEN = "zwgkCallbackToken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the admin console generates

_msg_ids = count(7_000_000_000_000_000_001)


@dataclass
class WeComSide:
    token: str
    aes_key: str
    corp_id: str

    def _key(self) -> bytes:
        return base64.b64decode(self.aes_key + "=")

    def seal(self, msg: str) -> str:
        body = msg.encode("utf-8")
        plain = os.urandom(16) + struct.pack("!I", len(body)) + body + self.corp_id.encode("utf-8")
        pad = 32 - len(plain) % 32
        plain += bytes([pad]) * pad
        key = self._key()
        enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode()

    def sign(self, timestamp: str, nonce: str, encrypted: str) -> str:
        return hashlib.sha1("".join(sorted([self.token, timestamp, nonce, encrypted])).encode()).hexdigest()

    def verification_query(self, echo: str) -> dict[str, str]:
        """The query of WeCom's GET when the callback URL is saved: the app must answer `echo`."""
        ts, nonce, encrypted = str(int(time.time())), secrets.token_hex(5), self.seal(echo)
        return {"msg_signature": self.sign(ts, nonce, encrypted), "timestamp": ts, "nonce": nonce,
                "echostr": encrypted}

    def text_message(self, user: str, content: str, *, msg_id: int | None = None,
                     agent_id: int = 1000002) -> str:
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName>"
                f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{int(time.time())}</CreateTime>"
                f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>"
                f"<MsgId>{msg_id or next(_msg_ids)}</MsgId><AgentID>{agent_id}</AgentID></xml>")

    def event(self, user: str, event: str, *, agent_id: int = 1000002) -> str:
        return (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName>"
                f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{int(time.time())}</CreateTime>"
                f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>"
                f"<AgentID>{agent_id}</AgentID></xml>")

    def callback(self, inner_xml: str, *, bad_signature: bool = False) -> tuple[dict[str, str], str]:
        """(query, body) of WeCom's POST carrying `inner_xml`, encrypted and signed."""
        ts, nonce = str(int(time.time())), secrets.token_hex(5)
        encrypted = self.seal(inner_xml)
        signature = self.sign(ts, nonce, encrypted)
        if bad_signature:
            signature = ("0" if signature[0] != "0" else "1") + signature[1:]
        body = (f"<xml><ToUserName><![CDATA[{self.corp_id}]]></ToUserName>"
                f"<AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>")
        return {"msg_signature": signature, "timestamp": ts, "nonce": nonce}, body
