"""`python -m bench`: build / load time, CLI start-up, question latency and memory, BM25 libraries, HTTP.

Two corpora: the shipped knowledge/ plans, and a scaled copy (bench/scaled.py). Questions are the
generated distinct mix (bench/mix.py), never repeated; every timing is repeated (bench/mix.py REPEATS)
and reported as a median with its spread, with the load average at the start and end of each part.
Every index, cache and child process works in a temporary directory that is removed at the end: the
project's var/ is never touched. bench/README.md says what each figure means and how to read it.
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
from bench.compare import token_ids_of, versus_libraries
from bench.http import bench_http
from bench.measure import (
    child_env,
    child_rss,
    dir_mb,
    engine_over,
    latency,
    median_time,
    open_index_dir,
    progress,
    run,
)
from bench.mix import BATCH_RUNS, CLI_QUESTION, CLI_RUNS, MIX_SIZE, REPEATS, SEED, generate_mix, split_repeats
from bench.report import table, verdicts

HTTP_QUESTIONS = 15_000  # distinct questions for the HTTP load: more than a 10 s run sends
BATCH_QUESTIONS = 500  # distinct questions in the `ask --json -` batch


@dataclass
class BenchOptions:
    """What to run: corpus size, and the HTTP load (0 workers: none)."""

    scaled_entries: int = 200_000
    workers: int = 2
    http_seconds: float = 10.0
    connections: int = 16
    think_ms: int = 0  # mean pause of an HTTP connection between questions (0: closed loop)


def run_bench(settings: Any, options: BenchOptions | None = None, out: Callable[[str], None] = print) -> dict:
    """Run the benchmark, print a table through `out` and return every figure (seconds, ms, MB)."""
    opts = options or BenchOptions()
    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE"), "load": os.getloadavg(),
                    "nice": os.nice(0)},
        "repeats": REPEATS,
    }
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        report["shipped"] = _bench_shipped(settings, Path(tmp) / "shipped")
        if opts.scaled_entries > 0:
            report["scaled"] = bench_scaled(settings, Path(tmp) / "scaled", opts.scaled_entries)
        if opts.workers > 0:
            report["http"] = bench_http(settings, Path(tmp) / "shipped" / "index", opts.workers,
                                        report["shipped"].pop("_http_questions"), opts.http_seconds, opts.connections,
                                        opts.think_ms)
        report["shipped"].pop("_http_questions", None)
    report["machine"]["load_after"] = os.getloadavg()
    report["targets"] = verdicts(report)
    for line in table(report):
        out(line)
    return report


# ---------------------------------------------------------------------------------------------- shipped
def _bench_shipped(settings: Any, tmp: Path) -> dict:
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
    r["entries"], r["regions"] = len(built.entries), len(built.regions)
    mix = generate_mix(built.entries, MIX_SIZE * (REPEATS + 1) + BATCH_QUESTIONS + HTTP_QUESTIONS, SEED)
    entries_json = tmp / "entries.json"
    entries_json.write_text(json.dumps([{"id": e.id, "text": e.text} for e in built.entries], ensure_ascii=False),
                            encoding="utf-8")
    del built
    http_part, mix = mix[-HTTP_QUESTIONS:], mix[:-HTTP_QUESTIONS]
    batch, mix = [it.question for it in mix[-BATCH_QUESTIONS:]], mix[:-BATCH_QUESTIONS]
    runs = split_repeats(mix, REPEATS + 1)
    r["mix"] = {"distinct": len(mix), "per_run": [len(x) for x in runs[1:]], "warm_up": len(runs[0]),
                "http": len(http_part), "batch": len(batch)}
    r["_http_questions"] = [it.question for it in http_part]

    load_index(plans, data, index_path)  # writes the cache the CLI runs below use
    r["index_mb"] = dir_mb(index_path)
    r["load_s"] = median_time(lambda: open_index_dir(index_path), 5)

    progress("shipped corpus: CLI start-up and batch")
    env = child_env(settings, index_path)
    run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION], env)  # cache warm, jieba cache warm
    r["cli_startup_s"] = median_time(lambda: run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION],
                                                   env), CLI_RUNS)
    ask_stdin = [sys.executable, "-m", "bot", "ask", "--json", "-"]
    r["batch"] = _per_question(ask_stdin, env, batch, BATCH_RUNS)
    r["batch_ms_per_question"] = r["batch"]["ms"]
    progress("shipped corpus: CLI against the naive baseline on real-traffic wording")
    r["versus_naive"] = _versus_naive(ask_stdin, env, entries_json)
    r["cli_vs_naive"] = r["versus_naive"]["ratio"]

    progress("shipped corpus: question latency")
    engine = engine_over(open_index_dir(index_path), settings)
    r.update(latency(engine, runs[1:], warm=runs[0]))
    r["rss"] = child_rss("settings", index_path, settings, [it.question for it in runs[1]])
    r["rss_mb"] = r["rss"]["rss_mb"]
    r["rss_now"] = r["rss"].get("now", {})
    queries = sorted({tuple(engine.understand(it.question).terms) for it in mix} - {()})
    docs, terms = token_ids_of(engine.index.text)
    r["libraries"] = versus_libraries(engine.index.text, docs, terms, [list(q) for q in queries])
    return r


def _per_question(cmd: list[str], env: dict[str, str], questions: list[str], runs: int) -> dict:
    """What each further question costs inside one process: (batch of all - batch of one) / (n - 1),
    median over `runs` interleaved runs (both see the same machine load), with the spread."""
    per: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _children_cpu()
        run(cmd, env, stdin=questions[0] + "\n")
        one, one_cpu = time.perf_counter() - t0, _children_cpu() - c0
        t0, c0 = time.perf_counter(), _children_cpu()
        output = run(cmd, env, stdin="\n".join(questions) + "\n")
        every, every_cpu = time.perf_counter() - t0, _children_cpu() - c0
        got = [line for line in output.splitlines() if line.strip()]
        if len(got) != len(questions):
            raise RuntimeError(f"{' '.join(cmd[:4])} answered {len(got)} of {len(questions)} questions")
        per.append(1000 * max(every - one, 0.0) / max(len(questions) - 1, 1))
        cpu.append(1000 * max(every_cpu - one_cpu, 0.0) / max(len(questions) - 1, 1))
    return {"ms": statistics.median(per), "min_ms": min(per), "max_ms": max(per), "runs": per, "n": len(questions),
            "cpu_ms": statistics.median(cpu), "cpu_runs": cpu}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes: what a run cost, whatever the load."""
    import resource

    got = resource.getrusage(resource.RUSAGE_CHILDREN)
    return got.ru_utime + got.ru_stime


