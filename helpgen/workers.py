"""Map a function over many items on every core (forked processes) or in this process.

Forked workers inherit the function, the items and everything they close over, so nothing is
pickled but item numbers and the results. Where fork is missing (Windows, macOS' default) work
stays here. A worker that dies (the kernel's out-of-memory killer, a crash, SIGKILL) does not
leave the map waiting: the pool is torn down and a HelpgenError names what it was doing.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.sharedctypes import RawArray
from pathlib import Path
from typing import Any, TypeVar

from .errors import HelpgenError

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_MIN_JOBS = 150  # below this, starting processes costs more than it saves

# set only while a pool of forked workers runs; the workers inherit them
_task: Callable[[Any], Any] | None = None
_items: Sequence[Any] = ()
_busy: Any = None  # RawArray: item number -> pid of the worker on it (0: none)


def cores() -> int:
    """Cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def fork_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    jobs: int | None = None,
    *,
    doing: str = "working",
    name: Callable[[T], str] | None = None,
) -> Iterator[R]:
    """`map(fn, items)`, in order. `jobs`: None = every core once there is enough work,
    1 = this process only, N = N forked processes whatever the amount of work.

    If a worker process dies, HelpgenError: "a worker process died (…) while `doing` NAME",
    NAME the item it was on (`name(item)`, if given), and no worker is left running."""
    processes = cores() if jobs is None else jobs
    if (
        processes < 2
        or not items
        or (jobs is None and len(items) < PARALLEL_MIN_JOBS)
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        yield from map(fn, items)
        return
    global _task, _items, _busy
    _task, _items, _busy = fn, items, RawArray("q", len(items))
    busy = _busy
    workers: dict[int, multiprocessing.process.BaseProcess] = {}
    context = multiprocessing.get_context("fork")
    executor = ProcessPoolExecutor(processes, mp_context=context, initializer=_worker_start)
    try:
        chunk = max(1, min(32, len(items) // (processes * 8)))
        results = executor.map(_run, range(len(items)), chunksize=chunk)  # forks the workers
        workers = {p.pid: p for p in context.active_children() if p.pid is not None}
        try:
            yield from results
        except BrokenProcessPool:
            executor.shutdown(wait=True, cancel_futures=True)
            raise _died(items, busy, workers, doing, name) from None
    finally:
        _task, _items, _busy = None, (), None
        executor.shutdown(wait=True, cancel_futures=True)


@contextmanager
def no_collection() -> Iterator[None]:
    """The cycle collector paused. A build's objects (pages, their HTML, index postings) hold
    no cycles and live until it ends, yet every batch of them makes the collector walk all
    the others again: on large sites that is seconds of the build. Forked workers inherit
    the setting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it cancels what has not started and waits for the
    items in hand (each bounded by its own time limit) before the workers exit. What the
    worker inherits is left out of garbage collection: collecting never walks (or copies)
    the parent's objects again."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def _run(number: int) -> Any:
    assert _task is not None and _busy is not None
    _busy[number] = os.getpid()
    result = _task(_items[number])
    _busy[number] = 0
    return result


def _died(
    items: Sequence[T],
    busy: Any,
    workers: dict[int, multiprocessing.process.BaseProcess],
    doing: str,
    name: Callable[[T], str] | None,
) -> HelpgenError:
    """What to tell about a worker that died: how, and the item it was on if known."""
    dead = {pid for pid, p in workers.items() if p.exitcode not in (0, -signal.SIGTERM)}
    on = [i for i in range(len(items)) if busy[i] and (busy[i] in dead or not dead)]
    how = "out of memory?"
    codes = {workers[pid].exitcode for pid in dead}
    if codes and all(code is not None and code < 0 for code in codes):
        signals = sorted({_signal_name(-code) for code in codes if code is not None})
        how = f"killed by {', '.join(signals)}; out of memory?"
    what = f"a worker process died ({how}) while {doing}"
    path: Path | str | None = None
    if name is not None and on:
        names = [name(items[i]) for i in on]
        if len(names) == 1:
            path = names[0]
        else:
            what += " one of " + ", ".join(names[:5]) + (" …" if len(names) > 5 else "")
    return HelpgenError.at(
        what,
        path,
        hint="run again with --jobs 1 to see the problem in one process; if memory is short, "
        "fewer jobs use less of it",
        code="worker-died",
    )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
