"""Build-speed benchmark: helpgen against MkDocs on synthetic corpora, plus real sites.

    python bench/build_speed.py [--sizes 300,1000,3000] [--mkdocs/--no-mkdocs]

Each build runs in a fresh subprocess; the best wall-clock time of --runs runs is reported.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate

REPO = Path(__file__).resolve().parent.parent
TOR = REPO.parent / "shared" / "corpora" / "tor-support" / "en"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class Timing:
    """Best wall-clock seconds of a build, or why there is none."""

    seconds: float | None = None
    status: str = "skipped"  # ok, timeout, error, skipped

    def shown(self) -> str:
        return f"{self.seconds:.2f}" if self.seconds is not None else self.status


@dataclass
class Sizes:
    """HTML output statistics of one build."""

    pages: int = 0
    total: int = 0
    largest: int = 0

    @property
    def average(self) -> int:
        return self.total // self.pages if self.pages else 0


@dataclass
class Row:
    """One line of the result table."""

    corpus: str
    articles: int
    helpgen: Timing
    helpgen_sizes: Sizes
    mkdocs: Timing
    mkdocs_sizes: Sizes


def tool(name: str) -> list[str]:
    """The command for a console script, preferring the one next to this Python."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else [sys.executable, "-m", name]


def ensure_mkdocs() -> bool:
    """Make mkdocs (and mkdocs-material, if possible) importable; False if it can't be."""
    if importlib.util.find_spec("mkdocs") and importlib.util.find_spec("material"):
        return True
    for packages in (["mkdocs", "mkdocs-material"], ["mkdocs"]):
        note(f"installing {' '.join(packages)} with pip ...")
        try:
            done = subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", *packages],
                capture_output=True,
                text=True,
                timeout=600,
            )
        except subprocess.TimeoutExpired:
            continue
        importlib.invalidate_caches()
        if done.returncode == 0 and importlib.util.find_spec("mkdocs"):
            return True
    if importlib.util.find_spec("mkdocs"):
        return True
    note("mkdocs could not be installed: skipping MkDocs (run with --no-mkdocs to silence)")
    return False


