"""bot/index/search_index.py: the index is built once and then loaded from its cache until plans or curated data change.

Every test works on a copy of knowledge/ under tmp_path (the real one is never touched). The query
rewriter is not built here (it is not what these tests are about, and it is the slowest part of a build).
"""
from __future__ import annotations

import shutil
from array import array
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from bot.index import search_index as index_module
from bot.index.search_index import SearchIndex
from bot.index.store import load_index
from bot.language.tokenizer import Lexicon, Tokenizer

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Site:
    plans: Path
    data: Path
    index_path: Path

    def load(self) -> tuple[SearchIndex, bool]:
        return load_index(self.plans, self.data, self.index_path)


def _no_rewriter(mp: pytest.MonkeyPatch) -> None:
    mp.setattr(index_module, "_build_rewriter", lambda *args, **kwargs: None)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SearchIndex, bool]:
    """knowledge/ copied once and its index built once; tests start from a copy of both."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    with pytest.MonkeyPatch.context() as mp:
        _no_rewriter(mp)
        site = Site(root / "knowledge" / "plans", root / "knowledge" / "data", root / "var" / "index")
        index, rebuilt = site.load()
    return root, index, rebuilt


@pytest.fixture
def site(template, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:  # type: ignore[no-untyped-def]
    _no_rewriter(monkeypatch)
    shutil.copytree(template[0], tmp_path / "site")
    root = tmp_path / "site"
    return Site(root / "knowledge" / "plans", root / "knowledge" / "data", root / "var" / "index")


def test_builds_once_then_loads_from_cache(template, site: Site) -> None:  # type: ignore[no-untyped-def]
    _, built, rebuilt = template
    assert rebuilt is True
    assert site.index_path.is_dir() and site.index_path.with_name("knowledge.json").is_file()
    index, rebuilt = site.load()
    assert rebuilt is False
    assert index.fingerprint == built.fingerprint
    assert [e.id for e in index.entries] == [e.id for e in built.entries]
    assert site.load()[1] is False


def test_rebuilds_when_a_plan_file_changes(template, site: Site) -> None:  # type: ignore[no-untyped-def]
    plan = sorted(site.plans.glob("*.txt"))[0]
    plan.write_text(plan.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    index, rebuilt = site.load()
    assert rebuilt is True
    assert index.fingerprint != template[1].fingerprint
    assert site.load()[1] is False


def test_rebuilds_when_a_plan_file_is_removed(template, site: Site) -> None:  # type: ignore[no-untyped-def]
    removed = sorted(site.plans.glob("*.txt"))[0]
    removed.unlink()
    index, rebuilt = site.load()
    assert rebuilt is True
    assert all(d.file != removed.name for d in index.documents.values())
    assert len(index.entries) < len(template[1].entries)


def test_rebuilds_when_curated_data_changes(template, site: Site) -> None:  # type: ignore[no-untyped-def]
    synonyms = site.data / "synonyms.txt"
    synonyms.write_text(synonyms.read_text(encoding="utf-8") + "\n老人钱 => 养老补贴\n", encoding="utf-8")
    index, rebuilt = site.load()
    assert rebuilt is True
    assert index.fingerprint != template[1].fingerprint
    assert "老人钱" in index.terms  # the new curated term reaches the tokenizer
    assert site.load()[1] is False


@pytest.mark.parametrize("damage", [
    "manifest.json",  # the manifest gone
    "entry.rows.offsets.npy",  # the entries' record bounds gone
    "entry.rows.npy",  # the entries' records gone
    "bm25.meta.samples.npy",  # the postings' samples gone
    "bm25.text.ids.npy",  # postings gone
    "objects.json",
])
def test_survives_a_damaged_index_version(template, site: Site, damage: str,  # type: ignore[no-untyped-def]
                                          caplog: pytest.LogCaptureFixture) -> None:
    from bot.index.files import current_index_dir

    (current_index_dir(site.index_path) / damage).write_bytes(b"\x80\x05\x95 not what it should be")
    with caplog.at_level("WARNING"):
        index, rebuilt = site.load()
    assert rebuilt is True
    assert [r.levelname for r in caplog.records if r.name.startswith("bot")] == ["WARNING"]  # one line
    assert isinstance(index, SearchIndex) and len(index.entries) == len(template[1].entries)
    assert site.load()[1] is False  # and the damaged version was replaced


def test_skipped_files_are_reported(site: Site) -> None:
    (site.plans / "empty.txt").write_bytes(b"")
    (site.plans / "old-plan.xls").write_bytes(b"\xd0\xcf\x11\xe0 spreadsheet")
    index, rebuilt = site.load()
    assert rebuilt is True
    reasons = dict(index.skipped)
    assert set(reasons) == {"empty.txt", "old-plan.xls"}
    assert "empty" in reasons["empty.txt"]
    assert ".xls" in reasons["old-plan.xls"]
    cached, rebuilt = site.load()
    assert rebuilt is False and dict(cached.skipped) == reasons  # still reported from the cache


# ------------------------------------------------------------------------------- what the index stores
def test_unit_and_due_maps_agree_with_the_entries(template) -> None:  # type: ignore[no-untyped-def]
    index = template[1]
    for unit, positions in index.unit_positions.items():
        assert positions.tolist() == [i for i, e in enumerate(index.entries) if unit in e.responsible]
    dated = [i for i, e in enumerate(index.entries) if e.due]
    assert sorted(index.due_positions.tolist()) == dated
    assert index.due_keys == sorted(index.due_keys)
    assert index.due_keys == [index.entries[i].due for i in index.due_positions.tolist()]


def test_packed_lexicon_segments_exactly_like_jieba(template) -> None:  # type: ignore[no-untyped-def]
    """The Lexicon saved with the index replaces loading jieba's whole dictionary at start-up; it must
    cut every text exactly as the full dictionary (plus our terms) does."""
    index = template[1]
    assert index.lexicon is not None
    full = Tokenizer(index.terms)
    packed = Tokenizer(index.terms, lexicon=index.lexicon)
    texts = [e.text for e in index.entries[::3]] + [
        "养老补贴信息公开由哪个部门负责？", "区人社局和区卫健局", "yanglao butie 123", "北京市海淀区", "",
        "Who is responsible? 谁负责", "个税专项附加扣除",
    ]
    for text in texts:
        assert packed.words(text) == full.words(text), text
    assert packed._lexicon is index.lexicon  # the packed path was taken, not a silent full load
    # versions written before the two-character groups hold one group per first character: still exact
    freq, chars = full._load().FREQ, set("".join(texts))
    by_char: dict[str, list[str]] = {}
    for word in freq:
        if word[0] in chars:
            by_char.setdefault(word[0], []).append(word)
    packed_by_char = {c: (Lexicon.SEP.join(ws).encode(), array("q", [freq[w] for w in ws]).tobytes())
                      for c, ws in by_char.items()}
    older = Tokenizer(index.terms, lexicon=Lexicon(packed_by_char, index.lexicon.total, index.lexicon.key, width=1))
    for text in texts:
        assert older.words(text) == full.words(text), text

def test_packed_lexicon_is_ignored_for_other_terms(template) -> None:  # type: ignore[no-untyped-def]
    index = template[1]
    other = Tokenizer([*index.terms, "一个新词语"], lexicon=index.lexicon)
    assert "一个新词语" in other.words("这是一个新词语")  # the extra term is known
    assert other._lexicon is None  # made for other terms: jieba's own dictionary was loaded instead


def test_postings_are_int32_sorted_views(template) -> None:  # type: ignore[no-untyped-def]
    for field_index in (template[1].text, template[1].meta, template[1].units):
        for ids in field_index._ids.values():
            assert ids.dtype == np.int32 and np.all(np.diff(ids) > 0)
