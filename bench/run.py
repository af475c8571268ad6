"""`python -m bot bench`: build / load time, CLI start-up, question latency and memory, against rank-bm25.

Two corpora: the shipped knowledge/ plans, and a scaled copy (bench/scaled.py). Every index, cache and
child process works in a temporary directory that is removed at the end: the project's var/ is never
touched. bench/README.md says what each figure means and how to read it.
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.at_scale import bench_scaled
from bench.compare import versus_libraries
from bench.http import bench_http
from bench.measure import (
    child_env,
    child_rss,
    dir_mb,
    latency,
    median_time,
    open_index_dir,
    progress,
    repeat,
    run,
    text_token_lists,
)
from bench.mix import BATCH_RUNS, CLI_QUESTION, CLI_RUNS, QUESTIONS
from bench.report import table, verdicts


@dataclass
class BenchOptions:
    """What to run: corpus size, questions timed, and the HTTP load (0 workers: none)."""

    scaled_entries: int = 200_000
    n_queries: int = 300
    workers: int = 2
    eval_dir: Path | None = None
    http_seconds: float = 10.0
    connections: int = 16


def run_bench(settings: Any, options: BenchOptions | None = None, out: Callable[[str], None] = print) -> dict:
    """Run the benchmark, print a table through `out` and return every figure (seconds, ms, MB)."""
    opts = options or BenchOptions()
    if opts.n_queries < 1:
        raise ValueError(f"n_queries must be >= 1; got {opts.n_queries}")
    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE"), "load": os.getloadavg()},
        "n_queries": opts.n_queries,
    }
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        report["shipped"] = _bench_shipped(settings, Path(tmp) / "shipped", opts.n_queries)
        if opts.workers > 0:
            report["http"] = bench_http(settings, Path(tmp) / "shipped" / "index", opts.workers, opts.eval_dir,
                                        opts.http_seconds, opts.connections)
        if opts.scaled_entries > 0:
            report["scaled"] = bench_scaled(settings, Path(tmp) / "scaled", opts.scaled_entries, opts.n_queries)
    report["machine"]["load_after"] = os.getloadavg()
    report["targets"] = verdicts(report)
    for line in table(report):
        out(line)
    return report


# ---------------------------------------------------------------------------------------------- shipped
def _bench_shipped(settings: Any, tmp: Path, n_queries: int) -> dict:
    from bot.engine.coordinator import Engine
    from bot.index.search_index import build_index
    from bot.index.store import load_index
    from indexer.store import build_knowledge

    tmp.mkdir(parents=True)
    plans, data = settings.path("knowledge.plans_dir"), settings.path("knowledge.data_dir")
    index_path = tmp / "index"
    r: dict[str, Any] = {}

    progress("shipped corpus: parse + build")
    t0 = time.perf_counter()
    kb = build_knowledge(plans)
    r["parse_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    built = build_index(kb, data)
    r["build_index_s"] = time.perf_counter() - t0
    r["build_s"] = r["parse_s"] + r["build_index_s"]
    r["entries"] = len(built.entries)
    r["regions"] = len(built.regions)
    token_lists = text_token_lists(built)
    del built

    index, rebuilt = load_index(plans, data, index_path)  # writes the cache the CLI runs below use
    r["index_mb"] = dir_mb(index_path)
    r["load_s"] = median_time(lambda: open_index_dir(index_path), 5)
    r["load_index_cached_s"] = median_time(lambda: load_index(plans, data, index_path), 5)

    progress("shipped corpus: CLI start-up and batch")
    env = child_env(settings, index_path)
    run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION], env)  # cache warm, jieba cache warm
    r["cli_startup_s"] = median_time(lambda: run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION],
                                                   env), CLI_RUNS)
    r["import_cli_s"] = median_time(lambda: run([sys.executable, "-c", "import bot.cli"], env), CLI_RUNS)
    batch = repeat(QUESTIONS, n_queries)
    ask_stdin = [sys.executable, "-m", "bot", "ask", "--json", "-"]
    one_s, all_s, output = [], [], ""
    for _ in range(BATCH_RUNS):  # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        run(ask_stdin, env, stdin=CLI_QUESTION + "\n")
        one_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        output = run(ask_stdin, env, stdin="\n".join(batch) + "\n")
        all_s.append(time.perf_counter() - t0)
    r["batch_one_s"], r["batch_s"] = statistics.median(one_s), statistics.median(all_s)
    got = [json.loads(line) for line in output.splitlines() if line.strip()]
    if len(got) != len(batch):
        raise RuntimeError(f"ask --json - answered {len(got)} of {len(batch)} questions")
    r["batch_answered"] = sum(1 for a in got if a.get("answered"))
    r["batch_total_ms_per_question"] = 1000 * r["batch_s"] / len(batch)
    # Inside the batch: what each further question adds to a batch of one (start-up and first answer).
    r["batch_ms_per_question"] = 1000 * max(r["batch_s"] - r["batch_one_s"], 0.0) / max(len(batch) - 1, 1)

    progress("shipped corpus: question latency")
    engine = Engine.load(settings.replace(knowledge__index_path=str(index_path)))
    r.update(latency(engine, n_queries))
    r["rss"] = child_rss("settings", index_path, settings)
    r["rss_mb"] = r["rss"]["rss_mb"]
    r["rss_now"] = r["rss"].get("now", {})
    r["libraries"] = versus_libraries(engine, token_lists, list(QUESTIONS), r["p50_ms"], len(QUESTIONS))
    return r
