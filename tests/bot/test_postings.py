"""bot/index/list_positions.py and bot/language/regions.py give exactly what the scans they replace give, on the shipped index."""
from __future__ import annotations

import random
from datetime import date

import numpy as np
import pytest

from bot.engine.task_lists import TaskLists
from bot.index.list_positions import ListPostings
from bot.language.departments import names_as_actor
from bot.language.regions import RegionMatcher
from bot.language.vocabulary import COMPLETION_DATE


@pytest.fixture(scope="module")
def index(shipped_engine):  # type: ignore[no-untyped-def]
    return shipped_engine.index


def test_department_postings_match_the_scan(index) -> None:  # type: ignore[no-untyped-def]
    postings = ListPostings(index)
    units = sorted(index.unit_positions)
    names = units + [index.departments.canonical[k] for k in sorted(index.departments.canonical)][:40]
    regions = [None, *index.regions]
    for name in names:
        canon = index.departments.resolve(name) or name
        for region in regions:
            scan = [i for i, e in enumerate(index.entries)
                    if (not region or e.region == region) and any(index.departments.matches(u, canon) for u in e.responsible)]
            assert postings.department(name, region).tolist() == scan, (name, region)


def test_region_due_and_restated_postings_match_the_scan(index) -> None:  # type: ignore[no-untyped-def]
    postings = ListPostings(index)
    entries = list(index.entries)
    for region in index.regions:
        assert postings.region(region).tolist() == [i for i, e in enumerate(entries) if e.region == region]
        year = next(e.year for e in entries if e.region == region)
        assert postings.region(region, year).tolist() == \
            [i for i, e in enumerate(entries) if e.region == region and e.year == year]
    for lo, hi, region in (("", "2023-12-31", None), ("2022-01-01", "2022-06-30", None),
                           ("", "2099-12-31", index.regions[0]), ("2030-01-01", "2030-12-31", None)):
        positions = postings.due_between(lo, hi, region)
        assert positions.tolist() == [i for i, e in enumerate(entries)
                                      if e.due and lo <= e.due <= hi and (not region or e.region == region)]
        kept = postings.without_restated(positions)
        assert postings.entries(kept) == TaskLists.without_restated(postings.entries(positions))
        assert postings.entries(kept, 3) == postings.entries(kept)[:3]
        ordered = postings.due_in_order(lo, hi, region)  # due-list order; the same entries
        assert sorted(ordered.tolist()) == positions.tolist()
        assert postings.due_list(lo, hi, region).tolist() == postings.without_restated(ordered).tolist()
        assert sorted(postings.due_list(lo, hi, region).tolist()) == kept.tolist()


def test_due_rows_of_a_year_match_the_list_filtered_entry_by_entry(index) -> None:  # type: ignore[no-untyped-def]
    """due_of_year reads year and dated flags in due order: the same rows as filtering the due list."""
    postings = ListPostings(index)
    for year in sorted({e.year for e in index.entries if e.year}) + [2099]:
        for hi in (f"{year}-03-31", f"{year}-12-31"):
            rows = postings.due_list(f"{year}-01-01", hi)
            rows = rows[(index.entry_year[rows] == year) | (index.entry_year[rows] == 0)]
            dated = index.entry_dated[rows]
            got, undated = postings.due_of_year(f"{year}-01-01", hi, year)
            assert got.tolist() == rows[dated].tolist() and undated == int(len(rows) - dated.sum())


@pytest.mark.parametrize("mask_share", [0, 10**9])
def test_restated_clauses_are_the_same_by_mask_or_by_search(index, mask_share: int,  # type: ignore[no-untyped-def]
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Large position sets are checked with a mask over the entries, small ones by searching their pairs."""
    monkeypatch.setattr("bot.index.list_positions.MASK_SHARE", mask_share)
    postings = ListPostings(index)
    rng = random.Random(3)
    n = len(index.entries)
    for size in (1, 10, n // 3, n):
        positions = np.array(rng.sample(range(n), size), dtype=np.int32)
        kept = postings.without_restated(np.sort(positions))
        assert postings.entries(kept) == TaskLists.without_restated(postings.entries(np.sort(positions)))
        assert postings.without_restated(positions).tolist() == [p for p in positions.tolist() if p in set(kept.tolist())]


def test_region_matcher_matches_the_scan(index) -> None:  # type: ignore[no-untyped-def]
    regions = [*index.regions, "淄川区", "川区", "张店区", "高新技术产业开发区"]
    matcher = RegionMatcher(regions)
    rng = random.Random(7)
    texts = ["槐荫区养老补贴", "历城 双减", "周村区和薛城区", "", "区", "淄川区的张店区", "高新区"]
    alphabet = "".join(regions) + "的是区县市"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    for text in texts:
        assert matcher.find(text) == [r for r in regions if r in text or (len(r) >= 3 and r[:-1] in text)], text
        for a in range(0, len(text), 3):
            name = text[a:a + 4]
            assert matcher.overlaps(name) == any(name in r or r in name for r in regions), name


def test_list_arrays_hold_what_the_entries_say(index) -> None:  # type: ignore[no-untyped-def]
    """entry_dated / entry_preface / due_rank: what the lists used to read from every Entry."""
    entries = list(index.entries)
    assert index.entry_dated.tolist() == [bool(COMPLETION_DATE.search(e.deadline or "")) for e in entries]
    assert index.entry_preface.tolist() == [e.number.startswith("前言") for e in entries]
    due_order = sorted((i for i, e in enumerate(entries) if e.due),
                       key=lambda i: (entries[i].due, entries[i].region or "", i))
    assert [int(index.due_rank[i]) for i in due_order] == list(range(len(due_order)))
    assert all(index.due_rank[i] == -1 for i, e in enumerate(entries) if not e.due)


def test_actor_positions_match_the_scan(index) -> None:  # type: ignore[no-untyped-def]
    forms = [f for f in index.departments.forms if len(f) >= 3]
    seen = 0
    for form in forms:
        posting = index.text._ids.get(form)
        scan = [i for i in ([] if posting is None else posting) if names_as_actor(index.entries[i].text, form)]
        assert index.actor_positions.get(form, np.zeros(0)).tolist() == sorted(scan), form
        seen += len(scan)
    assert seen > 0  # the shipped plans do make departments the subject of sentences


def test_due_lists_are_ordered_by_date_region_and_plan_order(shipped_engine) -> None:  # type: ignore[no-untyped-def]
    tasks = shipped_engine.tasks
    for region in (None, *shipped_engine.index.regions):
        got = tasks.due_tasks(date(2099, 12, 31), region=region)
        by_id = shipped_engine.index.by_id
        assert got == sorted(got, key=lambda e: (e.due or "", e.region or "", by_id[e.id]))
        assert all(e.due for e in got) and len({e.id for e in got}) == len(got)


def test_without_restated_on_random_position_sets(index) -> None:  # type: ignore[no-untyped-def]
    postings = ListPostings(index)
    assert np.all(np.diff(index.linked_from) >= 0)  # stored sorted by clause: what the lookup relies on
    rng = random.Random(11)
    n = len(index.entries)
    for _ in range(200):
        positions = np.array(sorted(rng.sample(range(n), rng.randint(1, n))), dtype=np.int32)
        kept = postings.without_restated(positions)
        assert postings.entries(kept) == TaskLists.without_restated(postings.entries(positions))
