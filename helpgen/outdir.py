"""An output folder holds the site and nothing else; what helpgen knows about it lives beside it.

For `build/`, helpgen keeps `.build.helpgen/` next to it:

    state.json   the files and folders helpgen put in build/, and the journal of a swap under way
    lock         held while a build writes, so builds into one folder take turns
    next/        the next site (next/site/) and its tools data (next/tools/) while they are made
    tools/       what only helpgen's own commands read (the source path of each search result)

A file of the site whose name starts with TOOLS_PREFIX is tools data: it goes to tools/, never
into the deployable folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

TOOLS_PREFIX = ".helpgen-"
LEGACY_MARKER = ".helpgen-output"  # the file list older versions kept inside the output
STATE_FILE = "state.json"
TOOLS = "tools"


def state_dir(out_dir: Path) -> Path:
    """Where helpgen keeps what it knows about the output folder `out_dir` (beside it)."""
    out_dir = out_dir.resolve()
    return out_dir.parent / f".{out_dir.name}.helpgen"


def is_output(folder: Path) -> bool:
    """Whether helpgen writes into `folder` (never read as content)."""
    try:
        return (state_dir(folder) / STATE_FILE).is_file() or (folder / LEGACY_MARKER).is_file()
    except OSError:  # a folder name too long for its ".NAME.helpgen" sibling: not ours
        return False


def for_tools(path: str) -> bool:
    """Whether the site file at `path` is tools data, kept out of the deployable folder."""
    return PurePosixPath(path).name.startswith(TOOLS_PREFIX)


def tools_file(folder: Path, name: str) -> Path | None:
    """The tools data file `name` that belongs to `folder` of a built site, if there is one."""
    folder = folder.resolve()
    for site in folder.parents:
        candidate = state_dir(site) / TOOLS / folder.relative_to(site) / name
        if candidate.is_file():
            return candidate
    return None
