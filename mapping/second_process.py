"""A second process for compiled work that keeps Python's lock while it runs.

igraph holds the interpreter lock during a computation, so threads cannot share one; on a
machine of two or more cores, half of a large computation can run in this process while the
other half runs in the caller's. The process starts on first use, from a clean "forkserver"
(never a copy of a running app with its threads), with igraph already imported, and stays
for later analyses. Where it cannot start or fails, callers do all the work themselves.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

__all__ = ["available", "submit", "forget"]

#: Modules the process imports once, before any work arrives.
_PRELOAD = ["mapping.analysis.fast_betweenness"]

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def available() -> bool:
    """Whether this machine has a second core and can start the process (not on Windows).

    >>> isinstance(available(), bool)
    True
    """
    if (os.cpu_count() or 1) < 2:
        return False
    return "forkserver" in multiprocessing.get_all_start_methods()


def submit(function: Any, *args: Any) -> Future | None:
    """Run ``function(*args)`` in the second process; ``None`` when there is none to use."""
    global _pool
    if not available():
        return None
    with _lock:
        try:
            if _pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(_PRELOAD)
                _pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
            return _pool.submit(function, *args)
        except (OSError, RuntimeError, ValueError):
            _drop()
            return None


def forget() -> None:
    """Shut the process down (after a failure); the next ``submit`` starts a new one."""
    with _lock:
        _drop()


def _drop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
