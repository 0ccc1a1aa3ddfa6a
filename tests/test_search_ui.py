"""The search box and results page in headless Chromium, under a strict CSP and from file://."""

import json
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from helpgen.pipeline import build
from helpgen.search.query import Searcher, locale_folder
from helpgen.theme import Theme, Translator

from .conftest import REPO, write_files

pytestmark = pytest.mark.browser


def index_requests(page) -> list[str]:
    urls: list[str] = []
    page.on(
        "request",
        lambda r: urls.append(r.url) if "/search/" in r.url and r.url.endswith(".json") else None,
    )
    return urls


def test_instant_results_keyboard_and_lazy_index(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    fetched = index_requests(page)
    page.goto(base + "en/orders/cancel-an-order/")
    page.wait_for_load_state("networkidle")
    assert fetched == []  # a plain page view never loads the index
    assert not page.evaluate("'HelpgenI18n' in window")  # nor search-ui.js, until the box is used
    box = page.locator("header input[name=q]")
    box.click()
    box.press_sequentially("refund", delay=30)
    options = page.locator("[role=listbox] [role=option]")
    options.first.wait_for()
    assert any("/search/index.json" in u for u in fetched)
    # only the postings of the words typed, not the whole index
    shards = {u for u in fetched if "/search/postings/" in u}
    assert 1 <= len(shards) < len(list((demo_site / "en/search/postings").glob("*.json")))
    assert box.get_attribute("aria-expanded") == "true"
    texts = options.all_inner_texts()
    assert any("Refunds" in t for t in texts)
    assert page.locator("[role=listbox] mark").count() >= 1  # matched words highlighted
    # each option then learns its section: the drop-down lists what the CLI finds, in order
    hits = Searcher.from_folder(locale_folder(demo_site, "en")).search("refund", live=True, limit=8)
    page.locator("[role=option] .search-option-heading").first.wait_for()
    hrefs = options.evaluate_all("(els) => els.map(a => a.getAttribute('href'))")
    assert hrefs[: len(hits)] == ["../../../" + h.url for h in hits]
    assert any("#" in h for h in hrefs)
    box.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").is_visible()
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/en/returns/.*"))
    assert page.errors == []


def test_later_queries_name_their_results_without_a_request(demo_site, serve_dir, page):
    """After the first results, every page row comes in one background download
    (pages/all.json): a later query's results are drawn without any pages/ request, with the
    titles, trails and links the CLI finds."""
    searcher = Searcher.from_folder(locale_folder(demo_site, "en"))
    index = json.loads((demo_site / "en/search/index.json").read_text(encoding="utf-8"))
    size = index["chunks"]["pages"]
    hits = searcher.search("shipping", live=True, limit=8)
    # the first query's rows are all in pages/0.json, the second's are not
    assert all(h.page < size for h in searcher.search("password", live=True, limit=8))
    assert any(h.page >= size for h in hits)
    base = serve_dir(demo_site)
    fetched = index_requests(page)
    page.goto(base + "en/orders/cancel-an-order/")
    box = page.locator("header input[name=q]")
    box.click()
    options = page.locator("[role=listbox] [role=option].search-option--result")
    with page.expect_request(lambda r: r.url.endswith("/en/search/pages/all.json")):
        box.fill("password")
        options.first.wait_for()
    decoded = page.evaluate(  # every row, as an engine that has no chunk reads it
        """async () => {
          const form = document.querySelector('header form[data-search-data]');
          const engine = await HelpgenSearch.load(form.getAttribute('data-search-data'));
          await engine.loadAllPages();
          const fresh = Object.create(Object.getPrototypeOf(engine));
          Object.assign(fresh, {pages: [], allPages: engine.allPages});
          return engine.allPages.map((row, i) => fresh.page(i));
        }"""
    )
    chunks = sorted((demo_site / "en/search/pages").glob("[0-9]*.json"), key=lambda p: int(p.stem))
    assert decoded == [row for c in chunks for row in json.loads(c.read_text(encoding="utf-8"))]
    assert [u.split("/search/")[1] for u in fetched if "/search/pages/" in u] == [
        "pages/0.json",
        "pages/all.json",
    ]
    seen = len(fetched)
    box.fill("shipping")
    titles = options.locator(".search-option-title")
    expect(titles).to_have_text([h.title for h in hits])
    trails = [
        " › ".join(h.breadcrumb[:-1] if h.breadcrumb[-1:] == [h.title] else h.breadcrumb)
        for h in hits
    ]
    assert [
        option.locator(".search-option-trail").all_inner_texts() for option in options.all()
    ] == [[t] if t else [] for t in trails]
    links = ["../../../" + h.url for h in hits]
    page.wait_for_function(  # each option learns its section (sections/N.json) and links to it
        "(want) => JSON.stringify([...document.querySelectorAll("
        "'[role=option].search-option--result')].map(a => a.getAttribute('href')))"
        " === JSON.stringify(want)",
        arg=links,
    )
    assert [u for u in fetched[seen:] if "/search/pages/" in u] == []
    assert page.errors == []


def test_escape_closes_then_clears(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.goto(base + "en/")
    box = page.locator("main input[name=q]").first  # the home page's big search box
    box.click()
    box.press_sequentially("password", delay=20)
    page.locator("[role=listbox] [role=option]").first.wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Escape")
    assert box.input_value() == ""


def test_results_page_from_a_shared_link(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.goto(base + "en/search/?q=" + quote("return policy"))
    first = page.locator(".search-result-link").first
    first.wait_for()
    assert "returns/return-policy/" in first.get_attribute("href")
    page.locator(".search-result-snippet mark").first.wait_for()
    assert page.locator("header input[name=q], main input[name=q]").first.input_value()
    assert page.errors == []


def test_results_page_links_every_result_to_its_section(demo_site, serve_dir, page):
    """Results below the first screen learn their section as they scroll into view."""
    hits = Searcher.from_folder(locale_folder(demo_site, "en")).search("order", limit=500)
    assert len(hits) > 25 and sum(1 for h in hits[20:] if h.anchor) > 5  # past the first 20
    base = serve_dir(demo_site)
    page.goto(base + "en/search/?q=order")
    links = page.locator(".search-result-link")
    links.first.wait_for()
    assert page.locator(".search-result").count() == len(hits)
    assert 20 <= links.count() < len(hits)  # rows further down are named as they come near
    pending = page.locator(".search-result-snippet.is-pending")
    for _ in range(len(hits)):  # scroll down the way a reader would, until every row is filled
        if pending.count() == 0:
            break
        pending.first.scroll_into_view_if_needed()
        page.wait_for_timeout(50)
    assert pending.count() == 0 and links.count() == len(hits)
    hrefs = [
        h.split("en/search/", 1)[-1]
        for h in links.evaluate_all("(els) => els.map(a => a.getAttribute('href'))")
    ]
    assert hrefs == ["../../" + h.url for h in hits]
    assert page.errors == []


def test_zero_results_offer_popular_articles_and_contact(demo_site, serve_dir, page):
    """Nothing found: the ways on (popular articles, contact)."""
    base = serve_dir(demo_site)
    page.goto(base + "en/search/?q=" + quote("zzqxv wvvkq"))
    page.get_by_text(re.compile("No results")).first.wait_for()
    fallback = page.locator("[data-search-fallback]")
    assert fallback.is_visible() and fallback.locator("a").count() >= 3
    assert page.locator("main a[href*='contact/']").count() >= 1


def test_weak_results_are_few_and_say_so(demo_site, serve_dir, page):
    """Only pages that match a third of the words: the closest few, under a summary that says
    none matches it all, with the contact options beside them; announced the same way."""
    base = serve_dir(demo_site)
    hits = Searcher.from_folder(locale_folder(demo_site, "en")).search("refund zzqxv wvvkq")
    assert hits and len(hits) <= 5 and all(hit.weak for hit in hits)
    page.goto(base + "en/search/?q=" + quote("refund zzqxv wvvkq"))
    summary = page.locator(".search-summary")
    summary.wait_for()
    assert summary.inner_text().startswith("No article matches all of")
    links = page.locator(".search-result-link")
    assert links.count() == len(hits)
    assert links.first.get_attribute("href").endswith(hits[0].url)
    expect(page.locator("[data-search-live]")).to_contain_text("No article matches all of")
    assert page.locator("main a[href*='contact/']").first.is_visible()
    # the header's drop-down says so too, above the same few and "see all"
    page.goto(base + "en/orders/cancel-an-order/")
    box = page.locator("header input[name=q]")
    box.fill("refund zzqxv wvvkq ")
    status = page.locator(".search-popup-status")
    expect(status).to_contain_text("No article matches all of")
    expect(page.locator("[role=listbox] [role=option]")).to_have_count(len(hits) + 1)
    box.fill("refund ")
    expect(status).to_be_hidden()  # a strong search has no such line
    assert page.errors == []


@pytest.mark.parametrize(
    ("locale", "query", "expected"),
    [
        ("he", "מדיניות החזרה", "he/returns/return-policy/"),
        ("fa", "سياست بازگشت", "fa/returns/return-policy/"),  # Arabic keyboard, Persian text
        ("zh-CN", "退货政策", "zh-CN/returns/return-policy/"),
    ],
)
def test_search_in_rtl_and_cjk(demo_site, serve_dir, page, locale, query, expected):
    base = serve_dir(demo_site)
    page.goto(f"{base}{locale}/search/?q={quote(query)}")
    first = page.locator(".search-result-link").first
    first.wait_for()
    assert expected in first.get_attribute("href")
    page.locator(".search-result-snippet mark").first.wait_for()
    assert page.errors == []


def test_offline_search_from_disk(tmp_path, page):
    out = tmp_path / "offline"
    build(REPO, out, overrides={"offline": True})
    page.goto((out / "en/search/index.html").as_uri() + "?q=refund")
    first = page.locator(".search-result-link").first
    first.wait_for()
    assert first.get_attribute("href").split("#")[0].endswith("refunds/index.html")
    # then every page row, from pages/all.js: a later query's rows are right from it too
    page.evaluate(
        """async () => {
          const form = document.querySelector('form[data-search-data]');
          const engine = await HelpgenSearch.load(form.getAttribute('data-search-data'),
                                                  {offline: true});
          await engine.loadAllPages();
        }"""
    )
    hits = Searcher.from_folder(out / "en/search").search("shipping", live=True, limit=500)
    assert len(hits) > 20
    page.locator("main input[name=q]").fill("shipping")
    expect(page.locator(".search-summary")).to_contain_text("shipping")
    links = page.locator(".search-result-link")
    expect(links).to_have_count(len(hits))  # every row named at once, the first 20 described
    hrefs = [
        h.replace("index.html", "")
        for h in links.evaluate_all("(els) => els.map(a => a.getAttribute('href'))")
    ]
    assert hrefs[:20] == ["../../" + h.url for h in hits[:20]]
    assert [h.split("#")[0] for h in hrefs] == ["../../" + h.url.split("#")[0] for h in hits]
    assert page.errors == []


def test_misspelling_gets_a_did_you_mean(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.goto(base + "en/search/?q=" + quote("pasward reset"))
    hint = page.locator("main a[href*='q=password']").first
    hint.wait_for()
    hint.click()
    page.locator(".search-result-link").first.wait_for()
    assert "account/reset-your-password/" in page.locator(
        ".search-result-link"
    ).first.get_attribute("href")


def test_search_boxes_follow_aria_in_html(demo_site):
    """No role or aria-expanded on a type=search input (ARIA in HTML): the boxes that become
    comboboxes are text boxes with a search keyboard; the search page's own box stays search."""
    pages = sorted(demo_site.rglob("*.html"))
    boxes = [
        (p, tag) for p in pages for tag in re.findall(r"<input[^>]*name=\"q\"[^>]*>", p.read_text())
    ]
    assert len(boxes) > 100
    for path, tag in boxes:
        rel = path.relative_to(demo_site).as_posix()
        assert "role=" not in tag and "aria-" not in tag, (rel, tag)
        assert 'inputmode="search"' in tag and 'enterkeyhint="search"' in tag, (rel, tag)
        on_search_page = "/search/" in "/" + rel
        assert ('type="search"' if on_search_page else 'type="text"') in tag, (rel, tag)


def test_instant_box_is_a_valid_combobox(demo_site, serve_dir, page):
    page.goto(serve_dir(demo_site) + "he/orders/")
    box = page.locator("header input[name=q]")
    box.click()
    attrs = box.evaluate(
        """(el) => ({type: el.type, role: el.getAttribute("role"),
                     auto: el.getAttribute("aria-autocomplete"),
                     expanded: el.getAttribute("aria-expanded"),
                     controls: (document.getElementById(el.getAttribute("aria-controls")) || {})
                       .getAttribute?.("role"),
                     search: el.closest("form").getAttribute("role")})"""
    )
    assert attrs == {
        "type": "text",
        "role": "combobox",
        "auto": "list",
        "expanded": "false",
        "controls": "listbox",
        "search": "search",
    }
    assert page.errors == []


def strings(locale: str) -> Translator:
    return Translator(Theme.for_site(REPO).strings(locale))


def test_result_counts_in_the_readers_language(demo_site, serve_dir, page):
    """The search page says how many results the way the HTML would: Hebrew "two results" in
    words, Persian digits."""
    base = serve_dir(demo_site)
    he = Searcher.from_folder(locale_folder(demo_site, "he"))
    pairs = [
        w for w in ("אימות", "אישור", "אוטומטית", "אחרים") if len(he.search(w, limit=500)) == 2
    ]
    assert pairs, "no Hebrew word with exactly two results in the demo"
    for locale, query, n in (
        ("he", pairs[0], 2),
        ("fa", "سياست بازگشت", None),
        ("en", "refund", None),
    ):
        hits = Searcher.from_folder(locale_folder(demo_site, locale)).search(query, limit=500)
        page.goto(f"{base}{locale}/search/?q={quote(query)}")
        summary = page.locator(".search-summary")
        summary.wait_for()
        assert page.locator(".search-result").count() == len(hits) == (n or len(hits))
        want = strings(locale)("search_results_for", n=len(hits), query=query)
        assert summary.inner_text() == want
        if locale == "he":
            assert want.startswith("שתי תוצאות")
        if locale == "fa":
            assert re.search("[۰-۹]", want) and not re.search("[0-9]", want)
    assert page.errors == []


def test_a_search_box_from_an_older_override_becomes_a_text_combobox(tmp_path, serve_dir, page):
    """A site's own search_form.html may still say type="search": the script makes the box a
    text box before it gives it the combobox role."""
    form = (REPO / "themes/default/templates/partials/search_form.html").read_text()
    old = "type=\"{{ 'search' if page.kind == 'search' else 'text' }}\" inputmode=\"search\""
    assert old in form
    files = {
        "content/orders/cancel.md": "# Cancel an order\n\nHow to cancel.\n",
        "themes/default/templates/partials/search_form.html": form.replace(old, 'type="search"'),
    }
    write_files(tmp_path / "site", files)
    out = build(tmp_path / "site").out_dir
    assert 'type="search"' in (out / "orders/cancel/index.html").read_text()
    page.goto(serve_dir(out) + "orders/cancel/")
    box = page.locator("header input[name=q]")
    box.wait_for()
    got = box.evaluate("(el) => [el.type, el.getAttribute('role'), el.inputMode]")
    assert got == ["text", "combobox", "search"]
    assert page.errors == []
