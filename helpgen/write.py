"""Write stage: every output into a fresh folder beside the site, then swap it in.

A failed or killed build leaves the previous site in place. helpgen marks the folders it
writes (`.helpgen-output`, the list of its files) and refuses to write into, or delete, a
folder holding anything else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from .errors import HelpgenError
from .load import OUTPUT_MARKER as MARKER
from .pages import Outputs
from .workers import fork_map


def check_out_dir(out_dir: Path, content: Path, root: Path) -> None:
    """Refuse an output folder that holds the content or files helpgen did not write."""
    content = content.resolve()
    if out_dir in (root, content) or out_dir in content.parents:
        raise HelpgenError.at(
            f"refusing to build into {out_dir}: it holds your content",
            hint="choose an output folder of its own, e.g. -o build",
            code="output",
        )
    if out_dir.parent.is_dir():
        clean_leftovers(out_dir)
    owned_files(out_dir)


def owned_files(out_dir: Path) -> set[str]:
    """Files helpgen wrote into out_dir last time; error if out_dir holds anything else."""
    if not out_dir.exists():
        return set()
    if not out_dir.is_dir():
        raise HelpgenError.at(
            f"{out_dir} is a file, not a folder", hint="choose another -o folder", code="output"
        )
    marker = out_dir / MARKER
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if not p.is_dir()}
    if not marker.is_file():
        if present:
            raise HelpgenError.at(
                f"refusing to write into {out_dir}: helpgen did not create it",
                hint="choose an empty or new folder with -o, or move it away",
                code="output",
            )
        return set()
    try:
        owned = set(json.loads(marker.read_text(encoding="utf-8"))["files"])
    except (ValueError, KeyError, TypeError):
        raise HelpgenError.at(
            f"{marker} is damaged", hint="delete the output folder yourself", code="output"
        ) from None
    foreign = sorted(present - owned - {MARKER})
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise HelpgenError.at(
            f"{out_dir} holds files helpgen did not write: {shown}",
            hint="move them elsewhere; helpgen never deletes files it did not write",
            code="output",
        )
    return owned


def write(outputs: Outputs, out_dir: Path, jobs: int | None = None) -> None:
    """Write all to a fresh sibling folder, then swap it in: a failure leaves the old site."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    owned_files(out_dir)  # re-check just before replacing
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        tmp.mkdir()
        _mark(tmp, [])  # ours from the start, so a killed build's leftovers are known as ours

        def put(i: int) -> None:  # workers get an index: the outputs are theirs by fork
            output = outputs.files[i]
            target = tmp / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            if output.copy is not None:
                shutil.copyfile(output.copy, target)
            else:
                target.write_bytes(outputs.make(output))

        for _ in fork_map(put, range(len(outputs.files)), jobs):
            pass
        _mark(tmp, sorted(o.path for o in outputs.files))
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out_dir.exists():
            old.rename(out_dir)
        raise
    if old.exists():
        shutil.rmtree(old)


def _mark(folder: Path, files: list[str]) -> None:
    (folder / MARKER).write_text(
        json.dumps({"generator": "helpgen", "files": files}, indent=0), encoding="utf-8"
    )


def clean_leftovers(out_dir: Path) -> None:
    """Remove the temporary folders of builds that were killed, restoring a site in mid-swap."""
    pattern = re.compile(rf"^\.{re.escape(out_dir.name)}\.(tmp|old)-(\d+)$")
    found = []
    for entry in out_dir.parent.iterdir():
        m = pattern.match(entry.name)
        if (
            m
            and entry.is_dir()
            and not entry.is_symlink()
            and (entry / MARKER).is_file()  # only what helpgen wrote
            and not _alive(int(m.group(2)))
        ):
            found.append((m.group(1), entry))
    for kind, entry in sorted(found, key=lambda f: f[0]):  # "old" before "tmp"
        if kind == "old" and not out_dir.exists():
            entry.rename(out_dir)  # killed between the two renames: the old site comes back
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
