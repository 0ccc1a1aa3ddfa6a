"""raw_html = "sanitize": whatever a writer puts in Markdown (raw HTML, {: attributes}, link
addresses), the built page has no event handler, no script address, no script, style or frame
but helpgen's own video embeds; everything helpgen's Markdown makes is kept, the demo's pages
are the same documents in both modes; each removal and every javascript: link is a located
warning. Proven on generated payloads, on built sites, and in Chromium by clicking every link."""

from __future__ import annotations

import re
from pathlib import Path
from pathlib import PurePosixPath as P

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpgen.links import LinkTargets
from helpgen.markdown import Converter
from helpgen.pipeline import build
from helpgen.sanitize import script_scheme
from helpgen.urls import page_url

from .conftest import REPO, html, write_files

EMBED = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"  # what helpgen makes of VIDEO
VIDEO = "![Video](https://youtu.be/dQw4w9WgXcQ)"
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcset",
    "background", "cite", "ping", "lowsrc", "dynsrc", "codebase", "content",
}  # fmt: skip
NEVER = {
    "script", "style", "iframe", "object", "embed", "base", "meta", "link", "form", "frame",
    "frameset", "svg", "math", "template", "noscript", "applet",
}  # fmt: skip
C0_AND_SPACE = "".join(map(chr, range(0x21)))
ALIGN = re.compile(r"text-align: (left|center|right);")


def scripty(value: str) -> bool:
    """Would a browser run this address? The URL standard: spaces and control characters
    around it and tabs and newlines anywhere are ignored; entities are decoded by the parser."""
    squeezed = re.sub(r"[\t\n\r]", "", value).strip(C0_AND_SPACE)
    return squeezed.lower().startswith(("javascript:", "vbscript:", "data:"))


def unsafe(root: BeautifulSoup, tags: bool = True) -> list[str]:
    """Everything that could run a script in `root` (tags: also the elements never kept)."""
    found = []
    for el in root.find_all(True):
        for name, value in el.attrs.items():
            value = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                found.append(f"<{el.name} {name}>")
            if name.lower() in URL_ATTRIBUTES and scripty(value):
                found.append(f"<{el.name} {name}={value!r}>")
            if name.lower() == "style" and not ALIGN.fullmatch(value):
                found.append(f"<{el.name} style={value!r}>")
        if tags and el.name in NEVER and not (el.name == "iframe" and el.get("src") == EMBED):
            found.append(f"<{el.name}>")
    return found


TARGETS = LinkTargets(
    frozenset({P("a.md"), P("b.md")}),
    frozenset({P(".")}),
    frozenset({P("img.png")}),
    by_url={page_url(P("a.md")): P("a.md"), page_url(P("b.md")): P("b.md")},
)
CONVERTERS = {mode: Converter(raw_html=mode) for mode in ("allow", "sanitize")}


def convert(body: str, mode: str = "sanitize"):
    out = CONVERTERS[mode].convert(P("a.md"), Path("content/a.md"), body, 1, "a/", TARGETS)
    return out, BeautifulSoup(out.html, "html.parser")


def embeds(soup: BeautifulSoup) -> list:
    return [f for f in soup.find_all("iframe") if f.get("src") == EMBED]


# --- payloads ---------------------------------------------------------------------------------


@st.composite
def script_urls(draw: st.DrawFn) -> str:
    """javascript:, vbscript: and data: addresses, written the ways that slip past filters."""
    scheme = draw(st.sampled_from(["javascript", "JaVaScRiPt", "vbscript", "data", "DATA"]))
    chars = list(scheme)
    at = draw(st.integers(0, len(chars) - 1))
    how = draw(st.sampled_from(["plain", "decimal", "hex", "tab", "tab-entity", "lead"]))
    if how == "decimal":
        chars[at] = f"&#{ord(chars[at])};"
    elif how == "hex":
        chars[at] = f"&#x{ord(chars[at]):X};"
    elif how == "tab":
        chars[at] = "\t" + chars[at]
    elif how == "tab-entity":
        chars[at] = "&#9;" + chars[at]
    lead = draw(st.sampled_from(["", " ", "&#32;", "&#x01;", "\x01"])) if how == "lead" else ""
    colon = draw(st.sampled_from([":", ":", "&colon;", "&#58;"]))
    rest = (
        draw(
            st.sampled_from(
                ["text/html,<script>alert(1)</script>", "text/html;base64,PHNjcmlwdD4="]
            )
        )
        if scheme.lower() == "data"
        else "alert(1)"
    )
    return lead + "".join(chars) + colon + rest


