"""Benchmarks: seeded synthetic maps at several sizes, every step timed beside its peers.

``python -m mapping bench`` (``make bench``) runs each size in its own process
(:mod:`mapping.bench.worker`), so that its peak memory is its own, prints a table and writes
it, with a description of the machine, to ``BENCHMARKS.md``. Optional peers (igraph,
Chromium, Streamlit's AppTest) are skipped with a note when they are missing.
"""

from mapping.bench.run import SIZES, run_benchmark

__all__ = ["SIZES", "run_benchmark"]
