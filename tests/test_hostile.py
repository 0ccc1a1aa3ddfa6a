"""Hostile or broken input: a located error (exit 1) or a clean build, within seconds.

Never a traceback, an "internal error", a hang, or a file of the build machine in the output.
Builds run as `python -m helpgen build` in a fresh process with a deadline, so a hang fails the
test instead of stopping the run.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpgen import render
from helpgen.cli import main
from helpgen.errors import HelpgenError
from helpgen.pipeline import build
from helpgen.render import TimeLimit, time_limit

from .conftest import REPO, TOR, write_files

MARKER = "HELPGEN-SECRET-MARKER-5f3a9c"  # in files outside content/: never in any output
DEADLINE = 40.0  # seconds for a whole build in a fresh process, on a busy machine
QUICK = 15.0  # what a hostile case may cost at most (a normal build here takes ~1-2 s)
_LOCATED = re.compile(r"^error: (?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+)$")


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def errors(self) -> list[tuple[str, int | None, str]]:
        """(file, line, message) of every `error: FILE[:LINE]: message` line."""
        found = []
        for line in self.err.splitlines():
            if line.startswith("error: "):
                m = _LOCATED.match(line)
                assert m, f"an error without a file: {line!r}"
                number = int(m["line"]) if m["line"] else None
                found.append((m["file"], number, m["message"]))
        return found

    def error_at(self, file: str, words: str) -> tuple[str, int | None, str]:
        hits = [e for e in self.errors if e[0] == file and words in e[2]]
        assert hits, f"no error at {file} saying {words!r}:\n{self.err}"
        return hits[0]


def helpgen(root: Path, *args: str, deadline: float = DEADLINE) -> Run:
    """`helpgen ARGS` in `root`, in a fresh process; fails the test if it runs past `deadline`."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "helpgen", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=deadline,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"helpgen {' '.join(args)} still running after {deadline}s: {exc.stderr!r}")
    run = Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)
    assert "Traceback" not in run.err + run.out, run.err
    assert "internal error" not in run.err + run.out, run.err
    assert run.code in (0, 1), (run.code, run.err)
    return run


def snapshot(folder: Path) -> dict[str, str]:
    """{relative path: sha256} of every file below `folder` ({} if it does not exist)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def assert_no_secret(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert MARKER.encode() not in data and b"root:x:0:0" not in data, p


def good_site(root: Path, toml: str = "") -> Path:
    files = {
        "content/_index.md": "---\ntitle: Help\n---\nWelcome.\n",
        "content/a.md": "---\ntitle: A\n---\nText of A, see [B](guides/b.md).\n",
        "content/guides/_index.md": "---\ntitle: Guides\n---\n",
        "content/guides/b.md": "---\ntitle: B\n---\nText of B.\n",
        "content/guides/pic.png": "png",
    }
    if toml:
        files["helpgen.toml"] = toml
    return write_files(root, files)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the site holding secrets: secret.md, secret.png, dir/x.md."""
    folder = tmp_path / "outside"
    write_files(
        folder,
        {
            "secret.md": f"# Secret\n\n{MARKER}\n",
            "secret.png": MARKER,
            "dir/x.md": f"# X\n\n{MARKER}\n",
            "dir/y.txt": MARKER,
        },
    )
    return folder


# --- 1. files of the build machine are never published ----------------------------------------

# (link's path in content/, where it points: absolute or relative to the tmp folder)
OUTSIDE_LINKS = [
    ("passwd.md", "/etc/passwd"),
    ("environ.txt", "/proc/self/environ"),
    ("guides/secret.md", "@outside/secret.md"),
    ("guides/logo.png", "@outside/secret.png"),
    ("shared", "@outside/dir"),
    ("guides/up", "@."),  # the folder holding the site and the secrets
    ("dotdot.md", "../outside/secret.md"),  # relative, as `ln -s ../x` writes it
]


def _link(root: Path, rel: str, target: str) -> Path:
    link = root / "content" / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    if target.startswith("@"):
        target = str((root.parent / target[1:]).resolve())
    elif target.startswith("../"):
        target = os.path.relpath(root.parent / target[3:], link.parent)
    link.symlink_to(target)
    return link


