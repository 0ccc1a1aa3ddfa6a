"""The pipeline: load -> assemble -> render -> index -> pages, then write.

`compile()` runs every stage but `write` and returns what a command needs; `build()` writes the
result, `helpgen check` reports its problems, `helpgen serve` answers from it.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import check
from .assemble import assemble, assets_used, for_audience, only_used_assets
from .cache import CACHE_FILE, TEMPLATES_DIR, Cache, identity
from .cache import read as read_cache
from .cache import save as save_cache
from .config import Config, load_config
from .errors import HelpgenError, Problem
from .feed import atom, feed_url, has_feed
from .load import Sources, load
from .locales import guess_language
from .model import PageKey, Rendered, Site
from .notices import today
from .outdir import state_dir
from .pages import Output, Outputs, Templates, locale_title, pages
from .render import render
from .search.index import Part, SearchData, index
from .seo import robots
from .sitemap import sitemap
from .theme import Theme
from .workers import fork_map, no_collection
from .write import check_out_dir, locked, write

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Compiled:
    """Everything the stages produced: the model, each page's Rendered, the files, problems,
    and the build cache to keep for the next compile."""

    site: Site
    rendered: Mapping[PageKey, Rendered]
    outputs: Outputs
    problems: tuple[Problem, ...]
    cache: Cache
    search: Mapping[str, tuple[SearchData, Part]] = field(default_factory=dict)  # by locale

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def pages_per_locale(self) -> dict[str, int]:
        """HTML pages of each locale, redirects not counted."""
        counts = dict.fromkeys(self.site.locales, 0)
        for out in self.outputs.files:
            if out.view is not None and out.view.page.kind != "redirect":
                counts[out.view.locale.code] += 1
        return counts


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    pages: dict[str, int]  # locale -> HTML pages
    files: int
    made: int  # files made this time (the others were left as they were)
    seconds: float
    warnings: list[Problem]


def configure(
    root: Path, config_path: Path | None = None, overrides: dict[str, object] | None = None
) -> Config:
    """The site's Config: helpgen.toml (or `config_path`), with `overrides` for tests and tools."""
    config = load_config(root.resolve(), config_path.resolve() if config_path else None)
    return dataclasses.replace(config, **overrides) if overrides else config


def compile(
    root: Path,
    config: Config,
    skip: tuple[Path, ...] = (),
    jobs: int | None = None,
    progress: Progress | None = None,
    cache: Cache | None = None,
    compiled_templates: Path | None = None,
) -> Compiled:
    """Run every stage but `write`; every problem found is in the result. Raises HelpgenError
    only where no stage can go on (no content folder, a theme that is missing). `cache`: the
    last compile's, to render again only the pages whose inputs changed;
    `compiled_templates`: a folder to keep the theme's templates compiled in."""
    root = root.resolve()
    sources = load(config, skip=(*skip, root / "themes"))
    if not config.language_set:
        config = _guess_language(config, sources)
        sources = dataclasses.replace(
            sources, trees={config.default_locale: next(iter(sources.trees.values()))}
        )
    site, problems = assemble(sources, config)
    if config.audience is not None:
        if config.audience not in {a.id for a in config.audiences}:
            known = ", ".join(a.id for a in config.audiences) or "none"
            raise HelpgenError.at(
                f"no audience has the id '{config.audience}'",
                config.source,
                hint=f"audiences in helpgen.toml: {known}",
                code="config-value",
            )
        site = for_audience(site, config.audience)
    codes = _shard_locales(site, config.shard) if config.shard is not None else None
    theme = Theme.for_site(root, config.theme)
    templates = Templates(config, theme, list(site.locales), compiled_templates)
    cache = (cache or Cache("")).fresh(identity(config, theme.dirs))
    entries = render(
        site,
        {code: templates.strings[code]("permalink") for code in site.locales},
        jobs,
        (lambda d, t: progress("pages", d, t)) if progress else None,
        cache.pages,
        codes,
    )
    rendered = {key: entry.rendered for key, entry in entries.items()}
    used = assets_used(site, rendered)
    if config.audience is not None:  # a site for one audience ships only the files it uses
        site = only_used_assets(site, used)
    files = list(pages(site, rendered, templates, codes=codes))
    parts: dict[str, Part] = {}
    search, docs = index(site, rendered, jobs, cache.docs, [config.shard] if codes else None, parts)
    for code, data in search.items():
        prefix = site.locales[code].prefix
        files += [Output(f"{prefix}search/{n}", text) for n, text in data.files(config.offline)]
    for code, loc in site.locales.items():  # the Atom feed next to each What's new page
        if has_feed(loc):
            t = templates.strings[code]
            title = f"{locale_title(loc, config)} – {t('whats_new')}"
            files.append(Output(feed_url(loc), atom(site, code, title, t("whats_new_intro"))))
    if config.base_url:
        files.append(Output("sitemap.xml", sitemap(site)))
    files.append(Output("robots.txt", robots(config)))
    files += [Output(f"static/{name}", copy=path) for name, path in templates.static.items()]
    for loc in site.locales.values():
        files += [Output(f"{loc.prefix}{rel}", copy=path) for rel, path in loc.assets.items()]
        files += [  # the default locale's files where this one has none of its own
            Output(f"{loc.prefix}{rel}", copy=path)
            for rel, path in loc.fallback_assets.items()
            if (loc.code, rel) in used
        ]
    found = [*sources.problems, *problems, *check.lint(site, rendered, files, codes)]
    if config.shard is not None:
        files, found = _shard(site, config.shard, files, found)
    outputs = Outputs(tuple(files), templates)
    cache = Cache(cache.identity, entries, docs)
    searched = {code: (data, parts[code]) for code, data in search.items()}
    return Compiled(site, rendered, outputs, tuple(found), cache, searched)


