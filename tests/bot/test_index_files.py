"""bot/index/files.py: the data-only index directory — round trip, nothing in var/ runs, atomic switch.

Every test works on a copy of knowledge/ under tmp_path; the query rewriter is not built (slow, and the
shipped-engine tests in test_engine.py cover answering from a loaded index).
"""
from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.index import search_index as index_module
from bot.index.dataform import DataFormError, from_data, to_data
from bot.index.files import IndexFormatError, current_index_dir, publish_index, write_index
from bot.index.search_index import SearchIndex, build_index
from bot.index.store import load_index, open_current
from indexer.store import build_knowledge

ROOT = Path(__file__).resolve().parents[2]


class Planted:
    """Unpickling this creates the marker file: proof that a file was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("kb")
    shutil.copytree(ROOT / "knowledge", root / "knowledge")
    return root / "knowledge"


@pytest.fixture(scope="module")
def built(knowledge: Path) -> SearchIndex:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(index_module, "_build_rewriter", lambda *a, **k: None)
        return build_index(build_knowledge(knowledge / "plans"), knowledge / "data", "fp-test")


@pytest.fixture
def loaded(built: SearchIndex, tmp_path: Path) -> tuple[Path, SearchIndex]:
    root = tmp_path / "index"
    version = write_index(root, built)
    publish_index(root, version)
    return root, open_current(root)


def _load(knowledge: Path, index_path: Path, mp: pytest.MonkeyPatch) -> tuple[SearchIndex, bool]:
    mp.setattr(index_module, "_build_rewriter", lambda *a, **k: None)
    return load_index(knowledge / "plans", knowledge / "data", index_path)


def test_round_trip_keeps_every_entry_and_map(built: SearchIndex, loaded) -> None:  # type: ignore[no-untyped-def]
    _, index = loaded
    assert len(index.entries) == len(built.entries)
    assert list(index.entries) == list(built.entries)
    assert index.entries[-1] == built.entries[-1] and index.entries[3:6] == built.entries[3:6]
    assert all(index.by_id[e.id] == i for i, e in enumerate(built.entries))
    assert index.by_id.get("no-such-id") is None and "no-such-id" not in index.by_id
    assert {u: p.tolist() for u, p in index.unit_positions.items()} == \
        {u: p.tolist() for u, p in built.unit_positions.items()}
    for name in ("region_positions", "department_positions"):
        assert {k: p.tolist() for k, p in getattr(index, name).items()} == \
            {k: p.tolist() for k, p in getattr(built, name).items()}
    assert index.linked_from.tolist() == built.linked_from.tolist() and len(index.linked_to) == len(built.linked_to)
    assert list(index.due_keys) == list(built.due_keys) and index.due_keys == built.due_keys
    assert index.due_positions.tolist() == built.due_positions.tolist()
    assert np.array_equal(index.entry_region, built.entry_region) and np.array_equal(index.entry_year, built.entry_year)
    assert (index.regions, index.parents, index.featured, index.terms) == \
        (built.regions, built.parents, built.featured, built.terms)
    assert index.documents == built.documents and index.suggestions == built.suggestions
    assert vars(index.departments) == vars(built.departments)
    assert dict(index.lexicon.packed) == dict(built.lexicon.packed)
    for field in ("text", "meta", "units"):
        query = ["政务", "公开", "养老", "补贴", "区民政局"]
        assert np.array_equal(getattr(index, field).get_scores(query), getattr(built, field).get_scores(query))
    assert not index.entry_region.flags.writeable  # mapped, read-only


def test_a_planted_pickle_is_never_run(knowledge: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    marker = tmp_path / "ran"
    index_path = tmp_path / "var" / "index"
    index_path.parent.mkdir()
    index_path.write_bytes(pickle.dumps(Planted(marker)))  # an old-style index.pickle at the index path
    (tmp_path / "var" / "index.pickle").write_bytes(pickle.dumps(Planted(marker)))
    with caplog.at_level("WARNING"):
        index, rebuilt = _load(knowledge, index_path, monkeypatch)
    assert rebuilt and index_path.is_dir() and len(index.entries) > 0
    assert len([r for r in caplog.records if r.name.startswith("bot")]) == 1
    assert not marker.exists()

    version = current_index_dir(index_path)
    for target in sorted(version.iterdir()):  # every file of the version in turn replaced by a pickle
        saved = target.read_bytes()
        target.write_bytes(pickle.dumps(Planted(marker)))
        with pytest.raises(IndexFormatError):
            open_current(index_path)
        target.write_bytes(saved)
    assert not marker.exists()


def test_object_arrays_and_foreign_objects_are_refused(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = loaded
    marker = tmp_path / "ran"
    version = current_index_dir(root)
    np.save(version / "entry_region.npy", np.array([Planted(marker)], dtype=object), allow_pickle=True)
    with pytest.raises(IndexFormatError):
        open_current(root)
    assert not marker.exists()
    for foreign in ({"$o": "os:system", "v": {}}, {"$o": "pathlib:Path", "v": {}},
                    {"$o": "Nothing", "v": {}}, {"$x": 1}, {"$r": 5}):
        with pytest.raises(DataFormError):
            from_data(foreign)


def test_data_forms_keep_shared_objects_shared(built: SearchIndex) -> None:
    twice = [built.departments, built.departments]
    again = from_data(json.loads(json.dumps(to_data(twice))))
    assert again[0] is again[1] and vars(again[0]) == vars(built.departments)
    with pytest.raises(DataFormError):
        to_data(Planted(Path("x")))  # not a class of this project


def test_switch_while_a_reader_holds_the_old_version(built: SearchIndex, loaded) -> None:  # type: ignore[no-untyped-def]
    root, old = loaded
    old_dir = current_index_dir(root)
    first = old.entries[0]
    built.fingerprint = "fp-second"
    try:
        publish_index(root, write_index(root, built))
    finally:
        built.fingerprint = "fp-test"
    assert current_index_dir(root) != old_dir
    shutil.rmtree(old_dir)  # even gone from disk, the reader's maps stay valid
    assert old.entries[0] == first and old.fingerprint == "fp-test"
    assert old.text.get_scores(["政务"]).any()
    assert open_current(root).fingerprint == "fp-second"


def test_publish_refuses_what_is_not_a_version_of_the_root(loaded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root, _ = loaded
    with pytest.raises(IndexFormatError):
        publish_index(root, tmp_path)
    fake = root / "20261202T000000.000000-000000000000-000000"
    fake.mkdir()
    with pytest.raises(IndexFormatError):
        publish_index(root, fake)
    (root / "current").write_text("../../etc\n")
    assert current_index_dir(root) is None


def test_old_versions_are_pruned(built: SearchIndex, loaded) -> None:  # type: ignore[no-untyped-def]
    root, _ = loaded
    for _ in range(4):
        publish_index(root, write_index(root, built))
    versions = sorted(p for p in root.iterdir() if p.is_dir())
    assert len(versions) == 3 and current_index_dir(root) == versions[-1]
