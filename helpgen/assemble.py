"""Sources + Config -> Site: titles, URLs, ordering, topics, and the URL collision check.

Pure: reads nothing from disk. Every mistake becomes a Problem; the Site is built anyway (the
first of two colliding pages wins) so that `helpgen check` can report everything in one run.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TypeVar

from .config import Config
from .errors import Problem, display_path
from .feed import FEED_NAME
from .frontmatter import Meta, parse_meta
from .load import INDEX_NAME, ContentTree, Sources
from .model import HOME, RESERVED, Article, Locale, PageKey, Rendered, Site, Topic
from .urls import alias_path, output_file, page_url

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
    if config.multilingual:
        locales = lend(locales, config.default_locale)
    problems += alias_collisions(locales)
    return Site(config, MappingProxyType(locales)), problems


def lend(locales: dict[str, Locale], default: str) -> dict[str, Locale]:
    """Every other locale with the default locale's pages it has no translation of (`borrowed`,
    at its own URLs) and the default's content files it has no copy of (`fallback_assets`).

    A page left out of a locale for another audience (`elsewhere`) is not borrowed, nor is
    anything below a topic that is not there."""
    source = locales[default]
    lent = {default: dataclasses.replace(source, borrowed={}, fallback_assets={})}
    for code, loc in locales.items():
        if code == default:
            continue
        borrowed: dict[PurePosixPath, Topic | Article] = {}
        for path, topic in source.topics.items():  # parents before children
            index = topic.source.rel if topic.source else None
            if (
                not loc.own(path)
                and index not in loc.elsewhere
                and _there(topic.parent, loc, borrowed)
            ):
                borrowed[path] = dataclasses.replace(topic, url=_moved(topic.url, source, loc))
        for path, article in source.articles.items():
            if (
                not loc.own(path)
                and path not in loc.elsewhere
                and _there(article.topic, loc, borrowed)
            ):
                borrowed[path] = dataclasses.replace(article, url=_moved(article.url, source, loc))
        lent[code] = dataclasses.replace(
            loc,
            borrowed=MappingProxyType(borrowed),
            fallback_assets=MappingProxyType(
                {rel: f for rel, f in source.assets.items() if rel not in loc.assets}
            ),
        )
    return lent


def _there(
    path: PurePosixPath | None, loc: Locale, borrowed: Mapping[PurePosixPath, object]
) -> bool:
    """Whether a page's parent topic is in `loc`, its own or borrowed (the home has none)."""
    return path is None or loc.own(path) or path in borrowed


def _moved(url: str, source: Locale, target: Locale) -> str:
    """A page's URL in `source` -> the same page's URL in `target`."""
    return target.prefix + url[len(source.prefix) :]


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
            elsewhere=frozenset(gone),
        )
    if site.config.multilingual:
        locales = lend(locales, site.config.default_locale)
    return dataclasses.replace(site, locales=MappingProxyType(locales))


def only_used_assets(site: Site, used: set[tuple[str, PurePosixPath]]) -> Site:
    """The site with only the content files its pages use, (locale, path) in `used`
    (`assets_used`)."""
    locales = {
        code: dataclasses.replace(
            loc,
            assets=MappingProxyType(
                {rel: f for rel, f in loc.assets.items() if (code, rel) in used}
            ),
            fallback_assets=MappingProxyType(
                {rel: f for rel, f in loc.fallback_assets.items() if (code, rel) in used}
            ),
        )
        for code, loc in site.locales.items()
    }
    return dataclasses.replace(site, locales=MappingProxyType(locales))


def assets_used(site: Site, rendered: Mapping[PageKey, Rendered]) -> set[tuple[str, PurePosixPath]]:
    """(locale, content file) of every file a page of the locale shows: its own pages' and
    the pages it borrows (rendered once, in the default locale)."""
    used = {(code, rel) for (code, _), done in rendered.items() for rel in done.assets}
    default = site.config.default_locale
    for code, loc in site.locales.items():
        used |= {(code, rel) for path in loc.borrowed for rel in rendered[(default, path)].assets}
    return used


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
    same = {path: path for path in topics}  # one path object per folder, however many use it
    for src in tree.pages:
        if src.is_index:
            continue
        meta = metas[src.rel]
        parent = same.get(src.rel.parent, src.rel.parent)
        h1, body, skipped = split_title(src.body)
        title = meta.title or h1 or _name_title(src.rel.with_suffix(""))
        if meta.title and h1 and h1.strip() != meta.title:
            body, skipped = src.body, 0  # a different H1 is content, keep it
        url = page_url(src.rel, prefix)
        articles[src.rel] = Article(
            src.rel, url, title, meta, src, parent, body, src.body_line + skipped
        )
        listed[parent].append(src.rel)
    for path, topic in list(topics.items()):
        topics[path] = dataclasses.replace(
            topic,
            topics=tuple(sorted(children[path], key=lambda p: topics[p].sort_key)),
            articles=tuple(sorted(listed[path], key=lambda p: articles[p].sort_key)),
        )
    problems += collisions(tree.root, topics, articles, prefix)
    return Locale(
        code,
        prefix,
        tree.root,
        MappingProxyType(topics),
        MappingProxyType(articles),
        MappingProxyType(dict(tree.assets)),
        unreadable=frozenset(tree.failed),
    )


