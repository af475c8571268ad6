"""rank-bm25 and bm25s beside our SparseBM25: the same documents, queries, ranking and number of runs.

Why both: rank-bm25 is the plain reference (a Python loop per document); bm25s is the fastest
general-purpose BM25 library on PyPI (sparse matrices, precomputed scores), the fair competitor.
The ranking is the same everywhere: BM25Plus (idf = log((N + 1) / df)) with k1 = 1.5, b = 0.75 and
delta = 1 (rank_bm25.BM25Plus, bm25s.BM25(method="bm25+", idf_method="bm25+")); our SparseBM25 leaves
out the per-query constant delta adds, so its ranking is the same, which `same_top10` checks.
The documents are the text field's token lists read back from the built index's postings (term
frequencies recovered exactly from the stored weights), as integer token ids: every library gets the
same lists and the same id queries, so no library pays for string lookups the others skip.
Every library answers every query once per repeat, REPEATS repeats, libraries in rotated order; the
figure is the median over repeats of the mean time per query, with the min and max.
bm25s is a bench-only optional dependency (`make bench`); without it its lines are empty.
Neighbours: bench/run.py and bench/at_scale.py call `versus_libraries`.
"""
from __future__ import annotations

import gc
import logging
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from bench.mix import REPEATS

COMPARE_MAX_DOCS = 200_000  # rank-bm25 (minutes and gigabytes beyond) runs on at most this many documents
RANK_BM25_QUERIES = 30  # rank-bm25 takes about 0.4 s per query at 200 000 documents
K1, B, DELTA = 1.5, 0.75, 1.0

Scorer = Callable[[list[int]], object]


def token_ids_of(field: Any) -> tuple[list[np.ndarray], list[str]]:
    """Each document's tokens (term ids, each repeated tf times) and the terms, read back from a SparseBM25.
    tf = w * norm / (idf * (k1 + 1) - w) inverts the stored weight w = idf * tf * (k1 + 1) / (tf + norm)."""
    p = field._postings
    n_post = int(p.indptr[-1])
    ids = np.asarray(p._take(p._ids, 0, n_post), dtype=np.int64)
    w = np.asarray(p._take(p._weights, 0, n_post), dtype=np.float64)
    df: np.ndarray = np.diff(np.asarray(p.indptr, dtype=np.int64)).astype(np.int64)
    term = np.repeat(np.arange(len(df), dtype=np.int64), df)
    idf = np.log((field.n_docs + 1) / np.maximum(df, 1)).astype(np.float32).astype(np.float64)
    tf = np.maximum(np.rint(w * field._norm[ids] / (idf[term] * (field.k1 + 1) - w)), 1).astype(np.int32)
    del w
    order = np.argsort(ids, kind="stable")
    ends = np.cumsum(np.bincount(ids, weights=tf, minlength=field.n_docs).astype(np.int64))
    del ids
    tokens = np.repeat(term[order].astype(np.int32), tf[order])
    return np.split(tokens, ends[:-1]), list(p.terms)


def versus_libraries(served: Any, docs: list[np.ndarray], terms: list[str], queries: list[list[str]],
                     rank_docs: int = COMPARE_MAX_DOCS) -> dict:
    """Two comparisons: (1) ours built in memory, rank-bm25 and bm25s on the first `rank_docs` documents
    with RANK_BM25_QUERIES queries; (2) ours as served (`served`: the opened index's text field) and
    bm25s on every document with every query. Ratios are library time / ours."""
    vocab = {t: i for i, t in enumerate(terms)}
    id_queries = [[vocab[t] for t in q if t in vocab] for q in queries]
    keep = [i for i, q in enumerate(id_queries) if q]
    id_queries, str_queries = [id_queries[i] for i in keep], [queries[i] for i in keep]
    r: dict[str, Any] = {"docs": len(docs), "queries": len(id_queries), "repeats": REPEATS,
                         "params": {"k1": K1, "b": B, "delta": DELTA}}
    lists = [d.tolist() for d in docs[:rank_docs]]
    few = id_queries[:RANK_BM25_QUERIES]
    r["small"] = _round(lists, few, vocab, with_rank_bm25=True)
    del lists
    gc.collect()
    if len(docs) > rank_docs or len(id_queries) > len(few):
        r["whole"] = _whole(served, docs, vocab, id_queries, str_queries)
    else:
        r["whole"] = r["small"]
    return r


