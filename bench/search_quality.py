"""Search-quality benchmark: helpgen against Material for MkDocs and plain lunr on query sets.

    python bench/search_quality.py [--corpus-root ../shared/corpora] [--json ranks.json]

Every `*/*/queries.jsonl` below the corpus root is one query set; its folder is the content root.
Each system ranks every query; the score is MRR@10 and recall@1/3/10 over article paths.
The helpers for building and serving sites and for driving Chromium are shared with
bench/search_speed.py.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import tool
from corpus import MKDOCS_EXTENSIONS
from measure import ENV, note

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
SYSTEMS = ("helpgen", "material", "lunr")
LABELS = {"helpgen": "helpgen", "material": "Material for MkDocs", "lunr": "plain lunr"}
TARGET = 1.25  # helpgen MRR@10 / Material MRR@10
TOP = 10

# Material's search runs in a Web Worker. This init script wraps `Worker` so the page keeps a
# log of its messages (0 setup, 1 ready, 2 query, 3 result) with performance.now() stamps.
WORKER_HOOK = """
(() => {
  const B = window.__hgbench = window.__hgbench || {log: [], workerAt: null, readyAt: null};
  const Native = window.Worker;
  if (!Native) return;
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    B.workerAt = performance.now();
    worker.addEventListener('message', (e) => {
      const type = e.data && e.data.type;
      if (type === 1 && B.readyAt === null) B.readyAt = performance.now();
      B.log.push(['msg', performance.now(), type]);
    });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      const type = message && message.type;
      B.log.push(['post', performance.now(), type, type === 2 ? String(message.data) : null]);
      return post(message, ...rest);
    };
    return worker;
  };
  window.Worker.prototype = Native.prototype;
})();
"""

MATERIAL_INPUT = "input.md-search__input, [data-md-component=search-query]"


# ------------------------------------------------------------------------------- shared helpers
class BenchError(RuntimeError):
    """A step of the benchmark failed; the message says which and why."""


def run(cmd: list[str], cwd: Path, timeout: float, what: str) -> None:
    """Run a command; BenchError with the tail of stderr if it fails or times out."""
    try:
        done = subprocess.run(
            cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, timeout=timeout,
        )  # fmt: skip
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"{what}: timed out after {timeout:.0f}s") from e
    except OSError as e:
        raise BenchError(f"{what}: {e}") from e
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-8:])
        raise BenchError(f"{what} failed (exit {done.returncode}):\n{tail}")


def build_helpgen(content: Path, out: Path, work: Path, timeout: float = 900) -> Path:
    """Zero-config helpgen build of a content folder (a temp site whose `content` links to it)."""
    site = work / f"site-{out.name}"
    site.mkdir(parents=True, exist_ok=True)
    link = site / "content"
    if not link.exists():
        link.symlink_to(content.resolve(), target_is_directory=True)
    shutil.rmtree(out, ignore_errors=True)
    run([*tool("helpgen"), "build", "-o", str(out)], site, timeout, f"helpgen build of {content}")
    return out


def build_material(
    docs: Path, out: Path, work: Path, timeout: float = 900, home_nav: bool = False
) -> Path:
    """Material for MkDocs build of a folder of Markdown (its own docs_dir, via a symlink).

    With `home_nav`, the nav lists the home page only. Every page is still built and indexed
    (search_index.json is byte for byte the same), but pages no longer each carry the whole
    tree, which makes big builds linear instead of quadratic.
    """
    project = work / f"mkdocs-{out.name}"
    project.mkdir(parents=True, exist_ok=True)
    link = project / "docs"
    if not link.exists():
        link.symlink_to(docs.resolve(), target_is_directory=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Search benchmark\n"
        "docs_dir: docs\n"
        "use_directory_urls: true\n"
        "theme:\n"
        "  name: material\n"
        "  font: false\n"  # no Google Fonts request: the benchmark stays on 127.0.0.1
        + MKDOCS_EXTENSIONS
        + (_home_nav(docs) if home_nav else ""),
        encoding="utf-8",
    )
    shutil.rmtree(out, ignore_errors=True)
    run([*tool("mkdocs"), "build", "-q", "-d", str(out)], project, timeout, "mkdocs build")
    if not (out / "search" / "search_index.json").is_file():
        raise BenchError(f"mkdocs build wrote no search/search_index.json in {out}")
    return out


def _home_nav(docs: Path) -> str:
    """A `nav:` with one entry: the home page (or the first page)."""
    for name in ("index.md", "README.md", "_index.md"):
        if (docs / name).is_file():
            return f"nav:\n  - {json.dumps(name)}\n"
    first = min((p.relative_to(docs).as_posix() for p in docs.rglob("*.md")), default=None)
    return f"nav:\n  - {json.dumps(first)}\n" if first else ""


def material_home(site: Path) -> str:
    """Site-relative URL of the page to search from: the home page, else the shallowest page."""
    if (site / "index.html").is_file():
        return ""
    pages = sorted(
        (p.parent.relative_to(site) for p in site.glob("*/**/index.html")),
        key=lambda p: (len(p.parts), str(p)),
    )
    if not pages:
        raise BenchError(f"no pages in the MkDocs build {site}")
    return pages[0].as_posix() + "/"


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files; instead of printing, optionally appends (perf_counter, path, status)."""

    def __init__(self, *args: Any, requests: list[tuple[float, str, int]] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.requests = requests
        super().__init__(*args, **kwargs)

    extensions_map = {  # noqa: RUF012
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.requests is not None:
            status = int(code) if str(code).isdigit() else 0
            self.requests.append((time.perf_counter(), unquote(urlsplit(self.path).path), status))

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):
            super().handle()


@contextlib.contextmanager
def serve(folder: Path, requests: list[tuple[float, str, int]] | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (random port) in a thread; yields the base URL.

    With `requests`, every response is logged there as (time.perf_counter(), path, status).
    """
    handler = functools.partial(_QuietHandler, directory=str(folder), requests=requests)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright, sync API)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise BenchError("playwright is not installed (pip install playwright)") from e
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def url_to_source(url: str, docs: Path) -> str | None:
    """Source path of a MkDocs page URL: `a/b/` is a/b.md, a/b/index.md or a/b/_index.md."""
    path = unquote(urlsplit(url).path).strip("/")
    if path.endswith(".html"):
        path = path.removesuffix("index.html").removesuffix(".html").strip("/")
    names = [f"{path}.md", f"{path}/index.md", f"{path}/_index.md", f"{path}/README.md"]
    if not path:
        names = ["index.md", "_index.md", "README.md"]
    for name in names:
        if (docs / name).is_file():
            return name
    return None


def wait_material_ready(page: Any, timeout_ms: float = 60_000) -> None:
    """Wait until Material's search worker has answered the setup message."""
    page.wait_for_function(
        "window.__hgbench && window.__hgbench.readyAt !== null", timeout=timeout_ms
    )


def wait_material_settled(page: Any, limit_s: float = 1.0) -> None:
    """Wait for the worker's answer to the box's current value, then for the DOM to settle.

    Settled: the result meta text and the first links are unchanged for 150 ms (at most
    `limit_s` after the answer arrived).
    """
    page.wait_for_function(
        """(sel) => {
          const box = document.querySelector(sel), log = window.__hgbench.log;
          let post = -1;
          for (let i = log.length - 1; i >= 0; i--) if (log[i][0] === 'post' && log[i][2] === 2) {
            post = i; break;
          }
          if (post < 0 || !box || log[post][3] !== box.value) return false;
          return log.slice(post + 1).some((e) => e[0] === 'msg' && e[2] === 3);
        }""",
        arg=MATERIAL_INPUT,
        timeout=30_000,
        polling=20,
    )
    state = """() => {
      const meta = document.querySelector('.md-search-result__meta');
      const links = [...document.querySelectorAll('.md-search-result__link')].slice(0, 40);
      return (meta ? meta.textContent : '') + '|' + links.map((a) => a.href).join(' ');
    }"""
    deadline = time.monotonic() + limit_s
    last, since = page.evaluate(state), time.monotonic()
    while time.monotonic() < deadline:
        page.wait_for_timeout(30)
        now = page.evaluate(state)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= 0.15:
            return


def material_result_pages(page: Any, docs: Path, limit: int = TOP) -> list[str]:
    """Source paths of the unique pages among Material's result links, in order."""
    hrefs: list[str] = page.eval_on_selector_all(
        ".md-search-result__link", "els => els.map((a) => a.href)"
    )
    out: list[str] = []
    for href in hrefs:
        source = url_to_source(href, docs) or f"?{urlsplit(href).path}"
        if source not in out:
            out.append(source)
        if len(out) == limit:
            break
    return out


def print_table(head: list[str], rows: list[list[str]], left: tuple[int, ...] = (0,)) -> None:
    """Aligned plain-text table: the `left` columns left-aligned, the others right-aligned."""
    lines = [head, *rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


# ---------------------------------------------------------------------------------- the queries
@dataclass
class Query:
    """One line of a queries.jsonl."""

    query: str
    answers: list[str]
    kind: str = ""


@dataclass
class QuerySet:
    """A language folder and its queries."""

    name: str  # e.g. tor-support/en
    root: Path
    queries: list[Query]


@dataclass
class Outcome:
    """One system's top results for every query of a set (or why it has none)."""

    tops: list[list[str]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0


def load_sets(corpus_root: Path) -> list[QuerySet]:
    """Every */*/queries.jsonl below the corpus root."""
    sets = []
    for path in sorted(corpus_root.glob("*/*/queries.jsonl")):
        queries = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                queries.append(Query(item["query"], list(item["answers"]), item.get("kind", "")))
            except (ValueError, KeyError, TypeError) as e:
                raise BenchError(f"{path}:{n}: not a query line ({e})") from e
        name = f"{path.parent.parent.name}/{path.parent.name}"
        sets.append(QuerySet(name, path.parent, queries))
    return sets


def rank_of(top: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first answer among the top results."""
    wanted = set(answers)
    for i, source in enumerate(top[:TOP], 1):
        if source in wanted:
            return i
    return None


def scores(ranks: list[int | None]) -> dict[str, float]:
    """MRR@10 and recall@1/3/10 (share of queries with an answer in the top k)."""
    n = len(ranks) or 1
    out = {"mrr10": sum(1 / r for r in ranks if r) / n}
    for k in (1, 3, 10):
        out[f"r{k}"] = sum(1 for r in ranks if r and r <= k) / n
    return out


# ----------------------------------------------------------------------------------- the systems
def rank_helpgen(qs: QuerySet, work: Path, timeout: float) -> Outcome:
    """Zero-config helpgen build, ranked in Python exactly as the browser ranks (live=False)."""
    out = build_helpgen(qs.root, work / "helpgen-out", work, timeout)
    try:
        from helpgen.search.query import Searcher, locale_folder
    except Exception as e:
        raise BenchError(f"helpgen.search.query cannot be imported: {e!r}") from e
    searcher = Searcher.from_folder(locale_folder(out, None))
    tops = []
    for q in qs.queries:
        tops.append([hit.source for hit in searcher.search(q.query, live=False, limit=TOP)])
    return Outcome(tops)


def rank_material(qs: QuerySet, work: Path, timeout: float, delay: float) -> Outcome:
    """Material for MkDocs in Chromium: type each query on a freshly opened page, read results."""
    site = build_material(qs.root, work / "material-out", work, timeout)
    home = material_home(site)
    tops = []
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WORKER_HOOK)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        for n, q in enumerate(qs.queries, 1):
            page.goto(base + home, wait_until="load", timeout=60_000)
            wait_material_ready(page)
            box = page.locator(MATERIAL_INPUT).first
            box.click(timeout=10_000)
            page.keyboard.type(q.query, delay=delay)
            wait_material_settled(page)
            tops.append(material_result_pages(page, qs.root))
            if n % 10 == 0:
                note(f"  material: {n}/{len(qs.queries)} queries")
        context.close()
    if errors:
        note(f"material: {len(errors)} script errors, first: {errors[0]}")
    return Outcome(tops)


LUNR_SYNTAX = re.compile(r"[:*^~+]|(?:(?<=\s)|^)-")


def lunr_escape(query: str) -> str:
    """Backslash-escape lunr query syntax (a '-' is only syntax at the start of a term)."""
    return LUNR_SYNTAX.sub(lambda m: "\\" + m.group(0), query)


def read_article(path: Path) -> tuple[str, str]:
    """(title from the front matter, Markdown body) of an article."""
    import yaml

    text = path.read_text(encoding="utf-8")
    meta: dict[str, Any] = {}
    if text.startswith("---"):
        end = re.search(r"^---\s*$", text[3:], flags=re.M)
        if end:
            with contextlib.suppress(yaml.YAMLError):
                loaded = yaml.safe_load(text[3 : 3 + end.start()])
                meta = loaded if isinstance(loaded, dict) else {}
            text = text[3 + end.end() :]
    return str(meta.get("title") or path.stem), text


def rank_lunr(qs: QuerySet) -> Outcome:
    """lunr.py's defaults over title and body of every page (articles and topic indexes)."""
    from lunr import lunr
    from lunr.exceptions import QueryParseError

    documents = []
    for path in sorted(qs.root.rglob("*.md")):
        title, body = read_article(path)
        documents.append({"id": path.relative_to(qs.root).as_posix(), "title": title, "body": body})
    idx = lunr(ref="id", fields=["title", "body"], documents=documents)
    tops = []
    for q in qs.queries:
        try:
            results = idx.search(lunr_escape(q.query))
        except QueryParseError:
            query = idx.create_query()
            for term in q.query.lower().split():
                query.term(term)
            results = idx.query(query)
        tops.append([r["ref"] for r in results[:TOP]])
    return Outcome(tops)


def attempt(name: str, fn: Callable[[], Outcome]) -> Outcome:
    """Run one system; an Outcome with the error instead of an exception."""
    start = time.perf_counter()
    try:
        outcome = fn()
    except Exception as e:
        note(f"{name}: FAILED: {e}")
        return Outcome(error=str(e).splitlines()[0][:120])
    outcome.seconds = time.perf_counter() - start
    note(f"{name}: done in {outcome.seconds:.1f}s")
    return outcome


# ------------------------------------------------------------------------------------- reporting
def report(qs: QuerySet, outcomes: dict[str, Outcome]) -> dict[str, Any]:
    """Print the tables of one query set; return its JSON record."""
    ranks = {
        name: [rank_of(top, q.answers) for top, q in zip(o.tops, qs.queries, strict=True)]
        for name, o in outcomes.items()
        if o.error is None
    }
    summary = {name: scores(r) for name, r in ranks.items()}
    print()
    print(f"== {qs.name}: {len(qs.queries)} queries ({qs.root})")
    rows = []
    for name in SYSTEMS:
        if name not in outcomes:
            continue
        o = outcomes[name]
        if o.error is not None:
            rows.append([LABELS[name], "error", "-", "-", "-", o.error])
            continue
        s = summary[name]
        rows.append([LABELS[name], f"{s['mrr10']:.3f}", f"{s['r1']:.3f}", f"{s['r3']:.3f}",
                     f"{s['r10']:.3f}", f"{o.seconds:.1f}s"])  # fmt: skip
    print_table(["system", "MRR@10", "R@1", "R@3", "R@10", "time"], rows)
    ratio = None
    if "helpgen" in summary and "material" in summary:
        mat = summary["material"]["mrr10"]
        ratio = summary["helpgen"]["mrr10"] / mat if mat else math.inf
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        print(f"helpgen/Material MRR@10 = {ratio:.2f} (target >= {TARGET:.2f}): {verdict}")
        worst(qs, ranks, outcomes)

    queries = []
    for i, q in enumerate(qs.queries):
        record: dict[str, Any] = {"query": q.query, "answers": q.answers, "kind": q.kind}
        record["ranks"] = {name: r[i] for name, r in ranks.items()}
        record["top"] = {name: outcomes[name].tops[i] for name in ranks}
        queries.append(record)
    errors = {name: o.error for name, o in outcomes.items() if o.error is not None}
    return {"root": str(qs.root), "summary": summary, "ratio_mrr10": ratio, "target": TARGET,
            "errors": errors, "queries": queries}  # fmt: skip


def worst(qs: QuerySet, ranks: dict[str, list[int | None]], outcomes: dict[str, Outcome]) -> None:
    """The 15 queries where helpgen's reciprocal rank falls furthest below Material's."""

    def rr(r: int | None) -> float:
        return 1 / r if r else 0.0

    hg, mk = ranks["helpgen"], ranks["material"]
    order = sorted(range(len(qs.queries)), key=lambda i: (rr(hg[i]) - rr(mk[i]), -(hg[i] or 99)))
    print()
    print("15 queries where helpgen does worst against Material (by reciprocal-rank difference;"
          " ranks, '-' = not in the top 10):")  # fmt: skip
    rows = []
    lunr = ranks.get("lunr")
    for i in order[:15]:
        q = qs.queries[i]
        top = outcomes["helpgen"].tops[i]

        def shown(r: int | None) -> str:
            return str(r) if r else "-"

        rows.append([
            _clip(q.query, 44), _clip(", ".join(q.answers), 40), shown(hg[i]), shown(mk[i]),
            shown(lunr[i]) if lunr else "n/a", _clip(top[0] if top else "(none)", 40),
        ])  # fmt: skip
    print_table(["query", "answer", "hg", "mk", "lunr", "helpgen #1"], rows, left=(0, 1, 5))
    better = sum(1 for a, b in zip(hg, mk, strict=True) if rr(a) > rr(b))
    worse = sum(1 for a, b in zip(hg, mk, strict=True) if rr(a) < rr(b))
    print(f"helpgen ranks the answer higher on {better} queries, lower on {worse}, "
          f"the same on {len(hg) - better - worse}")  # fmt: skip


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus-root", type=Path, default=CORPORA, help="holds */*/queries.jsonl")
    parser.add_argument("--json", type=Path, help="write per-query ranks and top results here")
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="subset of " + ",".join(SYSTEMS)
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per site build")
    parser.add_argument("--type-delay", type=float, default=40, help="ms between typed keys")
    parser.add_argument("--keep", action="store_true", help="keep the temp builds")
    args = parser.parse_args()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")

    sets = load_sets(args.corpus_root)
    if not sets:
        sys.exit(f"no */*/queries.jsonl below {args.corpus_root}")
    record: dict[str, Any] = {"systems": systems, "corpora": {}}
    work = Path(tempfile.mkdtemp(prefix="helpgen-quality-"))
    try:
        for qs in sets:
            note(f"{qs.name}: {len(qs.queries)} queries")
            here = work / qs.name.replace("/", "-")
            here.mkdir(parents=True)
            jobs: dict[str, Callable[[], Outcome]] = {
                "helpgen": lambda qs=qs, here=here: rank_helpgen(qs, here, args.timeout),
                "material": lambda qs=qs, here=here: rank_material(
                    qs, here, args.timeout, args.type_delay
                ),
                "lunr": lambda qs=qs: rank_lunr(qs),
            }
            outcomes = {name: attempt(f"{qs.name} {name}", jobs[name]) for name in systems}
            record["corpora"][qs.name] = report(qs, outcomes)
    finally:
        if args.keep:
            note(f"builds kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        note(f"per-query ranks written to {args.json}")


if __name__ == "__main__":
    main()
