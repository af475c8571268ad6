"""Where settings come from (indexer/settings.py): which file is read and the environment's precedence."""
from __future__ import annotations

from pathlib import Path

from indexer.settings import PROJECT_ROOT, _apply_environ, _config_path


def test_config_path_argument_then_variable_then_project_file(tmp_path: Path) -> None:
    named = tmp_path / "a.toml"
    assert _config_path(named, {"ZWGK_CONFIG": "b.toml"}) == named
    assert _config_path(None, {"ZWGK_CONFIG": "b.toml"}) == Path("b.toml")
    assert _config_path(None, {}) == PROJECT_ROOT / "config.toml"


def test_empty_alias_variable_does_not_override() -> None:
    values: dict[str, object] = {"telegram.token": "from-file", "web.port": 8000}
    sources = {"telegram.token": "file", "web.port": "default"}
    _apply_environ({"TELEGRAM_BOT_TOKEN": "", "ZWGK_WEB__PORT": "9001"}, values, sources)
    assert values == {"telegram.token": "from-file", "web.port": 9001}
    assert sources == {"telegram.token": "file", "web.port": "env"}
