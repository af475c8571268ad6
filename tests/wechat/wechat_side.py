"""WeChat's side of the callback, written from the published 公众号 docs (消息加解密说明, 被动回复用户消息).

Job: play the WeChat server in the tests, independently of the app's code: sign URL checks
(signature = SHA-1 hex of the dictionary-sorted Token, timestamp and nonce, concatenated), build
pushes in plaintext, compatible and safe mode, and open the app's encrypted passive replies. Safe mode
as the docs describe it:

  * AESKey = Base64_Decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = AESKey[0:16];
  * FullStr = random(16 B) + msg_len (4 B, network order) + msg + AppID, PKCS#7-padded to 32 bytes;
  * Encrypt = Base64_Encode(AES_Encrypt(FullStr)); msg_signature = SHA-1(sort(Token, timestamp, nonce, Encrypt)).

Only `cryptography`'s raw AES is shared with the app; padding, framing and signing are done here.
"""
from __future__ import annotations

import base64
import hashlib
import os
import secrets
import struct
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from itertools import count

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

TOKEN = "zwgkWeChatTestToken2026"
APP_ID = "wx1a2b3c4d5e6f7a8b"
APP_SECRET = "0123456789abcdef0123456789abcdef"
ACCOUNT = "gh_0f1e2d3c4b5a"  # the account's 原始ID, ToUserName of every push
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"  # 43 characters

_msg_ids = count(24_000_000_000_000_001)


