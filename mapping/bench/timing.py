"""Timing helpers for the benchmark: medians of repeated runs, and a process's peak memory."""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["median_seconds", "timed", "peak_memory_mb"]


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``function`` once; return the seconds it took and what it returned.

    >>> seconds, value = timed(lambda: 2 + 2)
    >>> value, seconds >= 0
    (4, True)
    """
    gc.collect()
    started = time.perf_counter()
    value = function()
    return time.perf_counter() - started, value


def median_seconds(
    function: Callable[[], Any], repeats: int, before: Callable[[], Any] | None = None
) -> float:
    """The median time of ``repeats`` runs of ``function``; ``before`` runs untimed first.

    >>> median_seconds(lambda: None, 3) < 0.1
    True
    """
    times = []
    for _ in range(max(1, repeats)):
        if before is not None:
            before()
        times.append(timed(function)[0])
    return float(statistics.median(times))


def peak_memory_mb() -> float:
    """The largest resident memory this process has used so far, in megabytes.

    >>> peak_memory_mb() > 1
    True
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # kilobytes on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
