"""The Python-Markdown floor: every Markdown body under a folder converted on one core, with the
extensions and settings helpgen's Converter uses, by one Markdown instance reset between pages.

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
    """The keyword arguments helpgen's Converter gives markdown.Markdown, minus helpgen's own
    extension (its link rewriting and section collection are helpgen's work, not the floor's).
    Read by watching the Converter build its instance, so the list never goes stale."""
    from helpgen import markdown as hg_markdown

    seen: dict[str, Any] = {}
    real = markdown.Markdown

    class Watch(real):  # type: ignore[misc, valid-type]
        def __init__(self, **kwargs: Any) -> None:
            seen.update(kwargs)
            super().__init__(**kwargs)

    markdown.Markdown = Watch  # type: ignore[misc]
    try:
        hg_markdown.Converter()
    finally:
        markdown.Markdown = real  # type: ignore[misc]
    seen["extensions"] = [e for e in seen["extensions"] if isinstance(e, str)]
    return seen


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
