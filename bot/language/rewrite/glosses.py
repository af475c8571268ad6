"""The plans' words in English, from CC-CEDICT: how much of an English question a clause covers.

Why: an English question that paraphrases ("the person who handles open-government work changes jobs")
rarely names the plan's own terms, so translating it word by word into one Chinese term per phrase loses
the clause it means — but the clause's words, read back through the dictionary (工作人员 "staff;
personnel", 变动 "change; fluctuation"), share most of its English. `Glosses` holds, for every dictionary
headword the plans use, the stems of its English glosses, and the inverse document frequency of each stem
over the whole dictionary (a stem in many glosses, "work", weighs little; "gazette" much). `coverage`
gives the weighted share of a question's English stems that a clause's words gloss: the evidence
bot/engine/english_rerank.py reorders English questions' best candidates by.

Built once with the rewriter at index build (bot/language/rewrite/rewriter.py), pickled with it.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.language.rewrite import resources
from bot.language.rewrite.tokens import HAN_RE
from bot.language.vocabulary import EN_STOPWORDS

_WORD = re.compile(r"[A-Za-z]+")
MAX_HEAD = 4  # longest headword looked up inside a clause (longer plan terms are made of these)


@lru_cache(maxsize=2)
def _dictionary(path: Path, stem: Callable[[str], str]) -> tuple[dict[str, frozenset[str]], dict[str, float]]:
    """Every 2–4-character headword's gloss stems, and every stem's IDF over the whole dictionary: the same
    for every index built in a process (a publish, a curation preview and the tests build many)."""
    entries = resources.cedict_entries(path)
    df: dict[str, int] = {}
    heads: dict[str, set[str]] = {}
    for word, glosses in entries:
        found = {stem(w) for g in glosses for w in _WORD.findall(g) if w not in EN_STOPWORDS and len(w) > 1}
        for s in found:
            df[s] = df.get(s, 0) + 1
        if found and 2 <= len(word) <= MAX_HEAD and HAN_RE.fullmatch(word):
            heads.setdefault(word, set()).update(found)
    n = len(entries)
    return {w: frozenset(s) for w, s in heads.items()}, {s: math.log((n + 1) / (c + 1)) for s, c in df.items()}


@dataclass
class Glosses:
    """Headword -> stems of its glosses, for the headwords the plans use; stem -> its weight."""

    stems: dict[str, frozenset[str]] = field(default_factory=dict)
    weight: dict[str, float] = field(default_factory=dict)
    _inverse: dict[str, set[str]] | None = field(default=None, init=False, repr=False, compare=False)
    _last: tuple[frozenset[str], frozenset[str]] | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, in_plans: Callable[[str], bool], stem: Callable[[str], str],
              path: Path | None = None) -> Glosses:
        """From the pinned CC-CEDICT data (resources.py): every 2–4-character headword the plans use."""
        cedict = resources.cedict_path() if path is None else path
        if cedict is None:
            return cls()
        every, weight = _dictionary(cedict, stem)
        kept = {w: s for w, s in every.items() if in_plans(w)}
        used = {s for ss in kept.values() for s in ss}
        return cls(kept, {s: weight[s] for s in used})

    def of_text(self, text: str) -> set[str]:
        """Every English stem the dictionary gives the words inside `text` (all 2–4-character spans): the
        spans are collected as one set and met with the headwords in one set intersection."""
        out: set[str] = set()
        stems = self.stems
        for word in _spans(text) & stems.keys():
            out |= stems[word]
        return out

    def share_of(self, asked: dict[str, float], text: str) -> float:
        """`coverage(asked, of_text(text))`, reading only the headwords that gloss an asked stem. Each of
        those few dozen is looked for in `text` as a substring (C's search): a headword is 2–4 hanzi, so it
        is in `text` exactly when it is one of `_spans(text)` — without making the ~500 spans per clause."""
        have: set[str] = set()
        stems = self.stems
        for word in self._headwords_of(frozenset(asked)):
            if word in text:
                have |= stems[word]
        return self.coverage(asked, have)

    def _headwords_of(self, asked: frozenset[str]) -> frozenset[str]:
        """The headwords glossing any of the asked stems (the stem -> headwords table is made on first use
        in a serving process and kept; the last question's set is kept for its ten candidates)."""
        last = self._last  # read once: another thread may replace it
        if last is not None and last[0] == asked:
            return last[1]
        inverse = self._inverse
        if inverse is None:
            table: dict[str, set[str]] = {}
            for word, stems in self.stems.items():
                for s in stems:
                    table.setdefault(s, set()).add(word)
            inverse = self._inverse = table  # only read from here on
        heads = frozenset().union(*(inverse.get(s, ()) for s in asked))
        self._last = (asked, heads)
        return heads

    def question_stems(self, words: Iterable[str], stem: Callable[[str], str]) -> dict[str, float]:
        """The question's English content stems that some plan word glosses, with their weights."""
        out: dict[str, float] = {}
        for w in words:
            if w.lower() in EN_STOPWORDS:
                continue
            s = stem(w)
            if s in self.weight:
                out[s] = self.weight[s]
        return out

    @staticmethod
    def coverage(asked: dict[str, float], have: Set[str]) -> float:
        """Weighted share of the asked stems the clause's glosses hold, in [0, 1]."""
        total = sum(asked.values())
        return sum(w for s, w in asked.items() if s in have) / total if total else 0.0


def _spans(text: str) -> set[str]:
    """Every 2–4-character span of the hanzi runs in `text`: the words a headword could be."""
    spans: set[str] = set()
    for run in HAN_RE.findall(text):
        n = len(run)
        for size in range(2, MAX_HEAD + 1):
            spans.update(run[i:i + size] for i in range(n - size + 1))
    return spans
