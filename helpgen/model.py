"""The help center as data: Site > Locale > Topic / Article. Frozen (mappings are read-only
views, built by assemble.py); no I/O, no Markdown.

Pages are registered by source path (``orders/cancel.md``; a topic by its folder, ``orders``)
and refer to each other by those paths, never by object, so nothing is patched after the fact.
What rendering produces (HTML, headings, sections, links) is not here: it is a `Rendered` value
of its own, keyed by `PageKey`, built by `render.py`.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .config import Config
from .errors import Problem
from .frontmatter import Meta
from .load import SourceFile
from .locales import is_rtl

HOME = PurePosixPath(".")
RESERVED = ("contact", "search", "whats-new")  # helpgen's own pages at {prefix}NAME/ per locale

RELATED_PER_TAG = 100  # candidates per tag in Locale.related: bounds its work per article
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
    unreadable: frozenset[PurePosixPath] = frozenset()  # reported by load; links to them are ok
    elsewhere: frozenset[PurePosixPath] = frozenset()  # pages left out: for another audience
    # The default locale's pages this locale has no translation of, at this locale's URLs: shown
    # untranslated inside its pages (set by assemble.lend; {} in the default locale).
    borrowed: Mapping[PurePosixPath, Topic | Article] = field(default_factory=dict)
    # The default locale's content files this locale has no copy of (assemble.lend).
    fallback_assets: Mapping[PurePosixPath, Path] = field(default_factory=dict)

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
        """The article or topic at `path`: this locale's own, else a borrowed one."""
        if path in self.articles:
            return self.articles[path]
        return self.topics[path] if path in self.topics else self.borrowed[path]

    def own(self, path: PurePosixPath) -> bool:
        """Whether the page at `path` is written in this locale (not borrowed)."""
        return path in self.articles or path in self.topics

    def breadcrumbs(self, topic: PurePosixPath) -> list[Topic]:
        """Topics from home down to `topic`, both included (own or borrowed)."""
        chain: list[Topic] = []
        current: PurePosixPath | None = topic
        while current is not None:
            found = self.page(current)
            assert isinstance(found, Topic)
            chain.append(found)
            current = found.parent
        return chain[::-1]

    def related(self, article: Article, limit: int = 5) -> list[Article]:
        """Articles sharing tags or the topic, best first: two points per shared tag, one for
        the same topic; ties in listing order (`order`, title, then path).

        Candidates are the article's topic and, for each of its tags, the first
        RELATED_PER_TAG articles with that tag in listing order, so the work per article is
        bounded however popular a tag is. Where no tag of the article is on more articles than
        that, every article sharing a tag is a candidate and the ranking is exact; past it, an
        article sharing several tags but listed after the first RELATED_PER_TAG of each is
        missed."""
        ranks = self._ranks
        mine = ranks.position[article.path]
        tags, topic = ranks.tags[mine], ranks.topic[mine]
        candidates = set(ranks.in_topic[topic])
        for tag in article.meta.tags:
            candidates.update(ranks.by_tag[tag])
        candidates.discard(mine)
        ranked = sorted(
            (-2 * (tags & ranks.tags[i]).bit_count() - (ranks.topic[i] == topic), i)
            for i in candidates
        )
        return [self.articles[ranks.order[i]] for _, i in ranked[:limit]]

    @functools.cached_property
    def _ranks(self) -> _Ranks:
        return _Ranks.of(self.articles.values())

    def nearest(self, path: PurePosixPath) -> str:
        """URL of the page at `path` here (own or borrowed), else of its closest ancestor."""
        if self.own(path) or path in self.borrowed:
            return self.page(path).url
        folder = path.parent
        while not (self.own(folder) or folder in self.borrowed) and folder != HOME:
            folder = folder.parent
        return self.page(folder).url if folder != HOME else self.home.url

    def audience(self, path: PurePosixPath) -> tuple[str, ...]:
        """Who a page is for: its own `audience`, else its nearest topic's; () is everyone."""
        return self._audiences[path]

    @functools.cached_property
    def _audiences(self) -> dict[PurePosixPath, tuple[str, ...]]:
        """Every page's (own and borrowed) `audience`, each topic's worked out once."""
        found: dict[PurePosixPath, tuple[str, ...]] = {}

        def of(path: PurePosixPath) -> tuple[str, ...]:
            if path not in found:
                page = self.page(path)
                parent = page.topic if isinstance(page, Article) else page.parent
                inherited = of(parent) if parent is not None and not page.meta.audience else ()
                found[path] = page.meta.audience or inherited
            return found[path]

        for path in [*self.topics, *self.borrowed, *self.articles]:
            of(path)
        return found

    def article_count(self, topic: PurePosixPath) -> int:
        """Articles in a topic and all its sub-topics, borrowed ones included."""
        topics, articles = self.listing(topic)
        return len(articles) + sum(self.article_count(t.path) for t in topics)

    def listing(self, topic: PurePosixPath) -> tuple[tuple[Topic, ...], tuple[Article, ...]]:
        """A topic's sub-topics and articles, own and borrowed, in order."""
        own = self.topics.get(topic)
        paths = [*own.topics, *own.articles] if own else []
        pages = [self.page(p) for p in [*paths, *self._borrowed_below.get(topic, ())]]
        return (
            tuple(sorted((p for p in pages if isinstance(p, Topic)), key=lambda t: t.sort_key)),
            tuple(sorted((p for p in pages if isinstance(p, Article)), key=lambda a: a.sort_key)),
        )

    @functools.cached_property
    def _borrowed_below(self) -> dict[PurePosixPath, list[PurePosixPath]]:
        """Topic -> the borrowed pages right below it."""
        below: dict[PurePosixPath, list[PurePosixPath]] = defaultdict(list)
        for path, page in self.borrowed.items():
            parent = page.topic if isinstance(page, Article) else page.parent
            if parent is not None:
                below[parent].append(path)
        return below


