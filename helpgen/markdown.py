"""Markdown -> HTML for support content: anchors, sections, rewritten links, media embeds."""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from pymdownx.slugs import slugify

from .loader import INDEX_NAME, SourceFile

SLUGIFY = slugify(case="lower")
_H1_ATX = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_H1_SETEXT = re.compile(r"^=+\s*$")
_YOUTUBE = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})"
)
_VIMEO = re.compile(r"^(?:https?:)?//(?:www\.)?vimeo\.com/(\d+)")
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".mov")
_RAW_LINK = re.compile(r"""(\s(href|src)\s*=\s*)(["'])(.*?)\3""", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Section:
    """A part of an article from one ## / ### heading to the next; `anchor` is "" for the lead."""

    anchor: str
    title: str
    level: int
    text: str


@dataclass(frozen=True)
class LinkRef:
    """A link from one page to another page (by source path), checked once all pages exist."""

    target: PurePosixPath
    fragment: str
    line: int


@dataclass
class Rendered:
    html: str
    headings: list[Heading]
    sections: list[Section]
    links: list[LinkRef]
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, message, hint)
    warnings: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class LinkContext:
    """What the renderer needs to know about the rest of the site to rewrite links."""

    pages: frozenset[PurePosixPath]  # every Markdown source path in this locale
    folders: frozenset[PurePosixPath]
    assets: frozenset[PurePosixPath]
    url_of: Callable[[PurePosixPath], str]  # source path -> site-root URL of its page
    asset_url: Callable[[PurePosixPath], str]  # asset path -> site-root URL
    relative: Callable[[str, str], str]  # (from page url, to site-root url) -> href
    prefix: str = ""  # the locale's URL prefix, e.g. "he/"
    by_url: dict[str, PurePosixPath] = field(default_factory=dict)  # unprefixed URL -> source


def split_title(body: str) -> tuple[str | None, str, int]:
    """Take a leading H1 off the body: (title, rest, lines removed)."""
    lines = body.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines):
        m = _H1_ATX.match(lines[i])
        if m:
            return m.group(1), "\n".join(lines[i + 1 :]), i + 1
        if i + 1 < len(lines) and lines[i].strip() and _H1_SETEXT.match(lines[i + 1]):
            return lines[i].strip(), "\n".join(lines[i + 2 :]), i + 2
    return None, body, 0


