"""`python -m bench`: the project's speed and memory benchmark (run from the source checkout; `make bench`).

The benchmark lives outside the runtime package `bot`: a deployment never imports it, and it may use
libraries (bm25s, wrk) a deployment does not install. bench/README.md says what each figure means.
"""
from __future__ import annotations

import logging
from pathlib import Path

import click

from bench.run import BenchOptions, run_bench
from indexer.settings import PROJECT_ROOT, ConfigError, load_settings

# Question files the HTTP load sends by default: the held-out sets kept in this repository.
DEFAULT_EVAL_DIR = PROJECT_ROOT / "bench" / "real_traffic"


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", envvar="ZWGK_CONFIG", type=click.Path(dir_okay=False),
              help="Settings file (default: config.toml in the project root).")
@click.option("--entries", default=200_000, show_default=True, help="Size of the scaled corpus.")
@click.option("--queries", default=300, show_default=True, help="Questions timed per corpus.")
@click.option("--skip-scaled", is_flag=True, help="Only benchmark the shipped corpus.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=0),
              help="Uncached HTTP load against 1 and this many worker processes (0: no HTTP load).")
@click.option("--eval-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_EVAL_DIR,
              show_default=True, help="Folder of *.jsonl question files whose questions the HTTP load sends.")
@click.option("--seconds", default=10.0, show_default=True, help="Length of each HTTP load run.")
@click.option("--connections", default=16, show_default=True, help="Concurrent HTTP connections.")
@click.option("-v", "--verbose", is_flag=True, help="Log index builds and server output.")
def main(config: str | None, entries: int, queries: int, skip_scaled: bool, workers: int,
         eval_dir: Path, seconds: float, connections: int, verbose: bool) -> None:
    """Benchmark build/load, start-up, latency per question kind, memory, BM25 libraries and HTTP load."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING)
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    options = BenchOptions(scaled_entries=0 if skip_scaled else entries, n_queries=queries, workers=workers,
                           eval_dir=eval_dir if eval_dir.is_dir() else None, http_seconds=seconds,
                           connections=connections)
    run_bench(settings, options)


if __name__ == "__main__":
    main()
