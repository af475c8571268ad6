"""Settings: declared once, precedence env > file > default, errors that name key and value."""
from __future__ import annotations

from pathlib import Path

import pytest

from indexer.settings import SETTINGS, ConfigError, Secret, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_without_file_or_env(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    s = load_settings(cfg, environ={})
    assert s["web.port"] == 8000 and s.sources["web.port"] == "default"


def test_file_then_env_override(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[web]\nport = 9000\n", encoding="utf-8")
    assert load_settings(cfg, environ={})["web.port"] == 9000
    s = load_settings(cfg, environ={"ZWGK_WEB__PORT": "9100"})
    assert s["web.port"] == 9100 and s.sources["web.port"] == "env"


def test_issue_named_variables_map_to_settings(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("", encoding="utf-8")
    s = load_settings(cfg, environ={"TELEGRAM_BOT_TOKEN": "1:abc", "TELEGRAM_API_BASE": "http://127.0.0.1:9/bot"})
    assert s["telegram.token"] == "1:abc" and s["telegram.api_base"] == "http://127.0.0.1:9/bot"
    assert "abc" not in repr(s["telegram.token"]) and isinstance(s["telegram.token"], Secret)


@pytest.mark.parametrize("content, needle", [
    ("[web]\nport = 'x'\n", "web.port"),
    ("[web]\nnope = 1\n", "web.nope"),
    ("[web\n", "TOML"),
    ("web = 3\n", "table"),
])
def test_bad_files_raise_naming_the_problem(tmp_path: Path, content: str, needle: str) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        load_settings(cfg, environ={})


def test_bad_env_value_names_variable() -> None:
    with pytest.raises(ConfigError, match="ZWGK_SEARCH__TOP_K"):
        load_settings(environ={"ZWGK_SEARCH__TOP_K": "many"})


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_shipped_config_lists_every_setting_with_its_default() -> None:
    s = load_settings(ROOT / "config.toml", environ={})
    for setting in SETTINGS:
        assert s.sources[setting.name] == "file", f"{setting.name} missing from config.toml"
        assert s[setting.name] == setting.default, setting.name


def test_configuration_doc_documents_every_setting() -> None:
    """docs/configuration.md has a table row per declared setting: name, variable, default, help."""
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        row = f"| `{setting.name}` | `{setting.env_name}` |"
        assert row in doc, f"docs/configuration.md has no row for {setting.name}"