@pytest.mark.parametrize(("rel", "target"), OUTSIDE_LINKS)
def test_a_link_leading_outside_content_is_a_located_error(tmp_path, outside, rel, target):
    root = good_site(tmp_path / "site")
    before = helpgen(root, "build")
    assert before.code == 0, before.err
    published = snapshot(root / "build")
    _link(root, rel, target)
    run = helpgen(root, "build")
    assert run.code == 1
    _, _, message = run.error_at(f"content/{rel}", "outside the content folder")
    assert "refusing to publish it" in message
    assert "hint: copy what it points to into content/" in run.err
    assert snapshot(root / "build") == published  # the last good build is left as it was
    assert_no_secret(root / "build")
    check = helpgen(root, "check", "--format", "json")
    assert check.code == 1 and '"code": "outside-content"' in check.out


@pytest.mark.parametrize(("rel", "target"), OUTSIDE_LINKS)
def test_a_link_leading_outside_content_is_left_out_with_skip(tmp_path, outside, rel, target):
    root = good_site(tmp_path / "site", 'symlinks_outside = "skip"\n')
    _link(root, rel, target)
    run = helpgen(root, "build")
    assert run.code == 0, run.err
    assert f"warning: content/{rel}: a link to a" in run.err and "left out" in run.err
    assert (root / "build/a/index.html").is_file()
    assert_no_secret(root / "build")
    assert not (root / "build" / rel).exists()


def test_a_fresh_build_with_an_outside_link_creates_no_output(tmp_path, outside):
    root = good_site(tmp_path / "site")
    _link(root, "guides/secret.md", "@outside/secret.md")
    run = helpgen(root, "build")
    assert run.code == 1 and not (root / "build").exists()


def test_links_that_stay_inside_content_keep_working(tmp_path):
    root = good_site(tmp_path / "site")
    (root / "content/alias.md").symlink_to("a.md")
    (root / "content/more").symlink_to("guides", target_is_directory=True)
    (root / "content/img.png").symlink_to(root / "content/guides/pic.png")  # absolute, inside
    (root / "content/a.md").write_text("---\ntitle: A\n---\n![A picture](img.png)\n")
    run = helpgen(root, "build")
    assert run.code == 0, run.err
    assert (root / "build/alias/index.html").is_file()
    assert (root / "build/more/b/index.html").is_file()
    assert (root / "build/img.png").read_text() == "png"


# (links to make: path in content/ -> target as written), the link reported
LOOPS = [
    ({"self.md": "self.md"}, "content: 'self.md'"),
    ({"one.md": "two.md", "two.md": "one.md"}, "content: 'one.md'"),
    ({"guides/loop.png": "loop.png"}, "content/guides: 'loop.png'"),
    ({"guides/again": "."}, "content/guides/again"),
    ({"guides/home": ".."}, "content/guides/home"),
]


@pytest.mark.parametrize(("links", "where"), LOOPS, ids=[w for _, w in LOOPS])
def test_a_link_that_leads_round_in_a_circle_is_a_located_error(tmp_path, links, where):
    root = good_site(tmp_path / "site")
    for rel, target in links.items():
        (root / "content" / rel).symlink_to(target)
    run = helpgen(root, "build")
    assert run.code == 1
    assert f"error: {where}" in run.err and "leads round in a circle" in run.err, run.err
    assert not (root / "build").exists()


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()


def _device(path: Path) -> None:
    try:
        os.mknod(path, 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero
    except PermissionError:
        pytest.skip("making a device needs root")


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("pipe.md", _fifo, "a named pipe"),
        ("guides/pipe.png", _fifo, "a named pipe"),
        ("sock.md", _socket, "a socket"),
        ("zero.md", _device, "a device"),
    ],
)
def test_special_files_are_never_opened_but_skipped_with_a_warning(tmp_path, name, make, kind):
    root = good_site(tmp_path / "site")
    make(root / "content" / name)
    run = helpgen(root, "build", deadline=QUICK)  # opening a FIFO would block forever
    assert run.code == 0, run.err
    assert f"warning: content/{name}: not a regular file ({kind}): left out" in run.err
    assert (root / "build/a/index.html").is_file()


# --- 1b. a folder without helpgen.toml or content/ ---------------------------------------------

