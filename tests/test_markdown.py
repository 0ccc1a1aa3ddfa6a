from pathlib import Path
from pathlib import PurePosixPath as P

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from helpgen.assemble import split_title
from helpgen.links import LinkTargets
from helpgen.markdown import EXTENSIONS, NEEDS, Converter, extensions_for, patterns_unused
from helpgen.model import Rendered
from helpgen.urls import page_url

from .conftest import REPO, TOR

PAGES = frozenset(
    {P("orders/cancel.md"), P("returns/policy.md"), P("returns/_index.md"), P("glossary/app.md")}
)


def render(body: str, rel: str = "orders/cancel.md", assets=frozenset()):
    targets = LinkTargets(
        PAGES,
        frozenset({P("."), P("orders"), P("returns"), P("glossary")}),
        frozenset(assets),
        by_url={page_url(p): p for p in PAGES},
    )
    out = Converter().convert(P(rel), Path(rel), body, 10, page_url(P(rel)), targets)
    return out, BeautifulSoup(out.html, "html.parser")


def test_split_title():
    assert split_title("\n# Hello\n\ntext") == ("Hello", "\ntext", 2)
    assert split_title("Hello\n=====\ntext") == ("Hello", "text", 2)
    assert split_title("text\n# not first") == (None, "text\n# not first", 0)


def test_links_between_md_files_are_rewritten_and_recorded():
    out, soup = render("See [policy](../returns/policy.md#refunds) and [topic](../returns/).\n")
    hrefs = [a["href"] for a in soup.find_all("a")]
    assert hrefs == ["../../returns/policy/#refunds", "../../returns/"]
    assert out.links[0].target == P("returns/policy.md") and out.links[0].fragment == "refunds"
    assert out.links[0].line == 10


def test_link_written_as_url_resolves_to_page():
    _, soup = render("[app](../../glossary/app/) and [sib](cancel)\n")
    assert [a["href"] for a in soup.find_all("a")] == ["../../glossary/app/", "./"]


def test_missing_link_and_image_are_located_problems():
    out, _ = render("line one\n\n[x](../returns/polcy.md)\n\n![pic](img/none.png)\n")
    assert [(p.line, p.message.split("'")[0]) for p in out.problems] == [
        (12, "link to a missing page "),
        (14, "image to a missing file "),
    ]
    assert "returns/policy.md" in out.problems[0].hint


def test_external_links_untouched():
    _, soup = render("[a](https://x.test/a.md) [b](mailto:a@b.test) [c](/abs/)\n")
    assert [a["href"] for a in soup.find_all("a")] == [
        "https://x.test/a.md",
        "mailto:a@b.test",
        "/abs/",
    ]


def test_images_lazy_with_alt_and_warning_without():
    out, soup = render("![A box](img/a.png)\n\n![](img/a.png)\n", assets={P("orders/img/a.png")})
    imgs = soup.find_all("img")
    assert (
        imgs[0]["src"] == "../img/a.png"
        and imgs[0]["loading"] == "lazy"
        and imgs[0]["alt"] == "A box"
    )
    [warning] = out.problems
    assert warning.level == "warning" and warning.code == "image-alt" and warning.line == 12


