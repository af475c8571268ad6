"""`python -m bot bench`: build / load time, CLI start-up, question latency and memory, against rank-bm25.

Two corpora: the shipped knowledge/ plans, and the same entries copied under other region and year
labels up to `scaled_entries` (200 000 by default; copies share their text, so tokenizing is cached
inside build_index exactly as it would be for repeated clauses). Every index, cache and child process
works in a temporary directory that is removed at the end: the project's var/ is never touched.
bench/README.md says what each figure means and how to read it.
"""
from __future__ import annotations

import gc
import json
import math
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

# What people ask: who / when / what / list, typos, pinyin, English, staff shorthand, off-topic, greetings.
QUESTIONS: tuple[str, ...] = (
    "养老补贴信息公开由哪个部门负责？",
    "槐荫区新冠肺炎疫情防控信息发布由哪个部门负责？",
    "历城区义务教育“双减”信息公开归哪个部门管？",
    "薛城区城市更新“九大行动”的政策解读是谁负责？",
    "周村区政府预决算信息公开的责任单位有哪些？",
    "历城区政务公开要点落实情况什么时候前要纳入年度报告？",
    "栖霞市公共企事业单位信息公开平台什么时候升级改造完成？",
    "槐荫区规章集中公开的完成时限是什么？",
    "周村区基层政务公开标准目录什么时候编制完成？",
    "政府开放月活动要怎么开展？",
    "重大行政决策事项目录管理有什么要求？",
    "政府公报数据库要做哪些工作？",
    "信息处理费按什么规定收取？",
    "薛城区住建局负责哪些政务公开任务？",
    "槐荫区卫生健康局要负责哪些活儿？",
    "区民政局有哪些任务？",
    "2023年12月底前要完成哪些任务？",
    "周村区就业创业信息公开由哪些单为负责？",
    "历城区义物教育双减的公开要求是什么？",
    "yanglao butie 信息公开由谁负责？",
    "zhengfu kaifangyue 活动怎么搞？",
    "Xuecheng qu chengshi gengxin 由哪个部门负责？",
    "Who is responsible for epidemic prevention information in Huaiyin district?",
    "When must the government gazette database be improved?",
    "What should be published about compulsory education?",
    "个人所得税怎么申报？",
    "北京市海淀区政务公开要点有哪些？",
    "明天天气怎么样？",
    "公积金贷款最多能贷多少钱？",
    "你好",
    "槐荫 快易办 责任单位",
    "栖霞 政府网站集约化 完成时限",
)
CLI_QUESTION = QUESTIONS[0]
CLI_RUNS = 5
BATCH_RUNS = 3
RANK_BM25_SCALED_QUERIES = 10
SUBPROCESS_TIMEOUT = 300  # seconds; every child is bounded

# (key, label, limit, unit, corpus the target applies to)
TARGETS: tuple[tuple[str, str, float, str, str], ...] = (
    ("cli_startup_s", "CLI start-up (ask --json, median)", 1.0, "s", "shipped"),
    ("batch_ms_per_question", "ask --json - batch, per question", 1.5, "ms", "shipped"),
    ("rss_mb", "peak RSS, load + answer", 150.0, "MB", "shipped"),
    ("p50_ms", "question latency p50", 5.0, "ms", "scaled"),
    ("build_s", "index build", 60.0, "s", "scaled"),
    ("load_s", "index load (pickle)", 2.0, "s", "scaled"),
)


def run_bench(settings: Any, scaled_entries: int = 200_000, n_queries: int = 300,
              out: Callable[[str], None] = print) -> dict:
    """Run the benchmark, print a table through `out` and return every figure (seconds, ms, MB)."""
    if n_queries < 1:
        raise ValueError(f"n_queries must be >= 1; got {n_queries}")
    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "bytecode_cache": not os.environ.get("PYTHONDONTWRITEBYTECODE")},
        "n_queries": n_queries,
    }
    with tempfile.TemporaryDirectory(prefix="zwgk-bench-") as tmp:
        report["shipped"] = _bench_shipped(settings, Path(tmp) / "shipped", n_queries)
        if scaled_entries > 0:
            report["scaled"] = _bench_scaled(settings, Path(tmp) / "scaled", scaled_entries, n_queries)
    report["targets"] = _verdicts(report)
    for line in _table(report):
        out(line)
    return report


