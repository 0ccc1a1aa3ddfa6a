"""A build after body edits: the last build's compile, kept beside the cache, with the edits in it.

A build that uses the cache saves what it compiled (`Snapshot`: the site model, each page's
Rendered without its HTML, the problems, each locale's search data, and what every content file
was by size and modification time) in `compile.pickle` beside the cache. The next build compares
the content folders with it; when the only changes are the bodies of pages (`patch.patch`), it
renders and makes those pages again, updates their locale's search data (`search.update`), and
writes only the files that changed. Anything else (a file added, removed or renamed, front
matter, the configuration, the theme, helpgen, another day, an output folder that is not as
helpgen left it) is a full build, which saves a new snapshot. A build that does not (`--no-cache`,
one locale, one audience) forgets it first: the snapshot always describes the site in place.
"""

from __future__ import annotations

import copyreg
import dataclasses
import datetime as dt
import os
import pickle
import secrets
import stat
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from .cache import CACHE_FILE, Cache, identity
from .cache import add as add_to_cache
from .config import Config
from .errors import HelpgenError, Problem
from .load import _wanted
from .model import Locale, PageKey, Rendered, Site
from .notices import today
from .outdir import for_tools, is_output
from .pages import Output, Outputs, Templates
from .patch import Page, patch, with_pages
from .pipeline import BuildReport, Compiled
from .search.index import PageDocs, SearchData, assemble, fold, page_rows
from .search.index import _digest as docs_digest
from .search.index import _page_docs as page_docs_of
from .theme import Theme
from .workers import no_collection
from .write import intact, write

SNAPSHOT_FILE = "compile.pickle"
CHANGES_FILE = "compile.delta.pickle"
FORMAT = 1

Inputs = dict[str, tuple[int, int]]  # a content file or folder -> its size and mtime (ns)


def _mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_mapping, (dict(m),)))  # the site model holds them


@dataclass(frozen=True)
class Snapshot:
    """A compile as the next build needs it to apply body edits (see the module's doc)."""

    identity: str
    day: dt.date
    inputs: Inputs
    site: Site
    rendered: dict[PageKey, Rendered]  # without html and sections, but those of no page
    problems: tuple[Problem, ...]
    search: dict[str, SearchData]
    docs: dict[PageKey, bytes]  # each indexed page's PageDocs, pickled
    pages: dict[str, int]  # HTML pages per locale, for the report
    files: int
    cache: str  # the token of the build cache it goes with
    token: str = ""  # of this file: the Changes saved beside it name it
    format: int = FORMAT


@dataclass(frozen=True)
class Changes:
    """What builds after the snapshot `base` changed (saved beside it, `compile.delta.pickle`):
    the content as last read, the problems, and the edited pages with their search data."""

    base: str
    inputs: Inputs
    problems: tuple[Problem, ...]
    pages: dict[PageKey, Page]
    rendered: dict[PageKey, Rendered]
    docs: dict[PageKey, bytes]
    search: dict[str, SearchData]


def inputs(config: Config, skip: tuple[Path, ...]) -> Inputs | None:
    """Every file and folder of the content that load may read, with its size and mtime (a
    folder's: -1, 0); None where a link is followed (its target may change unseen)."""
    found: Inputs = {}
    root = config.content_dir
    skipped = {p.resolve() for p in skip}
    todo = [(root, "")]
    while todo:
        here, rel = todo.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            return None
        for entry in entries:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(info.st_mode):
                return None
            folder = stat.S_ISDIR(info.st_mode)
            if not _wanted(entry.name, folder):
                continue
            path = f"{rel}{entry.name}"
            if folder:
                if Path(entry.path).resolve() in skipped or is_output(Path(entry.path)):
                    continue
                found[f"{path}/"] = (-1, 0)
                todo.append((Path(entry.path), f"{path}/"))
            else:
                found[path] = (info.st_size, info.st_mtime_ns)
    return found


def save(
    where: Path,
    compiled: Compiled,
    read: Inputs | None,
    day: dt.date,
    cache_token: str,
) -> None:
    """Keep `compiled` (made from the content as `read` found it) for the next build."""
    if read is None or not compiled.search:
        forget(where)
        return
    docs = compiled.cache.docs
    snapshot = Snapshot(
        compiled.cache.identity,
        day,
        read,
        compiled.site,
        {key: _light(r) for key, r in compiled.rendered.items()},
        compiled.problems,
        dict(compiled.search),
        {key: _pickled(docs[key][1]) for key in docs},
        compiled.pages_per_locale(),
        len(compiled.outputs.files),
        cache_token,
        secrets.token_hex(8),
    )
    _dump(where / SNAPSHOT_FILE, snapshot)
    (where / CHANGES_FILE).unlink(missing_ok=True)


def forget(where: Path) -> None:
    """Drop the snapshot: the site in place is not (or may not be) the one it describes."""
    (where / SNAPSHOT_FILE).unlink(missing_ok=True)
    (where / CHANGES_FILE).unlink(missing_ok=True)


