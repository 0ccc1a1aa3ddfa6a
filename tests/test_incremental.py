"""Incremental builds: a build that reuses the cache gives the bytes of a clean build, and
leaves the files that did not change untouched; `--jobs 1` and `--jobs N` give the same site."""

from __future__ import annotations

import difflib
import gzip
import os
import random
import re
import shutil
import sys
from pathlib import Path

import brotli
import pytest

from helpgen import pipeline
from helpgen.cache import read as read_cache
from helpgen.errors import HelpgenError
from helpgen.pipeline import build
from helpgen.theme import builtin_theme_dir

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
from corpus import generate  # noqa: E402


@pytest.fixture
def compiles(monkeypatch) -> list[Path]:
    """The sites `pipeline.compile` is called on during the test, in order."""
    found: list[Path] = []
    real = pipeline.compile
    monkeypatch.setattr(
        pipeline, "compile", lambda root, *a, **k: found.append(root) or real(root, *a, **k)
    )
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def first_difference(got: dict[str, bytes], expected: dict[str, bytes], step: str) -> str:
    """Where an incremental build differs from a clean one, as a short diff."""
    for path in sorted(got.keys() | expected.keys()):
        if got.get(path) != expected.get(path):
            old = (expected.get(path) or b"").decode("utf-8", "replace").split(">")
            new = (got.get(path) or b"").decode("utf-8", "replace").split(">")
            lines = difflib.unified_diff(old, new, "clean", "incremental", n=1, lineterm="")
            return f"after {step}: {path}\n" + "\n".join(list(lines)[:30])
    return ""


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def demo_site(tmp: Path) -> Path:
    site = tmp / "site"
    shutil.copytree(REPO / "content", site / "content")
    config = (REPO / "helpgen.toml").read_text(encoding="utf-8")
    (site / "helpgen.toml").write_text('broken_links = "warn"\n' + config, encoding="utf-8")
    return site


def articles(site: Path) -> list[Path]:
    return sorted(p for p in (site / "content").rglob("*.md") if p.name != "_index.md")


# --- the edits a writer makes ------------------------------------------------------------------
def edit_body(site: Path, n: int) -> None:
    page = pick(site, n)
    other = pick(site, n + 7)
    link = os.path.relpath(other, page.parent).replace(os.sep, "/")
    with page.open("a", encoding="utf-8") as f:
        f.write(f"\n\n## Added {n}\n\nSee [the other page]({link}) for step {n}.\n")


def edit_title(site: Path, n: int) -> None:
    page = pick(site, n)
    text = page.read_text(encoding="utf-8")
    new = re.sub(r"^title: .*$", f"title: Renamed {n}", text, count=1, flags=re.M)
    if new == text:
        new = f"---\ntitle: Renamed {n}\n---\n{text}"
    page.write_text(new, encoding="utf-8")


def add_article(site: Path, n: int) -> None:
    near = pick(site, n)
    body = f"---\ntitle: New article {n}\ntags: [new]\n---\nAbout parcels and refunds {n}.\n"
    (near.parent / f"new-{n}.md").write_text(body, encoding="utf-8")


def rename_article(site: Path, n: int) -> None:
    page = pick(site, n)
    page.rename(page.with_name(f"moved-{n}-{page.name}"))


def delete_article(site: Path, n: int) -> None:
    if len(articles(site)) > 20:
        pick(site, n).unlink()


def edit_config(site: Path, n: int) -> None:
    config = site / "helpgen.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r'^title = ".*"$', f'title = "Help {n}"', text, flags=re.M))


def edit_template(site: Path, n: int) -> None:
    name = "partials/breadcrumbs.html"
    ours = site / "themes" / "default" / "templates" / name
    if not ours.exists():
        ours.parent.mkdir(parents=True)
        shutil.copyfile(builtin_theme_dir() / "templates" / name, ours)
    with ours.open("a", encoding="utf-8") as f:
        f.write(f"<!-- {n} -->\n")


def pick(site: Path, n: int) -> Path:
    found = articles(site)
    return found[n % len(found)]