NOT_CONTENT = [
    ({}, ".", "no Markdown file here"),
    ({"notes.txt": "x"}, ".", "no Markdown file here"),
    ({"a.md": "# A\n", "setup.py": MARKER}, "setup.py", "code project"),
    ({"a.md": "# A\n", "package.json": MARKER}, "package.json", "code project"),
    ({"a.md": "# A\n", ".env": MARKER}, ".env", "secrets"),
    ({"a.md": "# A\n", ".git/config": MARKER}, ".git", "code project"),
    ({"a.md": "# A\n", ".ssh/id_rsa": MARKER}, ".ssh", "home folder"),
    ({"a.md": "# A\n", "id_ed25519": MARKER}, "id_ed25519", "secrets"),
    ({"a.md": "# A\n", "keys/server.pem": MARKER}, "keys/server.pem", "secrets"),
    ({"a.md": "# A\n", "credentials.json": MARKER}, "credentials.json", "secrets"),
    ({"docs/a.md": "# A\n", "src/tool.py": MARKER}, "src/tool.py", "source code"),
]


@pytest.mark.parametrize(
    ("files", "where", "words"), NOT_CONTENT, ids=[f"{w}-{len(f)}" for f, w, _ in NOT_CONTENT]
)
def test_a_folder_that_does_not_look_like_content_is_refused(tmp_path, files, where, words):
    root = tmp_path / "project"
    root.mkdir()
    write_files(root, files)
    run = helpgen(root, "build")
    assert run.code == 1
    run.error_at(where, words)
    assert "helpgen init" in run.err and "content/" in run.err
    assert not (root / "build").exists()
    assert helpgen(root, "check").code == 1


def test_a_folder_of_articles_builds_without_configuration(tmp_path):
    root = write_files(
        tmp_path / "articles",
        {
            "index.md": "# Help\n",
            "billing/refunds.md": "# Refunds\n\n![Refund form](form.png)\n",
            "billing/form.png": "png",
            "LICENSE-NOTE.txt": "CC-BY",
            "manifest.jsonl": "{}\n",
            "queries.jsonl": "{}\n",
        },
    )
    first = helpgen(root, "build")
    assert first.code == 0, first.err
    again = helpgen(root, "build")  # build/ holds JavaScript: helpgen's own, not the site's
    assert again.code == 0, again.err
    assert (root / "build/billing/refunds/index.html").is_file()


@pytest.mark.skipif(not TOR.is_dir(), reason="../shared/corpora not present")
def test_a_corpus_language_folder_builds_without_configuration(tmp_path):
    root = tmp_path / "en"
    shutil.copytree(TOR / "en", root)
    run = helpgen(root, "build")
    assert run.code == 0, run.err
    assert (root / "build/index.html").is_file()


# --- 2. no hang, no crash -----------------------------------------------------------------------

FRONT_MATTER = [
    ("updated: 2026-02-30", 3, "'2026-02-30' is not a valid date"),
    ("updated: 2026-13-01", 3, "'2026-13-01' is not a valid date"),
    ("order: !!int abc", 3, "'abc' is not a valid whole number"),
    ("order: !!float x", 3, "'x' is not a valid number"),
    ("updated: !!timestamp nope", 3, "'nope' is not a valid date"),
    ("tags: &a [*a]", 3, "front matter contains itself"),
    ("tags: " + "[" * 100 + "]" * 100, 3, "nested too deeply"),
    ("tags: " + "[" * 30000 + "]" * 30000, 3, "nested too deeply"),  # libyaml would crash
    ("tags:\n  " + "- " * 5000 + "x", 4, "nested too deeply"),
    ("tags:\n  " + "- " * 1000 + "x", 4, "nested too deeply"),
    (
        "a: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"a{i}: &a{i} [{', '.join([f'*a{i - 1}' if i > 1 else '*a'] * 9)}]\n"
            for i in range(1, 10)
        ),
        3,  # where the first anchor is
        "more than 10,000 values",
    ),
    ("? [a, b]\n: c", 3, "unhashable key"),
    ("title: [unclosed", 3, "invalid front matter"),
]


@pytest.mark.parametrize(("yaml_text", "line", "words"), FRONT_MATTER, ids=range(len(FRONT_MATTER)))
def test_front_matter_that_yaml_cannot_make_is_a_located_error(tmp_path, yaml_text, line, words):
    root = good_site(tmp_path / "site")
    (root / "content/x.md").write_text(f"---\ntitle: X\n{yaml_text}\n---\nBody.\n")
    run = helpgen(root, "build", deadline=QUICK)
    assert run.code == 1
    assert run.error_at("content/x.md", words)[1] == line
    assert not (root / "build").exists()


