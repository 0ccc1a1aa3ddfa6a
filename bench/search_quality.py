"""Search-quality benchmark: helpgen against Material for MkDocs and plain BM25, per language.

    python bench/search_quality.py [--corpus DIR ...] [--systems helpgen,material,bm25] [--json F]

A corpus is a folder of locale folders (e.g. tor-support/en, tor-support/fa), each one content
root; a locale's optional queries.jsonl holds {"query", "answers": [paths in the locale]} lines.
A second query set, "headings", comes from every locale's own ## and ### headings (each one the
query for its page; see heading_queries), a third, "questions", from the questions pages declare
(held out of every system's copy), and a fourth, "titles", from every page's title (a known-item
check without a target). The default is every corpus under ../shared/corpora.
Per language and query set: MRR@10 and recall@1/3/10 of each system, helpgen's MRR@10 ratio
to Material and to BM25 against the targets; per language, the mean number of results for the
nonsense queries of bench/nonsense_queries.jsonl (lower is better).
helpgen answers through its CLI (`helpgen search Q --site DIR --json`); a sample of the queries
also goes through the built site's search page in Chromium, which must rank the same. The
helpers for building and serving sites and for driving Chromium are shared with
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
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import tool
from corpus import MKDOCS_EXTENSIONS
from measure import ENV, note

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
NONSENSE = Path(__file__).resolve().parent / "nonsense_queries.jsonl"
HELPGEN = [sys.executable, "-m", "helpgen"]  # the helpgen this Python imports (PYTHONPATH too)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
SYSTEMS = ("helpgen", "material", "bm25")
LABELS = {"helpgen": "helpgen", "material": "Material", "bm25": "BM25"}
TARGETS = {"material": 1.35, "bm25": 1.0}  # helpgen MRR@10 / the system's, in every language
# a language's query sets: its file, its headings, its pages' declared questions, its titles
QUERY_SETS = ("queries.jsonl", "headings", "questions", "titles")
TARGETED = QUERY_SETS[:3]  # titles: a known-item check, near 1.0 for any system
TOP = 10
ALL = 1000  # results asked of helpgen's CLI, to count them for the nonsense queries
UI_LIMIT = 500  # results the search page lists (search-ui.js: find(..., limit: 500))

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
    run([*HELPGEN, "build", "-o", str(out)], site, timeout, f"helpgen build of {content}")
    return out


def build_material(
    docs: Path,
    out: Path,
    work: Path,
    timeout: float = 900,
    home_nav: bool = False,
    language: str | None = None,
) -> Path:
    """Material for MkDocs build of a folder of Markdown (its own docs_dir, via a symlink).

    `language` is the theme's (Material then picks its search language and word separator).
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
        + (f"  language: {language}\n" if language else "")
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
@dataclass(frozen=True)
class Query:
    """One line of a queries.jsonl."""

    query: str
    answers: tuple[str, ...]
    kind: str = ""


@dataclass(frozen=True)
class Nonsense:
    """A query no help center answers, and the script it is written in."""

    query: str
    script: str


