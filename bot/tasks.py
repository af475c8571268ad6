"""Task lists from the index maps: entries naming a department, entries due in a date range.

Neighbours: bot/index.py builds `unit_positions` and the sorted due dates; bot/engine.py resolves
aliases and regions and calls these for list questions, /dept and /due, and reminders.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import numpy as np

from bot.index import SearchIndex
from indexer.model import Entry


class TaskLists:
    """Index lookups without a scan over every entry (the scaled benchmark has 200 000)."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def naming_unit(self, canon: str, region: str | None) -> list[Entry]:
        """Entries naming a unit that matches the department, in plan order (index map, no full scan)."""
        idx = self.index
        hits = [p for u, p in idx.unit_positions.items() if idx.departments.matches(u, canon)]
        return self._at(np.unique(np.concatenate(hits)), region) if hits else []

    def due_between(self, lo: str, hi: str, region: str | None) -> list[Entry]:
        """Entries due in [lo, hi], in plan order (bisect on the index's sorted due dates, no full scan)."""
        idx = self.index
        a, b = bisect_left(idx.due_keys, lo), bisect_right(idx.due_keys, hi)
        return self._at(np.sort(idx.due_positions[a:b]), region)

    def _at(self, positions: np.ndarray, region: str | None) -> list[Entry]:
        """The entries at these positions, only the region's when it is one of the index's regions."""
        idx = self.index
        if region and region in idx.regions:
            positions = positions[idx.entry_region[positions] == idx.regions.index(region)]
        return [idx.entries[i] for i in positions.tolist()]

    @staticmethod
    def without_restated(entries: list[Entry]) -> list[Entry]:
        """Drop body clauses whose task-table rows are already in the list (one task, one line)."""
        ids = {e.id for e in entries}
        return [e for e in entries if not (e.kind == "clause" and any(i in ids for i in e.linked))]
