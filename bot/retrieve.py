"""Retrieval: a Query -> ranked entries (per-field BM25, region/year filters, intent re-ranking) and
how much of the question an entry covers.

Neighbours: bot/understand.py makes the Query, bot/bm25.py scores, bot/index.py holds the fields;
bot/engine.py decides from `coverage` whether to answer or decline, and composes the reply.
"""
from __future__ import annotations

import math
import re

import numpy as np

from bot.answer import Intent
from bot.index import SearchIndex
from bot.text import Tokenizer
from bot.understand import Query
from indexer.model import Entry

# A question word the plans never use weighs this share of the rarest plan word: enough that an
# off-topic question ("个税专项附加扣除") is declined, not so much that chatty wording sinks a real one.
OOV_WEIGHT = 0.6
# Words too general to count as a topic on their own ("政务公开任务" names no topic).
GENERIC_TERMS = frozenset(
    "政务 公开 政务公开 信息 信息公开 政府 政府信息 任务 工作 重点 重点工作 要点 工作要点 年度 今年 本年度 全年 事项 "
    "哪些 什么 活 活儿 管 负责 区 市 县 政策 内容".split()
)
# Field weights: a term in the clause text counts fully, in its headings half, in its unit names less.
SECTION_WEIGHT = 0.5
UNITS_WEIGHT = 0.4
SYNONYM_WEIGHT = 0.5
CANDIDATES = 60  # entries re-ranked per question


