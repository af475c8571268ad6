"""indexer/store.py: the cache fingerprint sees every source file that shapes the knowledge base."""
from __future__ import annotations

from pathlib import Path

import pytest

import indexer.store
from indexer.store import code_fingerprint


def make_package(root: Path) -> Path:
    (root / "read").mkdir(parents=True)
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "read" / "__init__.py").write_text("", encoding="utf-8")
    (root / "read" / "html.py").write_text("A = 1\n", encoding="utf-8")
    return root


def test_a_change_in_a_subpackage_changes_the_recursive_fingerprint(tmp_path: Path) -> None:
    package = make_package(tmp_path / "pkg")
    flat, deep = code_fingerprint(package), code_fingerprint(package, recursive=True)
    (package / "read" / "html.py").write_text("A = 2\n", encoding="utf-8")
    assert code_fingerprint(package) == flat  # one folder only: what bot/index/search_index.py asks for, package by package
    assert code_fingerprint(package, recursive=True) != deep


def test_files_are_told_apart_by_their_path_inside_the_package(tmp_path: Path) -> None:
    nested = make_package(tmp_path / "nested")
    moved = make_package(tmp_path / "moved")
    (moved / "read" / "html.py").rename(moved / "html.py")
    assert code_fingerprint(nested, recursive=True) != code_fingerprint(moved, recursive=True)


def test_the_knowledge_store_fingerprint_hashes_indexer_with_its_subpackages(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, dict[str, bool]]] = []
    monkeypatch.setattr(indexer.store, "code_fingerprint", lambda path, **kw: calls.append((path, kw)) or "")
    indexer.store.fingerprint([])
    indexer_dir = Path(indexer.store.__file__).parent
    assert calls == [(indexer_dir, {"recursive": True})]
    assert (indexer_dir / "read" / "__init__.py").is_file()  # the reader is a subpackage: one folder is not enough
