"""Synonym expansion: everyday words in the question -> plan terms added to the search (老人 -> 养老, 老年人).

Neighbours: built by bot/language/rewrite/rewriter.py from knowledge/data/synonyms.txt (parsed in bot/language/rewrite/data.py);
the expansions end up in Rewrite.expansions, which bot/engine/coordinator.py adds to the query.
"""
from __future__ import annotations

from bot.language.rewrite.data import SynonymRule


class SynonymExpander:
    """Synonym rules indexed by the first character of each source word, longest word first."""

    def __init__(self, by_first: dict[str, tuple[tuple[str, tuple[str, ...]], ...]]) -> None:
        self.by_first = by_first

    @classmethod
    def build(cls, rules: list[SynonymRule]) -> SynonymExpander:
        # Longest source word first so 看病报销 wins over 看病.
        by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for lhs, rhs in rules:
            for w in lhs:
                by_first.setdefault(w[0], []).append((w, rhs))
        return cls({c: tuple(sorted(v, key=_longest_first)) for c, v in by_first.items()})

    def expansions(self, text: str, extra: list[str]) -> list[str]:
        """Synonym targets found in `text`, then `extra` (glossary alternates); once each, none in `text`."""
        out: list[str] = []
        for term in self._expand(text) + extra:
            if term and term not in text and term not in out:
                out.append(term)
        return out

    def _expand(self, text: str) -> list[str]:
        """Targets of rules whose source words occur in the text (longest match, left to right)."""
        found: list[str] = []
        i, n = 0, len(text)
        while i < n:
            for word, targets in self.by_first.get(text[i], ()):
                if text.startswith(word, i):
                    found.extend(targets)
                    i += len(word)
                    break
            else:
                i += 1
        return found


def _longest_first(rule: tuple[str, tuple[str, ...]]) -> int:
    return -len(rule[0])
