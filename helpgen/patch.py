"""A body-only edit applied to the last compile: `helpgen serve`'s fast path.

When every changed file is a page the last compile has, and only its body changed (its front
matter, parsed, and its title are the same), nothing but that page differs: its Markdown is
rendered again, its own files (its page, and its copies shown untranslated in other locales)
are made again, and its own problems found again. Every other page's view uses titles and
front matter only, so it stays as it was. The search data of its locale is out of date until
`search_again`. Anything else is `None`: compile again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections import ChainMap
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from .assemble import assemble_locale
from .cache import Cache
from .check import anchors_of, as_configured, body_problems
from .errors import HelpgenError, Problem
from .links import missing_anchors
from .load import INDEX_NAME, ContentTree, read_source
from .locales import guess_language
from .model import Article, Locale, PageKey, Rendered, Site, Topic
from .notices import today
from .pages import Output, Outputs, Templates, page_outputs
from .pipeline import Compiled
from .render import render_pages
from .search.index import index

Page = Topic | Article
_DERIVED = ("_ranks", "_audiences", "_borrowed_below")  # Locale's cached views of titles/meta
_SAMPLE = 20_000  # letters guess_language reads


@dataclass(frozen=True)
class Patched:
    """The compile with the edit in it; `made`: the files made again, by path; `stale`: the
    locales whose search data no longer matches their pages."""

    compiled: Compiled
    made: Mapping[str, Output]
    stale: frozenset[str]

    @property
    def changed(self) -> frozenset[str]:
        """The paths of the files made again."""
        return frozenset(self.made)


def relevant(compiled: Compiled, paths: Iterable[Path]) -> list[Path]:
    """The changed paths the site may depend on: not an editor's leftovers in content/ (a
    hidden or backup file, a file already gone that the site never had)."""
    site = compiled.site
    content = Path(site.config.content_dir)
    found = []
    for path in map(Path, map(os.path.abspath, paths)):
        if path.is_relative_to(content) and not _known(site, path):
            rel = path.relative_to(content)
            if any(p.startswith((".", "_")) for p in rel.parts[:-1]):
                continue
            if rel.name.startswith(".") or rel.name.endswith("~") or not os.path.lexists(path):
                continue
        found.append(path)
    return found


def patch(
    compiled: Compiled, paths: Collection[Path], day: dt.date | None = None
) -> Patched | None:
    """The compile with the body edits of `paths` in it; None where they are more than that."""
    site, config = compiled.site, compiled.site.config
    if config.audience is not None or config.shard is not None or not paths:
        return None
    edits: dict[PageKey, Page] = {}
    for path in paths:
        key = _page_at(site, Path(os.path.abspath(path)))
        page = _reread(site, key) if key is not None else None
        if page is None:
            return None
        edits[key] = page
    if not config.language_set and _language_changes(site, edits):
        return None
    new_site = _with_pages(site, edits)
    templates = compiled.outputs.templates
    codes = {code for code, _ in edits}
    permalink = {c: templates.strings[c]("permalink") for c in codes}
    entries = render_pages(new_site, list(edits), permalink)
    fresh: dict[PageKey, Rendered] = {}
    for key, entry in entries.items():
        before = compiled.rendered[key]
        if entry.rendered.assets != before.assets:  # files shipped or unused: compile again
            return None
        if _targets(entry.rendered) != _targets(before):  # how far pages are from home moves
            return None
        if entry.rendered.anchors != before.anchors and _anchored(site, compiled.rendered, key):
            return None
        fresh[key] = entry.rendered
    rendered = _with(compiled.rendered, fresh)
    outputs = _outputs(new_site, rendered, templates, edits, day or today())
    files = tuple(
        outputs.get(o.path, o) if o.view is not None else o for o in compiled.outputs.files
    )
    problems = list(compiled.problems)
    for key in edits:  # each problem the page had once, then the ones it has now
        for problem in own_problems(site, compiled.rendered, key):
            if problem in problems:
                problems.remove(problem)
    problems += [p for key in edits for p in own_problems(new_site, rendered, key)]
    cache = Cache(compiled.cache.identity, {**compiled.cache.pages, **entries}, compiled.cache.docs)
    patched = Compiled(new_site, rendered, Outputs(files, templates), tuple(problems), cache)
    return Patched(patched, outputs, frozenset(codes))


def _with(
    rendered: Mapping[PageKey, Rendered], fresh: dict[PageKey, Rendered]
) -> Mapping[PageKey, Rendered]:
    """`rendered` with the pages `fresh` in it: a dict copied, any other mapping (a snapshot's,
    which reads a page when asked) laid under them, unread."""
    if isinstance(rendered, dict):
        return {**rendered, **fresh}
    return ChainMap(fresh, rendered)  # type: ignore[arg-type]


def search_again(compiled: Compiled, codes: Collection[str]) -> tuple[Compiled, frozenset[str]]:
    """The compile with the search data of the locales `codes` made again (in this process),
    and the paths of that data."""
    site = compiled.site
    data, docs = index(site, compiled.rendered, 1, compiled.cache.docs, codes)
    made: dict[str, list[Output]] = {
        code: [
            Output(f"{site.locales[code].prefix}search/{name}", text)
            for name, text in found.files(site.config.offline)
        ]
        for code, found in data.items()
    }
    files: list[Output] = []
    for output in compiled.outputs.files:
        code = _search_file(site, output, data)
        if code is None:
            files.append(output)
        elif code in made:  # the first of the locale's old files: all its new ones instead
            files += made.pop(code)
    old = compiled.cache
    cache = Cache(old.identity, old.pages, {**old.docs, **docs})
    outputs = Outputs(tuple(files), compiled.outputs.templates)
    searched = dataclasses.replace(compiled, outputs=outputs, cache=cache)
    changed = {o.path for o in files if _search_file(site, o, data) is not None}
    return searched, frozenset(changed)


def own_problems(site: Site, rendered: Mapping[PageKey, Rendered], key: PageKey) -> list[Problem]:
    """What `check.lint` finds in a page's body: its rendering's problems, its guide's, and
    its links to anchors that are missing."""
    locale = site.locales[key[0]]
    source = locale.page(key[1]).source
    assert source is not None
    links = [
        (source.path, r)
        for r in rendered[key].links
        if r.fragment and r.target not in locale.unreadable
    ]
    found = body_problems(site, rendered, key)
    if links:  # the anchors of every page are looked up only for a link to one
        found += missing_anchors(links, anchors_of(site, rendered, key[0]))
    return as_configured(found, site.config)


# --- what the site has ------------------------------------------------------------------------
def _located(site: Site, path: Path) -> tuple[Locale, PurePosixPath] | None:
    """The locale whose content folder holds `path`, and its path there."""
    for loc in site.locales.values():
        if path.is_relative_to(loc.root):
            return loc, PurePosixPath(path.relative_to(loc.root).as_posix())
    return None


def _page_at(site: Site, path: Path) -> PageKey | None:
    """The page made from the file at `path`, if any."""
    found = _located(site, path)
    if found is None:
        return None
    loc, rel = found
    for key in (rel, rel.parent):
        page = loc.articles.get(key) or loc.topics.get(key)
        if page is not None and page.source is not None and page.source.path == path:
            return loc.code, key
    return None


def _known(site: Site, path: Path) -> bool:
    """Whether the site was made from the file or folder at `path` (or knows it unreadable)."""
    found = _located(site, path)
    if found is None:
        return False
    loc, rel = found
    return (
        _page_at(site, path) is not None
        or rel in loc.assets
        or rel in loc.topics
        or rel in loc.unreadable
    )


def _reread(site: Site, key: PageKey) -> Page | None:
    """The page with its file read again; None unless only its body changed."""
    code, path = key
    locale = site.locales[code]
    old = locale.page(path)
    source = old.source
    assert source is not None
    limit = site.config.max_article_kb
    try:
        if limit is not None and os.stat(source.path).st_size > limit * 1024:
            return None
        new = read_source(source.path, source.rel)
    except (HelpgenError, OSError):
        return None
    if (new.meta, new.meta_lines) != (source.meta, source.meta_lines):
        return None
    one = assemble_locale(code, ContentTree(locale.root, (new,), {}), locale.prefix, [])
    fresh = one.topics[path] if isinstance(old, Topic) else one.articles[path]
    if (fresh.title, fresh.meta, fresh.url) != (old.title, old.meta, old.url):
        return None
    return dataclasses.replace(old, source=new, body=fresh.body, body_line=fresh.body_line)


def _with_pages(site: Site, edits: Mapping[PageKey, Page]) -> Site:
    """The site with the pages of `edits`, in their own locale and where others borrow them."""
    locales = dict(site.locales)
    for (code, path), page in edits.items():
        loc = locales[code]
        kind = "topics" if isinstance(page, Topic) else "articles"
        locales[code] = derived(loc, **{kind: MappingProxyType({**getattr(loc, kind), path: page})})
        if code != site.config.default_locale:
            continue
        for other, loc in locales.items():
            if path in loc.borrowed:
                lent = dataclasses.replace(page, url=loc.borrowed[path].url)
                locales[other] = derived(
                    loc, borrowed=MappingProxyType({**loc.borrowed, path: lent})
                )
    return dataclasses.replace(site, locales=MappingProxyType(locales))


def derived(locale: Locale, **changes: object) -> Locale:
    """The locale with `changes`, keeping what it worked out from titles and front matter."""
    new = dataclasses.replace(locale, **changes)
    for name in _DERIVED:
        if name in locale.__dict__:
            new.__dict__[name] = locale.__dict__[name]
    return new


def language_sample(site: Site) -> set[PageKey]:
    """The pages whose text compile's guess of the site's language reads (the first _SAMPLE
    letters of the default locale's pages, in load order): only an edit to one of them can
    change the guess."""
    return _sample(site.config.default_locale, _in_load_order(site))


def _sample(code: str, pages: list[Page]) -> set[PageKey]:
    """`language_sample` of the default locale's `pages`, in load order."""
    sample: set[PageKey] = set()
    letters = 0
    for page in pages:
        if letters > _SAMPLE:
            break
        sample.add((code, page.path))
        letters += sum(map(str.isalpha, _text(page)))
    return sample


def _language_changes(site: Site, edits: Mapping[PageKey, Page]) -> bool:
    """Whether compile's guess of the site's language changes with `edits` (or may: an edit
    that leaves the sample short makes the guess read on, into pages a kept compile may hold
    without their Markdown, `quick._bodiless`)."""
    code, pages = site.config.default_locale, _in_load_order(site)
    sample = _sample(code, pages)
    if not sample & edits.keys():
        return False
    edited = [edits.get((code, p.path), p) for p in pages]
    read = [page for page in edited if (code, page.path) in sample]
    if len(read) < len(pages) and sum(sum(map(str.isalpha, _text(p))) for p in read) <= _SAMPLE:
        return True
    return guess_language(map(_text, pages)) != guess_language(map(_text, edited))


def _in_load_order(site: Site) -> list[Page]:
    """The default locale's pages made from a file, in the order load reads them."""
    loc = site.default
    pages = [p for p in [*loc.topics.values(), *loc.articles.values()] if p.source is not None]
    pages.sort(key=lambda p: _walk_order(str(p.source.rel)))  # type: ignore[union-attr]
    return pages


def _text(page: Page) -> str:
    """What the language guess reads of a page."""
    assert page.source is not None
    return f"{page.source.meta.get('title', '')} " * 3 + page.source.body


def _walk_order(rel: str) -> str:
    """A key that sorts paths in load's order: a folder's files by name, then its folders."""
    folder, _, name = rel.rpartition("/")
    parents = "\x01" + folder.replace("/", "\x00\x01") + "\x00" if folder else ""
    return f"{parents}\x00{name}"


def _targets(rendered: Rendered) -> frozenset[PurePosixPath]:
    """The files a page's text links to."""
    return frozenset(ref.target for ref in rendered.links)


def _anchored(site: Site, rendered: Mapping[PageKey, Rendered], key: PageKey) -> bool:
    """Whether the page's anchors matter elsewhere: another page (where it is shown) or a
    notice links to one, or pages shown untranslated beside it are linked to its sections."""
    code, path = key
    locale = site.locales[code]
    if code != site.config.default_locale and locale.borrowed:
        return True
    if any(n.link for n in site.config.notices):
        return True
    source = locale.page(path).source
    targets = {path, path / INDEX_NAME} | ({source.rel} if source else set())
    shown = {c for c, loc in site.locales.items() if c == code or path in loc.borrowed}
    return any(
        ref.fragment and ref.target in targets
        for (c, other), done in rendered.items()
        if c in shown and (c, other) != key
        for ref in done.links
    )


# --- files ------------------------------------------------------------------------------------
def _outputs(
    site: Site,
    rendered: Mapping[PageKey, Rendered],
    templates: Templates,
    edits: Mapping[PageKey, Page],
    day: dt.date,
) -> dict[str, Output]:
    """The page files of the edited pages, and of their copies in other locales."""
    keys = [*edits]
    for code, path in edits:
        if code == site.config.default_locale:
            keys += [(other, path) for other, loc in site.locales.items() if path in loc.borrowed]
    return {out.path: out for out in page_outputs(site, rendered, templates, keys, day)}


def _search_file(site: Site, output: Output, codes: Collection[str]) -> str | None:
    """The locale (of `codes`) whose search data `output` is, if it is."""
    if output.view is not None or output.copy is not None:
        return None
    for code in codes:
        if output.path.startswith(f"{site.locales[code].prefix}search/"):
            return code
    return None