def _versus_naive(ask_stdin: list[str], env: dict[str, str], entries_json: Path) -> dict:
    """Per-question cost of `bot ask --json -` and of bench/naive.py on the real-traffic questions, in turn."""
    from indexer.settings import PROJECT_ROOT

    questions: list[str] = []
    for path in sorted((Path(PROJECT_ROOT) / "bench" / "real_traffic").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            for q in [item.get("question")] + [t.get("question") for t in item.get("turns", [])]:
                if isinstance(q, str) and q.strip() and q not in questions:
                    questions.append(" ".join(q.split()))
    load0 = os.getloadavg()
    naive_cmd = [sys.executable, "-m", "bench.naive", str(entries_json)]
    ours, naive = [], []
    for _ in range(REPEATS):  # interleaved: both see the same machine load
        ours.append(_per_question(ask_stdin, env, questions, 1))
        naive.append(_per_question(naive_cmd, env, questions, 1))
    ratios = [a["ms"] / b["ms"] for a, b in zip(ours, naive, strict=True) if b["ms"]]
    cpu_ratios = [a["cpu_ms"] / b["cpu_ms"] for a, b in zip(ours, naive, strict=True) if b["cpu_ms"]]
    return {"questions": len(questions), "ours_ms": statistics.median(a["ms"] for a in ours),
            "naive_ms": statistics.median(b["ms"] for b in naive), "ratio": statistics.median(ratios),
            "ratio_min": min(ratios), "ratio_max": max(ratios),
            "ours_cpu_ms": statistics.median(a["cpu_ms"] for a in ours),
            "naive_cpu_ms": statistics.median(b["cpu_ms"] for b in naive),
            "cpu_ratio": statistics.median(cpu_ratios), "cpu_ratio_min": min(cpu_ratios),
            "cpu_ratio_max": max(cpu_ratios), "runs": {"ours": ours, "naive": naive},
            "load": [load0[0], os.getloadavg()[0]]}
