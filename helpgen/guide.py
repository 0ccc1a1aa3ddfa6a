"""Guided troubleshooters (`type: guide`): the decision tree in an article, and its lints.

The body is the tree: each `## ` heading is a step (its `{#id}`, else the slug of its text, is
the step's id; the first step is the start); the step's text asks or instructs; its options are
the links in its last top-level list, each to another step (`#step-id`), to an article, or to a
contact route (`contact:`). A step without options is an end step.

Pure: `parse` reads the Markdown source (no HTML), `lint` reports located problems. Step ids are
worked out as Python-Markdown's toc extension does (same slug function, `_1` suffixes for
repeats), so they are the ids of the rendered `<section class="guide-step">`s. Links to articles
are checked by the normal link checks; here only the steps and the paths between them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import Problem, did_you_mean

Slugify = Callable[[str, str], str]  # (text, separator) -> slug, e.g. markdown.SLUGIFY

CONTACT_SCHEME = "contact"

# --- Markdown, the way Python-Markdown reads it ---------------------------------------------
_ATX = re.compile(r"^(#{1,6})(?!#)(.*?)#*\s*$")  # hash headings start in column 0
_SETEXT = re.compile(r"^(=+|-+)[ ]*$")  # "Title" underlined: = is h1, - is h2
_ATTRS = re.compile(r"[ ]+\{:?[ ]*([^}\n ][^\n]*?)[ ]*\}[ ]*$")  # "## Title {#id .class}"
_BLOCK_ATTRS = re.compile(r"^\{:?[ ]*([^}\n ][^\n]*?)[ ]*\}[ ]*$")  # "{: #id }" on its own line
_ID_ATTR = re.compile(r"(?:^|\s)#([^\s}]+)")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ITEM = re.compile(r"^[ ]{0,3}(?:[*+-]|\d+\.)[ ]+\S")  # a top-level list item
_HR = re.compile(r"^[ ]{0,3}([-*_])(?:[ ]*\1){2,}[ ]*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"  # [label], images marked by "!"
    r"(?:\(\s*<?([^\s)>]*)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"  # (target "title")
    r"|[ ]?\[([^\]]*)\])?"  # or [ref], [] (or nothing: a shortcut reference)
)
_REFERENCE = re.compile(r"^[ ]{0,3}\[([^\]]+)\]:\s*<?([^\s>]+)>?")
_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
_EMPHASIS = re.compile(r"\*+|(?<!\w)_+|_+(?!\w)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")
_STEP_IDS_HINT = (
    "a step's id is its heading in lower case with hyphens, or an explicit {#id} after it; "
    "the steps are: "
)


@dataclass(frozen=True)
class Option:
    """One answer of a step: `label` links to `target` as written (`#id`, a path, `contact:`)."""

    label: str
    target: str
    line: int

    @property
    def kind(self) -> str:
        """`step` (`#id` on this page), `contact` (`contact:…`) or `link` (anything else)."""
        if self.target.startswith("#"):
            return "step"
        if urlsplit(self.target).scheme.lower() == CONTACT_SCHEME:
            return "contact"
        return "link"

    @property
    def step(self) -> str | None:
        """The id of the step it goes to, for a `#id` option."""
        return unquote(self.target[1:]) if self.kind == "step" else None


@dataclass(frozen=True)
class Step:
    """A `##` heading and what follows it up to the next one."""

    id: str
    title: str
    line: int
    options: tuple[Option, ...] = ()

    @property
    def end(self) -> bool:
        """An end step: nothing to choose (it resolves the problem or sends the reader on)."""
        return not self.options


@dataclass(frozen=True)
class Guide:
    steps: tuple[Step, ...]
    line: int  # the body's first line

    @property
    def start(self) -> Step | None:
        return self.steps[0] if self.steps else None

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def step(self, id: str) -> Step | None:
        return next((s for s in self.steps if s.id == id), None)


# --- parse -----------------------------------------------------------------------------------
def parse(body: str, first_line: int, slugify: Slugify | None = None) -> Guide:
    """The steps of a guide's Markdown `body`, whose first line is line `first_line` of its file.

    `slugify` makes a heading's id from its text; by default the one `markdown.py` renders with.
    """
    if slugify is None:
        from .markdown import SLUGIFY  # only when the caller gives none

        slugify = SLUGIFY
    lines = body.split("\n")
    code = _in_code(lines)
    references = {
        m.group(1).strip().lower(): m.group(2)
        for i, line in enumerate(lines)
        if not code[i] and (m := _REFERENCE.match(line))
    }
    used = _explicit_ids(lines, code)
    heads: list[tuple[int, int, int, str, str]] = []  # (line, level, body line, title, id)
    for i, line in enumerate(lines):
        if code[i]:
            continue
        level, text = _heading(lines, i, code)
        if not level:
            continue
        text, id = _split_attrs(text)
        title = _plain(text)
        if id is None:  # as the toc extension does, in document order, every level
            id = _unique(slugify(title, "-"), used)
        body_start = i + 1 if _ATX.match(line) else i + 2
        heads.append((i, level, body_start, title, id))
    h2 = [h for h in heads if h[1] == 2]
    steps = []
    for n, (i, _, body_start, title, id) in enumerate(h2):
        end = h2[n + 1][0] if n + 1 < len(h2) else len(lines)
        options = _options(lines, code, body_start, end, first_line, references)
        steps.append(Step(id, title, first_line + i, options))
    return Guide(tuple(steps), first_line)


def _in_code(lines: list[str]) -> list[bool]:
    """Whether each line is inside a fenced code block (fences included)."""
    inside: list[bool] = []
    fence = ""
    for line in lines:
        m = _FENCE.match(line)
        if fence:
            inside.append(True)
            closing = m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence)
            if closing and not line.strip().strip(fence[0]):
                fence = ""
        elif m:
            fence = m.group(1)
            inside.append(True)
        else:
            inside.append(False)
    return inside


def _heading(lines: list[str], i: int, code: list[bool]) -> tuple[int, str]:
    """(level, text) of a heading starting at line i, else (0, "")."""
    line = lines[i]
    m = _ATX.match(line)
    if m:
        return len(m.group(1)), m.group(2).strip()
    if (  # a setext heading: the first line of a block, underlined
        line.strip()
        and not line.startswith(("    ", "\t"))
        and i + 1 < len(lines)
        and not code[i + 1]
        and _SETEXT.match(lines[i + 1])
        and _block_start(lines, i)
    ):
        return (1 if lines[i + 1].startswith("=") else 2), line.strip()
    return 0, ""


def _block_start(lines: list[str], i: int) -> bool:
    """Whether line i starts a block: after a blank line or a hash heading."""
    return i == 0 or not lines[i - 1].strip() or bool(_ATX.match(lines[i - 1]))


def _split_attrs(text: str) -> tuple[str, str | None]:
    """A heading's text without its `{#id .class}`, and the id it sets."""
    m = _ATTRS.search(text)
    if not m:
        return text, None
    id = _ID_ATTR.search(m.group(1))
    return text[: m.start()], id.group(1) if id else None


