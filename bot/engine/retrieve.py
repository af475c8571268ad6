"""Stage 2, *retrieve*: a `Query` -> `Ranked` candidates with their evidence (score, coverage, matched terms).

Per-field BM25 (bot/index/bm25.py) over clause text, headings and units, region/year filters, re-ranking by
coverage of the question and by intent. Neighbours: bot/engine/understand.py makes the Query, bot/index/search_index.py holds
the fields, bot/engine/decide.py reads the evidence to answer or decline. Every weight is a named field of
bot/engine/tuning.py.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from bot.engine.answer import Intent
from bot.engine.tuning import Tuning
from bot.engine.understand import Query
from bot.index.bm25 import SparseBM25
from bot.index.entry_rows import Peek, made, peeks_at
from bot.index.list_positions import union
from bot.index.search_index import SearchIndex, searchable
from bot.language.everyday import Everyday
from bot.language.tokenizer import Tokenizer
from bot.language.vocabulary import is_generic
from indexer.model import Entry

Has = Callable[[str, int], bool]
_Hits = dict[int, dict[str, np.ndarray]]  # id(field) -> term -> which docs hold it (`Retriever.scores`)


@dataclass(frozen=True)
class Candidate:
    """One ranked entry and why it ranks: its final score, the share of the question's topic it covers
    and which question terms it contains. `found`: the entry, or a `Peek` at it (a search over an opened
    index); `entry` makes the whole Entry on first use: most candidates are never looked at whole."""

    found: Entry | Peek
    position: int  # in the index
    score: float
    coverage: float
    matched: tuple[str, ...] = ()
    has_core: bool = True  # holds the question's most specific topic word (`Ranked.core`), or one it stands for

    @property
    def entry(self) -> Entry:
        return made(self.found)


@dataclass(frozen=True)
class Ranked:
    """Candidates best first (scores non-increasing), and the question's most specific topic word."""

    candidates: tuple[Candidate, ...] = ()
    core: str | None = None

    def __bool__(self) -> bool:
        return bool(self.candidates)

    def __len__(self) -> int:
        return len(self.candidates)

    def __iter__(self) -> Iterator[Candidate]:
        return iter(self.candidates)

    def __getitem__(self, i: int) -> Candidate:
        return self.candidates[i]

    @property
    def top(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def entries(self, n: int | None = None) -> list[Entry]:
        return [c.entry for c in self.candidates[:n]]


class _Among:
    """`Has` for one search's candidates: the candidates holding each question term, found at once
    (`Retriever._has_among`); other terms or positions fall back to the index lookup."""

    __slots__ = ("found", "fallback")

    def __init__(self, found: dict[str, set[int]], fallback: Has) -> None:
        self.found, self.fallback = found, fallback

    def __call__(self, term: str, pos: int) -> bool:
        hits = self.found.get(term)
        return pos in hits if hits is not None else self.fallback(term, pos)


@dataclass(frozen=True)
class _Measure:
    """Coverage of one question's content (`Retriever._coverage`), term weights already worked out."""

    weights: tuple[tuple[str, float, set[int] | None], ...]  # content terms, weights, candidates holding them
    alternatives: dict[str, tuple[tuple[str, ...], ...]]  # term -> token tuples of the plan terms it stands for
    total: float
    expansions: tuple[tuple[str, float], ...]  # synonym-expansion terms and their text IDF
    bigrams: tuple[str, ...]
    has: Has
    body: Callable[[int], str]

    def coverage(self, pos: int) -> tuple[float, tuple[str, ...]]:
        """(coverage, the question terms the entry at `pos` contains)."""
        has, alternatives = self.has, self.alternatives
        matched = 0.0
        found: list[str] = []
        for t, w, hits in self.weights:
            if ((pos in hits) if hits is not None else has(t, pos)) or (t in alternatives and self.stands_for(t, pos)):
                matched += w
                found.append(t)
        return self._with_pairs(pos, matched, found)

    def coverages(self, positions: list[int]) -> list[tuple[float, tuple[str, ...]]]:
        """`[self.coverage(p) for p in positions]` (distinct positions), term by term: a term whose holders
        are known adds its weight to those alone rather than being looked up for every candidate. Each
        candidate's weights are still summed in term order: the same floats."""
        matched = dict.fromkeys(positions, 0.0)
        found: dict[int, list[str]] = {p: [] for p in positions}
        for t, w, hits in self.weights:
            if hits is not None and t not in self.alternatives:
                for p in hits:
                    if p in matched:
                        matched[p] += w
                        found[p].append(t)
                continue
            stood = self._standing(t, positions) if t in self.alternatives else ()
            for p in positions:
                if ((p in hits) if hits is not None else self.has(t, p)) or p in stood:
                    matched[p] += w
                    found[p].append(t)
        return [self._with_pairs(p, matched[p], found[p]) for p in positions]

    def _standing(self, term: str, positions: list[int]) -> set[int]:
        """{p for p in positions if self.stands_for(term, p)}, a token at a time over all of them."""
        known = self.has.found if isinstance(self.has, _Among) else {}
        out: set[int] = set()
        for alt in filter(None, self.alternatives.get(term, ())):
            held = positions  # those holding every token so far (what `all` looks at)
            for t in alt:
                hits = known.get(t)
                held = [p for p in held if (p in hits if hits is not None else self.has(t, p))]
            out.update(held)
        return out

    def _with_pairs(self, pos: int, matched: float, found: list[str]) -> tuple[float, tuple[str, ...]]:
        """`coverage` from the matched weight of the question's terms: expansions, then character pairs."""
        total = self.total
        if self.expansions and matched < total:
            exp = [w for t, w in self.expansions if self.has(t, pos)]
            if exp:
                matched += min(total - matched, max(exp))
        words = matched / total if total else 0.0
        if not self.bigrams:
            return words, tuple(found)
        body = self.body(pos)
        pairs = len([b for b in self.bigrams if b in body]) / len(self.bigrams)
        return 0.5 * words + 0.5 * pairs, tuple(found)

    def stands_for(self, term: str, pos: int) -> bool:
        """The entry holds one of the plan terms a synonym rule reads `term` as (all its tokens)."""
        return any(alt and all(self.has(t, pos) for t in alt) for alt in self.alternatives.get(term, ()))


class Retriever:
    """Ranks entries for a Query. Holds only caches derived from the index, so one per Engine."""

    def __init__(self, index: SearchIndex, tokenizer: Tokenizer, tuning: Tuning, default_region: str = "") -> None:
        self.index = index
        self.tokenizer = tokenizer
        self.tuning = tuning
        self.default_region = default_region
        self._max_idf = math.log(index.text.n_docs + 1) if index.text.n_docs else 1.0
        self._phrase_tokens: dict[str, list[str]] = {}
        self._bodies: dict[int, str] = {}  # coverage's whitespace-free entry bodies, by position
        self._weights: dict[str, float] = {}  # coverage's term weights (`_weight`), by term
        self.everyday = Everyday(tuning)

    def region_scope(self, query: Query) -> np.ndarray | None:
        """Ascending positions of the entries of the question's regions (and year, when those regions
        have a plan of it), from the region postings rather than a pass over every entry. None when the
        question names no region."""
        idx = self.index
        if not query.regions:
            return None
        parts = [idx.region_positions[r] for r in query.regions if r in idx.region_positions]
        scope = union(parts, len(idx.entries))
        if query.year:
            of_year = scope[idx.entry_year[scope] == query.year]
            if len(of_year):
                scope = of_year
        return scope

    def scores(self, query: Query, docs: np.ndarray | None = None, hits: _Hits | None = None) -> np.ndarray:
        """BM25 over text, headings and units, plus synonym expansions at a lower weight, for every entry
        (or only for the distinct positions `docs`, aligned with them). `hits`, when given, receives per
        field what scoring learnt of each term: which of `docs` hold it, or scoring every entry, the doc
        ids of its posting. A field holding none of the terms adds only zeros: it is left out (the same
        bits, a few passes over a million scores fewer)."""
        idx, tn = self.index, self.tuning

        def bm25(field: SparseBM25, terms: list[str]) -> np.ndarray:
            seen = None if hits is None else hits.setdefault(id(field), {})
            if docs is None:
                return field.get_scores(terms, read=seen)
            return field.get_scores_of(terms, docs, hits=seen)

        terms = list(query.terms)
        scores = bm25(idx.text, terms)
        for field, weight in ((idx.meta, tn.section_weight), (idx.units, tn.units_weight)):
            if docs is None:
                field.add_weighted(scores, terms, weight, None if hits is None else hits.setdefault(id(field), {}))
            elif field.has_any(terms):
                part = bm25(field, terms)
                scores += np.multiply(part, weight, out=part)  # weight * part, in place
        extra = [t for t in self.expansion_terms(query) if t not in terms]
        in_text, in_meta = idx.text.has_any(extra), idx.meta.has_any(extra)
        if in_text or in_meta:  # synonym_weight * (text + section_weight * meta); a missing part adds 0
            meta = bm25(idx.meta, extra) if in_meta else None
            if meta is not None:
                np.multiply(meta, tn.section_weight, out=meta)
            if in_text:
                part = bm25(idx.text, extra)
                if meta is not None:
                    part += meta
            else:
                assert meta is not None
                part = meta
            scores += np.multiply(part, tn.synonym_weight, out=part)
        return scores

    def topic_scores(self, query: Query, docs: np.ndarray | None = None) -> np.ndarray:
        """BM25 of the question's topic words alone (list questions narrowed to a topic)."""
        return self.scores(replace(query, terms=query.topic, expansions=()), docs)

    def _tokens_of(self, phrase: str) -> list[str]:
        """A curated phrase's tokens, tokenized once per phrase (they come from curated files: few)."""
        toks = self._phrase_tokens.get(phrase)
        if toks is None:
            toks = self.tokenizer.tokens(phrase)
            if len(self._phrase_tokens) < 10_000:
                self._phrase_tokens[phrase] = toks
        return toks

    def expansion_terms(self, query: Query) -> list[str]:
        """Tokens of the synonym expansions and of the plan words synonym rules read the question's words as."""
        out: list[str] = []
        for phrase in (*query.expansions, *(x for _, xs in query.alternatives for x in xs)):
            toks = self._tokens_of(phrase)
            for t in toks:
                if t not in out:
                    out.append(t)
        return out

    def search(self, query: Query) -> Ranked:
        """Best entries first: BM25 within the filters, then re-ranked by coverage of the question,
        by intent (who prefers entries naming units, when those with deadlines) and named departments."""
        idx, tn = self.index, self.tuning
        scope = self.region_scope(query)
        hits: _Hits = {}
        if scope is not None:  # a region named: score its entries only
            scores = self.scores(query, scope, hits)
            top = top_positions(scores, min(len(scope), tn.candidates))
            cand, bm25 = scope[top].tolist(), scores[top].tolist()
            hits = {f: {t: h[top] for t, h in of_field.items()} for f, of_field in hits.items()}
        else:
            scores = self.scores(query, None, hits)
            if query.year:
                scores = np.where(idx.entry_year == query.year, scores, 0.0)
            if self.default_region and self.default_region in idx.region_positions:  # its entries only
                own = idx.region_positions[self.default_region]
                scores[own] = scores[own] * tn.default_region_boost
            top = top_positions(scores, min(len(scores), tn.candidates))
            cand, bm25 = top.tolist(), scores[top].tolist()
            fields = {id(f): f for f in (idx.text, idx.meta, idx.units)}
            hits = {f: {t: fields[f].contains(t, top, ids) for t, ids in read.items()} for f, read in hits.items()}
        if not cand:
            return Ranked()
        score_of = dict(zip(cand, bm25, strict=True))
        has = self._has_among(query, cand, hits)
        leaders = sorted(cand, key=lambda i: -score_of[i])[: tn.story_evidence]
        content = self._content(query, leaders, has)
        measure = self._measure(query, content, has)
        core = self._core(query, content[0], cand, has, measure)
        entries = peeks_at(idx.entries, cand)
        read = dict(zip(cand, entries, strict=True))  # a body not yet kept is made from the entry in hand
        measure = replace(measure, body=lambda pos: self._body(pos, read.get(pos)))
        boosted: list[Candidate] = []
        for i, e, (coverage, matched) in zip(cand, entries, measure.coverages(cand), strict=True):
            held = core is None or core in matched
            s = self._boost(query, e, score_of[i] * (tn.coverage_floor + coverage))
            boosted.append(Candidate(e, i, s if held else s * tn.lacks_core, coverage, matched, held))
        boosted.sort(key=lambda c: -c.score)
        return Ranked(tuple(self._rows_before_clauses(boosted, query.intent)), core)

    def _core(self, query: Query, terms: tuple[str, ...], cand: list[int], has: Has, measure: _Measure) -> str | None:
        """The question's most specific topic word that some candidate holds: a topic word of two or
        more characters, weighted by its IDF in the plans times how rare it is in general Chinese
        (bot/language/everyday.py) — "养老补贴" is about 养老 (a domain) more than 补贴 (said of many
        domains). None when the question has one topic word or none (nothing to tell apart)."""
        names = set(query.departments)
        words = [t for t in terms if len(t) >= 2 and not is_generic(t) and t in query.topic
                 and not any(t in d for d in names)
                 and (self._in_plans(t) or t in dict(query.alternatives))]
        if len(words) < 2:
            return None
        words.sort(key=lambda t: -self._weight(t) * self.everyday.salience(t))
        for t in words[:2]:
            if any(has(t, p) or measure.stands_for(t, p) for p in cand[: self.tuning.candidates]):
                return t
        return None

    def _in_plans(self, t: str) -> bool:
        idx = self.index
        return t in idx.text.idf or t in idx.meta.idf

    def _boost(self, query: Query, e: Entry | Peek, s: float) -> float:
        """The score re-weighted by intent (who: entries naming units, task rows; when: entries with a
        deadline) and by the departments the question names."""
        tn = self.tuning
        if query.intent == Intent.WHO:
            s *= tn.who_has_units if e.responsible else tn.who_no_units
            if e.kind == "task":
                s *= tn.who_task_row
        elif query.intent == Intent.WHEN:
            s *= tn.when_has_deadline if e.deadline else tn.when_no_deadline
        if query.departments and any(
            self.index.departments.matches(u, d) for u in e.responsible for d in query.departments
        ):
            s *= tn.department_match
        return s

    def _rows_before_clauses(self, ranked: list[Candidate], intent: Intent) -> list[Candidate]:
        """A task row and the body clause it restates are one answer: for who/when the row (which states
        the units and deadline of exactly this task) goes first when it matches nearly as well and would
        itself be an answer (covers min_score): a long clause links the rows of several tasks, and a row
        of another task of it ("政策精准推送" under 营商环境) is no answer to the one asked ("政策制定透明")."""
        if intent not in (Intent.WHO, Intent.WHEN) or len(ranked) < 2:
            return ranked
        top = ranked[0]
        if top.entry.kind != "clause" or not top.entry.linked:
            return ranked
        for pos, c in enumerate(ranked[1:], 1):
            if (c.score >= self.tuning.row_over_clause * top.score and c.coverage >= self.tuning.min_score
                    and c.found.id in top.entry.linked):
                ranked = [replace(c, score=top.score), *ranked[:pos], *ranked[pos + 1:]]
                break
        # keep scores non-increasing in rank order, as the JSON contract promises "ranked best first"
        out, ceiling = [], math.inf
        for c in ranked:
            ceiling = min(ceiling, c.score)
            out.append(c if c.score == ceiling else replace(c, score=ceiling))
        return out

    def coverage(self, query: Query, pos: int) -> float:
        """How much of the question's topic the entry at `pos` contains (see `_coverage`)."""
        return self._coverage(query, self._content(query, [pos], self._has), pos, self._has)[0]

    def _coverage(self, query: Query, content: tuple[tuple[str, ...], tuple[str, ...]], pos: int,
                  has: Has) -> tuple[float, tuple[str, ...]]:
        """The mean of IDF-weighted word coverage over the question's content terms and topic
        character-pair coverage (the latter needs compound terms to appear together), and the question
        terms the entry contains."""
        return self._measure(query, content, has).coverage(pos)

    def _measure(self, query: Query, content: tuple[tuple[str, ...], tuple[str, ...]], has: Has) -> _Measure:
        """`_coverage` for one question's content, its term weights worked out once: a search measures
        some forty candidates against the same terms."""
        terms, bigrams = content
        among = has.found if isinstance(has, _Among) else {}
        weights = tuple((t, self._weight(t), among.get(t)) for t in terms)
        alternatives = {t: tuple(tuple(self._tokens_of(x)) for x in xs) for t, xs in query.alternatives}
        total = 0.0
        for _, w, _ in weights:  # summed in term order, as the candidates' matched weights are
            total += w
        expansions: tuple[tuple[str, float], ...] = ()
        if query.expansions:
            idf = self.index.text.idf
            expansions = tuple((t, idf.get(t, 1.0)) for t in self.expansion_terms(query))
        return _Measure(weights, alternatives, total, expansions, bigrams, has, self._body)

    def specificity(self, t: str) -> float:
        """How specific a question term is: its weight in coverage times its salience in general Chinese
        (high for 电视问政, 国资; low for 公开, 政策, 网上). Decisions read it as evidence (decide.py)."""
        return self._weight(t) * self.everyday.salience(t)

    def in_plans(self, t: str) -> bool:
        """Whether the plans use the term (in any field)."""
        idx = self.index
        return t in idx.text.idf or t in idx.meta.idf or t in idx.units.idf

    def _weight(self, t: str) -> float:
        """A question term's weight in word coverage: its IDF in the plans, or for a word the plans never
        use, that of a rare plan word scaled down the more everyday it is (bot/language/everyday.py); generic
        words weigh less. A pure function of the word and the index, kept per Retriever."""
        weight = self._weights.get(t)
        if weight is None:
            idx, tn = self.index, self.tuning
            idf = idx.text.idf.get(t) or idx.meta.idf.get(t) or idx.units.idf.get(t)
            weight = idf if idf is not None else tn.oov_weight * self._max_idf * self.everyday.salience(t)
            if len(t) == 1 and idf is not None:  # a lone character (找, 点, 看) is wording far more than topic
                weight *= self.everyday.salience(t)
            if is_generic(t):
                weight *= tn.generic_weight
            if len(self._weights) < 100_000:
                self._weights[t] = weight
        return weight

    def _content(self, query: Query, leaders: list[int], has: Has) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The question's terms and character pairs, minus the sender's story: in a message of several
        segments, a segment that asks nothing and shares no specific word with any of the best BM25
        matches (`leaders`) is about the sender, not the plans. Decided once per question, so every
        candidate is measured against the same content."""
        if not query.segments:
            return query.terms, query.bigrams
        kept_terms: set[str] = set()
        kept_pairs: list[str] = []
        for seg in query.segments:
            if seg.before_question:
                continue
            if seg.asks or any(not is_generic(t) and has(t, p) for t in seg.terms for p in leaders):
                kept_terms.update(seg.terms)
                kept_pairs += seg.bigrams
        terms = tuple(t for t in query.terms if t in kept_terms)
        pairs = tuple(b for b in query.bigrams if b in kept_pairs)
        return terms, (pairs or query.bigrams)

    def _body(self, pos: int, entry: Entry | Peek | None = None) -> str:
        """The entry's text, section, heading and units without whitespace, made once per entry (bounded);
        `entry`: the entry at `pos` when the caller holds it (not read from the index again)."""
        body = self._bodies.get(pos)
        if body is None:
            e = entry if entry is not None else self.index.entries[pos]
            # whitespace removed: str.split() splits on exactly the characters regex \s matches
            body = "".join(f"{searchable(e)}{e.section}{e.heading or ''}{''.join(e.responsible)}".split())
            if len(self._bodies) < 20_000:
                self._bodies[pos] = body
        return body

    def _has_among(self, query: Query, positions: list[int], known: _Hits | None = None) -> Has:
        """`_has` for one search's candidates at once: a vectorised lookup per term and field instead of
        a binary search per (term, candidate) pair, the hot path of `search`. `known`: per field, which
        candidates hold a term, as scoring them found (no second lookup)."""
        cand = np.asarray(positions, dtype=np.int32)
        found: dict[str, set[int]] = {}
        for t in [*query.terms, *(self.expansion_terms(query) if query.expansions else [])]:
            if t not in found:
                hit = None
                for field_index in (self.index.text, self.index.meta, self.index.units):
                    if field_index.df(t):  # fields without the term need no lookup
                        h = (known or {}).get(id(field_index), {}).get(t)
                        if h is None:
                            h = field_index.contains(t, cand)
                        hit = h if hit is None else hit | h
                found[t] = set(cand[hit].tolist()) if hit is not None else set()
        return _Among(found, self._has)

    def _has(self, term: str, pos: int) -> bool:
        one = np.array([pos], dtype=np.int32)
        return any(bool(f.contains(term, one)[0]) for f in (self.index.text, self.index.meta, self.index.units))


_EMPTY = np.zeros(0, dtype=np.int64)
ROWS = 64  # top_positions folds the scores into this many rows and keeps each column's best


def _at_or_above_floor(scores: np.ndarray, n: int) -> np.ndarray:
    """Ascending positions of every score at or above a positive floor that the n-th best score is not
    below (see `top_positions`); every positive score when fewer than n columns hold one."""
    width = len(scores) // ROWS
    best = scores[:width * ROWS].reshape(ROWS, width).max(axis=0)  # column j: scores j, j + width, ...
    positive = best[best > 0]
    if len(positive) < n:
        return np.flatnonzero(scores > 0)
    floor = np.partition(positive, len(positive) - n)[len(positive) - n]
    columns = np.flatnonzero(best >= floor)
    rows = np.arange(ROWS)[:, None] * width
    candidates = np.concatenate([(rows + columns).ravel(), np.arange(width * ROWS, len(scores))])  # ascending
    return candidates[scores[candidates] >= floor]


def top_positions(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the `n` highest positive scores, ascending; at the boundary, equal scores go to the
    earlier positions (plan order), so the choice never depends on how a partition happened to run.

    Why the folding: at a million entries nearly every entry matches some common word, and selecting
    among all of them costs milliseconds. Folded into ROWS rows, the best score of each column is one
    pass of element-wise maxima; the n-th best of those column bests is a floor the true n-th best
    cannot be below (they are n different entries), and only the columns whose best reaches it can hold
    an entry at or above it: a few thousand scores are read again, not a million.
    """
    if n <= 0:
        return _EMPTY
    matched = _at_or_above_floor(scores, n) if len(scores) >= 4 * n * ROWS else np.flatnonzero(scores > 0)
    if len(matched) <= n:
        return matched
    values = scores[matched]
    kth = np.partition(values, len(values) - n)[len(values) - n]
    above = matched[values > kth]
    return np.sort(np.concatenate([above, matched[values == kth][: n - len(above)]]))