def sha1_sorted(*parts: str) -> str:
    """The docs' signature: sort the strings, join them, SHA-1, lower-case hex."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_of(fields: dict[str, str | int]) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}>{cdata(v)}</{k}>"
                    for k, v in fields.items())
    return f"<xml>{inner}</xml>"


def fields_of(text: str) -> dict[str, str]:
    return {child.tag: child.text or "" for child in ET.fromstring(text)}


@dataclass
class WeChatSide:
    """One 公众号 as WeChat knows it: Token, EncodingAESKey (empty: plaintext mode) and AppID."""

    token: str = TOKEN
    aes_key: str = AES_KEY
    app_id: str = APP_ID
    account: str = ACCOUNT

    # -- AES, framed as the docs say ----------------------------------------------------------------

    def _key(self) -> bytes:
        key = base64.b64decode(self.aes_key + "=")
        assert len(key) == 32
        return key

    def encrypt(self, msg: str, *, app_id: str | None = None) -> str:
        body = msg.encode("utf-8")
        full = secrets.token_bytes(16) + struct.pack("!I", len(body)) + body + (app_id or self.app_id).encode()
        pad = 32 - len(full) % 32
        full += bytes([pad]) * pad
        key = self._key()
        enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
        return base64.b64encode(enc.update(full) + enc.finalize()).decode()

    def decrypt(self, encrypted: str) -> str:
        key = self._key()
        dec = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        full = dec.update(base64.b64decode(encrypted)) + dec.finalize()
        pad = full[-1]
        assert 1 <= pad <= 32 and full.endswith(bytes([pad]) * pad), "bad PKCS#7 padding"
        full = full[:-pad]
        (length,) = struct.unpack("!I", full[16:20])
        msg, app_id = full[20:20 + length], full[20 + length:]
        assert app_id.decode() == self.app_id, f"reply sealed for {app_id!r}, not {self.app_id}"
        return msg.decode("utf-8")

    # -- what WeChat sends --------------------------------------------------------------------------

    def signed_query(self, *, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
        ts = timestamp or str(int(time.time()))
        nonce = nonce or str(secrets.randbelow(10**10))
        return {"signature": sha1_sorted(self.token, ts, nonce), "timestamp": ts, "nonce": nonce}

    def url_check(self, echostr: str = "7362931045612345678", **kwargs: str) -> dict[str, str]:
        """The query of the console's GET when the server URL is saved."""
        return {**self.signed_query(**kwargs), "echostr": echostr}

    def push(self, inner: str, openid: str, *, mode: str = "safe", bad_signature: bool = False,
             bad_msg_signature: bool = False, timestamp: str | None = None,
             nonce: str | None = None) -> tuple[dict[str, str], str]:
        """(query, body) of one POST: mode "plain", "compat" (both) or "safe" (ciphertext only)."""
        query = {**self.signed_query(timestamp=timestamp, nonce=nonce), "openid": openid}
        if bad_signature:
            query["signature"] = "0" * 40
        if mode == "plain":
            return query, inner
        encrypted = self.encrypt(inner)
        query["encrypt_type"] = "aes"
        query["msg_signature"] = sha1_sorted(self.token, query["timestamp"], query["nonce"], encrypted)
        if bad_msg_signature:
            query["msg_signature"] = sha1_sorted(self.token, query["timestamp"], query["nonce"], "tampered")
        outer = f"<ToUserName>{cdata(self.account)}</ToUserName><Encrypt>{cdata(encrypted)}</Encrypt>"
        if mode == "compat":
            outer = inner.removeprefix("<xml>").removesuffix("</xml>") + f"<Encrypt>{cdata(encrypted)}</Encrypt>"
        return query, f"<xml>{outer}</xml>"

    def text(self, openid: str, content: str, *, msg_id: int | None = None) -> str:
        return xml_of({"ToUserName": self.account, "FromUserName": openid, "CreateTime": int(time.time()),
                       "MsgType": "text", "Content": content, "MsgId": msg_id or next(_msg_ids)})

    def voice(self, openid: str, recognition: str, *, msg_id: int | None = None) -> str:
        return xml_of({"ToUserName": self.account, "FromUserName": openid, "CreateTime": int(time.time()),
                       "MsgType": "voice", "MediaId": "media-" + os.urandom(4).hex(), "Format": "amr",
                       "Recognition": recognition, "MsgId": msg_id or next(_msg_ids)})

    def image(self, openid: str) -> str:
        return xml_of({"ToUserName": self.account, "FromUserName": openid, "CreateTime": int(time.time()),
                       "MsgType": "image", "PicUrl": "http://127.0.0.1/p.jpg", "MediaId": "m1",
                       "MsgId": next(_msg_ids)})

    def event(self, openid: str, event: str, key: str = "", *, create_time: int | None = None) -> str:
        fields: dict[str, str | int] = {"ToUserName": self.account, "FromUserName": openid,
                                        "CreateTime": create_time or int(time.time()), "MsgType": "event",
                                        "Event": event}
        if key:
            fields["EventKey"] = key
        return xml_of(fields)

    def popup(self, openid: str, template_id: str, status: str = "accept") -> str:
        """subscribe_msg_popup_event: the citizen agreed to (or refused) a 订阅通知 template."""
        items = (f"<List><TemplateId>{cdata(template_id)}</TemplateId><SubscribeStatusString>{cdata(status)}"
                 "</SubscribeStatusString><PopupScene>2</PopupScene></List>")
        return (f"<xml><ToUserName>{cdata(self.account)}</ToUserName><FromUserName>{cdata(openid)}</FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType>{cdata('event')}</MsgType>"
                f"<Event>{cdata('subscribe_msg_popup_event')}</Event>"
                f"<SubscribeMsgPopupEvent>{items}</SubscribeMsgPopupEvent></xml>")

    # -- what the app answers -----------------------------------------------------------------------

    def read_reply(self, body: str, query: dict[str, str]) -> dict[str, str] | None:
        """The passive reply's fields (None for "success" or an empty body), checked as WeChat would."""
        if body in ("", "success"):
            return None
        outer = fields_of(body)
        if query.get("encrypt_type") != "aes":
            return outer
        assert set(outer) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}, outer
        expected = sha1_sorted(self.token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
        assert outer["MsgSignature"] == expected, "the reply's MsgSignature does not verify"
        return fields_of(self.decrypt(outer["Encrypt"]))
