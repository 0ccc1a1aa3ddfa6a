"""Lints over the compiled site: links and anchors, images, titles and descriptions,
translations, unused files and files written twice, articles too many clicks from home, and
front matter `questions` that search does not answer with their article. Each problem is
located and has a code.

Levels: an "error" stops a build; a "warning" stops it with --strict; "info" never does.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath

import yaml

from . import guide
from .config import Config, config_line
from .contact import topic_matches
from .errors import Problem, did_you_mean
from .frontmatter import Meta
from .links import ANCHOR_HINT, missing_anchors
from .load import INDEX_NAME, SourceFile
from .model import LinkRef, Locale, PageKey, Rendered, Site, Topic
from .notices import is_url, target, text_for
from .pages import ArticleView, Card, HomeView, Output, TopicView, View
from .search.index import SearchData
from .search.query import Searcher
from .search.read import expand_pages

MAX_CLICKS = 4  # an answer this many clicks from home at most
QUESTION_TOP = 3  # a declared question finds its article among this many results
TITLE_MAX = 70  # characters a search engine shows of a title
DESCRIPTION_MAX = 160  # and of a description
BROKEN_LINK_CODES = frozenset(
    {"link-missing", "link-outside", "anchor-missing", "image-missing", "guide-dangling",
     "notice-link"}
)  # fmt: skip


def lint(
    site: Site,
    rendered: Mapping[PageKey, Rendered],
    files: Iterable[Output],
    codes: Collection[str] | None = None,
) -> list[Problem]:
    """Every problem found in the rendered pages (of the locales `codes`, if given) and the
    files to write (`unanswered`, a search per question, is `helpgen check`'s alone)."""
    problems: list[Problem] = []
    codes = tuple(codes or site.locales)
    for code in codes:
        locale = site.locales[code]
        links: list[tuple[Path, LinkRef]] = []
        used: set[PurePosixPath] = set()
        for path in [*locale.topics, *locale.articles]:
            page = locale.page(path)
            done = rendered[(code, path)]
            problems += body_problems(site, rendered, (code, path))
            used |= done.assets
            if page.source is not None:
                links += [(page.source.path, ref) for ref in done.links]
                problems += _title_and_description(page.source, page.meta)
                problems += _named_ids(page.source, page.meta, site.config)
        problems += missing_anchors(
            [(file, ref) for file, ref in links if ref.target not in locale.unreadable],
            anchors_of(site, rendered, code),
        )
        problems += [
            Problem(
                f"'{rel}' is not used by any page",
                path,
                None,
                "link to it from an article, or delete it",
                "warning",
                "asset-unused",
            )
            for rel, path in sorted(locale.assets.items())
            if rel not in used
        ]
    problems += untranslated(site)
    problems += unused_routes(site)
    problems += notice_links(site, rendered, codes)
    problems += written_twice(files)
    problems += file_over_folder(site, files)
    problems += too_deep(site, rendered, files, codes)
    return as_configured(problems, site.config)


def too_deep(
    site: Site, rendered: Mapping[PageKey, Rendered], files: Iterable[Output], codes: Iterable[str]
) -> list[Problem]:
    """Articles more than MAX_CLICKS clicks from their locale's home page (a warning each).

    A click is any link a reader sees on a home, topic or article page: topic cards and the
    sub-topics listed on them, article lists, promoted and related articles, the sidebar, and
    links in the page's text. What's new, search and contact pages do not count: what they
    list changes with time or needs typing."""
    views: dict[str, dict[str, View]] = {}
    for out in files:
        if isinstance(out.view, (HomeView, TopicView, ArticleView)):
            views.setdefault(out.view.locale.code, {})[out.view.page.url] = out.view
    found = []
    for code in codes:
        locale = site.locales[code]
        clicks = _clicks(locale, views.get(code, {}), _body_links(site, rendered, code))
        for article in locale.articles.values():
            n = clicks.get(article.url)
            if n is not None and n > MAX_CLICKS:
                found.append(
                    Problem(
                        f"'{article.title}' is {n} clicks from the home page; "
                        f"readers should reach every answer in {MAX_CLICKS}",
                        article.source.path,
                        None,
                        "move it to a topic nearer the top, link to it from a page nearer home, "
                        "or list it on the home page with `promoted: true`",
                        "warning",
                        "article-deep",
                    )
                )
    return found


def _clicks(
    locale: Locale, views: Mapping[str, View], body: Mapping[str, tuple[str, ...]]
) -> dict[str, int]:
    """URL -> the fewest clicks from the locale's home page, breadth first."""
    clicks = {locale.home.url: 0}
    todo = deque([locale.home.url])
    expanded: set[int] = set()  # lists many pages show (a sidebar), expanded once
    while todo:
        url = todo.popleft()
        view = views.get(url)
        if view is None:
            continue
        for there in [*_shown(view, expanded), *body.get(url, ())]:
            if there not in clicks:
                clicks[there] = clicks[url] + 1
                todo.append(there)
    return clicks


def _shown(view: View, expanded: set[int]) -> Iterator[str]:
    """The URLs a page's view links to (its body's links aside)."""
    cards: tuple[Card, ...] = getattr(view, "topics", ()) or getattr(view, "subtopics", ())
    for card in cards:
        yield card.url
        yield from (child.url for child in card.children)
    for name in ("promoted", "articles", "related"):
        yield from (link.url for link in getattr(view, name, ()))
    bar = getattr(view, "sidebar", None)
    if bar is not None and id(bar.items) not in expanded:
        expanded.add(id(bar.items))
        yield bar.url
        yield from (item.url for item in bar.items)


def _body_links(
    site: Site, rendered: Mapping[PageKey, Rendered], code: str
) -> dict[str, tuple[str, ...]]:
    """Page URL -> the URLs of the locale's pages its text links to."""
    locale = site.locales[code]
    lender = site.config.default_locale
    pages = [*locale.topics.values(), *locale.articles.values(), *locale.borrowed.values()]
    url_of: dict[PurePosixPath, str] = {}
    for page in pages:
        if page.source is not None:
            url_of[page.source.rel] = page.url
        if isinstance(page, Topic):
            url_of.setdefault(page.path / INDEX_NAME, page.url)
    found = {}
    for page in pages:
        done = rendered.get((code, page.path)) or rendered.get((lender, page.path))
        if done is not None and done.links:
            targets = (url_of.get(ref.target) for ref in done.links)
            found[page.url] = tuple(t for t in targets if t is not None)
    return found


def unanswered(site: Site, search: Mapping[str, SearchData], codes: Iterable[str]) -> list[Problem]:
    """Front matter `questions` whose article is not among the first QUESTION_TOP results of
    the site's own search (the ranking of the browser and `helpgen search`), located at the
    question's line."""
    found = []
    for code in codes:
        locale = site.locales[code]
        asked = [a for a in locale.articles.values() if a.meta.questions]
        if not asked or code not in search:
            continue
        searcher = searcher_of(search[code])
        for article in asked:
            missed = []
            for i, question in enumerate(article.meta.questions):
                hits = searcher.search(question, limit=QUESTION_TOP)
                if not any(hit.source == str(article.path) for hit in hits):
                    missed.append((i, question, [f"'{hit.title}'" for hit in hits]))
            lines = _item_lines(article.source, "questions") if missed else []
            found += [
                Problem(
                    f"searching '{question}' does not show this article in the first "
                    f"{QUESTION_TOP} results (it shows {'; '.join(shown) or 'nothing'})",
                    article.source.path,
                    lines[i] if i < len(lines) else article.source.line_of("questions"),
                    "if one of those pages answers it, move the question there; else use its "
                    "words in this article's title, headings or text (`helpgen search` shows "
                    "the ranking)",
                    "warning",
                    "question-unanswered",
                )
                for i, question, shown in missed
            ]
    return found


def searcher_of(data: SearchData) -> Searcher:
    """A Searcher over search data in memory, as `Searcher.from_folder` reads it written."""
    rows = [row for shard in data.shards for row in shard]
    sections = [section for chunk in data.sections for section in chunk]
    return Searcher(data.index, rows, sections, expand_pages(data.all_pages), data.sources)


def _item_lines(source: SourceFile, key: str) -> list[int]:
    """The line of each item of the front matter list `key` (none if the file cannot be
    read again as it was)."""
    try:
        lines = source.path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.SafeLoader)
    except (OSError, UnicodeError, StopIteration, yaml.YAMLError):
        return []
    for name, value in getattr(node, "value", ()):
        if name.value == key and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 2 for item in value.value]
    return []


