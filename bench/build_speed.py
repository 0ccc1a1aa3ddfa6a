"""Build-speed benchmark: helpgen's full and one-edit builds against MkDocs and the
Python-Markdown floor, with output, search and page weight, on synthetic and real corpora.

    python bench/build_speed.py [--sizes 1000,5000] [--corpora] [--runs 1] [--no-mkdocs]

Every build is a fresh process; see bench/README.md for the columns and the targets.
"""

from __future__ import annotations

import argparse
import compileall
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
from measure import Run, best, note, run
from site_stats import SiteStats, site_stats

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPORA = REPO.parent / "shared" / "corpora"
HELPGEN_TIMEOUT = 1800.0
EDIT = "\n\nThis sentence was added by the build benchmark ({n}).\n"


@dataclass(frozen=True)
class Corpus:
    """A site to build: `site` holds helpgen.toml (or none) and content/."""

    name: str
    site: Path
    articles: int
    mkdocs: bool  # build it with MkDocs too (site/mkdocs.yml exists)
    synthetic: bool

    @property
    def content(self) -> Path:
        return self.site / "content"


@dataclass(frozen=True)
class Result:
    """Everything measured on one corpus."""

    corpus: Corpus
    full: Run
    edit: Run
    mkdocs: Run
    floor: Run
    stats: SiteStats | None


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


def has_no_cache() -> bool:
    """Whether `helpgen build` has a --no-cache option."""
    done = subprocess.run([*tool("helpgen"), "build", "--help"], capture_output=True, text=True)
    return "--no-cache" in done.stdout


