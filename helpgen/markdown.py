"""Markdown -> Rendered: HTML, headings, sections, links and problems of one page.

Support content needs anchors, sections, media embeds and links rewritten between pages; where a
link goes is decided by `links.resolve`, this module only walks the tree and finds each link's
line in the source. With raw_html = "sanitize" the page's HTML is then cleaned by `sanitize.py`
and each removal located; a javascript: link is a warning in either mode.
"""

from __future__ import annotations

import html
import re
import secrets
import xml.etree.ElementTree as etree
from collections import defaultdict
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import (
    TocExtension,
    TocTreeprocessor,
    remove_fnrefs,
    render_inner_html,
    strip_tags,
    unique,
)
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString
from pymdownx.slugs import slugify

from .cache import Lookup
from .errors import Problem, shorten
from .links import AMP_SUBSTITUTE, LinkTargets, resolve
from .model import Heading, LinkRef, Rendered, Section
from .sanitize import EMBED_ATTR, URL_ATTRIBUTES, Removal, sanitize, script_scheme

SLUGIFY = slugify(case="lower")
_YOUTUBE = re.compile(
    r"^(?:https?:)?//(?:www\.)?(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})"
)
_VIMEO = re.compile(r"^(?:https?:)?//(?:www\.)?vimeo\.com/(\d+)")
VIDEO_SUFFIXES = (".mp4", ".webm", ".ogv", ".mov")
_RAW_LINK = re.compile(r"""(\s(href|src)\s*=\s*)(["'])(.*?)\3""", re.IGNORECASE | re.DOTALL)
# where a link's destination is written: [text](HREF, [id]: HREF, href="HREF", src='HREF';
# each within one line ([^\S\n]: a space that does not end the line)
_DESTINATION = re.compile(
    r"""\]\([^\S\n]*<?([^)\s>]+)|^[^\S\n]{0,3}\[[^\]\n]+\]:[^\S\n]*<?([^\s>]+)"""
    r"""|[^\S\n](?:href|src)[^\S\n]*=[^\S\n]*["']([^"'\n]*)["']""",
    re.IGNORECASE | re.MULTILINE,
)
_ID_RE = re.compile(r"""\sid=["']([^"']+)["']""")


class _Lines:
    """The source line of each link: its destination's own line, in document order; and of
    anything else the page's HTML lost (`find`)."""

    def __init__(self, body: str, first: int) -> None:
        self.body, self.first = body, first
        self.cursor = 0  # where find() goes on from, and each needle's next place
        self.after: dict[str, int] = {}
        self.queues: dict[str, list[int]] | None = None  # made when a link first asks

    def _queues(self) -> dict[str, list[int]]:
        """Each destination as written (character references read) -> its lines, in order."""
        queues: dict[str, list[int]] = defaultdict(list)
        line, at = self.first, 0
        for m in _DESTINATION.finditer(self.body):
            line += self.body.count("\n", at, m.start())
            at = m.start()
            queues[html.unescape(m.group(1) or m.group(2) or m.group(3))].append(line)
        return queues

    def of(self, href: str) -> int:
        if self.queues is None:
            self.queues = self._queues()
        queue = self.queues.get(href)
        if queue:
            return queue.pop(0) if len(queue) > 1 else queue[0]
        for number, line in enumerate(self.body.split("\n")):  # written some other way
            if href in line or href in html.unescape(line):
                return self.first + number
        return self.first

    def find(self, needles: tuple[str, ...]) -> int:
        """The line of the first of `needles` found in the source (any case), for things found
        in document order: searched from the last thing found on, each needle past its own
        last place; else anywhere."""
        text = self.body.casefold()
        for needle in filter(None, (n.casefold() for n in needles)):
            after = self.after.get(needle, 0)
            at = text.find(needle, max(after, self.cursor))
            at = text.find(needle, after) if at < 0 else at
            at = text.find(needle) if at < 0 else at
            if at >= 0:
                self.after[needle], self.cursor = at + 1, at
                return self.first + text.count("\n", 0, at)
        return self.first


