"""The benchmark (`python -m bench`), kept out of the runtime package `bot`.

bench/run.py runs it; bench/README.md says what each figure means.
"""
from bench.run import BenchOptions, run_bench

__all__ = ["BenchOptions", "run_bench"]
