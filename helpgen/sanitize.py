"""raw_html = "sanitize": an article's HTML cleaned by nh3 (the ammonia sanitiser) down to what
helpgen's own Markdown makes, and a list of what was taken out.

The allow-list is the output of the Converter's extensions (admonitions, tabs, details, task
lists, footnotes, tables, highlighted code, heading permalinks, keys, images, video) plus plain
text-level HTML. Scripts, styles, frames, forms, SVG and MathML go, with event handlers, `style`
and every URL but http:, https:, mailto:, tel: and relative ones. An <iframe> stays only when it
carries the page's secret `mark`: helpgen's own video embeds (see markdown.py), never a writer's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

from .errors import shorten

EMBED_ATTR = "data-hg-embed"  # on helpgen's own <iframe>, with the page's mark; removed here
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCRIPT_SCHEMES = ("javascript", "vbscript")  # a link with one runs a script when clicked
URL_ATTRIBUTES = frozenset({"href", "src"})

_GENERIC = {"id", "class", "title", "lang", "dir"}
_CELL = {"colspan", "rowspan", "headers"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GENERIC,
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "video": {"src", "controls", "preload", "width", "height"},
    "source": {"src", "type"},
    "td": _CELL,
    "th": {*_CELL, "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "input": {"checked", "disabled", "name"},
    "label": {"for"},
    "details": {"open"},
    "time": {"datetime"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "div": {"data-tabs"},
}
_ALIGN = {f"text-align: {side};" for side in ("left", "center", "right")}  # Markdown tables
VALUES: dict[str, dict[str, set[str]]] = {  # attributes kept only with one of these values
    "a": {"target": {"_blank"}},
    "input": {"type": {"checkbox", "radio"}},  # task lists and tabs
    "td": {"style": _ALIGN},
    "th": {"style": _ALIGN},
    "div": {"data-helpgen": {"guide"}},
    "section": {"data-helpgen": {"guide-step"}},
}
# fmt: off
TAGS = frozenset(ATTRIBUTES.keys() - {"*"}) | {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "kbd",
    "samp", "var", "mark", "bdi", "bdo", "span", "em", "strong", "b", "i", "u", "s", "small",
    "sub", "sup", "q", "abbr", "dfn", "cite", "wbr", "ruby", "rt", "rp", "ul", "dl", "dt", "dd",
    "figure", "figcaption", "summary", "section", "article", "aside", "header", "footer",
    "table", "caption", "thead", "tbody", "tfoot", "tr",
}
CLEAN_CONTENT = frozenset({  # taken out with everything inside them
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript",
    "noembed", "noframes", "template", "textarea", "select", "title", "xmp", "plaintext", "svg",
    "math",
})
# fmt: on


@dataclass(frozen=True)
class Removal:
    """One thing the sanitiser took out: an element, or an attribute (with its value)."""

    tag: str
    attribute: str = ""
    value: str = ""

    @property
    def what(self) -> str:
        if not self.attribute:
            return f"<{self.tag}>"
        if self.attribute in URL_ATTRIBUTES:
            return f"{self.attribute}='{shorten(self.value)}' on <{self.tag}>"
        return f"'{self.attribute}' on <{self.tag}>"

    @property
    def needles(self) -> tuple[str, ...]:
        """Texts that find it in the source, most telling first."""
        if not self.attribute:
            return (f"<{self.tag}",)
        return (
            (self.value, self.attribute) if self.attribute in URL_ATTRIBUTES else (self.attribute,)
        )


@dataclass(frozen=True)
class Sanitized:
    html: str
    removed: tuple[Removal, ...]


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CLEAN_CONTENT),
    attributes=ATTRIBUTES,
    tag_attribute_values=VALUES,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
)


def sanitize(html: str, mark: str) -> Sanitized:
    """`html` cleaned; <iframe>s with `EMBED_ATTR` = `mark` are kept as they are, unmarked."""
    own = re.compile(rf'<iframe\s[^<>]*?\s{EMBED_ATTR}="{re.escape(mark)}"[^<>]*></iframe>')
    embeds: dict[str, str] = {}

    def set_aside(m: re.Match[str]) -> str:
        key = f"hgembed{mark}n{len(embeds)}"
        embeds[key] = m.group(0).replace(f' {EMBED_ATTR}="{mark}"', "")
        return key

    before = own.sub(set_aside, html)
    cleaned = _CLEANER.clean(before)
    for key, embed in embeds.items():
        cleaned = cleaned.replace(key, embed, 1)
    return Sanitized(cleaned, _removed(before, cleaned))


def script_scheme(url: str) -> str | None:
    """ "javascript" or "vbscript" when the browser would run `url` (an attribute's value, its
    character references already decoded) as a script, as the URL standard reads a scheme:
    surrounding spaces and control characters and every tab and newline ignored, any case."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(33))))
    scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    found = scheme.group(1).lower() if scheme else None
    return found if found in SCRIPT_SCHEMES else None


class _Inventory(HTMLParser):
    """Every element and attribute of a fragment in document order, values decoded; what is
    inside an element taken out whole (CLEAN_CONTENT) goes with it, unlisted."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Removal] = []
        self.inside: list[str] = []  # the open CLEAN_CONTENT elements
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.inside:
            self.inside += [tag] if tag in CLEAN_CONTENT else []
            return
        self.items.append(Removal(tag))
        self.items += [Removal(tag, name, value or "") for name, value in attrs]
        if tag in CLEAN_CONTENT:
            self.inside.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.inside:
            self.items.append(Removal(tag))
            self.items += [Removal(tag, name, value or "") for name, value in attrs]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.inside:
            del self.inside[len(self.inside) - 1 - self.inside[::-1].index(tag) :]


def _removed(before: str, after: str) -> tuple[Removal, ...]:
    """What `before` has and `after` has not, in document order: elements, and attributes of
    elements that may stay (an element taken out takes its attributes)."""
    left = Counter(_Inventory(after).items)
    gone = []
    for item in _Inventory(before).items:
        if left[item] > 0:
            left[item] -= 1
        elif not item.attribute or item.tag in TAGS:
            gone.append(item)
    return tuple(gone)