def note(message: str) -> None:
    """Progress line on stderr."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def timed(cmd: list[str], cwd: Path, out: Path, runs: int, timeout: float) -> Timing:
    """Best wall-clock time of `runs` fresh runs of `cmd` (out is deleted before each)."""
    best: float | None = None
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        try:
            done = subprocess.run(
                cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                text=True, timeout=timeout,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            return Timing(None, "timeout")
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            note(f"{' '.join(cmd)} failed in {cwd}:\n{tail}")
            return Timing(None, "error")
        best = elapsed if best is None else min(best, elapsed)
    return Timing(best, "ok")


def html_sizes(out: Path) -> Sizes:
    """Count and measure every .html file below `out`."""
    sizes = Sizes()
    if not out.is_dir():
        return sizes
    for path in out.rglob("*.html"):
        size = path.stat().st_size
        sizes.pages += 1
        sizes.total += size
        sizes.largest = max(sizes.largest, size)
    return sizes


def sizes_of(timing: Timing, out: Path) -> Sizes:
    """HTML statistics of a finished build; none for a build that timed out or failed."""
    return html_sizes(out) if timing.status == "ok" else Sizes()


def count_articles(content: Path) -> int:
    """Markdown files that are not folder indexes."""
    return sum(1 for p in content.rglob("*.md") if p.name != "_index.md")


def human(size: int) -> str:
    """Bytes as B, KB or MB (powers of 1000)."""
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    if size >= 1_000:
        return f"{size / 1e3:.1f} KB"
    return f"{size} B"


def print_table(rows: list[Row]) -> None:
    """Aligned plain-text table of the rows."""
    head = ["corpus", "articles", "helpgen s", "mkdocs s", "mk/hg"]
    head += ["hg pages", "hg HTML", "hg avg", "hg max", "mk pages", "mk HTML", "mk avg", "mk max"]
    lines = [head]
    for r in rows:
        hg, mk = r.helpgen, r.mkdocs
        ratio = f"{mk.seconds / hg.seconds:.1f}x" if hg.seconds and mk.seconds else "-"
        line = [r.corpus, str(r.articles), hg.shown(), mk.shown(), ratio]
        for sizes in (r.helpgen_sizes, r.mkdocs_sizes):
            if sizes.pages:
                line += [
                    str(sizes.pages), human(sizes.total), human(sizes.average),
                    human(sizes.largest),
                ]  # fmt: skip
            else:
                line += ["-"] * 4
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def bench_synthetic(args: argparse.Namespace, work: Path, size: int, mkdocs: bool) -> Row:
    """Generate a corpus of `size` articles and time both generators on it."""
    corpus = work / f"corpus-{size}"
    start = time.perf_counter()
    generate(corpus, size, args.seed)
    note(f"generated {size} articles in {time.perf_counter() - start:.1f}s: {corpus}")
    hg_out, mk_out = work / "out" / f"helpgen-{size}", work / "out" / f"mkdocs-{size}"
    note(f"helpgen build, {size} articles ...")
    hg = timed([*tool("helpgen"), "build", "-o", str(hg_out)], corpus, hg_out, args.runs, 600)
    mk = Timing()
    if mkdocs:
        note(f"mkdocs build, {size} articles (timeout {args.timeout:.0f}s) ...")
        mk_cmd = [*tool("mkdocs"), "build", "-q", "-d", str(mk_out)]
        mk = timed(mk_cmd, corpus, mk_out, args.runs, args.timeout)
    row = Row(f"synthetic-{size}", size, hg, sizes_of(hg, hg_out), mk, sizes_of(mk, mk_out))
    shutil.rmtree(work / "out", ignore_errors=True)  # keep the temp dir small
    return row


def bench_helpgen_only(name: str, site: Path, content: Path, work: Path, runs: int) -> Row:
    """Time helpgen alone on an existing site (built into the temp dir)."""
    out = work / "out" / f"helpgen-{name}"
    note(f"helpgen build, {name} ...")
    hg = timed([*tool("helpgen"), "build", "-o", str(out)], site, out, runs, 600)
    row = Row(name, count_articles(content), hg, sizes_of(hg, out), Timing(None, "n/a"), Sizes())
    shutil.rmtree(work / "out", ignore_errors=True)
    return row


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="300,1000,3000", help="comma-separated article counts")
    parser.add_argument(
        "--mkdocs", action=argparse.BooleanOptionalAction, default=True, help="also time MkDocs"
    )
    parser.add_argument("--runs", type=int, default=2, help="runs per build; best is kept")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per MkDocs build")
    parser.add_argument("--seed", type=int, default=7, help="corpus random seed")
    parser.add_argument("--tor", type=Path, default=TOR, help="real corpus (one language folder)")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    mkdocs = args.mkdocs and ensure_mkdocs()  # before generating: mkdocs.yml picks the theme
    work = Path(tempfile.mkdtemp(prefix="helpgen-bench-"))
    rows: list[Row] = []
    try:
        for size in sizes:
            rows.append(bench_synthetic(args, work, size, mkdocs))
        if args.tor.is_dir():
            site = work / "tor-site"
            site.mkdir()
            (site / "content").symlink_to(args.tor.resolve(), target_is_directory=True)
            rows.append(bench_helpgen_only("tor-support/en", site, args.tor, work, args.runs))
        else:
            note(f"no real corpus at {args.tor}: skipped")
        rows.append(bench_helpgen_only("demo (repo)", REPO, REPO / "content", work, args.runs))
    finally:
        if args.keep:
            note(f"corpora kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    versions = [f"helpgen {importlib.metadata.version('helpgen')}"]
    if mkdocs:
        theme = "material" if importlib.util.find_spec("material") else "mkdocs"
        versions.append(f"mkdocs {importlib.metadata.version('mkdocs')} (theme {theme})")
    print()
    print(
        f"CPUs: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()}, {', '.join(versions)}"
    )
    print(f"best of {args.runs} runs, wall clock, each a fresh process; sizes: HTML files only")
    print()
    print_table(rows)


if __name__ == "__main__":
    main()
