"""The build cache: what a clean build would compute again, kept beside the output.

For `build/` it lives in `.build.helpgen/cache.pickle` (see outdir.py), the entries changed since
it was written whole in `cache.delta.pickle` (an edit saves little). It holds each page's
`Rendered`, keyed by a digest of everything its Markdown was rendered from, with the link
lookups it made (`Lookup`): an entry is reused only if every one of them still resolves the
same way, so adding, renaming or deleting a page re-renders exactly the pages that link to it.
The whole cache is dropped when helpgen, its libraries, the configuration or the theme change
(`identity`). Which output files are unchanged is write.py's business (their fingerprints).

A cache that cannot be read is ignored (and replaced): it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import markdown
import nh3
import pymdownx

from . import __version__
from .config import Config
from .links import Resolved
from .model import PageKey, Rendered
from .workers import no_collection

CACHE_FILE = "cache.pickle"
TEMPLATES_DIR = "templates"  # beside it: the theme's templates, compiled
FORMAT = 1
DELTA_SHARE = 0.1  # pages changed since the cache was written whole, at most, for a Delta


@dataclass(frozen=True)
class Lookup:
    """One `links.resolve` call a rendering made: its arguments and what it answered."""

    href: str
    line: int
    image: bool
    answer: Resolved


@dataclass(frozen=True)
class Entry:
    """A page's Rendered, the digest of its inputs and the link lookups it made; `targets`:
    the digest of its locale's link targets then (the same now: every lookup holds)."""

    digest: str
    lookups: tuple[Lookup, ...]
    rendered: Rendered
    targets: str = ""


@dataclass
class Cache:
    """Rendered pages of the last build, and their search documents, for a site whose
    identity is `identity`."""

    identity: str
    pages: dict[PageKey, Entry] = field(default_factory=dict)
    docs: dict[PageKey, tuple[str, Any]] = field(default_factory=dict)  # search.index.Known
    token: str = ""  # of the whole file it was read from ("": none)
    changed: frozenset[PageKey] = frozenset()  # keys whose entries differ from that file's

    def unchanged(self, since: Cache | None) -> bool:
        """Whether this cache holds just what `since` did (the same entries): nothing to save."""
        return since is not None and self.identity == since.identity and not self.differ(since)

    def differ(self, since: Cache) -> set[PageKey]:
        """The pages whose entry or documents are not the very objects `since` has (a reused
        entry is)."""
        keys = self.pages.keys() | since.pages.keys() | self.docs.keys() | since.docs.keys()
        return {
            key
            for key in keys
            if self.pages.get(key) is not since.pages.get(key)
            or _docs(self.docs.get(key)) is not _docs(since.docs.get(key))
        }

    def fresh(self, identity: str) -> Cache:
        """This cache if it was made for `identity`, else an empty one."""
        return self if self.identity == identity else Cache(identity)


def identity(config: Config, theme_dirs: Iterable[Path]) -> str:
    """What every cached result depends on: helpgen and its libraries, the configuration and
    every file of the theme."""
    digest = hashlib.sha256(_code_identity().encode())
    digest.update(repr(config).encode())
    for folder in theme_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            digest.update(f"\0{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def _code_identity() -> str:
    """helpgen's version and source files, and the versions of the libraries that render
    (their modules' own: reading a package's metadata costs more than the rest)."""
    digest = hashlib.sha256(f"{FORMAT} {__version__}".encode())
    for module in (jinja2, markdown, nh3, pymdownx):
        digest.update(f"{module.__name__} {module.__version__}\n".encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def page_digest(*parts: object) -> str:
    """A digest of the values a page's rendering depends on (their reprs, in order)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class Delta:
    """The entries that changed since the cache with token `base` was written (None: gone)."""

    base: str
    pages: dict[PageKey, Entry | None]
    docs: dict[PageKey, tuple[str, Any] | None]


def read(path: Path) -> Cache | None:
    """The cache saved at `path` (with the changes saved since beside it), None if there is
    none or it cannot be read."""
    with no_collection():
        found = _load(path)
        if not isinstance(found, Cache):
            return None
        delta = _load(_delta_path(path))
    if isinstance(delta, Delta) and delta.base == found.token:
        for into, changes in ((found.pages, delta.pages), (found.docs, delta.docs)):
            for key, value in changes.items():
                if value is None:
                    into.pop(key, None)
                else:
                    into[key] = value
        found.changed = frozenset(delta.pages)
    return found


def save(path: Path, new: Cache, since: Cache | None = None) -> str:
    """Save `new`, the cache of a build that read `since`. Where few pages changed since the
    whole cache was last written, only those are written, beside it (a Delta); else the cache
    is written whole, as a new base. Either is replaced whole or not at all (builds at once
    each write their own part). Returns the token of the whole cache saved or kept."""
    if since is not None and since.token and since.identity == new.identity:
        changed = since.changed | new.differ(since)
        if len(changed) <= DELTA_SHARE * max(len(new.pages), 1):
            pages = {key: new.pages.get(key) for key in changed}
            _dump(
                _delta_path(path), Delta(since.token, pages, {k: new.docs.get(k) for k in changed})
            )
            return since.token
    new.token, new.changed = secrets.token_hex(8), frozenset()
    _dump(path, new)
    _delta_path(path).unlink(missing_ok=True)
    return new.token


def add(
    path: Path,
    token: str,
    pages: dict[PageKey, Entry],
    docs: dict[PageKey, tuple[str, Any]],
    total: int,
) -> str:
    """Save the entries of `pages` and `docs` beside the whole cache `token` (in its Delta)
    without reading it; where the Delta would then hold more than DELTA_SHARE of the `total`
    pages, the cache is read and written whole with them. Returns the whole cache's token."""
    delta = _load(_delta_path(path))
    if not isinstance(delta, Delta) or delta.base != token:
        delta = Delta(token, {}, {})
    merged = Delta(token, {**delta.pages, **pages}, {**delta.docs, **docs})
    if len(merged.pages) <= DELTA_SHARE * max(total, 1):
        _dump(_delta_path(path), merged)
        return token
    whole = read(path)
    if whole is None:  # nothing to add them to: the next full build renders them again
        _delta_path(path).unlink(missing_ok=True)
        return token
    whole.pages.update(pages)
    whole.docs.update(docs)
    return save(path, whole)


def _docs(value: tuple[str, Any] | None) -> Any:
    return value[1] if value is not None else None


def _delta_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.delta{path.suffix}")


def _load(path: Path) -> object:
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, damaged, from another version: only time is lost
        return None


def _dump(path: Path, value: object) -> None:
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(part, "wb") as f:
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, path)
