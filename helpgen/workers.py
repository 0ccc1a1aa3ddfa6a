"""Map a function over many items on every core (forked processes) or in this process.

Forked workers inherit the function and everything it closes over, so nothing is pickled but
the items and the results. Where fork is missing (Windows, macOS' default) work stays here.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_JOBS = 150  # below this, starting processes costs more than it saves

_task: Callable[[Any], Any] | None = None  # set only while a pool of forked workers runs


def cores() -> int:
    """Cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def fork_map(fn: Callable[[T], R], items: Sequence[T], jobs: int | None = None) -> Iterator[R]:
    """`map(fn, items)`, in order. `jobs`: None = every core once there is enough work,
    1 = this process only, N = N forked processes whatever the amount of work."""
    processes = cores() if jobs is None else jobs
    if (
        processes < 2
        or not items
        or (jobs is None and len(items) < PARALLEL_MIN_JOBS)
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(fn, items)
        return
    global _task
    _task = fn
    try:
        chunk = max(1, min(32, len(items) // (processes * 8)))
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(_run, items, chunksize=chunk)
    finally:
        _task = None


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)
