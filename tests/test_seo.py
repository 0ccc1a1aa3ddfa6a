"""What crawlers and link previews read, on built sites: hreflang in page heads equal to
sitemap.xml's alternates (real translations only, x-default), canonical links, JSON-LD that
matches the visible page, robots.txt; pages shown untranslated; per-locale images; the root that
sends a reader to their language, in Chromium."""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from helpgen.errors import HelpgenError
from helpgen.model import Section
from helpgen.pipeline import build
from helpgen.search.query import Searcher, locale_folder
from helpgen.seo import json_ld, og_locale, questions

from .conftest import REPO, TOR, html, write_files

BASE = "https://help.juniper.test/docs/"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
UNTRANSLATED = 'data-helpgen="untranslated"'


@pytest.fixture(scope="module")
def seo_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with a base_url under a sub-path."""
    out = tmp_path_factory.mktemp("seo") / "build"
    build(REPO, out, overrides={"base_url": BASE})
    return out


@pytest.fixture(scope="module")
def seo_tor(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Tor support corpus in four languages (as tests/test_corpus.py builds it)."""
    if not TOR.is_dir():
        pytest.skip("../shared/corpora not present")
    root = tmp_path_factory.mktemp("tor") / "site"
    write_files(
        root,
        {
            "helpgen.toml": 'title = "Tor Support"\nlocales = ["en", "zh-CN", "fa", "he"]\n'
            f'broken_links = "warn"\nbase_url = "{BASE}"\n'
        },
    )
    (root / "content").mkdir()
    for lang in ["en", "zh-CN", "fa", "he"]:
        os.symlink(TOR / lang, root / "content" / lang)
    return build(root).out_dir


# --- reading a built site -----------------------------------------------------------------
def sitemap(out: Path) -> dict[str, tuple[str | None, frozenset[tuple[str, str]]]]:
    """loc -> (lastmod, {(hreflang, href)})."""
    from xml.etree import ElementTree

    found = {}
    for url in ElementTree.parse(out / "sitemap.xml").getroot().findall("sm:url", NS):
        lastmod = url.find("sm:lastmod", NS)
        alternates = frozenset(
            (link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)
        )
        found[url.find("sm:loc", NS).text] = (
            lastmod.text if lastmod is not None else None,
            alternates,
        )
    return found


@cache
def text_of(file: Path) -> str:
    return file.read_text(encoding="utf-8")


@cache
def head(file: Path) -> BeautifulSoup:
    text = text_of(file)
    return BeautifulSoup(text[: text.find("</head>")], "html.parser")


def alternates_in(file: Path) -> frozenset[tuple[str, str]]:
    return frozenset(
        (link["hreflang"], link["href"])
        for link in head(file).find_all("link", rel="alternate")
        if link.get("hreflang")
    )


def canonical_of(file: Path) -> str | None:
    link = head(file).find("link", rel="canonical")
    return link["href"] if link else None


def url_of(out: Path, file: Path) -> str:
    rel = file.relative_to(out).as_posix()
    return BASE + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def file_of(out: Path, url: str) -> Path:
    assert url.startswith(BASE), url
    rel = url[len(BASE) :]
    return out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)


def noindex(file: Path) -> bool:
    robots = head(file).find("meta", attrs={"name": "robots"})
    return robots is not None and "noindex" in robots["content"]


# --- hreflang, canonical, sitemap ------------------------------------------------------------
@pytest.mark.parametrize("corpus", ["seo_demo", "seo_tor"])
def test_hreflang_in_every_head_equals_the_sitemap_and_names_real_translations(corpus, request):
    out: Path = request.getfixturevalue(corpus)
    listed = sitemap(out)
    assert listed, "an empty sitemap"
    for loc, (_, alternates) in listed.items():  # every listed page exists and may be indexed
        file = file_of(out, loc)
        assert file.is_file() and not noindex(file), loc
        assert canonical_of(file) == loc
        assert UNTRANSLATED not in text_of(file), loc
        if alternates:
            assert "x-default" in {h for h, _ in alternates}, loc
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > len(listed)
    for file in pages:
        found, url = alternates_in(file), url_of(out, file)
        if url not in listed:  # 404, search, redirects, pages shown untranslated
            assert found == frozenset(), file
            assert noindex(file) or canonical_of(file) != url, file
            continue
        assert found == listed[url][1], file
        for hreflang, href in found:  # each alternate: a real translation listing the same set
            target = file_of(out, href)
            assert UNTRANSLATED not in text_of(target), (file, href)
            assert alternates_in(target) == found, (file, href)
            if hreflang != "x-default":
                lang = re.search(r'<html lang="([^"]+)"', text_of(target))
                assert lang and lang.group(1) == hreflang, (file, href)