def test_video_embeds():
    _, soup = render(
        "![How to return](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n\n"
        "![Demo](media/demo.mp4)\n",
        assets={P("orders/media/demo.mp4")},
    )
    iframe = soup.find("iframe")
    assert iframe["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert iframe["title"] == "How to return"
    video = soup.find("video")
    assert video["src"] == "../media/demo.mp4" and video.has_attr("controls")
    assert not soup.select("p > figure")


def test_headings_sections_and_anchors():
    body = "Lead text.\n\n## Step one\nDo it.\n\n### Détails {#details}\nMore.\n\n## מדיניות החזרות\nטקסט\n"
    out, soup = render(body)
    assert [(h.level, h.id) for h in out.headings] == [
        (2, "step-one"),
        (3, "details"),
        (2, "מדיניות-החזרות"),
    ]
    assert soup.find("h2").find("a", class_="headerlink")["href"] == "#step-one"
    assert [(s.anchor, s.text) for s in out.sections] == [
        ("", "Lead text."),
        ("step-one", "Do it."),
        ("details", "More."),
        ("מדיניות-החזרות", "טקסט"),
    ]


def test_section_text_is_what_a_reader_sees_never_markdowns_stand_ins():
    body = (
        "Write to <support@shop.test> & wait.\n\n## Codes <b>here</b>\n"
        "```\nrefund --order 42 <id>\n```\n\n<div>raw <i>html</i></div>\n"
    )
    out, _ = render(body)
    text = " ".join(f"{s.title} {s.text}" for s in out.sections)
    assert not any(c in text for c in "\x02\x03")  # search snippets show no placeholders
    assert "support@shop.test & wait." in text  # the address as written, not &#115;…
    assert "refund --order 42 <id>" in text  # code is searchable
    assert "raw html" in text


def test_support_blocks():
    body = """
!!! warning "Before you start"
    Back up.

=== "iPhone"

    Tap.

=== "Android"

    Press.

??? question "Can I?"
    Yes.

| a | b |
|---|---|
| 1 | 2 |

```bash
echo hi
```
"""
    _, soup = render(body)
    assert soup.select_one(".admonition.warning .admonition-title").text == "Before you start"
    assert [label.text for label in soup.select(".tabbed-set label")] == ["iPhone", "Android"]
    assert soup.select_one("details summary").text == "Can I?"
    assert soup.find("table").find("td").text == "1"
    assert "echo hi" in soup.find("pre").text


def test_problems_carry_the_line_of_the_link_itself():
    body = (
        "Intro.\n\nThe file missing.md is gone.\n\n"  # lines 10-12: prose naming the target
        "Text.\n\n[b](missing.md) and <a href='missing.md'>raw</a>\n\n"  # line 16
        "[again](missing.md)\n\n[ref]\n\n[ref]: missing.md\n"  # lines 18, 22
    )
    out, _ = render(body, rel="missing-links.md")
    assert sorted(p.line for p in out.problems) == [16, 16, 18, 22]
    assert {p.code for p in out.problems} == {"link-missing"}


def test_missing_video_is_reported_once_and_its_fallback_link_follows_it():
    out, soup = render(
        "Intro.\n\n![Demo](clip.mp4)\n\n![Here](media/here.mp4)\n",
        assets={P("orders/media/here.mp4")},
    )
    assert [(p.code, p.line) for p in out.problems] == [("image-missing", 12)]
    video = soup.find_all("video")[1]
    assert video["src"] == "../media/here.mp4" and video.find("a")["href"] == "../media/here.mp4"


def test_entity_encoded_addresses_are_addresses_not_missing_files():
    out, soup = render("[m](mailto:&#97;b@shop.test) [x](&#106;avascript:void(0)) [r](../returns/)")
    assert [p.code for p in out.problems if p.level == "error"] == []
    assert soup.find("a", string="m")["href"].endswith("b@shop.test")


def test_a_missing_path_hints_at_the_same_name_elsewhere_else_a_close_one_beside_it():
    out, _ = render(
        "[a](../retruns/policy.md) [b](../returns/polcy.md) [c](../nowhere/zzz.md)"
        " ![d](../returns/policy.png)"
    )
    hints = [p.hint for p in out.problems]
    assert hints == [
        "did you mean 'returns/policy.md'? (paths are relative to this file)",  # same name
        "did you mean 'returns/policy.md'? (paths are relative to this file)",  # same folder
        "paths are relative to this file, e.g. ../returns/policy.md",  # nothing close
        "did you mean 'returns/policy.md'? (paths are relative to this file)",  # any file
    ]


SNIPPETS = [
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "a | b\n--|--\n1 | 2",
    "## Heading {#custom .wide}",
    "Paragraph with attributes\n{: .note }",
    '!!! warning "Careful"\n    Indented body.',
    "!!! note\n\n    Text",
    "Text with a footnote[^1].\n\n[^1]: The note.",
    '??? info "More"\n    Hidden text.',
    "???+ tip\n    Open.",
    '=== "Windows"\n    Click Start.\n\n=== "macOS"\n    Open Finder.',
    "- [ ] to do\n- [x] done\n- [X] done too",
    "Press ++ctrl+alt+del++ or ++enter++.",
    "Visit https://example.com/a?b=c or www.example.org, or mail help@example.com.",
    "ftp.example.net and <https://example.com> and [a link](http://example.com/x)",
    "```python\nprint('|{!!!}|')\n```",
    "~~~\n??? === ++ [x]\n~~~",
    "    indented | code {: .x } @",
    "`inline | code {x} ++a++ [^1]`",
    '<div markdown="1">\n*inside* | {: .x}\n</div>',
    "<p>raw html with an @ and a |</p>",
    "Term\n:   Definition with [x] and ++b++",
    "> quote with | pipe\n> - [ ] task in quote",
    "1. item\n\n    !!! note\n        nested",
    "*emphasis* **strong** _under_ __score__ a|b c{d}",
]


TRIMMED, FULL = Converter(), Converter(trim=False)


def _both(body: str) -> tuple[Rendered, Rendered]:
    targets = LinkTargets(PAGES, frozenset({P("."), P("orders")}), frozenset(), by_url={})
    rel, page = P("orders/cancel.md"), page_url(P("orders/cancel.md"))
    args = (rel, Path(rel), body, 3, page, targets)
    return TRIMMED.convert(*args), FULL.convert(*args)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(SNIPPETS),
            st.text(alphabet=" \t\n\r*_`|{}[]^!?=+:@/.<>#&;\\-ax1", max_size=40),
        ),
        max_size=8,
    ),
    st.sampled_from(["\n", "\n\n", "  \n"]),
)
def test_a_page_converts_the_same_without_what_it_has_no_sign_of(pieces, joiner):
    """Leaving out the extensions and inline patterns a body shows no sign of never changes
    what it renders to: HTML, headings, sections, links, problems."""
    trimmed, full = _both(joiner.join(pieces))
    assert trimmed == full