@dataclass(frozen=True)
class Language:
    """One locale folder of a corpus (a content root) and its two query sets (maybe empty)."""

    name: str  # e.g. tor-support/en
    locale: str
    root: Path
    queries: tuple[Query, ...]  # its queries.jsonl
    headings: tuple[Query, ...] = ()  # derived from its section headings
    titles: tuple[Query, ...] = ()  # derived from its page titles
    questions: tuple[Query, ...] = ()  # its pages' front-matter questions, held out

    @property
    def sets(self) -> dict[str, tuple[Query, ...]]:
        """The query sets by name, in report order."""
        sets = (self.queries, self.headings, self.questions, self.titles)
        return dict(zip(QUERY_SETS, sets, strict=True))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The objects of a JSON-lines file (blank lines skipped)."""
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except ValueError as e:
                raise BenchError(f"{path}:{n}: not JSON ({e})") from e
    return items


def load_corpus(corpus: Path) -> list[Language]:
    """Every folder of the corpus that holds Markdown is a language; queries.jsonl is optional."""
    languages = []
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        if not any(folder.rglob("*.md")):
            continue
        queries = []
        path = folder / "queries.jsonl"
        for item in read_jsonl(path) if path.is_file() else []:
            try:
                queries.append(Query(item["query"], tuple(item["answers"]), item.get("kind", "")))
            except (KeyError, TypeError) as e:
                raise BenchError(f"{path}: not a query line: {item!r}") from e
        name = f"{corpus.name}/{folder.name}"
        languages.append(
            Language(
                name,
                folder.name,
                folder,
                tuple(queries),
                heading_queries(folder),
                title_queries(folder),
                question_queries(folder),
            )
        )
    return languages


HEADING = re.compile(r"^ {0,3}#{2,3}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")  # ## and ### (ATX)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADINGS_PER_PAGE = 3
HEADINGS_PER_LANGUAGE = 150
MARKUP = (
    (re.compile(r"\s+\{[#.:][^}]*\}$"), ""),  # attribute list: {#id .class}
    (re.compile(r"!?\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),  # links, images: their text
    (re.compile(r"<[^>]+>"), ""),  # HTML tags
    (re.compile(r"(`+)\s?(.*?)\s?\1"), r"\2"),  # code spans
    (re.compile(r"(\*\*|\*|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # emphasis with * and ~
    (re.compile(r"(?<!\w)(__|_)(?=\S)(.+?)(?<=\S)\1(?!\w)"), r"\2"),  # with _, not in words
    (re.compile(r"\\([!-/:-@\[-`{-~])"), r"\1"),  # backslash escapes
)


def plain(markdown: str) -> str:
    """A heading's text without its Markdown, whitespace collapsed."""
    for pattern, repl in MARKUP:
        markdown = pattern.sub(repl, markdown)
    return " ".join(markdown.split())


def headings(body: str) -> list[str]:
    """The plain text of the `##` and `###` headings of a Markdown body (not in code fences)."""
    found, fence = [], ""
    for line in body.splitlines():
        opened = FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
        elif opened:
            fence = opened.group(1)
        elif match := HEADING.match(line):
            found.append(plain(match.group(1)))
    return found


def heading_key(text: str) -> str:
    """What makes two headings (or a heading and a title) the same: case and end punctuation."""
    return re.sub(r"\W+$", "", text.casefold())


def long_enough(text: str) -> bool:
    """At least two words, or with Han or kana in it, at least 4 word characters."""
    if re.search(f"[{CJK}]", text):
        return len(re.findall(r"\w", text)) >= 4
    return sum(1 for word in text.split() if re.search(r"\w", word)) >= 2


def heading_queries(root: Path) -> tuple[Query, ...]:
    """The second query set: each page's own section headings, answered by that page.

    Per page, in path order: its `##`/`###` headings of at least two words (4 characters with
    Han or kana), not its title, not a heading found on another page too, the first 3. Then at
    most 150, spread evenly over the list.
    """
    pages: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.md")):
        title, body = read_article(path)
        own = {heading_key(title)}
        texts = []
        for text in headings(body):
            key = heading_key(text)
            if key and key not in own and long_enough(text):
                own.add(key)
                texts.append(text)
        pages[path.relative_to(root).as_posix()] = texts
    seen = Counter(heading_key(text) for texts in pages.values() for text in texts)
    picked = [
        Query(text, (page,), "heading")
        for page, texts in pages.items()
        for text in [t for t in texts if seen[heading_key(t)] == 1][:HEADINGS_PER_PAGE]
    ]
    return tuple(spread(picked, HEADINGS_PER_LANGUAGE))


TITLES_PER_LANGUAGE = 150


def title_queries(root: Path) -> tuple[Query, ...]:
    """The set that every language has: each page's title, answered by that page
    (titles found on several pages left out); at most 150, spread evenly over the pages in path
    order."""
    titles = {
        p.relative_to(root).as_posix(): read_article(p)[0] for p in sorted(root.rglob("*.md"))
    }
    seen = Counter(heading_key(t) for t in titles.values())
    picked = [Query(" ".join(title.split()), (page,), "title") for page, title in titles.items()
              if seen[heading_key(title)] == 1 and title != Path(page).stem]  # fmt: skip
    return tuple(spread(picked, TITLES_PER_LANGUAGE))


KEPT_META = ("title", "description")  # front matter every system can read


def split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """A page's front matter (empty if none, not YAML or not a mapping) and the text after it."""
    import yaml

    text = path.read_text(encoding="utf-8")
    end = re.search(r"^---\s*$", text[3:], flags=re.M) if text.startswith("---") else None
    if end is None:
        return {}, text
    meta: Any = None
    with contextlib.suppress(yaml.YAMLError):
        meta = yaml.safe_load(text[3 : 3 + end.start()])
    return (meta if isinstance(meta, dict) else {}), text[3 + end.end() :]