def body_problems(site: Site, rendered: Mapping[PageKey, Rendered], key: PageKey) -> list[Problem]:
    """What a page's body holds that is wrong: its rendering's problems and its guide's.
    (Its links to anchors are checked against every page's, `anchors_of`.)"""
    page = site.locales[key[0]].page(key[1])
    found = list(rendered[key].problems)
    if page.source is not None and page.meta.type == "guide":
        found += guide.lint(guide.parse(page.body, page.body_line), page.source.path)
    return found


def anchors_of(
    site: Site, rendered: Mapping[PageKey, Rendered], code: str
) -> dict[PurePosixPath, frozenset[str]]:
    """The anchors a link in locale `code` may name, by the file it links to: the locale's own
    pages, then those it shows untranslated (rendered in the default locale); a link to a
    topic's folder stands for its index file."""
    locale = site.locales[code]
    lender = next(iter(site.locales))
    anchors: dict[PurePosixPath, frozenset[str]] = {}
    for owner, pages in ((code, [*locale.topics.items(), *locale.articles.items()]),
                         (lender, list(locale.borrowed.items()))):  # fmt: skip
        for path, page in pages:
            if page.source is None:
                continue
            done = rendered[(owner, path)].anchors
            anchors.setdefault(page.source.rel, done)
            if isinstance(page, Topic):
                anchors.setdefault(path / INDEX_NAME, done)
    return anchors


