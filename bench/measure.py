"""Measuring tools: latency of the question mix, peak RSS of a fresh child, timers, child processes.

Neighbours: bench/run.py calls these; bench/mix.py holds the questions.
"""
from __future__ import annotations

import gc
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.mix import SUBPROCESS_TIMEOUT, Item


def engine_over(index: Any, settings: Any) -> Any:
    """An Engine over an index already in memory, with the settings Engine.load would pass."""
    from bot.engine.coordinator import Engine
    from bot.engine.tuning import Tuning

    return Engine(index, top_k=settings.integer("search.top_k"), list_limit=settings.integer("search.list_limit"),
                  default_region=settings.text("search.default_region"), hotline=settings.text("search.hotline"),
                  tuning=Tuning.from_settings(settings))


def latency(engine: Any, runs: Sequence[Sequence[Item]], warm: Sequence[Item] = ()) -> dict:
    """Whole-question latency (Engine.answer): each run's questions once, after `warm` (other questions:
    lazy tables filled as in a server's first minute). Every figure is the median over the runs, with
    the min and max; a follow-up is timed in the context its first question left (that one untimed).
    The same percentiles of the process CPU time per question are kept beside them (cpu_*)."""
    engine.warm_up()
    for it in warm:
        _ask(engine, it)
    # What this process holds besides the engine (the mix and the tables bench/mix.py loaded to write
    # it: pypinyin's hundreds of thousands of lists) is no server's: frozen, a full garbage collection
    # walks what a worker holds (some 50 000 objects) instead of adding ~85 ms to one question in 300.
    gc.collect()
    gc.freeze()
    load0 = os.getloadavg()
    per_run: list[dict] = []
    slowest: tuple[float, str, str] = (0.0, "", "")
    cpu_runs: list[dict] = []
    for run in runs:
        times: list[tuple[float, str]] = []
        cpu: list[tuple[float, str]] = []
        for it in run:
            ms, cpu_ms = _ask(engine, it)
            times.append((ms, it.kind))
            cpu.append((cpu_ms, it.kind))
            slowest = max(slowest, (ms, it.kind, it.question))
        per_run.append(_summary(times))
        cpu_runs.append(_summary(cpu))
    kinds = sorted({k for r in per_run for k in r["kinds"]})
    out: dict[str, Any] = {"runs": len(per_run), "questions_per_run": [len(r) for r in runs],
                           "load": [load0[0], os.getloadavg()[0]],
                           "slowest_question": f"{slowest[1]} {slowest[2]!r} {slowest[0]:.1f} ms"}
    for key in ("p50_ms", "p99_ms", "mean_ms", "max_ms"):
        out.update(_spread(key, [r[key] for r in per_run]))
    out["kinds"] = {}
    for k in kinds:
        got = [r["kinds"][k] for r in per_run if k in r["kinds"]]
        row: dict[str, Any] = {"n": sum(g["n"] for g in got)}
        for key in ("p50_ms", "p99_ms"):
            row.update(_spread(key, [g[key] for g in got]))
        cpu_got = [r["kinds"][k] for r in cpu_runs if k in r["kinds"]]
        row["cpu_p50_ms"] = statistics.median(g["p50_ms"] for g in cpu_got)
        row["cpu_p99_ms"] = statistics.median(g["p99_ms"] for g in cpu_got)
        out["kinds"][k] = row
    out["cpu_p50_ms"] = statistics.median(r["p50_ms"] for r in cpu_runs)
    out["cpu_p99_ms"] = statistics.median(r["p99_ms"] for r in cpu_runs)
    out["worst_kind_p99_ms"] = max(v["p99_ms"] for v in out["kinds"].values())
    out["worst_kind_p99"] = max(out["kinds"], key=lambda k: out["kinds"][k]["p99_ms"])
    out["worst_kind_p50_ms"] = max(v["p50_ms"] for v in out["kinds"].values())
    out["worst_kind_p50"] = max(out["kinds"], key=lambda k: out["kinds"][k]["p50_ms"])
    return out


