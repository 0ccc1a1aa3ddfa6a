"""Lints over the compiled site: links and anchors, images, titles and descriptions,
translations, unused files and files written twice. Each problem is located and has a code.

Levels: an "error" stops a build; a "warning" stops it with --strict; "info" never does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from . import guide
from .errors import Problem
from .frontmatter import Meta
from .links import missing_anchors
from .load import INDEX_NAME, SourceFile
from .model import LinkRef, PageKey, Rendered, Site
from .pages import Output

TITLE_MAX = 70  # characters a search engine shows of a title
DESCRIPTION_MAX = 160  # and of a description
BROKEN_LINK_CODES = frozenset(
    {"link-missing", "link-outside", "anchor-missing", "image-missing", "guide-dangling"}
)


def lint(
    site: Site, rendered: Mapping[PageKey, Rendered], files: Iterable[Output]
) -> list[Problem]:
    """Every problem found in the rendered pages and the files to write."""
    problems: list[Problem] = []
    for code, locale in site.locales.items():
        links: list[tuple[Path, LinkRef]] = []
        anchors: dict[PurePosixPath, frozenset[str]] = {}
        used: set[PurePosixPath] = set()
        for path in [*locale.topics, *locale.articles]:
            page = locale.page(path)
            done = rendered[(code, path)]
            problems += done.problems
            used |= done.assets
            if page.source is not None:
                anchors[page.source.rel] = done.anchors
                if path in locale.topics:  # a link to the folder stands for its index file
                    anchors[path / INDEX_NAME] = done.anchors
                links += [(page.source.path, ref) for ref in done.links]
                problems += _title_and_description(page.source, page.meta)
                if page.meta.type == "guide":
                    steps = guide.parse(page.body, page.body_line)
                    problems += guide.lint(steps, page.source.path)
        problems += missing_anchors(
            [(file, ref) for file, ref in links if ref.target not in locale.unreadable], anchors
        )
        problems += [
            Problem(
                f"'{rel}' is not used by any page",
                path,
                None,
                "link to it from an article, or delete it",
                "warning",
                "asset-unused",
            )
            for rel, path in sorted(locale.assets.items())
            if rel not in used
        ]
    problems += untranslated(site)
    problems += written_twice(files)
    if site.config.broken_links == "warn":
        problems = [_as_warning(p) if p.code in BROKEN_LINK_CODES else p for p in problems]
    return problems


def _title_and_description(source: SourceFile, meta: Meta) -> list[Problem]:
    """Empty or overlong `title` and `description` in front matter."""
    file = source.path
    found = []
    for key, value, limit in (
        ("title", source.meta.get("title"), TITLE_MAX),
        ("description", meta.description, DESCRIPTION_MAX),
    ):
        if key in source.meta and not str(value or "").strip():
            found.append(
                Problem(
                    f"'{key}' is empty",
                    file,
                    source.line_of(key),
                    f"write the {key} or remove the line",
                    "warning",
                    f"{key}-empty",
                )
            )
        elif value is not None and len(str(value)) > limit:
            found.append(
                Problem(
                    f"'{key}' is {len(str(value))} characters long; "
                    f"search engines show about {limit}",
                    file,
                    source.line_of(key),
                    f"shorten it to {limit} characters or fewer",
                    "warning",
                    f"{key}-long",
                )
            )
    return found


def untranslated(site: Site) -> list[Problem]:
    """One line per locale: how many of the default locale's articles it lacks (info)."""
    if len(site.locales) < 2:
        return []
    default = site.locales[site.config.default_locale]
    found = []
    for code, locale in site.locales.items():
        missing = sorted(str(p) for p in default.articles if p not in locale.articles)
        if code == default.code or not missing:
            continue
        found.append(
            Problem(
                f"{len(missing)} of {len(default.articles)} articles are not translated "
                f"into '{code}'",
                locale.root,
                None,
                "missing: " + ", ".join(missing),
                "info",
                "untranslated",
            )
        )
    return found


def written_twice(files: Iterable[Output]) -> list[Problem]:
    """Two outputs at one path (e.g. a content file named like a generated page)."""
    by_path: dict[str, list[Output]] = {}
    for f in files:
        by_path.setdefault(f.path, []).append(f)
    return [
        Problem(
            f"two files would be written to '{path}'",
            next((o.copy for o in outputs if o.copy is not None), None),
            None,
            "a content file or an alias takes the address of another page; rename one",
            code="output-collision",
        )
        for path, outputs in by_path.items()
        if len(outputs) > 1 and any(o.view is None for o in outputs)  # pages: assemble said it
    ]


def _as_warning(problem: Problem) -> Problem:
    return dataclasses.replace(problem, level="warning")
