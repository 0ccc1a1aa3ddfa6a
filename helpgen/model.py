"""The help center as data: Site > Locale > Topic / Article. Frozen (mappings are read-only
views, built by assemble.py); no I/O, no Markdown.

Pages are registered by source path (``orders/cancel.md``; a topic by its folder, ``orders``)
and refer to each other by those paths, never by object, so nothing is patched after the fact.
What rendering produces (HTML, headings, sections, links) is not here: it is a `Rendered` value
of its own, keyed by `PageKey`, built by `render.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .config import Config
from .errors import Problem
from .frontmatter import Meta
from .load import SourceFile
from .locales import is_rtl

HOME = PurePosixPath(".")
RESERVED = ("contact", "search", "whats-new")  # helpgen's own pages at {prefix}NAME/ per locale

PageKey = tuple[str, PurePosixPath]  # (locale code, article path or topic folder)


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
    """A link to a page of the same locale (by source path), checked once all pages exist."""

    target: PurePosixPath
    fragment: str
    line: int


@dataclass(frozen=True)
class Rendered:
    """What rendering one page's Markdown produced (by `render.py`); `anchors`: its HTML's ids."""

    html: str
    headings: tuple[Heading, ...] = ()
    sections: tuple[Section, ...] = ()
    links: tuple[LinkRef, ...] = ()
    anchors: frozenset[str] = frozenset()
    assets: frozenset[PurePosixPath] = frozenset()  # files of the content folder it uses
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Topic:
    """A folder: the drill-down level between home and articles.

    `body`/`body_line` are the introduction to render (its title already taken off), "" without
    an _index.md.
    """

    path: PurePosixPath
    url: str
    title: str
    meta: Meta
    source: SourceFile | None
    parent: PurePosixPath | None
    topics: tuple[PurePosixPath, ...] = ()
    articles: tuple[PurePosixPath, ...] = ()
    body: str = ""
    body_line: int = 1

    @property
    def sort_key(self) -> tuple[float, str]:
        return _sort_key(self.meta, self.title)


@dataclass(frozen=True)
class Article:
    """One Markdown file other than _index.md; `body` is what is rendered (title taken off)."""

    path: PurePosixPath
    url: str
    title: str
    meta: Meta
    source: SourceFile
    topic: PurePosixPath
    body: str
    body_line: int

    @property
    def sort_key(self) -> tuple[float, str]:
        return _sort_key(self.meta, self.title)


def _sort_key(meta: Meta, title: str) -> tuple[float, str]:
    return (meta.order if meta.order is not None else math.inf, title.casefold())


@dataclass(frozen=True)
class Locale:
    """One language's tree. `prefix` is "" on a one-language site, else "he/" etc."""

    code: str
    prefix: str
    root: Path
    topics: Mapping[PurePosixPath, Topic]
    articles: Mapping[PurePosixPath, Article]
    assets: Mapping[PurePosixPath, Path]
    tagged: Mapping[str, tuple[PurePosixPath, ...]] = field(default_factory=dict)
    unreadable: frozenset[PurePosixPath] = frozenset()  # reported by load; links to them are ok
    elsewhere: frozenset[PurePosixPath] = frozenset()  # pages left out: for another audience

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.code) else "ltr"

    @property
    def home(self) -> Topic:
        return self.topics[HOME]

    def own_page(self, kind: str) -> str:
        """URL of one of helpgen's own pages here: one of RESERVED, or "404"."""
        return f"{self.prefix}404.html" if kind == "404" else f"{self.prefix}{kind}/"

    def page(self, path: PurePosixPath) -> Topic | Article:
        return self.articles[path] if path in self.articles else self.topics[path]

    def breadcrumbs(self, topic: PurePosixPath) -> list[Topic]:
        """Topics from home down to `topic`, both included."""
        chain: list[Topic] = []
        current: PurePosixPath | None = topic
        while current is not None:
            chain.append(self.topics[current])
            current = self.topics[current].parent
        return chain[::-1]

    def related(self, article: Article, limit: int = 5) -> list[Article]:
        """Articles sharing tags or the topic, best first; bounded, never the whole tree."""
        tags = set(article.meta.tags)
        scored: list[tuple[int, tuple[float, str], Article]] = []
        candidates = {p: self.articles[p] for p in self.topics[article.topic].articles}
        for tag in tags:
            candidates.update((p, self.articles[p]) for p in self.tagged.get(tag, ()))
        for other in candidates.values():
            if other.path == article.path:
                continue
            score = 2 * len(tags & set(other.meta.tags)) + (other.topic == article.topic)
            scored.append((-score, other.sort_key, other))
        scored.sort(key=lambda s: (s[0], s[1]))
        return [a for _, _, a in scored[:limit]]

    def nearest(self, path: PurePosixPath) -> str:
        """URL of the article or topic at `path` here, else of its closest existing ancestor."""
        if path in self.articles:
            return self.articles[path].url
        folder = path if path in self.topics else path.parent
        while folder not in self.topics and folder != HOME:
            folder = folder.parent
        return self.topics.get(folder, self.home).url

    def audience(self, path: PurePosixPath) -> tuple[str, ...]:
        """Who a page is for: its own `audience`, else its nearest topic's; () is everyone."""
        page = self.page(path)
        if page.meta.audience:
            return page.meta.audience
        parent = page.topic if isinstance(page, Article) else page.parent
        return self.audience(parent) if parent is not None else ()

    def article_count(self, topic: PurePosixPath) -> int:
        """Articles in a topic and all its sub-topics."""
        t = self.topics[topic]
        return len(t.articles) + sum(self.article_count(p) for p in t.topics)


@dataclass(frozen=True)
class Site:
    config: Config
    locales: Mapping[str, Locale]

    def translations(self, path: PurePosixPath) -> dict[str, str]:
        """Locale code -> URL of the same page (or its nearest ancestor) in every locale."""
        return {code: loc.nearest(path) for code, loc in self.locales.items()}

    def pages(self) -> list[PageKey]:
        """Every topic and article of every locale, in a stable order."""
        keys: list[PageKey] = []
        for code, loc in self.locales.items():
            keys += [(code, p) for p in loc.topics]
            keys += [(code, p) for p in loc.articles]
        return keys
