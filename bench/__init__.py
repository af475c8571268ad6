"""The benchmark (`python -m bench`), kept out of the runtime package `bot`.

bench/run.py runs it (`bench.run.run_bench`); bench/README.md says what each figure means. Nothing is
imported here, so a test can import bench/mix.py without the whole benchmark.
"""
