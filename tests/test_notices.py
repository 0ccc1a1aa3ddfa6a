"""Telling customers what changed: notice banners (per locale, topic and date; dismissible;
hidden by the reader's clock after their end), the What's new page, the Atom feed per locale,
an article's `changes:` note, and the `check` lint for a notice link that goes nowhere."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner

from helpgen import notices
from helpgen.cli import main
from helpgen.config import ANY_LOCALE, Notice, Text
from helpgen.errors import HelpgenError
from helpgen.feed import FEED_LIMIT, WHATS_NEW_LIMIT
from helpgen.pipeline import build

from .conftest import html, write_files

TODAY = dt.date.today()
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
SITE = "http://site.test/"  # where a built page is imagined, to resolve its relative links


@pytest.fixture(autouse=True)
def one_day(monkeypatch):
    """Builds here see the day this module's dates were worked out from, however long the
    run is (a run that crosses midnight would otherwise build with the next day)."""
    from helpgen import pages, patch, pipeline, quick

    for module in (notices, pages, patch, pipeline, quick):
        monkeypatch.setattr(module, "today", lambda: TODAY)


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def shown(doc) -> list[str]:
    return [n["data-notice-id"] for n in doc.select('[data-helpgen="notice"]')]


def banner(doc, notice_id: str):
    return doc.select_one(f'[data-helpgen="notice"][data-notice-id="{notice_id}"]')


def resolved(page_url: str, href: str) -> str:
    """A relative href on the page at site-root `page_url`, as a site-root path."""
    return urljoin(SITE + page_url, href).removeprefix(SITE)


NOTICES_TOML = f"""\
title = "Acme Help"
locales = ["en", "he", "fa"]

[[notices]]
id = "everywhere"
text = "We're moving warehouses this week."
link = "https://status.acme.test/move"

[[notices]]
id = "returns-window"
text = {{ en = "You now have 45 days to return items.", he = "עכשיו יש לכם 45 יום להחזיר פריטים." }}
link = "returns/policy.md#window"
topics = ["returns/**"]
start = {day(-10)}
end = {day(10)}

[[notices]]
id = "ended"
text = "Yesterday's news."
end = {day(-1)}

