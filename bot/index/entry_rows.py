"""Entries stored one record per entry in a data-only file read with `pread`, made into `Entry` on access.

Why rows read by pread rather than memory-mapped columns: an answer makes 50-150 entries, scattered over
the whole index. Mapped, every scattered read maps a whole page-cache folio (hundreds of kilobytes on
current kernels) into the worker, so its resident set grows towards the full size of the entry text,
about 400 MB at a million entries, in every worker. Read with pread, the bytes come from the page cache
that every worker on the host shares and nothing stays mapped: two system calls per entry (its record's
bounds, the record), about 4 µs, fewer than the ten column slices it replaces.

Record: the entry's non-coded fields (bot/index/columns.py `CodedColumn` keeps the few-valued ones, such as
document and region, as mapped int32 codes), each cell encoded by its kind, joined by CELL_SEP:
    "str"   the string itself, NONE for None
    "list"  the items joined by LIST_SEP ("" for an empty list)
    "json"  JSON_MARK + JSON
A cell whose value would be ambiguous (holds a separator or a mark, an empty list item) is written as
JSON_MARK + JSON whatever its kind, so every value round-trips.
Neighbours: bot/index/files.py writes and opens these; bot/index/search_index.py puts `EntryRows` in
`SearchIndex.entries`.
"""
from __future__ import annotations

import dataclasses
import json
import operator
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np

from bot.index.columns import CodedColumn, save_array
from bot.index.pread import PreadArray
from indexer.model import Entry

CELL_SEP, LIST_SEP, JSON_MARK, NONE = "\x1d", "\x1f", "\x1e", "\x1c"
_SPECIAL = (CELL_SEP, LIST_SEP, JSON_MARK, NONE)
ROWS, ROW_OFFSETS = "entry.rows.npy", "entry.rows.offsets.npy"
_BOUNDS = struct.Struct("<2q")
_RUN_OFFSETS = 512  # `take` reads the offsets of positions this close in one pread (4 KB)
_RUN_BYTES = 16_384  # and records this close (bytes between them) in one pread


def entries_at(entries: Sequence[Entry], positions: Sequence[int]) -> list[Entry]:
    """`[entries[p] for p in positions]`, made together when `entries` are an opened index's rows."""
    return entries.take(positions) if isinstance(entries, EntryRows) else [entries[p] for p in positions]


def peeks_at(entries: Sequence[Entry], positions: Sequence[int]) -> list[Entry | Peek]:
    """The entries at `positions` as a search first needs them: an opened index's rows give a `Peek`
    for each entry not yet made (the fields of `PEEKED` decoded, the whole Entry on `made()`), an Entry
    already made or a list of entries the Entry itself (it has every field a Peek has)."""
    return entries.peek(positions) if isinstance(entries, EntryRows) else [entries[p] for p in positions]


def made(found: Entry | Peek) -> Entry:
    """The Entry a `peeks_at` item stands for."""
    return found.made() if isinstance(found, Peek) else found


# The fields a search reads of every candidate (bot/engine/retrieve.py: boosting, coverage's body) and
# those answers test candidates by (bot/engine/decide.py: id, region, linked); an answer reads the rest
# of a few candidates only.
PEEKED = ("kind", "deadline", "responsible", "text", "search_text", "section", "heading", "id", "region", "linked")


class Peek:
    """An entry whose record has been read but not made into an `Entry`: the fields of `PEEKED` as
    attributes, the whole Entry (decoded from the cells kept, the same value `EntryRows[i]` gives) on
    the first `made()` and kept in the rows' cache like any entry made."""

    __slots__ = (*PEEKED, "_rows", "_pos", "_cells", "_entry")
    kind: str
    deadline: str | None
    responsible: list[str]
    text: str
    search_text: str | None
    section: str
    heading: str
    id: str
    region: str | None
    linked: list[str]
    _entry: Entry | None

    def __init__(self, rows: EntryRows, pos: int, cells: list[str], kind: str, deadline: str | None,
                 responsible: list[str], text: str, search_text: str | None, section: str, heading: str,
                 id: str, region: str | None, linked: list[str]) -> None:
        self.kind, self.deadline, self.responsible, self.text = kind, deadline, responsible, text
        self.search_text, self.section, self.heading = search_text, section, heading
        self.id, self.region, self.linked = id, region, linked
        self._rows, self._pos, self._cells, self._entry = rows, pos, cells, None

    def made(self) -> Entry:
        entry = self._entry
        if entry is None:
            entry = self._entry = self._rows.complete(self._pos, self._cells)
        return entry


