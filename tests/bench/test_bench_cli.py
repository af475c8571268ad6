"""`python -m bot bench` finds the benchmark in the project's bench/ folder, or says clearly it is missing."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import indexer.settings
from bot.cli import cli


def test_bench_missing_folder_is_one_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(indexer.settings, "PROJECT_ROOT", tmp_path)
    result = CliRunner().invoke(cli, ["bench", "--skip-scaled"])
    assert result.exit_code == 1
    assert "bench" in result.output and "missing" in result.output
    assert "Traceback" not in result.output


def test_bench_package_is_outside_the_runtime_package() -> None:
    root = Path(indexer.settings.PROJECT_ROOT)
    assert (root / "bench" / "__init__.py").is_file()
    assert not (root / "bot" / "bench.py").exists()
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 500 for p in (root / "bench").glob("*.py"))