EDITS = [
    edit_body,
    edit_body,
    edit_title,
    add_article,
    rename_article,
    delete_article,
    edit_config,
    edit_template,
]


def attempt(site: Path, out: Path, use_cache: bool = True) -> str | None:
    """Build; the error's text if the build stops."""
    try:
        build(site, out, jobs=1, use_cache=use_cache)
    except HelpgenError as exc:
        return str(exc).replace(str(out), "OUT")
    return None


@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_build_equals_clean_build(tmp_path, seed) -> None:
    """A long random run of a writer's edits: after each, the cached build's files are the
    clean build's, byte for byte, and only the files whose bytes changed were rewritten."""
    rng = random.Random(seed)
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, jobs=1)
    for number in range(12):
        edit, n = rng.choice(EDITS), rng.randrange(10_000)
        step = f"step {number}: {edit.__name__}({n})"
        before, times = tree(out), stamps(out)
        edit(site, n)
        error = attempt(site, out)
        clean = tmp_path / f"clean{number}"
        assert error == attempt(site, clean, use_cache=False), step
        if error is not None:
            assert tree(out) == before, f"{step} failed and changed the site"
            continue
        after, expected = tree(out), tree(clean)
        assert after == expected, first_difference(after, expected, step)
        now = stamps(out)
        touched = {p for p in after if p in before and now[p] != times[p]}
        assert touched == {p for p in after if p in before and before[p] != after[p]}, (
            f"{step} rewrote files whose bytes did not change"
        )
        shutil.rmtree(clean)


def test_body_edits_are_applied_to_the_last_compile(tmp_path, compiles) -> None:
    """Edits to page bodies alone are rendered into the last build's compile (nothing else is
    compiled), with the clean build's bytes; an edit that stops the build leaves the site as
    it was; a front matter edit compiles the site again."""
    site = demo_site(tmp_path)
    config = site / "helpgen.toml"  # no notice links to a section: a page's new one is its own
    config.write_text(re.sub(r"^link = .*#.*$", "", config.read_text("utf-8"), flags=re.M))
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(site, out, jobs=1)
    compiles.clear()  # counted from here on
    shown_elsewhere = site / "content/en/account/cant-sign-in.md"  # untranslated in fa
    sections = site / "content/en/account/download-your-data.md"
    with shown_elsewhere.open("a", encoding="utf-8") as f:
        f.write("\n\nOne more sentence about parcels.\n")
    with sections.open("a", encoding="utf-8") as f:
        f.write("\n\n## A new section\n\nWith words about refunds.\n")
    before = tree(out)
    report = build(site, out, jobs=1)
    assert compiles == []
    build(site, clean, jobs=1, use_cache=False)
    compiles.clear()
    after, expected = tree(out), tree(clean)
    assert after == expected, first_difference(after, expected, "two body edits")
    changed = {p for p in after if before.get(p) != after[p]}
    assert report.made == len(changed) and any(p.endswith("/index.html") for p in changed)
    assert any("/search/" in p or p.startswith("search/") for p in changed)
    with sections.open("a", encoding="utf-8") as f:
        f.write("\n\nSee [a page that is not there](no-such-page.md).\n")
    kept = tree(out)
    with pytest.raises(HelpgenError, match="no-such-page"):
        build(site, out, jobs=1, strict=True)
    assert compiles == []
    assert tree(out) == kept
    text = shown_elsewhere.read_text(encoding="utf-8")
    shown_elsewhere.write_text(text.replace("title:", "title: Now", 1), encoding="utf-8")
    build(site, out, jobs=1)
    assert compiles == [site.resolve()]
    shutil.rmtree(clean)
    build(site, clean, jobs=1, use_cache=False)
    after, expected = tree(out), tree(clean)
    assert after == expected, first_difference(after, expected, "a front matter edit")