URL_PLACES = [
    "[x](URL)", "![x](URL)", "[x][r]\n\n[r]: URL", "<URL>", '<a href="URL">x</a>',
    "<a href=URL>x</a>", "<a href='URL'>x</a>", '<img src="URL" alt="x">',
    '[x](#){: href="URL"}', '<form action="URL"><button formaction="URL">x</button></form>',
    '<iframe src="URL"></iframe>', '<object data="URL"></object>',
    '<svg><a xlink:href="URL"><text>x</text></a></svg>', '<video poster="URL" src="URL"></video>',
    '<embed src="URL">', '<map><area href="URL"></map>', '<base href="URL">',
    '<meta http-equiv="refresh" content="0;url=URL">', '<p><a href="URL">in a paragraph</a></p>',
    'Text <a href="URL">inline</a> text.',
]  # fmt: skip
HANDLER_PLACES = [
    "<img src=x HANDLER=alert(1)>", "<svg HANDLER=alert(1)>", '<p HANDLER="alert(1)">x</p>',
    "<details open HANDLER=alert(1)><summary>s</summary></details>",
    "<input autofocus HANDLER=alert(1)>", 'Para text\n{: HANDLER="alert(1)" }',
    '## Title {: HANDLER="alert(1)" }', '[x](https://a.test){: HANDLER="alert(1)"}',
    '![x](img.png){: HANDLER="alert(1)"}', '<a href="#" HANDLER="alert(1)">x</a>',
    '<div markdown="1" HANDLER="alert(1)">**x**</div>', "<body HANDLER=alert(1)>",
    "<video src=x HANDLER=alert(1)></video>", 'Text <span HANDLER="alert(1)">x</span> text.',
    "- item\n{: HANDLER=alert(1) }",
]  # fmt: skip
HANDLERS = ["onclick", "onerror", "onload", "onmouseover", "ONCLICK", "onfocus", "ontoggle"]
FIXED = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.test/x.js></SCRIPT>", "<style>*{}</style>",
    '<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk"></iframe>',
    '<figure class="video"><iframe src="https://player.vimeo.com/video/1"></iframe></figure>',
    '<iframe data-hg-embed="0" src="https://www.youtube-nocookie.com/embed/abcdefghijk"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<svg><script>alert(1)</script></svg>", "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<template><script>alert(1)</script></template>", "<textarea><script>x</script></textarea>",
    "<!--<script>alert(1)</script>-->", "<form><input type=submit formaction=javascript:alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>', 'Styled\n{: style="color:red" }',
    '<table><tr><td style="position:fixed">x</td></tr></table>', '<link rel=import href="x.html">',
    "<math><a href=javascript:alert(1)>x</a></math>", "<xmp><script>alert(1)</script></xmp>",
]  # fmt: skip
BENIGN = [
    "Some text.", "## A heading", "- a\n- b", VIDEO, "| a | b |\n|:--|--:|\n| 1 | 2 |",
    "`code <script>`", "[ok](https://example.com)", "[page](b.md)", "!!! note\n    Careful.",
    "<kbd>Ctrl</kbd> and <mark>this</mark>",
    '![Tom & Jerry <3 "q" > x](https://youtu.be/dQw4w9WgXcQ)', "Text " + VIDEO + " inline.",
]  # fmt: skip

