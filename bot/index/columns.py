"""Index data as memory-mapped numpy arrays: string columns, coded columns, id lookup, postings maps.

Why: a million entries as Python objects take seconds to load and about 3 KB each in every worker.
Stored as arrays (a string column is one UTF-8 blob plus byte offsets; values repeated across entries,
such as the document, region or title, are codes into a small table), they open in milliseconds, their
pages are shared by every process that maps them, and nothing is decoded until asked for.
Neighbours: bot/index/files.py writes and opens these inside an index version directory;
bot/index/entry_rows.py stores the entries themselves (using `CodedColumn` for their few-valued fields);
bot/index/search_index.py puts `IdPositions` in `by_id` and `CsrMap` in `unit_positions` and the other postings.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np


def open_array(path: Path) -> np.ndarray:
    """A memory-mapped, read-only array; never unpickles (allow_pickle=False)."""
    arr = np.load(path, mmap_mode="r", allow_pickle=False)
    if arr.dtype.hasobject:
        raise ValueError(f"{path.name}: object arrays are not index data")
    return arr.view(np.ndarray)  # a plain view of the map: slicing a np.memmap costs more per call


def save_array(path: Path, arr: np.ndarray) -> None:
    np.save(path, np.ascontiguousarray(arr), allow_pickle=False)


# ------------------------------------------------------------------------------------------ strings
class StringColumn(Sequence[str | None]):
    """Strings as one UTF-8 blob + n+1 byte offsets (+ a null mask when some are None)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, nulls: np.ndarray | None = None) -> None:
        self._blob, self._offsets, self._nulls = blob, offsets, nulls
        self._n = len(offsets) - 1
        self._bytes = blob.data if blob.ndim == 1 and len(blob) else memoryview(b"")  # .data: memoryview(blob)

    @staticmethod
    def write(folder: Path, name: str, values: Sequence[str | None]) -> None:
        encoded = [(v or "").encode("utf-8") for v in values]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded)), out=offsets[1:])
        save_array(folder / f"{name}.blob.npy", np.frombuffer(b"".join(encoded), dtype=np.uint8))
        save_array(folder / f"{name}.offsets.npy", offsets)
        nulls = np.fromiter((v is None for v in values), dtype=bool, count=len(values))
        if nulls.any():
            save_array(folder / f"{name}.nulls.npy", nulls)

    @classmethod
    def open(cls, folder: Path, name: str) -> StringColumn:
        nulls_path = folder / f"{name}.nulls.npy"
        offsets = open_array(folder / f"{name}.offsets.npy")
        blob = open_array(folder / f"{name}.blob.npy")
        nulls = open_array(nulls_path) if nulls_path.is_file() else None
        if len(offsets) < 1 or (nulls is not None and len(nulls) != len(offsets) - 1):
            raise ValueError(f"{name}: column arrays disagree")
        return cls(blob, offsets, nulls)

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> str | None: ...
    @overload
    def __getitem__(self, i: slice) -> list[str | None]: ...

    def __getitem__(self, i: int | slice) -> Any:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        if self._nulls is not None and self._nulls.item(i):
            return None
        a, b = self._offsets[i:i + 2].tolist()
        return str(self._bytes[a:b], "utf-8")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


class CodedColumn(Sequence[Any]):
    """Values repeated across entries (document, region, title, year): int32 codes into a JSON table."""

    def __init__(self, codes: np.ndarray, table: list[Any]) -> None:
        self._codes, self._table = codes, table

    @staticmethod
    def write(folder: Path, name: str, values: Sequence[Any]) -> None:
        table: dict[str, int] = {}
        codes = np.fromiter((table.setdefault(json.dumps(v, ensure_ascii=False), len(table)) for v in values),
                            dtype=np.int32, count=len(values))
        save_array(folder / f"{name}.codes.npy", codes)
        (folder / f"{name}.table.json").write_text("[" + ",".join(table) + "]", encoding="utf-8")

    @classmethod
    def open(cls, folder: Path, name: str) -> CodedColumn:
        codes = open_array(folder / f"{name}.codes.npy")
        table = json.loads((folder / f"{name}.table.json").read_text(encoding="utf-8"))
        if not isinstance(table, list) or (len(codes) and not 0 <= int(codes.max(initial=0)) < len(table)):
            raise ValueError(f"{name}: codes outside their table")
        return cls(codes, table)

    @property
    def codes(self) -> np.ndarray:
        return self._codes

    @property
    def table(self) -> list[Any]:
        return self._table

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self._table[c] for c in self._codes[i].tolist()]
        value = self._table[self._codes.item(i)]
        return list(value) if isinstance(value, list) else value