def build(
    root: Path,
    out_dir: Path,
    where: Path,
    config: Config,
    skip: tuple[Path, ...],
    strict: bool,
) -> BuildReport | None:
    """The build of `root` into `out_dir`, written, when only bodies of pages changed since
    the snapshot in `where` (its `seconds` left 0); None where it takes a full build (nothing
    written then). Raises HelpgenError where the edit stops the build, as a full build would."""
    if config.audience is not None or config.shard is not None:
        return None
    with no_collection():
        snap, since = _read(where)
        if snap is None or snap.day != today():
            return None
        if not config.language_set:  # the language the full build guessed (patch re-checks it)
            config = dataclasses.replace(config, locales=snap.site.config.locales)
        theme = Theme.for_site(root, config.theme)
        if snap.site.config != config or identity(config, theme.dirs) != snap.identity:
            return None
        now = inputs(config, skip)
        if now is None or now.keys() != snap.inputs.keys() or not intact(out_dir):
            return None
        content = config.content_dir
        changed = [content / rel for rel, mark in now.items() if snap.inputs[rel] != mark]
        templates = Templates(config, theme, list(snap.site.locales))
        last = Compiled(snap.site, snap.rendered, Outputs((), templates), snap.problems, Cache(""))
        found = patch(last, changed, snap.day) if changed else None
        if changed and found is None:  # more than bodies
            return None
        new = last if found is None else found.compiled
        stop = [p for p in new.problems if p.stops(strict)]
        if stop:
            raise HelpgenError(stop)
        warnings = [p for p in new.problems if p.level == "warning"]
        if found is None:  # nothing changed
            return BuildReport(out_dir, snap.pages, snap.files, 0, 0.0, warnings)
        entries = dict(found.compiled.cache.pages)
        made = list(found.made.values())
        fresh = _documents(new.site, new.rendered, snap.docs, entries)
        search = {
            code: _indexed(new.site.locales[code], snap.docs, fresh, config)
            for code in {code for code, _ in fresh}
        }
        for code, data in search.items():
            prefix = new.site.locales[code].prefix
            made += [
                Output(f"{prefix}search/{name}", text)
                for name, text in data.files(config.offline)
                if not for_tools(name)
            ]
        if not add_to_cache(where / CACHE_FILE, snap.cache, entries, fresh, len(snap.rendered)):
            return None  # the cache's changes outgrew its delta: a full build saves it whole
        count = write(Outputs(tuple(made), templates), out_dir, 1, snap.identity,
                      config.precompress, some=True)  # fmt: skip
        pages = {key: new.site.locales[key[0]].page(key[1]) for key in entries}
        changes = Changes(
            snap.token, now, new.problems,
            {**since.pages, **pages},
            {**since.rendered, **{key: _light(new.rendered[key]) for key in entries}},
            {**since.docs, **{k: _pickled(d) for k, (_, d) in fresh.items()}},
            {**since.search, **search},
        )  # fmt: skip
        _dump(where / CHANGES_FILE, changes)
    return BuildReport(out_dir, snap.pages, snap.files, count, 0.0, warnings)


def _documents(
    site: Site, rendered: Mapping[PageKey, Rendered], docs: Mapping[PageKey, bytes],
    edited: Collection[PageKey],
) -> dict[PageKey, tuple[str, PageDocs]]:  # fmt: skip
    """The search documents of the edited pages that are indexed, with their digests."""
    return {
        key: (docs_digest(site.locales[key[0]], key[1], rendered),
              page_docs_of(site.locales[key[0]], key[1], rendered))
        for key in edited
        if key in docs
    }  # fmt: skip


def _indexed(
    locale: Locale, docs: Mapping[PageKey, bytes], fresh: Mapping[PageKey, tuple[str, PageDocs]],
    config: Config,
) -> SearchData:  # fmt: skip
    """The locale's search data with the edited pages' new documents, the others' as kept."""
    rows = page_rows(locale)
    found = [
        fresh[key][1] if key in fresh else pickle.loads(docs[key])
        for key in ((locale.code, path) for path, _ in rows)
    ]
    return assemble([row for _, row in rows], [fold(found)], config.synonyms)


def _light(rendered: Rendered) -> Rendered:
    """What a snapshot keeps of a page's Rendered: all but its HTML and sections' text, which
    only the page's own files and documents read (made again when it changes)."""
    return dataclasses.replace(rendered, html="", sections=())


def _read(where: Path) -> tuple[Snapshot | None, Changes]:
    """The snapshot in `where` with the changes saved beside it, and those changes."""
    snap = _load(where / SNAPSHOT_FILE)
    if not isinstance(snap, Snapshot) or snap.format != FORMAT:
        return None, _NONE
    since = _load(where / CHANGES_FILE)
    if not isinstance(since, Changes) or since.base != snap.token:
        return snap, _NONE
    snap = dataclasses.replace(
        snap,
        inputs=since.inputs,
        site=with_pages(snap.site, since.pages),
        rendered={**snap.rendered, **since.rendered},
        problems=since.problems,
        search={**snap.search, **since.search},
        docs={**snap.docs, **since.docs},
    )
    return snap, since


def _load(path: Path) -> object:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, damaged, of another version: a full build
        return None


def _dump(path: Path, value: object) -> None:
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(part, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, path)


_NONE = Changes("", {}, (), {}, {}, {}, {})


def _pickled(docs: PageDocs) -> bytes:
    return pickle.dumps(docs, pickle.HIGHEST_PROTOCOL)