def _explicit_ids(lines: list[str], code: list[bool]) -> set[str]:
    """Ids set with `{#id}` on headings and blocks: taken before any slug is made."""
    ids: set[str] = set()
    for i, line in enumerate(lines):
        if code[i]:
            continue
        m = _ATTRS.search(line) if _ATX.match(line) else _BLOCK_ATTRS.match(line.strip())
        if m and (id := _ID_ATTR.search(m.group(1))):
            ids.add(id.group(1))
    return ids


def _unique(id: str, used: set[str]) -> str:
    """As the toc extension does: a repeated (or empty) id gets `_1`, `_2`…"""
    if id in used or not id:
        m = _IDCOUNT.match(id)
        base, count = (m.group(1), int(m.group(2))) if m else (id, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        id = f"{base}_{count}"
    used.add(id)
    return id


def _plain(text: str) -> str:
    """The visible text of inline Markdown: links by their label, no emphasis or images."""
    spans: list[str] = []

    def keep(m: re.Match[str]) -> str:
        spans.append(m.group(2).strip())
        return f"\x00{len(spans) - 1}\x00"

    text = _CODE_SPAN.sub(keep, text)
    text = _FOOTNOTE_REF.sub("", text)
    text = _INLINE_LINK.sub(lambda m: "" if m.group(1) else m.group(2), text)
    text = re.sub(r"<[^>]*>", "", text)
    text = _EMPHASIS.sub("", _ESCAPE.sub(lambda m: f"\x01{ord(m.group(1))}\x01", text))
    text = re.sub(r"\x01(\d+)\x01", lambda m: chr(int(m.group(1))), text)
    text = re.sub(r"\x00(\d+)\x00", lambda m: spans[int(m.group(1))], text)
    return " ".join(html.unescape(text).split())


def _options(
    lines: list[str],
    code: list[bool],
    start: int,
    end: int,
    first_line: int,
    references: dict[str, str],
) -> tuple[Option, ...]:
    """The links of the last top-level list between lines start and end (exclusive)."""
    last: tuple[int, int] | None = None
    i = start
    while i < end:
        if code[i] or not _ITEM.match(lines[i]) or not (i == start or _block_start(lines, i)):
            i += 1  # Python-Markdown: a list starts a block, never in the middle of a paragraph
            continue
        j = i + 1  # the list goes on through items, indented and lazy lines, blank lines between
        while j < end:
            line = lines[j]
            if line.strip() and (code[j] or line.startswith((" ", "\t")) or _ITEM.match(line)):
                j += 1
            elif line.strip():  # a lazy continuation line, unless a blank line came before
                if not lines[j - 1].strip() or _ATX.match(line) or _HR.match(line):
                    break
                j += 1
            else:
                k = j
                while k < end and not lines[k].strip():
                    k += 1
                nxt = lines[k] if k < end else ""
                if k < end and (nxt.startswith(("    ", "\t")) or _ITEM.match(nxt)):
                    j = k
                else:
                    break
        last = (i, j)
        i = j
    if last is None:
        return ()
    options = []
    for n in range(*last):
        if code[n]:
            continue
        line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), lines[n])
        for m in _INLINE_LINK.finditer(line):
            if m.group(1):  # an image
                continue
            label, target, ref = m.group(2), m.group(3), m.group(4)
            if target is None:
                target = references.get((ref or label).strip().lower())
                if target is None:
                    continue
            options.append(Option(_plain(label), target, first_line + n))
    return tuple(options)


