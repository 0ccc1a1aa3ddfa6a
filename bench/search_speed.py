"""Search-speed benchmark: helpgen against Material for MkDocs and Pagefind, in Chromium.

    python bench/search_speed.py [--sizes 1000,5000]

For each generated corpus (bench/corpus.py) it builds helpgen, Material for MkDocs and Pagefind
(over the helpgen HTML) and measures, per system: the gzip size of what the browser fetches
before the first result list, the time until the search engine is ready, and the
keystroke-to-results latency while typing 20 queries one character at a time.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import os
import platform
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_speed import tool
from corpus import generate
from search_quality import (
    MATERIAL_INPUT,
    WORKER_HOOK,
    BenchError,
    build_helpgen,
    build_material,
    chromium,
    material_home,
    note,
    print_table,
    run,
    serve,
)

SYSTEMS = ("helpgen", "material", "pagefind")
LABELS = {"helpgen": "helpgen", "material": "Material", "pagefind": "Pagefind"}
# (articles, system, share of its bytes): at most a third of Material's at 5k, Pagefind's at 20k
BUDGETS = ((5000, "material", 1 / 3), (20000, "pagefind", 1.0))
BUDGET_READY_MS = 300
BUDGET_P95_MS = 50
PAGEFIND_RESULTS = 8  # fragments loaded per result list (helpgen's drop-down shows 8 too)
PAGEFIND_PAGE = "pagefind-bench.html"
Requests = list[tuple[float, str, int]]

# Stamps (performance.now()) shared by every system; loaded before the page's own scripts.
SPEED_HOOK = """
(() => {
  const B = window.__hgbench;
  Object.assign(B, {focusAt: null, hgReadyAt: null, pfReadyAt: null, firstAt: null,
                    keyAt: null, updAt: null, pending: 0});
  // helpgen: search-engine.js assigns window.HelpgenSearch; time when its load() resolves
  let api;
  Object.defineProperty(window, 'HelpgenSearch', {
    configurable: true,
    get() { return api; },
    set(value) {
      if (value && typeof value.load === 'function' && !value.__hgbench) {
        const load = value.load;
        value.load = function () {
          const promise = load.apply(this, arguments);
          Promise.resolve(promise).then(() => {
            if (B.hgReadyAt === null) B.hgReadyAt = performance.now();
          }, () => {});
          return promise;
        };
        value.__hgbench = true;
      }
      api = value;
    },
  });
  document.addEventListener('focusin', (e) => {
    const input = e.target && e.target.tagName === 'INPUT';
    if (B.focusAt === null && input) B.focusAt = performance.now();
  }, true);
  document.addEventListener('keydown', () => {
    B.keyAt = performance.now();
    B.updAt = null;
  }, true);
  B.watchFirst = (itemSel) => {
    const check = () => {
      if (B.firstAt === null && document.querySelector(itemSel)) {
        B.firstAt = performance.now();
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.documentElement, {childList: true, subtree: true});
    check();
  };
  // a search is still running: Material's worker owes an answer, or the Pagefind page awaits one
  B.busy = () => {
    if (B.pending > 0) return true;
    for (let i = B.log.length - 1; i >= 0; i--) {
      const e = B.log[i];
      if (e[0] === 'msg' && e[2] === 3) return false;
      if (e[0] === 'post' && e[2] === 2) return true;
    }
    return false;
  };
  B.watchUpdates = (el) => {
    new MutationObserver(() => {
      if (B.keyAt !== null && B.updAt === null) B.updAt = performance.now();
    }).observe(el, {childList: true, subtree: true, characterData: true});
  };
})();
"""

# A test page for Pagefind's JS API: loads pagefind.js on focus, searches on every input event
# (no debounce), renders the first results once their fragments are loaded.
PAGEFIND_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind benchmark</title></head>
<body>
<form role="search" onsubmit="return false">
  <input id="q" type="search" name="q" autocomplete="off" aria-label="Search">
</form>
<div id="out"><p id="meta"></p><ul id="results"></ul></div>
<script type="module">
const B = window.__hgbench, box = document.getElementById('q');
const list = document.getElementById('results'), meta = document.getElementById('meta');
let loading = null, current = '';
function load() {
  if (!loading) {
    loading = import('./pagefind/pagefind.js').then(async (pagefind) => {
      await pagefind.init();
      if (B.pfReadyAt === null) B.pfReadyAt = performance.now();
      return pagefind;
    });
  }
  return loading;
}
window.pagefindLoad = load;
box.addEventListener('focus', load);
box.addEventListener('input', async () => {
  const value = box.value.trim();
  current = value;
  B.pending += 1;
  try { await show(value); } finally { B.pending -= 1; }
});
async function show(value) {
  const pagefind = await load();
  if (value !== current) return;
  if (!value) { list.textContent = ''; meta.textContent = ''; return; }
  const search = await pagefind.search(value);
  if (value !== current || !search) return;
  const data = await Promise.all(search.results.slice(0, RESULTS).map((r) => r.data()));
  if (value !== current) return;
  const items = data.map((d) => {
    const li = document.createElement('li'), a = document.createElement('a');
    a.href = d.url;
    a.textContent = (d.meta && d.meta.title) || d.url;
    const p = document.createElement('p');
    p.innerHTML = d.excerpt;
    li.append(a, p);
    return li;
  });
  meta.textContent = search.results.length + ' results';
  list.replaceChildren(...items);
}
</script>
</body></html>
""".replace("RESULTS", str(PAGEFIND_RESULTS))

HELPGEN_INPUT = "header input[name=q]"
HELPGEN_ANY_INPUT = "input[name=q]"
HELPGEN_FIRST = "[role=listbox] [role=option]"
STOP_WORDS = (
    "the and for with your you from that this are can how what when why not but its our all any "
    "was has have had will into out off per via than then them they their there these those "
    "who whom which while about after before over under more most some such only also just "
    "does did done get got use used yes one two"
)
STOP = frozenset(STOP_WORDS.split(" "))


@dataclass
class Result:
    """One system's measurements at one corpus size."""

    system: str
    mode: str = ""
    bytes_gz: int | None = None
    files: list[tuple[str, int, int]] = field(default_factory=list)  # path, raw, gzip
    ready_ms: float | None = None
    latencies: list[float] = field(default_factory=list)
    keystrokes: int = 0
    engine_ms: list[float] = field(default_factory=list)  # helpgen: engine.search alone
    error: str | None = None

    def pct(self, q: float, values: list[float] | None = None) -> float | None:
        values = self.latencies if values is None else values
        return percentile(values, q) if values else None


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100)."""
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def gz_size(path: Path) -> int:
    """gzip -6 size of a file."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