@dataclass(frozen=True)
class _Ranks:
    """A locale's articles numbered in listing order (`order`, title, then path), with what
    `Locale.related` scores them by: their tags as bits and their topic's number."""

    order: tuple[PurePosixPath, ...]
    position: Mapping[PurePosixPath, int]
    tags: tuple[int, ...]  # bit i: the article has the i-th tag
    topic: tuple[int, ...]
    in_topic: tuple[tuple[int, ...], ...]  # topic number -> its articles
    by_tag: Mapping[str, tuple[int, ...]]  # the first RELATED_PER_TAG articles with each tag

    @classmethod
    def of(cls, articles: Iterable[Article]) -> _Ranks:
        ordered = sorted(articles, key=lambda a: (a.sort_key, str(a.path)))
        topics = {t: n for n, t in enumerate(dict.fromkeys(a.topic for a in ordered))}
        bits = {t: n for n, t in enumerate(dict.fromkeys(t for a in ordered for t in a.meta.tags))}
        in_topic: list[list[int]] = [[] for _ in topics]
        by_tag: dict[str, list[int]] = defaultdict(list)
        for i, article in enumerate(ordered):
            in_topic[topics[article.topic]].append(i)
            for tag in dict.fromkeys(article.meta.tags):
                if len(by_tag[tag]) < RELATED_PER_TAG:
                    by_tag[tag].append(i)
        return cls(
            tuple(a.path for a in ordered),
            {a.path: i for i, a in enumerate(ordered)},
            tuple(sum(1 << bits[t] for t in set(a.meta.tags)) for a in ordered),
            tuple(topics[a.topic] for a in ordered),
            tuple(map(tuple, in_topic)),
            {t: tuple(found) for t, found in by_tag.items()},
        )


@dataclass(frozen=True)
class Site:
    config: Config
    locales: Mapping[str, Locale]

    @property
    def default(self) -> Locale:
        """The locale untranslated pages are borrowed from."""
        return self.locales[self.config.default_locale]

    def translations(self, path: PurePosixPath) -> dict[str, str]:
        """Locale code -> URL of the same page (its translation, else shown untranslated, else
        its nearest ancestor) in every locale: where the language switcher leads."""
        return {code: loc.nearest(path) for code, loc in self.locales.items()}

    def versions(self, path: PurePosixPath) -> dict[str, str]:
        """Locale code -> URL of the page in each locale that has it written in its language:
        real translations only, never a page shown untranslated."""
        return {code: loc.page(path).url for code, loc in self.locales.items() if loc.own(path)}

    def pages(self) -> list[PageKey]:
        """Every topic and article of every locale, in a stable order."""
        keys: list[PageKey] = []
        for code, loc in self.locales.items():
            keys += [(code, p) for p in loc.topics]
            keys += [(code, p) for p in loc.articles]
        return keys