def test_a_body_edit_that_changes_the_guessed_language_compiles_again(tmp_path, compiles):
    """Without `language`, the site's language is guessed from the first pages' text: a body
    edit there that changes the guess compiles again; one to a page the guess does not read
    (whose Markdown the kept compile no longer holds) is applied to it. Both give the clean
    build's bytes."""
    words = " ".join(["Orders ship within two days of payment."] * 60)  # 2,000 letters a page
    files = {f"content/orders/p{n:02}.md": f"# Page {n}\n\n{words}\n" for n in range(30)}
    site = tmp_path / "site"
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    build(site, out, jobs=1)
    compiles.clear()  # counted from here on
    hebrew = " ".join(["ההזמנות נשלחות תוך יומיים מהתשלום."] * 400)
    edits = [
        (29, hebrew, []),  # a page the guess does not read
        (1, "Short now.", [site.resolve()]),  # the guess would read on, past what it read
        (0, hebrew, [site.resolve()]),  # the first page: the guess changes
    ]
    for n, text, compiled in edits:
        (site / f"content/orders/p{n:02}.md").write_text(f"# Page {n}\n\n{text}\n", "utf-8")
        build(site, out, jobs=1)
        assert compiles == compiled
        clean = tmp_path / f"clean{n}"
        build(site, clean, jobs=1, use_cache=False)
        compiles.clear()
        after, expected = tree(out), tree(clean)
        assert after == expected, first_difference(after, expected, f"page {n} in Hebrew")
    assert b'lang="he"' in tree(out)["index.html"]


def test_a_body_edit_that_links_elsewhere_compiles_again(tmp_path, compiles) -> None:
    """A new link in a page's text can bring an article nearer home (or take it away):
    `check`'s depth warnings are the whole site's, so the site is compiled again."""
    site = demo_site(tmp_path)
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(site, out, jobs=1)
    compiles.clear()  # counted from here on
    page = site / "content/en/account/download-your-data.md"
    with page.open("a", encoding="utf-8") as f:
        f.write("\n\nSee also [cancelling an order](../orders/cancel-an-order.md).\n")
    build(site, out, jobs=1)
    assert compiles == [site.resolve()]
    build(site, clean, jobs=1, use_cache=False)
    after, expected = tree(out), tree(clean)
    assert after == expected, first_difference(after, expected, "a new link")


def test_one_edit_rewrites_only_what_depends_on_it(tmp_path) -> None:
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    first = build(site, out, jobs=1)
    assert first.made == len(tree(out))
    times = stamps(out)
    page = site / "content/en/orders/cancel-an-order.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nOne more sentence.\n")
    again = build(site, out, jobs=1)
    changed = {p for p, stamp in stamps(out).items() if times.get(p) != stamp}
    assert "en/orders/cancel-an-order/index.html" in changed
    assert not any(p.startswith(("he/", "fa/", "zh-CN/", "static/")) for p in changed)
    assert "en/shipping/index.html" not in changed
    assert 0 < again.made == len(changed) < first.made // 10, sorted(changed)
    unchanged = build(site, out, jobs=1)
    assert unchanged.made == 0
    assert (tmp_path / ".out.helpgen" / "cache.pickle").is_file()  # kept for the next build


def test_small_edits_save_only_their_entries_beside_the_cache(tmp_path) -> None:
    """An edit writes the entries it changed beside the cache, not the whole cache; the next
    build reads both (it renders nothing again), and a large change writes it whole again."""
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, jobs=1)
    whole = tmp_path / ".out.helpgen" / "cache.pickle"
    delta = whole.with_name("cache.delta.pickle")
    written = whole.read_bytes()
    assert not delta.exists()
    edits = ["orders/cancel-an-order.md", "orders/change-an-order.md"]
    for n, rel in enumerate(edits):
        page = site / "content/en" / rel
        page.write_text(page.read_text(encoding="utf-8") + f"\n\nEdit number {n}.\n")
        build(site, out, jobs=1)
        assert whole.read_bytes() == written and delta.is_file()
    cached = read_cache(whole)
    assert cached is not None and cached.changed == {("en", Path(r)) for r in edits}
    for n, rel in enumerate(edits):
        assert f"Edit number {n}." in cached.pages[("en", Path(rel))].rendered.html
    assert build(site, out, jobs=1).made == 0  # nothing to do: the delta was read
    for page in (site / "content/en/shipping").rglob("*.md"):  # more than a tenth of the pages
        page.write_text(page.read_text(encoding="utf-8") + "\n\nShipping changed.\n")
    for page in (site / "content/en/returns").rglob("*.md"):
        page.write_text(page.read_text(encoding="utf-8") + "\n\nReturns changed.\n")
    build(site, out, jobs=1)
    assert whole.read_bytes() != written and not delta.exists()
    assert read_cache(whole).changed == frozenset()


