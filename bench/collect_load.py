"""Load test of `helpgen collect`: many threads POST events over real HTTP, some twice.

    python3 bench/collect_load.py                      # SQLite in a temporary folder
    python3 bench/collect_load.py --db postgres        # a throwaway PostgreSQL (tests/pg.py)
    python3 bench/collect_load.py --db postgresql://user:pw@host/db   # an existing database
    python3 bench/collect_load.py --server gunicorn    # the same app under gunicorn

Starts the collector as a separate process on a free port of 127.0.0.1 (rate limit off), sends
THREADS x EVENTS events, one per POST as navigator.sendBeacon does, plus every DUP_EVERY-th one
again, then checks that the store holds each event exactly once, and prints the posts a second
held. Exit 1 if any post failed or any event was lost or duplicated. Only loopback traffic.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ORIGIN = "https://help.example.com"


def event(run: str, thread: int, i: int) -> dict:
    """A valid event, one of the three kinds, with an id unique to (run, thread, i)."""
    base = {"v": 1, "id": f"{run}-{thread:02d}-{i:05d}", "locale": "en", "page": "en/orders/"}
    kind = i % 3
    if kind == 0:
        return {**base, "type": "vote", "helpful": i % 2 == 0, "comment": f"comment {i}"}
    if kind == 1:
        return {**base, "type": "search", "query": f"refund {i}", "results": i % 7, "clicked": None}
    return {**base, "type": "contact", "channel": "chat"}


def post(host: str, port: int, body: bytes, timeout: float = 30.0) -> int:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        headers = {"Content-Type": "text/plain;charset=UTF-8", "Origin": ORIGIN}
        conn.request("POST", "/events", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def run_load(
    host: str, port: int, threads: int = 16, events: int = 200, dup_every: int = 10
) -> dict:
    """POST threads x events events (and the duplicates) at once; the counts and the time."""
    run = uuid.uuid4().hex[:8]
    statuses: Counter[int | str] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(threads + 1)

    def worker(t: int) -> None:
        mine: Counter[int | str] = Counter()
        start.wait()
        for i in range(events):
            body = json.dumps(event(run, t, i)).encode()
            sends = 2 if dup_every and i % dup_every == 0 else 1
            for _ in range(sends):
                try:
                    mine[post(host, port, body)] += 1
                except OSError as exc:
                    mine[type(exc).__name__] += 1
        with lock:
            statuses.update(mine)

    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    start.wait()
    began = time.perf_counter()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - began
    posts = sum(statuses.values())
    ids = {f"{run}-{t:02d}-{i:05d}" for t in range(threads) for i in range(events)}
    return {"run": run, "ids": ids, "posts": posts, "statuses": statuses, "seconds": seconds}


@contextlib.contextmanager
def collector(db: str, server: str = "helpgen") -> Iterator[tuple[str, int]]:
    """`helpgen collect` (or gunicorn) on a free port of 127.0.0.1 in its own process."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if server == "gunicorn":
        port = _free_port()
        env |= {"HELPGEN_COLLECT_DB": db, "HELPGEN_COLLECT_ORIGINS": ORIGIN}
        env |= {"HELPGEN_COLLECT_RATE_LIMIT": "0"}
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--threads",
            "8",
            "helpgen.feedback.collect:from_env()",
        ]
    else:
        cmd = [
            sys.executable,
            "-m",
            "helpgen",
            "collect",
            "--db",
            db,
            "--port",
            "0",
            "--origin",
            ORIGIN,
            "--rate-limit",
            "0",
        ]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    try:
        if server == "gunicorn":
            _wait_healthy("127.0.0.1", port, proc)
        else:
            first = lines.get(timeout=30)
            found = re.search(r"http://127\.0\.0\.1:(\d+)/events", first)
            if not found:
                raise RuntimeError(f"helpgen collect said: {first}")
            port = int(found.group(1))
        yield "127.0.0.1", port
    except queue.Empty:
        raise RuntimeError("helpgen collect did not start") from None
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    collector.returncode = proc.returncode  # type: ignore[attr-defined]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(host: str, port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and proc.poll() is None:
        with contextlib.suppress(OSError):
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not become healthy")


def stored_ids(db: str, run: str) -> Counter[str]:
    """How many times each of this run's ids is stored."""
    from helpgen.feedback.store import open_store

    with open_store(db) as store:
        return Counter(e["id"] for e in store.events() if e["id"].startswith(run + "-"))


def measure(db: str, threads: int, events: int, dup_every: int, server: str = "helpgen") -> dict:
    with collector(db, server) as (host, port):
        result = run_load(host, port, threads, events, dup_every)
    stored = stored_ids(db, result["run"])
    result["lost"] = len(result["ids"] - stored.keys())
    result["duplicated"] = sum(n - 1 for n in stored.values() if n > 1)
    result["stored"] = sum(stored.values())
    result["per_second"] = result["posts"] / result["seconds"]
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres, a path or a URL")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--events", type=int, default=200, help="unique events per thread")
    parser.add_argument("--dup-every", type=int, default=10, help="re-send every Nth; 0 = none")
    parser.add_argument("--server", choices=["helpgen", "gunicorn"], default="helpgen")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with contextlib.ExitStack() as stack:
        db = args.db
        if db == "sqlite":
            folder = tempfile.mkdtemp(prefix="helpgen-bench-")
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            db = str(Path(folder) / "feedback.sqlite")
        elif db == "postgres":
            from tests.pg import throwaway_postgres

            db = stack.enter_context(throwaway_postgres())
        r = measure(db, args.threads, args.events, args.dup_every, args.server)
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items(), key=str))
    backend = "PostgreSQL" if db.startswith("postgres") else "SQLite"
    print(
        f"{args.server} collect on {backend}: {r['posts']} posts from {args.threads} threads "
        f"in {r['seconds']:.2f}s = {r['per_second']:.0f} posts/s ({statuses}); "
        f"{r['stored']} stored, {r['lost']} lost, {r['duplicated']} duplicated"
    )
    ok = r["statuses"].keys() == {204} and not r["lost"] and not r["duplicated"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