def make_all(compiled: Compiled, jobs: int | None = None, sample: bool = False) -> list[Problem]:
    """Make every file without writing it: what only making a page finds (a template error).
    `sample`: only the first page of each template, for a quick look."""
    files = compiled.outputs.files
    indices: Sequence[int] = range(len(files))
    if sample:
        first = {type(f.view): i for i, f in reversed(list(enumerate(files))) if f.view}
        indices = sorted(first.values())

    def make(i: int) -> Problem | None:
        try:
            compiled.outputs.make(compiled.outputs.files[i])
        except HelpgenError as exc:
            return exc.problems[0]
        return None

    found = fork_map(make, indices, jobs)
    return list(dict.fromkeys(p for p in found if p is not None))  # once per template error


def build(
    root: Path,
    out_dir: Path | None = None,
    config_path: Path | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    overrides: dict[str, object] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Compile the site at `root` and write it to `out_dir` (default root/build). With
    `use_cache`, the last build's cache (beside the output) spares the work whose inputs did
    not change, and files that would come out the same are left as they are."""
    started = time.perf_counter()
    root = root.resolve()
    out_dir = (out_dir or root / "build").resolve()
    config = configure(root, config_path, overrides)
    check_out_dir(out_dir, config.content_dir, root)
    # builds into one folder take turns from reading its state on (a first one, with no state
    # to read, from writing on: one that fails leaves nothing beside the output)
    with locked(out_dir) if state_dir(out_dir).is_dir() else nullcontext():
        return _build(root, out_dir, config, strict, progress, jobs, use_cache, started)


def _build(
    root: Path,
    out_dir: Path,
    config: Config,
    strict: bool,
    progress: Progress | None,
    jobs: int | None,
    use_cache: bool,
    started: float,
) -> BuildReport:
    from . import quick  # it builds on this module's values

    state = state_dir(out_dir)
    where = state / CACHE_FILE
    skip = (out_dir, root / "themes")  # not content (compile skips them too)
    if use_cache and (report := quick.build(root, out_dir, state, config, skip, strict)):
        return dataclasses.replace(report, seconds=time.perf_counter() - started)
    day = today()
    whole = config.audience is None and config.shard is None  # the site, not a part of it
    read = quick.inputs(config, skip) if use_cache and whole else None
    with no_collection():  # one build's objects live until it ends
        cache = read_cache(where) if use_cache else None
        kept = state / TEMPLATES_DIR if use_cache else None
        compiled = compile(root, config, (out_dir,), jobs, progress, cache, kept)
        stop = [p for p in compiled.problems if p.stops(strict)]
        if stop:
            raise HelpgenError(stop)
        reuse = compiled.cache.identity if use_cache else None
        quick.forget(state)  # from here on the site in place may not be the one it describes
        made = write(compiled.outputs, out_dir, jobs, reuse, config.precompress)
    if not use_cache:
        where.unlink(missing_ok=True)
    else:
        token = cache.token if cache is not None else ""
        if not compiled.cache.unchanged(cache):
            token = save_cache(where, compiled.cache, cache)
        quick.save(state, compiled, read, day, token)
    return BuildReport(
        out_dir,
        compiled.pages_per_locale(),
        len(compiled.outputs.files),
        made,
        time.perf_counter() - started,
        compiled.warnings,
    )


def _shard_locales(site: Site, code: str) -> tuple[str, ...]:
    """The locales a shard (`build --locale CODE`) renders: its own, and the default one,
    whose pages it shows where it has no translation and whose pages the root ones are."""
    if code not in site.locales:
        raise HelpgenError.at(
            f"the site has no locale '{code}'",
            site.config.source,
            hint=f"locales: {', '.join(site.locales)}",
            code="config-value",
        )
    return tuple(dict.fromkeys((code, site.config.default_locale)))


def _shard(
    site: Site, code: str, files: list[Output], found: list[Problem]
) -> tuple[list[Output], list[Problem]]:
    """One locale's files and the shared ones (the same in every shard), and the problems
    not located in another locale's content (`build --locale`)."""
    others = [loc for c, loc in site.locales.items() if c != code]
    prefixes = tuple(loc.prefix for loc in others if loc.prefix)
    mine = [f for f in files if not f.path.startswith(prefixes)]
    roots = [loc.root for loc in others if loc.root != site.locales[code].root]

    def elsewhere(problem: Problem) -> bool:
        path = Path(problem.path) if problem.path else None
        return path is not None and any(path.is_relative_to(r) for r in roots)

    return mine, [p for p in found if not elsewhere(p)]


def _guess_language(config: Config, sources: Sources) -> Config:
    """A site without `language`: its text's script says which (titles weigh more)."""
    guessed = guess_language(
        f"{s.meta.get('title', '')} " * 3 + s.body
        for tree in sources.trees.values()
        for s in tree.pages
    )
    return dataclasses.replace(config, locales=(guessed,)) if guessed else config