# ---------------------------------------------------------------------------------------------- shipped
def _bench_shipped(settings: Any, tmp: Path, n_queries: int) -> dict:
    from bot.engine import Engine
    from bot.index import build_index, load_index
    from indexer.store import build_knowledge

    tmp.mkdir(parents=True)
    plans, data = settings.path("knowledge.plans_dir"), settings.path("knowledge.data_dir")
    index_path = tmp / "index.pickle"
    r: dict[str, Any] = {}

    _progress("shipped corpus: parse + build")
    t0 = time.perf_counter()
    kb = build_knowledge(plans)
    r["parse_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    built = build_index(kb, data)
    r["build_index_s"] = time.perf_counter() - t0
    r["build_s"] = r["parse_s"] + r["build_index_s"]
    r["entries"] = len(built.entries)
    r["regions"] = len(built.regions)
    token_lists = _text_token_lists(built)
    del built

    index, rebuilt = load_index(plans, data, index_path)  # writes the cache the CLI runs below use
    r["index_mb"] = index_path.stat().st_size / 1e6
    r["load_s"] = _median_time(lambda: _unpickle(index_path), 5)
    r["load_index_cached_s"] = _median_time(lambda: load_index(plans, data, index_path), 5)

    _progress("shipped corpus: CLI start-up and batch")
    env = _child_env(settings, index_path)
    _run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION], env)  # cache warm, jieba cache warm
    r["cli_startup_s"] = _median_time(lambda: _run([sys.executable, "-m", "bot", "ask", "--json", CLI_QUESTION],
                                                   env), CLI_RUNS)
    r["import_cli_s"] = _median_time(lambda: _run([sys.executable, "-c", "import bot.cli"], env), CLI_RUNS)
    batch = _repeat(QUESTIONS, n_queries)
    ask_stdin = [sys.executable, "-m", "bot", "ask", "--json", "-"]
    one_s, all_s, output = [], [], ""
    for _ in range(BATCH_RUNS):  # interleaved, so both see the same machine load
        t0 = time.perf_counter()
        _run(ask_stdin, env, stdin=CLI_QUESTION + "\n")
        one_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        output = _run(ask_stdin, env, stdin="\n".join(batch) + "\n")
        all_s.append(time.perf_counter() - t0)
    r["batch_one_s"], r["batch_s"] = statistics.median(one_s), statistics.median(all_s)
    got = [json.loads(line) for line in output.splitlines() if line.strip()]
    if len(got) != len(batch):
        raise RuntimeError(f"ask --json - answered {len(got)} of {len(batch)} questions")
    r["batch_answered"] = sum(1 for a in got if a.get("answered"))
    r["batch_total_ms_per_question"] = 1000 * r["batch_s"] / len(batch)
    # Inside the batch: what each further question adds to a batch of one (start-up and first answer).
    r["batch_ms_per_question"] = 1000 * max(r["batch_s"] - r["batch_one_s"], 0.0) / max(len(batch) - 1, 1)

    _progress("shipped corpus: question latency")
    engine = Engine.load(settings.replace(knowledge__index_path=str(index_path)))
    r.update(_latency(engine, n_queries))
    r["rss"] = _child_rss("settings", index_path, settings)
    r["rss_mb"] = r["rss"]["rss_mb"]
    r["rank_bm25"] = _versus_rank_bm25(engine, token_lists, len(QUESTIONS), r["p50_ms"])
    return r


# ---------------------------------------------------------------------------------------------- scaled
def scaled_knowledge(kb: Any, n_entries: int) -> Any:
    """The knowledge base copied under other region / year labels until it holds `n_entries` entries.

    Copy k of 槐荫区 2022 is 槐荫{k}区 of 2022 + k % 4: a region the engine can tell apart (its name still
    ends in 区, as the region matching expects), ids made unique, `linked` ids pointing inside the copy.
    Strings are fresh objects, so the pickle is as large as a corpus of distinct entries would be.
    """
    from indexer.store import KnowledgeBase

    if not any(d.entries for d in kb.documents):
        raise ValueError("the knowledge base has no entries to copy")
    docs: list = []
    total, k = 0, 0
    while total < n_entries:
        for d in kb.documents:
            if total >= n_entries:
                break
            take = d.entries[: n_entries - total]
            if not take:
                continue
            if k == 0:
                docs.append(replace(d, entries=list(take)))
            else:
                docs.append(_copy_document(d, take, k))
            total += len(take)
        k += 1
    return KnowledgeBase(documents=docs, skipped=[], fingerprint=f"bench-scaled-{n_entries}")


def _fresh(s: str | None) -> str | None:
    return (s + " ")[:-1] if s else s


