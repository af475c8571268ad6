"""The printed table and the PASS / MISS verdicts of `python -m bench`.

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
            cells.append(f"{fmt(src.get(key), unit):>24}")
        return f"  {label:<48}" + "".join(cells)

    def spread_row(label: str, key: str) -> str:
        return f"  {label:<48}" + "".join(f"{_spread(f, key):>24}" for _, f in corpora)

    lines = [
        f"政务公开问答 benchmark — Python {m['python']}, {m['cpus']} CPUs, nice {m.get('nice', 0)}, load average "
        f"{m['load'][0]:.2f} at the start / {m['load_after'][0]:.2f} at the end; every timing: median "
        f"[min–max] of {report['repeats']} repeats" + ("" if m["bytecode_cache"] else " (PYTHONDONTWRITEBYTECODE set)"),
        f"  {'':<48}" + "".join(f"{name:>24}" for name, _ in corpora),
        f"  {'entries':<48}" + "".join(f"{f['entries']:>24,}" for _, f in corpora),
        row("regions", "regions", "n"),
        "index",
        row("build (scaled: build_index incl. tokenising)", "build_s", "s"),
        row("  CPU time of that build, all processes", "build_cpu_s", "s"),
        row("  peak RSS of the build (RUSAGE_CHILDREN)", "build_peak_rss_mb", "MB"),
        row("  the build process's own VmHWM", "build_child_own_peak_rss_mb", "MB"),
        row("write + publish the index directory", "save_s", "s"),
        row("index directory size", "index_mb", "MB"),
        row("load in a fresh process (open the index directory)", "load_s", "s", nested="rss"),
        row("load in process (open_current)", "load_in_process_s", "s"),
        "start-up and the CLI (fresh `python -m bot` processes)",
        row("ask --json QUESTION (median of 5)", "cli_startup_s", "s"),
        spread_row("ask --json - per question (generated mix)", "batch"),
        row("  its CPU time per question", "cpu_ms", "ms", nested="batch"),
        _naive_line(s.get("versus_naive")),
        "questions (Engine.answer, in process, warm; distinct questions, none repeated)",
        f"  {'questions per run / warm-up':<48}" + "".join(
            f"{'/'.join(str(n) for n in f['mix']['per_run']) + ' / ' + str(f['mix']['warm_up']):>24}"
            for _, f in corpora),
        f"  {'load average at the start / end':<48}" + "".join(
            f"{f['load'][0]:>17.2f} / {f['load'][1]:.2f}" for _, f in corpora),
        spread_row("p50, every kind", "p50_ms"),
        spread_row("p99, every kind", "p99_ms"),
        f"  {'worst kind: p50 / p99':<48}" + "".join(
            f"{fmt(f.get('worst_kind_p50_ms'), 'ms'):>12} / {fmt(f.get('worst_kind_p99_ms'), 'ms'):<9}"
            for _, f in corpora),
        f"  {'CPU time per question: p50 / p99':<48}" + "".join(
            f"{fmt(f.get('cpu_p50_ms'), 'ms'):>12} / {fmt(f.get('cpu_p99_ms'), 'ms'):<9}" for _, f in corpora),
        "  per kind: p50 [min–max] / p99 [min–max] (questions over all runs); CPU time p50 / p99",
    ]
    kinds = sorted({k for _, f in corpora for k in f.get("kinds", {})})
    for kind in kinds:
        cells = []
        for _, f in corpora:
            k = f.get("kinds", {}).get(kind)
            cells.append(f"{_spread(k, 'p50_ms')} / {_spread(k, 'p99_ms')} ({k['n']}); CPU "
                         f"{k.get('cpu_p50_ms', 0):.2f} / {k.get('cpu_p99_ms', 0):.2f} ms" if k else "—")
        lines.append(f"    {kind:<30}" + "   ".join(f"{c:<64}" for c in cells))
    lines += [
        "memory (fresh process: load the engine, answer one run of the mix)",
        row("peak RSS", "rss_mb", "MB"),
        row("RSS after answering", "rss_mb", "MB", nested="rss_now"),
        row("  of which clean file pages (code, small index maps)", "clean_mb", "MB", nested="rss_now"),
        row("  of which private, written (Python objects)", "private_dirty_mb", "MB", nested="rss_now"),
        row("PSS after answering (one process: = RSS)", "pss_mb", "MB", nested="rss_now"),
    ]
    for name, f in corpora:
        lines += _library_lines(name, f.get("libraries"))
    lines += _http_lines(report.get("http"))
    lines.append("slowest question: " + "; ".join(f"{name} {f.get('slowest_question')}" for name, f in corpora))
    missed = [t for t in report["targets"] if not t["pass"]]
    lines.append(f"targets: {len(report['targets']) - len(missed)}/{len(report['targets'])} PASS" + (
        "" if not missed else " — MISS: " + ", ".join(
            f"{t['corpus']} {t['label']} {fmt(t['value'], t['unit'])} ({'<' if t['at_least'] else '>'} "
            f"{fmt(t['limit'], t['unit'])})" for t in missed)))
    return lines


def _spread(figures: dict | None, key: str) -> str:
    """`median [min–max]` of a figure measured over repeats (key: the median; key's stem + _min / _max)."""
    if not figures or figures.get(key) is None:
        return "—"
    if not key.endswith("_ms"):  # a nested {"ms", "min_ms", "max_ms"} block
        figures, key = figures[key], "ms"
        lo, hi = figures["min_ms"], figures["max_ms"]
    else:
        stem = key.removesuffix("_ms")
        lo, hi = figures[f"{stem}_min_ms"], figures[f"{stem}_max_ms"]
    return f"{figures[key]:.2f} [{lo:.2f}–{hi:.2f}] ms"


def _naive_line(v: dict | None) -> str:
    if not v:
        return "  CLI against the naive baseline: —"
    return (f"  per question on {v['questions']} real-traffic questions: ours {v['ours_ms']:.2f} ms, naive (jieba + "
            f"rank-bm25 BM25Plus) {v['naive_ms']:.2f} ms; ours / naive {v['ratio']:.2f} "
            f"[{v['ratio_min']:.2f}–{v['ratio_max']:.2f}]; CPU time {v['ours_cpu_ms']:.2f} / {v['naive_cpu_ms']:.2f} ms "
            f"= {v['cpu_ratio']:.2f} [{v['cpu_ratio_min']:.2f}–{v['cpu_ratio_max']:.2f}] "
            f"(load {v['load'][0]:.2f} → {v['load'][1]:.2f})")


def _library_lines(corpus: str, lib: dict | None) -> list[str]:
    if not lib:
        return []
    p = lib["params"]
    lines = [f"BM25 libraries, {corpus} corpus: same token lists, queries, ranking (BM25Plus k1={p['k1']}, "
             f"b={p['b']}, delta={p['delta']}) and {lib['repeats']} runs; get_scores per query"]
    for part, title in (("small", "with rank-bm25"), ("whole", "every document")):
        got = lib.get(part)
        if not got or (part == "whole" and got is lib.get("small")):
            continue
        cells = ", ".join(f"{n} {v['median']:.3f} [{v['min']:.3f}–{v['max']:.3f}] ms" for n, v in got["ms"].items())
        ratios = ", ".join(f"{n} / ours {x:.2f}x" for n, x in got["vs_ours"].items())
        builds = ", ".join(f"{n} {x:.1f} s" for n, x in got["build_s"].items())
        lines.append(f"  {title}: {got['docs']:,} documents, {got['queries']:,} queries: {cells}; {ratios}; "
                     f"same top 10 as ours {got['same_top10']}; build {builds}; load {got['load'][0]:.2f} → "
                     f"{got['load'][1]:.2f}")
    return lines


def _http_lines(http: dict | None) -> list[str]:
    if not http:
        return []
    if "skipped" in http:
        return [f"uncached HTTP: skipped — {http['skipped']}"]
    think = f", each pausing 0–{2 * http['think_ms']} ms between questions" if http.get("think_ms") else ""
    lines = [f"uncached HTTP (POST /api/ask, answer cache off; wrk, {http['connections']} connections{think}, "
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