[[notices]]
id = "not-yet"
text = "Tomorrow's news."
start = "{day(1)}"
"""

POLICY = "---\ntitle: {title}\n---\nIntro.\n\n## How long you have {{#window}}\n\nDays.\n"
NOTICES_SITE = {
    "helpgen.toml": NOTICES_TOML,
    "content/en/_index.md": "---\ntitle: Acme help\n---\nWelcome.\n",
    "content/en/returns/_index.md": "---\ntitle: Returns\n---\n",
    "content/en/returns/policy.md": POLICY.format(title="Return policy"),
    "content/en/returns/labels/print-a-label.md": "---\ntitle: Print a label\n---\nPrint it.\n",
    "content/en/orders/cancel.md": "---\ntitle: Cancel an order\n---\nCancel.\n",
    "content/he/_index.md": "---\ntitle: עזרה\n---\nשלום.\n",
    "content/he/returns/policy.md": POLICY.format(title="מדיניות החזרה"),
    "content/he/orders/cancel.md": "---\ntitle: ביטול הזמנה\n---\nביטול.\n",
    "content/fa/_index.md": "---\ntitle: راهنما\n---\nسلام.\n",
    "content/fa/returns/policy.md": POLICY.format(title="سیاست مرجوعی"),
}


# --- which notices a page shows ---------------------------------------------------------------
def test_banners_by_topic_locale_and_date(site):
    out, _ = site(NOTICES_SITE)
    expect = {
        "en/": ["everywhere"],  # home: no topic a glob matches
        "en/returns/": ["everywhere", "returns-window"],
        "en/returns/policy/": ["everywhere", "returns-window"],
        "en/returns/labels/print-a-label/": ["everywhere", "returns-window"],  # returns/** depth
        "en/orders/cancel/": ["everywhere"],
        "en/contact/": ["everywhere"],  # a page of no topic: notices without topics only
        "en/search/": ["everywhere"],
        "he/returns/policy/": ["everywhere", "returns-window"],
        "he/orders/cancel/": ["everywhere"],
        "fa/returns/policy/": ["everywhere"],  # no Persian text: no banner (no fallback)
    }
    for url, ids in expect.items():
        assert shown(html(out / url / "index.html")) == ids, url
    assert shown(html(out / "en/404.html")) == ["everywhere"]


def test_banner_markup_link_end_date_and_close_button(site):
    out, _ = site(NOTICES_SITE)
    doc = html(out / "en/returns/labels/print-a-label/index.html")
    box = banner(doc, "returns-window")
    assert box["aria-label"] == "Announcement"
    assert box["data-end"] == day(10)
    assert "45 days" in box.get_text()
    link = box.select_one("a.site-notice-link")
    assert link.get_text(strip=True) == "Read more"
    assert resolved("en/returns/labels/print-a-label/", link["href"]) == "en/returns/policy/#window"
    text_id = link["aria-describedby"]
    assert doc.find(id=text_id).get_text(strip=True) == "You now have 45 days to return items."
    close = box.select_one("button[data-notice-close]")
    assert close.has_attr("hidden")  # shown by notice.js only: without JavaScript it can't work
    assert close["aria-label"] == "Dismiss this announcement" and close["type"] == "button"
    everywhere = banner(doc, "everywhere")
    assert not everywhere.has_attr("data-end")
    assert everywhere.select_one("a")["href"] == "https://status.acme.test/move"
    # notice.js follows the banners, without defer: a dismissed banner never flashes
    script = doc.select_one('[data-helpgen="notices"] + script')
    assert "js/notice.js" in script["src"] and not script.has_attr("defer")
    assert doc.select_one("link[rel=stylesheet][href*='css/notice.css']")


def test_banner_link_is_resolved_in_each_locale(site):
    out, _ = site(NOTICES_SITE)
    for url, target in [
        ("en/returns/", "en/returns/policy/#window"),
        ("en/returns/policy/", "en/returns/policy/#window"),
        ("he/returns/policy/", "he/returns/policy/#window"),
    ]:
        link = banner(html(out / url / "index.html"), "returns-window").select_one("a")
        assert not link["href"].startswith(("/", "http")), link["href"]  # relative
        assert resolved(url, link["href"]) == target
    he = banner(html(out / "he/returns/policy/index.html"), "returns-window")
    assert (
        he["aria-label"] == "הודעה" and he.select_one("a").get_text(strip=True) == "לפרטים נוספים"
    )


def test_no_notices_no_banner_and_no_script(site):
    out, _ = site({"content/index.md": "# Help\n\nHi.\n", "content/a.md": "# A\n\nText.\n"})
    doc = html(out / "a/index.html")
    assert not doc.select('[data-helpgen="notice"]')
    assert not doc.select("script[src*='notice.js']")


def test_notice_rules_as_functions():
    both = Notice("n", Text((("en", "Hi"), ("zh", "你好"))), start="2026-11-01", end="2026-11-30")
    assert notices.text_for(both, "zh-CN") == "你好"  # a language's text serves its regions
    assert notices.text_for(both, "he") is None  # no fallback to another language
    assert notices.text_for(Notice("n", Text(((ANY_LOCALE, "All"),))), "fa") == "All"
    assert not notices.is_active(both, dt.date(2026, 10, 31))
    assert notices.is_active(both, dt.date(2026, 11, 1))  # both ends included
    assert notices.is_active(both, dt.date(2026, 11, 30))
    assert not notices.is_active(both, dt.date(2026, 12, 1))
    some = Notice("n", both.text, topics=("orders/*",))
    assert notices.applies_to(some, PurePosixPath("orders/tracking"))
    assert not notices.applies_to(some, PurePosixPath("orders"))
    assert not notices.applies_to(some, None)


# --- What's new and `changes:` ----------------------------------------------------------------
def dated(title: str, updated: str | None, changes: str = "") -> str:
    lines = [f"title: {title}", f"description: About {title}."]
    lines += [f"updated: {updated}"] if updated else []
    lines += [f"changes: {changes}"] if changes else []
    return "---\n" + "\n".join(lines) + "\n---\nBody text.\n"


WHATS_NEW_SITE = {
    "helpgen.toml": 'title = "Acme Help"\nlocales = ["en", "he"]\n',
    "content/en/_index.md": "---\ntitle: Acme help\n---\n",
    "content/en/alpha.md": dated("Alpha", "2026-01-05"),
    "content/en/bravo.md": dated("Bravo", "2026-03-01", "Refunds now take 2 days, not 5."),
    "content/en/charlie.md": dated("Charlie", None),
    "content/en/returns/_index.md": "---\ntitle: Returns\n---\n",
    "content/en/returns/labels/_index.md": "---\ntitle: Labels\n---\n",
    "content/en/returns/labels/delta.md": dated("Delta", "2026-03-01"),
    "content/en/echo.md": dated("Echo", "2025-12-31"),
    "content/he/_index.md": "---\ntitle: עזרה\n---\n",
    "content/he/alpha.md": dated("אלפא", None),  # no dated article in Hebrew: no page, no feed
}


def test_whats_new_lists_dated_articles_newest_first(site):
    out, _ = site(WHATS_NEW_SITE)
    doc = html(out / "en/whats-new/index.html")
    assert doc.select_one("h1").get_text(strip=True) == "What's new"
    items = doc.select('[data-helpgen="whats-new"] > li')
    titles = [li.select_one("a.whats-new-title").get_text(strip=True) for li in items]
    assert titles == ["Bravo", "Delta", "Alpha", "Echo"]  # newest first, a tie by title
    dates = [li.select_one("time")["datetime"] for li in items]
    assert dates == ["2026-03-01", "2026-03-01", "2026-01-05", "2025-12-31"]
    links = [resolved("en/whats-new/", li.select_one("a")["href"]) for li in items]
    assert links == ["en/bravo/", "en/returns/labels/delta/", "en/alpha/", "en/echo/"]
    assert items[1].select_one(".whats-new-trail").get_text(" ", strip=True) == "Returns › Labels"
    assert "Refunds now take 2 days, not 5." in items[0].select_one(".whats-new-changes").get_text()
    assert not items[1].select_one(".whats-new-changes")
    feed = doc.select_one("a.whats-new-feed")
    assert resolved("en/whats-new/", feed["href"]) == "en/feed.xml"
    # a locale none of whose articles has a date gets neither page nor feed
    assert not (out / "he/whats-new").exists() and not (out / "he/feed.xml").exists()
    assert not html(out / "he/index.html").select("link[type='application/atom+xml']")
    # the language switcher on What's new leads to the Hebrew home instead
    switch = doc.select_one("a[hreflang='he']")
    assert resolved("en/whats-new/", switch["href"]) == "he/"


def test_whats_new_is_a_reserved_folder(site):
    with pytest.raises(HelpgenError) as exc:
        site({"content/index.md": "# Help\n", "content/whats-new/_index.md": "# News\n"})
    assert "url-reserved" in {p.code for p in exc.value.problems}


def test_changes_note_at_the_top_of_the_article(site):
    out, _ = site(WHATS_NEW_SITE)
    doc = html(out / "en/bravo/index.html")
    note = doc.select_one('header [data-helpgen="changes"]')
    assert note.get("role") == "note"
    assert note.select_one("time")["datetime"] == "2026-03-01"  # the `updated` date, with it
    assert "Refunds now take 2 days, not 5." in note.get_text()
    assert "What changed:" in note.get_text()
    assert len(doc.select(".article-meta time")) == 1  # the date is not said twice
    plain = html(out / "en/alpha/index.html")
    assert not plain.select('[data-helpgen="changes"]')
    assert plain.select_one(".article-meta time")["datetime"] == "2026-01-05"


# --- the Atom feed ----------------------------------------------------------------------------
def feed(path: Path) -> ET.Element:
    root = ET.fromstring(path.read_bytes())
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root: ET.Element) -> list[ET.Element]:
    return root.findall(f"{ATOM}entry")


def links(element: ET.Element) -> dict[str, str]:
    return {
        link.get("rel", "alternate"): link.get("href") for link in element.findall(f"{ATOM}link")
    }


def many(n: int) -> dict[str, str]:
    files = {
        "helpgen.toml": 'title = "Acme Help"\nbase_url = "https://help.acme.test/docs/"\n',
        "content/_index.md": "---\ntitle: Acme help\n---\n",
        "content/guides/_index.md": "---\ntitle: Guides\n---\n",
    }
    start = dt.date(2026, 1, 1)
    for i in range(n):
        when = (start + dt.timedelta(days=i)).isoformat()
        changes = f"Step {i} is new." if i % 2 else ""
        files[f"content/guides/g{i:02}.md"] = dated(f"Guide {i:02}", when, changes)
    return files


def test_feed_is_atom_with_absolute_links_and_the_newest_entries(site):
    out, _ = site(many(FEED_LIMIT + 7))
    root = feed(out / "feed.xml")
    base = "https://help.acme.test/docs/"
    assert root.findtext(f"{ATOM}id") == base + "feed.xml"
    assert root.findtext(f"{ATOM}title") == "Acme help – What's new"
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Acme Help"
    assert links(root) == {"self": base + "feed.xml", "alternate": base + "whats-new/"}
    assert root.find(f"{ATOM}link[@rel='self']").get("type") == "application/atom+xml"
    items = entries(root)
    assert len(items) >= 20 and len(items) == FEED_LIMIT  # the most recent, not all 37
    titles = [e.findtext(f"{ATOM}title") for e in items]
    assert titles == [f"Guide {i:02}" for i in range(FEED_LIMIT + 6, 6, -1)]  # newest first
    stamps = [e.findtext(f"{ATOM}updated") for e in items]
    assert all(RFC3339.match(s) for s in stamps), stamps
    assert stamps == sorted(stamps, reverse=True)
    assert root.findtext(f"{ATOM}updated") == stamps[0]  # the newest entry's, not the build's
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    ids = [e.findtext(f"{ATOM}id") for e in items]
    assert len(set(ids)) == len(ids)
    newest = items[0]
    assert ids[0] == "tag:help.acme.test,2026-02-06:docs/guides/g36/"
    assert links(newest) == {"alternate": base + "guides/g36/"}
    assert items[1].findtext(f"{ATOM}summary") == "Step 35 is new."  # `changes:` first
    assert newest.findtext(f"{ATOM}summary") == "About Guide 36."  # else the description
    for entry in items:
        for name in ("id", "title", "updated", "link"):
            assert entry.find(f"{ATOM}{name}") is not None, name
    # What's new lists as many, never the whole site
    listed = html(out / "whats-new/index.html").select('[data-helpgen="whats-new"] > li')
    assert len(listed) == WHATS_NEW_LIMIT < FEED_LIMIT + 7


def test_feed_is_byte_identical_and_its_ids_stable(site, tmp_path):
    out, _ = site(many(24))
    first = (out / "feed.xml").read_bytes()
    root = tmp_path / "site"
    again = build(root, tmp_path / "again").out_dir
    assert (again / "feed.xml").read_bytes() == first
    assert (again / "whats-new/index.html").read_bytes() == (
        out / "whats-new/index.html"
    ).read_bytes()
    ids = {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id") for e in entries(feed(out / "feed.xml"))
    }
    # another article changes: it gets a new entry id; the others keep theirs
    write_files(root, {"content/guides/g03.md": dated("Guide 03", "2026-06-01", "Rewritten.")})
    changed = build(root, tmp_path / "changed").out_dir
    after = {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}id")
        for e in entries(feed(changed / "feed.xml"))
    }
    assert after["Guide 03"] != ids["Guide 03"] and after["Guide 03"].startswith("tag:")
    assert {t: i for t, i in after.items() if t != "Guide 03"} == {
        t: i for t, i in ids.items() if t != "Guide 03" and t in after
    }
    assert next(iter(after)) == "Guide 03"


def test_feed_without_base_url_uses_relative_links_and_tag_ids(site):
    out, _ = site(WHATS_NEW_SITE)
    root = feed(out / "en/feed.xml")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext(f"{ATOM}id") == "tag:acme-help.helpgen.invalid,2026:en/feed.xml"
    assert {k: resolved("en/feed.xml", v) for k, v in links(root).items()} == {
        "self": "en/feed.xml",
        "alternate": "en/whats-new/",
    }
    items = entries(root)
    assert [e.findtext(f"{ATOM}title") for e in items] == ["Bravo", "Delta", "Alpha", "Echo"]
    assert [e.findtext(f"{ATOM}id") for e in items][:2] == [
        "tag:acme-help.helpgen.invalid,2026-03-01:en/bravo/",
        "tag:acme-help.helpgen.invalid,2026-03-01:en/returns/labels/delta/",
    ]
    assert [resolved("en/feed.xml", links(e)["alternate"]) for e in items][1] == (
        "en/returns/labels/delta/"
    )
    assert root.findtext(f"{ATOM}updated") == "2026-03-01T00:00:00Z"


def test_every_page_links_its_locales_feed(site):
    files = {
        **WHATS_NEW_SITE,
        "content/he/beta.md": dated("בטא", "2026-02-02"),
        "content/en/old.md": "---\ntitle: Old\naliases: [/old-page/]\n---\nMoved.\n",
    }
    out, _ = site(files)
    pages = [p for p in out.rglob("*.html") if "http-equiv" not in p.read_text(encoding="utf-8")]
    assert len(pages) > 10
    for path in pages:
        url = path.relative_to(out).as_posix().removesuffix("index.html")
        code = url.split("/")[0] if url.split("/")[0] in ("en", "he") else "en"
        link = html(path).select_one("head link[rel=alternate][type='application/atom+xml']")
        assert link is not None, url
        assert resolved(url, link["href"]) == f"{code}/feed.xml", url


# --- `helpgen check`: a notice link that goes nowhere ------------------------------------------
def test_check_reports_a_notice_link_that_is_not_an_article(tmp_path, monkeypatch):
    toml = """\
