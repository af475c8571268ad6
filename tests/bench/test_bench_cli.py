"""The benchmark lives outside the product: `python -m bench` runs it, `python -m bot` has no bench command."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def test_bench_is_its_own_command() -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--entries" in done.stdout and "--workers" in done.stdout


def test_the_product_cli_has_no_bench_command_and_never_imports_bench() -> None:
    result = CliRunner().invoke(cli, ["bench"])
    assert result.exit_code == 2 and "No such command" in result.output
    for p in (ROOT / "bot").rglob("*.py"):
        text = p.read_text(encoding="utf-8")
        assert "import bench" not in text and "from bench" not in text, p


def test_bench_package_is_outside_the_runtime_package() -> None:
    assert (ROOT / "bench" / "__init__.py").is_file()
    assert not (ROOT / "bot" / "bench.py").exists()
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 500 for p in (ROOT / "bench").glob("*.py"))
