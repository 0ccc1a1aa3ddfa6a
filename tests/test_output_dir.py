"""The output folder, handled with care: what helpgen did not write is kept, a swap killed at
any step is finished by the next build, builds into one folder take turns, and the deployable
folder holds only what the browser needs. Kills are real SIGKILLs of a build process."""

from __future__ import annotations

import errno
import json
import os
import select
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpgen import write as write_module
from helpgen.cli import main
from helpgen.errors import HelpgenError
from helpgen.outdir import state_dir
from helpgen.pages import Output, Outputs
from helpgen.pipeline import build
from helpgen.write import locked, write

from .conftest import REPO, write_files

ENV = {**os.environ, "PYTHONPATH": str(REPO)}

OLD = {
    "content/_index.md": "---\ntitle: Help\n---\nWelcome.\n",
    "content/a.md": "---\ntitle: Apples\n---\nApples are red. ![Logo](logo.png)\n",
    "content/logo.png": "png",
    "content/b.md": "# Bananas\n\nBananas are yellow.\n",
    "content/old/_index.md": "---\ntitle: Old topic\n---\n",
    "content/old/c.md": "# Cherries\n\nCherries are dark.\n",
}
NEW = {  # a changed, b and the old topic gone, a new topic
    "content/_index.md": "---\ntitle: Help\n---\nWelcome.\n",
    "content/a.md": "---\ntitle: Apples\n---\nApples are green now. ![Logo](logo.png)\n",
    "content/logo.png": "png",
    "content/fresh/_index.md": "---\ntitle: Fresh topic\n---\n",
    "content/fresh/d.md": "# Dates\n\nDates are sweet.\n",
}


def tree(folder: Path) -> dict[str, object]:
    """Every entry below `folder`, links not followed: file bytes, "folder", or ("link", to)."""
    found: dict[str, object] = {}
    for here, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(here) / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = path.read_bytes()
    return found


def add_deployers_things(out: Path, outside: Path) -> None:
    """What a deployer adds: files, empty folders (one inside a folder of helpgen's), links."""
    out.mkdir(exist_ok=True)
    (out / "CNAME").write_text("help.example.com")
    (out / ".well-known").mkdir(exist_ok=True)
    (out / ".well-known/security.txt").write_text("Contact: mailto:sec@example.com")
    (out / "uploads/2026").mkdir(parents=True, exist_ok=True)
    (out / "b").mkdir(exist_ok=True)
    (out / "b/keep").mkdir(exist_ok=True)  # in b/, which the new site no longer has
    (out / "outside").symlink_to(outside)  # a link to a folder outside the output
    (out / "nowhere").symlink_to("missing-file")  # a dangling link


def site_with(tmp: Path, files: dict[str, str]) -> Path:
    """A site in tmp/site with `files`, an empty folder beside it that the builds must leave."""
    root = write_files(tmp / "site", files)
    write_files(tmp / "outside", {"secret.txt": "not yours"})
    return root


def one_build(tmp: Path, files: dict[str, str]) -> dict[str, object]:
    """The tree of a single build of `files` into a folder holding the deployer's things."""
    root = site_with(tmp, files)
    add_deployers_things(root / "build", tmp / "outside")
    build(root, jobs=1)
    return tree(root / "build")


def leaves_nothing_else(tmp: Path) -> None:
    """Beside the site: only the content, the output and helpgen's state folder (no next/)."""
    assert sorted(p.name for p in (tmp / "site").iterdir()) == [
        ".build.helpgen",
        "build",
        "content",
    ]
    names = {p.name for p in state_dir(tmp / "site/build").iterdir()}
    kept = {"cache.pickle", "compile.pickle", "lock", "state.json", "tools"}  # every build's
    later = {"cache.delta.pickle", "compile.delta.pickle", "templates"}  # later builds'
    assert kept <= names <= kept | later
    assert tree(tmp / "outside") == {"secret.txt": b"not yours"}


# --- what helpgen did not write is kept --------------------------------------------------------
def test_an_existing_folder_keeps_its_things_mode_and_owner_across_builds(tmp_path):
    root = site_with(tmp_path, OLD)
    out = root / "build"
    add_deployers_things(out, tmp_path / "outside")
    out.chmod(0o2775)
    before = os.stat(out)
    theirs = tree(out)
    build(root)
    (root / "content/a.md").write_text("# Apples\n\nChanged.\n")
    build(root)
    after = os.stat(out)
    assert (after.st_mode, after.st_uid, after.st_gid, after.st_ino) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
        before.st_ino,
    )
    now = tree(out)
    assert {rel: now.get(rel) for rel in theirs} == theirs  # files, empty folders, links
    assert "Changed." in (out / "a/index.html").read_text()
    assert (out / "a").stat().st_mode & stat.S_ISGID  # made inside: its group, as the kernel does
    leaves_nothing_else(tmp_path)


