"""Whole-site builds of small fixtures, asserted on the produced HTML."""

import json
import shutil

import pytest

from helpgen.errors import HelpgenError
from helpgen.outdir import LEGACY_MARKER, state_dir
from helpgen.pipeline import build

from .conftest import html, write_files
from .sitecheck import broken_links

SHOP = {
    "helpgen.toml": """
        title = "Shop Help"
        base_url = "https://help.shop.test/"
        [[contact.channels]]
        id = "email"
        label = "Email us"
        url = "mailto:help@shop.test"
        type = "email"
    """,
    "content/_index.md": "---\ntitle: Shop Help\n---\nHello <there>.\n",
    "content/orders/_index.md": "---\ntitle: Orders\ndescription: Buying things\norder: 1\nicon: package\n---\nAll about orders.\n",
    "content/orders/cancel.md": """
        ---
        title: Cancel an order
        order: 2
        tags: [orders]
        promoted: true
        aliases: [/help/cancel/]
        updated: 2026-02-03
        ---
        Lead. See [the refund](../returns/refunds/refund.md#how-long) for money.

        ## Before it ships
        text

        ## After it ships
        text

        ## Still stuck
        text
    """,
    "content/orders/place.md": "---\ntitle: Place an order\norder: 1\n---\nShort.\n",
    "content/orders/zebra.md": "# Zebra <script>alert(1)</script>\n\nUntitled file with H1.\n",
    "content/returns/_index.md": "---\ntitle: Returns\norder: 2\n---\n",
    "content/returns/refunds/refund.md": "---\ntitle: Refunds\ntags: [orders]\n---\n## How long\nDays.\n",
}


@pytest.fixture
def shop(site):
    out, _report = site(SHOP)
    return out


def test_pages_exist_with_pretty_urls(shop):
    for rel in [
        "index.html",
        "orders/index.html",
        "orders/cancel/index.html",
        "returns/index.html",
        "returns/refunds/index.html",
        "returns/refunds/refund/index.html",
        "contact/index.html",
        "search/index.html",
        "404.html",
        "sitemap.xml",
    ]:
        assert (shop / rel).is_file(), rel
    assert broken_links(shop) == []
    assert not list(shop.rglob(".helpgen*")) and not list(shop.rglob("sources.json"))


def test_home_lists_topics_in_order_and_promoted(shop):
    doc = html(shop / "index.html")
    text = doc.get_text(" ")
    assert text.index("Orders") < text.index("Returns")
    assert "Buying things" in text
    promoted = [a.get_text(strip=True) for a in doc.select("main a[href='orders/cancel/']")]
    assert promoted and "Cancel an order" in promoted[0]


def test_topic_page_orders_articles_by_order_then_title(shop):
    doc = html(shop / "orders/index.html")
    titles = [
        a.get_text(strip=True)
        for a in doc.select("main a")
        if a.get("href", "").endswith(("place/", "cancel/", "zebra/"))
        and "aria-current" not in a.attrs
    ]
    order = [
        t
        for t in titles
        if t in ("Place an order", "Cancel an order", "Zebra <script>alert(1)</script>")
    ]
    assert order[:3] == ["Place an order", "Cancel an order", "Zebra <script>alert(1)</script>"]


def test_article_page(shop):
    doc = html(shop / "orders/cancel/index.html")
    assert doc.find("h1").get_text(strip=True) == "Cancel an order"
    assert doc.html["lang"] == "en" and doc.html["dir"] == "ltr"
    crumbs = [a["href"] for a in doc.select("nav[aria-label] a") if a["href"] in ("../../", "../")]
    assert "../../" in crumbs and "../" in crumbs
    assert doc.find("a", href="../../returns/refunds/refund/#how-long")
    toc = [
        a["href"]
        for a in doc.select("a[href^='#']")
        if a["href"] in ("#before-it-ships", "#after-it-ships", "#still-stuck")
    ]
    assert set(toc) == {"#before-it-ships", "#after-it-ships", "#still-stuck"}
    assert doc.select_one('time[datetime="2026-02-03"]').get_text() == "February 3, 2026"
    assert doc.find("a", href="../../contact/")  # Still need help?
    assert doc.find("link", rel="canonical")["href"] == "https://help.shop.test/orders/cancel/"
    # related: shares the 'orders' tag
    assert doc.find("a", href="../../returns/refunds/refund/")


def test_user_text_is_escaped(shop):
    raw = (shop / "orders/zebra/index.html").read_text()
    assert "<script>alert(1)</script>" not in raw
    assert "&lt;script&gt;" in raw
    for page in shop.rglob("*.html"):
        doc = html(page)
        scripts = doc.find_all("script")  # JSON-LD is data, not run: CSP allows it
        assert all(s.get("src") or s.get("type") == "application/ld+json" for s in scripts), page
        assert not any(k.startswith("on") for el in doc.find_all(True) for k in el.attrs), page


