"""The Python-Markdown floor: every Markdown body under a folder converted on one core, with every
extension helpgen's Converter uses and their settings, by one Markdown instance reset between
pages.

    python bench/md_floor.py CONTENT_FOLDER

build_speed.py runs this in a fresh process and times it; helpgen's full build cannot be
faster than this by much, whatever it caches or parallelises (unless it skips Markdown).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import markdown

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^---[ \t]*\r?$\n?", re.DOTALL | re.MULTILINE)


def helpgen_settings() -> dict[str, Any]:
    """The keyword arguments for markdown.Markdown: every extension helpgen converts with
    (EXTENSIONS, with their settings), minus helpgen's own (its link rewriting and section
    collection are helpgen's work, not the floor's). Every page gets all of them: helpgen
    leaves out, per page, the ones the page has no sign of (`extensions_for`); the floor
    does not."""
    from helpgen.markdown import EXTENSIONS, extension_configs

    return {
        "extensions": list(EXTENSIONS),
        "extension_configs": extension_configs("Permanent link"),
        "output_format": "html",
    }


def main() -> None:
    """Convert every body under argv[1]; print how many pages and output characters."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    bodies = [
        FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
        for path in sorted(Path(sys.argv[1]).rglob("*.md"))
    ]
    md = markdown.Markdown(**helpgen_settings())
    chars = 0
    for body in bodies:
        md.reset()
        chars += len(md.convert(body))
    print(f"{len(bodies)} pages, {chars} characters of HTML")


if __name__ == "__main__":
    main()
