"""The benchmark at scale: generate the corpus, build (tokenising in parallel), write, open, answer.

Every figure is for the real code paths: `build_index` (which tokenises every distinct text across all
cores), `write_index` + `publish_index`, and opening the published version as `Engine.load` does; the
load time, RSS and PSS are those of a fresh child process, as a server worker starting on a host whose
page cache already holds the index. The build runs in a child process of its own, so its peak RSS
is measured (getrusage(RUSAGE_CHILDREN).ru_maxrss in this process, and the child's own VmHWM) and the
benchmark process stays small.
Neighbours: bench/scaled.py makes the corpus; bench/measure.py and bench/compare.py measure.
"""
from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench.compare import token_ids_of, versus_libraries
from bench.measure import (
    child_env,
    child_rss,
    dir_mb,
    engine_over,
    latency,
    open_index_dir,
    peak_rss_kb,
    progress,
    run,
)
from bench.mix import MIX_SIZE, REPEATS, SEED, generate_mix, split_repeats


def bench_scaled(settings: Any, tmp: Path, n_entries: int) -> dict:
    tmp.mkdir(parents=True)
    index_path = tmp / "index"
    progress(f"scaled corpus: generate {n_entries:,} entries, build_index, write (child process)")
    code = "import sys; from bench.at_scale import build_main; build_main(sys.argv[1:])"
    load0 = os.getloadavg()
    out = run([sys.executable, "-c", code, str(n_entries), str(index_path)], child_env(settings, index_path))
    r: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    r["build_load"] = [load0[0], os.getloadavg()[0]]
    r["build_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    r["index_mb"] = dir_mb(index_path)

    progress("scaled corpus: index load")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        opened = open_index_dir(index_path)
        times.append(time.perf_counter() - t0)
        del opened
    r["load_in_process_s"] = min(times)
    engine = engine_over(open_index_dir(index_path), settings)
    progress("scaled corpus: generating the question mix")
    mix = generate_mix(engine.index.entries, MIX_SIZE * (REPEATS + 1), SEED)
    runs = split_repeats(mix, REPEATS + 1)
    r["mix"] = {"distinct": len({it.question for it in mix}), "per_run": [len(x) for x in runs[1:]],
                "warm_up": len(runs[0])}
    r["rss"] = child_rss("index", index_path, settings, [it.question for it in runs[1]])
    r["load_s"] = r["rss"]["load_s"]  # a fresh process: what a starting worker pays
    r["rss_mb"] = r["rss"]["rss_mb"]
    r["rss_now"] = r["rss"].get("now", {})

    progress(f"scaled corpus: question latency ({REPEATS} runs of {len(runs[1]):,} distinct questions)")
    r.update(latency(engine, runs[1:], warm=runs[0]))
    progress("scaled corpus: BM25 libraries (same token lists, queries, ranking and runs)")
    queries = sorted({tuple(engine.understand(it.question).terms) for it in mix} - {()})
    docs, terms = token_ids_of(engine.index.text)
    r["libraries"] = versus_libraries(engine.index.text, docs, terms, [list(q) for q in queries])
    whole = r["libraries"]["whole"]
    if "bm25s" in whole["ms"]:
        r["bm25s_vs_ours_inv"] = whole["ms"]["ours"]["median"] / whole["ms"]["bm25s"]["median"]
    return r


def build_main(argv: list[str]) -> None:
    """In the build child: generate the corpus, build, write and publish; print the figures as JSON."""
    from bench.scaled import scaled_knowledge
    from bot.index.files import publish_index, write_index
    from bot.index.search_index import build_index
    from indexer.settings import load_settings
    from indexer.store import build_knowledge

    n_entries, index_path = int(argv[0]), Path(argv[1])
    settings = load_settings()
    kb = build_knowledge(settings.path("knowledge.plans_dir"))
    r: dict[str, Any] = {}
    t0 = time.perf_counter()
    big = scaled_knowledge(kb, n_entries)
    r["generate_s"] = time.perf_counter() - t0
    r["distinct_texts"] = len({e.text for d in big.documents for e in d.entries})
    t0, cpu0 = time.perf_counter(), _cpu_seconds()
    index = build_index(big, settings.path("knowledge.data_dir"), "bench")
    r["build_s"] = time.perf_counter() - t0
    # CPU seconds of this process and its tokenising workers: on a machine shared with other work the
    # wall time says more about the neighbours; CPU / cores is the wall time on an idle machine.
    r["build_cpu_s"] = _cpu_seconds() - cpu0
    r["entries"], r["regions"], r["terms"] = len(index.entries), len(index.regions), len(index.text.idf)
    del big
    t0 = time.perf_counter()
    publish_index(index_path, write_index(index_path, index))
    r["save_s"] = time.perf_counter() - t0
    r["build_child_own_peak_rss_mb"] = peak_rss_kb() / 1024
    r["build_workers_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(r))


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
