"""The help center as data: Site > Locale > Topic / Article. URLs, ordering, navigation. No I/O.

Pages are registered by source path (``orders/cancel.md``; a topic by its folder, ``orders``)
and refer to each other by those paths, never by object, so nothing is patched after the fact.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .config import Config
from .errors import HelpgenError, Problem
from .frontmatter import Meta, parse_meta
from .loader import INDEX_NAME, ContentTree, SourceFile
from .locales import is_rtl
from .markdown import Heading, LinkRef, Section, split_title
from .urls import page_url

HOME = PurePosixPath(".")
RESERVED = ("contact", "search")  # pages every locale gets at {prefix}contact/ and search/


@dataclass
class Topic:
    """A folder: the drill-down level between home and articles."""

    path: PurePosixPath
    url: str
    title: str
    meta: Meta
    source: SourceFile | None
    parent: PurePosixPath | None
    topics: list[PurePosixPath] = field(default_factory=list)
    articles: list[PurePosixPath] = field(default_factory=list)
    intro_html: str = ""  # set after rendering

    @property
    def sort_key(self) -> tuple[float, str]:
        return (self.meta.order if self.meta.order is not None else math.inf, self.title.casefold())


@dataclass
class Article:
    """One Markdown file other than _index.md."""

    path: PurePosixPath
    url: str
    title: str
    meta: Meta
    source: SourceFile
    topic: PurePosixPath
    body: str
    body_line: int
    html: str = ""  # set after rendering, like the three below
    headings: list[Heading] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple[float, str]:
        return (self.meta.order if self.meta.order is not None else math.inf, self.title.casefold())


@dataclass
class Locale:
    """One language's tree. `prefix` is "" on a one-language site, else "he/" etc."""

    code: str
    prefix: str
    root: Path
    topics: dict[PurePosixPath, Topic]
    articles: dict[PurePosixPath, Article]
    assets: dict[PurePosixPath, Path]

    @property
    def dir(self) -> str:
        return "rtl" if is_rtl(self.code) else "ltr"

    @functools.cached_property
    def tagged(self) -> dict[str, list[PurePosixPath]]:
        """Tag -> articles carrying it (built once, so related() is not quadratic)."""
        index: dict[str, list[PurePosixPath]] = defaultdict(list)
        for path, article in self.articles.items():
            for tag in article.meta.tags:
                index[tag].append(path)
        return index

    @property
    def home(self) -> Topic:
        return self.topics[HOME]

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
            candidates.update((p, self.articles[p]) for p in self.tagged[tag])
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


@dataclass
class Site:
    config: Config
    locales: dict[str, Locale]

    def translations(self, path: PurePosixPath) -> dict[str, str]:
        """Locale code -> URL of the same page (or its nearest ancestor) in every locale."""
        return {code: loc.nearest(path) for code, loc in self.locales.items()}