def test_stale_files_go_and_a_deployers_folder_inside_the_site_stays(tmp_path):
    root = site_with(tmp_path, OLD)
    out = root / "build"
    build(root)
    (out / "old/mine").mkdir()  # a deployer's empty folder inside a topic helpgen wrote
    (out / "b/notes.txt").write_text("mine")  # and a file inside an article's folder
    for rel in ("content/b.md", "content/old/_index.md", "content/old/c.md"):
        (root / rel).unlink()
    (root / "content/old").rmdir()
    build(root)
    assert not (out / "b/index.html").exists() and not (out / "old/index.html").exists()
    assert not (out / "old/c").exists()  # helpgen's own folder, left empty: removed
    assert (out / "old/mine").is_dir() and (out / "b/notes.txt").read_text() == "mine"
    pages = json.loads((out / "search/pages/0.json").read_text())
    assert [page[1] for page in pages] == ["Apples"]
    assert not (out / "search/pages/1.json").exists()
    (out / "old/mine").rmdir()
    (out / "b/notes.txt").unlink()
    build(root)  # the folders are still known as helpgen's, so now they can go
    assert not (out / "old").exists() and not (out / "b").exists()


def test_the_deployable_folder_holds_only_what_the_browser_needs(demo_site):
    names = {p.name for p in demo_site.rglob("*")}
    assert not {n for n in names if n.startswith(".helpgen") or n == "sources.json"}
    assert not any(p.name.startswith(".") for p in demo_site.rglob("*"))