def _copy_document(d: Any, entries: Sequence[Any], k: int) -> Any:
    region = f"{d.region[:-1]}{k}{d.region[-1]}" if d.region and len(d.region) >= 2 else d.region
    shift = k % 4
    year = d.year + shift if d.year else d.year
    doc_id = f"{d.doc_id}@{k}"
    ids = {e.id: f"{e.id}@{k}" for e in d.entries}
    copies = [
        replace(e, id=ids[e.id], text=_fresh(e.text), section=_fresh(e.section), heading=_fresh(e.heading),
                responsible=[_fresh(u) for u in e.responsible], linked=[ids.get(i, i) for i in e.linked],
                due=_shift_date(e.due, shift), doc=doc_id, region=region, year=year)
        for e in entries
    ]
    return replace(d, doc_id=doc_id, region=region, year=year, entries=copies)


def _shift_date(iso: str | None, years: int) -> str | None:
    if not iso or not years or not iso[:4].isdigit():
        return iso
    return f"{int(iso[:4]) + years}{iso[4:]}"


def _bench_scaled(settings: Any, tmp: Path, n_entries: int, n_queries: int) -> dict:
    from bot.index import build_index
    from indexer.store import load_knowledge

    tmp.mkdir(parents=True)
    data = settings.path("knowledge.data_dir")
    kb, _ = load_knowledge(settings.path("knowledge.plans_dir"), tmp / "knowledge.json")
    r: dict[str, Any] = {}
    _progress(f"scaled corpus: copying to {n_entries:,} entries")
    t0 = time.perf_counter()
    big = scaled_knowledge(kb, n_entries)
    r["copy_s"] = time.perf_counter() - t0
    _progress("scaled corpus: build_index")
    gc.collect()
    t0 = time.perf_counter()
    index = build_index(big, data, "bench")
    r["build_s"] = time.perf_counter() - t0
    r["entries"] = len(index.entries)
    r["regions"] = len(index.regions)
    del big
    index_path = tmp / "index.pickle"
    t0 = time.perf_counter()
    with index_path.open("wb") as f:
        pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
    r["save_s"] = time.perf_counter() - t0
    r["index_mb"] = index_path.stat().st_size / 1e6
    del index
    gc.collect()

    _progress("scaled corpus: index load")
    times = []
    index = None
    for _ in range(2):
        index = None
        gc.collect()
        t0 = time.perf_counter()
        index = _unpickle(index_path)
        times.append(time.perf_counter() - t0)
    r["load_s"] = min(times)

    _progress("scaled corpus: question latency")
    engine = _engine(index, settings)
    r.update(_latency(engine, n_queries))
    r["rss"] = _child_rss("pickle", index_path, settings)
    r["rss_mb"] = r["rss"]["rss_mb"]
    _progress("scaled corpus: rank-bm25 (slow by design)")
    r["rank_bm25"] = _versus_rank_bm25(engine, _text_token_lists(index), RANK_BM25_SCALED_QUERIES, r["p50_ms"])
    return r


# ---------------------------------------------------------------------------------------------- measures
def _engine(index: Any, settings: Any) -> Any:
    """An Engine over an index already in memory, with the settings Engine.load would pass."""
    from bot.engine import Engine
    from bot.tuning import Tuning

    return Engine(index, top_k=int(settings["search.top_k"]), list_limit=int(settings["search.list_limit"]),
                  default_region=str(settings["search.default_region"]), hotline=str(settings["search.hotline"]),
                  tuning=Tuning.from_settings(settings))


def _latency(engine: Any, n_queries: int) -> dict:
    """Whole-question latency (Engine.answer) over the question mix repeated to n_queries."""
    engine.warm_up()
    for q in QUESTIONS:  # first use of each character / term warms lazy tables, as a server's first minute does
        engine.answer(q)
    times: list[tuple[float, str]] = []
    for q in _repeat(QUESTIONS, n_queries):
        t0 = time.perf_counter()
        engine.answer(q)
        times.append((time.perf_counter() - t0, q))
    ms = sorted(t * 1000 for t, _ in times)
    slowest = max(times)
    return {"p50_ms": _percentile(ms, 50), "p99_ms": _percentile(ms, 99), "mean_ms": statistics.fmean(ms),
            "max_ms": ms[-1], "slowest_question": slowest[1]}


def _text_token_lists(index: Any) -> list[list[str]]:
    """The token lists build_index gave the text field (identical texts tokenized once, as it does)."""
    from bot.text import Tokenizer

    tokenizer = Tokenizer(index.terms, lexicon=index.lexicon)
    cache: dict[str, list[str]] = {}
    out = []
    for e in index.entries:
        got = cache.get(e.text)
        if got is None:
            got = cache[e.text] = tokenizer.tokens(e.text)
        out.append(got)
    return out


