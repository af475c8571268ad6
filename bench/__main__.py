"""`python -m bench`: the project's speed and memory benchmark (run from the source checkout; `make bench`).

The benchmark lives outside the runtime package `bot`: a deployment never imports it, and it may use
libraries (bm25s, wrk) a deployment does not install. bench/README.md says what each figure means.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

import click

from bench.run import BenchOptions, run_bench
from indexer.settings import ConfigError, load_settings


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", envvar="ZWGK_CONFIG", type=click.Path(dir_okay=False),
              help="Settings file (default: config.toml in the project root).")
@click.option("--entries", default=200_000, show_default=True, help="Size of the scaled corpus.")
@click.option("--skip-scaled", is_flag=True, help="Only benchmark the shipped corpus.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=0),
              help="Uncached HTTP load against 1 and this many worker processes (0: no HTTP load).")
@click.option("--seconds", default=10.0, show_default=True, help="Length of each HTTP load run.")
@click.option("--connections", default=16, show_default=True, help="Concurrent HTTP connections.")
@click.option("--think-ms", default=0, show_default=True, type=click.IntRange(min=0),
              help="Mean pause of each HTTP connection between an answer and its next question "
                   "(uniform 0 to twice this; 0: none, each connection asks again at once).")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write every figure to this JSON file.")
@click.option("-v", "--verbose", is_flag=True, help="Log index builds and server output.")
def main(config: str | None, entries: int, skip_scaled: bool, workers: int, seconds: float, connections: int,
         think_ms: int, verbose: bool, json_out: Path | None) -> None:
    """Benchmark build/load, start-up, latency per question kind, memory, BM25 libraries and HTTP load."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    options = BenchOptions(scaled_entries=0 if skip_scaled else entries, workers=workers, http_seconds=seconds,
                           connections=connections, think_ms=think_ms)
    report = run_bench(settings, options)
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