title = "Acme"
locales = ["en", "he"]

[[notices]]
id = "typo"
text = "Returns changed."
link = "returns/polcy.md"

[[notices]]
id = "untranslated"
text = { en = "Labels changed.", he = "התוויות השתנו." }
link = "returns/labels.md"

[[notices]]
id = "english-only"
text = { en = "Labels changed." }
link = "returns/labels.md"

[[notices]]
id = "anchor"
text = "Shipping changed."
link = "returns/policy.md#nowhere"

[[notices]]
id = "fine"
text = "All good."
link = "https://acme.test/news"
"""
    root = write_files(
        tmp_path / "site",
        {
            "helpgen.toml": toml,
            "content/en/_index.md": "# Help\n",
            "content/en/returns/policy.md": "# Policy\n\n## How long {#window}\n\nText.\n",
            "content/en/returns/labels.md": "# Labels\n\nText.\n",
            "content/he/_index.md": "# עזרה\n",
            "content/he/returns/policy.md": "# מדיניות\n\n## כמה זמן {#window}\n\nטקסט.\n",
        },
    )
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--format", "json"])
    assert result.exit_code == 1, result.output
    found = [p for p in json.loads(result.stdout) if p["code"] == "notice-link"]
    link_lines = [i + 1 for i, line in enumerate(toml.splitlines()) if line.startswith("link =")]
    got = {(p["line"], p["level"], p["message"]) for p in found}
    assert got == {
        (
            link_lines[0],
            "error",
            "notice 'typo' links to 'returns/polcy.md', which is not an article in en, he",
        ),
        (
            link_lines[1],
            "error",
            "notice 'untranslated' links to 'returns/labels.md', which is not an article in he",
        ),
        (
            link_lines[3],
            "error",
            "notice 'anchor' links to 'returns/policy.md#nowhere', an anchor missing in en, he",
        ),
    }
    typo = next(p for p in found if "typo" in p["message"])
    assert typo["file"] == "helpgen.toml"
    assert typo["hint"].startswith("did you mean 'returns/policy.md'?")
    # `build` stops on it too
    with pytest.raises(HelpgenError) as exc:
        build(root, tmp_path / "out")
    assert "notice-link" in {p.code for p in exc.value.problems}


# --- in Chromium, under CSP -------------------------------------------------------------------
BROWSER_SITE = {
    "helpgen.toml": f"""\
