"""List questions from precomputed postings: positions of entries by department, region and due date.

Why: a list question ("区民政局有哪些任务？", "12月底前要完成哪些任务？", a region's whole plan) must not
loop in Python over every matching entry, let alone every entry: at a million entries a region-less
list matches tens of thousands. Everything here works on sorted int32 position arrays with numpy
(intersections, masks, one bisect), and only the positions finally shown become `Entry` objects.
Neighbours: bot/index/search_index.py builds the postings (`department_positions`, `region_positions`,
`due_keys`/`due_positions`, `linked_from`/`linked_to`); bot/engine/coordinator.py and bot/engine/task_lists.py ask these.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from bot.index.entry_rows import entries_at
from bot.index.search_index import SearchIndex
from bot.language.departments import unit_key
from indexer.model import Entry

_EMPTY = np.zeros(0, dtype=np.int32)
MASK_SHARE = 64  # position sets holding more than 1/MASK_SHARE of the entries are combined as masks


def union(parts: list[np.ndarray], n: int) -> np.ndarray:
    """The ascending distinct positions of all the arrays (positions < n), as int32. Large sets (a
    region-less department list: hundreds of thousands) are marked in a mask over the n entries, one
    linear pass instead of sorting them."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return np.asarray(parts[0], dtype=np.int32)
    if sum(len(p) for p in parts) * MASK_SHARE > n:
        mask = np.zeros(n, dtype=bool)
        for p in parts:
            mask[p] = True
        return np.flatnonzero(mask).astype(np.int32)
    return np.unique(np.concatenate(parts)).astype(np.int32)