def question_queries(root: Path) -> tuple[Query, ...]:
    """The set of questions pages declare (`questions:` in their front matter), each answered by
    its page. Every system searches a held_out copy of the language without them."""
    found = []
    for path in sorted(root.rglob("*.md")):
        asked, page = split_front_matter(path)[0].get("questions"), path.relative_to(root)
        for q in asked if isinstance(asked, list) else []:
            found.append(Query(" ".join(str(q).split()), (page.as_posix(),), "question"))
    return tuple(found)


def held_out(lang: Language, work: Path) -> Language:
    """For a language with declared questions: the language searched from a copy of its folder
    whose front matter keeps the title and description only (no questions, which helpgen
    indexes; no keywords, audiences or icons, which only helpgen reads)."""
    import yaml

    if not lang.questions:
        return lang
    copy = work / "held-out"
    shutil.copytree(lang.root, copy, symlinks=True, dirs_exist_ok=True)
    for path in sorted(copy.rglob("*.md")):
        meta, body = split_front_matter(path)
        if meta:
            kept = {k: meta[k] for k in KEPT_META if k in meta}
            head = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1 << 20)
            # the body starts with the closing fence's own newline
            path.write_text(f"---\n{head}---{body}", encoding="utf-8")
    return replace(lang, root=copy)


def load_nonsense(path: Path = NONSENSE) -> tuple[Nonsense, ...]:
    """The nonsense queries: {"query", "script"} lines."""
    return tuple(Nonsense(item["query"], item["script"]) for item in read_jsonl(path))


# ----------------------------------------------------------------------------------- the metrics
def rank_of(top: tuple[str, ...] | list[str], answers: tuple[str, ...] | list[str]) -> int | None:
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


# -------------------------------------------------------------------------------------- BM25
CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"  # kana and Han: no spaces between words
TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")


def tokens(text: str) -> list[str]:
    """Lower-cased runs of word characters; each Han or kana character is a word of its own."""
    return TOKEN.findall(text.lower())


@dataclass(frozen=True)
class BM25:
    """Okapi BM25 over whole documents: no stemming, no fields, no stop words."""

    ids: tuple[str, ...]
    freqs: tuple[Counter[str], ...]
    df: Counter[str]
    avgdl: float
    k1: float = 1.2
    b: float = 0.75

    @classmethod
    def of(cls, docs: dict[str, str]) -> BM25:
        """Index {id: text}."""
        freqs = tuple(Counter(tokens(text)) for text in docs.values())
        df = Counter(term for f in freqs for term in f)
        avgdl = sum(f.total() for f in freqs) / (len(freqs) or 1)
        return cls(tuple(docs), freqs, df, avgdl)

    def idf(self, term: str) -> float:
        """ln(1 + (N - df + 0.5) / (df + 0.5)): never negative."""
        df = self.df[term]
        return math.log(1 + (len(self.ids) - df + 0.5) / (df + 0.5))

    def search(self, query: str) -> list[tuple[str, float]]:
        """(id, score) of every document holding a query word, best first (ties by id)."""
        terms = set(tokens(query))
        found = []
        for doc, f in zip(self.ids, self.freqs, strict=True):
            norm = self.k1 * (1 - self.b + self.b * f.total() / (self.avgdl or 1))
            score = sum(self.idf(t) * f[t] * (self.k1 + 1) / (f[t] + norm) for t in terms if f[t])
            if score > 0:
                found.append((doc, score))
        return sorted(found, key=lambda item: (-item[1], item[0]))


def read_article(path: Path) -> tuple[str, str]:
    """(title from the front matter, Markdown body) of an article."""
    meta, body = split_front_matter(path)
    return str(meta.get("title") or path.stem), body


# ----------------------------------------------------------------------------------- the systems
@dataclass(frozen=True)
class Answer:
    """One system's answer to one query."""

    sources: tuple[str, ...]  # the top results' source paths
    count: int  # every result it returned
    urls: tuple[str, ...] = ()  # helpgen: the top results' site URLs


@dataclass(frozen=True)
class Outcome:
    """One system's answers to every query of a language (or why it has none)."""

    answers: tuple[Answer, ...] = ()
    error: str | None = None
    seconds: float = 0.0