ENCODINGS = [
    ("# Title\n\nCafé\n".encode("utf-16"), 1, "file is UTF-16, not UTF-8"),
    ("# Title\n".encode("utf-16-be"), 1, "NUL bytes"),  # no byte order mark
    ("# Title\n".encode("utf-16-le"), 1, "NUL bytes"),
    ("# Title\n".encode("utf-32"), 1, "file is UTF-32, not UTF-8"),
    (b"\xfe\xff\x00#", 1, "file is UTF-16, not UTF-8"),
    ("# Title\n\nCafé\n".encode("latin-1"), 3, "not valid UTF-8"),
    (b"# Title\n\nok\n\x00\x01\x02binary", 4, "NUL bytes"),
    (bytes(range(256)), 1, "NUL bytes"),
]


@pytest.mark.parametrize(("raw", "line", "words"), ENCODINGS, ids=range(len(ENCODINGS)))
def test_a_file_not_in_utf8_is_a_located_error(tmp_path, raw, line, words):
    root = good_site(tmp_path / "site")
    (root / "content/x.md").write_bytes(raw)
    run = helpgen(root, "build", deadline=QUICK)
    assert run.code == 1
    assert run.error_at("content/x.md", words)[1] == line
    assert "save the file as UTF-8" in run.err


DEEP = {
    "list-300": "\n".join("    " * i + "- x" for i in range(300)),
    "ordered-300": "\n".join("   " * i + "1. x" for i in range(300)),
    "stars-3000": "*" * 3000 + "x" + "*" * 3000,
    "underscores-3000": "_" * 3000 + "x" + "_" * 3000,
    "quotes-10000": ">" * 10000 + " x",
    "spaced-quotes-10000": "> " * 10000 + "x",
    "brackets-5000": "[" * 5000 + "x" + "](" * 5000,
    "mixed-2000": "> - * " * 2000 + "x",
    "angles-5000": "<" * 5000 + "x",
    "backticks-5000": "`" * 5000 + "x",
}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", list(DEEP))
def test_deeply_nested_markdown_is_fast_and_located(tmp_path, name, jobs):
    root = good_site(tmp_path / "site", "max_article_seconds = 2\n")
    (root / "content/deep.md").write_text(f"---\ntitle: Deep\n---\nIntro.\n\n{DEEP[name]}\n")
    run = helpgen(root, "build", "--jobs", jobs, deadline=QUICK)
    if run.code == 1:
        _, line, message = run.errors[0]
        assert [e[0] for e in run.errors] == ["content/deep.md"], run.err
        assert line is not None and line >= 4
        assert "nested too deeply" in message or "max_article_seconds (2 s)" in message
        assert not (root / "build").exists()
    else:
        assert (root / "build/deep/index.html").is_file()