def test_alias_redirect_and_sitemap(shop):
    doc = html(shop / "help/cancel/index.html")
    refresh = doc.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh.endswith("url=../../orders/cancel/")
    sitemap = (shop / "sitemap.xml").read_text()
    assert "<loc>https://help.shop.test/orders/cancel/</loc>" in sitemap
    assert "<lastmod>2026-02-03</lastmod>" in sitemap


def test_contact_page_lists_channels(shop):
    doc = html(shop / "contact/index.html")
    [card] = doc.select("li.channel#channel-email")
    assert card.select_one("a")["href"].startswith("mailto:help@shop.test?subject=Shop%20Help")
    assert card.select_one(".channel-value").get_text() == "help@shop.test"


def test_offline_links_end_in_index_html(site):
    out, _ = site(SHOP, offline=True)
    doc = html(out / "orders/cancel/index.html")
    hrefs = [a["href"] for a in doc.find_all("a") if not a["href"].startswith(("#", "mailto"))]
    local = [h for h in hrefs if "://" not in h]
    assert local and all(h.split("#")[0].split("?")[0].endswith(".html") for h in local), local
    assert broken_links(out) == []


def test_no_sitemap_without_base_url(site):
    files = dict(SHOP)
    files["helpgen.toml"] = 'title = "x"\n'
    out, _ = site(files)
    assert not (out / "sitemap.xml").exists()
    assert html(out / "orders/cancel/index.html").find("link", rel="canonical") is None


MULTI = {
    "helpgen.toml": 'locales = ["en", "he", "zh-CN"]\n',
    "content/en/_index.md": "---\ntitle: Help\n---\n",
    "content/en/orders/_index.md": "---\ntitle: Orders\n---\n",
    "content/en/orders/cancel.md": "---\ntitle: Cancel\n---\n## Steps\nx\n",
    "content/en/orders/track.md": "---\ntitle: Track\n---\ntext\n",
    "content/he/_index.md": "---\ntitle: עזרה\n---\n",
    "content/he/orders/_index.md": "---\ntitle: הזמנות\n---\n",
    "content/he/orders/cancel.md": "---\ntitle: ביטול הזמנה\n---\n## שלבים\nטקסט\n",
    "content/zh-CN/_index.md": "---\ntitle: 帮助中心\n---\n",
}


def test_multilingual_site(site):
    out, report = site(MULTI)
    assert report.pages["en"] > 0 and report.pages["he"] > 0
    assert (out / "en/orders/cancel/index.html").is_file()
    he = html(out / "he/orders/cancel/index.html")
    assert he.html["lang"] == "he" and he.html["dir"] == "rtl"
    switch = {
        a.get("hreflang") or a.get("lang"): a["href"] for a in he.select("a[hreflang], a[lang]")
    }
    assert switch.get("en") == "../../../en/orders/cancel/"
    assert switch.get("zh-CN") == "../../../zh-CN/orders/cancel/"  # untranslated: the original
    en_track = html(out / "en/orders/track/index.html")
    links = {
        a.get("hreflang") or a.get("lang"): a["href"]
        for a in en_track.select("a[hreflang], a[lang]")
    }
    assert links.get("he") == "../../../he/orders/track/"  # English, in Hebrew chrome
    borrowed = html(out / "he/orders/track/index.html")
    assert borrowed.html["lang"] == "he" and borrowed.find(lang="en")  # body in its language
    root = html(out / "index.html")
    assert [a["href"] for a in root.select(".root-languages a[hreflang]")] == [
        "en/",
        "he/",
        "zh-CN/",
    ]
    assert broken_links(out) == []


def test_zero_config_plain_folder_guesses_language(tmp_path):
    write_files(
        tmp_path,
        {"שאלות.md": "# איך מבטלים הזמנה?\n\nפשוט מאוד: נכנסים לחשבון ולוחצים על ביטול.\n"},
    )
    report = build(tmp_path)
    doc = html(report.out_dir / "index.html")
    assert doc.html["lang"] == "he" and doc.html["dir"] == "rtl"
    assert (report.out_dir / "שאלות/index.html").is_file()


def test_broken_link_fails_build_and_keeps_previous_site(tmp_path):
    root = write_files(tmp_path, {"helpgen.toml": "", "content/a.md": "---\ntitle: A\n---\nok\n"})
    build(root)
    before = (root / "build/a/index.html").read_text()
    (root / "content/a.md").write_text("---\ntitle: A2\n---\n\n[b](b.md) [c](#nope)\n")
    with pytest.raises(HelpgenError) as exc:
        build(root)
    messages = [str(p) for p in exc.value.problems]
    assert any("a.md:5: link to a missing page 'b.md'" in m for m in messages)
    assert any("a.md:5: link to a missing anchor '#nope'" in m for m in messages)
    assert (root / "build/a/index.html").read_text() == before
    assert sorted(p.name for p in tmp_path.glob(".build*")) == [".build.helpgen"]
    assert sorted(p.name for p in state_dir(root / "build").iterdir()) == [
        "cache.pickle",
        "compile.pickle",
        "lock",
        "state.json",
        "templates",
        "tools",
    ]


