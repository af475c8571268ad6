"""Sparse BM25 scoring over posting lists: the same ranking as rank-bm25's BM25Plus, thousands of times faster.

Why BM25Plus: rank-bm25's BM25Okapi floors negative IDF with epsilon, so on our small corpora a term in
half the entries scores 0 or, filtered by region, even ranks documents that lack it above those that
have it. BM25Plus uses idf = log((N + 1) / df), always positive. Its extra `delta * idf` is added to
every document for every query term, a per-query constant that never changes the ranking, so we leave
it out and score only documents that contain a term (tests/bot/test_bm25.py checks the ranking
against rank_bm25.BM25Plus on the shipped corpus).

Layout: one CSR matrix (term -> doc ids ascending, precomputed per-posting weights) kept by
bot/index/posting_lists.py: in memory while building; in an opened index read from the version directory by
pread (nothing mapped: a worker's memory does not grow with the postings it has read), with a sample of
every 128th id in memory so a region's part of a long posting is read without the rest. `save` writes
.npy arrays and the term list as JSON; nothing is ever unpickled.
Neighbours: bot/language/tokenizer.py makes the tokens; bot/index/search_index.py builds one of these per field; bot/index/files.py
saves and opens them.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from bot.index.posting_lists import PostingLists, spans_of

# A term in more than 1/DENSE_SHARE of the documents of an index of at least DENSE_MIN_DOCS is scored as a
# dense vector (one contiguous add instead of a scatter over 25 000+ postings; scores bit-for-bit the same:
# other documents add 0). Which terms: chosen at build by document frequency, most frequent first, as many
# as DENSE_BUDGET_BYTES per field holds (at a million entries: 24 vectors of 4 MB per field, at most
# 288 MB for the three fields), so what is cached never depends on which questions came first. The
# vectors are written with the index (`name.dense.npy`) and memory-mapped when it is opened: no load time,
# and the page cache holds them once for every worker on the host (each worker's RSS counts the pages it
# has touched, at most the budget). A frequent term beyond the budget is scattered from its postings.
DENSE_SHARE = 8
DENSE_MIN_DOCS = 20_000
DENSE_BUDGET_BYTES = 96 * 1024 * 1024
# get_scores_of over more than 1/SCORE_ALL_SHARE of the documents (a question naming a city of many
# counties) scores the whole corpus and picks the docs: a scatter per posting, not a search per doc.
SCORE_ALL_SHARE = 16


class SparseBM25:
    """Index: term -> (doc ids, term frequencies); scores are accumulated only where a term occurs."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise ValueError(f"k1 must be >= 0 and b in [0, 1]; got k1={k1}, b={b}")
        self.k1, self.b = k1, b
        self.n_docs = len(corpus)
        lengths = np.fromiter((len(d) for d in corpus), dtype=np.int64, count=self.n_docs)
        total = int(lengths.sum())
        avgdl = total / self.n_docs if total else 1.0
        self._norm = (k1 * (1 - b + b * lengths.astype(np.float32) / np.float32(avgdl))).astype(np.float32)
        # Every (term, doc) occurrence as one int64 key term_id * n_docs + doc_id: sorting the keys groups
        # postings by term with doc ids ascending, and runs of equal keys are the term frequencies.
        vocab: dict[str, int] = {}
        term_of = np.fromiter((vocab.setdefault(t, len(vocab)) for doc in corpus for t in doc),
                              dtype=np.int64, count=total)
        docs = np.repeat(np.arange(self.n_docs, dtype=np.int64), lengths)
        keys, tf = np.unique(term_of * max(self.n_docs, 1) + docs, return_counts=True)
        post_term = keys // max(self.n_docs, 1)
        ids = (keys - post_term * max(self.n_docs, 1)).astype(np.int32)
        df = np.bincount(post_term, minlength=len(vocab))
        idf = np.log((self.n_docs + 1) / np.maximum(df, 1))
        tf32 = tf.astype(np.float32)
        # Per-posting BM25 weight: idf * tf (k1 + 1) / (tf + norm)
        weights = (idf[post_term].astype(np.float32) * tf32 * np.float32(k1 + 1) / (tf32 + self._norm[ids]))
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        postings = PostingLists(list(vocab), indptr, ids, weights.astype(np.float32))
        self._set_postings(postings, _dense_block(postings, self.n_docs))

    def _set_postings(self, postings: PostingLists, dense: tuple[list[str], np.ndarray]) -> None:
        self._postings = postings
        self._terms, self._indptr = postings.terms, postings.indptr
        self._dense_terms, self._dense_block = dense
        self._dense: dict[str, np.ndarray] = {t: self._dense_block[i] for i, t in enumerate(self._dense_terms)}
        self._ids: Mapping[str, np.ndarray] = postings.ids_map()
        self._weights: Mapping[str, np.ndarray] = postings.weights_map()
        self.idf: Mapping[str, float] = _Idf(postings.term_ix, postings.indptr, self.n_docs)

    def save(self, folder: Path, name: str) -> None:
        """Write this index as `name.*.npy` arrays and `name.json` (parameters and terms) into `folder`."""
        np.save(folder / f"{name}.norm.npy", np.ascontiguousarray(self._norm), allow_pickle=False)
        self._postings.save(folder, name)
        if self._dense_terms:  # no file to read when no term is dense: every file of a version is read at open
            np.save(folder / f"{name}.dense.npy", np.ascontiguousarray(self._dense_block), allow_pickle=False)
        meta = {"k1": self.k1, "b": self.b, "n_docs": self.n_docs, "terms": self._terms, "dense": self._dense_terms}
        (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path, name: str) -> SparseBM25:
        """The index `save` wrote: lengths and the frequent terms' dense vectors memory-mapped, postings read
        by pread (bot/index/posting_lists.py); ValueError when the parts disagree."""
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        terms, n_docs = meta["terms"], int(meta["n_docs"])
        if not isinstance(terms, list):
            raise ValueError(f"{name}: terms are not a list")
        norm = np.load(folder / f"{name}.norm.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
        if len(norm) != n_docs:
            raise ValueError(f"{name}: document lengths disagree with the document count")
        dense_terms = meta.get("dense", [])
        block = np.zeros((0, n_docs), dtype=np.float32)
        if dense_terms:  # an index written before the dense vectors were stored has none: all scattered
            block = np.load(folder / f"{name}.dense.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
            if block.shape != (len(dense_terms), n_docs) or block.dtype != np.float32:
                raise ValueError(f"{name}: dense vectors disagree with the terms or the document count")
        self = cls.__new__(cls)
        self.k1, self.b, self.n_docs, self._norm = float(meta["k1"]), float(meta["b"]), n_docs, norm
        self._set_postings(PostingLists.open(folder, name, terms), (list(dense_terms), block))
        return self

    def df(self, term: str) -> int:
        got = self._postings.bounds(term)
        return 0 if got is None else got[1] - got[0]

    def has_any(self, terms: Sequence[str]) -> bool:
        """Whether any of the terms occurs in some document (else its scores are all zero)."""
        return any(t in self._postings.term_ix for t in terms)

    def contains(self, term: str, docs: np.ndarray, ids: np.ndarray | None = None) -> np.ndarray:
        """For each doc id in `docs`, whether the term occurs in it (one vectorised lookup); `ids`: the
        term's whole posting when already read (`get_scores`' `read`), else the part needed is read."""
        docs = np.asarray(docs)
        dense = self._dense.get(term)
        if dense is not None:  # every posting weight is positive: the cached vector says it
            return dense[docs] != 0
        if ids is None:
            ids = self._postings.ids_near(term, docs) if len(docs) else None
        if ids is None or not len(ids):
            return np.zeros(len(docs), dtype=bool)
        k = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        return ids[k] == docs

    def get_scores(self, query: Sequence[str], weights: Sequence[float] | None = None,
                   read: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """Scores aligned with the corpus; `weights` scale each query term (e.g. synonyms count less).
        Frequent terms add their dense vector; the others are scattered with np.add.at (numpy's
        unbuffered scatter, several times faster than `scores[ids] += w`; the same float32 additions).
        `read`, when given, receives the doc ids of each scattered term's posting (for `contains`)."""
        scores: np.ndarray | None = None
        for i, term in enumerate(query):
            scale = np.float32(weights[i]) if weights is not None and weights[i] != 1.0 else None
            dense = self._dense.get(term)
            if dense is not None:
                if scores is None:  # 0 + x == x: starting from a copy gives the same bits
                    scores = dense.copy() if scale is None else dense * scale
                elif scale is None:
                    scores += dense
                else:
                    scores += dense * scale
                continue
            got = self._postings.whole(term)
            if got is None:
                continue
            ids, w = got
            if read is not None:
                read[term] = ids
            if scores is None:
                scores = np.zeros(self.n_docs, dtype=np.float32)
            np.add.at(scores, ids, w if scale is None else w * scale)
        return scores if scores is not None else np.zeros(self.n_docs, dtype=np.float32)

    def add_weighted(self, scores: np.ndarray, query: Sequence[str], weight: float,
                     read: dict[str, np.ndarray] | None = None) -> None:
        """`scores += weight * get_scores(query)`, bit for bit. A query with one term that occurs (the
        usual case for headings and units) is added without a corpus-sized array of its own: its
        vector scaled, or its posting's weights scaled and added at its docs (each doc once)."""
        present = [t for t in query if t in self._postings.term_ix]
        if len(present) != 1:
            if present:
                part = self.get_scores(present, read=read)  # terms without postings add nothing
                scores += np.multiply(part, weight, out=part)
            return
        term = present[0]
        dense = self._dense.get(term)
        if dense is not None:
            scores += np.multiply(dense, weight)
            return
        ids, w = self._postings.whole(term)  # type: ignore[misc]
        if read is not None:
            read[term] = ids
        scores[ids] += np.multiply(w, weight)

    def get_scores_of(self, query: Sequence[str], docs: np.ndarray, weights: Sequence[float] | None = None,
                      hits: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """`get_scores(query, weights)[docs]` for distinct doc ids, without scoring the rest of the
        corpus: only the blocks of each posting the docs fall in are read (a region's entries lie in a
        few runs of neighbours: a few hundred postings among a million), a frequent term's weights are
        gathered from its dense vector. The same float32 additions in the same order: bit-for-bit equal.
        `hits`, when given, receives for each query term found this way which docs hold it (what
        `contains` would say), so a caller need not look the docs up again."""
        docs = np.asarray(docs)
        if len(docs) * SCORE_ALL_SHARE > self.n_docs:  # a large part of the corpus: finding each doc in
            return self.get_scores(query, weights)[docs]  # the postings costs more than scoring them all
        scores = np.zeros(len(docs), dtype=np.float32)
        if not len(docs):
            return scores
        spans = spans_of(docs)  # a region's entries: a few runs of consecutive positions
        term_ix, held_by_none = self._postings.term_ix, None
        for i, term in enumerate(query):
            if term not in term_ix:  # no posting (a chatty message's story words, in headings and units)
                if hits is not None:
                    held_by_none = _held_by_none(len(docs)) if held_by_none is None else held_by_none
                    hits[term] = held_by_none
                continue
            scale = np.float32(weights[i]) if weights is not None and weights[i] != 1.0 else None
            dense = self._dense.get(term)
            if dense is not None:  # x + 0 == x: adding the vector's zeros changes no bit
                row = dense[docs]
                scores += row if scale is None else row * scale
                if hits is not None:
                    hits[term] = row != 0  # every posting weight is positive
                continue
            hit = self._add_postings(scores, term, docs, spans, scale)
            if hits is not None:
                hits[term] = hit
        return scores

    def _add_postings(self, scores: np.ndarray, term: str, docs: np.ndarray, spans: np.ndarray | None,
                      scale: np.float32 | None) -> np.ndarray:
        """Adds a sparse term's posting weights to the scores of the docs holding it (only the blocks of its
        postings the docs fall in are read; its weights only when one of the docs holds it); returns which
        docs hold it."""
        ranges = self._postings.ranges_near(term, docs, spans)
        ids = None if ranges is None else self._postings.ids_in(ranges)
        if ids is None or not len(ids):
            return np.zeros(len(docs), dtype=bool)
        k = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        hit = ids[k] == docs
        if hit.any():
            assert ranges is not None
            w = self._postings.weights_in(ranges)[k[hit]]
            if scale is not None:
                w = w * scale
            scores[hit] += w
        return hit


def _held_by_none(n: int) -> np.ndarray:
    """One read-only "no doc holds it" array, shared by every query term without postings."""
    none = np.zeros(n, dtype=bool)
    none.flags.writeable = False
    return none


def _dense_block(postings: PostingLists, n_docs: int) -> tuple[list[str], np.ndarray]:
    """The frequent terms (document frequency above n_docs / DENSE_SHARE, most frequent first, as many as
    DENSE_BUDGET_BYTES holds) and their weights as dense rows, one per term."""
    empty = np.zeros((0, n_docs), dtype=np.float32)
    if n_docs < DENSE_MIN_DOCS or not postings.terms:
        return [], empty
    df = np.diff(np.asarray(postings.indptr, dtype=np.int64))
    eligible = np.flatnonzero(df * DENSE_SHARE > n_docs)
    chosen = eligible[np.argsort(-df[eligible], kind="stable")][: DENSE_BUDGET_BYTES // (4 * n_docs)]
    terms = [postings.terms[i] for i in chosen.tolist()]
    block = np.zeros((len(terms), n_docs), dtype=np.float32)
    for row, term in enumerate(terms):
        ids, w = postings.whole(term)  # type: ignore[misc]
        block[row, ids] = w
    return terms, block


class _Idf(Mapping[str, float]):
    """term -> idf = log((N + 1) / df), one float64 per term computed at once from the postings' bounds."""

    def __init__(self, term_ix: dict[str, int], indptr: np.ndarray, n_docs: int) -> None:
        self._term_ix = term_ix
        df = np.maximum(np.diff(np.asarray(indptr, dtype=np.int64)), 1).astype(np.float64)
        self._idf = np.log(np.float64(n_docs + 1) / df) if len(df) else np.zeros(0)

    def __getitem__(self, term: str) -> float:
        return self._idf.item(self._term_ix[term])

    def get(self, term: str, default: float | None = None) -> float | None:  # type: ignore[override]
        return self[term] if term in self._term_ix else default

    def __contains__(self, term: object) -> bool:
        return term in self._term_ix

    def __iter__(self) -> Iterator[str]:
        return iter(self._term_ix)

    def __len__(self) -> int:
        return len(self._term_ix)
