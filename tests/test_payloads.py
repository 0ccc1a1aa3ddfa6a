"""A payload site opened in Chromium: nothing a writer or a URL controls ever runs.

Every field a writer controls outside an article's raw HTML (titles, descriptions, tags,
keywords, aliases, changes, icons, headings shown by search, file and folder names in every
scheme shape, the site title, notices, audiences, contact channels' labels, URLs and parameters)
and every URL parameter the site reads (`?q=`, `?topic=`, `#fragment`) carries a script. The
site is built with `raw_html` at its default, served with `Content-Security-Policy: default-src
'self'` and walked in Chromium: every page visited, every link and button clicked, payloads typed
into the search box and the contact form. Nothing may run: no `window.__pwned`, no dialog, no
CSP violation, no console error, no request to another origin, and no link in the DOM whose
scheme can run a script.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from helpgen.errors import HelpgenError
from helpgen.pipeline import build

from .conftest import write_files

PWN = "window.__pwned=1"
PAYLOADS = (
    f"<img src=x onerror={PWN}>",
    f'"><svg onload={PWN}>',
    f"'><script>{PWN}</script>",
    f"</script><script>{PWN}</script>",
    "{{7*7}}",
    "${" + PWN + "}",
    f"javascript:{PWN}",
    f"');{PWN};('",
)
ALL = " ".join(PAYLOADS)
# a file or folder name (no "/"), in every shape a scheme can take
SCHEME_NAMES = (
    f"javascript:{PWN}",
    f"JAVASCRIPT:{PWN}",
    f"java\tscript:{PWN}",
    f" javascript:{PWN}",
    f"\tjavascript:{PWN}",
    f"data:text_html,<script>{PWN}<_script>",
    f"vbscript:{PWN}",
    "\\\\evil.example",
    "http:evil.example",
    "https:evil.example",
    "mailto:x@evil.example",
    "%6Aavascript:x",
    "&#106;avascript:x",
    "<img src=x onerror=window.__pwned=1>",
    '"><svg onload=window.__pwned=1>',
    "{{7*7}}",
)
# a channel URL: what a browser could be sent to from a contact link
CHANNEL_URLS = (
    f"javascript:{PWN}",
    f"JAVASCRIPT:{PWN}",
    f"java\tscript:{PWN}",
    f" javascript:{PWN}",
    f"data:text/html,<script>{PWN}</script>",
    f"vbscript:{PWN}",
    "\\\\evil.example/x",
    "http:evil.example",
    f'https://help.example/form?x="><svg onload={PWN}>',
    f"mailto:help@example.com?subject=<img src=x onerror={PWN}>",
)
SAFE_SCHEMES = {"http:", "https:", "mailto:", "tel:", "sms:"}
SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|livescript):", re.I)


def toml_str(text: str) -> str:
    """`text` as a TOML basic string."""
    return json.dumps(text, ensure_ascii=True)


def front(**fields: object) -> str:
    """A front matter block of JSON values (JSON is YAML): exact, whatever the payload."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=True)}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def config_text() -> str:
    channels = []
    for i, url in enumerate(CHANNEL_URLS):
        channels.append(
            f"""
[[contact.channels]]
id = "c{i}"
type = "{("link", "form", "email", "chat")[i % 4]}"
url = {toml_str(url)}
label = {{ en = {toml_str(f"Channel {i} {ALL}")} }}
description = {toml_str(f"Description {i} {ALL}")}
promise = {toml_str(f"Promise {i} {ALL}")}
params = {{ topic = {toml_str("t" + PAYLOADS[1])}, question = {toml_str("q" + PAYLOADS[0])} }}
"""
        )
    return f"""
title = {toml_str("Payload help " + ALL)}

[[audiences]]
id = "buyers"
label = {toml_str("Buyers " + ALL)}

[[audiences]]
id = "sellers"
label = {{ en = {toml_str("Sellers " + ALL)} }}

[contact]
intro = {toml_str("Intro " + ALL)}

[[notices]]
id = "payload"
text = {toml_str("Notice " + ALL)}
link = "articles/every-field.md"

[[notices]]
id = "payload-url"
text = {toml_str("Second notice " + ALL)}
link = {toml_str(f"https://help.example/?q={PAYLOADS[1]}")}

[[contact.routes]]
topics = ["sellers/**"]
audience = ["sellers"]
channels = ["c0", "c1", "c2"]
{"".join(channels)}
"""


def body(title: str) -> str:
    """Markdown whose visible text (headings, code, escaped text) holds every payload."""
    code = " ".join(f"`{p}`" for p in PAYLOADS)
    escaped = " ".join(p.replace("<", "&lt;").replace(">", "&gt;") for p in PAYLOADS)
    return (
        f"{title} body.\n\n## Heading {code}\n\nText {escaped}\n\n"
        f"### Second `{PAYLOADS[2]}` {{#second}}\n\nMore.\n\n"
        "[chat](contact:c8) [email](contact:c9) [all contacts](contact:)\n"
    )


