"""Write stage: the site into its output folder file by file, keeping what helpgen did not write.

Every file is made first in `.NAME.helpgen/next/` beside the output (see outdir.py), so a failed
build changes nothing. Then the swap is planned and saved as a journal, and run: files helpgen
wrote last time that the new site no longer has are removed, helpgen's folders left empty go,
folders are created, and each new file replaces the old one atomically (os.replace); an output
folder that does not exist yet is the site made, renamed at once. Every step can be done twice,
so a build killed at any point is finished by the next one from the journal.
A file made the same way as the one in place (its fingerprint: view, text or copied file, and
the theme and configuration), or with the same bytes, is not made again nor moved: the file in
place keeps its inode and mtime, so tools that sync by date send only what changed.

The output folder itself (its mode and owner) and whatever else is in it (a deployer's files,
empty folders, links) are left as they are; something of theirs where the site needs a file or a
folder is a located error before anything is touched. helpgen never deletes, or writes through,
what it did not write. Builds into one folder take turns (a lock beside it).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import pickle
import re
import shutil
import stat
import sys
import threading
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from .compress import compressed
from .errors import HelpgenError, Problem, display_path
from .outdir import LEGACY_MARKER, STATE_FILE, TOOLS, for_tools, state_dir
from .pages import Output, Outputs
from .workers import fork_map

try:
    import fcntl
except ImportError:  # pragma: no cover - no flock (Windows): builds do not take turns
    fcntl = None  # type: ignore[assignment]

_HELD = threading.local()  # the state folders whose lock this thread holds
NEXT = "next"  # in the state folder: the site being made (site/) and its tools data (tools/)
LOCK_PATIENCE = 1.0  # seconds to wait for another build before saying so
SHOWN = 20  # paths in the way, listed in one error


@dataclass(frozen=True)
class Record:
    """What helpgen put in the output folder: its files and the folders it created; `marks`:
    what made each file (`fingerprint`) and its size and mtime once in place, so that a build
    with the same fingerprint leaves the file as it is."""

    files: frozenset[str] = frozenset()
    folders: frozenset[str] = frozenset()
    marks: Mapping[str, Mark] = field(default_factory=dict)


Mark = tuple[str, int, int]  # fingerprint, size, mtime (ns); -1, -1 until the file is in place


@dataclass(frozen=True)
class Swap:
    """The steps from the site on disk to the new one, in order; `after` is the new record."""

    remove: tuple[str, ...]  # helpgen's files the new site no longer has
    prune: tuple[str, ...]  # helpgen's folders the new site no longer needs, deepest first
    create: tuple[str, ...]  # folders the new site needs that are missing, shallowest first
    after: Record  # its files are moved in from next/site/; folders that could not be
    # pruned stay helpgen's, to go once they are empty
    moved: tuple[str, ...] | None = None  # the files made (None: any of after's files)


def check_out_dir(out_dir: Path, content: Path, root: Path) -> None:
    """Refuse an output folder that holds the content or is not a folder; finish a swap a
    killed build left under way."""
    content = content.resolve()
    if out_dir in (root, content) or out_dir in content.parents or out_dir.parent == out_dir:
        raise HelpgenError.at(
            f"refusing to build into {out_dir}: it holds your content",
            hint="choose an output folder of its own, e.g. -o build",
            code="output",
        )
    state = state_dir(out_dir)
    for path in (out_dir, state):
        if path.exists() and not path.is_dir():
            raise HelpgenError.at(
                "a file where helpgen needs a folder",
                path,
                hint="move the file away, or choose another -o folder",
                code="output",
            )
    if out_dir.parent.is_dir():
        _legacy_leftovers(out_dir)
    if state.is_dir():
        with locked(out_dir):
            recover(out_dir)


def write(
    outputs: Outputs,
    out_dir: Path,
    jobs: int | None = None,
    reuse: str | None = None,
    precompress: bool = False,
    some: bool = False,
) -> int:
    """Make every file beside the output folder, then swap them in (see the module's doc).
    `reuse`: the identity of the theme and configuration (cache.identity); a file whose
    fingerprint and identity are the ones it was made with, and that is still as written, is
    left as it is. `precompress`: a .gz and .br copy beside each text file (compress.py).
    `some`: `outputs` are the files that changed; the site is otherwise the one in place (as
    helpgen last left it, tools data too). Returns how many files were made."""
    paths = [o.path for o in outputs.files if not for_tools(o.path)]
    with locked(out_dir) as state:
        recover(out_dir)
        record, _ = _load(out_dir)
        marks: dict[str, Mark] = {}
        if not some:
            plan(out_dir, record, paths)  # before the work: what is in the way is known at once
        made = state / NEXT
        try:
            (made / "site").mkdir(parents=True)
            if not some:
                (made / TOOLS).mkdir()
            count = 0

            def put(i: int) -> tuple[str, bool, tuple[str, ...]]:
                return _put(outputs, i, made, out_dir, record, reuse, precompress)

            for i, (fingerprint, fresh, copies) in enumerate(
                fork_map(put, range(len(outputs.files)), jobs)
            ):
                path = outputs.files[i].path
                count += fresh and not for_tools(path)
                for rel in (path, *copies):
                    if not for_tools(rel):
                        marks[rel] = (fingerprint, -1, -1)
            if some:
                swap = _some(out_dir, record, paths, marks)
            else:  # planned again: a deployer may have added something in the way
                swap = plan(out_dir, record, marks, marks)
        except BaseException:
            shutil.rmtree(made, ignore_errors=True)
            raise
        _save(state, record, swap)  # the journal: from here on, the next build finishes it
        _run(out_dir, state, swap)
    return count


def intact(out_dir: Path) -> bool:
    """Whether helpgen's last build into `out_dir` ended, left no folder of its own to remove
    later (one that held a deployer's things), and every file it put there is as it left it
    (by size and mtime)."""
    try:
        record, swap = _load(out_dir)
    except HelpgenError:
        return False
    return (
        swap is None
        and bool(record.marks)
        and record.folders <= _folders(record.files)
        and all(_unchanged(out_dir, rel, mark) for rel, mark in record.marks.items())
    )


def plan(
    out_dir: Path, record: Record, paths: Iterable[str], marks: Mapping[str, Mark] | None = None
) -> Swap:
    """The swap to the site of `paths` (made with `marks`); HelpgenError listing what is not
    helpgen's and in the way (a file, a folder holding other things, a link)."""
    new = frozenset(paths)
    needed = _folders(new)
    stale = record.files - new
    base = str(out_dir)
    problems = []
    for rel in sorted(new):
        kind = _kind(f"{base}/{rel}")
        if kind is None or (kind == "file" and rel in record.files):
            continue
        if kind == "folder" and _only_ours(out_dir, rel, stale, record.folders - needed):
            continue
        problems.append(_in_the_way(out_dir / rel, kind, "file"))
    for rel in sorted(needed):
        kind = _kind(f"{base}/{rel}")
        if kind not in (None, "folder") and not (kind == "file" and rel in stale):
            problems.append(_in_the_way(out_dir / rel, kind, "folder"))
    if problems:
        if len(problems) > SHOWN:
            more = Problem(f"and {len(problems) - SHOWN} more in the way", out_dir, code="output")
            problems = [*problems[:SHOWN], more]
        raise HelpgenError(problems)
    create = sorted((d for d in needed if _kind(f"{base}/{d}") != "folder"), key=_depth)
    return Swap(
        remove=tuple(sorted(stale)),
        prune=tuple(sorted(record.folders - needed, key=lambda d: (-_depth(d), d))),
        create=tuple(create),
        after=Record(new, frozenset(record.folders & needed | set(create)), marks or {}),
    )


def _some(out_dir: Path, record: Record, paths: Iterable[str], marks: dict[str, Mark]) -> Swap:
    """The swap to the site in place with the files `paths` (and their copies, `marks`) made
    again: their copies no longer made go, the others stay as they are."""
    gone = {rel for path in paths for rel in (f"{path}.gz", f"{path}.br")} - marks.keys()
    new = sorted(marks.keys() - record.files)  # a file made for the first time (a copy)
    for rel in new:  # beside its file, in place (intact)
        if (kind := _kind(out_dir / rel)) is not None:
            raise HelpgenError([_in_the_way(out_dir / rel, kind, "file")])
    remove = tuple(sorted(gone & record.files))
    kept = {rel: mark for rel, mark in record.marks.items() if rel not in gone}
    after = Record(record.files - set(remove) | set(new), record.folders, {**kept, **marks})
    return Swap(remove, (), (), after, tuple(sorted(marks)))


def recover(out_dir: Path) -> None:
    """Finish the swap a killed build left under way; drop what a killed build was making.
    Only with the lock held (see `locked`)."""
    state = state_dir(out_dir)
    _, swap = _load(out_dir)
    if swap is not None:
        _run(out_dir, state, swap)
    else:
        shutil.rmtree(state / NEXT, ignore_errors=True)


@contextmanager
def locked(out_dir: Path) -> Iterator[Path]:
    """Hold the output folder's lock (waiting for another build, and saying so); yields the
    state folder. The lock goes with the process, however it ends; held already (a build
    holds it from start to end), it is held on."""
    state = state_dir(out_dir)
    held = _HELD.__dict__.setdefault("folders", set())
    if state in held:
        yield state
        return
    state.mkdir(parents=True, exist_ok=True)
    fd = os.open(state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            _wait_for(fd, out_dir)
        held.add(state)
        yield state
    finally:
        held.discard(state)
        os.close(fd)


def _wait_for(fd: int, out_dir: Path) -> None:
    until = time.monotonic() + LOCK_PATIENCE
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= until:
                break
            time.sleep(0.05)
    print(
        f"waiting for another build into {display_path(out_dir)} to finish…",
        file=sys.stderr,
        flush=True,
    )
    fcntl.flock(fd, fcntl.LOCK_EX)


# --- making and moving files ------------------------------------------------------------------
def _put(
    outputs: Outputs,
    i: int,
    made: Path,
    out_dir: Path,
    record: Record,
    reuse: str | None,
    precompress: bool,
) -> tuple[str, bool, tuple[str, ...]]:
    """Make file `i` into next/site/ (tools data into next/tools/), unless the one in place
    was made the same way (`reuse`) or has the same bytes. Workers get an index: the outputs
    are theirs by fork. Returns its fingerprint, whether it was made, and the paths of its
    compressed copies."""
    output = outputs.files[i]
    path, tools = output.path, for_tools(output.path)
    fingerprint = _fingerprint(output, reuse) if reuse is not None and not tools else ""
    copies = tuple(c for c in (f"{path}.gz", f"{path}.br") if c in record.files)
    kept = not tools and all(
        _unchanged(out_dir, rel, record.marks.get(rel)) for rel in (path, *copies)
    )
    if kept and fingerprint and record.marks[path][0] == fingerprint:
        return fingerprint, False, copies
    data = outputs.make(output)
    packed = compressed(path, data) if precompress and not tools else []
    if kept and tuple(rel for rel, _ in packed) == copies and _holds(out_dir / path, data):
        return fingerprint, False, copies  # made otherwise, but the same: left as it is
    target = made / (TOOLS if tools else "site") / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    for rel, body in packed:
        (made / "site" / rel).write_bytes(body)
    return fingerprint, True, tuple(rel for rel, _ in packed)


def _fingerprint(output: Output, identity: str) -> str:
    """What made a file: its view, text or copied file, and the theme and configuration."""
    digest = hashlib.sha256(identity.encode())
    if output.view is not None:
        digest.update(pickle.dumps(output.view, protocol=pickle.HIGHEST_PROTOCOL))
    elif output.copy is not None:
        info = os.stat(output.copy)
        digest.update(f"copy {output.copy} {info.st_size} {info.st_mtime_ns}".encode())
    else:
        digest.update((output.text or "").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]


def _unchanged(out_dir: Path, rel: str, mark: Mark | None) -> bool:
    """Whether helpgen's file at `rel` is still as it left it (its size and mtime)."""
    if mark is None:
        return False
    try:
        info = os.lstat(f"{out_dir}/{rel}")
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and (info.st_size, info.st_mtime_ns) == mark[1:]


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds `data`."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _run(out_dir: Path, state: Path, swap: Swap) -> None:
    """Every step of a swap, then the record; running it again changes nothing."""
    made = state / NEXT
    _apply("whole", out_dir.parent, out_dir.name, made / "site")
    out_dir.mkdir(exist_ok=True)
    for rel in swap.remove:
        _apply("remove", out_dir, rel)
    for rel in swap.prune:
        _apply("prune", out_dir, rel)
    for rel in swap.create:
        _apply("create", out_dir, rel)
    base = str(out_dir)
    moved = sorted(swap.after.files if swap.moved is None else swap.moved)
    for rel in sorted(_folders(moved)):
        if _kind(f"{base}/{rel}") != "folder":
            raise _link_in_the_way(out_dir / rel)
    for rel in moved:  # into real folders only (just checked)
        _apply("move", out_dir, rel, made / "site" / rel)
    _apply("tools", state, TOOLS, made / TOOLS)
    kept = {d for d in swap.prune if _kind(out_dir / d) == "folder"}  # a deployer's things in it
    marks = dict(swap.after.marks)
    for rel in marks if swap.moved is None else swap.moved:
        marks[rel] = _placed(out_dir, rel, marks[rel])
    _save(state, Record(swap.after.files, swap.after.folders | kept, marks), None)
    _apply("drop", state, NEXT)


def _placed(out_dir: Path, rel: str, mark: Mark) -> Mark:
    """A file's mark with its size and mtime as it is now in the output folder."""
    try:
        info = os.lstat(out_dir / rel)
    except OSError:
        return (mark[0], -1, -1)
    return (mark[0], info.st_size, info.st_mtime_ns)


def _apply(action: str, root: Path, rel: str, source: Path | None = None) -> None:
    """One step of a swap on `root / rel`."""
    target = root / rel
    if action in ("remove", "prune", "create") and not _real_folders(root, rel):
        if action == "create":
            raise _link_in_the_way(target.parent)
        return  # a link or file took a folder's place: never deleted through
    if action == "remove" and _kind(target) == "file":
        target.unlink()
    elif action == "prune":
        with suppress(OSError):  # not empty (something of a deployer's), or gone
            target.rmdir()
    elif action == "create":
        target.mkdir(exist_ok=True)
    elif action == "move" and source is not None and source.exists():
        _adopt_group(source, target.parent)
        _move(source, target)
    elif action == "whole" and source is not None and source.is_dir():
        if not os.path.lexists(target):  # a new output folder: the site made becomes it
            source.rename(target)
    elif action == "tools" and source is not None and source.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        source.rename(target)
    elif action == "drop":
        shutil.rmtree(target, ignore_errors=True)


def _move(source: Path, target: Path) -> None:
    """Replace `target` by `source` at once; across file systems, by way of a copy beside it."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        part = target.with_name(f".{target.name}.helpgen-part")
        shutil.copyfile(source, part)
        shutil.copymode(source, part)
        os.replace(part, target)
        source.unlink()


def _adopt_group(source: Path, folder: Path) -> None:
    """A file moved into a set-group-ID folder gets its group, as a file created there would."""
    info = os.stat(folder)
    if info.st_mode & stat.S_ISGID and os.lstat(source).st_gid != info.st_gid:
        with suppress(PermissionError):  # not a member of that group
            os.chown(source, -1, info.st_gid)


# --- what is on disk --------------------------------------------------------------------------
def _link_in_the_way(path: Path) -> HelpgenError:
    return HelpgenError.at(
        "a link or file took the place of a folder helpgen writes into",
        path,
        hint="move it away and build again",
        code="output",
    )


def _kind(path: str | Path) -> str | None:
    """file, folder, link or special (lstat: a link is never followed), None if nothing."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return "link" if stat.S_ISLNK(mode) else "special"


def _real_folders(root: Path, rel: str) -> bool:
    """Whether every folder on the way from `root` to `rel` is a folder, not a link."""
    return all(_kind(root / p) == "folder" for p in _parents(rel))


def _only_ours(out_dir: Path, rel: str, files: Collection[str], folders: Collection[str]) -> bool:
    """Whether the folder `rel` holds only these helpgen files and folders (about to go)."""
    if rel not in folders:
        return False
    for here, dirs, names in os.walk(out_dir / rel):
        base = Path(here).relative_to(out_dir).as_posix()
        for name in names:
            if f"{base}/{name}" not in files or _kind(Path(here) / name) != "file":
                return False
        for name in dirs:  # os.walk lists links to folders here too: never ours
            if f"{base}/{name}" not in folders or _kind(Path(here) / name) != "folder":
                return False
    return True


def _in_the_way(path: Path, kind: str | None, need: str) -> Problem:
    what = {"file": "a file", "folder": "a folder", "link": "a link"}.get(kind or "", "a file")
    return Problem(
        f"{what} helpgen did not write is where the site needs a {need}",
        path,
        hint="move or rename it: helpgen never overwrites, deletes or writes through what it "
        "did not write",
        code="output",
    )


def _parents(rel: str) -> list[str]:
    """The folders above a path of the site: `a/b/c.html` -> a, a/b."""
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _folders(files: Iterable[str]) -> set[str]:
    """Every folder the files are in."""
    return {folder for rel in files for folder in _parents(rel)}


def _depth(rel: str) -> int:
    return rel.count("/")


# --- the record -------------------------------------------------------------------------------
_READ: dict[str, tuple[tuple[int, ...], tuple[Record, Swap | None]]] = {}  # by state file


def _load(out_dir: Path) -> tuple[Record, Swap | None]:
    """The record of the output folder and the journal of a swap under way, if any."""
    path = state_dir(out_dir) / STATE_FILE
    try:
        if not path.is_file():
            return _legacy(out_dir), None
        info = path.stat()  # a record is read once per version of its file
        version = (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
        read = _READ.get(str(path))
        if read is not None and read[0] == version:
            return read[1]
        data = json.loads(path.read_text(encoding="utf-8"))
        record = _record(data)
        journal = data.get("swap")
        swap = None
        if journal is not None:
            swap = Swap(
                tuple(_rel(r) for r in journal["remove"]),
                tuple(_rel(r) for r in journal["prune"]),
                tuple(_rel(r) for r in journal["create"]),
                _record(journal),
                None if journal.get("moved") is None else tuple(map(_rel, journal["moved"])),
            )
        _READ[str(path)] = (version, (record, swap))
        return record, swap
    except (ValueError, KeyError, TypeError, AttributeError):
        raise HelpgenError.at(
            "helpgen's record of its output folder is damaged",
            path,
            hint=f"delete {display_path(out_dir)} and {display_path(path.parent)}, then build "
            "again",
            code="output",
        ) from None


def _legacy(out_dir: Path) -> Record:
    """An output folder of an earlier version lists its files in a marker inside it."""
    marker = out_dir / LEGACY_MARKER
    if not marker.is_file():
        return Record()
    files = {_rel(f) for f in json.loads(marker.read_text(encoding="utf-8"))["files"]}
    files.add(LEGACY_MARKER)
    return Record(frozenset(files), frozenset(_folders(files)))


def _record(data: dict) -> Record:
    marks = {
        _rel(rel): (str(fp), int(size), int(mtime))
        for rel, (fp, size, mtime) in data.get("marks", {}).items()
    }
    return Record(
        frozenset(_rel(f) for f in data["files"]),
        frozenset(_rel(f) for f in data["folders"]),
        marks,
    )


def _rel(value: object) -> str:
    """A path inside the output folder, or ValueError (a damaged record never reaches out)."""
    if not isinstance(value, str) or "\\" in value or "\0" in value:
        raise ValueError(value)
    slashed = f"/{value}/"  # no part is empty, "." or ".."
    if "//" in slashed or "/./" in slashed or "/../" in slashed:
        raise ValueError(value)
    return value


def _save(state: Path, record: Record, swap: Swap | None) -> None:
    """Save the record (with a swap's journal) whole or not at all."""
    data: dict[str, object] = {
        "generator": "helpgen",
        "files": sorted(record.files),
        "folders": sorted(record.folders),
        "marks": {rel: list(record.marks[rel]) for rel in sorted(record.marks)},
    }
    if swap is not None:
        data["swap"] = {
            "remove": list(swap.remove),
            "prune": list(swap.prune),
            "create": list(swap.create),
            "files": sorted(swap.after.files),
            "folders": sorted(swap.after.folders),
            "marks": {rel: list(swap.after.marks[rel]) for rel in sorted(swap.after.marks)},
            "moved": None if swap.moved is None else list(swap.moved),
        }
    part = state / f"{STATE_FILE}.part"
    part.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    os.replace(part, state / STATE_FILE)


def _legacy_leftovers(out_dir: Path) -> None:
    """Earlier versions swapped whole folders: restore a site killed between the two renames,
    remove the temporary folders of killed builds (marked, and their process gone)."""
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}\.(tmp|old)-(\d+)$")
    found = []
    for entry in out_dir.parent.iterdir():
        m = pattern.match(entry.name)
        if (
            m
            and _kind(entry) == "folder"
            and (entry / LEGACY_MARKER).is_file()
            and not _alive(int(m.group(2)))
        ):
            found.append((m.group(1), entry))
    for kind, entry in sorted(found, key=lambda f: f[0]):  # "old" before "tmp"
        if kind == "old" and not out_dir.exists():
            entry.rename(out_dir)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