def test_no_cache_build_keeps_no_cache(tmp_path) -> None:
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, jobs=1)
    cache = tmp_path / ".out.helpgen" / "cache.pickle"
    assert cache.is_file()
    times = stamps(out)
    report = build(site, out, jobs=1, use_cache=False)
    assert not cache.exists()
    assert report.made == 0 and stamps(out) == times  # the same bytes: left as they are


@pytest.mark.parametrize("damaged", ["cache.pickle", "compile.pickle", "compile.delta.pickle"])
def test_a_damaged_cache_is_only_lost_time(tmp_path, damaged) -> None:
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, jobs=1)
    expected = tree(out)
    page = site / "content/en/orders/cancel-an-order.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\nMore.\n")
    build(site, out, jobs=1)  # a quick build: compile.delta.pickle
    (tmp_path / ".out.helpgen" / damaged).write_bytes(b"\x80\x05garbage")
    page.write_text(page.read_text(encoding="utf-8") + "\n\nAnd more.\n")
    build(site, out, jobs=1)
    clean = tmp_path / "clean"
    build(site, clean, jobs=1, use_cache=False)
    assert tree(out) == tree(clean) != expected


@pytest.mark.skipif(not hasattr(os, "fork"), reason="parallel builds fork")
def test_jobs_do_not_change_the_site(tmp_path) -> None:
    generate(tmp_path / "corpus", 220, seed=3)  # above the size where builds fork by default
    one, two = tmp_path / "one", tmp_path / "two"
    build(tmp_path / "corpus", one, jobs=1, use_cache=False)
    build(tmp_path / "corpus", two, jobs=2, use_cache=False)
    first, second = tree(one), tree(two)
    assert len(first) > 220 and first == second


def test_precompressed_copies_follow_their_files(tmp_path) -> None:
    site = demo_site(tmp_path)
    out = tmp_path / "out"
    build(site, out, jobs=1, overrides={"precompress": True})
    page = out / "en/orders/cancel-an-order/index.html"
    assert gzip.decompress((out / f"{page}.gz").read_bytes()) == page.read_bytes()
    assert brotli.decompress((out / f"{page}.br").read_bytes()) == page.read_bytes()
    assert not (out / "static/helpgen.css.gz").exists() or (out / "static/helpgen.css").exists()
    source = site / "content/en/orders/cancel-an-order.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n\nA new line.\n")
    build(site, out, jobs=1, overrides={"precompress": True})
    assert b"A new line." in gzip.decompress((out / f"{page}.gz").read_bytes())
    assert brotli.decompress((out / f"{page}.br").read_bytes()) == page.read_bytes()
    clean = tmp_path / "clean"
    build(site, clean, jobs=1, use_cache=False, overrides={"precompress": True})
    assert tree(out) == tree(clean)
    build(site, out, jobs=1)  # the option off again: the copies go
    assert not list(out.rglob("*.gz")) and not list(out.rglob("*.br"))


def test_a_shard_has_its_locale_and_the_shared_files_only(tmp_path) -> None:
    site = demo_site(tmp_path)
    build(site, tmp_path / "full", jobs=1)
    build(site, tmp_path / "he", jobs=1, overrides={"shard": "he"})
    full, shard = tree(tmp_path / "full"), tree(tmp_path / "he")
    assert shard == {
        path: data for path, data in full.items() if not path.startswith(("en/", "fa/", "zh-CN/"))
    }
    assert any(path.startswith("he/search/") for path in shard)
    with pytest.raises(HelpgenError, match="the site has no locale 'xx'"):
        build(site, tmp_path / "xx", jobs=1, overrides={"shard": "xx"})