def as_configured(problems: Iterable[Problem], config: Config) -> list[Problem]:
    """With `broken_links = "warn"`, a broken link or anchor is a warning."""
    if config.broken_links != "warn":
        return list(problems)
    return [_as_warning(p) if p.code in BROKEN_LINK_CODES else p for p in problems]


def _title_and_description(source: SourceFile, meta: Meta) -> list[Problem]:
    """Empty or overlong `title` and `description` in front matter."""
    file = source.path
    found = []
    for key, value, limit in (
        ("title", source.meta.get("title"), TITLE_MAX),
        ("description", meta.description, DESCRIPTION_MAX),
    ):
        if key in source.meta and not str(value or "").strip():
            found.append(
                Problem(
                    f"'{key}' is empty",
                    file,
                    source.line_of(key),
                    f"write the {key} or remove the line",
                    "warning",
                    f"{key}-empty",
                )
            )
        elif value is not None and len(str(value)) > limit:
            found.append(
                Problem(
                    f"'{key}' is {len(str(value))} characters long; "
                    f"search engines show about {limit}",
                    file,
                    source.line_of(key),
                    f"shorten it to {limit} characters or fewer",
                    "warning",
                    f"{key}-long",
                )
            )
    return found


def notice_links(
    site: Site, rendered: Mapping[PageKey, Rendered], codes: Collection[str]
) -> list[Problem]:
    """[[notices]] whose `link` is neither a URL nor an article (and #anchor) of every locale
    that shows the notice, located at the `link` line of helpgen.toml."""
    config = site.config
    if not any(n.link for n in config.notices):
        return []
    problems = []
    for i, notice in enumerate(config.notices):
        if not notice.link or is_url(notice.link):
            continue
        found: dict[tuple[str, str, str, str], list[str]] = {}  # the problem -> its locales
        for code in codes:
            locale = site.locales[code]
            wrong = text_for(notice, code) is not None and _wrong_target(
                notice.link, locale, rendered
            )
            if wrong:
                found.setdefault(wrong, []).append(code)
        line = config_line(config, ("notices", i, "link"))
        problems += [
            Problem(
                f"notice '{notice.id}' links to {what} {', '.join(codes)}",
                config.source,
                line,
                hint,
                level,
                code,
            )
            for (what, hint, level, code), codes in found.items()
        ]
    return problems


def _wrong_target(
    link: str, locale: Locale, rendered: Mapping[PageKey, Rendered]
) -> tuple[str, str, str, str] | None:
    """(what is wrong, hint, level, code) about a notice's link in `locale`, or None."""
    where = target(link, locale)
    if where.why == "missing":
        hint = _closest(str(where.article), [str(p) for p in locale.articles])
        return f"'{where.article}', which is not an article in", hint, "error", "notice-link"
    if where.why == "elsewhere":
        what = f"'{where.article}', which is for another audience, in"
        return what, 'its banner has no "Read more" link there', "info", "link-audience"
    if where.fragment and where.article is not None:
        anchors = rendered[(locale.code, where.article)].anchors
        if where.fragment not in anchors:
            hint = did_you_mean(where.fragment, anchors) or ANCHOR_HINT
            what = f"'{where.article}#{where.fragment}', an anchor missing in"
            return what, hint, "error", "notice-link"
    return None


def _closest(path: str, known: list[str]) -> str:
    how = "an article's path below content/ (returns/return-policy.md), or an https:// URL"
    name = path.rsplit("/", 1)[-1]
    close = sorted(k for k in known if k.rsplit("/", 1)[-1] == name) or difflib.get_close_matches(
        path, known, n=1, cutoff=0.5
    )
    return f"did you mean '{close[0]}'? ({how})" if close else how