class _Processor(Treeprocessor):
    """Runs after the toc extension: rewrites links, embeds media, collects sections."""

    source: SourceFile
    body: str
    body_line: int
    page_url: str
    ctx: LinkContext
    result: Rendered

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for i, el in enumerate(list(parent)):
                if el.tag == "img":
                    self._image(parent, i, el)
        for el in root.iter():
            if el.tag == "a" and el.get("href") and "headerlink" not in el.get("class", ""):
                el.set("href", self._rewrite(el.get("href", ""), page=True))
            elif el.tag in ("img", "source", "video") and el.get("src"):
                el.set("src", self._rewrite(el.get("src", ""), page=False))
        self._raw_html()
        self._collect(root)

    def _raw_html(self) -> None:
        """Links inside raw HTML (common in imported articles) get the same treatment."""
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str) and ("href" in block or "src" in block):
                stash[i] = _RAW_LINK.sub(self._raw_attr, block)

    def _raw_attr(self, m: re.Match[str]) -> str:
        value = html.unescape(m.group(4))
        new = self._rewrite(value, page=m.group(2).lower() == "href")
        return f"{m.group(1)}{m.group(3)}{html.escape(new, quote=True)}{m.group(3)}"

    # --- links -------------------------------------------------------------------------------
    def _line_of(self, needle: str) -> int:
        for number, line in enumerate(self.body.split("\n")):
            if needle in line:
                return self.body_line + number
        return self.body_line

    def _rewrite(self, href: str, page: bool) -> str:
        if AMP_SUBSTITUTE in href:  # entity-encoded, e.g. an obfuscated mailto: link
            decoded = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
            return href if urlsplit(decoded).scheme else self._rewrite(decoded, page)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
            return href
        if href.startswith("/"):
            return self._root_relative(href, parts.path, parts.fragment)
        if not parts.path:  # "#anchor" on this page
            if parts.fragment:
                self.result.links.append(
                    LinkRef(self.source.rel, unquote(parts.fragment), self._line_of(href))
                )
            return href
        src_dir = self.source.rel.parent
        target = PurePosixPath(posixpath.normpath(str(src_dir / unquote(parts.path))))
        fragment = unquote(parts.fragment)
        line = self._line_of(parts.path)
        if str(target).startswith(".."):
            target = self._resolve_plain(target, parts.path) or target
            if str(target).startswith(".."):
                self.result.problems.append(
                    (
                        line,
                        f"link to '{parts.path}', which is missing or outside the content folder",
                        "link to .md files inside content/, relative to this file",
                    )
                )
                return href
        if target.suffix.lower() not in (".md", ".markdown") and target not in self.ctx.assets:
            target = self._resolve_plain(target, parts.path) or target
        if target.suffix.lower() in (".md", ".markdown") or target in self.ctx.folders:
            if target in self.ctx.folders:
                target = target / INDEX_NAME
            if target not in self.ctx.pages and not (
                target.name == INDEX_NAME and target.parent in self.ctx.folders
            ):
                self.result.problems.append(
                    (
                        line,
                        f"link to a missing page '{parts.path}'",
                        _closest_hint(target, self.ctx.pages),
                    )
                )
                return href
            self.result.links.append(LinkRef(target, fragment, line))
            url = self.ctx.url_of(target) + (f"#{fragment}" if fragment else "")
            return self.ctx.relative(self.page_url, url)
        if target in self.ctx.assets:
            url = self.ctx.asset_url(target) + (f"#{parts.fragment}" if parts.fragment else "")
            return self.ctx.relative(self.page_url, url)
        what = "link" if page else "image"
        self.result.problems.append(
            (
                line,
                f"{what} to a missing file '{parts.path}'",
                _closest_hint(target, self.ctx.assets | self.ctx.pages),
            )
        )
        return href

    def _root_relative(self, href: str, path: str, fragment: str) -> str:
        """/orders/cancel/ -> the page, made relative; anything else is outside this site."""
        key = unquote(path).strip("/")
        target = self.ctx.by_url.get(key + "/" if key else "")
        frag = f"#{fragment}" if fragment else ""
        if target is not None:
            self.result.links.append(LinkRef(target, unquote(fragment), self._line_of(href)))
            return self.ctx.relative(self.page_url, self.ctx.url_of(target) + frag)
        if PurePosixPath(key) in self.ctx.assets:
            return self.ctx.relative(self.page_url, self.ctx.asset_url(PurePosixPath(key)) + frag)
        self.result.warnings.append(
            (
                self._line_of(href),
                f"link '{href}' is not a page of this site: it breaks under a sub-path and offline",
            )
        )
        return href

    def _resolve_plain(self, target: PurePosixPath, path: str) -> PurePosixPath | None:
        """A link written without .md: a folder, a page by name, or a URL relative to this page."""
        if target in self.ctx.folders:
            return target
        with_md = target.with_name(target.name + ".md")
        if with_md in self.ctx.pages:
            return with_md
        # written in URL space, relative to the page's own URL (e.g. ../../misc/bug-report/)
        here = self.page_url[len(self.ctx.prefix) :]
        url = posixpath.normpath(posixpath.join(here, unquote(path)))
        return self.ctx.by_url.get(url.strip("/") + "/") if not url.startswith("..") else None

    # --- media -------------------------------------------------------------------------------
    def _image(self, parent: etree.Element, index: int, img: etree.Element) -> None:
        src = img.get("src", "")
        alt = img.get("alt", "")
        embed = _video_embed(src, alt)
        if embed is not None:
            # a video alone in its paragraph replaces the paragraph (a <figure> can't sit in <p>)
            parent.remove(img)
            parent.insert(index, embed)
            if parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip():
                parent.tag, parent.attrib = "div", {"class": "media"}
            return
        img.set("loading", "lazy")
        img.set("decoding", "async")
        if not alt.strip():
            self.result.warnings.append((self._line_of(src), f"image '{src}' has no alt text"))

    # --- sections ----------------------------------------------------------------------------
    def _collect(self, root: etree.Element) -> None:
        anchor, title, level, chunks = "", "", 1, []
        for el in root:
            if el.tag in ("h2", "h3") and el.get("id"):
                self._flush(anchor, title, level, chunks)
                anchor, title, level, chunks = el.get("id", ""), _text(el), int(el.tag[1]), []
                self.result.headings.append(Heading(level, anchor, title))
            else:
                chunks.append(_text(el))
        self._flush(anchor, title, level, chunks)

    def _flush(self, anchor: str, title: str, level: int, chunks: list[str]) -> None:
        text = " ".join(c for c in chunks if c)
        if anchor or text:
            self.result.sections.append(Section(anchor, title, level, text))


