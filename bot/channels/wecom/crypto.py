"""WeCom's callback message encryption (企业微信 加解密方案): the shared WXBizMsgCrypt scheme with the
CorpID as ReceiveId. The implementation lives in bot/channels/wxcrypto.py (the 公众号 channel uses the
same scheme with its AppID); this module keeps the WeCom names.
"""
from __future__ import annotations

from bot.channels.wxcrypto import BLOCK_BITS, CryptoError, WXBizMsgCrypt, aes_key_of, signature

WeComCrypto = WXBizMsgCrypt

__all__ = ["BLOCK_BITS", "CryptoError", "WeComCrypto", "aes_key_of", "signature"]