def _ask(engine: Any, it: Item) -> tuple[float, float]:
    """Wall and CPU milliseconds of one answer. On a shared machine the CPU time is what the question
    costs; the wall time adds waiting for a core."""
    context = engine.answer(it.before).context if it.before else None
    c0, t0 = time.process_time(), time.perf_counter()
    engine.answer(it.question, context=context)
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def _summary(times: list[tuple[float, str]]) -> dict:
    ms = sorted(t for t, _ in times)
    by_kind: dict[str, list[float]] = {}
    for t, kind in times:
        by_kind.setdefault(kind, []).append(t)
    return {"p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99), "mean_ms": statistics.fmean(ms),
            "max_ms": ms[-1],
            "kinds": {k: {"n": len(v), "p50_ms": percentile(sorted(v), 50), "p99_ms": percentile(sorted(v), 99)}
                      for k, v in by_kind.items()}}


def _spread(key: str, values: Sequence[float]) -> dict[str, float]:
    """`key`: the median of the values; `key`_min / _max: their spread."""
    stem = key.removesuffix("_ms")
    return {key: statistics.median(values), f"{stem}_min_ms": min(values), f"{stem}_max_ms": max(values)}


def child_rss(mode: str, index_path: Path, settings: Any, questions: Sequence[str]) -> dict:
    """Load time, peak RSS and PSS of a fresh process that loads the engine and answers these questions once."""
    code = "import sys; from bench.measure import child_main; child_main(sys.argv[1:])"
    out = run([sys.executable, "-c", code, mode, str(index_path)], child_env(settings, index_path),
               stdin=json.dumps(list(questions), ensure_ascii=False))
    return json.loads(out.strip().splitlines()[-1])


def child_main(argv: list[str]) -> None:
    """In the child: load (Engine.load, or the index directory at argv[1]), answer stdin's questions, print RSS."""
    mode, path = argv[0], Path(argv[1])
    questions = json.loads(sys.stdin.read())
    from bot.engine.coordinator import Engine
    from indexer.settings import load_settings

    settings = load_settings()
    t0 = time.perf_counter()
    engine = Engine.load(settings) if mode == "settings" else engine_over(open_index_dir(path), settings)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for q in questions:
        engine.answer(q)
    answer_s = time.perf_counter() - t0
    print(json.dumps({"rss_mb": peak_rss_kb() / 1024, "ru_maxrss_mb": _ru_maxrss_kb() / 1024,
                      "now": memory_of(os.getpid()),
                      "load_s": load_s, "first_answers_s": answer_s}))


def _ru_maxrss_kb() -> int:
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_rss_kb() -> int:
    """This process's own peak RSS. Linux's ru_maxrss also counts the parent's RSS at fork/exec (the
    memory map the child starts from), so after the benchmark has built a large index it reports the
    parent's size; VmHWM of /proc/self/status is the child's own high-water mark."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return _ru_maxrss_kb()


def memory_of(pid: int) -> dict[str, float]:
    """RSS and PSS of a process now, in MB (/proc/<pid>/smaps_rollup; PSS shares shared pages out)."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Shared_Clean", "Private_Clean", "Private_Dirty"):
                out[key.lower() + "_mb"] = int(rest.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    # Clean pages are file pages read, not written: here the memory-mapped index, which every process
    # mapping the same files shares (smaps calls them "Private" while only one process maps them).
    out["clean_mb"] = out.get("shared_clean_mb", 0.0) + out.get("private_clean_mb", 0.0)
    return out


def child_env(settings: Any, index_path: Path) -> dict[str, str]:
    """The environment that makes a child's load_settings() equal `settings`, with the temporary index."""
    from indexer.settings import PROJECT_ROOT, SETTINGS

    env = dict(os.environ)
    for s in SETTINGS:
        if s.table == "search":
            env[s.env_name] = str(settings[s.name])
        elif s.table == "knowledge":
            env[s.env_name] = str(index_path if s.key == "index_path" else settings.path(s.name))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    from indexer.settings import PROJECT_ROOT

    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=PROJECT_ROOT, timeout=SUBPROCESS_TIMEOUT, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return proc.stdout


def open_index_dir(path: Path) -> Any:
    """What Engine.load does with a valid index: open the published version, memory-mapped."""
    from bot.index.store import open_current

    return open_current(path)


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not sorted_values:
        return math.nan
    k = max(math.ceil(p / 100 * len(sorted_values)) - 1, 0)
    return sorted_values[min(k, len(sorted_values) - 1)]


def progress(msg: str) -> None:
    print(f"· {msg}", file=sys.stderr, flush=True)