# ---------------------------------------------------------------------------------- the queries
def pick_queries(content: Path, count: int, seed: int) -> list[str]:
    """`count` 2–3 word queries: consecutive content words of random article titles/descriptions."""
    rng = random.Random(seed)
    texts = []
    for path in sorted(content.rglob("*.md")):
        if path.name == "_index.md":
            continue
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        found = re.findall(r"^(?:title|description): *(.+)$", head, flags=re.M)
        texts.append(" ".join(s.strip("'\"") for s in found))
    queries: list[str] = []
    tries = 0
    while len(queries) < count and tries < count * 100:
        tries += 1
        words = [w for w in re.findall(r"[a-z']+", rng.choice(texts).lower())
                 if len(w) >= 4 and w not in STOP and "'" not in w]  # fmt: skip
        k = rng.choice((2, 3))
        if len(words) < k:
            continue
        start = rng.randrange(len(words) - k + 1)
        query = " ".join(words[start : start + k])
        if query not in queries:
            queries.append(query)
    if len(queries) < count:
        raise BenchError(f"could only draw {len(queries)} queries from {content}")
    return queries


# ----------------------------------------------------------------------------------- the browser
def clock_offset(page: Any) -> float:
    """page performance.now() minus time.perf_counter(), both in ms."""
    best: tuple[float, float] | None = None
    for _ in range(5):
        t0 = time.perf_counter()
        now = page.evaluate("performance.now()")
        t1 = time.perf_counter()
        if best is None or t1 - t0 < best[0]:
            best = (t1 - t0, now - (t0 + t1) * 500)
    assert best is not None
    return best[1]