def test_keeps_what_it_did_not_write_and_refuses_to_overwrite_it(tmp_path):
    root = write_files(tmp_path, {"content/a.md": "# A\n", "build/notes.txt": "mine"})
    build(root)
    assert (root / "build/notes.txt").read_text() == "mine"
    assert (root / "build/a/index.html").is_file()
    (root / "build/extra.txt").write_text("added later")
    build(root)
    assert (root / "build/extra.txt").read_text() == "added later"
    (root / "content/notes.txt.md").write_text("# Notes\n")  # -> build/notes.txt/index.html
    (root / "content/logo.png").write_text("png")  # an asset at build/logo.png…
    (root / "content/a.md").write_text("# A\n\n![Logo](logo.png)\n")
    (root / "build/logo.png").write_text("the deployer's")  # …where the deployer has one
    with pytest.raises(HelpgenError) as exc:
        build(root)
    assert sorted((p.path.name, p.message) for p in exc.value.problems) == [
        ("logo.png", "a file helpgen did not write is where the site needs a file"),
        ("notes.txt", "a file helpgen did not write is where the site needs a folder"),
    ]
    assert (root / "build/notes.txt").read_text() == "mine"
    assert (root / "build/logo.png").read_text() == "the deployer's"
    assert "Logo" not in (root / "build/a/index.html").read_text()  # nothing else touched


def test_url_collision_reported(site):
    with pytest.raises(HelpgenError, match="two pages would be written"):
        site({"content/a.md": "# A\n", "content/a/_index.md": "---\ntitle: A\n---\n"})


def test_site_theme_override(site):
    out, _ = site(
        {
            "content/a.md": "# A\n",
            "themes/default/templates/article.html": "<p id=mine>{{ article.title }}</p>",
            "themes/default/static/css/helpgen.css": "body{color:red}",
        }
    )
    assert html(out / "a/index.html").find(id="mine").text == "A"
    assert (out / "static/css/helpgen.css").read_text() == "body{color:red}"


def test_deep_hierarchy_breadcrumbs(site):
    out, _ = site({"content/a/b/c/d/e.md": "# Deep\n"})
    doc = html(out / "a/b/c/d/e/index.html")
    hrefs = [a["href"] for a in doc.select("nav a")]
    for expected in ("../../../../../", "../../../../", "../../../", "../../", "../"):
        assert expected in hrefs


def tree_bytes(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_output_is_deterministic_across_builds_and_workers(tmp_path):
    """The same input gives byte-identical output, built twice and with 1 or 2 worker processes."""
    from .conftest import REPO

    one = build(REPO, tmp_path / "one", jobs=1).out_dir
    again = build(REPO, tmp_path / "again", jobs=1).out_dir
    forked = build(REPO, tmp_path / "forked", jobs=2).out_dir  # the forked path, forced
    first = tree_bytes(one)
    assert len(first) > 100
    assert tree_bytes(again) == first
    assert tree_bytes(forked) == first


def test_leftovers_of_killed_builds_of_earlier_versions_are_cleaned(tmp_path):
    """Earlier versions swapped whole folders and marked them: a site killed between the two
    renames comes back, and their temporary folders go; an unmarked look-alike stays."""
    root = write_files(
        tmp_path / "s", {"content/a.md": "# A\n\n[b](b.md)\n", "content/b.md": "# B\n"}
    )
    out = root / "build"
    build(root)
    shutil.rmtree(state_dir(out))
    (out / LEGACY_MARKER).write_text(
        json.dumps({"files": [str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()]})
    )
    dead = 2**22 + 12345  # above any pid this test machine hands out
    out.rename(root / f".build.old-{dead}")
    (root / f".build.tmp-{dead + 1}").mkdir()
    (root / f".build.tmp-{dead + 1}" / LEGACY_MARKER).write_text('{"files": []}')
    (root / f".build.tmp-{dead + 1}" / "half.html").write_text("half")
    (root / f".build.tmp-{dead + 2}").mkdir()  # named like ours but not marked: not touched
    (root / f".build.tmp-{dead + 2}" / "notes.txt").write_text("mine")
    (root / "content/b.md").unlink()  # the next build fails on a broken link…
    with pytest.raises(HelpgenError):
        build(root, overrides={"broken_links": "error"})
    assert (out / "a/index.html").is_file() and (out / LEGACY_MARKER).is_file()  # …site is back
    assert sorted(p.name for p in root.iterdir()) == [f".build.tmp-{dead + 2}", "build", "content"]
    (root / "content/b.md").write_text("# B\n")
    build(root)  # the marker read as the list of helpgen's files, then removed
    assert not (out / LEGACY_MARKER).exists() and (out / "b/index.html").is_file()
