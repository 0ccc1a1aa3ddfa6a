"""`helpgen merge`: the shards of a site built one locale at a time (`helpgen build --locale X`)
into one deployable folder.

Every shard holds the whole site's shared files (static/, sitemap.xml, robots.txt, the root
pages), so a file in several shards must be byte-identical in all of them; anything else means
they were built from different sources, and nothing is written. A precompressed copy (`.gz`,
`.br`) goes with its file: it is taken from the shard its file is taken from (the first given
that holds it), and every shard holding the file must hold the same copies. Shards' tools data
(search results' source paths, in `.NAME.helpgen/tools/` beside each) is merged the same way.

The output is written by `write.write`: beside it first, then file by file, keeping whatever
helpgen did not write there.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.sax.saxutils import unescape

from .compress import SUFFIXES
from .errors import HelpgenError, Problem, display_path
from .outdir import STATE_FILE, TOOLS, for_tools, state_dir
from .pages import Output, Outputs
from .quick import forget
from .write import SHOWN, check_out_dir, locked, recover, write

SITEMAP = "sitemap.xml"
SAME_BUILD = (
    "build every shard from the same commit, helpgen.toml and helpgen version, on the same day"
)


@dataclass(frozen=True)
class Shard:
    """One shard's files: site-root path -> where it is on disk (tools data included)."""

    folder: Path
    files: dict[str, Path]


@dataclass(frozen=True)
class MergeReport:
    out_dir: Path
    shards: int
    files: int  # in the deployable folder


def merge(folders: Sequence[Path], out_dir: Path, jobs: int | None = None) -> MergeReport:
    """Merge the shard `folders` into `out_dir`; HelpgenError, with nothing written, if they
    do not fit together."""
    out_dir = out_dir.resolve()
    _refuse_overlaps(folders, out_dir)
    check_out_dir(out_dir, folders[0], folders[0])  # a file in the way; a killed swap finished
    with ExitStack() as stack:
        for folder in sorted(f.resolve() for f in folders):  # one order for every merge
            if (state_dir(folder) / STATE_FILE).is_file():  # a helpgen output: read it whole
                stack.enter_context(locked(folder))
                recover(folder)
        shards = [_read(folder) for folder in folders]
        outputs = combine(shards)
        forget(state_dir(out_dir))  # no build's compile describes the merged site
        write(Outputs(tuple(outputs), templates=None), out_dir, jobs)  # type: ignore[arg-type]
    site = sum(not for_tools(o.path) for o in outputs)
    return MergeReport(out_dir, len(shards), site)


def combine(shards: Sequence[Shard]) -> list[Output]:
    """Every file of the merged site, each from the first shard holding it (a precompressed
    copy is held by the very shards that hold its file, so it comes from its file's shard);
    HelpgenError listing every file the shards disagree about."""
    holders: dict[str, list[Shard]] = {}
    for shard in shards:
        for rel in shard.files:
            holders.setdefault(rel, []).append(shard)
    copies = {rel for rel in holders if _base(rel) in holders}
    problems = [p for rel in sorted(holders) for p in _differences(rel, holders, copies)]
    problems += _sitemap_problems(shards, holders)
    if problems:
        if len(problems) > SHOWN:
            problems = [*problems[:SHOWN], Problem(f"and {len(problems) - SHOWN} more")]
        raise HelpgenError(problems)
    return [Output(rel, copy=holders[rel][0].files[rel]) for rel in sorted(holders)]


def _differences(rel: str, holders: dict[str, list[Shard]], copies: set[str]) -> list[Problem]:
    """What the shards holding `rel` disagree about: its bytes (a precompressed copy's are
    not compared: compressors differ between machines), which copies it has, and a copy held
    without its file."""
    found = [_orphan(s, rel) for s in holders[rel] if rel in copies and _base(rel) not in s.files]
    if len(holders[rel]) == 1:
        return found
    first = holders[rel][0].files[rel]
    versions: dict[str, list[Shard]] = {}
    for shard in holders[rel] if rel not in copies else ():
        versions.setdefault(_digest(shard.files[rel]), []).append(shard)
    if len(versions) > 1:
        hint = SAME_BUILD
        if rel == SITEMAP:
            hint = f"every shard's {SITEMAP} lists the whole site, so they must agree: {hint}"
        found.append(_differ(first, f"not the same in every shard ({_groups(versions)})", hint))
    kinds: dict[tuple[str, ...], list[Shard]] = {}
    for shard in holders[rel]:
        kinds.setdefault(_copies_of(shard, rel, copies), []).append(shard)
    if len(kinds) > 1:
        shown = "; ".join(
            f"{', '.join(_suffix(n) for n in names) or 'none'} in {_names(group)}"
            for names, group in kinds.items()
        )
        found.append(
            _differ(
                first,
                f"its precompressed copies are not the same in every shard ({shown})",
                "build every shard with the same options (all with --precompress or none)",
            )
        )
    return found