def rank_helpgen(site: Path, locale: str, texts: list[str]) -> Outcome:
    """`helpgen search Q --site SITE --json` for every query, two at a time."""
    with ThreadPoolExecutor(2) as pool:
        return Outcome(tuple(pool.map(lambda q: cli_search(site, locale, q), texts)))


def cli_search(site: Path, locale: str, query: str) -> Answer:
    """helpgen's CLI on a built site; --locale only where the site has several languages."""
    cmd = [*HELPGEN, "search", "--site", str(site), "--json", "--limit", str(ALL)]
    if not (site / "search" / "index.json").is_file():
        cmd += ["--locale", locale]
    try:
        done = subprocess.run(
            [*cmd, "--", query], env=ENV, capture_output=True, text=True, timeout=120
        )  # fmt: skip
    except subprocess.TimeoutExpired as e:
        raise BenchError(f"helpgen search {query!r}: timed out") from e
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-2:])
        raise BenchError(f"helpgen search {query!r} failed (exit {done.returncode}): {tail}")
    rows = json.loads(done.stdout)
    top = rows[:TOP]
    return Answer(tuple(r["source"] for r in top), len(rows), tuple(r["url"] for r in top))


def material_language(locale: str) -> str | None:
    """Material's name for a locale (zh-CN is zh), None if Material has no such language."""
    try:
        import material
    except ImportError:
        return None
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    for name in (locale, locale.split("-")[0]):
        if (languages / f"{name}.html").is_file():
            return name
    return None


def rank_material(lang: Language, texts: list[str], work: Path, timeout: float) -> Outcome:
    """Material for MkDocs in Chromium: each query filled into the search box of one page."""
    site = build_material(lang.root, work / "material-out", work, timeout,
                          language=material_language(lang.locale))  # fmt: skip
    answers = []
    with serve(site) as base, chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WORKER_HOOK)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + material_home(site), wait_until="load", timeout=60_000)
        wait_material_ready(page)
        box = page.locator(MATERIAL_INPUT).first
        box.click(timeout=10_000)
        for text in texts:
            box.fill(text)
            box.press("End")  # Material searches on keyup, not on input
            wait_material_settled(page)
            answers.append(
                Answer(tuple(material_result_pages(page, lang.root)), material_count(page))
            )
        context.close()
    if errors:
        note(f"material: {len(errors)} script errors, first: {errors[0]}")
    return Outcome(tuple(answers))


def material_count(page: Any) -> int:
    """The number in Material's result meta ("12 matching documents"); 0 if it shows none."""
    meta = page.eval_on_selector(".md-search-result__meta", "el => el.textContent") or ""
    found = re.search(r"\d+", meta)
    return int(found.group()) if found else 0


def rank_bm25(lang: Language, texts: list[str]) -> Outcome:
    """BM25 over title and Markdown body of every page (articles and topic indexes)."""
    docs = {}
    for path in sorted(lang.root.rglob("*.md")):
        title, body = read_article(path)
        docs[path.relative_to(lang.root).as_posix()] = f"{title}\n{body}"
    index = BM25.of(docs)
    answers = []
    for text in texts:
        found = index.search(text)
        answers.append(Answer(tuple(doc for doc, _ in found[:TOP]), len(found)))
    return Outcome(tuple(answers))


def attempt(name: str, fn: Callable[[], Outcome]) -> Outcome:
    """Run one system; an Outcome with the error instead of an exception."""
    start = time.perf_counter()
    try:
        outcome = fn()
    except Exception as e:
        note(f"{name}: FAILED: {e}")
        return Outcome(error=str(e).splitlines()[0][:120])
    outcome = replace(outcome, seconds=time.perf_counter() - start)
    note(f"{name}: done in {outcome.seconds:.1f}s")
    return outcome


# ------------------------------------------------------------------------- browser UI = CLI?
@dataclass(frozen=True)
class UiCheck:
    """The search page against the CLI on a sample of queries."""

    checked: int = 0
    differences: tuple[dict[str, Any], ...] = ()
    error: str | None = None


UI_READ = """(top) => {
  const out = document.querySelector('[data-search-output]');
  const items = out ? [...out.querySelectorAll('li.search-result')] : [];
  return {n: items.length, top: items.slice(0, top).map((li) => {
    const a = li.querySelector('a.search-result-link');
    return a ? a.href : null;
  })};
}"""


