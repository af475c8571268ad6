"""The vocabulary the rewriter corrects towards: corpus n-gram counts, known plan terms, question words.

Neighbours: bot/language/rewrite/rewriter.py gathers these at build time from the corpus and the curated files
(bot/language/rewrite/data.py); hanzi.py turns them into the pinyin map, typos.py into its guards.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from bot.language.rewrite.data import SynonymRule
from bot.language.rewrite.tokens import HAN_RE

MAX_CORPUS_CHARS = 5_000_000  # n-grams are counted over at most this much (deduplicated) text

_QUOTED_RE = re.compile(r"[“\"「『《]([^“”\"「」『』《》]{2,16})[”\"」』》]")


def count_ngrams(texts: list[str], fold_table: dict[int, str]) -> Counter[str]:
    """Frequencies of every 2-4 hanzi n-gram, counted over the folded text (capped by MAX_CORPUS_CHARS)."""
    freq: Counter[str] = Counter()
    budget = MAX_CORPUS_CHARS
    for text in texts:
        if budget <= 0:
            break
        budget -= len(text)
        for run in HAN_RE.findall(text.translate(fold_table)):
            n = len(run)
            for size in (2, 3, 4):
                if n >= size:
                    freq.update(run[i:i + size] for i in range(n - size + 1))
    return freq


def known_terms(
    texts: list[str],
    extra_terms: Iterable[str],
    departments: list[tuple[str, list[str]]],
    glossary_terms: dict[str, list[str]],
    synonyms: list[SynonymRule],
    regions: list[str],
) -> set[str]:
    """Known plan vocabulary: typos are corrected towards these even when the corpus uses them rarely.

    Curated extra terms, department names and aliases, phrases the plans quote (“双随机、一公开”),
    glossary and synonym targets, and region names; only term-like strings are kept.
    """
    terms: set[str] = set()
    terms.update(t.strip() for t in extra_terms if t and t.strip())
    for name, aliases in departments:
        terms.add(name)
        terms.update(aliases)
    for text in texts:
        for m in _QUOTED_RE.finditer(text):
            q = m.group(1).strip()
            if _is_term_like(q):
                terms.add(q)
    for zh_list in glossary_terms.values():
        terms.update(zh_list)
    for _lhs, rhs in synonyms:
        terms.update(rhs)
    terms.update(regions)
    return {t for t in terms if _is_term_like(t)}


def _is_term_like(s: str) -> bool:
    """A term worth knowing: 2-16 chars, mostly hanzi, no sentence punctuation."""
    if not 2 <= len(s) <= 16 or re.search(r"[，。；：！？,.;:!?\s]", s):
        return False
    han = sum(len(h) for h in HAN_RE.findall(s))
    return han >= 2 and han >= len(s) - 2