title = "Acme Help"
locales = ["en", "he"]

[[notices]]
id = "moving"
text = {{ en = "We're moving warehouses.", he = "אנחנו עוברים מחסן." }}
link = "a.md"

[[notices]]
id = "sale"
text = "Sale ends soon."
end = {day(3)}
""",
    "content/en/_index.md": "---\ntitle: Acme help\n---\nWelcome.\n",
    "content/en/a.md": "---\ntitle: Article A\n---\nText A.\n",
    "content/en/b.md": "---\ntitle: Article B\n---\nText B.\n",
    "content/he/_index.md": "---\ntitle: עזרה\n---\nשלום.\n",
    "content/he/a.md": "---\ntitle: מאמר א\n---\nטקסט.\n",
}


def visible(page, notice_id: str) -> bool:
    return page.locator(f'[data-helpgen="notice"][data-notice-id="{notice_id}"]').is_visible()


@pytest.mark.browser
def test_dismissed_notice_stays_hidden_on_the_next_page(site, serve_dir, page):
    out, _ = site(BROWSER_SITE)
    base = serve_dir(out)
    page.goto(base + "en/a/")
    assert visible(page, "moving") and visible(page, "sale")
    close = page.get_by_role("button", name="Dismiss this announcement").first
    assert close.is_visible()
    close.click()
    assert not visible(page, "moving") and visible(page, "sale")
    assert page.evaluate("document.activeElement.matches('[data-notice-close]')")  # focus kept
    page.goto(base + "en/b/")
    assert not visible(page, "moving")  # remembered per notice id
    assert visible(page, "sale")
    page.goto(base + "he/a/")  # the same notice in another language: dismissed too
    assert not visible(page, "moving")
    page.get_by_role("button", name="סגירת ההודעה").click()
    assert page.locator('[data-helpgen="notices"]').is_hidden()  # none left: the strip goes
    assert page.errors == []


@pytest.mark.browser
def test_notice_after_its_end_date_in_the_readers_clock_is_hidden(site, serve_dir, page):
    out, _ = site(BROWSER_SITE)
    base = serve_dir(out)
    end = TODAY + dt.timedelta(days=3)
    page.clock.set_fixed_time(dt.datetime(end.year, end.month, end.day, 23, 30))
    page.goto(base + "en/a/")
    assert visible(page, "sale")  # its last day: still shown
    later = end + dt.timedelta(days=1)
    page.clock.set_fixed_time(dt.datetime(later.year, later.month, later.day, 0, 30))
    page.reload()
    assert not visible(page, "sale")  # the site was not rebuilt: the browser hides it
    assert visible(page, "moving")  # no end date
    assert page.errors == []


@pytest.mark.browser
def test_without_javascript_the_notice_shows_without_a_close_button(site, serve_dir, browser):
    out, _ = site(BROWSER_SITE)
    base = serve_dir(out)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "en/a/")
        assert visible(page, "moving")
        assert page.locator("[data-notice-close]").first.is_hidden()
    finally:
        context.close()


@pytest.mark.browser
def test_notice_is_mirrored_right_to_left(site, serve_dir, page):
    out, _ = site(BROWSER_SITE)
    base = serve_dir(out)
    for url, rtl in (("en/a/", False), ("he/a/", True)):
        page.goto(base + url)
        box = page.locator('[data-notice-id="moving"]')
        text = box.locator(".site-notice-text").bounding_box()
        close = box.locator("[data-notice-close]").bounding_box()
        assert (close["x"] < text["x"]) == rtl, url  # the close button at the line's end
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.errors == []
