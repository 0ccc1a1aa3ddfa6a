"""Guided troubleshooters (`type: guide`): the decision tree read from Markdown (guide.parse), its
lints with exact lines (guide.lint), the rendered steps (markdown.py), a built guide page, and
the real thing in Chromium: one step at a time, Back (the browser's and ours), Start over."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from pathlib import PurePosixPath as P

import pytest
from bs4 import BeautifulSoup

from helpgen import guide
from helpgen.links import LinkTargets
from helpgen.markdown import SLUGIFY, Converter
from helpgen.search.query import Searcher, locale_folder
from helpgen.urls import page_url

from .conftest import html, write_files
from .test_check import invoke, located

FILE = Path("content/help/g.md")
PAGES = frozenset({P("help/g.md"), P("help/other.md")})


def md(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def parse(body: str, first: int = 5) -> guide.Guide:
    return guide.parse(md(body), first, SLUGIFY)


def codes(body: str, first: int = 5) -> list[tuple[str, int | None]]:
    return [(p.code, p.line) for p in guide.lint(parse(body, first), FILE)]


def render(body: str, is_guide: bool = True, first: int = 5):
    targets = LinkTargets(
        PAGES, frozenset({P("."), P("help")}), frozenset(), by_url={page_url(p): p for p in PAGES}
    )
    out = Converter().convert(
        P("help/g.md"), FILE, md(body), first, "help/g/", targets, guide=is_guide
    )
    return out, BeautifulSoup(out.html, "html.parser")


TREE = """
    Answer a question or two.

    ## Is it plugged in? {#plugged}

    Check the cable.

    - [Yes](#powered)
    - [No](#plug-it-in)

    ## Plug it in

    Then try again.

    ## Does the light come on? {#powered}

    1. Press **Power**.
    2. Wait.

    Did it light up? (A sentence between: Python-Markdown joins two lists with only a blank line
    between them.)

    - [Yes, it's green][green]
    - [No — see **the manual**](other.md#lights "The manual")
    - [Still stuck](contact:)

    [green]: #all-good

    ## All good!
    """


# --- parse -----------------------------------------------------------------------------------
def test_parse_reads_steps_with_ids_titles_lines_and_options():
    g = parse(TREE, first=5)
    assert [(s.id, s.title, s.line) for s in g.steps] == [
        ("plugged", "Is it plugged in?", 7),
        ("plug-it-in", "Plug it in", 14),
        ("powered", "Does the light come on?", 18),
        ("all-good", "All good!", 32),
    ]
    assert g.start is g.steps[0] and g.step("powered") is g.steps[2]
    assert [(o.label, o.target, o.line, o.kind, o.step) for o in g.steps[0].options] == [
        ("Yes", "#powered", 11, "step", "powered"),
        ("No", "#plug-it-in", 12, "step", "plug-it-in"),
    ]
    # the last list only (not the numbered instructions); reference links; labels as plain text
    assert [(o.label, o.target, o.line, o.kind) for o in g.steps[2].options] == [
        ("Yes, it's green", "#all-good", 26, "step"),
        ("No — see the manual", "other.md#lights", 27, "link"),
        ("Still stuck", "contact:", 28, "contact"),
    ]
    assert g.steps[1].end and g.steps[3].end and not g.steps[0].end


def test_parse_ids_follow_the_toc_extension():
    g = parse(
        """
        # A title in the body

        ## Same
        ### Same
        ## Same
        ## `code` and **bold** & [a link](x.md)
        ## Ünïcode 日本語
        ## Taken {#same_3}
        ## Same

        ```markdown
        ## Not a step: inside a fence
        - [x](#nowhere)
        ```

        Setext step
        -----------
        """
    )
    assert g.ids == (
        "same",
        "same_2",  # "same_1" went to the ### heading
        "code-and-bold--a-link",
        "ünïcode-日本語",
        "same_3",
        "same_4",
        "setext-step",
    )


def test_parse_ids_are_the_rendered_ids():
    body = """
        ## Is it *really* on? {#on}
        - [a](#x_y)
        ## x_y snake_case **bold**
        ### Details
        ## Details
        ## A & B — C++ (v2.0)
        ## שלום עולם
        ##
        ## Details
        """
    _, soup = render(body)
    assert parse(body).ids == tuple(s["id"] for s in soup.select("section.guide-step"))


def test_options_are_the_links_of_the_last_list_that_starts_a_block():
    g = parse(
        """
        ## Start
        Pick one:
        - [not a list](#a): Python-Markdown needs a blank line before a list

        - [A](#a)
            - [nested](#b)
        - lazy line
        [lazily continued](#c)

        `[code](#no)` and ![an image](pic.png) are not options.

        ## Other
        - item with `[code](#no)` and ![img](pic.png)
        """
    )
    assert [(o.label, o.line) for o in g.steps[0].options] == [
        ("A", 9),
        ("nested", 10),
        ("lazily continued", 12),
    ]
    assert g.steps[1].options == ()


# --- lint ------------------------------------------------------------------------------------
def test_a_sound_guide_has_no_problems():
    assert guide.lint(parse(TREE), FILE) == []


def test_lint_empty():
    problems = guide.lint(parse("Only an introduction.\n", first=4), FILE)
    assert [(p.code, p.line, p.level, p.path) for p in problems] == [
        ("guide-empty", 4, "error", FILE)
    ]


def test_lint_dangling_with_a_did_you_mean():
    problems = guide.lint(
        parse(
            """
            ## Start
            - [Yes](#finnish)
            - [No](#elsewhere)
            - [Article](other.md)
            ## Finish
            """,
            first=10,
        ),
        FILE,
    )
    assert [(p.code, p.line) for p in problems] == [
        ("guide-dangling", 11),
        ("guide-dangling", 12),
        ("guide-unreachable", 14),  # what the typo left out
    ]
    assert "#finnish" in problems[0].message and problems[0].hint == "did you mean 'finish'?"
    assert "start, finish" in problems[1].hint  # no close match: the list of steps


def test_lint_unreachable():
    problems = guide.lint(
        parse(
            """
            ## Start
            - [Next](#next)
            ## Next
            ## Island
            - [Next](#next)
            ## Lost
            """,
            first=1,
        ),
        FILE,
    )
    assert [(p.code, p.line) for p in problems] == [
        ("guide-unreachable", 4),
        ("guide-unreachable", 6),
    ]
    assert "'island'" in problems[0].message and "'start'" in problems[0].message


def test_lint_cycle_names_the_steps_at_the_looping_option():
    problems = guide.lint(
        parse(
            """
            ## A
            - [to b](#b)
            ## B
            - [to c](#c)
            - [done](other.md)
            ## C
            - [again](#a)
            - [stay](#c)
            """,
            first=20,
        ),
        FILE,
    )
    assert [(p.code, p.line) for p in problems] == [("guide-cycle", 26), ("guide-cycle", 27)]
    assert problems[0].message.endswith("a → b → c → a")
    assert problems[1].message.endswith("c → c")
    assert all(p.level == "error" and p.path == FILE for p in problems)


# --- rendering -------------------------------------------------------------------------------
def test_rendered_guide_wraps_each_step_in_a_section():
    out, soup = render(TREE)
    root = soup.select_one('div[data-helpgen="guide"]')
    assert root is not None and root.find("p").get_text() == "Answer a question or two."
    steps = root.select(':scope > section.guide-step[data-helpgen="guide-step"]')
    assert [s["id"] for s in steps] == ["plugged", "plug-it-in", "powered", "all-good"]
    for step in steps:  # the id moved to the section; the permalink still points at it
        h2 = step.find("h2")
        assert step.find() is h2 and not h2.get("id")
        assert h2.select_one("a.headerlink")["href"] == f"#{step['id']}"
    assert [a["href"] for a in steps[2].select("ul.guide-options a")] == [
        "#all-good",
        "../other/#lights",
        "#hg-contact",  # contact: is the page's own "Still need help?"
    ]
    assert steps[2].select("ol") and not steps[2].select("ol.guide-options")
    assert not steps[1].select(".guide-options")
    assert len(soup.select("[id]")) == len({e["id"] for e in soup.select("[id]")})
    assert {"plugged", "powered", "all-good"} <= out.anchors


def test_rendered_guide_keeps_one_search_section_per_step():
    out, _ = render(md(TREE) + "\n### More detail\n\nSmall print.\n")
    assert [(s.anchor, s.title, s.level) for s in out.sections] == [
        ("", "", 1),
        ("plugged", "Is it plugged in?", 2),
        ("plug-it-in", "Plug it in", 2),
        ("powered", "Does the light come on?", 2),
        ("all-good", "All good!", 2),
        ("more-detail", "More detail", 3),
    ]
    assert "Check the cable. Yes No" in out.sections[1].text
    assert [h.id for h in out.headings] == [
        "plugged",
        "plug-it-in",
        "powered",
        "all-good",
        "more-detail",
    ]


def test_step_options_are_left_to_guide_lint_other_links_to_the_link_checks():
    out, _ = render(
        """
        ## Start
        See [the end](#nowhere-prose).

        - [Next](#nowhere-option)
        - [Gone](missing.md)
        """
    )
    assert [r.fragment for r in out.links] == ["nowhere-prose"]  # anchor-missing checks this one
    assert [(p.code, p.line) for p in out.problems] == [("link-missing", 9)]


def test_an_article_is_not_wrapped():
    _, soup = render(TREE, is_guide=False)
    assert not soup.select("[data-helpgen], section, .guide-options")
    assert soup.find("h2")["id"] == "plugged"


# --- a built site ----------------------------------------------------------------------------
SITE = {
    "helpgen.toml": 'title = "Acme"\n',
    "content/_index.md": "---\ntitle: Acme help\n---\nWelcome.\n",
    "content/help/_index.md": "---\ntitle: Help\n---\n",
    "content/help/other.md": "---\ntitle: Other\n---\n## Lights\n\nGreen is good.\n",
    "content/help/g.md": "---\ntitle: Fix it\ntype: guide\n---\n" + md(TREE),
}


def test_built_guide_page(site):
    out, _ = site(SITE)
    page = html(out / "help/g/index.html")
    root = page.select_one('.article-body > div[data-helpgen="guide"]')
    assert [s["id"] for s in root.select('section[data-helpgen="guide-step"]')] == [
        "plugged",
        "plug-it-in",
        "powered",
        "all-good",
    ]
    css = [link["href"] for link in page.head.select('link[rel="stylesheet"]')]
    assert any(re.match(r"(\.\./)+static/css/guide\.css", h) for h in css)
    script = page.head.find("script", src=re.compile(r"static/js/guide\.js"))
    assert script.has_attr("defer")
    assert {"data-back", "data-start-over", "data-controls"} <= set(script.attrs)
    assert not page.select(".toc")  # the steps are no table of contents
    assert not page.select("script:not([src]), style, [style]")  # CSP: nothing inline
    assert (out / "static/js/guide.js").is_file() and (out / "static/css/guide.css").is_file()

    other = html(out / "help/other/index.html")  # an article does not load them
    assert not other.select(
        '[data-helpgen="guide"], script[src*="guide.js"], link[href*="guide.css"]'
    )

    hits = Searcher.from_folder(locale_folder(out, None)).search("green", limit=5)
    assert "help/g/#powered" in [h.url for h in hits]  # a result lands on its step


def test_check_reports_a_broken_guide(tmp_path, monkeypatch):
    files = {
        **SITE,
        "content/help/g.md": """\
            ---
            title: Fix it
            type: guide
            ---
            ## Start
            - [Next](#next)
            - [Typo](#nxt)
            ## Next
            - [Back](#start)
            ## Island
            """,
    }
    monkeypatch.chdir(write_files(tmp_path / "site", files))
    run = invoke(["check", "--format", "json"])
    assert run.exit_code == 1
    assert {
        ("content/help/g.md", 7, "error", "guide-dangling"),
        ("content/help/g.md", 9, "error", "guide-cycle"),
        ("content/help/g.md", 10, "error", "guide-unreachable"),
    } <= located(run.problems)
    assert not any(p["code"] == "anchor-missing" for p in run.problems)  # reported once


# --- the demo in Chromium --------------------------------------------------------------------
@pytest.mark.browser
def test_demo_guide_one_step_at_a_time(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    url = f"{base}en/shipping/delivery-problems/package-hasnt-arrived/"
    page.goto(url)
    steps = page.locator('section[data-helpgen="guide-step"]')
    visible = page.locator('section[data-helpgen="guide-step"]:not([hidden])')
    back = page.locator('[data-guide-action="back"]')
    restart = page.locator('[data-guide-action="restart"]')

    def shown(expected: str | None = None) -> str:
        if expected:
            page.wait_for_selector(f"section#{expected}:not([hidden])")
        assert visible.count() == 1
        return visible.first.get_attribute("id")

    assert steps.count() >= 10 and shown() == "order-status"
    assert back.is_hidden() and restart.is_hidden()

    # answer: Delivered -> More than 48 hours -> an end step
    visible.locator('.guide-options a[href="#marked-delivered"]').click()
    assert shown() == "marked-delivered" and page.url.endswith("#marked-delivered")
    assert page.evaluate("document.activeElement.closest('section').id") == "marked-delivered"
    assert page.evaluate("document.activeElement.tagName") == "H2"
    assert back.is_visible() and restart.is_visible()
    visible.locator('.guide-options a[href="#report-not-received"]').click()
    assert shown() == "report-not-received"
    assert visible.first.locator(".guide-options").count() == 0  # an end step
    assert "guide-step--end" in visible.first.get_attribute("class")

    page.go_back()  # the browser's Back
    assert shown("marked-delivered") == "marked-delivered" and page.url.endswith(
        "#marked-delivered"
    )
    page.go_forward()
    assert shown("report-not-received") == "report-not-received"
    back.click()  # ours
    assert shown("marked-delivered") == "marked-delivered" and page.url.endswith(
        "#marked-delivered"
    )
    back.click()
    assert shown("order-status") == "order-status" and back.is_hidden()
    assert page.url == url

    # a deep link opens its step; a reload keeps the path; Start over returns to the start
    visible.locator('.guide-options a[href="#in-transit"]').click()
    visible.locator('.guide-options a[href="#tracking-stuck"]').click()
    page.reload()
    assert shown() == "tracking-stuck" and back.is_visible()
    restart.click()
    assert shown() == "order-status" and back.is_hidden() and restart.is_hidden()
    assert page.evaluate("document.activeElement.closest('section').id") == "order-status"
    page.go_back()  # Start over can be undone
    assert shown("tracking-stuck") == "tracking-stuck"

    page.goto("about:blank")
    page.goto(f"{url}#keep-waiting")
    assert shown() == "keep-waiting" and back.is_hidden() and restart.is_visible()
    assert page.errors == []


@pytest.mark.browser
def test_demo_guide_in_hebrew_without_and_with_javascript(demo_site, serve_dir, browser):
    base = serve_dir(demo_site)
    url = f"{base}he/shipping/delivery-problems/package-hasnt-arrived/"
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(url)  # every step shows, answers are plain links
        steps = plain.locator('section[data-helpgen="guide-step"]')
        assert (
            steps.count() >= 10
            and plain.locator('section[data-helpgen="guide-step"][hidden]').count() == 0
        )
        plain.locator('.guide-options a[href="#marked-delivered"]').first.click()
        assert plain.url.endswith("#marked-delivered")
    finally:
        context.close()

    context = browser.new_context()
    try:
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(url)
        assert pg.locator("html").get_attribute("dir") == "rtl"
        pg.locator('.guide-options a[href="#in-transit"]').click()
        step = pg.locator("section#in-transit")
        assert (
            step.is_visible()
            and pg.locator('section[data-helpgen="guide-step"]:not([hidden])').count() == 1
        )
        # right to left: the answers' chevrons sit at their left end, Back is on the right
        option = step.locator(".guide-options a").first.bounding_box()
        chevron = pg.evaluate(
            "getComputedStyle(document.querySelector('#in-transit .guide-options a'), '::after').transform"
        )
        assert chevron not in ("none", "") and option["width"] > 200
        back = pg.locator('[data-guide-action="back"]').bounding_box()
        restart = pg.locator('[data-guide-action="restart"]').bounding_box()
        assert back["x"] > restart["x"]
        assert errors == []
    finally:
        context.close()
