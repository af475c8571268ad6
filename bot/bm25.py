"""Sparse BM25 scoring over posting lists: the same ranking as rank-bm25's BM25Plus, thousands of times faster.

Why BM25Plus: rank-bm25's BM25Okapi floors negative IDF with epsilon, so on our small corpora a term in
half the entries scores 0 or, filtered by region, even ranks documents that lack it above those that
have it. BM25Plus uses idf = log((N + 1) / df), always positive. Its extra `delta * idf` is added to
every document for every query term, a per-query constant that never changes the ranking, so we leave
it out and score only documents that contain a term (tests/bot/test_bm25.py checks the ranking
against rank_bm25.BM25Plus on the shipped corpus).

Layout: one CSR matrix (term -> doc ids ascending, precomputed per-posting weights). `_ids[term]` and
`_weights[term]` are views into it, made on lookup; `save` writes the flat arrays as .npy files and the
term list as JSON, `open` maps them back read-only (no pickle), so loading costs a term dict however
many postings there are, and every process mapping the same files shares their pages.
Neighbours: bot/text.py makes the tokens; bot/index.py builds one of these per field; bot/index_files.py
saves and opens them.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

# A term in more than 1/DENSE_SHARE of the documents of an index of at least DENSE_MIN_DOCS is added as a
# dense vector (built on its first query, never pickled): one contiguous add instead of a scatter over
# 25 000+ postings. At most DENSE_SHARE * postings / documents terms qualify, so the vectors take at
# most 4 * DENSE_SHARE bytes per posting; scores are bit-for-bit the same (other documents add 0).
DENSE_SHARE = 8
DENSE_MIN_DOCS = 20_000


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
        self._set_postings(list(vocab), indptr, ids, weights.astype(np.float32))

    def _set_postings(self, terms: list[str], indptr: np.ndarray, ids: np.ndarray, weights: np.ndarray) -> None:
        self._terms, self._indptr, self._flat_ids, self._flat_weights = terms, indptr, ids, weights
        self._dense: dict[str, np.ndarray] = {}
        term_ix = {t: i for i, t in enumerate(terms)}
        self._ids: Mapping[str, np.ndarray] = _Postings(term_ix, indptr, ids)
        self._weights: Mapping[str, np.ndarray] = _Postings(term_ix, indptr, weights)
        self.idf: Mapping[str, float] = _Idf(term_ix, indptr, self.n_docs)

    def save(self, folder: Path, name: str) -> None:
        """Write this index as `name.*.npy` arrays and `name.json` (parameters and terms) into `folder`."""
        for part, arr in (("norm", self._norm), ("indptr", self._indptr), ("ids", self._flat_ids),
                          ("weights", self._flat_weights)):
            np.save(folder / f"{name}.{part}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        meta = {"k1": self.k1, "b": self.b, "n_docs": self.n_docs, "terms": self._terms}
        (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path, name: str) -> SparseBM25:
        """The index `save` wrote, its arrays memory-mapped read-only; ValueError when they disagree."""
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        arrays = {part: np.load(folder / f"{name}.{part}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                  for part in ("norm", "indptr", "ids", "weights")}
        terms, n_docs = meta["terms"], int(meta["n_docs"])
        if (not isinstance(terms, list) or len(arrays["indptr"]) != len(terms) + 1 or len(arrays["norm"]) != n_docs
                or len(arrays["ids"]) != len(arrays["weights"])
                or (len(terms) and int(arrays["indptr"][-1]) != len(arrays["ids"]))):
            raise ValueError(f"{name}: BM25 arrays disagree with each other")
        self = cls.__new__(cls)
        self.k1, self.b, self.n_docs, self._norm = float(meta["k1"]), float(meta["b"]), n_docs, arrays["norm"]
        self._set_postings(terms, arrays["indptr"], arrays["ids"], arrays["weights"])
        return self

    def df(self, term: str) -> int:
        ids = self._ids.get(term)
        return 0 if ids is None else len(ids)

    def contains(self, term: str, docs: np.ndarray) -> np.ndarray:
        """For each doc id in `docs`, whether the term occurs in it (one vectorised lookup)."""
        ids = self._ids.get(term)
        docs = np.asarray(docs)
        if ids is None or not len(ids) or not len(docs):
            return np.zeros(len(docs), dtype=bool)
        k = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        return ids[k] == docs

    def get_scores(self, query: Sequence[str], weights: Sequence[float] | None = None) -> np.ndarray:
        """Scores aligned with the corpus; `weights` scale each query term (e.g. synonyms count less)."""
        scores = np.zeros(self.n_docs, dtype=np.float32)
        for i, term in enumerate(query):
            ids = self._ids.get(term)
            if ids is None:
                continue
            scale = np.float32(weights[i]) if weights is not None and weights[i] != 1.0 else None
            if self.n_docs >= DENSE_MIN_DOCS and len(ids) * DENSE_SHARE > self.n_docs:
                dense = self._dense_weights(term, ids)
                scores += dense if scale is None else dense * scale
                continue
            w = self._weights[term]
            scores[ids] += w if scale is None else w * scale
        return scores

    def get_scores_of(self, query: Sequence[str], docs: np.ndarray,
                      weights: Sequence[float] | None = None) -> np.ndarray:
        """`get_scores(query, weights)[docs]` for distinct doc ids, without scoring the rest of the
        corpus: each term's postings are searched for the docs (a region's few hundred entries among
        a million cost microseconds). The same float32 additions in the same order: bit-for-bit equal."""
        docs = np.asarray(docs)
        scores = np.zeros(len(docs), dtype=np.float32)
        for i, term in enumerate(query):
            ids = self._ids.get(term)
            if ids is None or not len(ids) or not len(docs):
                continue
            k = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
            hit = ids[k] == docs
            w = self._weights[term][k[hit]]
            if weights is not None and weights[i] != 1.0:
                w = w * np.float32(weights[i])
            scores[hit] += w
        return scores

    def _dense_weights(self, term: str, ids: np.ndarray) -> np.ndarray:
        dense = self._dense.get(term)
        if dense is None:
            dense = np.zeros(self.n_docs, dtype=np.float32)
            dense[ids] = self._weights[term]
            self._dense[term] = dense  # a racing thread builds an identical vector: harmless
        return dense


class _Postings(Mapping[str, np.ndarray]):
    """term -> its slice of a flat postings array (doc ids or weights), made on lookup."""

    def __init__(self, term_ix: dict[str, int], indptr: np.ndarray, flat: np.ndarray) -> None:
        self._term_ix, self._indptr, self._flat = term_ix, indptr, flat

    def __getitem__(self, term: str) -> np.ndarray:
        i = self._term_ix[term]
        return self._flat[int(self._indptr[i]):int(self._indptr[i + 1])]

    def get(self, term: str, default: np.ndarray | None = None) -> np.ndarray | None:  # type: ignore[override]
        i = self._term_ix.get(term)
        return default if i is None else self._flat[int(self._indptr[i]):int(self._indptr[i + 1])]

    def __contains__(self, term: object) -> bool:
        return term in self._term_ix

    def __iter__(self) -> Iterator[str]:
        return iter(self._term_ix)

    def __len__(self) -> int:
        return len(self._term_ix)


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
