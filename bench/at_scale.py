"""The benchmark at scale: generate the corpus, build (tokenising in parallel), write, open, answer.

Every figure is for the real code paths: `build_index` (which tokenises every distinct text across all
cores), `write_index` + `publish_index`, and opening the published version as `Engine.load` does; the
load time, RSS and PSS are those of a fresh child process, as a server worker starting on a host whose
page cache already holds the index.
Neighbours: bench/scaled.py makes the corpus; bench/measure.py and bench/compare.py measure.
"""
from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

from bench.compare import COMPARE_MAX_DOCS, versus_libraries
from bench.measure import child_rss, dir_mb, engine_over, latency, open_index_dir, progress, text_token_lists
from bench.mix import MIX, RANK_BM25_SCALED_QUERIES
from bench.scaled import scaled_knowledge, scaled_questions


def bench_scaled(settings: Any, tmp: Path, n_entries: int, n_queries: int) -> dict:
    from bot.index.files import publish_index, write_index
    from bot.index.search_index import build_index
    from indexer.store import build_knowledge

    tmp.mkdir(parents=True)
    data = settings.path("knowledge.data_dir")
    kb = build_knowledge(settings.path("knowledge.plans_dir"))
    r: dict[str, Any] = {}
    progress(f"scaled corpus: generating {n_entries:,} entries")
    t0 = time.perf_counter()
    big = scaled_knowledge(kb, n_entries)
    r["generate_s"] = time.perf_counter() - t0
    mix = list(MIX) + scaled_questions(big)
    r["distinct_texts"] = len({e.text for d in big.documents for e in d.entries})
    progress("scaled corpus: build_index (tokenising on every core)")
    gc.collect()
    t0, cpu0 = time.perf_counter(), _cpu_seconds()
    index = build_index(big, data, "bench")
    r["build_s"] = time.perf_counter() - t0
    # CPU seconds of this process and its tokenising workers: on a machine shared with other work the
    # wall time says more about the neighbours; CPU / cores is the wall time on an idle machine.
    r["build_cpu_s"] = _cpu_seconds() - cpu0
    r["entries"], r["regions"], r["terms"] = len(index.entries), len(index.regions), len(index.text.idf)
    del big
    index_path = tmp / "index"
    progress("scaled corpus: write + publish")
    t0 = time.perf_counter()
    publish_index(index_path, write_index(index_path, index))
    r["save_s"] = time.perf_counter() - t0
    r["index_mb"] = dir_mb(index_path)
    del index
    gc.collect()

    progress("scaled corpus: index load")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        opened = open_index_dir(index_path)
        times.append(time.perf_counter() - t0)
        del opened
    r["load_in_process_s"] = min(times)
    r["rss"] = child_rss("index", index_path, settings)
    r["load_s"] = r["rss"]["load_s"]  # a fresh process: what a starting worker pays
    r["rss_mb"] = r["rss"]["rss_mb"]
    r["rss_now"] = r["rss"].get("now", {})

    progress("scaled corpus: question latency")
    engine = engine_over(open_index_dir(index_path), settings)
    t0 = time.perf_counter()
    engine = engine_over(engine.index, settings)
    r["engine_init_s"] = time.perf_counter() - t0
    r.update(latency(engine, n_queries, mix))
    progress(f"scaled corpus: rank-bm25 and bm25s on {min(r['entries'], COMPARE_MAX_DOCS):,} entries")
    tokens = text_token_lists(engine.index, limit=COMPARE_MAX_DOCS)
    r["libraries"] = versus_libraries(engine, tokens, [q for _, q in mix], r["p50_ms"], RANK_BM25_SCALED_QUERIES)
    return r


def _cpu_seconds() -> float:
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