class _Processor(Treeprocessor):
    """Runs after the toc extension: rewrites links, embeds media, collects sections."""

    rel: PurePosixPath
    file: Path
    page: str
    targets: LinkTargets
    lines: _Lines
    headings: list[Heading]
    sections: list[Section]
    links: list[LinkRef]
    assets: set[PurePosixPath]
    problems: list[Problem]
    guide: bool
    mark: str | None  # raw_html = "sanitize": the secret that marks helpgen's own embeds
    scripts: set[str]  # the script URLs warned about (link-script), as the browser reads them
    lookups: list[Lookup]  # every resolve() asked, for the build cache

    def start(
        self,
        rel: PurePosixPath,
        file: Path,
        body: str,
        line: int,
        page: str,
        targets: LinkTargets,
        guide: bool = False,
        mark: str | None = None,
    ) -> None:
        self.rel, self.file, self.page, self.targets = rel, file, page, targets
        self.guide, self.mark = guide, mark
        self.lines = _Lines(body, line)
        self.headings, self.sections, self.links, self.problems = [], [], [], []
        self.assets, self.scripts, self.lookups = set(), set(), []

    def run(self, root: etree.Element) -> None:
        for parent in list(root.iter()):
            for i, el in enumerate(list(parent)):
                if el.tag == "img":
                    self._image(parent, i, el)
        options = self._guide_options(root) if self.guide else set()
        done: set[int] = set()  # a video's fallback link: rewritten with the video
        for el in root.iter():
            if id(el) in done:
                continue
            if el.tag == "a" and el.get("href") and "headerlink" not in el.get("class", ""):
                href, known = el.get("href", ""), len(self.links)
                el.set("href", self._rewrite(href, image=False))
                if id(el) in options and href.startswith("#"):
                    del self.links[known:]  # a step: guide.lint checks it (guide-dangling)
            elif el.tag in ("img", "source", "video") and el.get("src"):
                src = el.get("src", "")
                line = self.lines.of(src)
                if el.tag == "img" and not el.get("alt", "").strip():
                    self.problems.append(
                        Problem(
                            f"image '{src}' has no alt text",
                            self.file,
                            line,
                            "describe the image for readers who cannot see it: ![what it shows](…)",
                            "warning",
                            "image-alt",
                        )
                    )
                el.set("src", self._rewrite(src, image=True, line=line))
                for fallback in el.iter("a") if el.tag == "video" else ():
                    fallback.set("href", el.get("src", ""))
                    done.add(id(fallback))
        self._raw_html()
        self._collect(root)
        if self.guide:
            self._guide_steps(root)
        self.problems.sort(key=lambda p: p.line or 0)

    def _raw_html(self) -> None:
        """Links inside raw HTML (common in imported articles) get the same treatment."""
        stash = self.md.htmlStash.rawHtmlBlocks
        for i, block in enumerate(stash):
            if isinstance(block, str) and ("href" in block or "src" in block):
                stash[i] = _RAW_LINK.sub(self._raw_attr, block)

    def _raw_attr(self, m: re.Match[str]) -> str:
        value = html.unescape(m.group(4))
        new = self._rewrite(value, image=m.group(2).lower() != "href", decoded=True)
        return f"{m.group(1)}{m.group(3)}{html.escape(new, quote=True)}{m.group(3)}"

    def _rewrite(
        self, href: str, image: bool, line: int | None = None, decoded: bool = False
    ) -> str:
        """`href` as written in the page. `decoded`: character references already read (raw
        HTML); a tree's href may still hold them, as the browser will read them."""
        seen = href if decoded else html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
        line = self.lines.of(seen) if line is None else line
        scheme = script_scheme(seen)
        if scheme is not None:
            self.scripts.add(seen)
            self.problems.append(
                Problem(
                    f"{'image' if image else 'link'} to '{shorten(seen)}': "
                    f"a {scheme}: address runs a script",
                    self.file,
                    line,
                    "link to a page, a file or an https:// address; with "
                    'raw_html = "sanitize" the address is removed',
                    "warning",
                    "link-script",
                )
            )
        result = resolve(
            href,
            source=self.rel,
            file=self.file,
            page=self.page,
            line=line,
            targets=self.targets,
            image=image,
        )
        self.lookups.append(Lookup(href, line, image, result))
        if result.ref is not None:
            self.links.append(result.ref)
        if result.asset is not None:
            self.assets.add(result.asset)
        if result.problem is not None:
            self.problems.append(result.problem)
        return result.href

    # --- media -------------------------------------------------------------------------------
    def _image(self, parent: etree.Element, index: int, img: etree.Element) -> None:
        src = img.get("src", "")
        alt = img.get("alt", "")
        embed = _video_embed(src, alt)
        if embed is not None:
            # a video alone in its paragraph replaces the paragraph (a <figure> can't sit in <p>)
            parent.remove(img)
            parent.insert(index, embed)
            for frame in embed.iter("iframe") if self.mark else ():
                frame.set(EMBED_ATTR, self.mark)  # kept by sanitize(), which unmarks it
            if parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip():
                parent.tag, parent.attrib = "div", {"class": "media"}
            return
        img.set("loading", "lazy")
        img.set("decoding", "async")

    # --- guides ------------------------------------------------------------------------------
    def _guide_options(self, root: etree.Element) -> set[int]:
        """A guide's option lists (each step's last top-level list, when it has links) get the
        class guide-options; returns their links (`id()` of each)."""
        options: set[int] = set()
        last: etree.Element | None = None
        for el in [*root, None]:
            if el is None or el.tag == "h2":
                links = [] if last is None else [a for a in last.iter("a") if a.get("href")]
                if last is not None and links:
                    last.set("class", " ".join(filter(None, (last.get("class"), "guide-options"))))
                    options.update(id(a) for a in links)
                last = None
            elif el.tag in ("ul", "ol"):
                last = el
        return options

    def _guide_steps(self, root: etree.Element) -> None:
        """A guide's body in <div data-helpgen="guide">, each ## step and what follows it in a
        <section class="guide-step" data-helpgen="guide-step"> that takes the heading's id (its
        permalink, `#step-id` links and search results land on the whole step)."""
        children = list(root)
        for el in children:
            root.remove(el)
        guide = etree.SubElement(root, "div", {"class": "guide", "data-helpgen": "guide"})
        guide.text = "\n"
        into = guide
        for el in children:
            if el.tag == "div" and "footnote" in el.get("class", "").split():
                root.append(el)  # footnotes belong to the whole page, not to the last step
                continue
            if el.tag == "h2":
                anchor = el.attrib.pop("id", "")
                into = etree.SubElement(
                    guide,
                    "section",
                    {"class": "guide-step", "id": anchor, "data-helpgen": "guide-step"},
                )
                into.text, into.tail = "\n", "\n"
            into.append(el)

    # --- sections ----------------------------------------------------------------------------
    def _collect(self, root: etree.Element) -> None:
        anchor, title, level, chunks = "", "", 1, []
        for el in root:
            if el.tag in ("h2", "h3") and el.get("id"):
                self._flush(anchor, title, level, chunks)
                anchor, title, level, chunks = el.get("id", ""), self._plain(el), int(el.tag[1]), []
                self.headings.append(Heading(level, anchor, title))
            else:
                chunks.append(self._plain(el))
        self._flush(anchor, title, level, chunks)

    def _plain(self, el: etree.Element) -> str:
        """`_text(el)` as a reader sees it: Python-Markdown's stand-ins (stashed raw HTML and
        code, the & of entity-encoded addresses) replaced by what they stand for."""
        text = _text(el)
        if "\x02" in text:  # a stand-in: each starts with STX
            stash = self.md.htmlStash.rawHtmlBlocks

            def unstash(m: re.Match[str]) -> str:
                i = int(m[1])
                return re.sub(r"<[^>]*>", " ", str(stash[i])) if i < len(stash) else ""

            text = markdown.util.HTML_PLACEHOLDER_RE.sub(unstash, text)
            text = text.replace(AMP_SUBSTITUTE, "&")
        elif "&" not in text:
            return text  # as _text left it: nothing to read
        return " ".join(html.unescape(text).split())

    def _flush(self, anchor: str, title: str, level: int, chunks: list[str]) -> None:
        text = " ".join(c for c in chunks if c)
        if anchor or text:
            self.sections.append(Section(anchor, title, level, text))


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
    if not len(el) and el.tag != "a":  # text alone (most paragraphs)
        return " ".join((el.text or "").split())
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


