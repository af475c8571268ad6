"""The indexer's stages: flattened tables are recovered in a step of their own, shared patterns live in one
module, and line cleaning and table recovery never import each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from indexer.flat_tables import recover_tables
from indexer.patterns import cn_to_int

INDEXER = Path(__file__).resolve().parents[2] / "indexer"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_line_cleaning_and_table_recovery_do_not_import_each_other() -> None:
    assert not any(m.startswith("indexer.flat_tables") for m in _imports(INDEXER / "normalize.py"))
    for module in (INDEXER / "flat_tables").glob("*.py"):
        assert "indexer.normalize" not in _imports(module), module.name


def test_no_indexer_module_is_over_500_lines() -> None:
    for module in INDEXER.rglob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 500, module


@pytest.mark.parametrize(("numeral", "value"), [
    ("一", 1), ("十", 10), ("十二", 12), ("二十一", 21), ("一百零五", 105), ("12", 12), ("③", 3),
    ("二〇二二", 2022), ("二○二一", 2021),
])
def test_one_parser_reads_every_chinese_numeral(numeral: str, value: int) -> None:
    assert cn_to_int(numeral) == value


def test_one_cell_per_line_tables_become_rows() -> None:
    """Word-to-text exports: each cell on its own TAB-led line, rows separated by blank lines."""
    lines = ["\t序号", "\t工作任务", "\t责任单位", "", "\t1", "\t做好政策解读", "\t区政府办公室"]
    assert recover_tables(lines) == ["序号\t工作任务\t责任单位", "", "1\t做好政策解读\t区政府办公室"]