def _sitemap_problems(shards: Sequence[Shard], holders: dict[str, list[Shard]]) -> list[Problem]:
    """Every shard has the whole site's sitemap, or none does; each page it lists must be in
    some shard (else a locale's shard was left out)."""
    having = holders.get(SITEMAP, [])
    if not having:
        return []
    if len(having) < len(shards):
        lacking = [s for s in shards if s not in having]
        return [
            Problem(
                f"{SITEMAP} is in {_names(having)} but not in {_names(lacking)}",
                lacking[0].folder,
                hint=f"build every shard with the same base_url: {SAME_BUILD}",
                code="merge-differs",
            )
        ]
    listed = _sitemap_files(having[0].files[SITEMAP].read_bytes())
    missing = [(url, rel) for url, rel in listed if rel not in holders]
    if not missing:
        return []
    url, rel = missing[0]
    return [
        Problem(
            f"lists {len(missing)} page(s) no shard has, e.g. {url} ({rel})",
            having[0].files[SITEMAP],
            hint="merge the shards of every locale: is one missing?",
            code="merge-missing",
        )
    ]


def _sitemap_files(data: bytes) -> list[tuple[str, str]]:
    """(URL, site-root file) of each page a sitemap lists; URLs are base_url + a page's path,
    and the shortest (the root or home page) is base_url."""
    urls = [unescape(u) for u in re.findall(r"<loc>([^<]*)</loc>", data.decode("utf-8"))]
    if not urls:
        return []
    base = min(urls, key=len)
    pages = []
    for url in urls:
        if url.startswith(base):
            rel = unquote(url[len(base) :])
            pages.append((url, rel + "index.html" if rel.endswith("/") or not rel else rel))
    return pages


# --- reading shards ---------------------------------------------------------------------------
def _read(folder: Path) -> Shard:
    """A shard's files (links and special files refused); its tools data, if kept beside it."""
    files = {rel: path for rel, path in _walk(folder) if not for_tools(rel)}
    if not files:
        raise HelpgenError.at(
            "an empty shard",
            folder,
            hint="a shard is the folder `helpgen build --locale X -o FOLDER` wrote",
            code="merge-input",
        )
    tools = state_dir(folder) / TOOLS
    if tools.is_dir():
        files.update((rel, path) for rel, path in _walk(tools) if for_tools(rel))
    return Shard(folder, files)


def _walk(folder: Path) -> Iterator[tuple[str, Path]]:
    for here, dirs, names in os.walk(folder, onerror=_raise):
        for name in [*dirs, *names]:
            path = Path(here) / name
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                yield path.relative_to(folder).as_posix(), path
            elif not stat.S_ISDIR(mode):
                raise HelpgenError.at(
                    "a link or special file in a shard: merge copies files only",
                    path,
                    hint="remove it: shards are folders `helpgen build --locale` wrote",
                    code="merge-input",
                )


def _raise(exc: OSError) -> None:
    raise exc


def _refuse_overlaps(folders: Sequence[Path], out_dir: Path) -> None:
    """The output is none of the shards, inside none and holds none; no shard is in another."""
    seen: list[tuple[Path, Path]] = []
    for folder in folders:
        if not folder.is_dir():
            raise _bad_folder(folder)
        real = folder.resolve()
        if real.name.startswith(".") and real.name.endswith(".helpgen"):
            raise HelpgenError.at(
                "helpgen's record of an output folder, not a shard",
                folder,
                hint="give the shard folders only (a shell's `*` leaves out names with a dot)",
                code="merge-input",
            )
        if _overlap(real, out_dir):
            raise HelpgenError.at(
                f"refusing to merge into a shard, a folder holding one or a folder inside one "
                f"({display_path(folder)})",
                out_dir,
                hint="choose an output folder apart from the shards, e.g. -o build",
                code="output",
            )
        for other, other_real in seen:
            if _overlap(real, other_real):
                raise HelpgenError.at(
                    f"given twice, or inside another shard ({display_path(other)})",
                    folder,
                    hint="give each locale's shard folder once",
                    code="merge-input",
                )
        seen.append((folder, real))


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _bad_folder(folder: Path) -> HelpgenError:
    what = "a file, not a folder" if folder.exists() else "no such folder"
    return HelpgenError.at(
        f"{what}: a shard is a folder",
        folder,
        hint="give the folders `helpgen build --locale X -o FOLDER` wrote",
        code="merge-input",
    )


# --- small helpers ----------------------------------------------------------------------------
def _base(rel: str) -> str:
    """The file a precompressed copy is of: `a.html.gz` -> `a.html` (else "")."""
    return rel[: -len(suffix)] if (suffix := _suffix(rel)) else ""


def _suffix(rel: str) -> str:
    return next((s for s in SUFFIXES if rel.endswith(s)), "")


def _copies_of(shard: Shard, rel: str, copies: set[str]) -> tuple[str, ...]:
    return tuple(rel + s for s in SUFFIXES if rel + s in copies and rel + s in shard.files)


def _orphan(shard: Shard, rel: str) -> Problem:
    return Problem(
        f"a precompressed copy without its file ({_base(rel)}), which other shards have",
        shard.files[rel],
        hint=SAME_BUILD,
        code="merge-differs",
    )


def _differ(path: Path, message: str, hint: str) -> Problem:
    return Problem(message, path, hint=hint, code="merge-differs")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(shards: Sequence[Shard]) -> str:
    return ", ".join(display_path(s.folder) for s in shards)


def _groups(versions: dict[str, list[Shard]]) -> str:
    """`a, b vs c`: the shards holding each version."""
    return " vs ".join(_names(group) for group in versions.values())