_NOT_PLAIN = re.compile("[&<>\x02\x03]")  # markup, entities, Python-Markdown's stand-ins


class _Toc(TocTreeprocessor):
    """The toc extension's heading ids and permalinks, without the table of contents it also
    builds and serializes for every page (helpgen never shows it) unless a page asks for one
    with its marker; a heading of plain text is named without serializing it."""

    def run(self, doc: etree.Element) -> None:
        marker = self.marker
        if marker and any(el.text and el.text.strip() == marker for el in doc.iter()):
            super().run(doc)  # the page places a table of contents
            return
        used = {el.attrib["id"] for el in doc.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in doc.iter():
            if isinstance(el.tag, str) and self.header_rgx.match(el.tag):
                self.set_level(el)
                if "id" not in el.attrib:
                    name = html.unescape(self._name(el))
                    el.attrib["id"] = unique(self.slugify(name, self.sep), used, counters)
                el.attrib.pop("data-toc-label", None)
                if self.use_permalinks not in (False, None):
                    self.add_permalink(el, el.attrib["id"])

    def _name(self, el: etree.Element) -> str:
        """The heading's text as the toc extension reads it."""
        text = el.text or ""
        if len(el) or _NOT_PLAIN.search(text) or any(">" in k for k in el.attrib):
            return strip_tags(render_inner_html(remove_fnrefs(el), self.md))
        return " ".join(text.split())


class _TocExtension(TocExtension):
    TreeProcessorClass = _Toc


# What a piece of text holds if an inline pattern can match it: one character, or either of
# two. A pattern is not tried on text without; one not named here is always tried.
NEEDS: dict[str, str] = {
    "backtick": "`",
    "keys-custom": "+",
    "escape": "\\",
    "footnote": "[",
    "reference": "[",
    "link": "[",
    "image_link": "[",
    "image_reference": "[",
    "short_reference": "[",
    "short_image_ref": "[",
    "autolink": "<",
    "automail": "<",
    "linebreak": "\n",
    "html": "<",
    "magic-mail": "@",
    "entity": "&",
    "keys": "+",
    "em_strong": "*_",
}


class _Inline(InlineProcessor):
    """Python-Markdown's inline processor, skipping on each piece of text the patterns that
    cannot match it (`needs`: per pattern, what the text must hold, or None)."""

    needs: tuple[str, ...] = ()  # per pattern, NEEDS or ""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        patterns, needs = self.inlinePatterns, self.needs
        apply = self._InlineProcessor__applyPattern
        start, count = 0, len(patterns)
        while patternIndex < count:
            need = needs[patternIndex]
            if need and need[0] not in data and need[-1] not in data:
                patternIndex, start = patternIndex + 1, 0  # what a miss returns
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class _HelpgenExtension(Extension):
    def __init__(self, trim: bool) -> None:
        super().__init__()
        self.trim = trim

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Processor(md), "helpgen", 4)  # after toc (5)
        if self.trim:
            md.treeprocessors.register(_Inline(md), "inline", 20)