_BLOCKS = frozenset(
    {
        "p",
        "li",
        "td",
        "th",
        "label",
        "div",
        "summary",
        "pre",
        "dt",
        "dd",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figcaption",
        "blockquote",
        "br",
    }
)


def _text(el: etree.Element) -> str:
    """Visible text of an element, without permalink markers; blocks separated by spaces."""
    parts: list[str] = []

    def walk(node: etree.Element) -> None:
        if node.tag == "a" and "headerlink" in node.get("class", ""):
            parts.append(node.tail or "")
            return
        block = node.tag in _BLOCKS
        parts.append(" " if block else "")
        parts.append(node.text or "")
        for child in node:
            walk(child)
        parts.append(" " if block else "")
        if node is not el:
            parts.append(node.tail or "")

    walk(el)
    return " ".join("".join(parts).split())


def _video_embed(src: str, title: str) -> etree.Element | None:
    figure = etree.Element("figure", {"class": "video"})
    youtube, vimeo = _YOUTUBE.match(src), _VIMEO.match(src)
    if youtube or vimeo:
        embed = (
            f"https://www.youtube-nocookie.com/embed/{youtube.group(1)}"
            if youtube
            else f"https://player.vimeo.com/video/{vimeo.group(1)}"
        )  # type: ignore[union-attr]
        etree.SubElement(
            figure,
            "iframe",
            {
                "src": embed,
                "title": title or "Video",
                "loading": "lazy",
                "allow": "fullscreen; picture-in-picture",
                "allowfullscreen": "",
                "referrerpolicy": "strict-origin-when-cross-origin",
            },
        )
    elif urlsplit(src).path.lower().endswith(VIDEO_SUFFIXES):
        video = etree.SubElement(
            figure, "video", {"src": src, "controls": "", "preload": "metadata"}
        )
        fallback = etree.SubElement(video, "a", {"href": src})
        fallback.text = title or src
    else:
        return None
    if title:
        caption = etree.SubElement(figure, "figcaption")
        caption.text = title
    return figure


def _closest_hint(
    target: PurePosixPath, known: frozenset[PurePosixPath] | set[PurePosixPath]
) -> str:
    import difflib

    names = [str(p) for p in known]
    close = difflib.get_close_matches(str(target), names, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'? (paths are relative to this file)"
    return "paths are relative to this file, e.g. ../returns/policy.md"


class _HelpgenExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.processor = _Processor(md)
        md.treeprocessors.register(self.processor, "helpgen", 4)  # after toc (5)


class Renderer:
    """A reusable Markdown converter (building one per page is the slow part)."""

    def __init__(self, permalink_title: str = "Permanent link") -> None:
        self._ext = _HelpgenExtension()
        self._md = markdown.Markdown(
            extensions=[
                "tables",
                "attr_list",
                "md_in_html",
                "admonition",
                "def_list",
                "footnotes",
                "toc",
                "pymdownx.superfences",
                "pymdownx.details",
                "pymdownx.tabbed",
                "pymdownx.tasklist",
                "pymdownx.keys",
                "pymdownx.magiclink",
                self._ext,
            ],
            extension_configs={
                "toc": {
                    "permalink": "#",
                    "permalink_title": permalink_title,
                    "slugify": SLUGIFY,
                    "toc_depth": "2-6",
                },
                "pymdownx.tabbed": {"alternate_style": True},
                "pymdownx.tasklist": {"custom_checkbox": True},
            },
            output_format="html",
        )

    def render(
        self, source: SourceFile, body: str, body_line: int, page_url: str, ctx: LinkContext
    ) -> Rendered:
        """Render `body` (the source's body, title already split off) for the page at page_url."""
        proc = self._ext.processor
        proc.source, proc.body, proc.body_line = source, body, body_line
        proc.page_url, proc.ctx = page_url, ctx
        proc.result = Rendered("", [], [], [])
        self._md.reset()
        html = self._md.convert(body)
        proc.result.html = html
        return proc.result
