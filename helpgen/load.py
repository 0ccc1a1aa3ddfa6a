"""Walk content/ into Sources: each Markdown file's front matter and body, with line numbers.

No HTML here. A file that cannot be read becomes a located Problem and is left out, so every
mistake in the tree is reported in one run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .config import Config
from .errors import HelpgenError, Problem

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

INDEX_NAME = "_index.md"
MARKDOWN_SUFFIXES = (".md", ".markdown")
OUTPUT_MARKER = ".helpgen-output"  # in every folder helpgen writes: never read as content
IGNORED_DIRS = frozenset({"node_modules", "__pycache__"})


@dataclass(frozen=True)
class SourceFile:
    """One Markdown file: `rel` is its path below the locale's content root."""

    path: Path
    rel: PurePosixPath
    meta: Mapping[str, Any]
    meta_lines: Mapping[str, int]
    body: str
    body_line: int  # line number (1-based) of the body's first line in the file

    @property
    def is_index(self) -> bool:
        """_index.md (or index.md, as other tools write it) describes its folder's topic."""
        return self.rel.name in (INDEX_NAME, "index.md")

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


@dataclass(frozen=True)
class ContentTree:
    """Everything below one locale's content root."""

    root: Path
    pages: tuple[SourceFile, ...]
    assets: Mapping[PurePosixPath, Path]  # images, downloads, videos
    failed: tuple[PurePosixPath, ...] = ()  # Markdown files that could not be read: not missing


@dataclass(frozen=True)
class Sources:
    """Every locale's content tree, and the files that could not be read."""

    trees: Mapping[str, ContentTree]
    problems: tuple[Problem, ...] = ()


def load(config: Config, skip: tuple[Path, ...] = ()) -> Sources:
    """Read the content folder of every locale in `config`; `skip` folders are not content."""
    content = config.content_dir
    if not content.is_dir():
        raise HelpgenError.at(
            "no content/ folder here",
            config.root,
            hint="run helpgen in your site's folder, or create one: helpgen init DIR",
        )
    if not config.multilingual:
        tree, problems = load_tree(content, skip)
        return Sources({config.default_locale: tree}, tuple(problems))
    missing = [code for code in config.locales if not (content / code).is_dir()]
    if missing:
        raise HelpgenError.at(
            f"no content folder for locale(s) {', '.join(missing)}",
            config.source,
            None,
            hint=f"create content/{missing[0]}/ or remove it from 'locales'",
        )
    trees = {}
    problems = []
    for code in config.locales:
        trees[code], found = load_tree(content / code, skip)
        problems += found
    return Sources(trees, tuple(problems))


def load_tree(root: Path, skip: tuple[Path, ...] = ()) -> tuple[ContentTree, list[Problem]]:
    """Read every Markdown file under `root`; other files become assets."""
    pages: list[SourceFile] = []
    assets: dict[PurePosixPath, Path] = {}
    failed: list[PurePosixPath] = []
    problems: list[Problem] = []
    skip_resolved = {p.resolve() for p in skip}
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith((".", "_"))
            and d not in IGNORED_DIRS
            and (here / d).resolve() not in skip_resolved
            and not (here / d / OUTPUT_MARKER).is_file()
        )
        rel_dir = PurePosixPath(here.relative_to(root).as_posix())
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith("~"):
                continue
            path = here / name
            rel = rel_dir / name
            if name.lower().endswith(MARKDOWN_SUFFIXES):
                if name.startswith("_") and name != INDEX_NAME:
                    continue
                try:
                    pages.append(read_source(path, rel))
                except HelpgenError as exc:
                    problems.extend(exc.problems)
                    failed.append(rel)
                except OSError as exc:
                    problems.append(_unreadable(path, exc))
                    failed.append(rel)
            elif not name.startswith("_"):
                if path.exists():
                    assets[rel] = path
                else:
                    problems.append(_unreadable(path, FileNotFoundError("no such file")))
    return ContentTree(root, tuple(pages), assets, tuple(failed)), problems


def _unreadable(path: Path, exc: OSError) -> Problem:
    target = " (a link to a file that is gone)" if path.is_symlink() else ""
    return Problem(
        f"cannot read the file{target}: {exc.strerror or exc}",
        path,
        None,
        "fix the file's permissions or link, or remove it",
        code="unreadable",
    )


def read_source(path: Path, rel: PurePosixPath) -> SourceFile:
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise HelpgenError.at(
            "file is not valid UTF-8",
            path,
            line,
            hint="save the file as UTF-8 in your editor",
            code="encoding",
        ) from None
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    meta, meta_lines, body, body_line = split_front_matter(text, path)
    return SourceFile(path, rel, meta, meta_lines, body, body_line)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int], str, int]:
    """Split `---` YAML front matter from the body; keys map to their line numbers."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return {}, {}, text, 1
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise HelpgenError.at(
            "front matter is not closed",
            path,
            1,
            hint="end the front matter with a line containing only ---",
            code="frontmatter-syntax",
        )
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
        data = yaml.load(yaml_text, Loader=_Loader) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        if context is not None and (mark is None or mark.line >= end - 1):
            mark = context  # an unclosed [ or " is reported at the end; point at its start
        line = min(mark.line + 2, end) if mark is not None else 1  # never past the closing ---
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise HelpgenError.at(
            f"invalid front matter: {problem}",
            path,
            line,
            hint="front matter is YAML: 'key: value', one per line; "
            "quote values containing ': ' or starting with [ { # & *",
            code="frontmatter-syntax",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise HelpgenError.at(
            "front matter must be 'key: value' lines",
            path,
            2,
            hint="e.g.\n  title: How to cancel an order",
            code="frontmatter-syntax",
        )
    key_lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    body = "\n".join(lines[end + 1 :])
    return {str(k): v for k, v in data.items()}, key_lines, body, end + 2
