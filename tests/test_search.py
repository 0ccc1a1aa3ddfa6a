"""Search: the built index, the Python ranking, the CLI, and the browser agreeing with both."""

import json
import os
import random
import subprocess
import sys
from bisect import bisect_right

import pytest

from helpgen.pipeline import build
from helpgen.search.index import compact_pages
from helpgen.search.query import Asked, Searcher, locale_folder, plan
from helpgen.search.read import expand_pages, titled
from helpgen.search.text import SHAPE_MARK, shape_terms

from .conftest import CORPORA

ENGINE_SCRIPTS = ["vendor/lunr.min.js", "js/search-text.js", "js/search-engine.js"]


def queries() -> list[tuple[str, dict]]:
    """Every query of every corpus, with the corpus language folder it belongs to."""
    found = []
    for path in sorted(CORPORA.glob("*/*/queries.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.append((str(path.parent.relative_to(CORPORA)), json.loads(line)))
    return found


def test_shape_terms_are_sharded_apart_and_finer(monkeypatch):
    """A query of stop words fetches the shards of a few shape terms: they share no shard
    with other terms, and theirs hold SHAPE_FINER times fewer postings."""
    from helpgen.search import index as ix

    monkeypatch.setattr(ix, "SHARD_SIZE", 8)
    terms = [" how", " i", " my", " where", "order", "reset"]
    starts, shards = ix.shard(terms, [[0.5, *[1] * 3]] * len(terms))  # a posting each
    assert starts == [0, 1, 2, 3, 4]  # 8 // 8: one shape term a shard; then the rest
    assert shards[-1] == [[0.5, 1, 1, 1]] * 2


def test_demo_locale_indexes_exist(demo_site):
    for code in ("en", "he", "fa", "zh-CN"):
        folder = demo_site / code / "search"
        index = json.loads((folder / "index.json").read_text())
        shards = [
            json.loads((folder / f"postings/{i}.json").read_text())
            for i in range(len(index["shards"]))
        ]
        assert index["terms"] == sorted(index["terms"]) and len(index["terms"]) > 50
        assert sum(len(s) for s in shards) == len(index["terms"]) == len(index["ranks"])
        assert index["shards"][0] == 0 and index["shards"] == sorted(index["shards"])
        assert len(index["titles"]) == len(index["counts"]) and min(index["counts"]) >= 1
        assert {"pages", "lengths", "idf"}.isdisjoint(index)  # in the chunks and postings
        size = index["chunks"]["pages"]
        pages = [
            row
            for i in range(0, len(index["counts"]), size)
            for row in json.loads((folder / f"pages/{i // size}.json").read_text())
        ]
        assert len(pages) == len(index["counts"]) and all(len(row) == 3 for row in pages)
        # every row again in one file, each relative to its topic's, rebuilt exactly
        compact = json.loads((folder / "pages/all.json").read_text())
        assert expand_pages(compact) == pages
        assert all(isinstance(row[-1], int) for row in compact)  # none needed its whole row
        sections = json.loads((folder / "sections/0.json").read_text())
        assert all(len(pair) == 2 for pair in sections)
        # titles and text live only in their chunks, never in the index
        text = json.loads((folder / "text/0.json").read_text())
        assert text[1] and text[1] not in (folder / "index.json").read_text()
        assert pages[1][1] not in (folder / "index.json").read_text()


def test_page_rows_are_written_relative_to_their_topic_when_that_is_exact():
    rows = [
        ["en/a/", "A", [], "a/_index.md", [], -1],
        ["en/a/b/", "B", ["A"], "a/b.md", [], 0],  # its url is its topic's and its title's
        ["en/a/why-not-/", "Why not?", ["A"], "a/why-not.md", [], 0],  # not its title's
        ["en/a/cafe/", "Café", ["A"], "a/cafe.md", [], 0],  # a title made ASCII: not guessed
        ["en/x/c/", "C", ["A"], "a/c.md", [], 0],  # not below its topic's url
        ["en/a/d/", "D", ["Z"], "a/d.md", [], 0],  # another trail
        ["en/a/e/", "E", ["A"], "a/e.md", [], 7],  # a topic listed after it
        ["en/f/", "F", ["A"], "f.md", [], -1],  # at the top, with a trail
    ]
    compact = compact_pages(rows)
    assert compact == [
        ["en/a/", "A", -1],
        ["B", 0],
        ["why-not-/", "Why not?", 0],
        ["cafe/", "Café", 0],
        ["en/x/c/", "C", ["A"]],
        ["en/a/d/", "D", ["Z"]],
        ["en/a/e/", "E", ["A"]],
        ["en/f/", "F", ["A"]],
    ]
    assert expand_pages(compact) == [row[:3] for row in rows]


def test_common_terms_keep_only_their_best_sections(tmp_path, monkeypatch):
    """A word in more sections than MAX_POSTINGS keeps the ones where it weighs most."""
    from helpgen.search import index as search_index

    monkeypatch.setattr(search_index, "MAX_POSTINGS", 3)
    content = tmp_path / "content"
    content.mkdir()
    bodies = ["refund " * n + "filler words here " * (10 - n) for n in range(1, 9)]
    for i, body in enumerate(bodies):
        (content / f"a{i}.md").write_text(f"# Article {i}\n\n{body}\n")
    out = build(tmp_path).out_dir
    searcher = Searcher.from_folder(locale_folder(out, None))
    hits = searcher.search("refund", limit=10)
    assert [h.source for h in hits] == ["a7.md", "a6.md", "a5.md"]


@pytest.mark.browser
def test_character_pairs_the_site_lacks_do_not_raise_the_bar(tmp_path, serve_dir, page):
    """A Chinese question matches half of its character pairs that the site has (客服电话是多少:
    服电, 话是 and 是多 are across word boundaries); words the site lacks in a spaced language
    still count, so a word salad with one real word finds only its closest page, flagged as
    weak. Browser and CLI alike."""
    content = tmp_path / "content"
    content.mkdir()
    (tmp_path / "helpgen.toml").write_text('language = "zh-CN"\n')
    (content / "phone.md").write_text("# 联系我们\n\n客服电话：400-800-1234，周一至周五。\n")
    (content / "orders.md").write_text("# 订单\n\n查看订单状态和物流信息。\n")
    (content / "login.md").write_text("# Password\n\nReset your password here.\n")
    site = build(tmp_path).out_dir
    folder = locale_folder(site, None)
    qs = ["客服电话是多少", "订单在哪里看", "window cheese password"]
    python = [[(h.source, h.weak) for h in Searcher.from_folder(folder).search(q)] for q in qs]
    assert python == [[("phone.md", False)], [("orders.md", False)], [("login.md", True)]]
    base, path = serve_dir(site), folder.relative_to(site).as_posix() + "/"
    js = browser_results(page, base, path, qs, weak=True)
    assert [[weak for _, _, weak in r] for r in js] == [[False], [False], [True]]


def test_sections_tied_past_the_limit_keep_the_earlier_ones(tmp_path, monkeypatch):
    from helpgen.search import index as search_index

    monkeypatch.setattr(search_index, "MAX_POSTINGS", 3)
    content = tmp_path / "content"
    content.mkdir()
    for i in range(7):  # the same weight everywhere
        (content / f"a{i}.md").write_text(f"# Article {i}\n\nrefund filler words here\n")
    out = build(tmp_path).out_dir
    hits = Searcher.from_folder(locale_folder(out, None)).search("refund", limit=10)
    assert sorted(h.source for h in hits) == ["a0.md", "a1.md", "a2.md"]


@pytest.mark.browser
def test_titles_past_the_postings_limit_still_rank_first(tmp_path, monkeypatch, serve_dir, page):
    """A title word in more pages than MAX_POSTINGS: its row also lists the titles its postings
    leave out, so every page titled with the query is preferred, in Python and in the browser."""
    from helpgen.search import index as search_index

    monkeypatch.setattr(search_index, "MAX_POSTINGS", 3)
    content = tmp_path / "content"
    content.mkdir()
    for i in range(8):  # titles: a0-a2 keep their postings; text: a5-a7 (more words) keep theirs
        (content / f"a{i}.md").write_text("# Refund guide\n\n" + "refund guide " * i + "\n")
        (content / f"b{i}.md").write_text(f"# Other {i}\n\nA refund for {i}.\n")
    site = build(tmp_path).out_dir
    searcher = Searcher.from_folder(locale_folder(site, None))
    both, refund = (
        Asked({"refund": ("refund",), "guid": ("guid",)}, 2),
        Asked({"refund": ("refund",)}, 1),
    )
    assert {searcher.title_factor(both, p) for p in range(8)} == {3}
    assert {searcher.title_factor(refund, p) for p in range(8)} == {1.5}
    assert {searcher.title_factor(refund, p) for p in range(8, 16)} == {1}
    qs = ["refund guide", "refund", "guide", "refund other"]
    python = [[(h.url, h.score) for h in searcher.search(q)] for q in qs]
    assert {"a0/", "a1/", "a2/", "a5/", "a6/", "a7/"} <= {u for u, _ in python[0]}
    js = browser_results(page, serve_dir(site), "search/", qs)
    assert python == [[tuple(pair) for pair in result] for result in js]
    assert page.errors == []


@pytest.fixture(scope="module")
def demo_compiled():
    from helpgen.pipeline import compile, configure

    from .conftest import REPO

    return compile(REPO, configure(REPO, None))


def test_workers_give_the_index_one_process_gives(demo_compiled, monkeypatch):
    """Pages counted in parts on two workers, merged in order: the same files, byte for byte."""
    from helpgen.search import index as search_index

    site, rendered = demo_compiled.site, demo_compiled.rendered
    monkeypatch.setattr(search_index, "MAX_POSTINGS", 4)  # the best-of cut, ties included
    monkeypatch.setattr(search_index, "PAGES_PER_TASK", 1_000_000)
    whole, _ = search_index.index(site, rendered, jobs=1)
    monkeypatch.setattr(search_index, "PAGES_PER_TASK", 7)
    parts, _ = search_index.index(site, rendered, jobs=2)
    assert len(whole) == 4
    for code, data in whole.items():
        assert dict(parts[code].files(True)) == dict(data.files(True)), code
        wording = search_index.Wording.of(code, site.config)
        alone = search_index.build_index(site.locales[code], rendered, wording)
        assert dict(alone.files(False)) == dict(data.files(False)), code


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_idf_lengths_and_postings_are_lunr_builders(demo_compiled, monkeypatch, locale):
    """The numbers the index ships are the ones lunr.py's Builder computes from the same terms;
    besides, each title's shape terms, in its postings only (not its length, never scored)."""
    from lunr.builder import Builder
    from lunr.idf import idf as lunr_idf
    from lunr.pipeline import Pipeline

    from helpgen.search import index as search_index

    monkeypatch.setattr(search_index, "MAX_POSTINGS", 1_000_000)
    loc, rendered = demo_compiled.site.locales[locale], demo_compiled.rendered
    wording = search_index.Wording.of(locale, demo_compiled.site.config)
    data = search_index.build_index(loc, rendered, wording)
    builder = Builder()
    builder.pipeline, builder.search_pipeline = Pipeline(), Pipeline()
    builder.ref("id")
    for name, boost in search_index.FIELDS.items():
        builder.field(name, boost=boost)
    ref, shaped = 0, {}
    for path, _ in search_index.page_rows(loc):
        found = search_index.page_docs_of(loc, path, rendered, wording)
        for term in shape_terms(loc.page(path).title):
            shaped.setdefault(term, set()).add(ref)
        for doc in found.docs:
            fields = {  # tokens as they are (a synonym's phrase is one), shape terms aside
                name: [
                    term
                    for term, tf in counts.items()
                    for _ in range(tf)
                    if not term.startswith(SHAPE_MARK)
                ]
                for name, counts in zip(search_index.FIELDS, doc.counts, strict=True)
            }
            builder.add({"id": str(ref), **fields})
            ref += 1
    builder.build()
    index = data.index
    assert ref == sum(index["counts"]) > 50
    shipped_rows = [r for shard in data.shards for r in shard]
    every = zip(index["terms"], index["ranks"], shipped_rows, strict=True)
    rows = {term: (rank, row) for term, rank, row in every}
    assert locale != "en" or {" where", " my"} <= set(shaped)  # "Where is my order?"
    assert {t: titled(rows.pop(t)[1], len(index["fields"])) for t in shaped} == shaped
    terms = list(rows)
    assert terms == sorted(builder.inverted_index)
    idfs = [lunr_idf(builder.inverted_index[t], ref) for t in terms]
    assert [row[0] for _, row in rows.values()] == idfs
    by_idf = sorted(zip(idfs, terms, strict=True), key=lambda pair: pair[0])
    assert sorted(terms, key=lambda t: -rows[t][0]) == [t for _, t in by_idf]  # 0: the highest
    lunrs = [builder.average_field_length[f] for f in index["fields"]]
    asked = search_index.QUESTIONS  # averaged over the documents that have questions
    have = [builder.field_lengths[k] for k in builder.field_lengths if k.startswith("questions/")]
    assert index["average"][asked] == sum(have) / sum(1 for n in have if n)
    assert (
        index["average"][:asked] + index["average"][asked + 1 :]
        == lunrs[:asked] + lunrs[asked + 1 :]
    )
    shipped, expected, lengths = {}, {}, {}
    for term, (_, row) in rows.items():
        pos = 1
        while pos < len(row):
            f, count, doc = row[pos], row[pos + 1], 0
            for i in range(count):
                doc += row[pos + 2 + 3 * i]
                key = f"{index['fields'][f]}/{doc}"
                shipped.setdefault(key, {})[term] = row[pos + 3 + 3 * i]
                lengths[key] = row[pos + 4 + 3 * i]
            pos += 2 + 3 * count
    for key, frequencies in builder.field_term_frequencies.items():
        if frequencies:
            expected[key] = dict(frequencies)
    assert shipped == expected
    assert lengths == {key: builder.field_lengths[key] for key in expected}


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("en", "cancel order", "orders/cancel-an-order.md"),
        ("en", "money back", "returns/refunds.md"),  # synonyms from helpgen.toml
        ("en", "refnds", "returns/refunds.md"),  # one typo
        (
            "en",
            "return polic",
            "returns/return-policy.md",
        ),  # typed so far: prefix (CLI is not live)
        ("zh-CN", "退货政策", "returns/return-policy.md"),
        ("he", "מדיניות החזרה", "returns/return-policy.md"),
        ("fa", "سياست بازگشت", "returns/return-policy.md"),  # typed on an Arabic keyboard
    ],
)
def test_demo_queries_find_the_article(demo_site, locale, query, expected):
    searcher = Searcher.from_folder(locale_folder(demo_site, locale))
    hits = searcher.search(query, live=True)
    assert expected in [h.source for h in hits[:3]], [h.source for h in hits[:5]]