def assemble_locale(code: str, tree: ContentTree, prefix: str, problems: list[Problem]) -> Locale:
    """Turn one locale's loaded files into Topics and Articles with URLs and ordering."""
    metas = {src.rel: parse_meta(src, problems) for src in tree.pages}
    by_rel = {src.rel: src for src in tree.pages}
    # topics: every folder holding Markdown somewhere below it, and home
    folders = {HOME}
    for src in tree.pages:
        folders.update(src.rel.parents)
    topics: dict[PurePosixPath, Topic] = {}
    for folder in sorted(folders, key=lambda p: (len(p.parts), str(p))):
        index_rel = folder / INDEX_NAME
        src = by_rel.get(index_rel)
        if src is None and folder / "index.md" in by_rel:  # MkDocs-style folder index
            index_rel = folder / "index.md"
            src = by_rel[index_rel]
        elif src is not None and folder / "index.md" in by_rel:
            problems.append(
                Problem(
                    "a folder has both _index.md and index.md",
                    by_rel[folder / "index.md"].path,
                    None,
                    "merge index.md into _index.md",
                )
            )
        meta = metas.get(index_rel, Meta())
        title = meta.title or (split_title(src.body)[0] if src else None) or _name_title(folder)
        parent = None if folder == HOME else folder.parent
        topics[folder] = Topic(folder, page_url(index_rel, prefix), title, meta, src, parent)
        if parent is not None:
            topics[parent].topics.append(folder)
    articles: dict[PurePosixPath, Article] = {}
    for src in tree.pages:
        if src.is_index:
            continue
        meta = metas[src.rel]
        h1, body, skipped = split_title(src.body)
        title = meta.title or h1 or _name_title(src.rel.with_suffix(""))
        if meta.title and h1 and h1.strip() != meta.title:
            body, skipped = src.body, 0  # a different H1 is content, keep it
        article = Article(
            src.rel,
            page_url(src.rel, prefix),
            title,
            meta,
            src,
            src.rel.parent,
            body,
            src.body_line + skipped,
        )
        articles[src.rel] = article
        topics[src.rel.parent].articles.append(src.rel)
    for topic in topics.values():
        topic.topics.sort(key=lambda p: topics[p].sort_key)
        topic.articles.sort(key=lambda p: articles[p].sort_key)
    _check_collisions(tree.root, topics, articles, prefix, problems)
    return Locale(code, prefix, tree.root, topics, articles, dict(tree.assets))


def _check_collisions(
    root: Path,
    topics: dict[PurePosixPath, Topic],
    articles: dict[PurePosixPath, Article],
    prefix: str,
    problems: list[Problem],
) -> None:
    """Two sources must never produce one URL (foo.md and foo/, an alias, helpgen's own pages)."""
    owners: dict[str, list[tuple[Path | str, int | None]]] = defaultdict(list)
    for name in RESERVED:
        owners[f"{prefix}{name}/"].append((f"helpgen's own {name} page", None))
    if not prefix:
        owners["static/"].append(("the theme's static files", None))
    # the likeliest culprit first: an alias, then a file, then a folder
    for page in [*topics.values(), *articles.values()]:
        if page.source is not None:
            line = page.source.line_of("aliases")
            for alias in page.meta.aliases:
                owners[alias_url(alias, prefix)].append((page.source.path, line))
    for article in articles.values():
        owners[article.url].append((article.source.path, None))
    for topic in topics.values():
        where = topic.source.path if topic.source else root / topic.path
        owners[topic.url].append((where, None))
    for url, sources in owners.items():
        if len(sources) < 2:
            continue
        files = [s for s in sources if not isinstance(s[0], str)]
        builtin = [s[0] for s in sources if isinstance(s[0], str)]
        if builtin:
            name = url.rstrip("/").rsplit("/", 1)[-1]
            problems.append(
                Problem(
                    f"'{name}' is the address of {builtin[0]}",
                    files[0][0],
                    files[0][1],
                    f"rename it, e.g. to 'get-{name}' or 'help-{name}'",
                )
            )
            continue
        also = ", ".join(str(p) for p, _ in files[1:])
        problems.append(
            Problem(
                f"two pages would be written to '{url or '/'}' (also: {also})",
                files[0][0],
                files[0][1],
                "rename the file or folder, or change the alias",
            )
        )


def alias_url(alias: str, prefix: str) -> str:
    """An old URL from front matter -> the site-root folder that holds its redirect page."""
    path = alias.strip().lstrip("/")
    if path.endswith(".html"):
        return path
    return path.rstrip("/") + "/" if path else prefix


def _name_title(path: PurePosixPath) -> str:
    name = path.name.replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else "Home"


def build_site(config: Config, trees: dict[str, ContentTree]) -> Site:
    """Assemble every locale; all mistakes reported together."""
    problems: list[Problem] = []
    locales = {}
    for code, tree in trees.items():
        prefix = f"{code}/" if config.multilingual else ""
        locales[code] = assemble_locale(code, tree, prefix, problems)
    if problems:
        raise HelpgenError(problems)
    return Site(config, locales)
