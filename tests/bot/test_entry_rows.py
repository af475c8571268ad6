"""bot/index/entry_rows.py: every Entry value round-trips through the row file, which is read, never mapped."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.index.entry_rows import (
    PEEKED,
    ROWS,
    EntryRows,
    Peek,
    decode_cell,
    encode_cell,
    made,
    peeks_at,
    write_entries,
)
from indexer.model import Entry


def _entries(n: int) -> list[Entry]:
    awkward = ["", "\x1d", "a\x1fb", "\x1e{}", "\x1c", "引号“双随机、一公开”", "😀 emoji", "tab\tand\nnewline"]
    out = []
    for i in range(n):
        w = awkward[i % len(awkward)]
        out.append(Entry(
            id=f"doc#{i}", kind="task" if i % 3 else "clause", number=str(i), section=f"一、总体 > {w}",
            text=f"第{i}条{w}正文", responsible=[] if i % 4 == 0 else ["区民政局", w or "区财政局"][: 1 + i % 2],
            deadline=None if i % 5 == 0 else "2024年6月底前", due=None if i % 5 == 0 else "2024-06-30",
            heading=w, roles=None if i % 2 else w, linked=[f"doc#{i + 1}"] if i % 7 == 0 else [],
            doc=f"doc{i % 3}", region=["槐荫区", None, "历城区"][i % 3], year=[2022, None, 2023][i % 3],
            title=None, lead=[w] if w else [], support=["", "x"] if i % 9 == 0 else [], unit_source=None,
            ocr=bool(i % 2), search_text=None if i % 2 else f"简体{w}",
        ))
    return out


@pytest.mark.parametrize("n", [1, 3, 50])
def test_every_value_round_trips(tmp_path: Path, n: int) -> None:
    entries = _entries(n)
    kinds = write_entries(tmp_path, entries)
    rows = EntryRows.open(tmp_path, kinds, n)
    assert list(rows) == entries
    assert rows[-1] == entries[-1] and rows[1:3] == entries[1:3]
    assert list(rows.ids()) == [e.id for e in entries]
    with pytest.raises(IndexError):
        rows[n]


def test_taking_many_entries_equals_taking_each(tmp_path: Path) -> None:
    """`take` reads neighbouring records together: the same entries, in the order asked, repeats kept."""
    entries = _entries(1200)
    kinds = write_entries(tmp_path, entries)
    rows = EntryRows.open(tmp_path, kinds, len(entries))
    positions = [5, 3, 1199, 4, 3, 700, 0, 1100, 6]
    assert rows.take(positions) == [entries[p] for p in positions]
    assert rows.take(positions) == [entries[p] for p in positions]  # now from the cache
    assert rows.take([10, 11]) == entries[10:12] and rows.take([12]) == [entries[12]]
    with pytest.raises(IndexError):
        rows.take([2, 1200])


def test_a_peek_holds_the_peeked_fields_and_makes_the_same_entry(tmp_path: Path) -> None:
    """`peek` decodes only the fields a search weighs; `made()` gives what `rows[i]` gives, once."""
    entries = _entries(1200)
    kinds = write_entries(tmp_path, entries)
    rows = EntryRows.open(tmp_path, kinds, len(entries))
    positions = [5, 3, 1199, 4, 3, 700, 0, 1100, 6]
    peeks = rows.peek(positions)
    assert all(isinstance(p, Peek) for p in peeks) and not rows._cache
    for pos, p in zip(positions, peeks, strict=True):
        assert [getattr(p, f) for f in PEEKED] == [getattr(entries[pos], f) for f in PEEKED]
    assert [made(p) for p in peeks] == [entries[p] for p in positions]
    assert made(peeks[0]) is made(peeks[0]) is rows[5]  # made once, then kept
    again = rows.peek([5, 6, 7])
    assert again[0] is rows[5] and isinstance(again[2], Peek)  # an entry already made is handed out as it is
    assert rows.peek([7])[0] is again[2]  # and a peek already read
    assert peeks_at(entries, [3, 1]) == [entries[3], entries[1]]  # entries in a list are already made
    with pytest.raises(IndexError):
        rows.peek([2, 1200])


def test_cells_of_every_kind_round_trip() -> None:
    for kind, value in (("str", None), ("str", ""), ("str", "\x1c"), ("str", "a\x1db"), ("list", []),
                        ("list", [""]), ("list", ["a", "b"]), ("list", ["a\x1fb"]), ("json", {"k": [1, None]}),
                        ("json", 7), ("str", 5)):
        assert decode_cell(kind, encode_cell(kind, value)) == value, (kind, value)


def test_a_damaged_row_file_is_refused_at_open(tmp_path: Path) -> None:
    entries = _entries(10)
    kinds = write_entries(tmp_path, entries)
    data = (tmp_path / ROWS).read_bytes()
    (tmp_path / ROWS).write_bytes(data[:-5])
    with pytest.raises(ValueError):
        EntryRows.open(tmp_path, kinds, 10)


def test_reading_entries_maps_nothing(tmp_path: Path) -> None:
    """Entries come from the page cache by pread: the worker's resident set holds no row pages."""
    entries = _entries(200)
    kinds = write_entries(tmp_path, entries)
    rows = EntryRows.open(tmp_path, kinds, 200)
    assert [rows[i] for i in range(0, 200, 7)] == entries[::7]
    maps = Path("/proc/self/maps")
    if maps.exists():
        assert ROWS not in maps.read_text()


def test_rows_read_the_same_without_pread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system has no pread (Windows), a locked seek + read gives the same entries."""
    from bot.index import pread

    entries = _entries(30)
    kinds = write_entries(tmp_path, entries)
    monkeypatch.setattr(pread, "_HAS_PREAD", False)
    monkeypatch.setattr(pread, "IN_MEMORY_MAX", 0)  # read from the file, not kept
    assert list(EntryRows.open(tmp_path, kinds, 30)) == entries
    monkeypatch.setattr(pread, "IN_MEMORY_MAX", 1 << 30)  # kept at open: the same entries
    assert list(EntryRows.open(tmp_path, kinds, 30)) == entries
