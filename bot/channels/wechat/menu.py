"""The account's custom menu (自定义菜单): a JSON file in WeChat's own format, checked, then pushed.

Job: `load_menu(path)` reads knowledge/data/wechat_menu.json and checks it against the published
limits before WeChat sees it — 1-3 buttons named in at most 16 bytes, each either an action or 1-5
sub-buttons named in at most 60 bytes; actions `click` (key at most 128 bytes) or `view` (url);
`push_menu` sends it with `menu/create` (`python -m bot wechat menu`). The shipped menu has 常见问题
(key FAQ), 按部门浏览 (keys "ASK:<question>": tapping asks that question) and 我的订阅
(MY_SUBSCRIPTIONS); bot.py answers these keys. Neighbours: api.py, bot.py, config.py.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from indexer.settings import Settings

from .api import WeChatApi, WeChatApiError
from .config import WeChatError, wechat_settings

MENU_FILE = "wechat_menu.json"


def _bytes(text: object) -> int:
    return len(str(text).encode("utf-8"))


def _check_action(button: dict[str, Any], where: str) -> None:
    kind = button.get("type")
    if kind == "click":
        if not 0 < _bytes(button.get("key", "")) <= 128:
            raise WeChatError(f"{where}: a click button needs a key of 1-128 bytes")
    elif kind == "view":
        if not str(button.get("url", "")).startswith(("http://", "https://")) or _bytes(button["url"]) > 1024:
            raise WeChatError(f"{where}: a view button needs an http(s) url of at most 1024 bytes")
    else:
        raise WeChatError(f"{where}: type must be click or view, got {kind!r}")


def check_menu(menu: Any) -> dict[str, Any]:
    """`menu` if it is a valid menu/create body, else WeChatError naming the button at fault."""
    buttons = menu.get("button") if isinstance(menu, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise WeChatError("the menu needs a \"button\" list of 1-3 buttons")
    assert isinstance(menu, dict)
    for i, button in enumerate(buttons, 1):
        where = f"button {i} ({button.get('name', '?') if isinstance(button, dict) else '?'})"
        if not isinstance(button, dict) or not 0 < _bytes(button.get("name", "")) <= 16:
            raise WeChatError(f"{where}: a name of 1-16 bytes (5 Chinese characters) is required")
        subs = button.get("sub_button")
        if subs is None:
            _check_action(button, where)
            continue
        if not isinstance(subs, list) or not 1 <= len(subs) <= 5:
            raise WeChatError(f"{where}: sub_button must hold 1-5 buttons")
        for j, sub in enumerate(subs, 1):
            inner = f"{where} → {j}"
            if not isinstance(sub, dict) or not 0 < _bytes(sub.get("name", "")) <= 60:
                raise WeChatError(f"{inner}: a name of 1-60 bytes is required")
            _check_action(sub, inner)
    return dict(menu)


def load_menu(path: Path) -> dict[str, Any]:
    try:
        menu = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WeChatError(f"cannot read the menu file {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise WeChatError(f"{path} is not valid JSON: {exc}") from None
    return check_menu(menu)


def menu_path(settings: Settings) -> Path:
    return settings.path("knowledge.data_dir") / MENU_FILE


def push_menu(settings: Settings, path: Path | None = None) -> dict[str, Any]:
    """Check the menu file and create it with menu/create; returns what was sent."""
    ws = wechat_settings(settings, server=False)
    menu = load_menu(path or menu_path(settings))
    api = WeChatApi(ws.api_base, ws.app_id, ws.app_secret, proxy=ws.proxy or None)
    try:
        api.create_menu(menu)
    except WeChatApiError as exc:
        raise WeChatError(f"menu not created: {exc}") from None
    finally:
        api.close()
    return menu