@pytest.mark.parametrize(
    ("theirs", "need"),
    [
        ("a/index.html", "file"),  # a file where a page goes
        ("logo.png", "file"),  # where an asset goes
        ("fresh", "folder"),  # a file where a topic's folder goes
        ("a", "folder"),  # a link where a folder goes: never written through
    ],
)
def test_something_of_a_deployers_in_the_way_is_a_located_error_touching_nothing(
    tmp_path, theirs, need
):
    root = site_with(tmp_path, OLD)
    out = root / "build"
    out.mkdir()
    target = out / theirs
    if theirs == "a":
        target.symlink_to(tmp_path / "outside")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("theirs")
    files = NEW if theirs == "fresh" else OLD
    write_files(root, files)
    before, beside = tree(out), tree(tmp_path / "outside")
    run = subprocess.run(
        [sys.executable, "-m", "helpgen", "build"],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1, run.stderr
    kind = "a link" if theirs == "a" else "a file"
    assert (
        f"error: build/{theirs}: {kind} helpgen did not write is where the site needs a {need}"
        in run.stderr
    )
    assert "hint: move or rename it" in run.stderr and "Traceback" not in run.stderr
    assert tree(out) == before and tree(tmp_path / "outside") == beside
    assert not (state_dir(out) / "next").exists()


def test_a_damaged_or_tampered_record_is_a_located_error_and_nothing_outside_goes(tmp_path):
    root = site_with(tmp_path, OLD)
    build(root)
    record = state_dir(root / "build") / "state.json"
    data = json.loads(record.read_text())
    data["files"].append("../../outside/secret.txt")
    record.write_text(json.dumps(data))
    (root / "content/b.md").unlink()
    for text in (json.dumps(data), "{not json"):
        record.write_text(text)
        run = subprocess.run(
            [sys.executable, "-m", "helpgen", "build"], cwd=root, env=ENV, capture_output=True
        )
        assert run.returncode == 1
        assert b"state.json: helpgen's record of its output folder is damaged" in run.stderr
        assert tree(tmp_path / "outside") == {"secret.txt": b"not yours"}
        assert (root / "build/b/index.html").is_file()


# --- any mix of old files, new files and a deployer's things (property) -----------------------
SEGMENTS = st.sampled_from(["a", "b", "x.html"])
PATHS = st.lists(SEGMENTS, min_size=1, max_size=3).map("/".join)


def _above(rel: str) -> list[str]:
    """The folders above a path: a/b/c -> a, a/b."""
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def _valid_site(paths: set[str]) -> bool:
    """No path of the site is also a folder of another."""
    return not any(q.startswith(p + "/") for p in paths for q in paths)


def _outputs(paths: set[str], version: str) -> Outputs:
    files = tuple(Output(p, text=f"{version}:{p}") for p in sorted(paths))
    return Outputs(files, templates=None)  # type: ignore[arg-type]  # text outputs only


@settings(max_examples=100, deadline=None)
@given(
    old=st.sets(PATHS, min_size=1, max_size=6),
    new=st.sets(PATHS, min_size=1, max_size=6),
    theirs=st.lists(st.tuples(st.sampled_from(["file", "folder", "link"]), PATHS), max_size=4),
)
def test_any_swap_keeps_the_deployers_things_or_refuses_touching_nothing(
    tmp_path_factory, old, new, theirs
):
    assume(_valid_site(old) and _valid_site(new))
    tmp = tmp_path_factory.mktemp("swap")
    out, outside = tmp / "out", tmp / "outside"
    write_files(outside, {"secret.txt": "not yours"})
    write(_outputs(old, "old"), out, jobs=1)
    added: dict[str, object] = {}
    for kind, rel in theirs:  # each where there is room for it
        target = out / rel
        above = [out / p for p in _above(rel)]
        if os.path.lexists(target) or any(p.is_symlink() or p.is_file() for p in above):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == "file":
            target.write_text("theirs")
        elif kind == "folder":
            target.mkdir()
        else:
            target.symlink_to(outside)
        added[rel] = kind
    before = tree(out)
    try:
        write(_outputs(new, "new"), out, jobs=1)
    except HelpgenError as exc:
        assert tree(out) == before  # refused: nothing touched
        theirs_and_above = {*added, *(p for r in added for p in _above(r))}
        for problem in exc.problems:
            assert Path(problem.path).relative_to(out).as_posix() in theirs_and_above
    else:
        now = tree(out)
        for rel in new:
            assert now[rel] == f"new:{rel}".encode()
        for rel in old - new:
            assert now.get(rel) in (None, "folder")  # gone, or a folder the new site needs
        for rel in added:
            assert now[rel] == before[rel]
        above = {p for r in [*new, *added] for p in _above(r)}
        assert set(now) <= {*new, *added, *above}  # nothing else
    assert tree(outside) == {"secret.txt": b"not yours"}
    assert sorted(p.name for p in tmp.iterdir()) == [".out.helpgen", "out", "outside"]


def test_files_move_across_file_systems_by_way_of_a_copy(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_replace = os.replace

    def replace(src, dst):
        if Path(src).is_relative_to(state_dir(out)) and Path(dst).is_relative_to(out):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(write_module.os, "replace", replace)
    write(_outputs({"a/x.html", "b"}, "old"), out, jobs=1)
    write(_outputs({"a/x.html", "c"}, "new"), out, jobs=1)
    assert tree(out) == {"a": "folder", "a/x.html": b"new:a/x.html", "c": b"new:c"}
    assert not (state_dir(out) / "next").exists()


# --- builds into one folder take turns -----------------------------------------------------------
def test_a_build_waits_for_the_one_writing_and_says_so(tmp_path):
    root = site_with(tmp_path, OLD)
    out = root / "build"
    with locked(out):
        proc = subprocess.Popen(
            [sys.executable, "-m", "helpgen", "build"],
            cwd=root,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        assert ready, "no word from the waiting build"
        assert proc.stderr.readline() == "waiting for another build into build to finish…\n"
        time.sleep(1)
        assert proc.poll() is None and not out.exists()  # it waits, and writes nothing
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert (out / "a/index.html").is_file()


def test_two_builds_at_once_both_succeed_and_equal_one_build(tmp_path):
    expected = one_build(tmp_path / "single", NEW)
    root = site_with(tmp_path / "twice", NEW)
    add_deployers_things(root / "build", tmp_path / "twice/outside")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "helpgen", "build"],
            cwd=root,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert _without_links(tree(root / "build")) == _without_links(expected)
    leaves_nothing_else(tmp_path / "twice")


def _without_links(found: dict[str, object]) -> dict[str, object]:
    """The link to `outside` names its own test folder: compare where it points by name only."""
    return {
        k: (v if not isinstance(v, tuple) else ("link", Path(v[1]).name)) for k, v in found.items()
    }


# --- killed at any step of a build (SIGKILL) -------------------------------------------------------
CHILD = """
import json, os, signal, sys
import helpgen.write as w

kill_at, log = int(sys.argv[1]), sys.argv[2]
seen = []

def hooked(name, fn):
    def run(*args, **kwargs):
        seen.append(f"{name}:{args[0]}" if name == "apply" else name)
        with open(log, "w") as f:
            json.dump(seen, f)
        if len(seen) == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(*args, **kwargs)
    return run

w._put = hooked("put", w._put)
w._apply = hooked("apply", w._apply)
w._save = hooked("save", w._save)
import helpgen.quick as q
q._save_changes = hooked("changes", q._save_changes)  # a quick build's snapshot
from helpgen.cli import main
main(["build", "--jobs", "1"])
"""


def killed_build(root: Path, kill_at: int) -> tuple[int, list[str]]:
    """Build in a child process SIGKILLed at its `kill_at`-th step (0: never); its steps."""
    log = root.parent / "steps.json"
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), str(log)],
        cwd=root,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return run.returncode, json.loads(log.read_text())