payload = st.one_of(
    st.builds(
        lambda place, url: place.replace("URL", url), st.sampled_from(URL_PLACES), script_urls()
    ),
    st.builds(
        lambda place, name: place.replace("HANDLER", name),
        st.sampled_from(HANDLER_PLACES),
        st.sampled_from(HANDLERS),
    ),
    st.sampled_from(FIXED),
    st.sampled_from(BENIGN),
)
documents = st.lists(payload, min_size=1, max_size=8).map("\n\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example("[x](&#106;avascript:alert(1))\n\n" + VIDEO)
@example('<a href="&#106;avascript:alert(1)">x</a>')
@example("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>\n\n" + VIDEO)
def test_sanitized_markdown_runs_no_script_and_keeps_helpgens_embeds(body):
    _, soup = convert(body)
    assert unsafe(soup) == [], body
    _, allowed = convert(body, "allow")
    made = [f for f in allowed.find_all("iframe") if f.get("src") == EMBED]
    assert len(embeds(soup)) == len(soup.find_all("iframe")) == len(made), body
    for frame in soup.find_all("iframe"):
        assert frame.parent.name == "figure" and frame.parent["class"] == ["video"]
        assert set(frame.attrs) == {
            "src", "title", "loading", "allow", "allowfullscreen", "referrerpolicy",
        }  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(documents)
def test_built_pages_with_payloads_run_no_script(tmp_path_factory, body):
    root = write_files(tmp_path_factory.mktemp("site"), {"content/a.md": "# A\n\n" + body + "\n"})
    write_files(root, {"content/b.md": "# B\n\nText.\n", "content/img.png": "png"})
    out = build(root, overrides={"raw_html": "sanitize", "broken_links": "warn"}, jobs=1).out_dir
    for path in out.rglob("*.html"):
        page = html(path)
        assert unsafe(page, tags=False) == [], (path, body)
        body_el = page.select_one(".article-body")
        assert body_el is None or unsafe(body_el) == [], (path, body)
        assert page.find("style") is None
        for script in page.find_all("script"):  # the theme's own files, nothing inline
            assert "static/js/" in script["src"] and not script.string


# --- what is kept -----------------------------------------------------------------------------

RICH = """\
Intro with *em*, **strong**, `code`, <kbd>Ctrl</kbd>, ++ctrl+alt+del++, <mark>hi</mark>,
<bdi>עברית</bdi>, H<sub>2</sub>O, <abbr title="HyperText">HTML</abbr>, <small>s</small>.

## Heading one {#custom}

Text[^1], https://example.com, [mail](mailto:a@b.test), [tel](tel:+123), [page](b.md#text),
[new tab](https://example.com){: target="_blank"} and a line<<
break.

!!! note "Title"
    An admonition.

??? tip "Details"
    Hidden.

=== "Tab A"
    Alpha

=== "Tab B"
    Beta

- [x] done
- [ ] todo

Term
:   Definition

| Left | Center | Right |
|:-----|:------:|------:|
| a    | b      | c     |

```python
def f(x):
    return x
```

> quote

---

![A picture](img.png){: width="100" height="50"}

![How to return](https://www.youtube.com/watch?v=dQw4w9WgXcQ)

![Demo](https://vimeo.com/12345)

![Clip](https://example.com/a.mp4)

<details><summary>S</summary>Body</details>

<div markdown="1">
**md in html**
</div>

<figure><img src="img.png" alt="b" width="10"><figcaption>cap</figcaption></figure>

<table><caption>c</caption><thead><tr><th colspan="2">x</th></tr></thead></table>

[^1]: The footnote.
""".replace("<<\n", "  \n")  # a hard line break


def document(soup: BeautifulSoup) -> str:
    """A page as a document: parsed and written again (`checked` and `checked=""`, `&#160;`
    and a no-break space are the same)."""
    return soup.decode(formatter="minimal")


def test_everything_helpgens_markdown_makes_is_kept():
    allowed, soup = convert(RICH, "allow")
    cleaned, clean_soup = convert(RICH)
    assert document(clean_soup) == document(soup)
    assert cleaned.problems == allowed.problems == ()
    assert cleaned.anchors == allowed.anchors and "fn:1" in cleaned.anchors
    assert [f["src"] for f in clean_soup.select("figure.video iframe")] == [
        EMBED,
        "https://player.vimeo.com/video/12345",
    ]
    for selector in (
        "kbd.key-control", "mark", "bdi", "abbr[title]", "h2#custom a.headerlink[href='#custom']",
        "sup#fnref\\:1 a.footnote-ref", "div.footnote li#fn\\:1", "a[href^='mailto:']",
        "a[href^='tel:']", "a[href='../b/#text']", "a[target=_blank]", "div.admonition.note",
        "details.tip summary", ".tabbed-set input[type=radio][checked]", ".tabbed-set label[for]",
        "input[type=checkbox][disabled][checked]", "dl dt", "th[style='text-align: center;']",
        "div.highlight pre code span.k", "blockquote", "hr",
        "img[width='100'][height='50'][loading=lazy][alt]", "video[controls][src] a",
        "figure img + figcaption", "table caption", "th[colspan='2']",
    ):  # fmt: skip
        assert clean_soup.select(selector), selector


def test_demo_pages_are_the_same_documents_sanitized(demo_site, tmp_path):
    report = build(REPO, tmp_path / "build", overrides={"raw_html": "sanitize"})
    assert [w for w in report.warnings if w.code in ("html-removed", "link-script")] == []
    pages = sorted(demo_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        sanitized = tmp_path / "build" / path.relative_to(demo_site)
        assert document(html(sanitized)) == document(html(path)), path


def test_allow_keeps_what_the_writer_wrote():
    _, soup = convert(
        '<span onclick="go()">x</span>\n\n<iframe src="https://a.test/"></iframe>', "allow"
    )
    assert (
        soup.find("span")["onclick"] == "go()" and soup.find("iframe")["src"] == "https://a.test/"
    )


# --- warnings ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["allow", "sanitize"])
def test_script_links_are_located_warnings_in_both_modes(mode):
    out, _ = convert(
        "Text.\n\n[a](javascript:alert(1))\n\n[b](&#106;avascript:alert(2))\n\n"
        '<a href="JAVASCRIPT:alert(3)">c</a>\n\n[d][r]\n\n[r]: vbscript:x\n',
        mode,
    )
    found = [(p.line, p.level, p.code) for p in out.problems if p.code == "link-script"]
    assert found == [(3, "warning", "link-script"), (5, "warning", "link-script"),
                     (7, "warning", "link-script"), (11, "warning", "link-script")]  # fmt: skip
    assert "javascript:alert(1)" in out.problems[0].message


def test_each_removal_is_a_warning_at_its_line():
    out, soup = convert(
        "Intro.\n\n"  # 1
        '[x](https://a.test){: onclick="alert(1)"}\n\n'  # 3
        "<script>alert(2)</script>\n\n"  # 5
        '<iframe src="https://a.test/"></iframe>\n\n'  # 7
        "<img src=x onerror=alert(3) alt=y>\n\n"  # 9
        '<p style="color:red">red</p>\n\n'  # 11
        "![data](data:image/png;base64,AAAA)\n\n"  # 13
        "<svg onload=alert(4)><circle r=1 /></svg>\n"  # 15
    )
    assert unsafe(soup) == []
    assert [(p.line, p.code, p.message.split("removed ")[1]) for p in out.problems] == [
        (3, "html-removed", "'onclick' on <a>"),
        (5, "html-removed", "<script>"),
        (7, "html-removed", "<iframe>"),
        (9, "html-removed", "'onerror' on <img>"),
        (11, "html-removed", "'style' on <p>"),
        (13, "html-removed", "src='data:image/png;base64,AAAA' on <img>"),
        (15, "html-removed", "<svg>"),
    ]
    assert all(p.level == "warning" and "Markdown" in p.hint for p in out.problems)


# --- the rule for script addresses ------------------------------------------------------------


@given(
    st.sampled_from(["javascript", "vbscript"]),
    st.lists(st.booleans()),
    st.text(alphabet="\t\n\r", max_size=3),
    st.text(alphabet="".join(map(chr, range(33))), max_size=3),
)
def test_script_scheme_reads_addresses_as_browsers_do(scheme, upper, inner, around):
    cased = "".join(
        c.upper() if u else c for c, u in zip(scheme, upper + [False] * 10, strict=False)
    )
    url = around + cased[:3] + inner + cased[3:] + ":alert(1)" + around
    assert script_scheme(url) == scheme


@given(
    st.sampled_from(["https://a.test/", "b.md", "#x", "mailto:a@b.test", "tel:1", "/x/javascript:"])
)
def test_script_scheme_leaves_other_addresses(url):
    assert script_scheme(url) is None


# --- in a browser -----------------------------------------------------------------------------

CLICKED = (  # each sets window.__pwned to its number, or opens a dialog
    "[a](javascript:top.__pwned=1) [b](JaVaScRiPt:top.__pwned=2) [c](&#106;avascript:top.__pwned=3)"
    " [d](data:text/html,<script>top.__pwned=4</script>)\n\n"
    "[e][r]\n\n[r]: javascript:top.__pwned=5\n\n"
    '<a href="&#106;avascript:top.__pwned=6">f</a> <a href="java&#9;script:top.__pwned=7">g</a>\n\n'
    '[h](#h){: onclick="top.__pwned=8"} <a href="#i" onclick="alert(9)">i</a>\n\n'
    '<img src="x" onerror="alert(10)">\n\n<script>alert(11)</script>\n\n'
    '<svg onload="alert(12)"></svg>\n\n'
    '<details open ontoggle="alert(13)"><summary>s</summary></details>\n\n'
    '<iframe srcdoc="<script>parent.__pwned=14</script>"></iframe>\n\n'
    '<form action="javascript:top.__pwned=15"><button>send</button></form>\n\n'
    '<math><mtext><table><mglyph><style><img src="x" onerror="alert(16)">\n\n'
)


def _pwned(page, url: str, dialogs: list[str]) -> list[str]:
    """Open `url`, click every link and button on it (each time afresh); what fired."""
    fired = []
    page.goto(url)
    page.wait_for_timeout(200)
    count = page.locator(".article-body a, .article-body button").count()
    for i in range(-1, count):
        if i >= 0:
            page.goto(url)
            target = page.locator(".article-body a, .article-body button").nth(i)
            target.click(force=True, no_wait_after=True, timeout=2000)
            page.wait_for_timeout(100)
        try:
            marker = page.evaluate("() => window.__pwned || null")
        except Exception:  # left the page: a javascript: URL would not
            marker = None
        if marker:
            fired.append(str(marker))
    return fired + dialogs


@pytest.mark.browser
def test_chromium_clicks_every_link_and_nothing_runs(tmp_path, browser):
    """Served without a Content-Security-Policy, so that only the sanitiser stands between the
    payloads and the page (the same page with raw_html = "allow" proves they would fire)."""
    files = {"content/a.md": "# Payloads\n\n" + CLICKED, "content/b.md": "# B\n\nText.\n"}
    results = {}
    for mode in ("allow", "sanitize"):
        root = write_files(tmp_path / mode, files)
        out = build(root, overrides={"raw_html": mode, "broken_links": "warn"}).out_dir
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        results[mode] = _pwned(page, (out / "a" / "index.html").as_uri(), dialogs)
        if mode == "sanitize":
            handlers = page.evaluate(
                """() => [...document.querySelectorAll('.article-body *')].flatMap(el =>
                     [...el.attributes].filter(a => /^on/i.test(a.name)).map(a => a.name))"""
            )
            assert handlers == []
        context.close()
    assert {"1", "3", "6", "8", "10", "11"} <= set(results["allow"])  # they fire unsanitised
    assert results["sanitize"] == []