def new_page(browser: Any) -> tuple[Any, Any, list[str]]:
    """A fresh context (empty cache) with the timing hooks; returns context, page, errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WORKER_HOOK)
    context.add_init_script(SPEED_HOOK)
    page = context.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


@dataclass
class System:
    """How to drive one system's search box."""

    name: str
    site: Path
    url: str  # site-relative page to search from
    box: str  # selector of the search input
    first: str  # selector that exists once a result list is shown
    container: str  # JS expression: the element whose changes are result updates


def helpgen_system(out: Path) -> System:
    """helpgen: the header search box of the first topic page."""
    from helpgen.search.query import locale_folder

    folder = locale_folder(out, None)
    first = folder / "pages/0.json"  # page rows: [url, title, breadcrumb]
    pages = json.loads(first.read_text(encoding="utf-8")) if first.is_file() else []
    url = pages[0][0] if pages else ""
    prefix = folder.parent.relative_to(out).as_posix()  # "" or a locale folder
    if prefix not in ("", ".") and not url.startswith(prefix + "/"):
        url = f"{prefix}/{url}"
    container = (
        "(() => { const f = document.activeElement && document.activeElement.form;"
        " const l = f && f.querySelector('[role=listbox]'); return l ? l.parentElement : null; })()"
    )
    return System("helpgen", out, url, HELPGEN_INPUT, HELPGEN_FIRST, container)


def ui_present(page: Any, system: System) -> bool:
    """helpgen: does the focused box drive a listbox (search-ui.js)?"""
    return bool(page.evaluate(f"!!{system.container}"))


def focus_box(page: Any, system: System) -> None:
    """Click the system's search box (falls back to any helpgen search input)."""
    box = page.locator(system.box).first
    if system.name == "helpgen" and page.locator(system.box).count() == 0:
        box = page.locator(HELPGEN_ANY_INPUT).first
    box.click(timeout=10_000)