def _versus_rank_bm25(engine: Any, token_lists: list[list[str]], n_queries: int, p50_ms: float) -> dict:
    """Plain rank_bm25.BM25Okapi on the same token lists and query terms, against SparseBM25.get_scores."""
    from rank_bm25 import BM25Okapi

    from bot.bm25 import SparseBM25

    queries = [t for t in (engine.understand(q).terms for q in QUESTIONS) if t][:n_queries]
    t0 = time.perf_counter()
    okapi = BM25Okapi(token_lists)
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = SparseBM25(token_lists)
    ours_build_s = time.perf_counter() - t0
    okapi_ms = [_time_ms(partial(okapi.get_scores, q)) for q in queries]
    ours_ms = [_time_ms(partial(ours.get_scores, q), repeat=5) for q in queries]
    okapi = None  # about 0.5 GB at 200 000 entries
    gc.collect()
    okapi_mean, ours_mean = statistics.fmean(okapi_ms), statistics.fmean(ours_ms)
    return {"queries": len(queries), "build_s": build_s, "ours_build_s": ours_build_s,
            "get_scores_ms": okapi_mean, "ours_get_scores_ms": ours_mean,
            "vs_scorer": okapi_mean / ours_mean if ours_mean else math.inf,
            "vs_question_p50": okapi_mean / p50_ms if p50_ms else math.inf}


def _child_rss(mode: str, index_path: Path, settings: Any) -> dict:
    """Peak RSS of a fresh process that loads the engine and answers every question once."""
    code = "import sys; from bot.bench import _child_main; _child_main(sys.argv[1:])"
    out = _run([sys.executable, "-c", code, mode, str(index_path)], _child_env(settings, index_path),
               stdin=json.dumps(list(QUESTIONS), ensure_ascii=False))
    return json.loads(out.strip().splitlines()[-1])


def _child_main(argv: list[str]) -> None:
    """In the child: load (Engine.load, or the pickle at argv[1]), answer stdin's questions, print RSS."""
    mode, path = argv[0], Path(argv[1])
    questions = json.loads(sys.stdin.read())
    from bot.config import load_settings
    from bot.engine import Engine

    settings = load_settings()
    t0 = time.perf_counter()
    engine = Engine.load(settings) if mode == "settings" else _engine(_unpickle(path), settings)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for q in questions:
        engine.answer(q)
    answer_s = time.perf_counter() - t0
    print(json.dumps({"rss_mb": _peak_rss_kb() / 1024, "ru_maxrss_mb": _ru_maxrss_kb() / 1024,
                      "load_s": load_s, "first_answers_s": answer_s}))


def _ru_maxrss_kb() -> int:
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss_kb() -> int:
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


def _child_env(settings: Any, index_path: Path) -> dict[str, str]:
    """The environment that makes a child's load_settings() equal `settings`, with the temporary index."""
    from bot.config import PROJECT_ROOT, SETTINGS

    env = dict(os.environ)
    for s in SETTINGS:
        if s.table == "search":
            env[s.env_name] = str(settings[s.name])
        elif s.table == "knowledge":
            env[s.env_name] = str(index_path if s.key == "index_path" else settings.path(s.name))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _run(cmd: list[str], env: dict[str, str], stdin: str | None = None) -> str:
    from bot.config import PROJECT_ROOT

    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=PROJECT_ROOT, timeout=SUBPROCESS_TIMEOUT, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return proc.stdout


def _unpickle(path: Path) -> Any:
    """What Engine.load does with a valid cache (bot.index.read_index)."""
    from bot.index import read_index

    return read_index(path)


