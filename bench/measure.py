"""Time one command in a fresh process: wall clock, CPU (user+sys, its children included) and
peak memory (the largest single process), read from os.wait4."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass(frozen=True)
class Run:
    """One finished command, or why there is none (status: ok, timeout, error, skipped, n/a)."""

    wall: float | None = None
    cpu: float | None = None
    peak: int | None = None  # bytes: ru_maxrss of the process or of its largest waited-for child
    status: str = "skipped"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def run(cmd: list[str], cwd: Path, timeout: float, quiet: bool = False) -> Run:
    """Run `cmd` in `cwd`; kill it after `timeout` seconds. A failure's stderr tail is printed
    unless `quiet`."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if wall >= timeout and proc.returncode != 0:
            return Run(status="timeout")
        if proc.returncode != 0:
            err.seek(0)
            if not quiet:
                tail = "\n".join(err.read().strip().splitlines()[-5:])
                note(f"{' '.join(cmd)} failed in {cwd}:\n{tail}")
            return Run(status="error")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss * 1024, "ok")


def best(runs: list[Run]) -> Run:
    """The fastest run, or the first failure."""
    failed = [r for r in runs if not r.ok]
    return failed[0] if failed else min(runs, key=lambda r: r.wall or 0.0)


def note(message: str) -> None:
    """Progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)
