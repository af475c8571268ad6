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
        return self.expand(text, extra)[0]

    def expand(self, text: str, extra: list[str]) -> tuple[list[str], list[tuple[str, tuple[str, ...]]]]:
        """(`expansions`, and each source word found with the targets it stands for): the ranking counts
        a source word as present in a clause that holds one of its targets (孩子上幼儿园 -> 学前教育)."""
        senses = self._expand(text)
        out: list[str] = []
        for term in [t for _, targets in senses for t in targets] + extra:
            if term and term not in text and term not in out:
                out.append(term)
        return out, [(word, targets) for word, targets in senses if targets]

    def _expand(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Rules whose source words occur in the text (longest match, left to right): (word, targets)."""
        found: list[tuple[str, tuple[str, ...]]] = []
        i, n = 0, len(text)
        while i < n:
            for word, targets in self.by_first.get(text[i], ()):
                if text.startswith(word, i):
                    found.append((word, targets))
                    i += len(word)
                    break
            else:
                i += 1
        return found


def _longest_first(rule: tuple[str, tuple[str, ...]]) -> int:
    return -len(rule[0])


def alternatives_of(terms: tuple[str, ...], senses: tuple[tuple[str, tuple[str, ...]], ...]
                    ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each term inside (or holding) a word a synonym rule read, with what stands for it in a clause.

    A rule's targets that the word itself contains (老人补贴 => 养老 补贴: 补贴) are that part of the
    word, not another name for it: the rest of the word (老人) stands for the other targets (养老),
    and the whole word for them together with that part ("养老 补贴": both needed)."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for t in terms:
        phrases: list[str] = []
        for word, targets in senses:
            if len(t) < 2 or not (t in word or word in t):
                continue
            literal = [x for x in targets if x in word]
            other = [x for x in targets if x not in word]
            if any(t in x for x in literal):
                continue  # the term is the part the clause must hold itself
            with_part = [x for x in literal if x in t]
            phrases += [" ".join([x, *with_part]) for x in other]
        if phrases:
            out.append((t, tuple(dict.fromkeys(phrases))))
    return tuple(out)