def spread(items: list[Any], n: int) -> list[Any]:
    """n items evenly spaced through the list (all of them if it has no more)."""
    if len(items) <= n:
        return list(items)
    return [items[i * len(items) // n] for i in range(n)]


def check_ui(site: Path, picks: list[tuple[str, Answer]]) -> UiCheck:
    """Open the site's search page at ?q=Q for each pick; its top 10 links and result count must
    be the CLI's (the count up to the page's 500)."""
    folder = "search/" if (site / "search" / "index.html").is_file() else None
    if folder is None:
        found = sorted(site.glob("*/search/index.html"))
        if not found:
            return UiCheck(error="no search page in the build")
        folder = found[0].parent.relative_to(site).as_posix() + "/"
    differences = []
    try:
        with serve(site) as base, chromium() as browser:
            page = browser.new_page()
            for text, cli in picks:
                page.goto(f"{base}{folder}?{urlencode({'q': text})}", wait_until="load")
                page.wait_for_selector(
                    "[data-search-output] .search-results, [data-search-output] .search-empty,"
                    " [data-search-output] .search-error",
                    state="attached", timeout=30_000,
                )  # fmt: skip
                shown = page.evaluate(UI_READ, TOP)
                urls = tuple(site_path(href, base) for href in shown["top"])
                want = tuple(unquote(u) for u in cli.urls)
                if urls != want or shown["n"] != min(cli.count, UI_LIMIT):
                    differences.append({"query": text, "ui": list(urls), "ui_count": shown["n"],
                                        "cli": list(want), "cli_count": cli.count})  # fmt: skip
    except Exception as e:
        return UiCheck(len(picks), tuple(differences), str(e).splitlines()[0][:120])
    return UiCheck(len(picks), tuple(differences))


def site_path(href: str | None, base: str) -> str:
    """A result link as a site-root path with its #anchor (the CLI's `url`)."""
    if not href:
        return "(no link)"
    parts = urlsplit(href)
    path = unquote(parts.path).removeprefix(urlsplit(base).path)
    return path + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


# ------------------------------------------------------------------------------------- reporting
def summarize(
    lang: Language, nonsense: tuple[Nonsense, ...], outcomes: dict[str, Outcome]
) -> dict[str, Any]:
    """Nonsense counts of one language and, per query set, scores, ratios and every answer."""
    ok = {name: o for name, o in outcomes.items() if o.error is None}
    sets, start = {}, 0
    for set_name, queries in lang.sets.items():
        part = {name: o.answers[start : start + len(queries)] for name, o in ok.items()}
        wanted = set(TARGETS) & set(outcomes) if set_name in TARGETED else set()
        sets[set_name] = summarize_set(queries, part, wanted)
        start += len(queries)
    systems: dict[str, Any] = {}
    for name, o in outcomes.items():
        if o.error is not None:
            systems[name] = {"error": o.error}
            continue
        counts = [a.count for a in o.answers[start:]]
        by_script: dict[str, list[int]] = {}
        for item, count in zip(nonsense, counts, strict=True):
            by_script.setdefault(item.script, []).append(count)
        systems[name] = {
            "nonsense_results": sum(counts) / (len(counts) or 1),
            "nonsense_empty": sum(1 for c in counts if c == 0) / (len(counts) or 1),
            "nonsense_by_script": {s: sum(c) / len(c) for s, c in by_script.items()},
            "seconds": round(o.seconds, 1),
        }
    junk = [{"query": item.query, "script": item.script,
             "results": {s: o.answers[start + i].count for s, o in ok.items()}}
            for i, item in enumerate(nonsense)]  # fmt: skip
    return {"root": str(lang.root), "systems": systems, "sets": sets, "nonsense": junk}


def summarize_set(
    queries: tuple[Query, ...], answers: dict[str, tuple[Answer, ...]], wanted: set[str]
) -> dict[str, Any]:
    """One query set of one language: each system's scores, helpgen's ratios, every answer."""
    systems = {
        name: scores([rank_of(a.sources, q.answers) for a, q in zip(got, queries, strict=True)])
        for name, got in answers.items()
        if queries
    }
    ratios: dict[str, float] = {}
    hg = systems.get("helpgen", {}).get("mrr10")
    for other in TARGETS:
        theirs = systems.get(other, {}).get("mrr10")
        if hg is not None and theirs is not None:
            ratios[other] = hg / theirs if theirs else math.inf
    rows = [{"query": q.query, "answers": list(q.answers), "kind": q.kind,
             "ranks": {s: rank_of(got[i].sources, q.answers) for s, got in answers.items()},
             "top": {s: list(got[i].sources) for s, got in answers.items()}}
            for i, q in enumerate(queries)]  # fmt: skip
    return {"queries_n": len(queries), "systems": systems, "ratios": ratios,
            "verdict": verdict(ratios, len(queries), wanted), "queries": rows}  # fmt: skip


def verdict(ratios: dict[str, float], n: int, wanted: set[str]) -> str:
    """PASS if every target ratio is met, FAIL if one is not, n/a without queries or a system."""
    if not n or not wanted or any(ratios.get(s) is None for s in wanted):
        return "n/a"
    return "PASS" if all(ratios[s] >= TARGETS[s] for s in wanted) else "FAIL"


def table(record: dict[str, Any], systems: list[str]) -> None:
    """All languages in one table: per language and query set a row per system, ratios on
    Material's and BM25's rows; nonsense, UI check and time on the language's first rows."""
    rows = []
    for name, lang in record["languages"].items():
        sets = {k: v for k, v in lang["sets"].items() if v["queries_n"]} or {"-": None}
        for j, (set_name, scored) in enumerate(sets.items()):
            for i, system in enumerate(systems):
                s = lang["systems"][system]
                first = [name if i == j == 0 else "", set_name if i == 0 else "", LABELS[system]]
                if "error" in s:
                    rows.append([*first, "error", *[""] * 9, s["error"][:60]])
                    continue
                rows.append([*first, *set_cells(scored, system),
                             *(extra_cells(lang, system) if j == 0 else [""] * 4)])  # fmt: skip
    head = ["language", "queries", "system", "n", "MRR@10", "R@1", "R@3", "R@10", "hg/this",
            "target", "nonsense res/q", "empty", "UI=CLI", "time"]  # fmt: skip
    print_table(head, rows, left=(0, 1, 2, 9))


def set_cells(scored: dict[str, Any] | None, system: str) -> list[str]:
    """n, MRR@10, R@1/3/10, ratio and target of one system on one query set."""
    if scored is None:
        return ["0", *["-"] * 4, "", ""]
    s = scored["systems"].get(system, {})
    cells = [f"{s[k]:.3f}" if k in s else "-" for k in ("mrr10", "r1", "r3", "r10")]
    ratio, target = scored["ratios"].get(system), TARGETS.get(system)
    if ratio is not None and scored["verdict"] == "n/a":
        return [str(scored["queries_n"]), *cells, f"{ratio:.2f}", "(no target)"]
    if ratio is None or target is None:
        return [str(scored["queries_n"]), *cells, "", ""]
    need = f">={target:.2f} {'PASS' if ratio >= target else 'FAIL'}"
    return [str(scored["queries_n"]), *cells, f"{ratio:.2f}", need]


def extra_cells(lang: dict[str, Any], system: str) -> list[str]:
    """Nonsense results per query, share empty, UI=CLI (helpgen's row) and time of a system."""
    s = lang["systems"][system]
    ui, shown_ui = lang.get("ui"), ""
    if system == "helpgen" and ui is not None:
        shown_ui = f"{ui['checked'] - len(ui['differences'])}/{ui['checked']}"
        shown_ui += " (error)" if ui["error"] else ""
    return [f"{s['nonsense_results']:.1f}", f"{s['nonsense_empty']:.0%}", shown_ui,
            f"{s['seconds']:.0f}s"]  # fmt: skip


def helpgen_origin() -> dict[str, str]:
    """Where the helpgen being measured is imported from, and its repository's commit."""
    done = subprocess.run(
        [sys.executable, "-c", "import helpgen; print(helpgen.__file__)"],
        env=ENV, capture_output=True, text=True,
    )  # fmt: skip
    package = Path(done.stdout.strip()).parent
    origin = {"package": str(package)}
    git = ["git", "-C", str(package.parent)]
    head = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True)
    if head.returncode == 0:
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "helpgen", "themes"],
                               capture_output=True, text=True).stdout.strip()  # fmt: skip
        origin["commit"] = head.stdout.strip() + (" (with uncommitted changes)" if dirty else "")
    return origin