def collisions(
    root: Path,
    topics: dict[PurePosixPath, Topic],
    articles: dict[PurePosixPath, Article],
    prefix: str,
) -> list[Problem]:
    """Two sources of a locale must never produce one URL (foo.md and foo/, helpgen's own pages).
    Aliases are checked against the whole site by `alias_collisions()`."""
    problems: list[Problem] = []
    owners: dict[str, list[tuple[Path | str, int | None]]] = defaultdict(list)
    for name, what in _own_pages(prefix):
        owners[f"{prefix}{name}/"].append((what, None))
    # the likeliest culprit first: a file, then a folder
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
        problems.append(_collision(url, files))
    return problems


def _own_pages(prefix: str) -> list[tuple[str, str]]:
    """(name, what it is) of what helpgen writes at {prefix}name in a locale, and at the root."""
    own = [(name, f"helpgen's own {name} page") for name in RESERVED]
    own += [("404.html", "helpgen's page for missing addresses"), (FEED_NAME, "the Atom feed")]
    if not prefix:
        own += [(name, what) for name, what in _ROOT_FILES.items() if name != "404.html"]
    return own


_ROOT_FILES = {  # at the site's root, whatever the locales
    "static": "the theme's static files",
    "404.html": "helpgen's page for missing addresses",
    "sitemap.xml": "the sitemap",
    "robots.txt": "the file for crawlers",
}
_SUBTREES = ("search", "static")  # folders helpgen fills: nothing may be written below them


def _collision(url: str, files: list[tuple[Path, int | None]]) -> Problem:
    also = ", ".join(dict.fromkeys(display_path(p) for p, _ in files[1:]))
    return Problem(
        f"two pages would be written to '{url or '/'}' (also: {also})",
        files[0][0],
        files[0][1],
        "rename the file or folder, or change the alias",
        code="url-collision",
    )


def alias_collisions(locales: dict[str, Locale]) -> list[Problem]:
    """An alias must never replace a page, another alias or one of helpgen's own files, in any
    locale; located at the `aliases` line. Aliases are compared as normalised by alias_url()."""
    prefixes = [loc.prefix for loc in locales.values()]
    owners: dict[str, list[tuple[Path, int | None]]] = defaultdict(list)
    aliases: list[tuple[str, str, Path, int]] = []  # (as written, URL, file, line)
    for loc in locales.values():
        for page in [*loc.topics.values(), *loc.articles.values()]:
            if page.source is None:
                continue
            line = page.source.line_of("aliases")
            for alias in page.meta.aliases:
                url = alias_url(alias, loc.prefix)
                aliases.append((alias, url, page.source.path, line))
                owners[url].append((page.source.path, line))
    written = {name for name in _ROOT_FILES if name not in _SUBTREES}  # files, not redirects
    for loc in locales.values():
        for page in [*loc.articles.values(), *loc.topics.values(), *loc.borrowed.values()]:
            where = page.source.path if page.source else loc.root / page.path
            owners[page.url].append((where, None))
            written.add(output_file(page.url))
        written.update(f"{loc.prefix}{rel}" for rel in loc.assets)
        written.update(f"{loc.prefix}{name}" for name in ("404.html", FEED_NAME))
    redirects = {output_file(url) for _, url, _, _ in aliases}
    folders = {str(p) for f in written | redirects for p in PurePosixPath(f).parents}
    problems: list[Problem] = []
    reported: set[str] = set()
    for alias, url, file, line in aliases:
        if url in reported:
            continue
        what = _reserved(url, prefixes)
        out = output_file(url)
        inside = next((str(p) for p in PurePosixPath(out).parents if str(p) in written), None)
        if what is not None:
            problems.append(
                Problem(
                    f"'{url or '/'}' is the address of {what}",
                    file,
                    line,
                    f"remove the alias '{alias}': helpgen writes that address itself",
                    code="url-reserved",
                )
            )
        elif len(owners[url]) > 1:
            others = owners[url][1:]
            if all(o == (file, line) for o in others):
                message = f"two aliases of this page are one address, '{url or '/'}'"
                problems.append(Problem(message, file, line, "remove one", code="url-collision"))
            else:
                problems.append(_collision(url, owners[url]))
        elif inside is not None or out in folders:
            where = f"'{inside}' is a file" if inside else f"'{out}' is a folder"
            problems.append(
                Problem(
                    f"the alias '{alias}' would be written to '{out}', but {where} of the site",
                    file,
                    line,
                    "change the alias",
                    code="url-collision",
                )
            )
        else:
            continue
        reported.add(url)
    return problems


def _reserved(url: str, prefixes: list[str]) -> str | None:
    """What of helpgen's own a redirect at `url` would replace or be written into, if any."""
    bare = url.rstrip("/")

    def within(name: str) -> bool:
        return bare == name or bare.startswith(name + "/")

    for prefix in prefixes:
        if bare == prefix.rstrip("/"):
            return f"the home page of '{prefix.rstrip('/')}'" if prefix else "the home page"
        for name, what in _own_pages(prefix):
            if bare == prefix + name or (name in _SUBTREES and within(prefix + name)):
                return what
    if not bare:
        return "the site's root"
    return next((what for name, what in _ROOT_FILES.items() if within(name)), None)


def alias_url(alias: str, prefix: str) -> str:
    """An old URL from front matter -> the site-root folder (or .html file) that holds its
    redirect page: normalised by `urls.alias_path()`; "/" is the locale's home."""
    return alias_path(alias) or prefix


def _name_title(path: PurePosixPath) -> str:
    name = path.name.replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else "Home"