def _time_ms(fn: Callable[[], object], repeat: int = 1) -> float:
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def _median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of an ascending sequence."""
    if not sorted_values:
        return math.nan
    k = max(math.ceil(p / 100 * len(sorted_values)) - 1, 0)
    return sorted_values[min(k, len(sorted_values) - 1)]


def _repeat(items: Sequence[str], n: int) -> list[str]:
    return [items[i % len(items)] for i in range(n)]


def _progress(msg: str) -> None:
    print(f"· {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- report
def _verdicts(report: dict) -> list[dict]:
    out = []
    for key, label, limit, unit, corpus in TARGETS:
        figures = report.get(corpus)
        if figures is None:
            continue
        value = figures[key]
        out.append({"corpus": corpus, "name": key, "label": label, "value": value, "limit": limit, "unit": unit,
                    "pass": value <= limit})
    return out


def _table(report: dict) -> list[str]:
    s, c = report["shipped"], report.get("scaled")
    m = report["machine"]
    verdict = {(t["corpus"], t["name"]): t for t in report["targets"]}

    def fmt(v: float, unit: str) -> str:
        if unit == "s":
            return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
        if unit == "ms":
            return f"{v:.2f} ms" if v < 100 else f"{v:.0f} ms"
        if unit == "MB":
            return f"{v:.1f} MB"
        if unit == "x":
            return f"{v:,.0f}x" if v >= 10 else f"{v:.1f}x"
        return f"{v:,}"

    def row(label: str, key: str, unit: str, nested: str | None = None) -> str:
        cells = []
        marks = []
        for corpus, figures in (("shipped", s), ("scaled", c)):
            if figures is None:
                continue
            src = figures.get(nested, {}) if nested else figures
            value = src.get(key)
            cells.append(f"{fmt(value, unit):>14}" if value is not None else f"{'—':>14}")
            t = verdict.get((corpus, key)) if not nested else None
            if t:
                marks.append(f"{corpus} ≤ {t['limit']:g} {t['unit']}: {'PASS' if t['pass'] else 'MISS'}")
        return f"  {label:<44}" + "".join(cells) + ("   " + "; ".join(marks) if marks else "")

    scaled_head = f"{c['entries']:>14,}" if c else ""
    lines = [
        f"政务公开问答 benchmark — Python {m['python']}, {m['cpus']} CPUs, {report['n_queries']} questions per corpus"
        + ("" if m["bytecode_cache"] else " (PYTHONDONTWRITEBYTECODE set: project modules compiled at every start)"),
        f"  {'entries':<44}{s['entries']:>14,}" + scaled_head,
        row("regions", "regions", "n"),
        "index",
        row("build (shipped: parse + build_index)", "build_s", "s"),
        row("  of which parse", "parse_s", "s"),
        row("pickle size", "index_mb", "MB"),
        row("load (pickle.load of the saved index)", "load_s", "s"),
        row("load_index, cache valid (Engine.load path)", "load_index_cached_s", "s"),
        "start-up (fresh `python -m bot` process, median of 5)",
        row("python -c 'import bot.cli'", "import_cli_s", "s"),
        row("ask --json QUESTION", "cli_startup_s", "s"),
        row("ask --json - with 1 question, median of 3", "batch_one_s", "s"),
        row(f"ask --json - with {report['n_queries']} questions, median of 3", "batch_s", "s"),
        row("  per question, start-up included", "batch_total_ms_per_question", "ms"),
        row("  per question, inside the batch (n vs 1)", "batch_ms_per_question", "ms"),
        "questions (Engine.answer, in process, warm)",
        row("p50", "p50_ms", "ms"),
        row("p99", "p99_ms", "ms"),
        row("mean", "mean_ms", "ms"),
        row("max", "max_ms", "ms"),
        "memory (fresh process: load engine, answer the question mix once)",
        row("peak RSS", "rss_mb", "MB"),
        row("engine load in that process", "load_s", "s", nested="rss"),
        "plain rank-bm25 (BM25Okapi) on the same token lists and query terms",
        row("queries timed", "queries", "n", nested="rank_bm25"),
        row("BM25Okapi(corpus) build", "build_s", "s", nested="rank_bm25"),
        row("SparseBM25(corpus) build", "ours_build_s", "s", nested="rank_bm25"),
        row("BM25Okapi.get_scores per query", "get_scores_ms", "ms", nested="rank_bm25"),
        row("SparseBM25.get_scores per query", "ours_get_scores_ms", "ms", nested="rank_bm25"),
        row("rank-bm25 / SparseBM25.get_scores", "vs_scorer", "x", nested="rank_bm25"),
        row("rank-bm25 / whole question (p50)", "vs_question_p50", "x", nested="rank_bm25"),
    ]
    lines.append("slowest question: shipped " + repr(s["slowest_question"])
                 + (f"; scaled {c['slowest_question']!r}" if c else ""))
    missed = [t for t in report["targets"] if not t["pass"]]
    lines.append(f"targets: {len(report['targets']) - len(missed)}/{len(report['targets'])} PASS"
                 + ("" if not missed else " — MISS: " + ", ".join(
                     f"{t['corpus']} {t['label']} {fmt(t['value'], t['unit'])} > {t['limit']:g} {t['unit']}"
                     for t in missed)))
    return lines
