"""Sources + Config -> Site: titles, URLs, ordering, topics, and the URL collision check.

Pure: reads nothing from disk. Every mistake becomes a Problem; the Site is built anyway (the
first of two colliding pages wins) so that `helpgen check` can report everything in one run.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TypeVar

from .config import Config
from .errors import Problem, display_path
from .frontmatter import Meta, parse_meta
from .load import INDEX_NAME, ContentTree, Sources
from .model import HOME, RESERVED, Article, Locale, Site, Topic
from .urls import page_url

T = TypeVar("T", Topic, Article)
_H1_ATX = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_H1_SETEXT = re.compile(r"^=+\s*$")


def assemble(sources: Sources, config: Config) -> tuple[Site, list[Problem]]:
    """Assemble every locale; returns the Site and every mistake found on the way."""
    problems: list[Problem] = []
    locales = {}
    for code, tree in sources.trees.items():
        prefix = f"{code}/" if config.multilingual else ""
        locales[code] = assemble_locale(code, tree, prefix, problems)
    return Site(config, MappingProxyType(locales)), problems


def for_audience(site: Site, audience: str) -> Site:
    """The site as one audience sees it (`build --audience`): pages for others left out, and
    no page marked for an audience any more (there is nothing left to switch). The assets the
    kept pages do not use are left out after rendering (`only_used_assets`)."""
    locales = {}
    for code, loc in site.locales.items():

        def keep(path: PurePosixPath, loc: Locale = loc) -> bool:
            for_whom = loc.audience(path)
            return path == HOME or not for_whom or audience in for_whom

        def plain(page: T) -> T:
            return dataclasses.replace(page, meta=dataclasses.replace(page.meta, audience=()))

        topics = {p: plain(t) for p, t in loc.topics.items() if keep(p)}
        articles = {p: plain(a) for p, a in loc.articles.items() if keep(p) and a.topic in topics}
        for path, topic in topics.items():
            topics[path] = dataclasses.replace(
                topic,
                topics=tuple(p for p in topic.topics if p in topics),
                articles=tuple(p for p in topic.articles if p in articles),
            )
        gone = {*loc.articles, *(t.source.rel for t in loc.topics.values() if t.source)}
        gone -= {*articles, *(t.source.rel for t in topics.values() if t.source)}
        locales[code] = dataclasses.replace(
            loc,
            topics=MappingProxyType(topics),
            articles=MappingProxyType(articles),
            tagged=MappingProxyType(
                {tag: tuple(p for p in paths if p in articles) for tag, paths in loc.tagged.items()}
            ),
            elsewhere=frozenset(gone),
        )
    return dataclasses.replace(site, locales=MappingProxyType(locales))


def only_used_assets(site: Site, used: set[tuple[str, PurePosixPath]]) -> Site:
    """The site with only the content files its pages use, (locale, path) in `used`."""
    locales = {
        code: dataclasses.replace(
            loc,
            assets=MappingProxyType(
                {rel: f for rel, f in loc.assets.items() if (code, rel) in used}
            ),
        )
        for code, loc in site.locales.items()
    }
    return dataclasses.replace(site, locales=MappingProxyType(locales))


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


def assemble_locale(code: str, tree: ContentTree, prefix: str, problems: list[Problem]) -> Locale:
    """Turn one locale's loaded files into Topics and Articles with URLs and ordering."""
    metas = {src.rel: parse_meta(src, problems) for src in tree.pages}
    by_rel = {src.rel: src for src in tree.pages}
    # topics: every folder holding Markdown somewhere below it, and home
    folders = {HOME}
    for src in tree.pages:
        folders.update(src.rel.parents)
    topics: dict[PurePosixPath, Topic] = {}
    children: dict[PurePosixPath, list[PurePosixPath]] = defaultdict(list)
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
                    code="index-twice",
                )
            )
        meta = metas.get(index_rel, Meta())
        body, body_line, h1 = "", 1, None
        if src is not None:
            h1, rest, skipped = split_title(src.body)
            body, body_line = src.body, src.body_line
            if h1 and h1 == (meta.title or h1):  # the title is shown once, from the template
                body, body_line = rest, src.body_line + skipped
        title = meta.title or h1 or _name_title(folder)
        parent = None if folder == HOME else folder.parent
        topics[folder] = Topic(
            folder, page_url(index_rel, prefix), title, meta, src, parent, (), (), body, body_line
        )
        if parent is not None:
            children[parent].append(folder)
    articles: dict[PurePosixPath, Article] = {}
    listed: dict[PurePosixPath, list[PurePosixPath]] = defaultdict(list)
    for src in tree.pages:
        if src.is_index:
            continue
        meta = metas[src.rel]
        h1, body, skipped = split_title(src.body)
        title = meta.title or h1 or _name_title(src.rel.with_suffix(""))
        if meta.title and h1 and h1.strip() != meta.title:
            body, skipped = src.body, 0  # a different H1 is content, keep it
        url = page_url(src.rel, prefix)
        articles[src.rel] = Article(
            src.rel, url, title, meta, src, src.rel.parent, body, src.body_line + skipped
        )
        listed[src.rel.parent].append(src.rel)
    for path, topic in list(topics.items()):
        topics[path] = dataclasses.replace(
            topic,
            topics=tuple(sorted(children[path], key=lambda p: topics[p].sort_key)),
            articles=tuple(sorted(listed[path], key=lambda p: articles[p].sort_key)),
        )
    tagged: dict[str, list[PurePosixPath]] = defaultdict(list)
    for path, article in articles.items():
        for tag in article.meta.tags:
            tagged[tag].append(path)
    problems += collisions(tree.root, topics, articles, prefix)
    return Locale(
        code,
        prefix,
        tree.root,
        MappingProxyType(topics),
        MappingProxyType(articles),
        MappingProxyType(dict(tree.assets)),
        MappingProxyType({tag: tuple(paths) for tag, paths in tagged.items()}),
        frozenset(tree.failed),
    )


def collisions(
    root: Path,
    topics: dict[PurePosixPath, Topic],
    articles: dict[PurePosixPath, Article],
    prefix: str,
) -> list[Problem]:
    """Two sources must never produce one URL (foo.md and foo/, an alias, helpgen's own pages)."""
    problems: list[Problem] = []
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
                    code="url-reserved",
                )
            )
            continue
        also = ", ".join(display_path(p) for p, _ in files[1:])
        problems.append(
            Problem(
                f"two pages would be written to '{url or '/'}' (also: {also})",
                files[0][0],
                files[0][1],
                "rename the file or folder, or change the alias",
                code="url-collision",
            )
        )
    return problems


def alias_url(alias: str, prefix: str) -> str:
    """An old URL from front matter -> the site-root folder that holds its redirect page."""
    path = alias.strip().lstrip("/")
    if path.endswith(".html"):
        return path
    return path.rstrip("/") + "/" if path else prefix


def _name_title(path: PurePosixPath) -> str:
    name = path.name.replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else "Home"