def payload_site(root: Path) -> Path:
    """The payload help center in `root` (helpgen.toml and content/)."""
    files = {
        "helpgen.toml": config_text(),
        "content/_index.md": front(title="Home " + ALL, description="Home " + ALL)
        + "Welcome "
        + PAYLOADS[0].replace("<", "&lt;"),
        "content/articles/_index.md": front(
            title="Articles " + ALL, description="Topic " + ALL, icon=PAYLOADS[1]
        ),
        "content/articles/every-field.md": front(
            title="Every field " + ALL,
            description="Description " + ALL,
            tags=list(PAYLOADS),
            keywords=list(PAYLOADS),
            aliases=[f"/old/{quote(p, safe='')}/" for p in PAYLOADS[:3]]
            + ["/<svg onload=window.__pwned=1>/", f"/JaVaScRiPt:{PWN}/"],
            updated="2026-01-15",
            changes="Changes " + ALL,
            promoted=True,
            audience=["buyers"],
            contact=["c0", "c3", "c4", "c8", "c9"],
        )
        + body("Every field"),
        "content/sellers/_index.md": front(title="Sellers " + ALL, audience=["sellers"]),
        "content/sellers/fees.md": front(title="Fees " + ALL, tags=[PAYLOADS[0]]) + body("Fees"),
        "content/guides/troubleshoot.md": front(title="Guide " + ALL, type="guide")
        + f"Intro.\n\n## Start `{PAYLOADS[0]}`\n\n- [Yes `{PAYLOADS[1]}`](#done)\n"
        + "- [No](#done)\n\n## Done\n\nFinished.\n",
    }
    for i, name in enumerate(SCHEME_NAMES):
        files[f"content/names/{name}.md"] = front(title=f"Name {i} {ALL}") + body(f"Name {i}")
        files[f"content/{name}/inside.md"] = front(title=f"Inside {i} {ALL}") + body("Inside")
    return write_files(root, files)


# --- built, then read as files ------------------------------------------------------------------
@pytest.fixture(scope="module")
def payload_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(payload_site(tmp_path_factory.mktemp("payloads") / "site"), jobs=1).out_dir


def browser_scheme(ref: str) -> str | None:
    """The scheme a browser reads in an attribute value (C0 and space trimmed, tab and newline
    removed), lower-cased with its colon; None for a relative reference."""
    ref = ref.strip("".join(map(chr, range(0x21)))).translate({9: None, 10: None, 13: None})
    m = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", ref)
    return m.group(1).lower() + ":" if m else None