# The extensions every page is converted with, in order; helpgen's own goes last.
EXTENSIONS = (
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
)
# Extensions whose syntax a page cannot use without a sign, and the sign. A page without it
# is converted without the extension: the same HTML, sooner (most pages use little syntax,
# and every extension's patterns are tried on every paragraph).
OPTIONAL: dict[str, re.Pattern[str]] = {
    "tables": re.compile(r"\|"),
    "attr_list": re.compile(r"\{"),
    "admonition": re.compile(r"!!!"),
    "footnotes": re.compile(r"\[\^"),
    "pymdownx.details": re.compile(r"\?\?\?"),
    "pymdownx.tabbed": re.compile(r"==="),
    "pymdownx.tasklist": re.compile(r"\[[ xX]\]"),
    "pymdownx.keys": re.compile(r"\+\+"),
    "pymdownx.magiclink": re.compile(r"://|www\.|ftp\.|@", re.IGNORECASE),
}


# Python-Markdown's own inline patterns, by name, and the sign each needs in a page: every
# paragraph is tried against every pattern, so a page is converted without those it has no
# sign of. (Two spaces, or a tab, before a line's end: a line break.)
_LINK = re.compile(r"\[")
_HTML = re.compile(r"<")
INLINE_SIGNS: dict[str, re.Pattern[str]] = {
    "backtick": re.compile(r"`"),
    "escape": re.compile(r"\\"),
    "reference": _LINK,
    "link": _LINK,
    "image_link": _LINK,
    "image_reference": _LINK,
    "short_reference": _LINK,
    "short_image_ref": _LINK,
    "autolink": _HTML,
    "automail": _HTML,
    "html": _HTML,
    "linebreak": re.compile(r"(?:[ \t]{2}|\t)[ \t]*(?:\r|\n)"),
    "entity": re.compile(r"&"),
    "em_strong": re.compile(r"[*_]"),
}