@pytest.mark.parametrize(("kb", "size"), [(1, 2000), (64, 100_000), (2048, 2_200_000)])
def test_an_article_over_max_article_kb_is_a_located_error(tmp_path, kb, size):
    root = good_site(tmp_path / "site", f"max_article_kb = {kb}\n" if kb != 2048 else "")
    (root / "content/huge.md").write_text("# Huge\n\n" + ("word " * (size // 5 + 1)))
    run = helpgen(root, "build", deadline=QUICK)
    assert run.code == 1
    run.error_at("content/huge.md", f"more than max_article_kb ({kb:,} KB)")
    assert "split it" in run.err


@pytest.mark.parametrize("text", ["max_article_kb = 0", "max_article_seconds = -1"])
def test_budgets_must_be_positive(tmp_path, text):
    root = good_site(tmp_path / "site", text + "\n")
    run = helpgen(root, "build")
    assert run.code == 1 and run.error_at("helpgen.toml", "must be more than 0")


def test_the_time_limit_stops_a_slow_block_and_restores_the_previous_timer():
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    previous = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        started = time.perf_counter()
        with pytest.raises(TimeLimit), time_limit(0.2):
            while True:
                pass
        assert time.perf_counter() - started < 5
        with time_limit(5):
            pass
        left, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < left <= 30  # the outer timer runs on
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_killed_worker_is_an_error_not_a_hang(tmp_path, monkeypatch):
    root = tmp_path / "site"
    write_files(root, {f"content/p{i:02}.md": f"# Page {i}\n\nText.\n" for i in range(40)})
    parent = os.getpid()
    job = render._Job.__call__

    def dies_on_p17(self, key):
        if os.getpid() != parent and key[1].name == "p17.md":
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
        return job(self, key)

    monkeypatch.setattr(render._Job, "__call__", dies_on_p17)
    outcome: list[BaseException | None] = []
    thread = threading.Thread(target=lambda: outcome.append(_build_error(root)), daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), "the build still waits for a dead worker"
    [error] = outcome
    assert isinstance(error, HelpgenError), error
    [problem] = error.problems
    assert problem.code == "worker-died"
    assert "a worker process died (killed by SIGKILL; out of memory?) while rendering" in str(
        problem
    )
    assert Path(problem.path).name == "p17.md"
    assert "--jobs 1" in (problem.hint or "")
    assert multiprocessing.active_children() == []  # no worker left behind
    assert not (root / "build").exists()


def _build_error(root: Path) -> BaseException | None:
    try:
        build(root, jobs=2)
    except BaseException as exc:  # the test looks at what it was
        return exc
    return None


# --- 3. anything at all: a clean build or located errors ---------------------------------------

_YAML_ATOMS = st.sampled_from(
    ["2026-02-30", "2026-13-01", "2026-01-31", "0x1F", "1e999", "-0", ".nan", "~", "null",
     "yes", "!!int x", "!!float y", "!!binary @@", "&a", "*a", "*b", "<<", "? ", ": ", "- ",
     "[", "]", "{", "}", ",", "'", '"', "|", ">", "#", "%", "@", "`", "\\0", "\x00", "\t",
     "\n", "\n  ", "title", "order", "updated", "tags", "x", "é", "\u202e", "\ufeff"]
)  # fmt: skip
_MD_ATOMS = st.sampled_from(
    [">", "> ", "-", "- ", "*", "**", "_", "`", "```", "[", "](", "]", ")", "<", "</", "<a ",
     "href=", "![", "#", " ", "    ", "\n", "\n\n", "1. ", "x", "|", ":::", "!!! note", "\\",
     "&", "\x00", "\u200f"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.dates().map(str),
    st.tuples(st.integers(0, 10000), st.integers(0, 20), st.integers(0, 40)).map(
        lambda t: f"{t[0]:04}-{t[1]:02}-{t[2]:02}"
    ),
    st.integers().map(str),
    st.floats(allow_nan=True).map(repr),
    st.text(max_size=20).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.text(max_size=20),
)
_NESTED = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from("abc"), inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
    ),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,  # timings vary on a busy machine; the check below bounds each example
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    key=st.sampled_from(["title", "order", "updated", "tags", "description", "type", "x"]),
    value=st.one_of(_NESTED, st.lists(_YAML_ATOMS, max_size=12).map("".join)),
    body=st.lists(_MD_ATOMS, max_size=80).map("".join),
    depth=st.integers(0, 400),
)
@example(key="updated", value="2026-02-30", body="x", depth=0)
@example(key="title", value="\x00", body="", depth=0)
@example(key="tags", value="&a [*a]", body="", depth=0)
@example(key="title", value="X", body="", depth=400)
def test_any_front_matter_and_body_builds_or_fails_located(key, value, body, depth):
    body = body + "\n" + "".join(">-*["[i % 4] for i in range(depth))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_files(
            Path(tmp),
            {"helpgen.toml": "max_article_seconds = 3\n", "content/b.md": "# B\n\nFine.\n"},
        )
        (root / "content/a.md").write_text(f"---\n{key}: {value}\n---\n{body}\n", "utf-8")
        started = time.perf_counter()
        cwd = Path.cwd()
        os.chdir(root)
        try:
            result = CliRunner().invoke(main, ["build", "--jobs", "1"])
        finally:
            os.chdir(cwd)
        assert time.perf_counter() - started < QUICK
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
        output = result.output
        assert "Traceback" not in output and "internal error" not in output, output
        assert result.exit_code in (0, 1), output
        if result.exit_code == 1:
            errors = [line for line in output.splitlines() if line.startswith("error: ")]
            assert errors, output
            for line in errors:
                assert _LOCATED.match(line) and line.startswith("error: content/a.md"), output
            assert not (root / "build").exists()
        else:
            assert (root / "build/b/index.html").is_file()