_HEADING_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t*_`&;#<>[]()!{}:.=-\\1ax"),
        st.sampled_from("éÅßİ中文日本語한국어עבריתفارسی\u0301\u200d\u00a0"),
    ),
    max_size=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 6), st.one_of(_HEADING_TEXT, st.sampled_from(["a", "a_1", "A"]))),
        max_size=6,
    ),
    st.sampled_from(["", "Text with [^1].\n\n[^1]: Note.", '<p id="a">x</p>', "[TOC]"]),
)
def test_heading_ids_and_permalinks_are_the_toc_extensions(headings, extra):
    """helpgen's heading ids and permalinks are the toc extension's: unicode slugs, markup and
    entities in headings, repeated headings (a_1, a_2), ids already taken, a [TOC] marker."""
    body = "\n\n".join([*(f"{'#' * n} {text}" for n, text in headings), extra])
    trimmed, full = _both(body)
    assert trimmed == full


def test_what_each_pattern_needs_names_a_pattern_python_markdown_registers():
    """A pattern renamed upstream would be tried everywhere again: slower, noticed here."""
    md = FULL._markdown("")
    assert [name for name in NEEDS if name not in md.inlinePatterns] == []


def test_every_demo_and_corpus_page_converts_the_same_when_trimmed():
    paths = [*(REPO / "content").rglob("*.md"), *TOR.rglob("*.md")]
    assert len(paths) > 300
    bodies = [p.read_text(encoding="utf-8") for p in paths]
    fewer = [b for b in bodies if extensions_for(b) != EXTENSIONS]
    assert len(fewer) > len(bodies) // 2  # most pages are converted with fewer extensions
    assert sum(bool(patterns_unused(b)) for b in bodies) > len(bodies) // 2
    for path, body in zip(paths, bodies, strict=True):
        trimmed, full = _both(body)
        assert trimmed == full, path