def cold_run(browser: Any, base: str, system: System, query: str, delay: float,
             requests: Requests) -> tuple[float | None, list[str], str]:  # fmt: skip
    """Fresh context: focus, type `query`, wait for the first results.

    Returns (ready ms, server paths fetched for the first results, mode).
    """
    context, page, errors = new_page(browser)
    try:
        page.goto(base + system.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        if system.name == "material":
            page.wait_for_function("window.__hgbench.readyAt !== null", timeout=600_000)
        offset = clock_offset(page)
        mark = len(requests)
        page.evaluate("(sel) => window.__hgbench.watchFirst(sel)", system.first)
        focus_box(page, system)
        mode = "UI"
        if system.name == "helpgen" and not ui_present(page, system):
            mode = "engine"
            load_engine_by_hand(page)
        else:
            page.keyboard.type(query, delay=delay)
        if mode == "engine":
            page.wait_for_function("window.__hgbench.hgReadyAt !== null")
            page.evaluate(
                "async ([q]) => { await window.__hgbench.engine.find(q, {live: true, describe: 8});"
                " window.__hgbench.firstAt = performance.now(); }",
                [query],
            )
        page.wait_for_function("window.__hgbench.firstAt !== null")
        stamps = page.evaluate("window.__hgbench")
        start = stamps["focusAt"] - 5
        if system.name == "material":
            ready = stamps["readyAt"] - stamps["workerAt"]
            start = float("-inf")  # Material loads its search with the page
        elif system.name == "helpgen":
            ready = stamps["hgReadyAt"] - stamps["focusAt"]
        else:
            ready = stamps["pfReadyAt"] - stamps["focusAt"]
        page.wait_for_timeout(200)  # let the server log the last responses
        paths = [
            path
            for t, path, status in requests[mark:]
            if status == 200 and start <= t * 1000 + offset <= stamps["firstAt"]
        ]
        if system.name == "material":
            paths = requests_material(requests)
        if errors:
            note(f"{system.name}: script errors: {errors[0]}")
        return ready, paths, mode
    finally:
        context.close()


def requests_material(requests: Requests) -> list[str]:
    """Material's search downloads: its worker, the index and any lunr language files."""
    wanted = re.compile(r"/workers/search\.[^/]*\.js$|/search/search_index\.json$|/lunr/")
    return [path for _, path, status in requests if status == 200 and wanted.search(path)]


def load_engine_by_hand(page: Any) -> None:
    """No search UI yet: inject the engine's scripts and call HelpgenSearch.load() directly."""
    page.evaluate(
        """async () => {
          const form = document.querySelector('form[data-search-data]');
          const scripts = JSON.parse(form.getAttribute('data-search-scripts'));
          for (const src of scripts) {
            await new Promise((ok, fail) => {
              const s = document.createElement('script');
              s.src = src; s.onload = ok; s.onerror = () => fail(new Error(src));
              document.head.appendChild(s);
            });
          }
          window.__hgbench.engine = await window.HelpgenSearch.load(
            form.getAttribute('data-search-data'), {offline: false});
        }"""
    )


def warm_latency(browser: Any, base: str, system: System, queries: list[str], timeout_ms: float,
                 pause_ms: float, result: Result) -> None:  # fmt: skip
    """One page, engine loaded: type each query one key at a time, time each result update."""
    context, page, errors = new_page(browser)
    try:
        page.goto(base + system.url, wait_until="load")
        page.wait_for_load_state("networkidle")
        focus_box(page, system)
        if system.name == "material":
            page.wait_for_function("window.__hgbench.readyAt !== null", timeout=600_000)
        elif system.name == "pagefind":
            page.wait_for_function("window.__hgbench.pfReadyAt !== null")
        if system.name == "helpgen":
            if ui_present(page, system):
                page.wait_for_function("window.__hgbench.hgReadyAt !== null")
                result.mode = "UI"
            else:
                load_engine_by_hand(page)
                result.mode = "engine"
            result.engine_ms = engine_timings(page, queries)
            if result.mode == "engine":
                result.latencies = list(result.engine_ms)
                result.keystrokes = sum(len(q) for q in queries)
                return
        else:
            result.mode = "UI"
        container = system.container
        if not page.evaluate(f"!!({container})"):
            raise BenchError(f"{system.name}: no results container ({container})")
        page.evaluate(f"window.__hgbench.watchUpdates({container})")
        for n, query in enumerate(queries, 1):
            page.keyboard.press("Control+A")
            page.keyboard.press("Backspace")
            page.wait_for_timeout(500)
            for ch in query:
                page.keyboard.type(ch)
                result.keystrokes += 1
                # an update, or `timeout_ms` without one while no search is running
                page.wait_for_function(
                    """(t) => {
                      const B = window.__hgbench;
                      return B.updAt !== null || (performance.now() - B.keyAt > t && !B.busy());
                    }""",
                    arg=timeout_ms,
                    timeout=max(120_000, timeout_ms * 2),
                    polling="raf",
                )
                stamps = page.evaluate("[window.__hgbench.keyAt, window.__hgbench.updAt]")
                if stamps[1] is None:
                    continue  # this key changed nothing (e.g. a trailing space)
                result.latencies.append(stamps[1] - stamps[0])
                page.wait_for_timeout(pause_ms)
            if n % 5 == 0:
                note(f"  {system.name}: {n}/{len(queries)} queries typed")
        if errors:
            note(f"{system.name}: script errors: {errors[0]}")
    finally:
        context.close()


def engine_timings(page: Any, queries: list[str]) -> list[float]:
    """helpgen: ms of engine.search(prefix, {live: true}) for every prefix the UI would search.

    Each prefix's postings are fetched first (engine.prepare): this times the ranking alone.
    """
    return page.evaluate(
        """async (queries) => {
          const form = document.querySelector('form[data-search-data]');
          const engine = await window.HelpgenSearch.load(
            form.getAttribute('data-search-data'), {offline: false});
          const out = [];
          for (const q of queries) {
            for (let i = 1; i <= q.length; i++) {
              const prefix = q.slice(0, i);
              if (prefix.trim().length < 2) continue;
              await engine.prepare(prefix, true);
              const t = performance.now();
              engine.search(prefix, {live: true, limit: 500});
              out.push(performance.now() - t);
            }
          }
          return out;
        }""",
        queries,
    )


# ------------------------------------------------------------------------------------ per size
def measure(browser: Any, system: System, queries: list[str], args: argparse.Namespace
            ) -> Result:  # fmt: skip
    """Cold runs (bytes, ready) and a warm run (latency) of one system."""
    result = Result(system.name)
    requests: Requests = []
    with serve(system.site, requests) as base:
        readies: list[float] = []
        sizes: list[int] = []
        for i in range(args.cold_runs):
            requests.clear()
            ready, paths, mode = cold_run(
                browser, base, system, queries[i % len(queries)], args.type_delay, requests
            )
            result.mode = mode
            if ready is not None:
                readies.append(ready)
            files = []
            for path in paths:
                file = system.site / path.lstrip("/")
                if file.is_dir():
                    file = file / "index.html"
                files.append((path, file.stat().st_size, gz_size(file)))
            sizes.append(sum(gz for _, _, gz in files))
            if i == 0:
                result.files = files
        result.ready_ms = statistics.median(readies) if readies else None
        result.bytes_gz = int(statistics.median(sizes)) if sizes else None
        note(f"  {system.name}: {kb(result.bytes_gz)} KB gz, ready {ms(result.ready_ms)} ms")
        warm_latency(browser, base, system, queries, args.key_timeout, args.pause, result)
    return result


def bench_size(browser: Any, size: int, work: Path, args: argparse.Namespace) -> list[Result]:
    """Generate, build and measure one corpus size."""
    corpus = work / f"corpus-{size}"
    start = time.perf_counter()
    generate(corpus, size, args.seed)
    note(f"generated {size} articles in {time.perf_counter() - start:.1f}s")
    queries = pick_queries(corpus / "content", args.queries, args.seed)
    note(f"queries: {', '.join(queries)}")
    systems: dict[str, System | BenchError] = {}
    hg_out = work / f"helpgen-{size}"
    try:
        note(f"helpgen build, {size} articles ...")
        build_helpgen(corpus / "content", hg_out, work, args.timeout)
        systems["helpgen"] = helpgen_system(hg_out)
        if "pagefind" not in args.systems:
            raise BenchError("not requested")
        note("pagefind index of the helpgen build ...")
        run([sys.executable, "-m", "pagefind", "--site", str(hg_out)], work, args.timeout,
            "pagefind")  # fmt: skip
        (hg_out / PAGEFIND_PAGE).write_text(PAGEFIND_HTML, encoding="utf-8")
        systems["pagefind"] = System("pagefind", hg_out, PAGEFIND_PAGE, "#q", "#results li",
                                     "document.getElementById('out')")  # fmt: skip
    except BenchError as e:
        note(str(e))
        systems.setdefault("helpgen", e)
        systems.setdefault("pagefind", e)
    try:
        if "material" not in args.systems:
            raise BenchError("not requested")
        note(f"mkdocs build, {size} articles ...")
        mk_out = build_material(corpus / "content", work / f"material-{size}", work, args.timeout,
                                home_nav=not args.material_full_nav)  # fmt: skip
        systems["material"] = System("material", mk_out, material_home(mk_out), MATERIAL_INPUT,
                                     ".md-search-result__item",
                                     "document.querySelector('.md-search-result')")  # fmt: skip
    except BenchError as e:
        note(str(e))
        systems["material"] = e
    results = []
    for name in args.systems:
        system = systems[name]
        if isinstance(system, BenchError):
            results.append(Result(name, error=str(system).splitlines()[0][:80]))
            continue
        note(f"measuring {name} at {size} ...")
        try:
            results.append(measure(browser, system, queries, args))
        except Exception as e:
            note(f"{name} at {size}: FAILED: {e}")
            results.append(Result(name, error=str(e).splitlines()[0][:80]))
    if not args.keep:
        for path in work.iterdir():
            if path.name.endswith(f"-{size}"):
                shutil.rmtree(path, ignore_errors=True)
    return results


# ------------------------------------------------------------------------------------- reporting
def kb(n: int | None) -> str:
    return f"{n / 1000:.1f}" if n is not None else "-"


def ms(x: float | None) -> str:
    return f"{x:.0f}" if x is not None and x >= 10 else (f"{x:.1f}" if x is not None else "-")


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def report(all_results: dict[int, list[Result]], budget: bool = True) -> None:
    """The table, the byte breakdowns, the helpgen engine timings and the budget check."""
    head = ["size", "system", "mode", "KB gz", "ready ms", "p50 ms", "p95 ms", "updates",
            "bytes/mk", "ready/mk", "p50/mk", "p95/mk"]  # fmt: skip
    rows = []
    failures = []
    for size, results in all_results.items():
        mk = next((r for r in results if r.system == "material" and not r.error), None)
        for r in results:
            if r.error:
                rows.append([str(size), LABELS[r.system], "error", *["-"] * 9])
                failures.append(f"  {size} {LABELS[r.system]}: {r.error}")
                continue
            p50, p95 = r.pct(50), r.pct(95)
            line = [str(size), LABELS[r.system], r.mode, kb(r.bytes_gz), ms(r.ready_ms), ms(p50),
                    ms(p95), f"{len(r.latencies)}/{r.keystrokes}"]  # fmt: skip
            if mk and r is not mk:
                line += [ratio(r.bytes_gz, mk.bytes_gz), ratio(r.ready_ms, mk.ready_ms),
                         ratio(p50, mk.pct(50)), ratio(p95, mk.pct(95))]  # fmt: skip
            else:
                line += ["-"] * 4
            rows.append(line)
    print()
    print_table(head, rows)
    if failures:
        print("errors:", *failures, sep="\n")

    print()
    print("Bytes before the first result (first cold run; gzip -6 of each response body):")
    for size, results in all_results.items():
        for r in results:
            if r.error or not r.files:
                continue
            parts = ", ".join(f"{p.rsplit('/', 1)[-1]} {kb(g)}" for p, _, g in r.files[:12])
            more = f" … (+{len(r.files) - 12} files)" if len(r.files) > 12 else ""
            raw = sum(s for _, s, _ in r.files)
            print(f"  {size} {LABELS[r.system]}: {len(r.files)} files, {kb(raw)} KB raw -> "
                  f"{kb(r.bytes_gz)} KB gz: {parts}{more}")  # fmt: skip
        for r in results:
            if r.system == "helpgen" and r.engine_ms:
                e50, e95 = r.pct(50, r.engine_ms), r.pct(95, r.engine_ms)
                print(f"  {size} helpgen engine.search(prefix, live) alone: p50 {ms(e50)} ms, "
                      f"p95 {ms(e95)} ms, max {ms(max(r.engine_ms))} ms over "
                      f"{len(r.engine_ms)} prefixes")  # fmt: skip

    if not budget:
        return
    for size, reference, share in BUDGETS:
        if size in all_results:
            check_budget(
                size, {r.system: r for r in all_results[size] if not r.error}, reference, share
            )


def check_budget(size: int, results: dict[str, Result], reference: str, share: float) -> None:
    """helpgen's bytes (at most `share` of the reference system's), ready time and p95 latency."""
    hg, ref = results.get("helpgen"), results.get(reference)
    print()
    print(f"Budget at {size} articles:")
    if hg is None:
        print("  helpgen: no measurement")
        return

    def verdict(ok: bool | None) -> str:
        return "n/a" if ok is None else ("PASS" if ok else "FAIL")

    name = LABELS[reference]
    if ref and hg.bytes_gz is not None and ref.bytes_gz:
        part = hg.bytes_gz / ref.bytes_gz
        bound = name if share == 1 else f"{share:.2g} of {name}"
        print(f"  bytes  helpgen {kb(hg.bytes_gz)} KB <= {bound} {kb(ref.bytes_gz)} KB "
              f"({part:.2f} of it): {verdict(part <= share)}")  # fmt: skip
    else:
        print(f"  bytes: n/a (no {name} measurement)")
    ok = None if hg.ready_ms is None else hg.ready_ms <= BUDGET_READY_MS
    print(f"  ready  {ms(hg.ready_ms)} ms <= {BUDGET_READY_MS} ms: {verdict(ok)}")
    p95 = hg.pct(95)
    ok = None if p95 is None else p95 <= BUDGET_P95_MS
    print(f"  p95    {ms(p95)} ms <= {BUDGET_P95_MS} ms ({hg.mode} latency): {verdict(ok)}")
    if hg.mode == "UI" and hg.engine_ms:
        e95 = hg.pct(95, hg.engine_ms)
        print(f"         engine.search alone: p95 {ms(e95)} ms "
              f"({verdict(e95 <= BUDGET_P95_MS)} if the budget is for the engine)")  # fmt: skip


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,5000", help="comma-separated article counts")
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="subset of " + ",".join(SYSTEMS)
    )
    parser.add_argument("--queries", type=int, default=20, help="queries typed per system")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh-cache loads (median kept)")
    parser.add_argument("--type-delay", type=float, default=40, help="ms between keys, cold runs")
    parser.add_argument("--pause", type=float, default=100, help="ms after each result update")
    parser.add_argument(
        "--key-timeout",
        type=float,
        default=600,
        help="ms without a result update (and no search "
        "running) after which a key counts as changing nothing",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per build")
    parser.add_argument(
        "--material-full-nav",
        action="store_true",
        help="build Material with its full nav "
        "(quadratic: hours at 5000 articles); by default the nav lists the home page only",
    )
    parser.add_argument("--seed", type=int, default=7, help="corpus and query seed")
    parser.add_argument("--json", type=Path, help="write all measurements here")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir")
    args = parser.parse_args()
    args.systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    if set(args.systems) - set(SYSTEMS):
        parser.error(f"--systems: pick from {', '.join(SYSTEMS)}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not shutil.which("chromium") and not Path("/usr/bin/chromium").exists():
        sys.exit("Chromium not found at /usr/bin/chromium")
    try:
        pf = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        if "pagefind" in args.systems:
            sys.exit("pagefind is not installed: pip install 'pagefind[bin]'")
        pf = "-"

    work = Path(tempfile.mkdtemp(prefix="helpgen-speed-"))
    all_results: dict[int, list[Result]] = {}
    try:
        with chromium() as browser:
            for size in sizes:
                all_results[size] = bench_size(browser, size, work, args)
                if len(sizes) > 1:  # a first look while the next size builds
                    print(f"\n-- {size} articles (all sizes again at the end)", flush=True)
                    report({size: all_results[size]}, budget=False)
                    sys.stdout.flush()
    finally:
        if args.keep:
            note(f"builds kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(
        f"CPUs: {os.cpu_count()}, Python {platform.python_version()}, "
        f"helpgen {importlib.metadata.version('helpgen')}, "
        f"mkdocs-material {importlib.metadata.version('mkdocs-material')}, pagefind {pf}, "
        f"helpgen command {' '.join(tool('helpgen'))}"
    )
    print("KB = 1000 bytes, gzip -6 of the bodies; latency = keydown -> first DOM change of the "
          "result list; updates = keystrokes that changed the list / keystrokes typed")  # fmt: skip
    report(all_results)
    if args.json:
        data = {str(size): [r.__dict__ for r in results] for size, results in all_results.items()}
        args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
        note(f"measurements written to {args.json}")


if __name__ == "__main__":
    main()
