"""`helpgen serve` latency: from saving an edit to an article's body to the page showing it.

    python bench/serve_latency.py [--sizes 1000,5000] [--site DIR ...] [--edits 5]

For each site (a synthetic corpus of each size, or a copy of each --site folder), starts
`helpgen serve`, waits for its first compile, then appends a sentence to one article and polls
the page over HTTP until the sentence is there; the median of --edits edits is the latency
(target: <= 0.5 s at 5,000 articles). Between edits it waits for the search data to be made
again (in the background). One front-matter edit (a whole compile) is timed for comparison.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

from helpgen.urls import page_url

TARGET = 0.5  # seconds, at 5,000 articles
START_TIMEOUT = 1800.0
EDIT_TIMEOUT = 300.0
POLL = 0.01


@dataclass(frozen=True)
class Result:
    name: str
    articles: int
    start: float  # first compile, seconds
    edits: list[float]  # body edits: save -> page shows it
    searched: list[float]  # body edits: save -> search data made again
    full: float  # a front-matter edit: save -> page shows it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="synthetic corpora, articles")
    parser.add_argument("--site", action="append", type=Path, help="a site folder to copy")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        results = []
        for name, make in sites(args, Path(tmp)):
            results.append(measure(name, make(), args.edits))
            show(results[-1])
    print()
    print(f"{'site':<12} {'articles':>8} {'start s':>8} {'edit s (median, min-max)':>26} "
          f"{'search s':>9} {'full s':>7}")  # fmt: skip
    for r in results:
        spread = f"{statistics.median(r.edits):.3f} ({min(r.edits):.3f}-{max(r.edits):.3f})"
        print(
            f"{r.name:<12} {r.articles:>8} {r.start:>8.1f} {spread:>26} "
            f"{statistics.median(r.searched):>9.2f} {r.full:>7.2f}"
        )
    large = [r for r in results if r.articles >= 5000]
    for r in large:
        verdict = "PASS" if statistics.median(r.edits) <= TARGET else "FAIL"
        print(f"{verdict}: {r.name}: body edit shown in {statistics.median(r.edits):.3f} s "
              f"(target <= {TARGET} s at 5,000 articles)")  # fmt: skip


def sites(args: argparse.Namespace, tmp: Path):
    """(name, function making the site's copy) for each site to measure."""
    if args.site:
        for site in args.site:
            yield site.name, lambda site=site: _copy(site, tmp / site.name)
        return
    for size in (int(s) for s in args.sizes.split(",")):

        def make(size: int = size) -> Path:
            out = tmp / f"c{size}"
            generate(out, size)
            return out

        yield f"corpus-{size}", make


def _copy(site: Path, to: Path) -> Path:
    shutil.copytree(site, to, ignore=shutil.ignore_patterns("build", ".build.helpgen"))
    return to


def measure(name: str, root: Path, edits: int) -> Result:
    content = root / "content"
    articles = sorted(p for p in content.rglob("*.md") if p.name != "_index.md")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = open(root.parent / f"{name}.log", "w")  # noqa: SIM115 - open while it runs
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpgen", "serve", "-p", str(port)],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _until(lambda: _state(base)["version"] > 0, START_TIMEOUT)
        start = time.perf_counter() - started
        article = articles[len(articles) // 2]
        url = base + page_url(PurePosixPath(article.relative_to(content).as_posix()))
        shown, searched = [], []
        for n in range(edits):
            _until(lambda: not _state(base)["searching"], EDIT_TIMEOUT)
            token = f"latency{n}x{time.time_ns()}"
            saved = _append(
                article, f"\n\nThis sentence was added by the serve benchmark ({token}).\n"
            )
            shown.append(_until(lambda t=token: t in _get(url), EDIT_TIMEOUT) - saved)
            searched.append(_until(lambda: not _state(base)["searching"], EDIT_TIMEOUT) - saved)
        _until(lambda: not _state(base)["searching"], EDIT_TIMEOUT)
        token = f"described{time.time_ns()}"
        text = article.read_text(encoding="utf-8")
        changed = text.replace("description: ", f'description: "{token}" # ', 1)
        assert changed != text, f"{article} has no description to change"
        article.write_text(changed, encoding="utf-8")
        saved = time.perf_counter()
        full = _until(lambda: token in _get(url), START_TIMEOUT) - saved
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    return Result(name, len(articles), start, shown, searched, full)


def show(r: Result) -> None:
    edits = ", ".join(f"{s:.3f}" for s in r.edits)
    print(f"{r.name}: {r.articles} articles, first compile {r.start:.1f} s; body edits shown "
          f"in {edits} s; search data {statistics.median(r.searched):.2f} s; front-matter "
          f"edit {r.full:.2f} s", flush=True)  # fmt: skip


def _append(path: Path, text: str) -> float:
    """Append `text` to the file; the time it was saved."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)
    return time.perf_counter()


def _until(predicate, timeout: float) -> float:
    """Poll `predicate` until true; the time it first was."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            if predicate():
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(POLL)
    raise TimeoutError("timed out")


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode()


def _state(base: str) -> dict:
    return json.loads(_get(base + "__helpgen/state"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