def measure(
    lang: Language, nonsense: tuple[Nonsense, ...], systems: list[str], work: Path,
    timeout: float, ui_sample: int,
) -> dict[str, Any]:  # fmt: skip
    """Every system on one language, then the search page against the CLI."""
    lang = held_out(lang, work)
    queries = [q.query for queries in lang.sets.values() for q in queries]
    texts = queries + [item.query for item in nonsense]
    site = work / "helpgen-out"
    jobs: dict[str, Callable[[], Outcome]] = {
        "helpgen": lambda: rank_helpgen(
            build_helpgen(lang.root, site, work, timeout), lang.locale, texts
        ),
        "material": lambda: rank_material(lang, texts, work, timeout),
        "bm25": lambda: rank_bm25(lang, texts),
    }
    outcomes = {name: attempt(f"{lang.name} {name}", jobs[name]) for name in systems}
    record = summarize(lang, nonsense, outcomes)
    hg = outcomes.get("helpgen")
    if hg is not None and hg.error is None and ui_sample > 0:
        n = len(queries)
        pairs = list(zip(texts, hg.answers, strict=True))
        picks = spread(pairs[:n], ui_sample) + spread(pairs[n:], max(1, ui_sample // 2))
        ui = check_ui(site, picks)
        note(f"{lang.name} UI=CLI: {ui.checked - len(ui.differences)}/{ui.checked}"
             + (f" ({ui.error})" if ui.error else ""))  # fmt: skip
        record["ui"] = {"checked": ui.checked, "differences": list(ui.differences),
                        "error": ui.error}  # fmt: skip
    return record


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+",
                        help="corpus folders (locale folders inside); default: every corpus in "
                        f"{CORPORA}")  # fmt: skip
    parser.add_argument("--json", type=Path, help="write every figure and per-query answer here")
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="subset of " + ",".join(SYSTEMS)
    )
    parser.add_argument("--nonsense", type=Path, default=NONSENSE, help="nonsense queries (jsonl)")
    parser.add_argument(
        "--ui-sample", type=int, default=12, help="queries per language also run on the search page"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per site build")
    parser.add_argument("--keep", action="store_true", help="keep the temp builds")
    args = parser.parse_args()
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        parser.error(f"unknown systems: {', '.join(sorted(unknown))}")
    systems = [s for s in SYSTEMS if s in systems]

    corpora = args.corpus or sorted(p for p in CORPORA.iterdir() if p.is_dir())
    languages = [lang for corpus in corpora for lang in load_corpus(corpus)]
    if not languages:
        sys.exit(f"no locale folders with Markdown in {', '.join(map(str, corpora))}")
    nonsense = load_nonsense(args.nonsense)
    origin = helpgen_origin()
    note(f"helpgen from {origin['package']} at {origin.get('commit', 'no git commit')}")
    record: dict[str, Any] = {"helpgen": origin, "systems": systems, "targets": TARGETS,
                              "languages": {}}  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="helpgen-quality-"))
    try:
        for lang in languages:
            counts = ", ".join(f"{len(q)} {k}" for k, q in lang.sets.items())
            note(f"{lang.name}: queries {counts}, {len(nonsense)} nonsense")
            here = work / lang.name.replace("/", "-")
            here.mkdir(parents=True)
            record["languages"][lang.name] = measure(
                lang, nonsense, systems, here, args.timeout, args.ui_sample
            )
    finally:
        if args.keep:
            note(f"builds kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print(f"helpgen: {origin['package']} at {origin.get('commit', '?')}")
    table(record, systems)
    record["verdict"] = {}
    for set_name in TARGETED:
        verdicts = [lang["sets"][set_name]["verdict"] for lang in record["languages"].values()]
        scored = [v for v in verdicts if v != "n/a"]
        overall = ("FAIL" if "FAIL" in scored else "PASS") if scored else "n/a"
        record["verdict"][set_name] = overall
        print(f"targets on {set_name}, every language with such queries: MRR@10 >= "
              f"{TARGETS['material']}x Material and >= {TARGETS['bm25']}x BM25: {overall} "
              f"({len(scored)} languages scored)")  # fmt: skip
    for name, lang in record["languages"].items():
        for d in (lang.get("ui") or {}).get("differences", [])[:3]:
            print(f"UI != CLI in {name}: {d['query']!r}: page {d['ui_count']} results "
                  f"{d['ui'][:3]}, CLI {d['cli_count']} {d['cli'][:3]}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
        note(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
