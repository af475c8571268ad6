"""The printed table and the PASS / MISS verdicts of `python -m bot bench`.

Neighbours: bench/run.py collects the figures; bench/mix.py holds the targets.
"""
from __future__ import annotations

from bench.mix import TARGETS


def verdicts(report: dict) -> list[dict]:
    out = []
    for key, label, limit, unit, corpus in TARGETS:
        figures = report.get(corpus)
        if figures is None:
            continue
        value = figures[key]
        out.append({"corpus": corpus, "name": key, "label": label, "value": value, "limit": limit, "unit": unit,
                    "pass": value <= limit})
    return out


def table(report: dict) -> list[str]:
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
        row("index directory size", "index_mb", "MB"),
        row("load (open the memory-mapped index)", "load_s", "s"),
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