def test_no_built_page_holds_markup_or_a_link_from_a_payload(payload_out):
    """Every attribute of every element: no event handler, no inline script or style, no URL
    with a scheme but http(s), mailto, tel and sms; each payload shows as the text it is."""
    pages = sorted(payload_out.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        doc = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(payload_out)
        for el in doc.find_all(True):
            assert el.name != "svg" or "onload" not in el.attrs, where
            for name, value in el.attrs.items():
                assert not name.lower().startswith("on"), (where, el.name, name)
                values = value if isinstance(value, list) else [value]
                for ref in values if name in ("href", "src", "action", "formaction") else ():
                    scheme = browser_scheme(ref)
                    assert scheme is None or scheme in SAFE_SCHEMES, (where, el.name, ref)
            if el.name == "script":
                assert el.get("src") and not el.get_text().strip(), (where, el)
            if el.name == "meta" and el.get("http-equiv", "").lower() == "refresh":
                target = el["content"].split("=", 1)[1]
                assert browser_scheme(target) is None, (where, target)
            assert el.name != "style" and "style" not in el.attrs, (where, el.name)
    article = BeautifulSoup(
        (payload_out / "articles/every-field/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert article.h1.get_text(" ", strip=True) == "Every field " + ALL  # {{7*7}} is not 49
    tags = [a.get_text(strip=True) for a in article.select(".tags li, .tags a")]
    assert PAYLOADS[0] in tags
    assert article.title.get_text().startswith("Every field " + ALL)


def test_search_index_holds_payloads_as_text(payload_out):
    chunks = sorted((payload_out / "search/pages").glob("*.json"))  # page rows: url, title, ...
    data = [json.loads(chunk.read_text(encoding="utf-8")) for chunk in chunks]
    text = json.dumps(data, ensure_ascii=False)
    assert "Every field " + ALL.replace('"', '\\"') in text


@pytest.mark.parametrize("channel", [f"c{i}" for i in range(6)] + ["c7"])
def test_a_contact_link_to_a_channel_a_browser_must_not_open_is_a_located_error(tmp_path, channel):
    """`contact:ID` links to the channel's own address: one with a script scheme (in any shape),
    data:, or a scheme without "//" (http:evil.example) is never written into an href."""
    root = payload_site(tmp_path / "site")
    article = root / "content/sellers/fees.md"
    article.write_text(article.read_text() + f"\n[Ask]({f'contact:{channel}'})\n")
    with pytest.raises(HelpgenError) as exc:
        build(root, jobs=1)
    [problem] = exc.value.problems
    lines = article.read_text().splitlines()
    assert (Path(problem.path), problem.code) == (article, "contact-unlinked")
    assert lines[problem.line - 1] == f"[Ask](contact:{channel})"
    assert f"'{channel}'" in problem.message and "https://" in problem.hint


# --- in Chromium --------------------------------------------------------------------------------
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  if (document.contentType !== "text/html") return;  // Chromium's own XML viewer (feed.xml)
  window.__hgViolation(e.violatedDirective + " " + e.blockedURI + " at " + e.sourceFile + ":" +
    e.lineNumber + " " + document.location.href);
});
"""
DOM_URLS = """() => {
  const found = [];
  for (const el of document.querySelectorAll("[href], [src], [action], [formaction]")) {
    for (const name of ["href", "src", "action", "formaction"]) {
      const value = el.getAttribute(name);
      if (value === null) continue;
      let protocol = "";
      try { protocol = new URL(value, document.baseURI).protocol; } catch (e) { protocol = "?"; }
      found.push([el.tagName.toLowerCase(), name, value, protocol]);
    }
  }
  return found;
}"""


@dataclass
class Walk:
    """What happened in the browser while the payload site was walked."""

    base: str
    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # requests to another origin
    pwned: list[str] = field(default_factory=list)
    bad_links: list[str] = field(default_factory=list)
    xml_viewer: list[str] = field(default_factory=list)  # messages while an .xml file shows

    def look(self, page) -> None:
        """After each step: nothing ran, and no link with a script-capable scheme is there."""
        try:
            if page.evaluate("() => window.__pwned !== undefined"):
                self.pwned.append(page.url)
            urls = page.evaluate(DOM_URLS)
        except Exception as exc:  # a navigation in progress: look again once it is done
            page.wait_for_load_state()
            if "navigat" not in str(exc) and "destroyed" not in str(exc):
                raise
            return self.look(page)
        for tag, name, value, protocol in urls:
            if protocol not in {*SAFE_SCHEMES, "http:", "https:"} or SCRIPT_SCHEMES.match(value):
                self.bad_links.append(f"{page.url}: <{tag} {name}={value!r}> ({protocol})")


@pytest.fixture
def walk(page, payload_out, serve_dir) -> Iterator[Walk]:
    base = serve_dir(payload_out)
    state = Walk(base)
    origin = base.rstrip("/")
    page.expose_function("__hgViolation", lambda text: state.violations.append(text))
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("dialog", lambda d: (state.dialogs.append(d.message), d.dismiss()))
    page.on(  # Chromium shows feed.xml with its own inline style, which the CSP blocks
        "console",
        lambda m: state.xml_viewer.append(m.text) if page.url.endswith(".xml") else None,
    )

    def only_here(route) -> None:
        if route.request.url.startswith(origin + "/"):
            route.continue_()
        else:
            state.elsewhere.append(route.request.url)
            route.fulfill(status=204)  # nothing leaves; a navigation stays where it was

    page.route("**/*", only_here)
    yield state


def visit(page, walk: Walk, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    walk.look(page)


def click_buttons(page, walk: Walk, url: str) -> None:
    """Click every button on the page in turn, as a reader would, staying on it."""
    count = page.evaluate("() => document.querySelectorAll('button, summary').length")
    for i in range(count):
        if page.url.split("#")[0] != url.split("#")[0]:
            visit(page, walk, url)
        page.evaluate(
            "i => { const b = document.querySelectorAll('button, summary')[i];"
            " if (b && !b.disabled) b.click(); }",
            i,
        )
        page.wait_for_timeout(30)
        walk.look(page)


def link_key(href: str, base: str) -> str:
    """One click per target: a page of the site whatever its #fragment, another site's address
    whatever its query (contact links carry each page's context)."""
    if href.startswith(base):
        return unquote(href.split("#")[0].removesuffix("index.html"))
    return href.split("?")[0]


def click_every_link(page, walk: Walk) -> set[str]:
    """Follow links as a reader would, each target once: click an unclicked link on the page at
    hand, else go back to a page that has one. Returns the pages landed on."""
    sources: dict[str, str] = {}  # unclicked link key -> a page that has it
    clicked: set[str] = set()
    landed: set[str] = set()
    visit(page, walk, walk.base)
    while True:
        here = page.url
        landed.add(link_key(here, walk.base))
        hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)") or []
        for href in hrefs:
            key = link_key(href, walk.base)
            if key not in clicked:
                sources.setdefault(key, here)
        todo = [h for h in hrefs if link_key(h, walk.base) not in clicked]
        if not todo:
            if not sources:
                return landed
            key, source = sources.popitem()
            visit(page, walk, source)
            continue
        href = todo[0]
        key = link_key(href, walk.base)
        clicked.add(key)
        sources.pop(key, None)
        if urlsplit(href).scheme in ("mailto", "tel", "sms"):
            continue  # opens another program, not a page
        click = "h => [...document.querySelectorAll('a[href]')].find(a => a.href === h).click()"
        if href.startswith(walk.base) and key != link_key(here, walk.base):
            with page.expect_navigation():
                page.evaluate(click, href)
            walk.look(page)
        elif href.startswith(walk.base):  # a part of this page
            page.evaluate(click, href)
            walk.look(page)
        else:  # another site: answered with 204 No Content, so the page stays
            page.evaluate(click, href)
            page.wait_for_timeout(100)
            assert page.url == here


def is_redirect(path: Path) -> bool:
    return 'http-equiv="refresh"' in path.read_text(encoding="utf-8")


KIND_PAGES = ("", "every-field", "troubleshoot", "contact", "search", "whats-new", "articles")


@pytest.mark.browser
def test_walking_the_payload_site_runs_nothing(page, walk, payload_out):
    """Every link of the site clicked once, every page visited (an alias's redirect followed),
    every button of each kind of page and every answer of the guide clicked."""
    landed = click_every_link(page, walk)
    pages = {
        walk.base + p.relative_to(payload_out).as_posix().removesuffix("index.html")
        for p in payload_out.rglob("*.html")
        if not is_redirect(p)
    }
    assert pages - landed == {walk.base + "404.html", walk.base + "search/"}  # no link to them
    kinds: dict[str, str] = {}  # body class -> a page of that kind
    for path in sorted(payload_out.rglob("*.html")):
        rel = path.relative_to(payload_out)
        url = walk.base + quote(rel.as_posix())
        if link_key(url, walk.base) not in landed or rel.parent.name in KIND_PAGES:
            visit(page, walk, url)  # and one page of each kind, whose buttons are clicked below
        else:
            continue
        kinds.setdefault(page.get_attribute("body", "class") or "", page.url)
    assert {"page-home", "page-topic", "page-article", "page-contact", "page-search"} <= set(kinds)
    for url in kinds.values():
        visit(page, walk, url)
        click_buttons(page, walk, url)
    visit(page, walk, walk.base + "guides/troubleshoot/")
    answers = page.eval_on_selector_all("main a[href^='#']", "as => as.length")
    for i in range(answers):
        page.evaluate("i => document.querySelectorAll(\"main a[href^='#']\")[i].click()", i)
        walk.look(page)
    assert_nothing_ran(page, walk)


def assert_nothing_ran(page, walk: Walk) -> None:
    assert walk.pwned == []
    assert walk.dialogs == []
    assert walk.violations == []
    assert walk.bad_links == []
    assert {urlsplit(u).hostname for u in walk.elsewhere} <= {"help.example"}
    assert [e for e in page.errors if e not in walk.xml_viewer] == []


@pytest.mark.browser
def test_url_parameters_and_typed_payloads_run_nothing(page, walk):
    """?q= on the search and contact pages, ?topic=, ?audience=, #fragments (a guide reads its
    step from one) and a remembered audience carry payloads; payloads typed into the search box
    and the contact form; nothing runs."""
    for payload in PAYLOADS:
        q = quote(payload, safe="")
        for url in (
            f"search/?q={q}#{q}",
            f"contact/?q={q}&topic={q}",
            f"articles/every-field/?q={q}&audience={q}#{q}",
            f"guides/troubleshoot/?topic={q}#{q}",
        ):
            visit(page, walk, walk.base + url)
    page.evaluate("p => localStorage.setItem('helpgen-audience', p)", PAYLOADS[1])
    visit(page, walk, walk.base + "sellers/fees/")
    typed = (*PAYLOADS, "window pwned", "svg onload", "script")  # these find every page
    visit(page, walk, walk.base + "search/?q=pwned")
    found = page.locator("[data-search-output] a[href*='every-field']").first
    found.wait_for()  # the payload titles are in the results, as text
    assert "Every field <img src=x" in found.inner_text()
    box = page.locator("main input[name=q]").first
    for payload in typed:
        box.fill(payload)
        page.wait_for_timeout(100)
        walk.look(page)
    box.press("Enter")
    page.wait_for_load_state()
    walk.look(page)
    visit(page, walk, walk.base + "contact/")
    page.select_option("#deflect-topic", index=1)
    for payload in typed:
        page.locator("#deflect-question").fill(payload)
        page.wait_for_timeout(100)
        walk.look(page)
    assert_nothing_ran(page, walk)