def _named_ids(source: SourceFile, meta: Meta, config: Config) -> list[Problem]:
    """Front matter `contact:` and `audience:` name channels and audiences that exist."""
    found = []
    for key, values, known in (
        ("contact", meta.contact, [c.id for c in config.channels]),
        ("audience", meta.audience, [a.id for a in config.audiences]),
    ):
        for value in values:
            if value not in known:
                what = "contact channel" if key == "contact" else "audience"
                found.append(
                    Problem(
                        f"no {what} has the id '{value}'",
                        source.path,
                        source.line_of(key),
                        did_you_mean(value, known)
                        or f"ids in helpgen.toml: {', '.join(known) or 'none'}",
                        code=f"{key}-unknown",
                    )
                )
    return found


def unused_routes(site: Site) -> list[Problem]:
    """A route whose topic globs match no topic in any locale (a typo, or a topic renamed)."""
    config = site.config
    topics = {path for loc in site.locales.values() for path in loc.topics}
    found = []
    for i, rule in enumerate(config.routes):
        for glob in rule.topics:
            if not any(topic_matches(glob, path) for path in topics):
                found.append(
                    Problem(
                        f"the route's topic pattern '{glob}' matches no topic",
                        config.source,
                        config_line(config, ("contact", "routes", i, "topics")),
                        "topic paths are folders below content/ (below content/<locale>/), "
                        "e.g. selling/** for selling and all below it",
                        "warning",
                        "route-unused",
                    )
                )
    return found


def untranslated(site: Site) -> list[Problem]:
    """One line per locale: how many of the default locale's articles it lacks (info)."""
    if len(site.locales) < 2:
        return []
    default = site.locales[site.config.default_locale]
    found = []
    for code, locale in site.locales.items():
        missing = sorted(str(p) for p in default.articles if p not in locale.articles)
        if code == default.code or not missing:
            continue
        found.append(
            Problem(
                f"{len(missing)} of {len(default.articles)} articles are not translated "
                f"into '{code}'",
                locale.root,
                None,
                "missing: " + ", ".join(missing),
                "info",
                "untranslated",
            )
        )
    return found


def written_twice(files: Iterable[Output]) -> list[Problem]:
    """Two outputs at one path (e.g. a content file named like a generated page)."""
    by_path: dict[str, list[Output]] = {}
    for f in files:
        by_path.setdefault(f.path, []).append(f)
    return [
        Problem(
            f"two files would be written to '{path}'",
            next((o.copy for o in outputs if o.copy is not None), None),
            None,
            "a content file or an alias takes the address of another page; rename one",
            code="output-collision",
        )
        for path, outputs in by_path.items()
        if len(outputs) > 1 and any(o.view is None for o in outputs)  # pages: assemble said it
    ]


def file_over_folder(site: Site, files: Iterable[Output]) -> list[Problem]:
    """A page whose folder is where another file is written (`index.html.md` beside its topic's
    index.html, `x.png.md` beside `x.png`), located at the source of the one below."""
    files = list(files)
    at = {f.path: f for f in files}
    clashes: dict[str, Output] = {}
    for f in files:
        if f.view is not None and f.view.page.kind == "redirect":
            continue  # an alias: alias_collisions() located it at its `aliases` line
        parts = f.path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i])
            if folder in at:
                clashes.setdefault(folder, f)
    return [
        Problem(
            f"'{folder}' would be written both as a file and as a folder holding '{below.path}'",
            _source(site, below) or _source(site, at[folder]),
            None,
            "rename the file, page or folder: one address cannot be a file and a folder",
            code="url-collision",
        )
        for folder, below in sorted(clashes.items())
    ]


def _source(site: Site, output: Output) -> Path | None:
    """The content file (or folder) an output is made from; None for helpgen's own files."""
    if output.copy is not None:
        roots = [loc.root.resolve() for loc in site.locales.values()]
        copied = output.copy.resolve()
        return output.copy if any(r == copied or r in copied.parents for r in roots) else None
    page = output.view.page if output.view is not None else None
    if page is None or page.source_path is None:
        return None
    locale = site.locales[output.view.locale.code]
    made = locale.page(page.source_path)
    return made.source.path if made.source else locale.root / page.source_path


def _as_warning(problem: Problem) -> Problem:
    return dataclasses.replace(problem, level="warning")