class Retriever:
    """Ranks entries for a Query. Holds only caches derived from the index, so one per Engine."""

    def __init__(self, index: SearchIndex, tokenizer: Tokenizer, default_region: str = "") -> None:
        self.index = index
        self.tokenizer = tokenizer
        self.default_region = default_region
        self._max_idf = math.log(index.text.n_docs + 1) if index.text.n_docs else 1.0
        self._phrase_tokens: dict[str, list[str]] = {}
        self._bodies: dict[int, str] = {}  # coverage's whitespace-free entry bodies, by position

    def _mask(self, query: Query) -> np.ndarray | None:
        """Entries of the named regions and year (a year no plan of those regions has is ignored)."""
        idx = self.index
        mask = None
        if query.regions:
            wanted = [idx.regions.index(r) for r in query.regions]
            mask = np.isin(idx.entry_region, wanted)
        if query.year:
            ym = idx.entry_year == query.year
            if mask is None or (mask & ym).any():
                mask = ym if mask is None else (mask & ym)
        return mask

    def scores(self, query: Query) -> np.ndarray:
        """BM25 over text, headings and units, plus synonym expansions at a lower weight, for every entry."""
        idx = self.index
        terms = query.terms
        scores = idx.text.get_scores(terms)
        scores += SECTION_WEIGHT * idx.meta.get_scores(terms)
        scores += UNITS_WEIGHT * idx.units.get_scores(terms)
        extra = [t for t in self.expansion_terms(query) if t not in terms]
        if extra:
            scores += SYNONYM_WEIGHT * (idx.text.get_scores(extra) + SECTION_WEIGHT * idx.meta.get_scores(extra))
        return scores

    def expansion_terms(self, query: Query) -> list[str]:
        """Tokens of the synonym expansions (tokenized once per phrase: they come from curated files)."""
        out: list[str] = []
        for phrase in query.expansions:
            toks = self._phrase_tokens.get(phrase)
            if toks is None:
                toks = self.tokenizer.tokens(phrase)
                if len(self._phrase_tokens) < 10_000:  # expansions come from the curated files: few
                    self._phrase_tokens[phrase] = toks
            for t in toks:
                if t not in out:
                    out.append(t)
        return out

    def search(self, query: Query) -> list[tuple[Entry, float]]:
        """Best entries first: BM25 within the filters, then re-ranked by coverage of the question,
        by intent (who prefers entries naming units, when those with deadlines) and named departments."""
        idx = self.index
        scores = self.scores(query)
        mask = self._mask(query)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        if self.default_region and not query.regions and self.default_region in idx.regions:
            scores = np.where(idx.entry_region == idx.regions.index(self.default_region), scores * 1.25, scores)
        n = min(len(scores), CANDIDATES)
        if n == 0:
            return []
        cand = np.argpartition(-scores, n - 1)[:n] if len(scores) > n else np.arange(len(scores))
        cand = [int(i) for i in cand if scores[i] > 0]
        has = self._has_among(query, cand)
        boosted: list[tuple[int, float]] = []
        for i in cand:
            e = idx.entries[i]
            s = float(scores[i]) * (0.4 + self.coverage(query, i, has))
            if query.intent == Intent.WHO:
                s *= 1.15 if e.responsible else 0.6
                if e.kind == "task":
                    s *= 1.1
            elif query.intent == Intent.WHEN:
                s *= 1.1 if e.deadline else 0.85
            if query.departments and any(
                idx.departments.matches(u, d) for u in e.responsible for d in query.departments
            ):
                s *= 1.3
            boosted.append((i, s))
        boosted.sort(key=lambda x: -x[1])
        ranked = [(idx.entries[i], s) for i, s in boosted]
        return self._rows_before_clauses(ranked, query.intent)

    def _rows_before_clauses(self, ranked: list[tuple[Entry, float]], intent: Intent) -> list[tuple[Entry, float]]:
        """A task row and the body clause it restates are one answer: for who/when the row (which states
        the units and deadline of exactly this task) goes first when it matches nearly as well."""
        if intent not in (Intent.WHO, Intent.WHEN) or len(ranked) < 2:
            return ranked
        top, top_score = ranked[0]
        if top.kind != "clause" or not top.linked:
            return ranked
        for pos, (e, s) in enumerate(ranked[1:], 1):
            if e.id in top.linked and s >= 0.55 * top_score:
                ranked = [(e, top_score), *ranked[:pos], *ranked[pos + 1:]]
                break
        # keep scores non-increasing in rank order, as the JSON contract promises "ranked best first"
        out, ceiling = [], math.inf
        for e, s in ranked:
            ceiling = min(ceiling, s)
            out.append((e, ceiling))
        return out

    def coverage(self, query: Query, pos: int, has=None) -> float:  # type: ignore[no-untyped-def]
        """How much of the question's topic the entry contains: the mean of IDF-weighted word coverage
        and topic character-pair coverage (the latter needs compound terms to appear together)."""
        words = self._word_coverage(query, pos, has)
        if not query.bigrams:
            return words
        body = self._body(pos)
        pairs = sum(1 for b in query.bigrams if b in body) / len(query.bigrams)
        return 0.5 * words + 0.5 * pairs

    def _body(self, pos: int) -> str:
        """The entry's text, section, heading and units without whitespace, made once per entry (bounded)."""
        body = self._bodies.get(pos)
        if body is None:
            e = self.index.entries[pos]
            body = re.sub(r"\s+", "", f"{e.text}{e.section}{e.heading or ''}{''.join(e.responsible)}")
            if len(self._bodies) < 20_000:
                self._bodies[pos] = body
        return body

    def _word_coverage(self, query: Query, pos: int, has=None) -> float:  # type: ignore[no-untyped-def]
        """Share of the question's topic words (IDF-weighted) that the entry actually contains."""
        idx = self.index
        has = has or self._has
        total = matched = 0.0
        for t in query.terms:
            idf = idx.text.idf.get(t) or idx.meta.idf.get(t) or idx.units.idf.get(t)
            weight = idf if idf is not None else OOV_WEIGHT * self._max_idf
            if t in GENERIC_TERMS:
                weight *= 0.3
            total += weight
            if has(t, pos):
                matched += weight
        if query.expansions and matched < total:
            exp = [t for t in self.expansion_terms(query) if has(t, pos)]
            if exp:
                matched += min(total - matched, max(idx.text.idf.get(t, 1.0) for t in exp))
        return matched / total if total else 0.0

    def _has_among(self, query: Query, positions: list[int]):  # type: ignore[no-untyped-def]
        """`_has` for one search's candidates at once: a vectorised lookup per term and field instead of
        a binary search per (term, candidate) pair, the hot path of `_search`."""
        cand = np.asarray(positions, dtype=np.int32)
        found: dict[str, set[int]] = {}
        for t in [*query.terms, *(self.expansion_terms(query) if query.expansions else [])]:
            if t not in found:
                hit = np.zeros(len(cand), dtype=bool)
                for field_index in (self.index.text, self.index.meta, self.index.units):
                    hit |= field_index.contains(t, cand)
                found[t] = set(cand[hit].tolist())
        return lambda t, pos: pos in found[t] if t in found else self._has(t, pos)

    def _has(self, term: str, pos: int) -> bool:
        for field_index in (self.index.text, self.index.meta, self.index.units):
            ids = field_index._ids.get(term)
            if ids is not None:
                k = int(np.searchsorted(ids, pos))
                if k < len(ids) and ids[k] == pos:
                    return True
        return False