# ------------------------------------------------------------------------------------------ cells
def _plain(s: str) -> bool:
    return not any(c in s for c in _SPECIAL)


def encode_cell(kind: str, value: Any) -> str:
    if kind == "str" and value is None:
        return NONE
    if kind == "str" and isinstance(value, str) and _plain(value):
        return value
    if kind == "list" and isinstance(value, list) and all(isinstance(v, str) and v and _plain(v) for v in value):
        return LIST_SEP.join(value)
    return JSON_MARK + json.dumps(value, ensure_ascii=False)


def decode_cell(kind: str, cell: str) -> Any:
    if cell.startswith(JSON_MARK):
        return json.loads(cell[1:])
    if kind == "list":
        return cell.split(LIST_SEP) if cell else []
    return None if cell == NONE else cell


# ------------------------------------------------------------------------------------------ entries
# How each Entry field is stored: "coded" (few distinct values: a CodedColumn), "list" (list[str]), "str"
# (anything else that is a string or None), "json" (other types, e.g. a field added later).
CODED_SHARE = 4  # a string field with at most n / CODED_SHARE distinct values is stored coded


def _field_kind(f: dataclasses.Field, values: list[Any]) -> str:
    if all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in values):
        return "list"
    if not all(v is None or isinstance(v, str) for v in values):
        return "coded" if len(set(map(repr, values))) * CODED_SHARE <= max(len(values), 1) else "json"
    return "coded" if len(set(values)) * CODED_SHARE <= max(len(values), 1) else "str"


def write_entries(folder: Path, entries: Sequence[Entry]) -> dict[str, str]:
    """Coded fields as columns, the rest as one record per entry; returns {field: kind} for the manifest."""
    kinds: dict[str, str] = {}
    for f in dataclasses.fields(Entry):
        values = [getattr(e, f.name) for e in entries]
        kinds[f.name] = _field_kind(f, values)
        if kinds[f.name] == "coded":
            CodedColumn.write(folder, f"entry.{f.name}", values)
    in_rows = [(name, kind) for name, kind in kinds.items() if kind != "coded"]
    records = [CELL_SEP.join(encode_cell(kind, getattr(e, name)) for name, kind in in_rows).encode("utf-8")
               for e in entries]
    offsets = np.zeros(len(records) + 1, dtype="<i8")
    np.cumsum(np.fromiter(map(len, records), dtype=np.int64, count=len(records)), out=offsets[1:])
    save_array(folder / ROWS, np.frombuffer(b"".join(records), dtype=np.uint8))
    save_array(folder / ROW_OFFSETS, offsets)
    return kinds


def _entry_maker(names: list[str]) -> Callable[[list[Any]], Entry]:
    """values (in `names` order) -> Entry. When the names are every field of a plain Entry dataclass
    (no __post_init__, no slots), the new instance's __dict__ is filled in field order directly, as
    unpickling does and as __init__ would: the same object for half the cost, some sixty per search."""
    fields = [f.name for f in dataclasses.fields(Entry)]
    if sorted(names) != sorted(fields) or hasattr(Entry, "__post_init__") or hasattr(Entry, "__slots__"):
        return lambda values: Entry(**dict(zip(names, values, strict=True)))
    in_field_order = operator.itemgetter(*[names.index(f) for f in fields])
    new = object.__new__

    def make(values: list[Any]) -> Entry:
        entry = new(Entry)
        entry.__dict__.update(zip(fields, in_field_order(values), strict=True))
        return entry
    return make


