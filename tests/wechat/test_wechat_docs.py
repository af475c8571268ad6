"""The operator docs and the settings agree: docs/wechat.md has a row for every wechat.* setting (and the
retention it follows), with its variable and default; config.toml lists them; the menu file is valid."""
from __future__ import annotations

import pytest

from bot.channels.wechat.config import WeChatError, wechat_settings
from bot.channels.wechat.menu import check_menu, load_menu
from indexer.settings import PROJECT_ROOT, SETTINGS, load_settings

DOC = PROJECT_ROOT / "docs" / "wechat.md"


def _literal(value: object) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value)


def test_docs_table_lists_every_wechat_setting() -> None:
    doc = DOC.read_text(encoding="utf-8")
    wanted = [s for s in SETTINGS if s.table == "wechat" or s.name == "web.log_retention_days"]
    assert {s.key for s in wanted if s.table == "wechat"} >= {
        "app_id", "app_secret", "token", "aes_key", "api_base", "listen", "port", "path", "proxy"}
    for s in wanted:
        assert f"| `{s.name}` | `{s.env_name}` | `{_literal(s.default)}` |" in doc, s.name
    assert doc.index("## English summary") > doc.index("## 8. 隐私")  # Chinese first


def test_secrets_are_masked_and_defaults_are_wechats() -> None:
    settings = load_settings(environ={"ZWGK_WECHAT__APP_SECRET": "s3cret", "ZWGK_WECHAT__TOKEN": "tok3n"})
    assert "s3cret" not in repr(settings["wechat.app_secret"]) and "tok3n" not in repr(settings["wechat.token"])
    assert settings["wechat.api_base"] == "https://api.weixin.qq.com/cgi-bin"


@pytest.mark.parametrize("overrides, needle", [
    ({}, "ZWGK_WECHAT__APP_ID"),
    ({"ZWGK_WECHAT__APP_ID": "wx1"}, "ZWGK_WECHAT__APP_SECRET"),
    ({"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s"}, "ZWGK_WECHAT__TOKEN"),
    ({"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s", "ZWGK_WECHAT__TOKEN": "a b"}, "3-32"),
    ({"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s", "ZWGK_WECHAT__TOKEN": "abc",
      "ZWGK_WECHAT__AES_KEY": "short"}, "43 characters"),
    ({"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s", "ZWGK_WECHAT__TOKEN": "abc",
      "ZWGK_WECHAT__PATH": "wechat"}, "start with '/'"),
    ({"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s", "ZWGK_WECHAT__TOKEN": "abc",
      "ZWGK_WECHAT__NOTICE_KEYS": "thing1"}, "four template keys"),
])
def test_bad_settings_are_one_line_naming_the_variable(overrides: dict[str, str], needle: str) -> None:
    with pytest.raises(WeChatError, match=needle):
        wechat_settings(load_settings(environ=overrides))


def test_plaintext_mode_needs_no_key() -> None:
    ws = wechat_settings(load_settings(environ={"ZWGK_WECHAT__APP_ID": "wx1", "ZWGK_WECHAT__APP_SECRET": "s",
                                                "ZWGK_WECHAT__TOKEN": "abc"}))
    assert ws.aes_key == "" and ws.path == "/wechat/callback" and ws.port == 8091


def test_shipped_menu_is_valid_and_bad_menus_are_named() -> None:
    menu = load_menu(PROJECT_ROOT / "knowledge" / "data" / "wechat_menu.json")
    assert [b["name"] for b in menu["button"]] == ["常见问题", "按部门浏览", "我的订阅"]
    for bad, needle in (({"button": []}, "1-3 buttons"),
                        ({"button": [{"type": "click", "name": "一个很长的菜单名字", "key": "K"}]}, "16 bytes"),
                        ({"button": [{"name": "部门", "sub_button": [{"type": "click", "name": "x"}] * 6}]}, "1-5"),
                        ({"button": [{"type": "miniprogram", "name": "x"}]}, "click or view"),
                        ({"button": [{"type": "view", "name": "x", "url": "ftp://x"}]}, "http")):
        with pytest.raises(WeChatError, match=needle):
            check_menu(bad)