def old_site_changed(tmp: Path) -> tuple[Path, dict[str, object]]:
    """The old site built, the deployer's things added, then its content changed to NEW."""
    root = site_with(tmp, OLD)
    build(root, jobs=1)
    add_deployers_things(root / "build", tmp / "outside")
    old_tree = tree(root / "build")
    shutil.rmtree(root / "content")
    write_files(root, NEW)
    return root, old_tree


@pytest.fixture(scope="module")
def new_tree(tmp_path_factory) -> dict[str, object]:
    return _without_links(one_build(tmp_path_factory.mktemp("expected"), NEW))


@pytest.fixture(scope="module")
def steps(tmp_path_factory) -> list[str]:
    """Every step of a build from the old site to the new one, as the child names them."""
    root, _ = old_site_changed(tmp_path_factory.mktemp("steps"))
    code, seen = killed_build(root, 0)
    assert code == 0
    return seen


# (step, which occurrence): each kind of step, the first and last of a run of them
KILL_POINTS = [
    ("put", 0),
    ("put", -1),
    ("save", 0),  # the journal
    ("apply:remove", 0),
    ("apply:remove", -1),
    ("apply:prune", 0),
    ("apply:create", 0),
    ("apply:create", -1),
    ("apply:move", 0),
    ("apply:move", 7),
    ("apply:move", -1),
    ("apply:tools", 0),
    ("save", 1),  # the record, once the swap is done
    ("apply:drop", 0),
]


def test_the_build_has_every_kind_of_step(steps):
    kinds = [s for i, s in enumerate(steps) if i == 0 or steps[i - 1] != s]
    assert kinds == [
        "put",
        "save",
        "apply:whole",
        "apply:remove",
        "apply:prune",
        "apply:create",
        "apply:move",
        "apply:tools",
        "save",
        "apply:drop",
    ]


@pytest.mark.parametrize(("step", "which"), KILL_POINTS)
def test_a_build_killed_at_any_step_leaves_a_site_the_next_build_completes(
    tmp_path, steps, new_tree, step, which
):
    at = [i for i, s in enumerate(steps) if s == step][which] + 1
    journal = steps.index("save") + 1
    root, old_tree = old_site_changed(tmp_path)
    out = root / "build"
    code, seen = killed_build(root, at)
    assert code == -signal.SIGKILL and len(seen) == at
    if at <= journal:  # killed before the journal was saved: the old site, whole
        assert tree(out) == old_tree
    if step == "apply:drop":  # killed after the record was saved: the new site, whole
        assert _without_links(tree(out)) == new_tree
    build(root, jobs=1)
    assert _without_links(tree(out)) == new_tree
    leaves_nothing_else(tmp_path)


@pytest.mark.parametrize("after", [0, 1])
def test_a_first_build_killed_as_its_new_folder_appears_is_completed_by_the_next(tmp_path, after):
    """Into a folder that does not exist, the site made is renamed into place at once: killed
    just before that step or just after it, the next build completes the same site."""
    root = site_with(tmp_path, NEW)
    code, steps = killed_build(root, 0)
    expected = _without_links(tree(root / "build"))
    assert code == 0 and "apply:whole" in steps and "apply:move" in steps
    shutil.rmtree(root / "build")
    shutil.rmtree(state_dir(root / "build"))
    at = steps.index("apply:whole") + 1 + after
    code, seen = killed_build(root, at)
    assert code == -signal.SIGKILL and len(seen) == at
    assert (root / "build").is_dir() == bool(after)
    build(root, jobs=1)
    assert _without_links(tree(root / "build")) == expected
    leaves_nothing_else(tmp_path)


