"""Region names found in a text through a trie, not by checking every region.

Why: with every county of a province or the country in the index (2 800 names), checking each region
name against a question grows with the number of regions. A character trie over the names (and their
short forms without 区/县/市) finds every name occurring in a text in time that grows with the text's
length only, and a set of the names' substrings tells at once whether a place name is part of one.
Neighbours: bot/engine/understand.py asks whether a place a question names is one held (`overlaps`);
bot/index/search_index.py holds `regions` and their parent cities.
"""
from __future__ import annotations

from collections.abc import Iterable

_END = ""  # key of a trie node's terminal marker (no name holds the empty string as a character)


class RegionMatcher:
    """Regions whose full name, or short form (name minus its last character, 3+ characters), occurs in a text."""

    def __init__(self, regions: Iterable[str], *, short_forms: bool = True) -> None:
        self.regions = list(regions)
        self._trie: dict = {}
        self._substrings: set[str] = set()
        for i, r in enumerate(self.regions):
            for form in {r, r[:-1]} if len(r) >= 3 and short_forms else {r}:
                node = self._trie
                for ch in form:
                    node = node.setdefault(ch, {})
                node.setdefault(_END, set()).add(i)
            self._substrings.update(r[a:b] for a in range(len(r)) for b in range(a + 1, len(r) + 1))

    def find(self, text: str) -> list[str]:
        """Regions named in `text`, in index order (the same as checking `r in text or r[:-1] in text`)."""
        hits: set[int] = set()
        for start in range(len(text)):
            node = self._trie
            for ch in text[start:]:
                child = node.get(ch)
                if child is None:
                    break
                node = child
                hits.update(node.get(_END, ()))
        return [self.regions[i] for i in sorted(hits)]

    def overlaps(self, name: str) -> bool:
        """Whether a place name is part of a region's name, or a region's name is part of it
        (`any(name in r or r in name for r in regions)` without the loop)."""
        if name in self._substrings:
            return True
        return any(r in name for r in self._full_names_in(name))

    def _full_names_in(self, text: str) -> list[str]:
        return [r for r in self.find(text) if r in text]
