"""Measuring tools: latency of the question mix, peak RSS of a fresh child, timers, child processes.

Neighbours: bench/run.py calls these; bench/mix.py holds the questions.
"""
from __future__ import annotations

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

from bench.mix import MIX, QUESTIONS, SUBPROCESS_TIMEOUT


def engine_over(index: Any, settings: Any) -> Any:
    """An Engine over an index already in memory, with the settings Engine.load would pass."""
    from bot.engine.coordinator import Engine
    from bot.engine.tuning import Tuning

    return Engine(index, top_k=settings.integer("search.top_k"), list_limit=settings.integer("search.list_limit"),
                  default_region=settings.text("search.default_region"), hotline=settings.text("search.hotline"),
                  tuning=Tuning.from_settings(settings))


def latency(engine: Any, n_queries: int, mix: Sequence[tuple[str, str]] = MIX) -> dict:
    """Whole-question latency (Engine.answer) over the mix repeated to n_queries: overall and per kind."""
    engine.warm_up()
    for _, q in mix:  # first use of each character / term warms lazy tables, as a server's first minute does
        engine.answer(q)
    times: list[tuple[float, str, str]] = []
    for kind, q in repeat(list(mix), max(n_queries, len(mix))):
        t0 = time.perf_counter()
        engine.answer(q)
        times.append((time.perf_counter() - t0, kind, q))
    ms = sorted(t * 1000 for t, _, _ in times)
    by_kind: dict[str, list[float]] = {}
    for t, kind, _ in times:
        by_kind.setdefault(kind, []).append(t * 1000)
    kinds = {k: {"n": len(v), "p50_ms": percentile(sorted(v), 50), "p99_ms": percentile(sorted(v), 99)}
             for k, v in sorted(by_kind.items())}
    slowest = max(times)
    return {"p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99), "mean_ms": statistics.fmean(ms),
            "max_ms": ms[-1], "slowest_question": slowest[2], "kinds": kinds,
            "worst_kind_p99_ms": max(v["p99_ms"] for v in kinds.values())}


def text_token_lists(index: Any, limit: int | None = None) -> list[list[str]]:
    """The token lists build_index gave the text field (identical texts tokenized once, as it does)."""
    from bot.language.tokenize_many import tokenize_all
    from bot.language.tokenizer import Tokenizer

    texts = [e.text for e in index.entries[:limit]] if limit else [e.text for e in index.entries]
    tokens = tokenize_all(Tokenizer(index.terms, lexicon=index.lexicon), texts)
    return [tokens[t] for t in texts]


def child_rss(mode: str, index_path: Path, settings: Any) -> dict:
    """Load time, peak RSS and PSS of a fresh process that loads the engine and answers every question once."""
    code = "import sys; from bench.measure import child_main; child_main(sys.argv[1:])"
    out = run([sys.executable, "-c", code, mode, str(index_path)], child_env(settings, index_path),
               stdin=json.dumps(list(QUESTIONS), ensure_ascii=False))
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


def time_ms(fn: Callable[[], object], repeat: int = 1) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


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


def repeat(items: Sequence[str], n: int) -> list[str]:
    return [items[i % len(items)] for i in range(n)]


def progress(msg: str) -> None:
    print(f"· {msg}", file=sys.stderr, flush=True)