def _round(lists: list[list[int]], queries: list[list[int]], vocab: dict[str, int], with_rank_bm25: bool) -> dict:
    from bot.index.bm25 import SparseBM25

    scorers: dict[str, Scorer] = {}
    build: dict[str, float] = {}
    t0 = time.perf_counter()
    ours = SparseBM25(lists, k1=K1, b=B)  # type: ignore[arg-type]  # token ids are tokens too
    build["ours"] = time.perf_counter() - t0
    scorers["ours"] = ours.get_scores  # type: ignore[assignment]
    if with_rank_bm25:
        from rank_bm25 import BM25Plus

        t0 = time.perf_counter()
        rank = BM25Plus(lists, k1=K1, b=B, delta=DELTA)
        build["rank_bm25"] = time.perf_counter() - t0
        scorers["rank_bm25"] = rank.get_scores
    got = _bm25s(lists, vocab)
    if got is not None:
        build["bm25s"], scorers["bm25s"] = got
    out = _time_all(scorers, queries)
    out.update(docs=len(lists), queries=len(queries), build_s=build)
    return out


def _whole(served: Any, docs: list[np.ndarray], vocab: dict[str, int], id_queries: list[list[int]],
           str_queries: list[list[str]]) -> dict:
    lists = [d.tolist() for d in docs]
    got = _bm25s(lists, vocab)
    del lists
    gc.collect()
    served_queries = {id(q): s for q, s in zip(id_queries, str_queries, strict=True)}
    scorers: dict[str, Scorer] = {"ours": lambda q: served.get_scores(served_queries[id(q)])}
    build: dict[str, float] = {}
    if got is not None:
        build["bm25s"], scorers["bm25s"] = got
    out = _time_all(scorers, id_queries)
    out.update(docs=len(docs), queries=len(id_queries), build_s=build,
               note="ours = the opened index's text field as a worker serves it (pread postings, dense cache)")
    return out


def _bm25s(lists: list[list[int]], vocab: dict[str, int]) -> tuple[float, Scorer] | None:
    try:
        import bm25s  # type: ignore[import-untyped]
    except ImportError:
        return None
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    retriever = bm25s.BM25(k1=K1, b=B, delta=DELTA, method="bm25+", idf_method="bm25+")
    retriever.index((lists, dict(vocab)), show_progress=False)
    return time.perf_counter() - t0, retriever.get_scores


def _time_all(scorers: dict[str, Scorer], queries: Sequence[list[int]]) -> dict:
    """Each scorer over every query once per repeat (order rotated); per-query ms: median, min, max."""
    names = list(scorers)
    per: dict[str, list[float]] = {n: [] for n in names}
    load0 = os.getloadavg()
    for rep in range(REPEATS):
        for name in names[rep % len(names):] + names[:rep % len(names)]:
            fn = scorers[name]
            t0 = time.perf_counter()
            for q in queries:
                fn(q)
            per[name].append((time.perf_counter() - t0) * 1000 / max(len(queries), 1))
    out: dict[str, Any] = {"load": [load0[0], os.getloadavg()[0]], "ms": {}}
    for n, v in per.items():
        out["ms"][n] = {"median": statistics.median(v), "min": min(v), "max": max(v), "runs": v}
    base = out["ms"]["ours"]["median"]
    out["vs_ours"] = {n: out["ms"][n]["median"] / base for n in names if n != "ours" and base}
    out["same_top10"] = _same_top10(scorers, queries[:50])
    return out


def _same_top10(scorers: dict[str, Scorer], queries: Sequence[list[int]]) -> dict[str, str]:
    """On how many queries each library's top 10 is ours (documents tied with the 10th may differ)."""
    ours = [_top10(scorers["ours"](q)) for q in queries]
    out: dict[str, str] = {}
    for name, fn in scorers.items():
        if name != "ours":
            same = 0
            for q, (a_sure, a_tied) in zip(queries, ours, strict=True):
                b_sure, b_tied = _top10(fn(q))
                same += a_sure <= b_tied and b_sure <= a_tied
            out[name] = f"{same}/{len(queries)}"
    return out


def _top10(scores: Any) -> tuple[frozenset[int], frozenset[int]]:
    """(documents surely in the top 10: above the 10th score, documents at or above the 10th score)."""
    s = np.asarray(scores, dtype=np.float64)
    if not len(s):
        return frozenset(), frozenset()
    k = min(10, len(s))
    kth = -np.partition(-s, k - 1)[k - 1]
    tol = 1e-4 * max(abs(kth), 1e-6)
    return frozenset(np.flatnonzero(s > kth + tol).tolist()), frozenset(np.flatnonzero(s >= kth - tol).tolist())