def test_a_build_finishing_a_killed_swap_can_itself_be_killed(tmp_path, steps, new_tree):
    moves = [i for i, s in enumerate(steps) if s == "apply:move"]
    root, _ = old_site_changed(tmp_path)
    code, _ = killed_build(root, moves[len(moves) // 2] + 1)
    assert code == -signal.SIGKILL
    code, seen = killed_build(root, 3)  # killed again while finishing the first one's swap
    assert code == -signal.SIGKILL and seen[-1].startswith("apply:")
    (root / "content/a.md").write_text("# Apples\n\n[gone](gone.md)\n")
    with pytest.raises(HelpgenError, match=r"gone\.md"):  # a build that fails still finishes it
        build(root, jobs=1, overrides={"broken_links": "error"})
    assert _without_links(tree(root / "build")) == new_tree
    write_files(root, NEW)
    build(root, jobs=1)
    assert _without_links(tree(root / "build")) == new_tree
    leaves_nothing_else(tmp_path)


# --- helpgen search reads what the browser reads ----------------------------------------------------
QUERIES = ["track my package", "refund", "cancel order", "password", "shipping cost"]


@pytest.fixture(scope="module")
def demo_compiled():
    from helpgen.pipeline import compile, configure

    return compile(REPO, configure(REPO, None))


@pytest.mark.parametrize("locale", ["en", "he"])
def test_search_from_the_built_site_ranks_as_the_index_it_was_built_from(
    demo_site, demo_compiled, locale
):
    from helpgen.search.index import Wording, build_index
    from helpgen.search.query import Searcher

    data = build_index(
        demo_compiled.site.locales[locale],
        demo_compiled.rendered,
        Wording.of(locale, demo_compiled.site.config),
    )
    rows = [row for shard in data.shards for row in shard]
    sections = [pair for chunk in data.sections for pair in chunk]
    pages = [row for chunk in data.pages for row in chunk]
    in_memory = Searcher(data.index, rows, sections, pages, data.sources)
    found = []
    for query in QUERIES:
        run = CliRunner().invoke(
            main, ["search", query, "--site", str(demo_site), "--locale", locale, "--json"]
        )
        assert run.exit_code == 0, run.output
        expected = [
            {"url": h.url, "title": h.title, "source": h.source, "score": h.score}
            for h in in_memory.search(query)
        ]
        assert json.loads(run.stdout) == expected, query
        found += expected
    assert found and all(row["source"].endswith(".md") for row in found)


def test_search_on_a_copy_of_the_deployable_folder_alone_ranks_the_same(demo_site, tmp_path):
    copy = tmp_path / "public"
    shutil.copytree(demo_site, copy)

    def search(site: Path) -> list[dict]:
        run = subprocess.run(
            [sys.executable, "-m", "helpgen", "search", "refund", "--site", str(site),
             "--locale", "en", "--json"],
            env=ENV, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return json.loads(run.stdout)

    full, alone = search(demo_site), search(copy)
    assert full and all(row["source"].endswith(".md") for row in full)
    assert [{**row, "source": ""} for row in full] == alone  # sources are kept beside the site


def test_a_quick_build_killed_at_any_step_leaves_a_site_the_next_build_completes(tmp_path):
    """A build after a body edit (the quick path) killed at each of its steps: the next build
    gives the clean build's site."""
    edited = {**OLD, "content/a.md": OLD["content/a.md"] + "\nApples are sweet too.\n"}
    expected = one_build(tmp_path / "expected", edited)
    for at in range(1, 100):
        tmp = tmp_path / f"at{at}"
        root = site_with(tmp, OLD)
        add_deployers_things(root / "build", tmp / "outside")
        build(root, jobs=1)
        write_files(root, {"content/a.md": edited["content/a.md"]})
        code, seen = killed_build(root, at)
        if code == 0:  # every step done: a quick build's steps were all tried
            assert "changes" in seen and seen.count("put") == 4 and at > 5  # its files only
            break
        assert code == -signal.SIGKILL and len(seen) == at
        build(root, jobs=1)
        assert _without_links(tree(root / "build")) == _without_links(expected), seen
        leaves_nothing_else(tmp)
