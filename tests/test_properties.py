"""Hostile input, generated: whatever a writer puts in front matter, Markdown, file and folder
names, aliases and helpgen.toml, `helpgen build` ends in a site or in located errors.

Each example is a small project in a fresh folder, next to files that are not the project's,
with a site already built in it. `helpgen build` runs in-process (click's CliRunner), then:

- it exits 0 or 1, with no traceback and no "internal error";
- every error names a file of the project (`content/…` or helpgen.toml), and a line within it;
- on success the output is a whole site; on failure the previous site is byte for byte as it was;
- nothing outside the project's output is created, changed or removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import (
    HealthCheck,
    assume,
    currently_in_test_context,
    event,
    example,
    given,
    settings,
)
from hypothesis import strategies as st

from helpgen.cli import main
from helpgen.config import OPTIONS
from helpgen.frontmatter import KEYS

from .conftest import write_files, yaml_quoted

EXAMPLES = settings(
    max_examples=int(os.environ.get("HELPGEN_PROPERTY_EXAMPLES", "40")),
    deadline=None,  # a busy machine; each build is bounded by max_article_seconds below
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BUDGET = "max_article_seconds = 3\n"  # a pathological body is an error within seconds
GOOD = {
    "content/_index.md": "---\ntitle: Help\n---\nWelcome.\n",
    "content/orders/_index.md": "---\ntitle: Orders\n---\n",
    "content/orders/cancel.md": "---\ntitle: Cancel\n---\nSee [returns](../returns.md).\n",
    "content/returns.md": "# Returns\n\nText.\n",
}
OUTPUT = ("build", ".build.helpgen")  # the site, and what helpgen keeps beside it


# --- running one project ------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    code: int
    output: str
    errors: tuple[str, ...]  # each `error: …` line


def fingerprint(folder: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """{relative path: sha256 of a file, or "dir", or where a link points} below `folder`."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d not in skip]
        for name in dirnames:
            found[(here / name).relative_to(folder).as_posix()] = "dir"
        for name in filenames:
            path = here / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose site was built once: each example starts from a copy of its output."""
    root = write_files(tmp_path_factory.mktemp("previous") / "site", GOOD)
    with inside(root):
        result = CliRunner().invoke(main, ["build", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return root


@contextmanager
def inside(folder: Path) -> Iterator[None]:
    here = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


def build_project(previous: Path, files: dict[str, bytes]) -> tuple[Outcome, Path]:
    """Build `files` (relative path -> bytes) in a fresh project and check every promise."""
    parent = Path(tempfile.mkdtemp(prefix="hg-prop-"))
    try:
        return _build_in(parent, previous, files)
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def _build_in(parent: Path, previous: Path, files: dict[str, bytes]) -> tuple[Outcome, Path]:
    root = parent / "site"
    for name in OUTPUT:
        if (previous / name).exists():
            shutil.copytree(previous / name, root / name, symlinks=True)
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (parent / "outside.md").write_text("# Not the project's\n")  # a neighbour, never touched
    (parent / "other").mkdir()
    (parent / "other" / "notes.txt").write_text("private\n")
    output = tuple(root / name for name in OUTPUT)
    before = fingerprint(parent, output)
    site_before = fingerprint(root / "build")
    with inside(root):
        result = CliRunner().invoke(main, ["build", "--jobs", "1"])
    text = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in text and "internal error" not in text, text
    assert result.exit_code in (0, 1), text
    assert fingerprint(parent, output) == before, "something outside the output changed"
    errors = tuple(line for line in text.split("\n") if line.startswith("error: "))  # not NEL
    if result.exit_code == 1:
        assert errors, text
        for line in errors:
            assert_located(root, line, files)
        assert fingerprint(root / "build") == site_before, "a failed build changed the site"
    else:
        assert not errors, text
        assert_whole_site(root / "build")
    if currently_in_test_context():
        event("built" if result.exit_code == 0 else "refused")
    return Outcome(result.exit_code, text, errors), root


def assert_located(root: Path, line: str, files: dict[str, bytes]) -> None:
    """`error: FILE:LINE: message` or `error: FILE: message`, FILE a file of the project
    (names may hold ":", so the known files are matched), LINE within it."""
    shown = line.removeprefix("error: ")
    known = sorted({*files, *_parents(files)}, key=len, reverse=True)
    rel = next((r for r in known if shown.startswith(r + ":")), None)
    assert rel is not None, f"an error at no file of the project: {line!r}"
    rest = shown[len(rel) + 1 :]
    number, colon, _ = rest.lstrip(" ").partition(":")
    if colon and number.isdigit():
        assert rel in files, line  # a line in a folder?
        lines = files[rel].count(b"\n") + 1
        assert 1 <= int(number) <= lines, f"line {number} of {lines}: {line!r}"


def _parents(files: dict[str, bytes]) -> set[str]:
    folders = set()
    for rel in files:
        parts = rel.split("/")[:-1]
        folders |= {"/".join(parts[: i + 1]) for i in range(len(parts))}
    return folders


def assert_whole_site(out: Path) -> None:
    for rel in ("index.html", "404.html", "search/index.json", "static/css/helpgen.css"):
        assert (out / rel).is_file(), rel
    json.loads((out / "search/index.json").read_text(encoding="utf-8"))
    assert not list(out.rglob("*.helpgen-part")), "a half-written file"


# --- front matter ------------------------------------------------------------------------------
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
HOSTILE_TEXT = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\x07\x1b[31mred",
            "\u202eevil\u202c",
            "\u2066isolate",
            "\ufeffbom",
            "<script>alert(1)</script>",
            "{{ 7*7 }}",
            "{% raw %}",
            "é" * 3000,
            "x" * 100_000,
        ]
    ),
)
YAML_VALUE = st.one_of(
    HOSTILE_TEXT.map(yaml_quoted),
    st.integers().map(str),
    st.floats().map(lambda f: ".nan" if math.isnan(f) else repr(f).replace("inf", ".inf")),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-13-01",
            "2026-01-31",
            "2026-01-31T25:00:00",
            "0001-01-01",
            "9999-12-31",
            "true",
            "~",
            "[]",
            "{}",
            "!!python/object/apply:os.system ['touch pwned']",
            "!!python/object:builtins.dict {}",
            "!!python/name:os.system",
            "!!binary aGVsbG8=",
            "!!timestamp nope",
            "!!int abc",
            "!custom x",
            "&a [1, *a]",
            "*undefined",
            "&a x",
            "[" * 200 + "]" * 200,
            "{a: " * 60 + "1" + "}" * 60,
            "'unclosed",
            '"unclosed',
            "[unclosed",
            "|\n  block\n  text",
            ">-\n  folded",
            "\n  - a\n  - [b, c]",
            "\n  nested:\n    deeper: 1",
        ]
    ),
    st.lists(HOSTILE_TEXT.map(yaml_quoted), max_size=4).map(lambda xs: f"[{', '.join(xs)}]"),
)
KEY = st.one_of(
    st.sampled_from([k.name for k in KEYS]),
    st.sampled_from(["titel", "Title", "tag", "x", "__proto__", "<<", "? a", "'q'", "aliases "]),
)
PLAIN = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
VALID = {  # values each key takes, hostile only in their text
    "title": HOSTILE_TEXT.map(yaml_quoted),
    "description": HOSTILE_TEXT.map(yaml_quoted),
    "changes": HOSTILE_TEXT.map(yaml_quoted),
    "icon": st.sampled_from(["truck", "📦", '"<svg onload=alert(1)>"']),
    "order": st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)).map(str),
    "tags": st.lists(PLAIN.map(yaml_quoted), max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
    "keywords": st.lists(PLAIN.map(yaml_quoted), max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
    "promoted": st.sampled_from(["true", "false"]),
    "updated": st.dates().map(str),
    "aliases": st.lists(
        PLAIN.filter(lambda t: not set(t) & set("?#/.\\") and t.strip()), max_size=2, unique=True
    ).map(lambda xs: f"[{', '.join(yaml_quoted(f'/old/{x}/') for x in xs)}]"),
}
FIELD = st.one_of(
    *[st.tuples(st.just(key), values) for key, values in VALID.items()],
    st.tuples(KEY, YAML_VALUE),  # anything at all
)
FRONT_MATTER = st.lists(FIELD, min_size=1, max_size=5, unique_by=lambda kv: kv[0]).map(
    lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs)
)
TOPIC_FRONT_MATTER = st.lists(  # an _index.md: the keys a topic takes, now and then any
    st.one_of(
        *[st.tuples(st.just(k.name), VALID[k.name]) for k in KEYS if k.topics and k.name in VALID],
        st.tuples(KEY, YAML_VALUE),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda kv: kv[0],
).map(lambda pairs: "".join(f"{key}: {value}\n" for key, value in pairs))


# --- Markdown ----------------------------------------------------------------------------------
SCHEME_SHAPES = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "\\\\evil.example\\x",
    "http:evil.example",
    "https://example.com/a b",
    "mailto:a@example.com?subject=<x>",
    "tel:+1",
    "contact:",
    "contact:nobody",
    "file:///etc/passwd",
    "../../../../etc/passwd",
    "/etc/passwd",
    "orders/cancel.md#nowhere",
    "missing.md",
    "#",
    "%00",
    "%zz",
    "?q=1",
    "<>",
    "",
]
LINK = st.builds(
    lambda bang, text, href: f"{bang}[{text}]({href})",
    st.sampled_from(["", "!"]),
    st.sampled_from(["x", "", "<b>", "[nested](a.md)"]),
    st.sampled_from(SCHEME_SHAPES),
)
BLOCK = st.one_of(
    LINK,
    st.sampled_from(SCHEME_SHAPES).map(lambda h: f"[ref]\n\n[ref]: {h}"),
    st.sampled_from(SCHEME_SHAPES).map(lambda h: f"<{h}>"),
    st.sampled_from(SCHEME_SHAPES).map(lambda h: f'<a href="{h}">raw</a>'),
    st.integers(1, 300).map(lambda n: "> " * n + "deep"),
    st.integers(1, 120).map(lambda n: "\n".join("  " * i + "- item" for i in range(n))),
    st.sampled_from(["```", "~~~", "```python", "````"]).map(lambda f: f + "\nunclosed fence"),
    st.sampled_from(
        [
            "<div>",
            "</div></div>",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<!-- unclosed comment",
            "<![CDATA[ x",
            "<svg><style>*{}</style></svg>",
            "<details><summary>x",
            "# Title {: onclick=alert(1) }",
            "## Same {#same}\n\n## Same {#same}",
            "## {#}",
            "paragraph\n{: #id .class data-x=1 }",
            "![](x.png)",
            "![alt](x.png){: width=1 }",
            "\x00",
            "\u202e\u2066",
            "&#0; &#xD800; &#x110000;",
            "*" * 2000 + "x",
            "[" * 2000,
            "`" * 500,
            "<" * 2000,
            "| a |\n|",
        ]
    ),
    st.tuples(st.integers(1, 300), st.integers(1, 30)).map(
        lambda rc: "\n".join(
            ["|" + " h |" * rc[1], "|" + " --- |" * rc[1]] + ["|" + " c |" * rc[1]] * rc[0]
        )
    ),
    TEXT,
)
FINE = st.one_of(  # what an article usually holds, hostile only in its text
    PLAIN,
    PLAIN.map(lambda t: f"## {t}"),
    PLAIN.map(lambda t: f"`{t}`"),
    st.sampled_from(["[Cancel](cancel.md)", "[Home](../_index.md)", "[R](../returns.md)"]),
    st.sampled_from(["https://example.com/a", "mailto:a@example.com"]).map(lambda h: f"[x]({h})"),
    st.sampled_from(["- a\n- b", "1. a\n2. b", "> quote", "| a | b |\n|---|---|\n| 1 | 2 |"]),
)
MARKDOWN = st.lists(st.one_of(FINE, FINE, BLOCK), max_size=6).map("\n\n".join)


@EXAMPLES
@given(front=FRONT_MATTER, body=MARKDOWN, index_front=TOPIC_FRONT_MATTER)
@example(front="updated: 2026-02-30\n", body="x", index_front="title: T\n")
@example(
    front="title: !!python/object/apply:os.system ['touch pwned']\n",
    body="",
    index_front="title: T\n",
)
@example(front="aliases: &a [*a]\n", body="[x](javascript:alert(1))", index_front="icon: [1]\n")
@example(front="tags: " + "[" * 200 + "]" * 200 + "\n", body="> " * 300, index_front="title: T\n")
def test_front_matter_and_markdown_build_or_fail_located(previous, front, body, index_front):
    files = {k: v.encode() for k, v in GOOD.items()}
    files["helpgen.toml"] = BUDGET.encode()
    files["content/orders/hostile.md"] = f"---\n{front}---\n{body}\n".encode()
    files["content/orders/_index.md"] = f"---\n{index_front}---\nThe orders.\n".encode()
    outcome, _ = build_project(previous, files)
    if "pwned" in front:
        assert outcome.code == 1  # a Python object from YAML is never made


# --- file and folder names, aliases -------------------------------------------------------------
NAME_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00\n")
RESERVED = [
    "search",
    "static",
    "404.html",
    "404",
    "index",
    "_index",
    "index.html",
    "sitemap.xml",
    "feed.xml",
    "robots.txt",
    "contact",
    "whats-new",
    "build",
    "themes",
    "en",
    "CON",
    "nul",
]
SEGMENT = st.one_of(
    st.text(NAME_CHARS, min_size=1, max_size=24),
    st.sampled_from(RESERVED),
    st.sampled_from(
        [
            "a b",
            "FAQ: returns",
            "javascript:alert(1)",
            "100%",
            "a%2Fb",
            "C#",
            "what?",
            ".hidden",
            "..x",
            "-dash",
            "--help",
            "~",
            " lead",
            "trail ",
            "Ünïcödé",
            "漢字",
            "\u202eevil",
            "a\tb",
        ]
    ),
    st.integers(100, 246).map(lambda n: "é" * (n // 2)),  # long: 255 bytes with ".markdown"
).filter(lambda s: s not in (".", "..") and len(s.encode()) <= 246)
SUFFIX = st.sampled_from([".md", ".md", ".md", ".MD", ".markdown", ".png", ".html", ""])
PATH = st.builds(
    lambda folders, name, suffix: "/".join([*folders, name + suffix]),
    st.lists(SEGMENT, max_size=2),
    SEGMENT,
    SUFFIX,
).filter(lambda p: len(p.encode()) < 1000)


ALIAS = st.one_of(
    st.builds(lambda segs: "/" + "/".join(segs) + "/", st.lists(SEGMENT, max_size=3)),
    st.sampled_from(["", "/", "../x", "//x//", "/x/index.html", "/a?b", "/#x", "/search/"]),
    TEXT,
)


def article(title: str, aliases: list[str]) -> bytes:
    fields = f"title: {yaml_quoted(title)}\n"
    if aliases:
        fields += f"aliases: [{', '.join(map(yaml_quoted, aliases))}]\n"
    return f"---\n{fields}---\nText of {yaml_quoted(title)}.\n".encode()


@EXAMPLES
@given(
    paths=st.lists(PATH, min_size=1, max_size=5, unique_by=lambda p: p.lower()),
    cased=st.booleans(),
    aliases=st.lists(ALIAS, max_size=3),
)
@example(paths=["search.md", "static/x.md", "404.html.md"], cased=False, aliases=["/search/"])
@example(paths=["A.md", "FAQ: returns.md"], cased=True, aliases=["/old/"])
@example(paths=["static"], cased=False, aliases=[])  # a content file over the theme's folder
@example(paths=["javascript:alert(1)/x.md", ".hidden/y.md"], cased=False, aliases=["../x"])
def test_file_and_folder_names_build_or_fail_located(previous, paths, cased, aliases):
    files = {k: v.encode() for k, v in GOOD.items()}
    files["helpgen.toml"] = BUDGET.encode()
    for i, rel in enumerate(paths):
        files[f"content/{rel}"] = article(f"Page {i}", aliases if i == 0 else [])
        if cased and rel.swapcase() != rel:  # a case collision: one folder on some systems
            files[f"content/{rel.swapcase()}"] = article(f"Other {i}", [])
    assume(not _parents(files) & set(files))  # a file and a folder of one name can't be written
    build_project(previous, files)


@pytest.mark.parametrize(
    ("rels", "where"),
    [
        (["index.html.md"], "index.html.md"),
        (["orders/index.html.md"], "orders/index.html.md"),
        (["index.html/a.md"], "index.html"),  # the topic folder
        (["x.png", "x.png.md"], "x.png.md"),
    ],
)
def test_a_page_where_another_file_is_written_is_located_at_its_source(previous, rels, where):
    files = {k: v.encode() for k, v in GOOD.items()}
    files.update({f"content/{rel}": b"# Page\n" for rel in rels})
    outcome, _ = build_project(previous, files)
    assert outcome.code == 1
    assert any(e.startswith(f"error: content/{where}:") for e in outcome.errors), outcome.output


def test_a_folder_with_a_long_name_builds(previous):
    folder = "é" * 125  # 250 bytes
    files = {k: v.encode() for k, v in GOOD.items()}
    files[f"content/{folder}/a.md"] = b"# A\n"
    outcome, _ = build_project(previous, files)
    assert outcome.code == 0


# --- helpgen.toml ------------------------------------------------------------------------------
def toml_value(value: object) -> str:
    """`value` written as TOML (strings escaped, so anything may be inside)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else repr(value)
    if isinstance(value, (int, dt.date)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


VALUE = st.recursive(
    st.one_of(
        st.booleans(),
        st.integers(-(2**63), 2**63 - 1),
        st.floats(),
        st.dates(),
        HOSTILE_TEXT,
        st.sampled_from(["en", "he", "zh-CN", "xx-", "https://x.example/", "javascript:x", "//x"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=8,
)
TOP_KEYS = sorted({o.name.split(".")[0] for o in OPTIONS} | {"titel", "x", "contact.nope"})
CHANNEL = st.fixed_dictionaries(
    {"id": st.sampled_from(["chat", "Chat!", "", "a"]), "label": VALUE},
    optional={
        "url": st.one_of(st.sampled_from(SCHEME_SHAPES), VALUE),
        "type": st.sampled_from(["email", "phone", "form", "link", "pigeon"]),
        "hours": st.sampled_from(["24/7", "Mon-Fri 09:00-18:00", "Mon-Foo", "25:00"]),
        "timezone": st.sampled_from(["Europe/Lisbon", "Mars/Base", "../../etc/passwd"]),
        "params": VALUE,
        "x": VALUE,
    },
)


def config_text(top: dict[str, object], channels: list[dict[str, object]]) -> str:
    lines = [f"{json.dumps(key)} = {toml_value(value)}" for key, value in top.items()]
    for channel in channels:
        lines.append("[[contact.channels]]")
        lines += [f"{json.dumps(key)} = {toml_value(value)}" for key, value in channel.items()]
    return "\n".join(lines) + "\n"


GOOD_CHANNEL = st.fixed_dictionaries(  # a channel that works, hostile only in its texts
    {
        "id": st.sampled_from(["chat", "mail"]),
        "url": st.sampled_from(["https://x.example/chat", "help@x.example", "/help/form/"]),
        "label": HOSTILE_TEXT,
    },
    optional={"description": HOSTILE_TEXT, "promise": HOSTILE_TEXT},
)
GOOD_TOP = st.fixed_dictionaries(
    {},
    optional={
        "title": HOSTILE_TEXT,
        "language": st.sampled_from(["en", "he", "fa", "zh-CN", "ja"]),
        "offline": st.booleans(),
        "broken_links": st.sampled_from(["warn", "error"]),
        "max_article_seconds": st.integers(1, 5),
    },
)
CONFIG = st.one_of(
    st.builds(
        config_text, GOOD_TOP, st.lists(GOOD_CHANNEL, max_size=2, unique_by=lambda c: c["id"])
    ).map(str.encode),
    st.builds(
        config_text,
        st.dictionaries(st.sampled_from(TOP_KEYS), VALUE, max_size=4),
        st.lists(CHANNEL, max_size=2),
    ).map(str.encode),
    st.lists(
        st.sampled_from(['title = "x"', "[", "]", "= 1", "a.b = 1", "[a]\n[a]", '"', "\\", "\n"]),
        max_size=8,
    ).map(lambda xs: "\n".join(xs).encode()),  # not TOML at all
    st.sampled_from(
        [
            b'title = "caf\xe9"\n',  # Latin-1
            '\ufefftitle = "x"\n'.encode("utf-16"),
            b"\x00\x01\x02",
            b'title = "\xff\xfe"',
            b'title = "x"\ntitle = "y"\n',
        ]
    ),
)


@EXAMPLES
@given(config=CONFIG)
@example(config=b'title = 5\nlanguage = "xx-"\nmax_article_kb = 0\n')
@example(config=b'[[contact.channels]]\nid = "c"\nurl = "javascript:x"\nlabel = "C"\n')
@example(config=b"[contact]\nchannels = 3\n")
def test_config_builds_or_fails_located(previous, config):
    files = {k: v.encode() for k, v in GOOD.items()}
    files["helpgen.toml"] = config
    build_project(previous, files)


@given(st.text(alphabet="ab&<>\"'\n\t\r é\u200f", max_size=12))
def test_xml_escaping_is_saxutils(value):
    """The feed's and the sitemap's escaping, written out, is xml.sax.saxutils' to the byte."""
    from xml.sax.saxutils import escape, quoteattr

    from helpgen import xmlescape

    assert xmlescape.escape(value) == escape(value)
    assert xmlescape.quoteattr(value) == quoteattr(value)
