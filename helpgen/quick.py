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
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import BinaryIO, TypeVar

from .cache import CACHE_FILE, TEMPLATES_DIR, Cache, identity
from .cache import add as add_to_cache
from .config import Config
from .errors import HelpgenError, Problem
from .load import _wanted
from .model import Locale, PageKey, Rendered, Site
from .notices import today
from .outdir import for_tools, is_output
from .pages import Output, Outputs, Templates
from .patch import Page, derived, language_sample, patch
from .pipeline import BuildReport, Compiled
from .search.index import (
    PageDocs,
    SearchData,
    Wording,
    assemble,
    docs_digest,
    fold,
    page_docs_of,
    page_number,
    page_rows,
    topic_count,
)
from .search.update import SearchState, state_of, update
from .theme import Theme
from .workers import no_collection
from .write import intact, write

SNAPSHOT_FILE = "compile.pickle"
CHANGES_FILE = "compile.delta.pickle"
FORMAT = 7

V = TypeVar("V")
Inputs = dict[str, tuple[int, int]]  # a content file or folder -> its size and mtime (ns)


def _mapping(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda m: (_mapping, (dict(m),)))  # the site model holds them


@dataclass(frozen=True)
class Stored:
    """Bytes `start`..`end` of the snapshot file at `path`, read when asked (`_dump` writes
    them before the pickle that names them; `_read` says where the file is now). The file is
    replaced only by a build, which holds the output folder's lock, as the build reading it
    does."""

    path: str
    start: int
    end: int

    def __getitem__(self, span: slice) -> bytes:
        with open(self.path, "rb") as f:
            f.seek(self.start + span.start)
            return f.read(span.stop - span.start)


@dataclass(frozen=True)
class Packed(Mapping[PageKey, V]):
    """A value per page, pickled: all of them in one blob (`spans`: where each page's is), and
    those of pages edited since it was made. Saved, the blob stays in the file (`Stored`): a
    build reads and unpickles the values of the few pages it needs."""

    blob: bytes | Stored
    spans: dict[PageKey, tuple[int, int]]
    since: dict[PageKey, bytes] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, values: Mapping[PageKey, V]) -> Packed[V]:
        pickled = [_pickled(value) for value in values.values()]
        ends = [0]
        for data in pickled:
            ends.append(ends[-1] + len(data))
        spans = {key: (ends[i], ends[i + 1]) for i, key in enumerate(values)}
        return cls(b"".join(pickled), spans)

    def __getitem__(self, key: PageKey) -> V:
        if key in self.since:
            return pickle.loads(self.since[key])
        start, end = self.spans[key]
        return pickle.loads(self.blob[start:end])

    def __contains__(self, key: object) -> bool:
        return key in self.spans

    def __iter__(self) -> Iterator[PageKey]:
        return iter(self.spans)

    def __len__(self) -> int:
        return len(self.spans)

    def edited(self, values: Mapping[PageKey, V]) -> Packed[V]:
        """These values with those of the pages in `values` (all of them here already)."""
        fresh = {key: _pickled(value) for key, value in values.items()}
        return dataclasses.replace(self, since={**self.since, **fresh})


@dataclass(frozen=True)
class Snapshot:
    """A compile as the next build needs it to apply body edits (see the module's doc)."""

    identity: str
    day: dt.date
    inputs: Inputs
    site: Site
    rendered: Packed[Rendered]  # `_light`
    problems: tuple[Problem, ...]
    search: dict[str, tuple[SearchData, SearchState]]
    docs: Packed[PageDocs]
    pages: dict[str, int]  # HTML pages per locale, for the report
    files: int
    cache: str  # the token of the build cache it goes with
    token: str = ""  # of this file: the Changes saved beside it name it
    format: int = FORMAT