class ListPostings:
    """Position arrays (ascending = plan order) for the list questions of one index."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self._ranks: tuple[np.ndarray, np.ndarray] | None = None
        self._intp_pairs: tuple[np.ndarray, np.ndarray] | None = None
        self._flags: tuple[np.ndarray, np.ndarray] | None = None

    def department(self, department: str, region: str | None = None) -> np.ndarray:
        """Entries naming the department (canonical name, alias or unit as written)."""
        idx = self.index
        canon = idx.departments.resolve(department) or department
        keys = {unit_key(canon), unit_key(department)}
        found = [idx.department_positions[k] for k in keys if k in idx.department_positions]
        return self.in_region(union(found, len(idx.entry_region)), region)

    def region(self, region: str, year: int | None = None) -> np.ndarray:
        """Every entry of a region's plans (of one year when given)."""
        positions = self.index.region_positions.get(region, _EMPTY)
        if year:
            positions = positions[self.index.entry_year[positions] == year]
        return positions

    def due_between(self, lo: str, hi: str, region: str | None = None) -> np.ndarray:
        """Entries with a due date in [lo, hi] (ISO strings), in plan order."""
        return np.sort(self.due_in_order(lo, hi, region))

    def due_in_order(self, lo: str, hi: str, region: str | None = None) -> np.ndarray:
        """`due_between` in due-list order (due date, region, plan order): the order `due_positions` is
        stored in, so a due list is never sorted."""
        idx = self.index
        a, b = bisect_left(idx.due_keys, lo), bisect_right(idx.due_keys, hi)
        return self.in_region(np.asarray(idx.due_positions[a:b]), region)

    def due_list(self, lo: str, hi: str, region: str | None = None) -> np.ndarray:
        """`without_restated(due_in_order(lo, hi, region))`. Over every region the due entries are one
        slice [a, b) of the due order, so a (clause, row) pair counts when both its due ranks fall in
        it: comparisons over the pairs' ranks (`_pair_ranks`), no mask over the entries."""
        idx = self.index
        if region and region in idx.region_positions:
            return self.without_restated(self.due_in_order(lo, hi, region))
        a, b = bisect_left(idx.due_keys, lo), bisect_right(idx.due_keys, hi)
        ordered = np.asarray(idx.due_positions[a:b])
        restated = self._restated_in(a, b)
        if not len(restated):
            return ordered
        keep = np.ones(b - a, dtype=bool)
        keep[restated - a] = False
        return ordered[keep]

    def due_of_year(self, lo: str, hi: str, year: int) -> tuple[np.ndarray, int]:
        """Over every region: `due_list(lo, hi)` narrowed to plans of `year` (or of no year) and to rows
        whose deadline names a completion date, in due-list order, and how many were left out for naming
        none. The year and dated flags are read from arrays in due order (`_due_flags`), slices of the
        same range as the list, not gathered entry by entry."""
        idx = self.index
        a, b = bisect_left(idx.due_keys, lo), bisect_right(idx.due_keys, hi)
        due_year, due_dated = self._due_flags()
        years = due_year[a:b]
        wanted = (years == year) | (years == 0)
        wanted[self._restated_in(a, b) - a] = False
        dated = due_dated[a:b]
        undated = int(np.count_nonzero(wanted & ~dated))
        return np.asarray(idx.due_positions[a:b])[wanted & dated], undated

    def _due_flags(self) -> tuple[np.ndarray, np.ndarray]:
        """`entry_year` and `entry_dated` of the entries in due order (`due_positions`), worked out on
        first use and kept with this index (3 bytes an entry)."""
        if self._flags is None:
            idx = self.index
            order = np.asarray(idx.due_positions)
            self._flags = (np.asarray(idx.entry_year[order]), np.asarray(idx.entry_dated[order]))
        return self._flags

    def _pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """The (clause, row) pairs as intp arrays, made on first use and kept with this index (8 bytes a
        pair: 7.5 MB at a million entries): indexing a mask with them is twice as fast as with int32."""
        if self._intp_pairs is None:
            idx = self.index
            self._intp_pairs = (np.asarray(idx.linked_from, dtype=np.intp), np.asarray(idx.linked_to, dtype=np.intp))
        return self._intp_pairs

    def _restated_in(self, a: int, b: int) -> np.ndarray:
        """Due ranks in [a, b) of the clauses with a task row whose due rank is in [a, b) too: the pairs
        are kept sorted by their clause's rank (`_pair_ranks`), so only those of clauses in the range are
        read."""
        clause, row = self._pair_ranks()
        lo, hi = np.searchsorted(clause, [a, b]).tolist()
        rows = row[lo:hi]
        return clause[lo:hi][(rows >= a) & (rows < b)]

    def _pair_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """The due ranks (`due_rank`) of the (clause, row) pairs whose clause has a due date, sorted by
        the clause's rank (the row's: -1 without a due date); worked out on first use and kept with
        this index."""
        if self._ranks is None:
            idx = self.index
            clause, row = np.asarray(idx.due_rank[idx.linked_from]), np.asarray(idx.due_rank[idx.linked_to])
            order = np.argsort(clause, kind="stable")
            order = order[clause[order] >= 0]
            self._ranks = (clause[order], row[order])
        return self._ranks

    def in_region(self, positions: np.ndarray, region: str | None) -> np.ndarray:
        """Only the region's positions (unchanged when no region, or one the index does not have)."""
        if not region or region not in self.index.region_positions:
            return positions
        return positions[self.index.entry_region[positions] == self.index.regions.index(region)]

    def without_restated(self, positions: np.ndarray) -> np.ndarray:
        """Drop clauses whose task-table rows are among the positions too (one task, one line); the
        positions kept stay in their order."""
        restated = self.restated(positions)
        return positions[~restated] if restated.any() else positions

    def restated(self, positions: np.ndarray) -> np.ndarray:
        """For each of the distinct `positions` (any order), whether it is a clause one of whose task rows
        is among them too. A large set (a region-less list: hundreds of thousands) is marked in a mask
        over the entries and every (clause, row) pair checked at once; a small one reads only its own
        pairs (`_restated_of`)."""
        idx = self.index
        if not len(positions) or not len(idx.linked_from):
            return np.zeros(len(positions), dtype=bool)
        n = len(idx.entry_region)
        if len(positions) * MASK_SHARE > n:
            at = positions.astype(np.intp)  # numpy indexes with intp: int32 indices are converted per use
            linked_from, linked_to = self._pairs()
            mask = np.zeros(n, dtype=bool)
            mask[at] = True
            both = mask[linked_from] & mask[linked_to]
            mask[:] = False
            mask[linked_from[both]] = True
            return mask[at]
        ascending = np.sort(positions)
        return np.isin(positions, self._restated_of(ascending))

    def _restated_of(self, positions: np.ndarray) -> np.ndarray:
        """The restated clauses among ascending `positions`. The (clause, row) pairs are stored sorted
        by clause, so only the pairs of these positions are read (two binary searches each)."""
        idx = self.index
        lo = np.searchsorted(idx.linked_from, positions, side="left")
        hi = np.searchsorted(idx.linked_from, positions, side="right")
        counts = hi - lo
        if not counts.any():
            return _EMPTY
        # the pair indices lo[j] .. hi[j]-1 of every position j, as one array
        pairs = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
        rows = np.asarray(idx.linked_to[pairs])
        k = np.minimum(np.searchsorted(positions, rows), len(positions) - 1)
        return np.asarray(idx.linked_from[pairs])[positions[k] == rows]

    def entries(self, positions: np.ndarray, limit: int | None = None) -> list[Entry]:
        """The Entry objects at the first `limit` positions: the only ones ever made."""
        return entries_at(self.index.entries, positions[:limit].tolist())
