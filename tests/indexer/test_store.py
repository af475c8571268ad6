"""indexer/store.py: the cache fingerprint sees every source file that shapes the knowledge base."""
from __future__ import annotations

import shutil
from pathlib import Path

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


def test_the_parser_fingerprint_hashes_indexer_with_its_subpackages(tmp_path: Path) -> None:
    """A change anywhere in indexer/ (the readers are a subpackage) invalidates cached parses."""
    import indexer.parsed

    original = indexer.parsed._INDEXER
    assert (original / "read" / "__init__.py").is_file()
    before = indexer.parsed.parser_fingerprint()
    fake = tmp_path / "indexer"
    shutil.copytree(original, fake, ignore=shutil.ignore_patterns("__pycache__"))
    (fake / "read" / "extra.py").write_text("# changed\n", encoding="utf-8")
    indexer.parsed.parser_fingerprint.cache_clear()
    try:
        indexer.parsed._INDEXER = fake
        assert indexer.parsed.parser_fingerprint() != before
    finally:
        indexer.parsed._INDEXER = original
        indexer.parsed.parser_fingerprint.cache_clear()