@dataclass(frozen=True)
class Changes:
    """The snapshot after builds that followed the snapshot `base` (saved beside it as
    `compile.delta.pickle`): what it shares with the base is written as a reference to it,
    and of its search data, the chunks and state that differ from the base's."""

    base: str
    snapshot: Snapshot  # its search data aside:
    search: bytes  # what changed in each locale's, pickled on its own (`_search_changes`)


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
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:  # gone while we looked
                return None
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
    """Keep `compiled` (made from the content as `read` found it; None: a part of the site, or
    content that may change unseen) for the next build."""
    if read is None or not compiled.search:
        forget(where)
        return
    docs = compiled.cache.docs
    snapshot = Snapshot(
        compiled.cache.identity,
        day,
        read,
        _bodiless(compiled.site),
        Packed.of({key: _light(r) for key, r in compiled.rendered.items()}),
        compiled.problems,
        {code: (data, state_of(part, data)) for code, (data, part) in compiled.search.items()},
        Packed.of({key: page for key, (_, page) in docs.items()}),
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
        base, snap = _read(where)
        if base is None or snap is None or snap.day != today():
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
        templates = Templates(config, theme, list(snap.site.locales), where / TEMPLATES_DIR)
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
        search = {}
        for code in {code for code, _ in fresh}:
            locale = new.site.locales[code]
            data, state, names = _searched(locale, snap.search[code], snap.docs, fresh, config)
            files = dict(data.files(config.offline, names))
            if names is not None and len(files) < len(names):  # a file fewer: a full build
                return None  # removes it
            search[code] = (data, state)
            made += [
                Output(f"{locale.prefix}search/{name}", text)
                for name, text in files.items()
                if not for_tools(name)
            ]
        count = write(Outputs(tuple(made), templates), out_dir, 1, snap.identity,
                      config.precompress, some=True)  # fmt: skip
        after = dataclasses.replace(
            snap,
            inputs=now,
            site=new.site,
            rendered=snap.rendered.edited({key: _light(new.rendered[key]) for key in entries}),
            problems=new.problems,
            search={**snap.search, **search},
            docs=snap.docs.edited({key: page for key, (_, page) in fresh.items()}),
        )
        token = add_to_cache(where / CACHE_FILE, snap.cache, entries, fresh, len(snap.rendered))
        _save_changes(where, base, dataclasses.replace(after, cache=token))
    return BuildReport(out_dir, snap.pages, snap.files, count, 0.0, warnings)


def _documents(
    site: Site, rendered: Mapping[PageKey, Rendered], docs: Mapping[PageKey, PageDocs],
    edited: Collection[PageKey],
) -> dict[PageKey, tuple[str, PageDocs]]:  # fmt: skip
    """The search documents of the edited pages that are indexed, with their digests."""
    found = {}
    for key in edited:
        if key in docs:
            locale, wording = site.locales[key[0]], Wording.of(key[0], site.config)
            found[key] = (docs_digest(locale, key[1], rendered, wording),
                          page_docs_of(locale, key[1], rendered, wording))  # fmt: skip
    return found


def _searched(
    locale: Locale,
    last: tuple[SearchData, SearchState],
    docs: Mapping[PageKey, PageDocs],
    fresh: Mapping[PageKey, tuple[str, PageDocs]],
    config: Config,
) -> tuple[SearchData, SearchState, set[str] | None]:
    """The locale's search data and state with the edited pages' new documents, and the names
    of its files that changed (None: any may have)."""
    data, state = last
    wording = Wording.of(locale.code, config)
    names: set[str] = set()
    for (code, path), (_, page) in fresh.items():
        if code != locale.code:
            continue
        old = docs[(code, path)]
        found = update(data, state, page_number(locale, path), old, page, wording,
                       offline=config.offline)  # fmt: skip
        if found is None:
            break
        data, state, changed = found
        names |= changed
    else:
        return data, state, names
    rows = page_rows(locale)
    pages = [  # a page's number of documents changed: the locale indexed again
        fresh[key][1] if key in fresh else docs[key]
        for key in ((locale.code, path) for path, _ in rows)
    ]
    part = fold(pages)
    data = assemble([row for _, row in rows], [part], wording, topic_count(locale))
    return data, state_of(part, data), None


def _bodiless(site: Site) -> Site:
    """The site without its pages' Markdown, which a build reads again from the files it
    renders; but for the pages whose text guesses the site's language, where it is guessed."""
    keep = set() if site.config.language_set else language_sample(site)

    def without(code: str, pages: Mapping[PurePosixPath, Page]) -> MappingProxyType:
        return MappingProxyType({
            path: page if page.source is None or (code, path) in keep else dataclasses.replace(
                page, body="", source=dataclasses.replace(page.source, body=""))
            for path, page in pages.items()
        })  # fmt: skip

    locales = {
        code: derived(
            loc,
            topics=without(code, loc.topics),
            articles=without(code, loc.articles),
            borrowed=without(code, loc.borrowed),
        )
        for code, loc in site.locales.items()
    }
    return dataclasses.replace(site, locales=MappingProxyType(locales))


def _light(rendered: Rendered) -> Rendered:
    """What a snapshot keeps of a page's Rendered: what a patch reads of the pages it does not
    render again (their anchors, links, files and problems)."""
    return Rendered("", (), (), rendered.links, rendered.anchors, rendered.assets,
                    rendered.problems)  # fmt: skip


def _read(where: Path) -> tuple[Snapshot | None, Snapshot | None]:
    """The snapshot saved whole in `where`, and the one after the builds since (the same
    where there were none)."""
    try:
        with open(where / SNAPSHOT_FILE, "rb") as f:
            f.seek(int.from_bytes(f.read(8), "little"))
            base = pickle.load(f)
    except Exception:  # missing, damaged, of another version: a full build
        return None, None
    if not isinstance(base, Snapshot) or base.format != FORMAT:
        return None, None
    here = str(where / SNAPSHOT_FILE)
    base = dataclasses.replace(base, **{
        name: dataclasses.replace(packed, blob=dataclasses.replace(packed.blob, path=here))
        for name, packed in (("rendered", base.rendered), ("docs", base.docs))
    })  # fmt: skip
    try:
        with open(where / CHANGES_FILE, "rb") as f:
            since = _Loader(f, _shared(base)).load()
    except FileNotFoundError:  # no build since
        return base, base
    except Exception:  # damaged: what the site in place is, is not known
        return None, None
    after = getattr(since, "snapshot", None)
    if (
        not isinstance(since, Changes)
        or since.base != base.token
        or not isinstance(after, Snapshot)
    ):
        return None, None
    changed = pickle.loads(since.search)
    search = {code: _with_changes(base.search[code], changed[code]) for code in changed}
    return base, dataclasses.replace(after, search={**base.search, **search})


Chunks = tuple[int, dict[int, list]]  # a list's length and the items that differ from the base's
SearchChanges = tuple[dict, tuple[Chunks, ...], list, dict, dict, list]


def _search_changes(
    base: tuple[SearchData, SearchState], now: tuple[SearchData, SearchState]
) -> SearchChanges:
    """What differs between a locale's search data and state and the base's (by value: an
    update makes again, equal, much of what an edit leaves as it was)."""
    (was, old), (data, state) = base, now

    def chunks(before: list, after: list) -> Chunks:
        return len(after), {
            i: item for i, item in enumerate(after) if i >= len(before) or item != before[i]
        }

    lists = [(was.shards, data.shards), (was.pages, data.pages), (was.sections, data.sections),
             (was.texts, data.texts)]  # fmt: skip
    cut = {key: value for key, value in state.cut.items() if old.cut.get(key) != value}
    gone = [key for key in old.cut if key not in state.cut]
    return data.index, tuple(chunks(*pair) for pair in lists), state.lengths, state.words, cut, gone


def _with_changes(
    base: tuple[SearchData, SearchState], changes: SearchChanges
) -> tuple[SearchData, SearchState]:
    """The base's search data and state with `changes` (`_search_changes`) made."""
    (was, old), (index, lists, lengths, words, cut, gone) = base, changes

    def made(before: list, chunks: Chunks) -> list:
        size, items = chunks
        return [items[i] if i in items else before[i] for i in range(size)]

    shards, pages, sections, texts = (
        made(before, chunks)
        for before, chunks in zip(
            (was.shards, was.pages, was.sections, was.texts), lists, strict=True
        )
    )
    data = dataclasses.replace(
        was, index=index, shards=shards, pages=pages, sections=sections, texts=texts
    )
    kept = {key: value for key, value in old.cut.items() if key not in gone}
    return data, SearchState(lengths, words, {**kept, **cut})


def _shared(snap: Snapshot) -> list[object]:
    """The parts of a snapshot that later ones share (each page, its Rendered and documents),
    in an order that only depends on the snapshot."""
    parts: list[object] = [snap.site.config]
    for loc in snap.site.locales.values():
        parts += (loc, *vars(loc).values())
        for pages in (loc.topics, loc.articles, loc.borrowed):
            parts += (*pages, *pages.values())
    for packed in (snap.rendered, snap.docs):
        parts += (packed.blob, packed.spans, *packed.spans)
    return parts


class _Saver(pickle.Pickler):
    """Writes a reference in place of each part of `shared` (`_shared` of the base)."""

    def __init__(self, file: BinaryIO, shared: list[object]) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.shared = shared  # alive while pickling: no id is reused
        self.ids = {id(part): i for i, part in enumerate(shared)}

    def persistent_id(self, obj: object) -> int | None:
        return self.ids.get(id(obj))


class _Loader(pickle.Unpickler):
    """Reads what `_Saver` wrote, its references to the parts of `shared`."""

    def __init__(self, file: BinaryIO, shared: list[object]) -> None:
        super().__init__(file)
        self.shared = shared

    def persistent_load(self, pid: object) -> object:
        return self.shared[pid]  # type: ignore[index]


def _save_changes(where: Path, base: Snapshot, snapshot: Snapshot) -> None:
    search = {
        code: _search_changes(base.search[code], found)
        for code, found in snapshot.search.items()
        if found is not base.search[code]
    }
    changes = Changes(
        base.token,
        dataclasses.replace(snapshot, search={}),
        pickle.dumps(search, pickle.HIGHEST_PROTOCOL),  # at C's pace: no reference to look up
    )
    path = where / CHANGES_FILE
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(part, "wb") as f:
        _Saver(f, _shared(base)).dump(changes)
    os.replace(part, path)


def _dump(path: Path, snapshot: Snapshot) -> None:
    """The snapshot's blobs, then the snapshot naming them (`Stored`); the first 8 bytes say
    where the pickle starts."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(part, "wb") as f:
        f.write(bytes(8))
        stored = {}
        for name in ("rendered", "docs"):
            packed = getattr(snapshot, name)
            start = f.tell()
            f.write(packed.blob)
            blob = Stored("", start, f.tell())
            stored[name] = dataclasses.replace(packed, blob=blob)
        start = f.tell()
        pickle.dump(dataclasses.replace(snapshot, **stored), f, protocol=pickle.HIGHEST_PROTOCOL)
        f.seek(0)
        f.write(start.to_bytes(8, "little"))
    os.replace(part, path)


def _pickled(value: object) -> bytes:
    return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
