"""The build cache: what a clean build would compute again, kept beside the output.

For `build/` it lives in `.build.helpgen/cache.pickle` (see outdir.py). It holds each page's
`Rendered`, keyed by a digest of everything its Markdown was rendered from, with the link
lookups it made (`Lookup`): an entry is reused only if every one of them still resolves the
same way, so adding, renaming or deleting a page re-renders exactly the pages that link to it.
The whole cache is dropped when helpgen, its libraries, the configuration or the theme change
(`identity`). Which output files are unchanged is write.py's business (their fingerprints).

A cache that cannot be read is ignored (and replaced): it only ever saves time.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from . import __version__
from .config import Config
from .links import Resolved
from .model import PageKey, Rendered
from .workers import no_collection

CACHE_FILE = "cache.pickle"
FORMAT = 1


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

    def unchanged(self, since: Cache | None) -> bool:
        """Whether this cache holds just what `since` did (the same entries): nothing to save."""
        return (
            since is not None
            and self.identity == since.identity
            and self.pages.keys() == since.pages.keys()
            and self.docs.keys() == since.docs.keys()
            and all(entry is since.pages[key] for key, entry in self.pages.items())
            and all(docs[1] is since.docs[key][1] for key, docs in self.docs.items())
        )

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
    """helpgen's version and source files, and the versions of the libraries that render."""
    digest = hashlib.sha256(f"{FORMAT} {__version__}".encode())
    for name in ("markdown", "pymdown-extensions", "lunr", "jinja2", "nh3"):
        try:
            digest.update(f"{name} {importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name} -\n".encode())
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


def read(path: Path) -> Cache | None:
    """The cache saved at `path`, None if there is none or it cannot be read."""
    try:
        with no_collection(), open(path, "rb") as f:
            data = pickle.load(f)
    except Exception:  # missing, damaged, from another version: only time is lost
        return None
    return data if isinstance(data, Cache) else None


def save(path: Path, cache_: Cache) -> None:
    """Save the cache whole or not at all (builds at once each write their own part)."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    with open(part, "wb") as f:
        pickle.dump(cache_, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(part, path)