class EntryRows(Sequence[Entry]):
    """`SearchIndex.entries`: indexable, iterable, len()-able sequence of `Entry`.

    An Entry is made on first access and kept in a bounded cache (CACHE_SIZE): the entries questions
    keep returning to are made once, and a scan over every entry never holds them all.
    """

    CACHE_SIZE = 10_000  # about 25 MB of Entry objects: the entries answers return to, not a scan's

    def __init__(self, rows: PreadArray, offsets: PreadArray, in_rows: list[tuple[str, str]],
                 coded: dict[str, CodedColumn], n: int) -> None:
        self._rows, self._offsets, self._in_rows, self._coded, self._n = rows, offsets, in_rows, coded, n
        self._cache: dict[int, Entry] = {}
        self._peeked: dict[int, Peek] = {}  # as bounded: the peeks searches return to, not made twice
        # what `_make` reads per field, looked up once here rather than per entry
        self._cell_kinds = [kind for _, kind in in_rows]
        self._names = [name for name, _ in in_rows] + list(coded)
        self._new_entry = _entry_maker(self._names)
        self._code_tables = [(col.codes, col.table) for col in coded.values()]
        self._list_coded = [k for k, col in enumerate(coded.values()) if any(isinstance(v, list) for v in col.table)]
        self._peeked_cells, self._peeked_coded, self._peeked_default = _peek_plan(in_rows, coded)

    @classmethod
    def open(cls, folder: Path, kinds: dict[str, str], n: int) -> EntryRows:
        fields = {f.name: f for f in dataclasses.fields(Entry)}
        missing = [name for name, f in fields.items() if name not in kinds and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing:
            raise ValueError(f"index entries lack the fields {missing}")
        coded = {name: CodedColumn.open(folder, f"entry.{name}") for name, kind in kinds.items() if kind == "coded"}
        if any(len(col) != n for col in coded.values()):
            raise ValueError(f"entry columns disagree with the {n} entries")
        rows, offsets = PreadArray(folder / ROWS), PreadArray(folder / ROW_OFFSETS)
        if offsets.length != n + 1 or offsets.dtype != np.dtype("<i8") or rows.dtype != np.uint8 \
                or struct.unpack("<q", offsets.read(8 * n, 8))[0] != rows.length:
            raise ValueError("entry rows disagree with their offsets")
        in_rows = [(name, kind) for name, kind in kinds.items() if kind != "coded"]
        return cls(rows, offsets, in_rows, coded, n)

    def __len__(self) -> int:
        return self._n

    def _make(self, i: int) -> Entry:
        got = self._cache.get(i)
        if got is not None:
            return got
        a, b = _BOUNDS.unpack(self._offsets.read(8 * i, 16))
        return self.complete(i, self._rows.read(a, b - a).decode("utf-8").split(CELL_SEP))

    def complete(self, i: int, cells: list[str]) -> Entry:
        """The entry at `i` from its record's cells (`_make`, or a `Peek` made into its Entry)."""
        got = self._cache.get(i)
        if got is not None:
            return got
        if len(cells) != len(self._cell_kinds):
            raise ValueError(f"entry record {i} holds {len(cells)} cells, not {len(self._cell_kinds)}")
        values = list(map(decode_cell, self._cell_kinds, cells))
        for codes, table in self._code_tables:
            value = table[codes.item(i)]
            values.append(list(value) if isinstance(value, list) else value)  # never the table's own list
        return self._keep(i, self._new_entry(values))

    def take(self, positions: Sequence[int]) -> list[Entry]:
        """The entries at `positions`, in that order: the same as `[self[p] for p in positions]`, with
        the ones not cached made together (`_make_many`): a search makes some sixty entries, mostly
        from the few plans of one region, so neighbouring records come in one read and the coded
        fields in one numpy lookup per field."""
        missing = sorted({p for p in positions if p not in self._cache})
        made = self._make_many(missing) if len(missing) > 1 else {}
        return [made.get(p) or self[p] for p in positions]

    def _make_many(self, positions: list[int]) -> dict[int, Entry]:
        """Entries at ascending, distinct positions: records read in runs (`_RUN_BYTES` apart at most)."""
        cells_of = self._cells_of(positions)
        at = np.asarray(positions)
        coded = [[table[c] for c in codes[at].tolist()] for codes, table in self._code_tables]
        for k in self._list_coded:  # never hand out the table's own list
            coded[k] = [list(v) if isinstance(v, list) else v for v in coded[k]]
        made: dict[int, Entry] = {}
        kinds, new_entry = self._cell_kinds, self._new_entry
        per_entry = list(zip(*coded, strict=True)) if coded else [()] * len(positions)
        for i, cells, of_entry in zip(positions, cells_of, per_entry, strict=True):
            if len(cells) != len(kinds):
                raise ValueError(f"entry record {i} holds {len(cells)} cells, not {len(kinds)}")
            values = [*map(decode_cell, kinds, cells), *of_entry]
            made[i] = self._keep(i, new_entry(values))
        return made

    def peek(self, positions: Sequence[int]) -> list[Entry | Peek]:
        """`peeks_at`: for each position its Entry when already made, else a `Peek` (records read
        together as `take` reads them, only the fields of `PEEKED` decoded)."""
        cache, peeked = self._cache, self._peeked
        missing = sorted({p for p in positions if p not in cache and p not in peeked})
        if missing:
            if len(peeked) + len(missing) > self.CACHE_SIZE:
                peeked.clear()  # racing threads may clear twice or miss an insert: harmless
            peeked.update(self._peek_many(missing))
        return [cache.get(p) or peeked.get(p) or self[p] for p in positions]

    def _peek_many(self, positions: list[int]) -> dict[int, Peek]:
        """Peeks at ascending, distinct positions."""
        cells_of = self._cells_of(positions)
        for i, cells in zip(positions, cells_of, strict=True):
            if len(cells) != len(self._cell_kinds):
                raise ValueError(f"entry record {i} holds {len(cells)} cells, not {len(self._cell_kinds)}")
        at = np.asarray(positions)
        columns: list[list[Any]] = []  # field by field (`PEEKED` order), entry by entry
        for name, k, kind in self._peeked_cells:
            if kind:
                columns.append([decode_cell(kind, cells[k]) for cells in cells_of])
            elif name in self._peeked_coded:
                codes, table = self._peeked_coded[name]
                columns.append([_copy(table[c]) for c in codes[at].tolist()])
            else:
                columns.append([_copy(self._peeked_default[name]) for _ in positions])
        return {i: Peek(self, i, cells, *values)
                for i, cells, values in zip(positions, cells_of, zip(*columns, strict=True), strict=True)}

    def _cells_of(self, positions: list[int]) -> list[list[str]]:
        """The record cells of ascending, distinct positions: records read in runs (`_RUN_BYTES` apart at most)."""
        if positions[0] < 0 or positions[-1] >= self._n:
            raise IndexError(positions[0] if positions[0] < 0 else positions[-1])
        starts, ends = self._bounds_of(positions)
        cells_of: list[list[str]] = []
        k = 0
        while k < len(positions):
            j = k + 1
            while j < len(positions) and starts[j] - ends[j - 1] <= _RUN_BYTES:
                j += 1
            blob = self._rows.read(starts[k], ends[j - 1] - starts[k])
            cells_of += [blob[a - starts[k]:b - starts[k]].decode("utf-8").split(CELL_SEP)
                         for a, b in zip(starts[k:j], ends[k:j], strict=True)]
            k = j
        return cells_of

    def _bounds_of(self, positions: list[int]) -> tuple[list[int], list[int]]:
        """Start and end byte of each position's record: the offsets of neighbouring positions in one read."""
        starts: list[int] = []
        ends: list[int] = []
        k = 0
        while k < len(positions):
            j = k + 1
            while j < len(positions) and positions[j] - positions[j - 1] <= _RUN_OFFSETS:
                j += 1
            first = positions[k]
            offsets = self._offsets.take(first, positions[j - 1] + 2).tolist()
            for p in positions[k:j]:
                starts.append(offsets[p - first])
                ends.append(offsets[p - first + 1])
            k = j
        return starts, ends

    def _keep(self, i: int, entry: Entry) -> Entry:
        if len(self._cache) >= self.CACHE_SIZE:
            self._cache.clear()  # racing threads may clear twice or miss an insert: harmless
        self._cache[i] = entry
        return entry

    @overload
    def __getitem__(self, i: int) -> Entry: ...
    @overload
    def __getitem__(self, i: slice) -> list[Entry]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self._make(k) for k in range(*i.indices(self._n))]
        i = int(i)
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return self._make(i)

    def __iter__(self) -> Iterator[Entry]:
        for i in range(self._n):
            yield self._make(i)

    def ids(self) -> Sequence[str]:
        """Every entry's id, read on access (for `IdPositions`)."""
        return _Ids(self)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value  # never a table's (or the default's) own list


def _peek_plan(in_rows: list[tuple[str, str]], coded: dict[str, CodedColumn]) -> tuple[
        list[tuple[str, int, str]], dict[str, tuple[np.ndarray, list[Any]]], dict[str, Any]]:
    """Where each field of `PEEKED` is read: (name, its cell, the cell's kind; "" when not in the record),
    the coded columns of those that are coded, and the Entry default of those the index does not store."""
    cells = {name: (k, kind) for k, (name, kind) in enumerate(in_rows)}
    fields = {f.name: f for f in dataclasses.fields(Entry)}
    plan, of_coded, default = [], {}, {}
    for name in PEEKED:
        k, kind = cells.get(name, (-1, ""))
        plan.append((name, k, kind))
        if name in coded:
            of_coded[name] = (coded[name].codes, coded[name].table)
        elif not kind:
            f = fields[name]
            default[name] = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
    return plan, of_coded, default


class _Ids(Sequence[str]):
    def __init__(self, rows: EntryRows) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [e.id for e in self._rows[i]]
        return self._rows[i].id