# ------------------------------------------------------------------------------------------ lookups
class IdPositions(Mapping[str, int]):
    """`SearchIndex.by_id`: entry id -> position, through a sorted array of 64-bit id hashes (one
    binary search in numpy, then the id itself compared), without a dict of a million ids in memory."""

    def __init__(self, ids: Sequence[str], hashes: np.ndarray, order: np.ndarray) -> None:
        self._ids, self._hashes, self._order = ids, hashes, order

    @staticmethod
    def write(folder: Path, ids: Sequence[str]) -> None:
        hashes = np.fromiter((id_hash(i) for i in ids), dtype=np.uint64, count=len(ids))
        order = np.argsort(hashes, kind="stable")
        save_array(folder / "entry.id_hashes.npy", hashes[order])
        save_array(folder / "entry.id_order.npy", order.astype(np.int32))

    @classmethod
    def open(cls, folder: Path, ids: Sequence[str]) -> IdPositions:
        hashes, order = open_array(folder / "entry.id_hashes.npy"), open_array(folder / "entry.id_order.npy")
        if len(order) != len(ids) or len(hashes) != len(ids):
            raise ValueError("entry.id_order disagrees with the entries")
        return cls(ids, hashes, order)

    def __getitem__(self, entry_id: str) -> int:
        if isinstance(entry_id, str):
            h = np.uint64(id_hash(entry_id))
            k = int(self._hashes.searchsorted(h))  # the method: a third of np.searchsorted's call cost
            while k < len(self._hashes) and self._hashes.item(k) == h:
                pos = int(self._order[k])
                if self._ids[pos] == entry_id:
                    return pos
                k += 1
        raise KeyError(entry_id)

    def __len__(self) -> int:
        return len(self._order)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)


def id_hash(entry_id: str) -> int:
    """A stable 64-bit hash (Python's own str hash changes with every process)."""
    return int.from_bytes(hashlib.blake2b(entry_id.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class CsrMap(Mapping[str, np.ndarray]):
    """key -> int32 array, all arrays in one flat array (`unit_positions`, per-region/department postings)."""

    def __init__(self, keys: list[str], indptr: np.ndarray, flat: np.ndarray) -> None:
        self._keys, self._indptr, self._flat = keys, indptr, flat
        self._ix = {k: i for i, k in enumerate(keys)}

    @staticmethod
    def write(folder: Path, name: str, mapping: Mapping[str, np.ndarray]) -> None:
        keys = list(mapping)
        lengths = np.fromiter((len(mapping[k]) for k in keys), dtype=np.int64, count=len(keys))
        indptr = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        flat = np.concatenate([np.asarray(mapping[k], dtype=np.int32) for k in keys]) if keys else np.zeros(0, np.int32)
        save_array(folder / f"{name}.indptr.npy", indptr)
        save_array(folder / f"{name}.flat.npy", flat.astype(np.int32))
        (folder / f"{name}.keys.json").write_text(json.dumps(keys, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path, name: str) -> CsrMap:
        keys = json.loads((folder / f"{name}.keys.json").read_text(encoding="utf-8"))
        indptr, flat = open_array(folder / f"{name}.indptr.npy"), open_array(folder / f"{name}.flat.npy")
        if not isinstance(keys, list) or len(indptr) != len(keys) + 1 or (len(keys) and indptr[-1] != len(flat)):
            raise ValueError(f"{name}: postings arrays disagree")
        return cls(keys, indptr, flat)

    def __getitem__(self, key: str) -> np.ndarray:
        i = self._ix[key]
        return self._flat[int(self._indptr[i]):int(self._indptr[i + 1])]

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._ix
