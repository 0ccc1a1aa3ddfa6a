"""Walk content/ into Sources: each Markdown file's front matter and body, with line numbers.

No HTML here. A file that cannot be read becomes a located Problem and is left out, so every
mistake in the tree is reported in one run.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .config import Config
from .errors import HelpgenError, Problem
from .outdir import is_output

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

INDEX_NAME = "_index.md"
MARKDOWN_SUFFIXES = (".md", ".markdown")
IGNORED_DIRS = frozenset({"node_modules", "__pycache__"})
FRONT_MATTER_DEPTH = 32  # lists in tables in lists...: deeper is refused, never walked
FRONT_MATTER_NODES = 10_000  # values once YAML aliases (*name) are expanded


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
    if config.source is None and content == config.root:  # no helpgen.toml, no content/
        problem = plain_folder_problem(content, skip)
        if problem is not None:
            raise HelpgenError(problem)
    options = {
        "content": content,
        "symlinks_outside": config.symlinks_outside,
        "max_article_kb": config.max_article_kb,
    }
    if not config.multilingual:
        tree, problems = load_tree(content, skip, **options)
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
        trees[code], found = load_tree(content / code, skip, **options)
        problems += found
    return Sources(trees, tuple(problems))


def load_tree(
    root: Path,
    skip: tuple[Path, ...] = (),
    *,
    content: Path | None = None,
    symlinks_outside: str = "error",
    max_article_kb: int | None = None,
) -> tuple[ContentTree, list[Problem]]:
    """Read every Markdown file under `root`; other files become assets.

    Only regular files are read. A symbolic link is followed while it stays inside `root` or
    `content` (the content/ folder holding it): one that leads elsewhere (/etc/passwd, a folder
    above) is an error (`outside-content`), or with symlinks_outside = "skip" a warning and the
    file is left out. A link that leads round in a circle is an error (`symlink-loop`); a FIFO,
    socket or device is never opened: a warning (`not-a-file`), left out. A Markdown file over
    `max_article_kb` is an error (`too-large`), not read.
    """
    pages: list[SourceFile] = []
    assets: dict[PurePosixPath, Path] = {}
    failed: list[PurePosixPath] = []
    problems: list[Problem] = []
    walk = _Walk(root, content, skip, symlinks_outside, problems)
    for path, rel, size in walk.files():
        name = rel.name
        if name.lower().endswith(MARKDOWN_SUFFIXES):
            if max_article_kb is not None and size > max_article_kb * 1024:
                problems.append(_too_large(path, size, max_article_kb))
                failed.append(rel)
                continue
            try:
                pages.append(read_source(path, rel))
            except HelpgenError as exc:
                problems.extend(exc.problems)
                failed.append(rel)
            except OSError as exc:
                problems.append(_unreadable(path, exc))
                failed.append(rel)
        else:
            assets[rel] = path
    failed += walk.failed
    return ContentTree(root, tuple(pages), assets, tuple(failed)), problems


def _wanted(name: str, folder: bool) -> bool:
    """Whether a file or folder of this name is content at all (before looking at what it is)."""
    if folder:
        return not name.startswith((".", "_")) and name not in IGNORED_DIRS
    if name.startswith(".") or name.endswith("~"):
        return False
    return not name.startswith("_") or name == INDEX_NAME


class _Walk:
    """The regular files below a content root, links followed only where they stay inside."""

    def __init__(
        self,
        root: Path,
        content: Path | None,
        skip: tuple[Path, ...],
        symlinks_outside: str,
        problems: list[Problem],
    ) -> None:
        self.root = root
        self.inside = {root.resolve()} | ({content.resolve()} if content is not None else set())
        self.skip = {p.resolve() for p in skip}
        self.policy = symlinks_outside
        self.problems = problems
        self.failed: list[PurePosixPath] = []  # Markdown files refused: not "missing" in links
        self.linked: dict[Path, PurePosixPath] = {}  # folders walked through a link, once each

    def files(self) -> Iterator[tuple[Path, PurePosixPath, int]]:
        yield from self._folder(self.root, PurePosixPath("."), (self.root.resolve(),))

    def _folder(
        self, here: Path, rel_dir: PurePosixPath, above: tuple[Path, ...]
    ) -> Iterator[tuple[Path, PurePosixPath, int]]:
        try:
            with os.scandir(here) as entries:
                names = sorted(e.name for e in entries)
        except OSError as exc:
            self.problems.append(
                Problem(
                    f"cannot read the folder: {exc.strerror or exc}",
                    here,
                    None,
                    "fix the folder's permissions, or remove it",
                    code="unreadable",
                )
            )
            return
        folders: list[tuple[Path, PurePosixPath, Path]] = []
        for name in names:
            path, rel = here / name, rel_dir / name
            try:
                info = os.lstat(path)
            except OSError:
                continue  # removed while we looked
            real = path
            if stat.S_ISLNK(info.st_mode):
                resolved = self._follow(path, rel)
                if resolved is None:
                    continue
                real, info = resolved
            if stat.S_ISDIR(info.st_mode):
                if _wanted(name, folder=True):
                    folders.append((path, rel, real))
            elif not _wanted(name, folder=False):
                continue
            elif stat.S_ISREG(info.st_mode):
                yield path, rel, info.st_size
            else:
                self.problems.append(
                    Problem(
                        f"not a regular file ({_kind(info.st_mode)}): left out",
                        path,
                        None,
                        "content holds files and folders only; remove it or replace it "
                        "with a copy of the file",
                        "warning",
                        "not-a-file",
                    )
                )
        for path, rel, real in folders:
            real = real.resolve()
            if real in self.skip or is_output(path):  # helpgen's own output: never content
                continue
            if real in above:
                self._refuse_loop(path, rel, real)
                continue
            if path.is_symlink():
                if real in self.linked:
                    self.problems.append(
                        Problem(
                            f"a link to a folder already included through "
                            f"{self.linked[real]}: left out",
                            path,
                            None,
                            "a folder is included through one link at most; remove this link",
                            "warning",
                            "symlink-twice",
                        )
                    )
                    continue
                self.linked[real] = rel
            yield from self._folder(path, rel, (*above, real))

    def _follow(self, path: Path, rel: PurePosixPath) -> tuple[Path, os.stat_result] | None:
        """Where the link at `path` leads and what is there, or None (a problem is reported)."""
        try:
            target = path.resolve(strict=False)
        except (RuntimeError, OSError):  # Python 3.11: RuntimeError("Symlink loop from ...")
            self._refuse_loop(path, rel, None)
            return None
        if not any(target == r or target.is_relative_to(r) for r in self.inside):
            self._refuse_outside(path, rel, target)
            return None
        try:
            return target, os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._refuse_loop(path, rel, None)
            elif _wanted(path.name, folder=False):  # a link to a file that is gone
                self.problems.append(_unreadable(path, exc))
                if path.name.lower().endswith(MARKDOWN_SUFFIXES):
                    self.failed.append(rel)
            return None

    def _refuse_outside(self, path: Path, rel: PurePosixPath, target: Path) -> None:
        folder = target.is_dir()
        if not _wanted(path.name, folder):
            return  # a hidden or _draft name: never read anyway
        skip = self.policy == "skip"
        hint = "copy what it points to into content/ instead of linking to it, or remove the link"
        if not skip:
            hint += '; symlinks_outside = "skip" in helpgen.toml leaves such links out, warned'
        self.problems.append(
            Problem(
                f"a link to {'a folder' if folder else 'a file'} outside the content folder "
                f"({target}): {'left out' if skip else 'refusing to publish it'}",
                path,
                None,
                hint,
                "warning" if skip else "error",
                "outside-content",
            )
        )
        if not skip and path.name.lower().endswith(MARKDOWN_SUFFIXES):
            self.failed.append(rel)

    def _refuse_loop(self, path: Path, rel: PurePosixPath, real: Path | None) -> None:
        folder = real is not None
        if not _wanted(path.name, folder):
            return
        if real is not None:
            message = f"a link that leads round in a circle (back to {_shown(real, self.root)})"
            at = path
        else:  # the link's own path cannot be shown (resolving it fails): name it in its folder
            message = f"'{path.name}' is a link that leads round in a circle"
            at = path.parent
        self.problems.append(
            Problem(
                message,
                at,
                None,
                "a symbolic link must lead to a file or folder, not back to itself or its "
                "own folder; remove it or point it at the real file",
                code="symlink-loop",
            )
        )
        if path.name.lower().endswith(MARKDOWN_SUFFIXES):
            self.failed.append(rel)


def _shown(path: Path, root: Path) -> str:
    real_root = root.resolve()
    if path == real_root:
        return "the content folder"
    return path.relative_to(real_root).as_posix() if path.is_relative_to(real_root) else str(path)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"


def _too_large(path: Path, size: int, limit_kb: int) -> Problem:
    return Problem(
        f"the article is {size / 1024:,.0f} KB, more than max_article_kb ({limit_kb:,} KB)",
        path,
        None,
        "split it into several articles, or raise max_article_kb in helpgen.toml",
        code="too-large",
    )


def _unreadable(path: Path, exc: OSError) -> Problem:
    target = " (a link to a file that is gone)" if path.is_symlink() else ""
    return Problem(
        f"cannot read the file{target}: {exc.strerror or exc}",
        path,
        None,
        "fix the file's permissions or link, or remove it",
        code="unreadable",
    )


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def read_source(path: Path, rel: PurePosixPath) -> SourceFile:
    raw = path.read_bytes()
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise HelpgenError.at(
                f"file is {encoding}, not UTF-8",
                path,
                1,
                hint=f"save the file as UTF-8 in your editor (e.g. iconv -f {encoding} -t UTF-8)",
                code="encoding",
            )
    if b"\0" in raw:  # UTF-16 without its mark, or not text at all
        raise HelpgenError.at(
            "file holds NUL bytes: it is not UTF-8 text (UTF-16? a binary file named .md?)",
            path,
            raw[: raw.index(b"\0")].count(b"\n") + 1,
            hint="save the file as UTF-8 in your editor",
            code="encoding",
        )
    try:
        raw_text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HelpgenError.at(
            "file is not valid UTF-8",
            path,
            raw[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8 in your editor",
            code="encoding",
        ) from None
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
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
    # libyaml recurses in C: tens of thousands of nested [ crash the process. Long front
    # matter goes to the pure-Python loader, which stops at Python's recursion limit instead.
    loader = _Loader if len(yaml_text) <= _C_LOADER_MAX else yaml.SafeLoader
    try:
        node = yaml.compose(yaml_text, Loader=loader)
    except RecursionError:
        nesting = [sum(map(line.count, "[{-?")) for line in lines[1:end]]
        raise HelpgenError.at(
            f"front matter is nested too deeply (more than {FRONT_MATTER_DEPTH} levels)",
            path,
            2 + nesting.index(max(nesting)),  # the line with the most [ { - ?
            hint="front matter is a few 'key: value' lines; move long content into the body",
            code="frontmatter-syntax",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        context = getattr(exc, "context_mark", None)
        if context is not None and (mark is None or mark.line >= end - 1):
            mark = context  # an unclosed [ or " is reported at the end; point at its start
        line = min(mark.line + 2, end) if mark is not None else 1  # never past the closing ---
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 has its own limit: one message for both
            problem = f"front matter is nested too deeply (more than {FRONT_MATTER_DEPTH} levels)"
        raise HelpgenError.at(
            f"invalid front matter: {problem}",
            path,
            line,
            hint="front matter is YAML: 'key: value', one per line; "
            "quote values containing ': ' or starting with [ { # & *",
            code="frontmatter-syntax",
        ) from None
    data = _construct(node, path, end, loader) if node is not None else None
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


_C_LOADER_MAX = 4_000  # characters: libyaml's C stack holds ~20,000 levels; far fewer here


def _construct(node: yaml.Node, path: Path, end: int, loader: type) -> Any:
    """The values of a composed front matter, after checking its shape: never nested deeper
    than FRONT_MATTER_DEPTH, never containing itself (`&a [*a]`), at most FRONT_MATTER_NODES
    values once aliases are expanded. A value YAML cannot make (2026-02-30) is located."""

    def refuse(message: str, at: yaml.Node, hint: str) -> HelpgenError:
        line = min(at.start_mark.line + 2, end) if at.start_mark is not None else 2
        return HelpgenError.at(message, path, line, hint=hint, code="frontmatter-syntax")

    count, on_path = 0, set()
    scalars: list[yaml.ScalarNode] = []
    stack: list[tuple[yaml.Node, int, bool]] = [(node, 1, False)]
    while stack:
        here, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(here))
            continue
        count += 1
        if id(here) in on_path:
            raise refuse(
                "front matter contains itself (a YAML alias *name inside its own &name)",
                here,
                "write the values out instead of using & and *",
            )
        if depth > FRONT_MATTER_DEPTH:
            raise refuse(
                f"front matter is nested too deeply (more than {FRONT_MATTER_DEPTH} levels)",
                here,
                "front matter is a few 'key: value' lines; move long content into the body",
            )
        if count > FRONT_MATTER_NODES:
            raise refuse(
                f"front matter holds more than {FRONT_MATTER_NODES:,} values once its aliases "
                "(*name) are expanded",
                here,
                "write the values out instead of using & and *",
            )
        if isinstance(here, yaml.ScalarNode):
            scalars.append(here)
            continue
        on_path.add(id(here))
        stack.append((here, depth, True))
        children = (
            here.value
            if isinstance(here, yaml.SequenceNode)
            else [part for pair in here.value for part in pair]
        )
        stack.extend((child, depth + 1, False) for child in reversed(children))
    try:
        return _construct_document(loader, node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = min(mark.line + 2, end) if mark is not None else 2
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise HelpgenError.at(
            f"invalid front matter: {problem}",
            path,
            line,
            hint="front matter is YAML: 'key: value', one per line",
            code="frontmatter-syntax",
        ) from None
    except Exception as exc:  # ValueError for 2026-02-30, !!int abc; AttributeError, ...
        bad = next((s for s in scalars if _fails(loader, s)), node)
        tag = str(bad.tag).rsplit(":", 1)[-1]
        kind = {"timestamp": "date", "int": "whole number", "float": "number"}.get(tag, tag)
        message = "invalid front matter"
        if isinstance(bad.value, str):
            message += f": '{bad.value[:80]}' is not a valid {kind}"
        if isinstance(exc, ValueError):
            message += f" ({exc})"
        hint = 'quote a value to keep it as text, e.g. key: "value"'
        if kind == "date":
            hint = f'write a date as YYYY-MM-DD, a day that exists; or quote it: "{bad.value}"'
        raise refuse(message, bad, hint) from None


def _construct_document(loader: type, node: yaml.Node) -> Any:
    instance = loader("")
    try:
        return instance.construct_document(node)
    finally:
        instance.dispose()


def _fails(loader: type, node: yaml.ScalarNode) -> bool:
    try:
        _construct_document(loader, node)
    except Exception:
        return True
    return False


# --- a folder without helpgen.toml or content/ --------------------------------------------------

# `helpgen build` in a folder with neither helpgen.toml nor content/ publishes the folder itself.
# It does so only when the folder looks like articles: it holds a Markdown file, and nothing in
# it (at any depth, hidden names included) looks like a code project or a secret. Otherwise the
# build is refused; a helpgen.toml or a content/ folder says "publish this" and lifts the rule.
PLAIN_MAX_ENTRIES = 20_000  # more files and folders than this: not a folder of articles
PROJECT_NAMES = frozenset(
    {
        ".git", ".hg", ".svn", ".ssh", ".aws", ".gnupg", ".docker", ".kube", ".azure",
        "node_modules", "__pycache__", "venv", ".venv", "site-packages",
        "package.json", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt",
        "Cargo.toml", "go.mod", "Gemfile", "pom.xml", "build.gradle", "composer.json",
        "Makefile", "CMakeLists.txt", "Dockerfile", "docker-compose.yml",
        ".netrc", ".npmrc", ".pypirc", ".pgpass", ".htpasswd", "authorized_keys",
        "known_hosts", "wp-config.php",
    }
)  # fmt: skip
SECRET_PREFIXES = ("credentials", "secret", ".env", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519")
CODE_SUFFIXES = (
    ".py", ".pyc", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".go", ".rs", ".java",
    ".kt", ".rb", ".php", ".c", ".h", ".cc", ".cpp", ".hpp", ".cs", ".swift", ".sh", ".bash",
    ".ps1", ".sql", ".sqlite", ".db",
)  # fmt: skip
SECRET_SUFFIXES = (
    ".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx", ".gpg", ".asc", ".ovpn",
    ".tfstate",
)  # fmt: skip


def plain_folder_problem(root: Path, skip: tuple[Path, ...] = ()) -> Problem | None:
    """Why the folder `root` (no helpgen.toml, no content/) must not be published as it is, or
    None when it looks like a folder of articles. See PROJECT_NAMES and the comment above.
    `skip` folders (the output, themes/) and helpgen's own output folders are not looked at."""
    skipped = {p.resolve() for p in skip}
    hint = (
        "create a content/ folder for your articles (or a helpgen.toml next to them), or start "
        "a new site with: helpgen init DIR"
    )
    markdown = False
    seen = 0
    stack = [root]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError:
            continue  # the loader reports what it cannot read
        for entry in entries:
            seen += 1
            if seen > PLAIN_MAX_ENTRIES:
                return Problem(
                    f"no helpgen.toml or content/ here, and more than {PLAIN_MAX_ENTRIES:,} "
                    "files: this does not look like a folder of articles; not publishing it",
                    root,
                    None,
                    hint,
                    code="not-content",
                )
            name, lower = entry.name, entry.name.lower()
            why = None
            if name in PROJECT_NAMES:
                why = "part of a code project, a repository or a home folder"
            elif lower.endswith(SECRET_SUFFIXES) or (
                lower.startswith(SECRET_PREFIXES) and not lower.endswith(MARKDOWN_SUFFIXES)
            ):
                why = "secrets"
            elif lower.endswith(CODE_SUFFIXES) and not entry.is_dir(follow_symlinks=False):
                why = "source code"
            if why:
                return Problem(
                    f"looks like {why}: not publishing a folder that holds it "
                    "(no helpgen.toml or content/ here)",
                    entry.path,
                    None,
                    hint,
                    code="not-content",
                )
            if entry.is_dir(follow_symlinks=False):
                folder = Path(entry.path)
                if (
                    not name.startswith(".")
                    and folder.resolve() not in skipped
                    and not is_output(folder)
                ):
                    stack.append(folder)
            elif lower.endswith(MARKDOWN_SUFFIXES):
                markdown = True
    if not markdown:
        return Problem(
            "no helpgen.toml, no content/ folder and no Markdown file here: nothing to build",
            root,
            None,
            hint,
            code="not-content",
        )
    return None
