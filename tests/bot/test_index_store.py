"""bot/index/store.py and `python -m bot index build|list|rollback`: the one owner of the index's life.

One small plan set (two shipped plans) is copied per module and its index built through the real CLI in
process (click's runner, settings from ZWGK_* variables as a deployment sets them). The query rewriter is
not built (the slowest part of a build, and not what these tests are about).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.index import search_index
from bot.index.store import CURATED_FILES, IndexStore, curated_fingerprint
from indexer.parsed import ParsedCache, parse_cached

ROOT = Path(__file__).resolve().parents[2]
PLANS = ("2022-济南市槐荫区-政务公开工作要点.txt", "2024-枣庄市薛城区-政务公开工作要点.txt")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(search_index, "_build_rewriter", lambda *a, **k: None)
    (tmp_path / "plans").mkdir()
    for name in PLANS:
        shutil.copy(ROOT / "knowledge" / "plans" / name, tmp_path / "plans" / name)
    shutil.copytree(ROOT / "knowledge" / "data", tmp_path / "data")
    for key, value in (("PLANS_DIR", "plans"), ("DATA_DIR", "data"), ("INDEX_PATH", "var/index"),
                       ("PARSED_DIR", "var/parsed")):
        monkeypatch.setenv(f"ZWGK_KNOWLEDGE__{key}", str(tmp_path / value))
    return tmp_path


def _run(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _store(site: Path) -> IndexStore:
    return IndexStore(site / "var" / "index", site / "plans", site / "data", site / "var" / "parsed")


def test_build_list_rollback_contract(site: Path) -> None:
    first = _run("index", "build", "--json")
    assert set(first) == {"version", "built", "entries", "seconds"}
    assert first["built"] is True and first["entries"] > 100 and isinstance(first["seconds"], float)
    again = _run("index", "build", "--json")
    assert again["built"] is False and again["version"] == first["version"]

    (site / "plans" / PLANS[1]).unlink()  # the office drops a plan: stale, so the next build builds
    second = _run("index", "build", "--json")
    assert second["built"] is True and second["version"] != first["version"]
    assert second["entries"] < first["entries"]

    versions = _run("index", "list", "--json")
    assert [v["version"] for v in versions] == [first["version"], second["version"]]
    assert [v["current"] for v in versions] == [False, True]
    assert all(set(v) == {"version", "current", "built_at", "entries"} for v in versions)

    rolled = _run("index", "rollback", first["version"], "--json")
    assert rolled["version"] == first["version"] and rolled["current"] is True
    assert [v["current"] for v in _run("index", "list", "--json")] == [True, False]
    # the rolled-back version is pinned: a restart (load) or a build keeps it while nothing changes
    index, rebuilt = _store(site).load()
    assert not rebuilt and len(index.entries) == first["entries"]
    assert _run("index", "build", "--json")["built"] is False


def test_rollback_to_an_unknown_version_is_one_clear_error(site: Path) -> None:
    _run("index", "build", "--json")
    result = CliRunner().invoke(cli, ["index", "rollback", "20200101T000000.000000-000000000000-000000"])
    assert result.exit_code == 1
    assert "no index version" in result.output and "Traceback" not in result.output


def test_a_changed_curated_file_ends_the_pin_and_rebuilds(site: Path) -> None:
    first = _run("index", "build", "--json")
    _run("index", "build", "--json", "--force")
    _run("index", "rollback", first["version"], "--json")
    (site / "data" / "keep_words.txt").write_text("养老服务\n", encoding="utf-8")
    assert _run("index", "build", "--json")["built"] is True


def test_every_curated_file_reaches_the_fingerprint(site: Path) -> None:
    before = curated_fingerprint(site / "data")
    for name in CURATED_FILES:
        path = site / "data" / name
        path.write_bytes((path.read_bytes() if path.exists() else b"") + b"\n# edited\n")
        after = curated_fingerprint(site / "data")
        assert after != before, name
        before = after


def test_only_code_that_shapes_the_index_is_in_its_fingerprint() -> None:
    from bot.index import store

    shaping = {p.resolve() for p in store._SHAPING_PACKAGES}
    assert shaping == {(ROOT / "bot" / "index").resolve(), (ROOT / "bot" / "language").resolve()}
    assert not any((p / "wording.py").exists() or (p / "cli.py").exists() for p in shaping)


def test_a_parse_is_reused_for_the_same_file_and_redone_for_a_changed_one(site: Path) -> None:
    from indexer import parse_file

    cache = ParsedCache(site / "var" / "parsed")
    calls: list[Path] = []

    def counting(path: Path):  # type: ignore[no-untyped-def]
        calls.append(path)
        return parse_file(path)

    upload = site / "uploads" / "u1" / PLANS[0]
    upload.parent.mkdir(parents=True)
    shutil.copy(site / "plans" / PLANS[0], upload)
    first = parse_cached(upload, cache, counting)
    published = site / "sets" / "s1" / PLANS[0]  # the same file, hard-linked into a published set
    published.parent.mkdir(parents=True)
    shutil.copy(upload, published)
    again = parse_cached(published, cache, counting)
    assert calls == [upload]
    assert again.file == str(published) and [e.text for e in again.entries] == [e.text for e in first.entries]
    published.write_text(published.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    parse_cached(published, cache, counting)
    assert calls == [upload, published]


def test_index_build_uses_the_parsed_cache(site: Path) -> None:
    _run("index", "build", "--json")
    assert len(list((site / "var" / "parsed").glob("*.json"))) == len(PLANS)
