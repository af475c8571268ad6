"""rank-bm25 and bm25s beside our SparseBM25, on the same token lists and query terms, as ratios.

Why both: rank-bm25 is the plain reference (a Python loop per document); bm25s is the fastest
general-purpose BM25 library on PyPI (sparse matrices, precomputed scores), the fair competitor.
bm25s is a bench-only optional dependency (`pip install -e '.[bench]'`, done by `make bench`); without
it its lines are left empty. At scale the comparison runs on the first COMPARE_MAX_DOCS entries:
rank-bm25 needs minutes and gigabytes beyond that.
Neighbours: bench/run.py and bench/at_scale.py call `versus_libraries`.
"""
from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from typing import Any

COMPARE_MAX_DOCS = 200_000


def versus_libraries(engine: Any, token_lists: list[list[str]], questions: list[str], p50_ms: float,
                     max_queries: int) -> dict:
    """Build time and get_scores time of each library on these token lists; ratios to SparseBM25."""
    from bot.index.bm25 import SparseBM25

    queries = [list(t) for t in (engine.understand(q).terms for q in questions) if t][:max_queries]
    r: dict[str, Any] = {"docs": len(token_lists), "queries": len(queries)}
    t0 = time.perf_counter()
    ours = SparseBM25(token_lists)
    r["ours_build_s"] = time.perf_counter() - t0
    r["ours_get_scores_ms"] = _mean_ms(ours.get_scores, queries, 5)
    del ours
    r.update(_rank_bm25(token_lists, queries))
    r.update(_bm25s(token_lists, queries))
    for lib in ("rank_bm25", "bm25s"):
        ms = r.get(f"{lib}_get_scores_ms")
        if ms is not None:
            r[f"{lib}_vs_ours"] = ms / r["ours_get_scores_ms"] if r["ours_get_scores_ms"] else math.inf
            r[f"{lib}_vs_question_p50"] = ms / p50_ms if p50_ms else math.inf
            r[f"{lib}_build_vs_ours"] = r[f"{lib}_build_s"] / r["ours_build_s"] if r["ours_build_s"] else math.inf
    return r


def _rank_bm25(token_lists: list[list[str]], queries: list[list[str]]) -> dict:
    from rank_bm25 import BM25Okapi

    t0 = time.perf_counter()
    okapi = BM25Okapi(token_lists)
    build_s = time.perf_counter() - t0
    ms = _mean_ms(okapi.get_scores, queries, 1)
    del okapi
    gc.collect()
    return {"rank_bm25_build_s": build_s, "rank_bm25_get_scores_ms": ms}


def _bm25s(token_lists: list[list[str]], queries: list[list[str]]) -> dict:
    try:
        import bm25s
    except ImportError:
        return {"bm25s_missing": True}
    t0 = time.perf_counter()
    retriever = bm25s.BM25(method="bm25+")  # the BM25Plus ranking SparseBM25 reproduces
    retriever.index(token_lists, show_progress=False)
    build_s = time.perf_counter() - t0
    ms = _mean_ms(retriever.get_scores, queries, 5)
    del retriever
    gc.collect()
    return {"bm25s_build_s": build_s, "bm25s_get_scores_ms": ms}


def _mean_ms(get_scores: Callable[[list[str]], object], queries: list[list[str]], repeat: int) -> float:
    """Mean over the queries of the best of `repeat` timings of get_scores(query), in ms."""
    if not queries:
        return math.nan
    best = []
    for q in queries:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            get_scores(q)
            times.append(time.perf_counter() - t0)
        best.append(min(times))
    return statistics.fmean(best) * 1000