def test_sitemap_lists_contact_whats_new_and_the_root_with_lastmod(seo_demo):
    listed = sitemap(seo_demo)
    for code in ("en", "he", "fa", "zh-CN"):
        assert f"{BASE}{code}/contact/" in listed
        assert f"{BASE}{code}/" in listed
        assert f"{BASE}{code}/search/" not in listed
    root = listed[BASE][1]
    assert ("x-default", BASE) in root and ("he", BASE + "he/") in root
    assert listed[f"{BASE}en/"][1] == root  # the homes and the root are one set
    lastmod, alternates = listed[f"{BASE}en/returns/return-policy/"]
    assert lastmod == "2026-11-01"
    assert ("x-default", BASE + "en/returns/return-policy/") in alternates
    assert listed[f"{BASE}en/whats-new/"][0] == "2026-11-01"  # its newest entry
    # an English article nobody translated: listed without alternates; its fallbacks are not
    assert listed[f"{BASE}en/selling/listings/photo-guidelines/"][1] == frozenset()
    assert f"{BASE}he/selling/listings/photo-guidelines/" not in listed


def test_sitemap_and_robots_are_byte_identical_across_builds(tmp_path):
    one, two = (build(REPO, tmp_path / n, overrides={"base_url": BASE}).out_dir for n in "ab")
    for name in ("sitemap.xml", "robots.txt", "index.html", "he/orders/index.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_robots_txt_allows_all_and_names_the_sitemap_only_with_base_url(seo_demo, site):
    assert (seo_demo / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )
    out, _ = site({"content/a.md": "# A\n"})
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    assert not (out / "sitemap.xml").exists()
    assert html(out / "a/index.html").find("link", rel="alternate", hreflang=True) is None


def test_og_locales(seo_demo):
    doc = head(seo_demo / "he/orders/cancel-an-order/index.html")
    assert doc.find("meta", property="og:locale")["content"] == "he_IL"
    others = {m["content"] for m in doc.find_all("meta", property="og:locale:alternate")}
    assert others == {"en_US", "fa_IR", "zh_CN"}
    assert doc.find("meta", property="og:url")["content"] == BASE + "he/orders/cancel-an-order/"
    assert doc.find("meta", property="og:image") is None  # none configured
    assert [og_locale(c) for c in ("en", "zh-CN", "pt-BR", "ar")] == [
        "en_US",
        "zh_CN",
        "pt_BR",
        "ar_EG",
    ]


def test_og_image_is_the_configured_address_on_every_page_and_escaped(tmp_path, site):
    image = 'https://cdn.example/card.png?a=1&b="x"'
    out = build(REPO, tmp_path / "o", overrides={"og_image": image}).out_dir
    for page in ("index.html", "en/index.html", "he/orders/cancel-an-order/index.html"):
        assert head(out / page).find("meta", property="og:image")["content"] == image
    assert "&amp;b=&#34;x&#34;" in (out / "en/index.html").read_text()  # escaped where it lands
    with pytest.raises(HelpgenError, match="og_image"):
        site({"helpgen.toml": 'og_image = "card.png"\n', "content/a.md": "# A\n"})


# --- JSON-LD ---------------------------------------------------------------------------------
def structured(doc: BeautifulSoup) -> dict[str, dict]:
    [script] = doc.find_all("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org"
    return {item["@type"]: item for item in data["@graph"]}


def test_json_ld_matches_the_visible_page(seo_demo):
    checked = 0
    for file in sorted(seo_demo.rglob("index.html")):
        text = file.read_text(encoding="utf-8")
        kind = re.search(r'<body class="page-(\w+)"', text)
        if not kind or kind.group(1) not in ("article", "topic") or UNTRANSLATED in text:
            assert 'application/ld+json"' not in text or kind.group(1) == "home", file
            continue
        doc = html(file)
        url = url_of(seo_demo, file)
        items = structured(doc)
        crumbs = doc.select("nav.breadcrumbs li")
        trail = items["BreadcrumbList"]["itemListElement"]
        assert [i["position"] for i in trail] == list(range(1, len(crumbs) + 1))
        assert [i["name"] for i in trail] == [li.get_text(strip=True) for li in crumbs]
        links = [urljoin(url, li.a["href"]) for li in crumbs if li.a]
        assert [i["item"] for i in trail] == [*links, url]
        if kind.group(1) == "article":
            article = items["Article"]
            assert article["headline"] == doc.h1.get_text(strip=True)
            assert article["url"] == url and article["inLanguage"] == doc.html["lang"]
            shown = doc.select_one(".article-meta time")
            assert article.get("dateModified") == (shown["datetime"] if shown else None)
            assert "FAQPage" not in items  # no demo article is all questions
        checked += 1
    assert checked > 100


def test_json_ld_cannot_end_its_script_and_faq_only_for_real_questions(site):
    out, _ = site(
        {
            "helpgen.toml": 'base_url = "https://h.test/"\n',
            "content/faq/_index.md": "---\ntitle: FAQ </script><b>&\n---\n",
            "content/faq/all.md": "# Billing FAQ\n\n## Can I pay later?\n\nYes, with invoices."
            "\n\n## Is it safe?\n\n### Cards\n\nEncrypted.\n",
            "content/faq/mixed.md": "# Mixed\n\n## Can I pay later?\n\nYes.\n\n## Fees\n\nNone.\n",
            "content/faq/guide.md": "---\ntype: guide\n---\n# Fix it\n\n## Is it on?\n\n"
            "- [Yes](#done)\n- [No](#done)\n\n## Done {#done}\n\nGood.\n",
        }
    )
    topic = (out / "faq/index.html").read_text()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', topic, re.S)
    assert block and not re.search(r"[<>&]", block.group(1))
    assert json.loads(block.group(1))["@graph"][0]["itemListElement"][-1]["name"] == (
        "FAQ </script><b>&"
    )
    faq = structured(html(out / "faq/all/index.html"))["FAQPage"]
    assert [(q["name"], q["acceptedAnswer"]["text"]) for q in faq["mainEntity"]] == [
        ("Can I pay later?", "Yes, with invoices."),
        ("Is it safe?", "Cards Encrypted."),
    ]
    assert "FAQPage" not in structured(html(out / "faq/mixed/index.html"))
    assert "FAQPage" not in structured(html(out / "faq/guide/index.html"))


@given(st.text())
def test_json_ld_text_never_holds_markup_and_reads_back(text):
    block = str(json_ld([{"name": text}]))
    assert not re.search(r"[<>&]", block)
    assert json.loads(block)["@graph"][0]["name"] == text


_titles = st.text(min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(st.tuples(st.sampled_from([2, 3]), _titles, st.text(max_size=8)), max_size=6))
def test_a_page_is_questions_and_answers_when_every_h2_is_an_answered_question(rows):
    sections = [Section(f"s{i}", title, level, text) for i, (level, title, text) in enumerate(rows)]
    found = questions(sections)
    h2 = [i for i, s in enumerate(sections) if s.level == 2]
    ends = [*h2[1:], len(sections)] if h2 else []
    answered = [
        " ".join(
            t
            for t in [sections[i].text]
            + [f"{s.title} {s.text}" for s in sections[i + 1 : end] if s.level > 2]
            if t
        ).strip()
        for i, end in zip(h2, ends, strict=True)
    ]
    real = len(h2) >= 2 and all(
        sections[i].title.strip().endswith(("?", "？", "؟")) and a
        for i, a in zip(h2, answered, strict=True)
    )
    assert bool(found) == real
    if real:
        assert [q for q, _ in found] == [sections[i].title.strip() for i in h2]


# --- pages shown untranslated -----------------------------------------------------------------


def test_a_translation_links_to_pages_it_shows_untranslated(site):
    files = {
        "helpgen.toml": 'locales = ["en", "he"]\n',
        "content/en/_index.md": "# Help\n",
        "content/en/orders/_index.md": "# Orders\n",
        "content/en/orders/track.md": "# Track\n\n## Late parcels\n\n![map](map.png)\n",
        "content/en/orders/map.png": "png",
        "content/he/_index.md": "# עזרה\n",
        "content/he/cancel.md": (
            "# ביטול\n\n[מעקב](orders/track.md#late-parcels) [הזמנות](orders/_index.md) "
            "![מפה](orders/map.png)\n"
        ),
    }
    out, report = site(files)
    doc = html(out / "he/cancel/index.html")
    assert doc.find("a", string="מעקב")["href"] == "../orders/track/#late-parcels"
    assert doc.find("a", string="הזמנות")["href"] == "../orders/"
    assert (out / "he/orders/track/index.html").is_file() and (out / "he/orders/map.png").is_file()
    assert not [w for w in report.warnings if w.level == "error"]
    files["content/he/cancel.md"] = "# ביטול\n\n[מעקב](orders/track.md#nope)\n"
    with pytest.raises(HelpgenError, match="missing anchor '#nope'"):
        site(files)


def test_untranslated_article_in_the_locales_chrome_with_a_notice(seo_demo):
    fallback = seo_demo / "he/selling/listings/photo-guidelines/index.html"
    doc = html(fallback)
    assert doc.html["lang"] == "he" and doc.html["dir"] == "rtl"
    notice = doc.select_one('[data-helpgen="untranslated"]')
    assert notice.get_text() == "הדף הזה עדיין לא תורגם. מוצגת הגרסה המקורית באנגלית."
    body = doc.select_one(".article-body > div")
    assert (body["lang"], body["dir"]) == ("en", "ltr") and "Photos are" in body.get_text()
    assert doc.h1.span["lang"] == "en"
    assert canonical_of(fallback) == BASE + "en/selling/listings/photo-guidelines/"
    assert alternates_in(fallback) == frozenset()
    assert doc.select_one(".skip-link").get_text() == "דילוג לתוכן הראשי"  # Hebrew chrome
    # reached from the original's language switcher and from the Hebrew topic
    original = html(seo_demo / "en/selling/listings/photo-guidelines/index.html")
    assert original.select_one(".lang-switcher a[hreflang='he']")["href"] == (
        "../../../../he/selling/listings/photo-guidelines/"
    )
    topic = html(seo_demo / "he/selling/listings/index.html")
    listed = topic.select_one("a[href='photo-guidelines/'] .untranslated")
    assert listed["lang"] == "en" and listed.get_text() == "Photo guidelines"
    assert topic.select_one('[data-helpgen="untranslated"]')  # the topic is borrowed too
    # not in Hebrew search: its words are English ones, found in the English index
    hits = Searcher.from_folder(locale_folder(seo_demo, "he")).search("photo guidelines")
    assert not [h for h in hits if "photo-guidelines" in h.url]
    en_hits = Searcher.from_folder(locale_folder(seo_demo, "en")).search("photo guidelines")
    assert en_hits and en_hits[0].url == "en/selling/listings/photo-guidelines/"


def test_translated_pages_list_untranslated_ones_and_a_home_has_none(seo_demo):
    home = html(seo_demo / "he/index.html")
    assert not home.select('[data-helpgen="untranslated"]')
    selling = home.select_one("a.card-link[href='selling/'] .untranslated")
    assert selling is not None and selling["lang"] == "en"
    own = html(seo_demo / "he/returns/return-policy/index.html")
    assert not own.select('[data-helpgen="untranslated"]')
    assert canonical_of(seo_demo / "he/returns/return-policy/index.html") == (
        BASE + "he/returns/return-policy/"
    )
    sidebar = {a["href"]: a.span.get("lang") for a in own.select(".sidebar-list a")}
    assert sidebar["../refunds/"] is None  # translated
    assert sidebar["../damaged-or-defective-items/"] is None  # Hebrew has it
    assert "en" in sidebar.values()  # and English-only ones, marked


def test_pages_for_another_audience_are_not_borrowed(site):
    files = {
        "helpgen.toml": 'locales = ["en", "he"]\n[[audiences]]\nid = "buyers"\n'
        'label = { en = "Buying" }\n[[audiences]]\nid = "sellers"\nlabel = { en = "Selling" }\n',
        "content/en/fees.md": "# Fees\n",
        "content/he/fees.md": "---\naudience: [sellers]\n---\n# עמלות\n",
        "content/en/cancel.md": "# Cancel\n",
    }
    out, _ = site(files, audience="buyers")
    assert (out / "en/fees/index.html").is_file() and (out / "he/cancel/index.html").is_file()
    assert not (out / "he/fees/index.html").exists()  # Hebrew's is for sellers: not shown
    assert html(out / "en/fees/index.html").select_one(".lang-switcher a[hreflang='he']")[
        "href"
    ] == ("../../he/")


def test_each_locale_shows_its_own_image_else_the_default_locales(site):
    out, _ = site(
        {
            "helpgen.toml": 'locales = ["en", "he", "zh-CN"]\n',
            "content/en/a.md": "# A\n\n![Label](img/label.svg)\n",
            "content/en/img/label.svg": "<svg>en</svg>",
            "content/en/img/unused.svg": "<svg>unused</svg>",
            "content/en/b.md": "# B\n",
            "content/he/b.md": "# ב\n",
            "content/he/img/label.svg": "<svg>he</svg>",
            "content/zh-CN/_index.md": "---\ntitle: 帮助\n---\n",
        }
    )
    for code, expected in (("en", "en"), ("he", "he"), ("zh-CN", "en")):
        page = out / code / "a/index.html"
        src = html(page).select_one(".article-body img")["src"]
        assert (page.parent / src).resolve().read_text() == f"<svg>{expected}</svg>", code
    assert not (out / "zh-CN/img/unused.svg").exists()  # only files a page shows are copied
    assert (out / "en/img/unused.svg").exists()


def test_offline_404_page_keeps_relative_links(site):
    out, _ = site({"content/en/a.md": "# A\n", "helpgen.toml": "offline = true\n"})
    doc = html(out / "404.html")
    refs = [e.get("href") or e.get("src") for e in doc.select("[href], [src]")]
    assert refs and not [r for r in refs if r.startswith("/")]


def test_404_page_links_start_at_base_urls_path_without_base(seo_demo):
    text = (seo_demo / "he/404.html").read_text(encoding="utf-8")
    assert "<base" not in text
    doc = html(seo_demo / "he/404.html")
    refs = {e.get("href") or e.get("src") for e in doc.select("[href], [src]")} - {"#main"}
    assert refs and all(r.startswith("/docs/") for r in refs), refs
    assert doc.select_one(".brand")["href"] == "/docs/he/"
    assert doc.body["data-site-root"] == "/docs/"


# --- the root chooser, in Chromium -----------------------------------------------------------
@pytest.mark.parametrize(
    ("languages", "lands"),
    [
        (["he-IL", "en"], "he/"),
        (["fr-FR", "fr"], "en/"),
        (["zh-TW"], "zh-CN/"),  # the same language in another region
        (["de", "fa-IR"], "fa/"),  # the first language the site has
    ],
)
def test_root_sends_a_reader_to_their_language(browser, demo_site, serve_dir, languages, lands):
    base = serve_dir(demo_site)
    context = browser.new_context(locale=languages[0])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    context.add_init_script(
        f"Object.defineProperty(navigator, 'languages', {{get: () => {json.dumps(languages)}}})"
    )
    page.goto(base)
    page.wait_for_url(base + lands)
    assert errors == []
    context.close()


def test_root_without_javascript_links_every_language(browser, demo_site, serve_dir):
    base = serve_dir(demo_site)
    context = browser.new_context(java_script_enabled=False, locale="he-IL")
    page = context.new_page()
    page.goto(base)
    assert page.url == base
    links = page.locator(".root-languages a")
    assert links.evaluate_all("els => els.map(a => a.getAttribute('hreflang'))") == [
        "en",
        "he",
        "fa",
        "zh-CN",
    ]
    assert links.nth(1).inner_text().startswith("עברית")
    links.nth(1).click()
    page.wait_for_url(base + "he/")
    context.close()


def test_root_remembers_the_language_chosen_in_the_switcher(browser, demo_site, serve_dir):
    base = serve_dir(demo_site)
    context = browser.new_context(locale="he-IL")
    page = context.new_page()
    page.goto(base + "en/orders/")
    page.locator("details.lang-switcher:not([data-helpgen]) summary").click()
    page.locator(".lang-menu a[hreflang='fa']").click()
    page.wait_for_url(base + "fa/orders/")
    page.goto(base)
    page.wait_for_url(base + "fa/")
    context.close()


def test_a_one_language_site_has_its_home_at_the_root(site):
    out, _ = site({"content/a.md": "# A\n", "helpgen.toml": 'base_url = "https://h.test/"\n'})
    doc = html(out / "index.html")
    assert doc.body["class"] == ["page-home"] and not doc.select(".root-languages")
    assert PurePosixPath("index.html") and canonical_of(out / "index.html") == "https://h.test/"


def test_untranslated_pages_link_to_sections_that_exist(seo_demo):
    """A section of a translated page has a translated id: a link from an untranslated page to
    a section its translation lacks leads to the original's section instead."""
    mended = html(seo_demo / "fa/shipping/delivery-problems/package-hasnt-arrived/index.html")
    assert mended.select_one("a[href$='#report-it-to-us']")["href"] == (
        "../../../../en/shipping/delivery-problems/package-marked-delivered-not-received/"
        "#report-it-to-us"
    )
    checked = 0
    for file in sorted(seo_demo.rglob("index.html")):
        if UNTRANSLATED not in text_of(file):
            continue
        for a in html(file).select(".article-body a[href*='#'], .topic-intro a[href*='#']"):
            path, _, fragment = a["href"].partition("#")
            if not path or "://" in path:
                continue
            target = (file.parent / path / "index.html").resolve()
            assert html(target).find(id=fragment) is not None, (file, a["href"])
            checked += 1
    assert checked > 10
