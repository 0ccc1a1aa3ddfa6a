"""Hostile file, folder and alias names: never a script link, never a page replaced.

A name is the writer's, not helpgen's to trust: `javascript:alert(1).md`, `FAQ: returns.md`,
`C#?.md` and `100%.md` must become links that stay inside the site, and an alias such as
`t/./ok/` or `search/index.json` must be a located error, never a page silently replaced.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from helpgen.assemble import alias_url
from helpgen.errors import HelpgenError, Problem
from helpgen.frontmatter import Meta, parse_meta
from helpgen.load import read_source
from helpgen.pipeline import build
from helpgen.urls import alias_path, output_file, relative, split_fragment

from .conftest import yaml_quoted
from .sitecheck import broken_links, scan, target_file

SAFE_SCHEMES = {"http", "https", "mailto", "tel"}
_BROWSER_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- helpers ---------------------------------------------------------------------------------
def page_text(title: str, body: str = "", aliases: list[str] | None = None) -> str:
    """Front matter at fixed lines: title on 2, aliases on 3."""
    lines = ["---", f"title: {yaml_quoted(title)}"]
    if aliases is not None:
        lines.append(f"aliases: [{', '.join(map(yaml_quoted, aliases))}]")
    return "\n".join([*lines, "---", "", body, ""])


ALIASES_LINE = 3


def scheme_as_browsers_see_it(ref: str) -> str | None:
    """The scheme a browser reads in an attribute value (WHATWG URL: C0 and space trimmed,
    tabs and newlines removed), lower-cased; None for a relative reference."""
    ref = ref.strip("".join(map(chr, range(0x21)))).translate({9: None, 10: None, 13: None})
    m = _BROWSER_SCHEME.match(ref)
    return m.group(1).lower() if m else None


def refresh_targets(page: Path) -> list[str]:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    found = []
    for meta in doc.find_all("meta", attrs={"http-equiv": "refresh"}):
        m = re.match(r"\s*\d+\s*[;,]\s*url\s*=\s*(.*)$", meta["content"], re.I | re.S)
        assert m, meta
        url = m.group(1)
        assert url[:1] not in ("'", '"'), f"{page}: a quote would end the refresh URL: {url!r}"
        found.append(url)
    return found


def assert_links_safe(out: Path) -> None:
    """Every local href/src/refresh resolves inside the site; no scheme but http(s)/mailto/tel."""
    assert broken_links(out) == []
    for page in sorted(out.rglob("*.html")):
        refs = [ref for _, _, ref in scan(page).links] + refresh_targets(page)
        for ref in refs:
            scheme = scheme_as_browsers_see_it(ref)
            assert scheme is None or scheme in SAFE_SCHEMES, f"{page.relative_to(out)}: {ref!r}"
        for ref in refresh_targets(page):
            resolved = target_file(out, page, ref)
            assert resolved is not None and resolved[0].is_file(), (page, ref)


def h1(page: Path) -> str:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    heading = doc.find("h1")
    assert heading is not None, page
    return heading.get_text()


def body_kind(page: Path) -> str:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return " ".join(doc.body.get("class", []))


def attempt(
    files: dict[str, str], root: Path | None = None, **overrides: object
) -> tuple[Path, Path | None, list[Problem]]:
    """Build `files` in `root` (default: a fresh folder): (root, output or None, the problems
    that stopped it). Anything but a HelpgenError (a traceback) fails the test."""
    root = root or Path(tempfile.mkdtemp(prefix="hostile-"))
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    try:
        report = build(root, overrides=overrides or None, jobs=1)
    except HelpgenError as exc:
        return root, None, exc.problems
    return root, report.out_dir, []


def assert_located(root: Path, problems: list[Problem]) -> None:
    """Failed the right way: every problem an error at a file of the site, alias problems at
    the `aliases` line; never an internal error."""
    assert problems
    for p in problems:
        assert "internal error" not in p.message.lower(), p
        assert p.path is not None, p
        path = Path(p.path).resolve()
        assert path == root or root.resolve() in path.parents, p
        if p.code == "alias-invalid" or (p.code.startswith("url-") and p.line is not None):
            assert p.line == ALIASES_LINE, p


# --- names ------------------------------------------------------------------------------------
NAME_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/")
SCHEME = st.one_of(
    st.from_regex(r"\A[A-Za-z][A-Za-z0-9+.\-]{0,12}:\Z"),
    st.sampled_from(["javascript:", "JaVaScRiPt:", "data:", "vbscript:", "file:", "FAQ:"]),
)
TRICKY = st.sampled_from(list("%#?&'\"<>=;:+!$()*,@[]{}|^`\\ é漢\u202e\u00a0"))
NAME = st.one_of(
    st.builds(lambda s, t: s + t, SCHEME, st.text(NAME_CHARS | TRICKY, max_size=16)),
    st.sampled_from(
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(document.domain)",
            "data:text/html,x".replace("/", "_"),
            "vbscript:msgbox(1)",
            "FAQ: returns",
            "C# & F#?",
            "100%",
            "a%20b",
            "%2e%2e",
            "?q=1",
            "#top",
            "'quoted'",
            '"double"',
            "<img src=x onerror=alert(1)>",
            "Ünïcödé 漢字",
            "x:y:z",
        ]
    ),
    st.text(NAME_CHARS | TRICKY, min_size=1, max_size=24),
).filter(
    lambda n: (
        n[:1] not in (".", "_")
        and not n[0].isspace()
        and not n.endswith("~")
        and n != "index"
        and not n.endswith(".html")  # sitecheck reads every *.html, folders too
        and len(n.encode()) <= 120
    )
)


@EXAMPLES
@given(
    folder=NAME,
    names=st.lists(NAME, min_size=1, max_size=3, unique=True),
    offline=st.booleans(),
)
@example(folder="javascript:alert(1)", names=["JaVaScRiPt:x", "FAQ: returns"], offline=False)
@example(folder="x", names=["x"], offline=False)  # a file and a folder: one address
@example(folder="FAQ: returns", names=["a#b?c", "100%", "a%20b"], offline=True)
def test_file_and_folder_names_never_become_script_links(folder, names, offline):
    files = {"content/_index.md": page_text("Hostile home", "Welcome.")}
    titles: dict[str, str] = {}  # output page -> its title
    links = []
    for i, name in enumerate(names):
        top, inner = f"content/{name}.md", f"content/{folder}/{name}.md"
        files[top] = page_text(f"{name} · top {i}", f"Top {i}.")
        files[inner] = page_text(f"{name} · inner {i}", f"Inner {i}.")
        titles[f"{name}/"] = f"{name} · top {i}"
        titles[f"{folder}/{name}/"] = f"{name} · inner {i}"
        links += [f"[top {i}](../{quote(name)}.md)", f"[inner {i}](../{quote(folder)}/)"]
        links.append(f"[inner page {i}](../{quote(folder)}/{quote(name)}.md)")
    if "untitled" not in names:
        files[f"content/{folder}/untitled.md"] = "No title but the file name.\n"
    files["content/plain/links.md"] = page_text("Links", "\n\n".join(links))
    root, out, problems = attempt(files, offline=offline)
    try:
        event("built" if out else f"refused: {', '.join(sorted({p.code for p in problems}))}")
        if out is None:
            assert_located(root, problems)
            return
        assert_links_safe(out)
        home = out / "index.html"
        assert h1(home) == "Hostile home" and body_kind(home) == "page-home"
        for url, title in titles.items():
            assert h1(out / output_file(url)) == title
    finally:
        shutil.rmtree(root)


def test_script_named_file_and_folder_links_start_with_dot_slash(tmp_path):
    name = "javascript:alert(1)"
    files = {
        f"content/guides/{name}.md": "# Script\n",
        f"content/{name}/x.md": "# X\n",
        "content/orders/FAQ: returns.md": "# FAQ\n",
        "content/orders/a#b?c.md": "# Hash\n",
        "content/orders/100%.md": "# Percent\n",
    }
    _, out, problems = attempt(files, tmp_path)
    assert problems == [] and out is not None
    hrefs = {ref for p in out.rglob("*.html") for _, _, ref in scan(p).links}
    assert "./javascript:alert(1)/" in hrefs and "./FAQ:%20returns/" in hrefs
    assert "../FAQ:%20returns/" in hrefs  # from a sibling: not the first segment
    assert not any(h.startswith(("javascript:", "FAQ:")) for h in hrefs)
    assert "a%23b%3Fc/" in hrefs and "100%25/" in hrefs
    assert_links_safe(out)


# --- relative(): the one place -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("src", "dst", "offline", "href"),
    [
        ("", "javascript:alert(1)/", False, "./javascript:alert(1)/"),
        ("", "javascript:alert(1)/", True, "./javascript:alert(1)/index.html"),
        ("a/", "a/javascript:x/", False, "./javascript:x/"),
        ("a/", "FAQ: returns/", False, "../FAQ:%20returns/"),
        ("", "FAQ: returns/", False, "./FAQ:%20returns/"),
        ("", "x/javascript:y/", False, "x/javascript:y/"),  # not the first segment: a path
        ("", "JaVaScRiPt:a/#frag", False, "./JaVaScRiPt:a/#frag"),
        ("", "a#b?c/", False, "a%23b%3Fc/"),
        ("x/", "x/a#b?c/#sec", False, "a%23b%3Fc/#sec"),
        ("", "#top/", False, "%23top/"),
        ("", "C#/#x", False, "C%23/#x"),
        ("", "img/C#.png", False, "img/C%23.png"),
        ("", "img/a.png#page=2", False, "img/a.png#page=2"),
        ("", "100%/", False, "100%25/"),
        ("", "a%20b/", False, "a%2520b/"),
        ("", "images/my photo.png", False, "images/my%20photo.png"),
        ("a/", "b/#שלב", False, "../b/#שלב"),
        ("old.html", "'quoted'/", False, "./'quoted'/"),
        ("", "<x>/", False, "%3Cx%3E/"),
        ("", "é/", False, "%C3%A9/"),
    ],
)
def test_relative_never_reads_as_a_scheme(src, dst, offline, href):
    assert relative(src, dst, offline) == href


@given(
    scheme=SCHEME,
    rest=st.text(NAME_CHARS | TRICKY, max_size=20),
    depth=st.integers(0, 2),
    offline=st.booleans(),
)
def test_relative_of_any_scheme_shaped_name_is_a_path(scheme, rest, depth, offline):
    """Followed by a browser from the page at `here`, the link lands on the named page."""
    name = scheme + rest
    here = "a/" * depth
    for target in (f"{name}/", f"a/{name}/", f"{name}/x/", f"a/x/{name}/"):
        href = relative(here, target + "#part", offline)
        assert scheme_as_browsers_see_it(href) is None, href
        landed = urlsplit(urljoin(f"http://h/{here}", href))
        assert (landed.scheme, landed.netloc, landed.fragment) == ("http", "h", "part")
        assert unquote(landed.path) == "/" + target + ("index.html" if offline else "")


@pytest.mark.parametrize(
    ("url", "parts"),
    [
        ("a/#x", ("a/", "#", "x")),
        ("a/b#c/", ("a/b#c/", "", "")),
        ("a/#b/", ("a/#b/", "", "")),
        ("a/#b/#c", ("a/#b/", "#", "c")),
        ("a.b#c/", ("a.b#c/", "", "")),
        ("a.b#/", ("a.b#/", "", "")),
        ("a.png#x", ("a.png", "#", "x")),
        ("C#.png", ("C#.png", "", "")),
        ("#x", ("", "#", "x")),
    ],
)
def test_split_fragment(url, parts):
    assert split_fragment(url) == parts


# --- aliases: normalised, then checked ---------------------------------------------------------
@pytest.mark.parametrize(
    ("alias", "path"),
    [
        ("/t/./ok/", "t/ok/"),
        ("t//ok", "t/ok/"),
        ("./", ""),
        ("/", ""),
        ("/old.html", "old.html"),
        ("/old.html/", "old.html/"),
        ("/orders/cancel/index.html", "orders/cancel/"),
        ("index.html", ""),
        ("javascript:alert(1)", "javascript:alert(1)/"),
        ("  /a b/  ", "a b/"),
    ],
)
def test_alias_path_normalises(alias, path):
    assert alias_path(alias) == path


@pytest.mark.parametrize(
    "alias",
    [
        "",
        "   ",
        "../x",
        "/a/../../b",
        "a\x00b",
        "a\tb",
        "a\x7fb",
        "a?b=1",
        "a#b",
        "x" * 2001,
        "é" * 128,
    ],
)
def test_alias_path_rejects(alias):
    with pytest.raises(ValueError):
        alias_path(alias)


def alias_problems(tmp_path: Path, aliases: list) -> list[tuple[int | None, str]]:
    path = tmp_path / "a.md"
    path.write_text(page_text("A", "", aliases), encoding="utf-8")
    problems: list[Problem] = []
    meta = parse_meta(read_source(path, Path("a.md")), problems)
    assert problems or meta.aliases == tuple(a.strip() for a in aliases)
    return [(p.line, p.code) for p in problems]


@pytest.mark.parametrize(
    "alias", ["", "../old/", "/a/\x00/", "/a\nb/", "/old/?page=2", "/old/#part", "y" * 2001]
)
def test_invalid_alias_is_located_at_the_aliases_line(tmp_path, alias):
    assert alias_problems(tmp_path, ["/fine/", alias]) == [(ALIASES_LINE, "alias-invalid")]


def test_alias_to_another_site_keeps_its_message(tmp_path):
    assert alias_problems(tmp_path, ["https://elsewhere.test/x"]) == [
        (ALIASES_LINE, "frontmatter-value")
    ]


SHOP = {
    "content/_index.md": page_text("Hostile home", "Welcome."),
    "content/t/ok.md": page_text("T ok"),
    "content/orders/cancel.md": page_text("Cancel"),
}


def with_aliases(aliases: list[str], other: list[str] | None = None) -> dict[str, str]:
    files = {**SHOP, "content/a.md": page_text("A", "", aliases)}
    if other is not None:
        files["content/b.md"] = page_text("B", "", other)
    return files


@pytest.mark.parametrize(
    ("aliases", "code"),
    [
        (["t/./ok/"], "url-collision"),
        (["t//ok"], "url-collision"),
        (["/t/ok/index.html"], "url-collision"),
        (["/a/"], "url-collision"),  # its own page: a redirect to itself
        (["/x/", "x"], "url-collision"),
        (["./"], "url-reserved"),
        (["/"], "url-reserved"),
        (["index.html"], "url-reserved"),
        (["search/index.json"], "url-reserved"),
        (["/search/postings/0/"], "url-reserved"),
        (["/static/css/helpgen.css"], "url-reserved"),
        (["/404.html"], "url-reserved"),
        (["sitemap.xml"], "url-reserved"),
        (["/feed.xml"], "url-reserved"),
        (["robots.txt"], "url-reserved"),
        (["contact/"], "url-reserved"),
        (["/whats-new"], "url-reserved"),
        (["../old/"], "alias-invalid"),
        ([""], "alias-invalid"),
    ],
)
def test_alias_never_replaces_a_page_or_a_file_of_helpgen(tmp_path, aliases, code):
    _, out, problems = attempt(with_aliases(aliases), tmp_path)
    assert out is None
    assert [(Path(p.path).name, p.line, p.code) for p in problems] == [("a.md", ALIASES_LINE, code)]


def test_alias_over_another_alias_after_normalising(tmp_path):
    _, out, [problem] = attempt(with_aliases(["/old//page/"], ["old/./page"]), tmp_path)
    assert out is None
    where = (Path(problem.path).name, problem.line, problem.code)
    assert where == ("a.md", ALIASES_LINE, "url-collision")
    assert "'old/page/'" in problem.message and "b.md" in problem.message


def test_alias_where_the_site_has_a_folder_or_a_file(tmp_path):
    files = with_aliases(["/orders.html/"], ["/orders.html"])
    files["content/c.md"] = page_text("C", "", ["/orders/x.png/"])
    files["content/orders/x.png"] = "not really a PNG"
    _, out, problems = attempt(files, tmp_path)
    assert out is None
    assert {(Path(p.path).name, p.line, p.code) for p in problems} == {
        ("b.md", ALIASES_LINE, "url-collision"),  # orders.html: a file and a folder
        ("c.md", ALIASES_LINE, "url-collision"),  # orders/x.png/ inside a file
    }


MULTI = {
    "helpgen.toml": 'locales = ["en", "he"]\n',
    "content/en/_index.md": page_text("Hostile home"),
    "content/en/t/ok.md": page_text("T ok"),
    "content/he/_index.md": page_text("בית"),
    "content/he/t/ok.md": page_text("בסדר"),
}


@pytest.mark.parametrize(
    ("alias", "code"),
    [
        ("/en/t/ok/", "url-collision"),  # another locale's page
        ("/en/", "url-reserved"),  # another locale's home
        ("/", "url-reserved"),  # this locale's home
        ("/he/", "url-reserved"),
        ("/en/search/index.json", "url-reserved"),
        ("/en/contact/", "url-reserved"),
        ("/404.html", "url-reserved"),
        ("/static/js/x.js", "url-reserved"),
        ("index.html", "url-reserved"),  # in a locale: "/" is its home
    ],
)
def test_alias_across_locales(tmp_path, alias, code):
    files = {**MULTI, "content/he/a.md": page_text("א", "", [alias])}
    _, out, problems = attempt(files, tmp_path)
    assert out is None
    assert [(Path(p.path).name, p.line, p.code) for p in problems] == [("a.md", ALIASES_LINE, code)]


def test_same_alias_in_two_locales_collides(tmp_path):
    files = {
        **MULTI,
        "content/en/a.md": page_text("A", "", ["/old/"]),
        "content/he/a.md": page_text("א", "", ["old"]),
    }
    _, out, problems = attempt(files, tmp_path)
    assert out is None
    assert [(p.line, p.code) for p in problems] == [(ALIASES_LINE, "url-collision")]


def test_normalised_aliases_redirect_to_their_page(tmp_path):
    aliases = ["//old//a/", "/./older/./", "/legacy/a.html", "/old/b/index.html"]
    _, out, problems = attempt(with_aliases(aliases), tmp_path)
    assert problems == [] and out is not None
    for redirect in ("old/a/index.html", "older/index.html", "legacy/a.html", "old/b/index.html"):
        page = out / redirect
        [target] = refresh_targets(page)
        resolved = target_file(out, page, target)
        assert resolved is not None and h1(resolved[0]) == "A"
    assert_links_safe(out)


def _normalised(alias: str) -> str:
    try:
        return alias_path(alias)
    except ValueError:
        return ""


ORDINARY = st.sampled_from(["t", "ok", "orders", "cancel", "a", "b", "en", "he", "old", "x.html"])
SEGMENT = st.one_of(
    ORDINARY,
    NAME.filter(lambda n: "?" not in n and "#" not in n),
    st.sampled_from(
        [
            *("search", "index.json", "postings", "static", "css", "contact", "whats-new"),
            *("404.html", "sitemap.xml", "feed.xml", "robots.txt", "index.html"),
            *(".", "..", "", " "),
        ]
    ),
)
ANY_SEGMENT = st.one_of(SEGMENT, st.text(st.characters(blacklist_categories=("Cs",)), max_size=6))


def paths(segment: st.SearchStrategy[str], least: int = 1) -> st.SearchStrategy[str]:
    return st.builds(
        lambda lead, parts, sep, trail: lead + sep.join(parts) + trail,
        st.sampled_from(["", "/", "./", "//", " /"]),
        st.lists(segment, min_size=least, max_size=4),
        st.sampled_from(["/", "//", "/./"]),
        st.sampled_from(["", "/", "//", "/index.html"]),
    )


PLAIN = paths(st.one_of(ORDINARY, NAME.filter(lambda n: "?" not in n and "#" not in n)))
ALIAS = st.one_of(
    *[PLAIN] * 4,
    paths(SEGMENT, least=0),
    paths(ANY_SEGMENT),  # control characters, "?", "#"
    st.sampled_from(["", "  ", "x" * 2001, "/" + "y" * 256 + "/", "a\x00b", "a?b", "#x"]),
).filter(lambda alias: ".html/" not in _normalised(alias))  # sitecheck: no folder x.html


@EXAMPLES
@given(
    mine=st.lists(ALIAS, min_size=1, max_size=2),
    theirs=st.lists(ALIAS, max_size=2),
    multilingual=st.booleans(),
)
@example(mine=["t/./ok/"], theirs=["t//ok"], multilingual=False)
@example(mine=["./"], theirs=["/en/search/index.json"], multilingual=True)
@example(mine=["/old/"], theirs=["/new/"], multilingual=False)
def test_aliases_build_or_fail_located(mine, theirs, multilingual):
    pages = {"": "Hostile home", "t/ok": "T ok", "orders/cancel": "Cancel"}
    prefix = "en/" if multilingual else ""
    files = {"helpgen.toml": 'locales = ["en", "he"]\n'} if multilingual else {}
    content = f"content/{prefix}"
    files[f"{content}_index.md"] = page_text("Hostile home", "Welcome.")
    files[f"{content}t/ok.md"] = page_text("T ok")
    files[f"{content}orders/cancel.md"] = page_text("Cancel")
    files[f"{content}a.md"] = page_text("A", "", mine)
    pages["a"] = "A"
    other = "content/he/" if multilingual else content
    files[f"{other}b.md"] = page_text("B", "", theirs)
    if multilingual:
        files["content/he/_index.md"] = page_text("בית")
    root, out, problems = attempt(files)
    try:
        event("built" if out else f"refused: {', '.join(sorted({p.code for p in problems}))}")
        if out is None:
            assert_located(root, problems)
            return
        assert_links_safe(out)
        for path, title in pages.items():
            page = out / output_file(prefix + (path + "/" if path else ""))
            assert h1(page) == title and body_kind(page) != "page-redirect", page
        assert body_kind(out / output_file(prefix)) == "page-home"
        for name, aliases, where in (("A", mine, prefix), ("B", theirs, other[8:])):
            meta = Meta(aliases=tuple(aliases))
            for alias in meta.aliases:
                page = out / output_file(alias_url(alias, where))
                assert body_kind(page) == "page-redirect", (alias, page)
                [target] = refresh_targets(page)
                resolved = target_file(out, page, target)
                assert resolved is not None and h1(resolved[0]) == name
        json.loads((out / f"{prefix}search/index.json").read_text(encoding="utf-8"))
        assert (out / "static/css/helpgen.css").is_file()
    finally:
        shutil.rmtree(root)


# --- in Chromium --------------------------------------------------------------------------------
SCRIPT = "javascript:alert(document.title)"


@pytest.mark.browser
@pytest.mark.parametrize("offline", [False, True], ids=["served", "from-disk"])
def test_no_link_runs_a_script_in_chromium(tmp_path, serve_dir, page, offline):
    """Served under CSP, and offline from disk with no CSP at all (where a javascript: link
    would run): every link on the home and topic pages is clicked; none opens a dialog or
    leaves for a URL that is not the site's."""
    root = tmp_path / "site"
    for rel, text in {
        "content/_index.md": page_text("Hostile home", "Welcome."),
        f"content/guides/{SCRIPT}.md": page_text("Script-named article", "Body."),
        f"content/{SCRIPT}/inner.md": page_text("Inner", "Body."),
        "content/FAQ: returns.md": page_text("FAQ", "Body."),
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    out = build(root, overrides={"offline": True} if offline else None, jobs=1).out_dir
    if offline:
        base, index, allowed = out.as_uri() + "/", "index.html", ("file",)
    else:
        base, index, allowed = serve_dir(out), "", ("http",)
    starts = [base + index, base + quote(f"{SCRIPT}/") + index, base + "guides/" + index]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    visited: list[str] = []
    page.on("framenavigated", lambda f: visited.append(f.url) if f == page.main_frame else None)
    clicked, schemes = 0, set()
    for start in starts:
        page.goto(start)
        hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        assert any(SCRIPT in unquote(h) for h in hrefs), hrefs  # the script-named page is linked
        for i, href in enumerate(hrefs):
            schemes.add(urlsplit(href).scheme)  # as Chromium resolved it
            page.goto(start)
            click = "i => document.querySelectorAll('a[href]')[i].click()"
            if urlsplit(href).scheme not in allowed:  # what this test is here to catch
                page.evaluate(click, i)
                page.wait_for_timeout(300)
            elif "#" in href and href.split("#")[0] == page.url.split("#")[0]:
                page.evaluate(click, i)  # to a part of this page: no navigation
            else:
                with page.expect_navigation():
                    page.evaluate(click, i)
                assert unquote(page.url.split("#")[0]) == unquote(href.split("#")[0])
            clicked += 1
    assert dialogs == []
    assert schemes <= set(allowed) and clicked > 10
    assert all(urlsplit(u).scheme in allowed for u in visited), visited
    landed = {unquote(u).removesuffix("index.html") for u in visited}
    assert unquote(base) + f"guides/{SCRIPT}/" in landed and unquote(base) + f"{SCRIPT}/" in landed
