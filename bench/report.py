"""The printed table and the PASS / MISS verdicts of `python -m bot bench`.

Neighbours: bench/run.py collects the figures; bench/mix.py holds the targets.
"""
from __future__ import annotations

from typing import Any

from bench.mix import TARGETS

HTTP_MIN_RPS = 800.0
HTTP_MAX_P99_MS = 50.0
HTTP_MIN_SPEEDUP = 1.7


def verdicts(report: dict) -> list[dict]:
    out = []
    for key, label, limit, unit, corpus in TARGETS:
        value = (report.get(corpus) or {}).get(key)
        if value is not None:
            out.append(_verdict(corpus, key, label, value, limit, unit, value <= limit))
    http = report.get("http") or {}
    runs = http.get("runs") or {}
    if runs:
        many = runs[max(runs)]
        n = max(runs)
        out.append(_verdict("http", "rps", f"uncached req/s, {n} workers, {http['connections']} connections",
                            many["rps"], HTTP_MIN_RPS, "req/s", many["rps"] >= HTTP_MIN_RPS, at_least=True))
        out.append(_verdict("http", "p99_ms", f"uncached p99, {n} workers", many["p99_ms"], HTTP_MAX_P99_MS, "ms",
                            many["p99_ms"] <= HTTP_MAX_P99_MS))
        if "speedup" in http:
            out.append(_verdict("http", "speedup", f"{n} workers / 1 worker throughput", http["speedup"],
                                HTTP_MIN_SPEEDUP, "x", http["speedup"] >= HTTP_MIN_SPEEDUP, at_least=True))
    return out


def _verdict(corpus: str, name: str, label: str, value: float, limit: float, unit: str, ok: bool,
             at_least: bool = False) -> dict:
    return {"corpus": corpus, "name": name, "label": label, "value": value, "limit": limit, "unit": unit,
            "pass": ok, "at_least": at_least}


