"""The WXBizMsgCrypt scheme of WeChat's callbacks, shared by WeCom (企业微信) and the 公众号 channel.

Job: check and open what WeCom or WeChat sends to a callback URL, and seal replies the same way (the
tests play each platform with their own implementation). The published scheme, identical for both:

  * AESKey = base64-decode(EncodingAESKey + "="): 43 characters give 32 bytes (AES-256);
    CBC mode, IV = the first 16 bytes of the key, PKCS#7 padding to a multiple of 32 bytes;
  * plaintext = 16 random bytes + msg length (4 bytes, big-endian) + msg + ReceiveId, where the
    ReceiveId is the CorpID of a WeCom self-built app or the AppID of a 公众号, checked on every message;
  * msg_signature = SHA-1 hex of the sorted, concatenated token, timestamp, nonce and ciphertext.

Neighbours: bot/channels/wecom/callback.py and bot/channels/wechat/envelope.py; nothing here does I/O.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK_BITS = 256  # the scheme pads to 32-byte blocks, not AES's 16


class CryptoError(ValueError):
    """A callback not from the platform, or not for this app: bad signature, bad ciphertext, wrong ReceiveId."""


def aes_key_of(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey; a clear error for anything else."""
    text = (encoding_aes_key or "").strip()
    if len(text) != 43:
        raise CryptoError(f"EncodingAESKey must be 43 characters, got {len(text)}")
    try:
        key = base64.b64decode(text + "=", validate=True)
    except binascii.Error:
        raise CryptoError("EncodingAESKey is not base64 (letters and digits only)") from None
    if len(key) != 32:
        raise CryptoError("EncodingAESKey does not decode to 32 bytes")
    return key


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """msg_signature: SHA-1 over the four values sorted and joined."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode("utf-8")).hexdigest()


class WXBizMsgCrypt:
    """One app's Token, EncodingAESKey and ReceiveId (WeCom: the CorpID; 公众号: the AppID)."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        self.token = token
        self.receive_id = receive_id
        self._key = aes_key_of(encoding_aes_key)

    def check(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        """Raise CryptoError unless the signature is the platform's (constant-time comparison)."""
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected, (msg_signature or "").lower()):
            raise CryptoError("bad msg_signature")

    def decrypt(self, encrypted: str) -> str:
        """The msg inside a ciphertext, after checking padding, length and the ReceiveId."""
        try:
            data = base64.b64decode(encrypted, validate=True)
        except (binascii.Error, ValueError):
            raise CryptoError("ciphertext is not base64") from None
        if not data or len(data) % 16:
            raise CryptoError("ciphertext length is not a multiple of the AES block")
        decryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).decryptor()
        padded = decryptor.update(data) + decryptor.finalize()
        unpadder = padding.PKCS7(BLOCK_BITS).unpadder()
        try:
            plain = unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise CryptoError("bad padding") from None
        if len(plain) < 20:
            raise CryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        msg, receive_id = plain[20:20 + length], plain[20 + length:]
        if len(msg) != length or receive_id.decode("utf-8", "replace") != self.receive_id:
            raise CryptoError("message is not for this ReceiveId (CorpID / AppID)")
        try:
            return msg.decode("utf-8")
        except UnicodeDecodeError:
            raise CryptoError("message is not UTF-8") from None

    def encrypt(self, msg: str, *, random_prefix: bytes | None = None) -> str:
        """The base64 ciphertext of `msg` for this app (used for passive replies and by tests)."""
        body = msg.encode("utf-8")
        plain = (random_prefix or os.urandom(16)) + struct.pack(">I", len(body)) + body + self.receive_id.encode()
        padder = padding.PKCS7(BLOCK_BITS).padder()
        padded = padder.update(plain) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16])).encryptor()
        return base64.b64encode(encryptor.update(padded) + encryptor.finalize()).decode("ascii")

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """Check the signature, then decrypt: the URL check's echostr and every message use this."""
        self.check(msg_signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)
