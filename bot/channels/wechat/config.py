"""The [wechat] settings, checked once at start-up: every missing or malformed value is one line naming
its environment variable and where the value is found in the 公众号 console.

Neighbours: __init__.py (run, build), menu.py (push); declared in indexer/settings.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from indexer.settings import Settings

from .api import DEFAULT_API_BASE

_TOKEN = re.compile(r"^[A-Za-z0-9]{3,32}$")
_KEY = re.compile(r"^[a-z_]+[0-9]*$")


class WeChatError(RuntimeError):
    """A setting or a first API call that stops the channel from starting; one line for the terminal."""


@dataclass(frozen=True)
class WeChatSettings:
    app_id: str
    app_secret: str
    token: str
    aes_key: str  # "" = plaintext mode
    api_base: str
    listen: str
    port: int
    path: str
    proxy: str
    notice_template: str
    notice_keys: tuple[str, ...]


def _text(settings: Settings, key: str) -> str:
    return settings.text(f"wechat.{key}").strip()


def _need(settings: Settings, key: str, where: str) -> str:
    value = _text(settings, key)
    if not value:
        raise WeChatError(f"ZWGK_WECHAT__{key.upper()} is not set ({where})")
    return value


def wechat_settings(settings: Settings, *, server: bool = True) -> WeChatSettings:
    """The checked values; `server=False` (menu push) needs only the AppID and AppSecret."""
    console = "公众号 console → 设置与开发 → 基本配置"
    app_id = _need(settings, "app_id", f"the AppID: {console} → 开发者ID")
    secret = _need(settings, "app_secret", f"the AppSecret: {console} → 开发者密码")
    token, aes_key, path = _text(settings, "token"), _text(settings, "aes_key"), _text(settings, "path")
    if server:
        token = _need(settings, "token", f"the Token of {console} → 服务器配置")
        if not _TOKEN.match(token):
            raise WeChatError("wechat.token must be 3-32 letters or digits, as the 公众号 console requires")
        if aes_key:
            from bot.channels.wxcrypto import CryptoError, WXBizMsgCrypt

            try:
                WXBizMsgCrypt(token, aes_key, app_id)
            except CryptoError as exc:
                raise WeChatError(f"wechat.aes_key: {exc}") from None
        if not path.startswith("/"):
            raise WeChatError(f"wechat.path must start with '/', got {path!r}")
    keys = tuple(k.strip() for k in _text(settings, "notice_keys").split(",") if k.strip())
    if len(keys) != 4 or not all(_KEY.match(k) for k in keys):
        raise WeChatError("wechat.notice_keys must name four template keys (topic, clause, citation, time), "
                          f"e.g. thing1,thing2,thing3,time4; got {_text(settings, 'notice_keys')!r}")
    port: Any = settings["wechat.port"]
    return WeChatSettings(app_id=app_id, app_secret=secret, token=token, aes_key=aes_key,
                          api_base=(_text(settings, "api_base") or DEFAULT_API_BASE).rstrip("/"),
                          listen=_text(settings, "listen") or "127.0.0.1", port=int(port), path=path,
                          proxy=_text(settings, "proxy"), notice_template=_text(settings, "notice_template"),
                          notice_keys=keys)
