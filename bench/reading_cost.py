"""`python -m bench.reading_cost`: what one more question costs the CLI against the naive baseline.

Issue 24 asks that reading a question be cheap: on the real-traffic wording, the per-question cost of
`python -m bot ask --json -` (after start-up, shipped corpus) at most 0.6x the naive baseline's measured
in the same run. The naive baseline is bench/naive.py: jieba once per question + rank-bm25 BM25Plus
get_scores over the shipped entries, tokenised once at its start.

Per-question cost = (time for every question - time for the first alone) / (n - 1), so start-up (index
load, jieba, rank-bm25's own build) cancels out. Each repeat runs ours and the naive baseline in turn
on the same questions (each distinct question once, never repeated); the figures are the medians of
the repeats with their spread, wall-clock and CPU (user + system of the child: less disturbed by other
load on the machine), with the load average before and after. Standalone: it needs only the built
index (the CLI's own), and writes nothing but a temporary entries file.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION_SETS = ("bench/real_traffic/questions.jsonl", "bench/real_traffic/lists.jsonl",
                 "bench/real_traffic/conversations.jsonl")
TIMEOUT_S = 1_800
ONE_RUNS = 3  # runs of the first question alone per measurement (their median is subtracted)
# One thread for numpy's BLAS in every child: idle BLAS threads spinning would add CPU time to whichever
# side calls numpy more, and the machine's other load decides how much.
ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Timing:
    """One child run: wall-clock and CPU seconds, and its output lines."""

    wall: float
    cpu: float
    lines: int


def real_traffic_questions(root: Path = ROOT) -> list[str]:
    """Every distinct question and conversation turn of the real-traffic sets, whitespace folded."""
    out: dict[str, None] = {}
    for rel in QUESTION_SETS:
        for line in (root / rel).read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            for q in [item.get("question")] + [t.get("question") for t in item.get("turns", [])]:
                if isinstance(q, str) and q.strip():
                    out.setdefault(" ".join(q.split()))
    return list(out)


def write_entries(path: Path) -> int:
    """The shipped index's entries as [{"id", "text"}] for bench/naive.py; returns how many."""
    sys.path.insert(0, str(ROOT))
    from bot.engine.coordinator import Engine
    from indexer.settings import load_settings

    engine = Engine.load(load_settings())
    rows = [{"id": e.id, "text": e.text} for e in engine.index.entries]
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    return len(rows)


def timed(cmd: list[str], stdin: str, cwd: Path = ROOT) -> Timing:
    """Run a child to completion; its wall time, its CPU time (from RUSAGE_CHILDREN) and output lines."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, input=stdin, capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                          env=ENV, timeout=TIMEOUT_S, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu, sum(1 for line in proc.stdout.splitlines() if line.strip()))


def per_question(cmd: list[str], questions: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """(wall ms, CPU ms) that each question after the first costs inside one process. A first run
    absorbs a rebuild of the index (its fingerprint covers the code, which may have changed meanwhile);
    start-up varies by more than a few hundred questions cost on a busy machine, so the run of one
    question is the median of `ONE_RUNS`."""
    timed(cmd, questions[0] + "\n", cwd)
    ones = [timed(cmd, questions[0] + "\n", cwd) for _ in range(ONE_RUNS)]
    every = timed(cmd, "\n".join(questions) + "\n", cwd)
    if every.lines != len(questions):
        raise RuntimeError(f"{' '.join(cmd[:4])} answered {every.lines} of {len(questions)} questions")
    n = max(len(questions) - 1, 1)
    one_wall, one_cpu = statistics.median(o.wall for o in ones), statistics.median(o.cpu for o in ones)
    return 1000 * max(every.wall - one_wall, 0.0) / n, 1000 * max(every.cpu - one_cpu, 0.0) / n


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} (min {min(values):.2f}, max {max(values):.2f})"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.reading_cost", description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="repeats (median reported); default 3")
    parser.add_argument("--json", dest="json_out", type=Path, help="also write the figures to this file")
    parser.add_argument("--before", type=Path, help="also time the CLI of this source tree (an earlier copy of "
                        "the project: before and after in the same run)")
    args = parser.parse_args(argv)
    questions = real_traffic_questions()
    ours_cmd = [sys.executable, "-m", "bot", "ask", "--json", "-"]
    load0 = os.getloadavg()
    rows: dict[str, list[float]] = {"ours_wall": [], "ours_cpu": [], "naive_wall": [], "naive_cpu": []}
    if args.before is not None:
        rows.update({"before_wall": [], "before_cpu": []})
    with tempfile.TemporaryDirectory() as tmp:
        entries = Path(tmp) / "entries.json"
        n_entries = write_entries(entries)
        naive_cmd = [sys.executable, "-m", "bench.naive", str(entries)]
        runs = [("ours", ours_cmd, ROOT), ("naive", naive_cmd, ROOT)]
        if args.before is not None:
            runs.append(("before", ours_cmd, args.before.resolve()))
        for _ in range(args.repeats):
            for name, cmd, cwd in runs:
                wall, cpu = per_question(cmd, questions, cwd)
                rows[f"{name}_wall"].append(wall)
                rows[f"{name}_cpu"].append(cpu)
    load1 = os.getloadavg()
    ratio_wall = [a / b for a, b in zip(rows["ours_wall"], rows["naive_wall"], strict=True) if b]
    ratio_cpu = [a / b for a, b in zip(rows["ours_cpu"], rows["naive_cpu"], strict=True) if b]
    before = [a / b for a, b in zip(rows.get("before_cpu", []), rows["naive_cpu"], strict=False) if b]
    print(f"{len(questions)} real-traffic questions, {n_entries} shipped entries, {args.repeats} repeats")
    print(f"load average before {load0[0]:.2f} {load0[1]:.2f} {load0[2]:.2f}, "
          f"after {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} ({os.cpu_count()} CPUs)")
    print("per question, ms: median (spread)")
    for key, values in rows.items():
        print(f"  {key:<11} {_spread(values)}   runs {', '.join(f'{v:.2f}' for v in values)}")
    print(f"  ratio wall  {_spread(ratio_wall)}")
    print(f"  ratio cpu   {_spread(ratio_cpu)}")
    if before:
        print(f"  before/naive cpu {_spread(before)}")
    report = {"questions": len(questions), "entries": n_entries, "repeats": args.repeats,
              "load_before": list(load0), "load_after": list(load1), **rows,
              "ratio_wall": ratio_wall, "ratio_cpu": ratio_cpu,
              "ratio_wall_median": statistics.median(ratio_wall) if ratio_wall else None,
              "ratio_cpu_median": statistics.median(ratio_cpu) if ratio_cpu else None}
    if args.json_out is not None:
        args.json_out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