_SIGNS = frozenset(INLINE_SIGNS.values())


def extensions_for(body: str) -> tuple[str, ...]:
    """The extensions `body` needs: EXTENSIONS without the optional ones it has no sign of."""
    return tuple(e for e in EXTENSIONS if e not in OPTIONAL or OPTIONAL[e].search(body))


def patterns_unused(body: str) -> frozenset[str]:
    """Python-Markdown's inline patterns `body` has no sign of (see INLINE_SIGNS)."""
    absent = {sign for sign in _SIGNS if not sign.search(body)}  # a sign shared is read once
    return frozenset(name for name, sign in INLINE_SIGNS.items() if sign in absent)


def extension_configs(permalink_title: str) -> dict[str, dict]:
    """The settings of EXTENSIONS (the toc's link title is the locale's)."""
    return {
        "toc": {
            "permalink": "#",
            "permalink_title": permalink_title,
            "slugify": SLUGIFY,
            "toc_depth": "2-6",
        },
        "pymdownx.tabbed": {"alternate_style": True},
        "pymdownx.tasklist": {"custom_checkbox": True},
    }


class Converter:
    """A reusable Markdown converter (building one per page is the slow part): one Markdown
    instance per set of extensions pages need, its inline patterns cut to those a page has a
    sign of. `raw_html`: "allow" keeps a writer's HTML and attributes as written, "sanitize"
    cleans the page. `trim=False`: every page gets every extension and pattern, the toc
    extension as it ships (the same HTML, slower; to compare)."""

    def __init__(
        self, permalink_title: str = "Permanent link", raw_html: str = "allow", trim: bool = True
    ) -> None:
        self.raw_html, self.trim = raw_html, trim
        self._configs = extension_configs(permalink_title)
        self._instances: dict[tuple[str, ...], markdown.Markdown] = {}
        self._patterns: dict[tuple[tuple[str, ...], frozenset[str]], tuple] = {}
        self._processor: _Processor | None = None  # the last convert's

    def _instance(self, extensions: tuple[str, ...]) -> markdown.Markdown:
        md = self._instances.get(extensions)
        if md is None:
            configs = {k: v for k, v in self._configs.items() if k in extensions}
            names: list[str | Extension] = list(extensions)
            if self.trim and "toc" in configs:
                names[extensions.index("toc")] = _TocExtension(**configs.pop("toc"))
            md = markdown.Markdown(
                extensions=[*names, _HelpgenExtension(self.trim)],
                extension_configs=configs,
                output_format="html",
            )
            self._instances[extensions] = md
        return md

    def _markdown(self, body: str) -> markdown.Markdown:
        """The instance for `body`, its inline processor given the patterns `body` may use."""
        if not self.trim:
            return self._instance(EXTENSIONS)
        extensions, unused = extensions_for(body), patterns_unused(body)
        md = self._instance(extensions)
        patterns = self._patterns.get((extensions, unused))
        if patterns is None:
            every = md.inlinePatterns
            drop = {every.get_index_for_name(name) for name in unused if name in every}
            kept = [i for i in range(len(every)) if i not in drop]
            named = {every.get_index_for_name(n): n for n in NEEDS if n in every}
            patterns = (
                tuple(every[i] for i in kept),
                tuple(NEEDS[named[i]] if i in named else "" for i in kept),
            )
            self._patterns[(extensions, unused)] = patterns
        # the processor only counts and indexes its patterns; other code reads md.inlinePatterns
        inline = md.treeprocessors["inline"]
        inline.inlinePatterns, inline.needs = patterns
        return md

    @property
    def lookups(self) -> tuple[Lookup, ...]:
        """The link lookups of the last `convert`, as the build cache needs them."""
        return tuple(self._processor.lookups) if self._processor is not None else ()

    def convert(
        self,
        rel: PurePosixPath,
        file: Path,
        body: str,
        line: int,
        page: str,
        targets: LinkTargets,
        guide: bool = False,
    ) -> Rendered:
        """Render `body` (title already taken off; its first line is `line` of `file`), the
        Markdown of source `rel` whose page is at site-root URL `page`. `guide`: a troubleshooter
        (see guide.py), each `##` step wrapped in a <section> inside <div data-helpgen="guide">."""
        md = self._markdown(body)
        proc = self._processor = md.treeprocessors["helpgen"]
        mark = secrets.token_hex(16) if self.raw_html == "sanitize" else None
        proc.start(rel, file, body, line, page, targets, guide, mark)
        md.reset()
        out = md.convert(body)
        problems = proc.problems
        if mark is not None:
            clean = sanitize(out, mark)
            out = clean.html
            problems = sorted(
                [*problems, *_removals(clean.removed, proc, file)], key=lambda p: p.line or 0
            )
        return Rendered(
            out,
            tuple(proc.headings),
            tuple(proc.sections),
            tuple(proc.links),
            frozenset(_ID_RE.findall(out)),
            frozenset(proc.assets),
            tuple(problems),
        )


def _removals(removed: tuple[Removal, ...], proc: _Processor, file: Path) -> list[Problem]:
    """A warning at the line of each removal (a script link's is the link-script one)."""
    found = {}
    for removal in removed:
        if removal.attribute in URL_ATTRIBUTES and removal.value in proc.scripts:
            continue
        line = proc.lines.find(removal.needles)
        found[(line, removal.what)] = Problem(
            f'raw_html = "sanitize" removed {removal.what}',
            file,
            line,
            "scripts, styles, frames, forms, SVG, event handlers (on…), style= and links "
            "other than https:, mailto:, tel: or to this site are removed; write it in "
            "Markdown (a YouTube, Vimeo or .mp4 link as an image is a video)",
            "warning",
            "html-removed",
        )
    return list(found.values())