def fmt(v: Any, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"
    if unit == "ms":
        return f"{v:.2f} ms" if v < 100 else f"{v:.0f} ms"
    if unit == "MB":
        return f"{v:.1f} MB"
    if unit == "x":
        return f"{v:,.0f}x" if v >= 10 else f"{v:.2f}x"
    if unit == "req/s":
        return f"{v:,.0f}/s"
    return f"{v:,}"


def table(report: dict) -> list[str]:
    s, c, m = report["shipped"], report.get("scaled"), report["machine"]
    corpora = [("shipped", s)] + ([("scaled", c)] if c else [])

    def row(label: str, key: str, unit: str, nested: str | None = None) -> str:
        cells = []
        for _, figures in corpora:
            src = (figures.get(nested) or {}) if nested else figures
            cells.append(f"{fmt(src.get(key), unit):>14}")
        return f"  {label:<46}" + "".join(cells)

    lines = [
        f"政务公开问答 benchmark — Python {m['python']}, {m['cpus']} CPUs, load average "
        f"{m['load'][0]:.2f} before / {m['load_after'][0]:.2f} after, {report['n_queries']} questions per corpus"
        + ("" if m["bytecode_cache"] else " (PYTHONDONTWRITEBYTECODE set)"),
        f"  {'entries':<46}" + "".join(f"{f['entries']:>14,}" for _, f in corpora),
        row("regions", "regions", "n"),
        "index",
        row("build (scaled: build_index incl. tokenising)", "build_s", "s"),
        row("  CPU time of that build, all processes", "build_cpu_s", "s"),
        row("write + publish the index directory", "save_s", "s"),
        row("index directory size", "index_mb", "MB"),
        row("load in a fresh process (open the index directory)", "load_s", "s", nested="rss"),
        row("load in process (open_current)", "load_in_process_s", "s"),
        "start-up (fresh `python -m bot` process, median of 5)",
        row("ask --json QUESTION", "cli_startup_s", "s"),
        row("ask --json - per question, inside the batch", "batch_ms_per_question", "ms"),
        "questions (Engine.answer, in process, warm), every kind",
        row("p50", "p50_ms", "ms"),
        row("p99", "p99_ms", "ms"),
        row("worst kind's p99", "worst_kind_p99_ms", "ms"),
    ]
    kinds = sorted({k for _, f in corpora for k in f.get("kinds", {})})
    for kind in kinds:
        cells = "".join(f"{fmt((f.get('kinds', {}).get(kind) or {}).get('p50_ms'), 'ms'):>7} / "
                        f"{fmt((f.get('kinds', {}).get(kind) or {}).get('p99_ms'), 'ms'):<9}" for _, f in corpora)
        lines.append(f"    {kind + ' p50 / p99':<44}{cells}")
    lines += [
        "memory (fresh process: load engine, answer the question mix once)",
        row("peak RSS", "rss_mb", "MB"),
        row("RSS after answering", "rss_mb", "MB", nested="rss_now"),
        row("  of which clean file pages (code, small index maps)", "clean_mb", "MB", nested="rss_now"),
        row("  of which private, written (Python objects)", "private_dirty_mb", "MB", nested="rss_now"),
        row("PSS after answering (one process: = RSS)", "pss_mb", "MB", nested="rss_now"),
        "BM25 libraries on the same token lists and query terms (get_scores per query)",
        row("documents compared", "docs", "n", nested="libraries"),
        row("SparseBM25 (ours)", "ours_get_scores_ms", "ms", nested="libraries"),
        row("rank-bm25 BM25Okapi", "rank_bm25_get_scores_ms", "ms", nested="libraries"),
        row("bm25s (bm25+)", "bm25s_get_scores_ms", "ms", nested="libraries"),
        row("rank-bm25 / ours", "rank_bm25_vs_ours", "x", nested="libraries"),
        row("bm25s / ours", "bm25s_vs_ours", "x", nested="libraries"),
        row("rank-bm25 / whole question p50", "rank_bm25_vs_question_p50", "x", nested="libraries"),
        row("bm25s / whole question p50", "bm25s_vs_question_p50", "x", nested="libraries"),
        row("build: rank-bm25 / ours", "rank_bm25_build_vs_ours", "x", nested="libraries"),
        row("build: bm25s / ours", "bm25s_build_vs_ours", "x", nested="libraries"),
    ]
    lines += _http_lines(report.get("http"))
    lines.append("slowest question: " + "; ".join(f"{name} {f.get('slowest_question')!r}" for name, f in corpora))
    missed = [t for t in report["targets"] if not t["pass"]]
    lines.append(f"targets: {len(report['targets']) - len(missed)}/{len(report['targets'])} PASS" + (
        "" if not missed else " — MISS: " + ", ".join(
            f"{t['corpus']} {t['label']} {fmt(t['value'], t['unit'])} ({'<' if t['at_least'] else '>'} "
            f"{fmt(t['limit'], t['unit'])})" for t in missed)))
    return lines


def _http_lines(http: dict | None) -> list[str]:
    if not http:
        return []
    if "skipped" in http:
        return [f"uncached HTTP: skipped — {http['skipped']}"]
    lines = [f"uncached HTTP (POST /api/ask, answer cache off; wrk, {http['connections']} connections, "
             f"{http['seconds']:g} s; {http['questions']})"]
    for n, run in sorted(http["runs"].items()):
        mem = run.get("memory", [])
        mem_text = ", ".join(f"RSS {x.get('rss_mb', 0):.0f} / PSS {x.get('pss_mb', 0):.0f} MB" for x in mem)
        lines.append(f"  {n} worker{'s' if n > 1 else ''}: {fmt(run['rps'], 'req/s')}, p50 {fmt(run['p50_ms'], 'ms')}, "
                     f"p99 {fmt(run['p99_ms'], 'ms')}, max {fmt(run['max_ms'], 'ms')}, errors {run['errors']}; "
                     f"per worker {mem_text}")
    if "speedup" in http:
        lines.append(f"  throughput {max(http['runs'])} workers / 1: {fmt(http['speedup'], 'x')}")
    return lines