# --- lint ------------------------------------------------------------------------------------
def lint(guide: Guide, file: Path) -> list[Problem]:
    """A guide's problems, located: no steps, options to steps that don't exist, steps no path
    from the start reaches, and loops."""
    if not guide.steps:
        return [
            Problem(
                "this guide has no steps",
                file,
                guide.line,
                "start each step with a '## ' heading; the first step is where the guide starts",
                code="guide-empty",
            )
        ]
    ids = guide.ids
    known = set(ids)
    problems: list[Problem] = []
    edges: dict[str, list[tuple[str, Option]]] = {s.id: [] for s in guide.steps}
    for step in guide.steps:
        for option in step.options:
            target = option.step
            if target is None:
                continue
            if target in known:
                edges[step.id].append((target, option))
                continue
            problems.append(
                Problem(
                    f"option '{option.label}' goes to step '#{target}', "
                    "which this guide does not have",
                    file,
                    option.line,
                    did_you_mean(target, ids) or _STEP_IDS_HINT + ", ".join(ids),
                    code="guide-dangling",
                )
            )
    start = ids[0]
    reached = {start}
    todo = [start]
    while todo:
        for target, _ in edges[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    problems += [
        Problem(
            f"step '{step.id}' ({step.title}) cannot be reached from the start, '{start}'",
            file,
            step.line,
            f"link to it from another step's list, [answer](#{step.id}), or delete it",
            code="guide-unreachable",
        )
        for step in guide.steps
        if step.id not in reached
    ]
    problems += _cycles(guide, edges, file)
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _cycles(guide: Guide, edges: dict[str, list[tuple[str, Option]]], file: Path) -> list[Problem]:
    """Every option that leads back to a step on the way to it (a depth-first search from the
    start, then from the steps it did not reach), with the loop it closes."""
    problems = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in guide.ids:
        if root in state:
            continue
        path = [root]
        state[root] = 1
        stack = [iter(edges[root])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                state[path.pop()] = 2
                continue
            target, option = step
            if state.get(target) == 1:
                loop = [*path[path.index(target) :], target]
                problems.append(
                    Problem(
                        f"option '{option.label}' makes a loop: " + " → ".join(loop),
                        file,
                        option.line,
                        "a guide only moves forward: send this option to a later step, an "
                        "article or contact:, and let readers use Back or Start over",
                        code="guide-cycle",
                    )
                )
            elif target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(edges[target]))
    return problems
