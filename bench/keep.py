"""A kept scaled index for speed work: build it once, then time questions over it as often as needed.

`python -m bench` builds its scaled index in a temporary directory and removes it (a 1 M build takes
5-10 minutes and about 7 GB). While working on question latency, build once into a directory you keep:

    nice -n 5 python -m bench.keep build 1000000 /some/dir     # build_index + write_index + publish_index
    python -m bench.keep latency /some/dir                     # the benchmark's latency, RSS of a fresh worker

`latency` is the benchmark's own measurement (bench/measure.py `latency` over bench/mix.py's generated
mix, the same repeats, warm-up and per-kind figures, CPU time beside wall time) and the peak RSS of a fresh
process that loads the index and answers one repeat, as `python -m bench` reports them for its scaled corpus.
Neighbours: bench/at_scale.py (the build, `build_main`), bench/measure.py, bench/mix.py.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from bench.at_scale import build_main
from bench.measure import child_rss, engine_over, latency, open_index_dir, progress
from bench.mix import MIX_SIZE, REPEATS, SEED, generate_mix, split_repeats

USAGE = "usage: python -m bench.keep build ENTRIES DIR | latency DIR [JSON_OUT]"


def measure_kept(index_path: Path) -> dict:
    """Latency per kind and a fresh worker's RSS over the index published in `index_path`."""
    from indexer.settings import load_settings

    settings = load_settings()
    engine = engine_over(open_index_dir(index_path), settings)
    progress("generating the question mix")
    runs = split_repeats(generate_mix(engine.index.entries, MIX_SIZE * (REPEATS + 1), SEED), REPEATS + 1)
    progress(f"question latency ({REPEATS} runs of {len(runs[1]):,} distinct questions)")
    out = latency(engine, runs[1:], warm=runs[0])
    progress("peak RSS of a fresh worker answering one run")
    out["rss"] = child_rss("index", index_path, settings, [it.question for it in runs[1]])
    out["load_after"] = os.getloadavg()
    return out


def main(argv: list[str]) -> None:
    if len(argv) >= 3 and argv[0] == "build":
        build_main(argv[1:3])
    elif len(argv) >= 2 and argv[0] == "latency":
        figures = measure_kept(Path(argv[1]))
        text = json.dumps(figures, ensure_ascii=False, indent=1, default=str)
        if len(argv) >= 3:
            Path(argv[2]).write_text(text, encoding="utf-8")
        print(text)
    else:
        raise SystemExit(USAGE)


if __name__ == "__main__":
    main(sys.argv[1:])