def clear(out: Path) -> None:
    """Delete an output folder and helpgen's state folder beside it."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f".{out.name}.helpgen", ignore_errors=True)


def articles_in(content: Path) -> list[Path]:
    """Markdown files that are not folder indexes, sorted."""
    return sorted(p for p in content.rglob("*.md") if p.name != "_index.md")


def bench(corpus: Corpus, work: Path, args: argparse.Namespace, no_cache: bool) -> Result:
    """Full build (no cache), one-edit rebuild (cache), MkDocs and the floor on one corpus."""
    out = work / "out" / "site"
    helpgen = [*tool("helpgen"), "build", "-o", str(out)]
    full_cmd = [*helpgen, "--no-cache"] if no_cache else helpgen

    def full() -> Run:
        clear(out)
        return run(full_cmd, corpus.site, HELPGEN_TIMEOUT)

    note(f"{corpus.name}: helpgen full build ...")
    full_run = best([full() for _ in range(args.runs)])
    stats = site_stats(out) if full_run.ok else None

    note(f"{corpus.name}: helpgen one-edit rebuild ...")
    edit_run = Run(status="n/a")
    clear(out)
    if full_run.ok and run(helpgen, corpus.site, HELPGEN_TIMEOUT).ok:  # fills the cache
        article = articles_in(corpus.content)[corpus.articles // 2]
        original = article.read_bytes()
        try:
            edits = []
            for n in range(args.runs):
                with article.open("a", encoding="utf-8") as f:
                    f.write(EDIT.format(n=n + 1))
                edits.append(run(helpgen, corpus.site, HELPGEN_TIMEOUT))
            edit_run = best(edits)
            if edit_run.ok and not shows(out, article, EDIT.format(n=args.runs).strip()):
                note(f"{corpus.name}: the edit to {article.name} is not in its page")
        finally:
            article.write_bytes(original)
    clear(out)

    mkdocs_run = Run(status="n/a" if not corpus.synthetic else "skipped")
    if corpus.mkdocs:
        note(f"{corpus.name}: mkdocs build (timeout {args.timeout:.0f}s) ...")
        mk_out = work / "out" / "mkdocs"
        mk_cmd = [*tool("mkdocs"), "build", "-q", "-d", str(mk_out)]
        mkdocs_run = best([run(mk_cmd, corpus.site, args.timeout) for _ in range(args.runs)])
        shutil.rmtree(mk_out, ignore_errors=True)

    note(f"{corpus.name}: Python-Markdown floor ...")
    floor_cmd = [sys.executable, str(BENCH / "md_floor.py"), str(corpus.content)]
    floor_run = best([run(floor_cmd, REPO, HELPGEN_TIMEOUT) for _ in range(args.runs)])
    return Result(corpus, full_run, edit_run, mkdocs_run, floor_run, stats)


def shows(out: Path, article: Path, text: str) -> bool:
    """Whether a page built from `article` (any locale) holds `text`."""
    pages = out.rglob(f"{article.stem}/index.html")
    return any(text in page.read_text(encoding="utf-8") for page in pages)


def synthetic(work: Path, size: int, seed: int, mkdocs: bool) -> Corpus:
    """Generate a corpus of `size` articles (with mkdocs.yml)."""
    site = work / f"synthetic-{size}"
    start = time.perf_counter()
    generate(site, size, seed)
    note(f"generated {size} articles in {time.perf_counter() - start:.1f}s")
    return Corpus(f"synthetic-{size}", site, size, mkdocs, synthetic=True)


def real_corpora(root: Path, work: Path) -> list[Corpus]:
    """Each ROOT/*/<locale> folder as a zero-config site, and each corpus with several locales
    as one multilingual site (`locales` in helpgen.toml, en first; broken links are warnings,
    as without helpgen.toml). The content is copied, so the one-edit rebuild never writes to
    ROOT."""
    found: list[Corpus] = []
    for corpus in sorted(p for p in root.iterdir() if p.is_dir()):
        locales = sorted(
            (d.name for d in corpus.iterdir() if d.is_dir() and any(d.rglob("*.md"))),
            key=lambda name: (name != "en", name),
        )
        for locale in locales:
            site = work / f"{corpus.name}-{locale}"
            shutil.copytree(corpus / locale, site / "content")
            n = len(articles_in(site / "content"))
            found.append(Corpus(f"{corpus.name}/{locale}", site, n, False, False))
        if len(locales) > 1:
            site = work / f"{corpus.name}-all"
            for locale in locales:
                shutil.copytree(corpus / locale, site / "content" / locale)
            listed = ", ".join(f'"{name}"' for name in locales)
            (site / "helpgen.toml").write_text(
                f'title = "{corpus.name}"\nlocales = [{listed}]\nbroken_links = "warn"\n',
                encoding="utf-8",
            )
            n = len(articles_in(site / "content"))
            found.append(Corpus(f"{corpus.name} (all)", site, n, False, False))
    return found


def human(size: int | None) -> str:
    """Bytes as B, KB or MB (powers of 1000)."""
    if size is None:
        return "-"
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    if size >= 1_000:
        return f"{size / 1e3:.1f} KB"
    return f"{size} B"


def seconds(r: Run, cpu: bool = False) -> str:
    value = r.cpu if cpu else r.wall
    return f"{value:.2f}" if value is not None else r.status


def ratio(a: float | None, b: float | None, percent: bool = False) -> str:
    if not a or not b:
        return "-"
    return f"{100 * a / b:.1f}%" if percent else f"{a / b:.2f}x"


def per_article_ms(r: Result) -> float | None:
    return 1000 * r.full.wall / r.corpus.articles if r.full.wall and r.corpus.articles else None


def print_table(head: list[str], lines: list[list[str]]) -> None:
    """Aligned plain-text table, the first column left-aligned."""
    rows = [head, *lines]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_results(results: list[Result]) -> None:
    """The time table and the output table."""
    head = ["corpus", "articles", "full s", "cpu s", "ms/art", "peak MB", "MB/1k"]
    head += ["edit s", "edit cpu", "edit/full", "mkdocs s", "hg/mk", "floor s", "floor cpu"]
    head += ["hg/floor"]
    lines = []
    for r in results:
        peak = r.full.peak / 1e6 if r.full.peak else None
        ms = per_article_ms(r)
        lines.append(
            [
                r.corpus.name,
                str(r.corpus.articles),
                seconds(r.full),
                seconds(r.full, cpu=True),
                f"{ms:.2f}" if ms else "-",
                f"{peak:.0f}" if peak else "-",
                f"{1000 * peak / r.corpus.articles:.0f}" if peak and r.corpus.articles else "-",
                seconds(r.edit),
                seconds(r.edit, cpu=True),
                ratio(r.edit.wall, r.full.wall, percent=True),
                seconds(r.mkdocs),
                ratio(r.full.wall, r.mkdocs.wall),
                seconds(r.floor),
                seconds(r.floor, cpu=True),
                ratio(r.full.wall, r.floor.wall),
            ]
        )
    print_table(head, lines)
    print()
    head = ["corpus", "files", "pages", "output", "search", "page gz"]
    lines = []
    for r in results:
        s = r.stats
        w = s.weight if s else None
        lines.append(
            [
                r.corpus.name,
                str(s.files) if s else "-",
                str(s.pages) if s else "-",
                human(s.total if s else None),
                human(s.search if s else None),
                human(w.total if w else None),
            ]
        )
    print_table(head, lines)


def print_weight(r: Result) -> None:
    """What one corpus's median article page loads."""
    w = r.stats.weight if r.stats else None
    if w is not None:
        parts = " + ".join(f"{Path(path).name} {human(size)}" for path, size in w.files)
        gone = f" (not on disk: {', '.join(w.missing)})" if w.missing else ""
        print(f"page gz, {r.corpus.name}, {w.page}: {parts}{gone}")


def print_targets(results: list[Result]) -> None:
    """PASS/FAIL of each target, on the synthetic corpora."""
    rows = [r for r in results if r.corpus.synthetic]
    print("targets (synthetic corpora):")
    if not rows:
        print("  n/a   no synthetic corpus was built")
        return
    largest, smallest = rows[-1], rows[0]
    near_5k = min(rows, key=lambda r: abs(r.corpus.articles - 5000))

    def check(passed: bool | None, target: str, shown: str) -> None:
        verdict = "n/a " if passed is None else ("PASS" if passed else "FAIL")
        print(f"  {verdict}  {target:<46} {shown}")

    def value(r: Result, a: float | None, b: float | None) -> float | None:
        return a / b if a and b else None

    edit = value(largest, largest.edit.wall, largest.full.wall)
    check(
        None if edit is None else edit <= 0.05,
        "one-edit rebuild <= 5% of the full build",
        f"{largest.corpus.name}: {ratio(largest.edit.wall, largest.full.wall, percent=True)}",
    )
    floor = value(near_5k, near_5k.full.wall, near_5k.floor.wall)
    check(
        None if floor is None else floor <= 1.5,
        "full build <= 1.5x the Python-Markdown floor",
        f"{near_5k.corpus.name}: {ratio(near_5k.full.wall, near_5k.floor.wall)}",
    )
    timed = [r for r in rows if r.mkdocs.wall]
    near = min(timed, key=lambda r: abs(r.corpus.articles - 1200)) if timed else None
    speedup = value(near, near.mkdocs.wall, near.full.wall) if near else None
    check(
        None if speedup is None else speedup >= 15,
        "full build >= 15x as fast as MkDocs+Material",
        f"{near.corpus.name}: {speedup:.1f}x" if near and speedup else "MkDocs not run",
    )
    w = largest.stats.weight if largest.stats else None
    check(
        None if w is None else w.total <= 30_000,
        "article page weight <= 30 KB gzipped",
        f"{largest.corpus.name}: {human(w.total if w else None)}",
    )
    first, last = per_article_ms(smallest), per_article_ms(largest)
    growth = last / first if first and last and largest is not smallest else None
    check(
        None if growth is None else growth <= 1.2,
        "time per article, largest <= 1.2x smallest",
        f"{largest.corpus.name} / {smallest.corpus.name}: {growth:.2f}x"
        if growth
        else "needs two sizes",
    )


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated article counts")
    parser.add_argument(
        "--mkdocs", action=argparse.BooleanOptionalAction, default=True, help="also time MkDocs"
    )
    parser.add_argument("--mkdocs-max", type=int, default=1500, help="largest size for MkDocs")
    parser.add_argument("--corpora", action="store_true", help="also build the real corpora")
    parser.add_argument("--corpus-root", type=Path, default=CORPORA, help="real corpora folder")
    parser.add_argument("--runs", type=int, default=1, help="runs per build; best is kept")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per MkDocs build")
    parser.add_argument("--seed", type=int, default=7, help="corpus random seed")
    parser.add_argument("--keep", action="store_true", help="keep the generated corpora")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())

    mkdocs = args.mkdocs and ensure_mkdocs()  # before generating: mkdocs.yml picks the theme
    # helpgen's bytecode, as an installed package has it (an editable checkout compiles its
    # modules on first use, or on every run where PYTHONDONTWRITEBYTECODE is set)
    compileall.compile_dir(REPO / "helpgen", quiet=1)
    no_cache = has_no_cache()
    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="helpgen-bench-"))
    results: list[Result] = []
    try:
        corpora = [synthetic(work, n, args.seed, mkdocs and n <= args.mkdocs_max) for n in sizes]
        if args.corpora:
            if args.corpus_root.is_dir():
                corpora += real_corpora(args.corpus_root, work)
            else:
                note(f"no corpora at {args.corpus_root}: skipped")
        for corpus in corpora:
            results.append(bench(corpus, work, args, no_cache))
    finally:
        if args.keep:
            note(f"corpora kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    versions = [f"helpgen {importlib.metadata.version('helpgen')}"]
    versions.append(f"Markdown {importlib.metadata.version('markdown')}")
    if mkdocs:
        theme = "material" if importlib.util.find_spec("material") else "mkdocs"
        versions.append(f"mkdocs {importlib.metadata.version('mkdocs')} (theme {theme})")
    print()
    print(
        f"CPUs: {os.cpu_count()} (usable: {len(os.sched_getaffinity(0))}), "
        f"Python {platform.python_version()}, {', '.join(versions)}; "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    how = "--no-cache" if no_cache else "output and state folders deleted (no --no-cache yet)"
    print(
        f"best of {args.runs} run(s), each a fresh process; full build: {how}; "
        f"MkDocs up to {args.mkdocs_max} articles"
    )
    print()
    print_results(results)
    print()
    if results:
        print_weight(([r for r in results if r.corpus.synthetic] or results)[-1])
    print()
    print_targets(results)


if __name__ == "__main__":
    main()
