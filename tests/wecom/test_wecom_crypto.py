"""The callback encryption (bot/channels/wecom/crypto.py) against WeCom's published example and an independent sealer."""
from __future__ import annotations

import pytest

from bot.channels.wecom.crypto import CryptoError, WeComCrypto, aes_key_of, signature

from .wecom_side import AES_KEY, TOKEN, WeComSide

# The worked example of WeCom's 加解密方案说明 (its sample Token, EncodingAESKey, CorpID and echostr).
DOC_TOKEN, DOC_KEY, DOC_CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
DOC_ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="


def test_published_example() -> None:
    assert signature(DOC_TOKEN, "1409659589", "263014780", DOC_ECHO) == "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
    crypto = WeComCrypto(DOC_TOKEN, DOC_KEY, DOC_CORP)
    assert crypto.open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780",
                       DOC_ECHO) == "1616140317555161061"


def test_sealed_by_wecom_opened_by_the_app_and_back() -> None:
    side = WeComSide(TOKEN, AES_KEY, "ww-corp")
    crypto = WeComCrypto(TOKEN, AES_KEY, "ww-corp")
    message = "<xml><Content><![CDATA[养老补贴谁负责？" + "长" * 500 + "]]></Content></xml>"
    assert crypto.decrypt(side.seal(message)) == message
    assert crypto.decrypt(crypto.encrypt("回声")) == "回声"
    for n in range(0, 70):  # every padding length, 1 … 32
        assert crypto.decrypt(side.seal("x" * n)) == "x" * n


def test_refusals() -> None:
    side = WeComSide(TOKEN, AES_KEY, "ww-corp")
    crypto = WeComCrypto(TOKEN, AES_KEY, "ww-corp")
    sealed = side.seal("hello")
    with pytest.raises(CryptoError, match="CorpID"):
        WeComCrypto(TOKEN, AES_KEY, "ww-other").decrypt(sealed)
    with pytest.raises(CryptoError, match="signature"):
        crypto.open("0" * 40, "1", "2", sealed)
    for broken in ("not base64!", sealed[:-8] + "AAAAAAA=", "QUJD"):
        with pytest.raises(CryptoError):
            crypto.decrypt(broken)
    for key in ("short", AES_KEY + "A", "!" * 43):
        with pytest.raises(CryptoError):
            aes_key_of(key)