def test_results_are_grouped_by_article_and_land_on_a_section(demo_site):
    searcher = Searcher.from_folder(locale_folder(demo_site, "en"))
    hits = searcher.search("refund card")
    sources = [h.source for h in hits]
    assert len(sources) == len(set(sources))
    assert any(h.anchor for h in hits)
    assert all(h.url.startswith("en/") for h in hits)


def test_hostile_queries_do_not_throw(demo_site):
    searcher = Searcher.from_folder(locale_folder(demo_site, "en"))
    for q in ["error: e4032", "title:foo", "+-~*^:", "", "   ", "a" * 300, "(refund)", "\u200f"]:
        searcher.search(q, live=True)


def test_cli_search_json(demo_site):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpgen",
            "search",
            "track my package",
            "--site",
            str(demo_site),
            "--locale",
            "en",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)
    assert rows and set(rows[0]) == {"url", "title", "source", "score"}
    assert rows[0]["source"].startswith("orders/tracking/")


def test_cli_search_needs_locale_on_multilingual_site(demo_site):
    out = subprocess.run(
        [sys.executable, "-m", "helpgen", "search", "refund", "--site", str(demo_site)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1 and "--locale" in out.stderr and "Traceback" not in out.stderr


def browser_results(
    page, base: str, folder: str, qs: list[str], live: bool = False, weak: bool = False
) -> list:
    """[url, score] of each query's results in the browser ([url, score, weak] if `weak`)."""
    page.goto(base + folder)
    for script in ENGINE_SCRIPTS:  # served files: the CSP forbids inline scripts
        page.add_script_tag(url=base + "static/" + script)
    return page.evaluate(
        """async ([qs, live, weak]) => {
            const engine = await HelpgenSearch.load('./', {offline: false});
            const out = [];
            for (const q of qs) {
                const found = await engine.find(q, {live});
                out.push(found.map(r => weak ? [r.url, r.score, r.weak] : [r.url, r.score]));
            }
            return out;
        }""",
        [qs, live, weak],
    )


@pytest.mark.browser
@pytest.mark.parametrize("corpus", sorted({corpus for corpus, _ in queries()}))
def test_browser_and_cli_agree_on_every_corpus_query(corpus, tmp_path, serve_dir, page):
    """Each corpus language folder with a queries.jsonl, built with zero configuration."""
    qs = [q["query"] for c, q in queries() if c == corpus]
    os.symlink(CORPORA / corpus, tmp_path / "content")
    site = build(tmp_path).out_dir
    folder = locale_folder(site, None)
    python = [[(h.url, h.score) for h in Searcher.from_folder(folder).search(q)] for q in qs]
    js = browser_results(page, serve_dir(site), folder.relative_to(site).as_posix() + "/", qs)
    for q, p, j in zip(qs, python, js, strict=True):
        assert [u for u, _ in p] == [u for u, _ in j], q
        assert all(abs(a - b) < 1e-6 for (_, a), (_, b) in zip(p, j, strict=True)), q
    assert sum(1 for p in python if p) > len(qs) * 0.8  # the queries do find things
    assert page.errors == []


@pytest.mark.browser
def test_browser_and_cli_score_random_queries_alike(demo_site, serve_dir, page):
    """Words of each locale's vocabulary, some cut short or with a typo, typed and submitted:
    the browser's scores equal the CLI's (both round to 6 places)."""
    base, rng = serve_dir(demo_site), random.Random(11)
    for locale in ("en", "he", "fa", "zh-CN"):
        folder = locale_folder(demo_site, locale)
        words = json.loads((folder / "index.json").read_text())["words"]
        qs = []
        for _ in range(60):
            picked = [rng.choice(words) for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.4:  # a typo: a letter dropped or doubled
                w, i = picked[0], rng.randrange(len(picked[0]))
                picked[0] = w[:i] + w[i + 1 :] if rng.random() < 0.5 else w[: i + 1] + w[i:]
            q = " ".join(picked)
            qs.append(q[: rng.randint(1, len(q))] if rng.random() < 0.3 else q)
        searcher = Searcher.from_folder(folder)
        for live in (False, True):
            python = [[[h.url, h.score] for h in searcher.search(q, live=live)] for q in qs]
            js = browser_results(page, base, f"{locale}/search/", qs, live)
            assert python == js, (locale, live)
            assert sum(1 for p in python if p) > len(qs) / 2, locale


@pytest.mark.browser
def test_a_fresh_page_fetches_the_shard_of_a_querys_stop_words(demo_site, serve_dir, page):
    """A query's stop words are looked up in titles (shape terms) whose postings may be in a
    shard none of its search words needs: a page that has fetched nothing yet fetches it, and
    ranks as the CLI does. A query of stop words only ("how i", or the "i" of "item" typed so
    far) has no shape to weigh, and fetches no postings for it."""
    folder, query = locale_folder(demo_site, "en"), "how do I sell"
    index = json.loads((folder / "index.json").read_text())
    searcher = Searcher.from_folder(folder)

    def shard(term: str) -> int:
        return bisect_right(index["shards"], index["terms"].index(term)) - 1

    clauses = searcher.clauses(plan(query, False, searcher.synonyms, "en"))
    assert [(term, edit) for term, _, edit in clauses] == [("sell", 0)]
    shaped = {shard(t) for t in shape_terms(query) if t in index["terms"]}  # " how", " i"
    assert shaped and shard("sell") not in shaped
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    assert browser_results(page, serve_dir(demo_site), "en/search/", ["how i", "i"]) == [[], []]
    assert not [u for u in fetched if "/postings/" in u]
    python = [[h.url, h.score] for h in searcher.search(query)]
    assert python[0][0].startswith("en/selling/")
    assert browser_results(page, serve_dir(demo_site), "en/search/", [query]) == [python]
    assert {f"/en/search/postings/{k}.json" for k in shaped} <= {
        u[u.index("/en/search/") :] for u in fetched if "/postings/" in u
    }


@pytest.mark.browser
def test_browser_and_cli_agree_in_every_language(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    pasted = (
        "where is my order refund card password gift balance shipping return policy "
        "cancel track package account email address phone number seller fees payment "
        "methods klarna installments currency pricing delivery late lost claim exchange "
        "size color damaged item missing"
    )  # more terms than a query uses (MAX_UNITS)
    cases = {
        "en": ["refund", "where is my order", "passw", "gift card balance", "2fa", pasted,
               "payments & billing", "money back", "cancel my order please thanks",
               "do I have to add tracking to every order"],
        "he": ["החזר כספי", "הזמנה", "איפה החבילה שלי", "מתי ההזמנה תגיע"],
        "fa": ["بازپرداخت", "سفارش", "رمز‌عبور", "رمز عبور", "سفارش‌ها", "پرداخت و صورت‌حساب",
               "چطور رمز عبور را عوض کنم"],
        "zh-CN": ["退款", "订单 取消", "密码"],
    }  # fmt: skip
    nonsense = ["purple elephant bicycle", "zxqv blorf wump"]
    for locale, qs in cases.items():
        searcher = Searcher.from_folder(locale_folder(demo_site, locale))
        for live in (False, True):
            python = [[h.url for h in searcher.search(q, live=live)] for q in [*qs, *nonsense]]
            js = [
                [u for u, _ in r]
                for r in browser_results(page, base, f"{locale}/search/", [*qs, *nonsense], live)
            ]
            assert python == js, (locale, live)
            assert all(python[: len(qs)]), (locale, qs)
            assert not any(python[len(qs) :]), (locale, nonsense)
