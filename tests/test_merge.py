"""`helpgen merge`: shards built one locale at a time become one site, the same as a full build;
shards that disagree, bad folders and an output among the shards are located errors, and
nothing of a deployer's in the output is lost."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.outdir import state_dir
from helpgen.pipeline import build, configure

from .conftest import REPO, write_files

SHARED = {
    "index.html": "<p>languages</p>",
    "404.html": "<p>not found</p>",
    "robots.txt": "User-agent: *\n",
    "static/css/helpgen.css": "body{}",
}


def shard(root: Path, name: str, files: dict[str, str | bytes]) -> Path:
    folder = root / "shards" / name
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return folder


def locale_shards(root: Path, **extra: dict[str, str | bytes]) -> list[Path]:
    """An en and a he shard: the shared files in both, each locale's pages in its own."""
    return [
        shard(root, code, {**SHARED, f"{code}/index.html": f"<p>{code}</p>", **extra.get(code, {})})
        for code in ("en", "he")
    ]


def merge(args: list[str | Path]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["merge", *map(str, args)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_shards_merge_into_one_site(tmp_path):
    en, he = locale_shards(tmp_path)
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 0, output
    assert "merged 2 shards (6 files)" in output
    assert tree(tmp_path / "out") == {**tree(en), **tree(he)}
    assert tree(tmp_path / "out")["he/index.html"] == b"<p>he</p>"


def test_a_shared_file_that_differs_stops_the_merge_and_says_where(tmp_path):
    en, he = locale_shards(tmp_path, he={"static/css/helpgen.css": "body{color:red}"})
    fa = shard(tmp_path, "fa", {**SHARED, "fa/index.html": "fa"})
    out = tmp_path / "out"
    code, output = merge([en, he, fa, "-o", out])
    assert code == 1
    assert f"error: {en}/static/css/helpgen.css: not the same in every shard" in output
    assert f"({en}, {fa} vs {he})" in output
    assert "hint: build every shard from the same commit" in output
    assert not out.exists()


def test_every_difference_is_listed_at_once(tmp_path):
    en, he = locale_shards(tmp_path, he={"404.html": "x", "robots.txt": "y"})
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1
    assert "404.html: not the same" in output and "robots.txt: not the same" in output
    assert "2 errors" in output


def test_precompressed_copies_go_with_their_file(tmp_path):
    copies = {"static/css/helpgen.css.gz": b"gz", "static/css/helpgen.css.br": b"br"}
    en = shard(tmp_path, "en", {**SHARED, **copies, "en/index.html": "en"})
    # another machine's compressor: other bytes for the same file, taken from the first shard
    other = {name: data + b"!" for name, data in copies.items()}
    he = shard(tmp_path, "he", {**SHARED, **other, "he/index.html": "he"})
    assert merge([en, he, "-o", tmp_path / "a"])[0] == 0
    assert tree(tmp_path / "a")["static/css/helpgen.css.gz"] == b"gz"
    assert merge([he, en, "-o", tmp_path / "b"])[0] == 0
    assert tree(tmp_path / "b")["static/css/helpgen.css.br"] == b"br!"


def test_a_file_with_copies_in_one_shard_and_none_in_another_is_an_error(tmp_path):
    en, he = locale_shards(tmp_path, en={"index.html.gz": b"gz", "index.html.br": b"br"})
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1
    assert f"{en}/index.html: its precompressed copies are not the same in every shard" in output
    assert f"(.gz, .br in {en}; none in {he})" in output
    assert "--precompress" in output


def test_a_copy_without_its_file_is_an_error(tmp_path):
    en, he = locale_shards(tmp_path, en={"he/index.html.gz": b"gz"})
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1
    assert f"{en}/he/index.html.gz: a precompressed copy without its file (he/index.html)" in output


def test_a_gz_file_of_its_own_is_compared_like_any_file(tmp_path):
    en, he = locale_shards(tmp_path, en={"files/data.tar.gz": b"1"}, he={"files/data.tar.gz": b"2"})
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1 and "files/data.tar.gz: not the same in every shard" in output


SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://help.example.com/</loc></url>
  <url><loc>https://help.example.com/en/</loc></url>
  <url><loc>https://help.example.com/he/</loc></url>
  <url><loc>https://help.example.com/he/%D7%94%D7%96%D7%9E%D7%A0%D7%95%D7%AA/</loc></url>
</urlset>
"""


def test_sitemaps_must_agree_and_list_only_pages_the_shards_have(tmp_path):
    orders = {"he/הזמנות/index.html": "orders"}
    en, he = locale_shards(
        tmp_path, en={"sitemap.xml": SITEMAP}, he={"sitemap.xml": SITEMAP, **orders}
    )
    assert merge([en, he, "-o", tmp_path / "out"])[0] == 0

    code, output = merge([en, "-o", tmp_path / "only-en"])  # the he shard left out
    assert code == 1
    assert (
        f"{en}/sitemap.xml: lists 2 page(s) no shard has, e.g. https://help.example.com/he/ (he/index.html)"
        in output
    )
    assert "is one missing?" in output

    (he / "sitemap.xml").write_text(SITEMAP.replace("/en/", "/fr/"))
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1 and "sitemap.xml: not the same in every shard" in output
    assert "lists the whole site, so they must agree" in output

    (he / "sitemap.xml").unlink()
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1 and f"{he}: sitemap.xml is in {en} but not in {he}" in output
    assert "base_url" in output


def test_the_output_keeps_what_helpgen_did_not_write(tmp_path):
    en, he = locale_shards(tmp_path)
    out = tmp_path / "out"
    write_files(out, {"CNAME": "help.example.com", "he/notes.txt": "mine"})
    assert merge([en, he, "-o", out])[0] == 0
    (he / "he/index.html").unlink()
    (he / "he/other.html").write_text("other")
    assert merge([en, he, "-o", out])[0] == 0
    files = tree(out)
    assert files["CNAME"] == b"help.example.com" and files["he/notes.txt"] == b"mine"
    assert "he/index.html" not in files and files["he/other.html"] == b"other"


def test_a_deployers_file_where_the_site_needs_one_is_an_error(tmp_path):
    en, he = locale_shards(tmp_path)
    out = write_files(tmp_path / "out", {"404.html": "theirs"})
    code, output = merge([en, he, "-o", out])
    assert code == 1 and "404.html: a file helpgen did not write" in output
    assert (out / "404.html").read_text() == "theirs"


@pytest.mark.parametrize("where", ["en", ".", "en/static"])
def test_the_output_is_never_a_shard_or_around_or_inside_one(tmp_path, where):
    en, he = locale_shards(tmp_path)
    before = tree(tmp_path / "shards")
    code, output = merge([en, he, "-o", tmp_path / "shards" / where])
    assert code == 1 and "refusing to merge into a shard" in output
    assert tree(tmp_path / "shards") == before


def test_a_shard_given_twice_or_inside_another_is_an_error(tmp_path):
    en, he = locale_shards(tmp_path)
    code, output = merge([en, he, en, "-o", tmp_path / "out"])
    assert code == 1 and f"{en}: given twice, or inside another shard ({en})" in output
    code, output = merge([en, en / "static", "-o", tmp_path / "out"])
    assert code == 1 and "inside another shard" in output


def test_bad_shard_folders_are_located_errors(tmp_path):
    en, _ = locale_shards(tmp_path)
    code, output = merge([en, tmp_path / "nope", "-o", tmp_path / "out"])
    assert code == 1 and f"error: {tmp_path}/nope: no such folder: a shard is a folder" in output
    (tmp_path / "file").write_text("x")
    code, output = merge([en, tmp_path / "file", "-o", tmp_path / "out"])
    assert code == 1 and "file: a file, not a folder" in output
    (tmp_path / "shards/.en.helpgen").mkdir()
    code, output = merge([en, tmp_path / "shards/.en.helpgen", "-o", tmp_path / "out"])
    assert code == 1 and "helpgen's record of an output folder, not a shard" in output
    (tmp_path / "empty").mkdir()
    code, output = merge([en, tmp_path / "empty", "-o", tmp_path / "out"])
    assert code == 1 and "empty: an empty shard" in output
    code, output = merge([en, "-o", tmp_path / "file"])
    assert code == 1 and "a file where helpgen needs a folder" in output
    assert "Traceback" not in output
    assert CliRunner().invoke(main, ["merge", "-o", str(tmp_path / "out")]).exit_code == 2


def test_a_link_in_a_shard_is_refused(tmp_path):
    en, he = locale_shards(tmp_path)
    (tmp_path / "secret").write_text("secret")
    os.symlink(tmp_path / "secret", he / "he" / "leak.txt")
    code, output = merge([en, he, "-o", tmp_path / "out"])
    assert code == 1 and "he/he/leak.txt: a link or special file in a shard" in output
    assert not (tmp_path / "out").exists()


SITE = {
    "helpgen.toml": 'locales = ["en", "he"]\nbase_url = "https://help.example.com/"\n',
    "content/en/_index.md": "---\ntitle: Help\n---\n",
    "content/en/orders/track.md": "# Track an order\n\nOpen Orders.\n",
    "content/he/_index.md": "---\ntitle: עזרה\n---\n",
    "content/he/orders/track.md": "# מעקב אחר הזמנה\n\nפתחו את ההזמנות.\n",
}


def test_helpgen_outputs_merge_with_their_tools_data(tmp_path):
    root = write_files(tmp_path / "site", SITE)
    a, b = tmp_path / "a", tmp_path / "b"
    build(root, a)
    build(root, b)
    code, output = merge([a, b, "-o", tmp_path / "out"])
    assert code == 0, output
    assert tree(tmp_path / "out") == tree(a)
    tools = tree(state_dir(tmp_path / "out") / "tools")
    assert tools == tree(state_dir(a) / "tools") and "he/search/.helpgen-sources.json" in tools

    write_files(root, {"content/he/orders/track.md": "# מעקב\n\nאחר.\n"})
    build(root, b)
    code, output = merge([a, b, "-o", tmp_path / "out"])
    assert code == 1 and "he/orders/track/index.html: not the same in every shard" in output
    assert "sitemap.xml: not the same" not in output  # same pages, same sitemap


def test_the_demo_built_locale_by_locale_and_merged_is_the_full_build(tmp_path, demo_site):
    shards = tmp_path / "shards"
    runner = CliRunner()
    cwd = Path.cwd()
    os.chdir(REPO)
    try:
        for code in configure(REPO).locales:
            result = runner.invoke(main, ["build", "--locale", code, "-o", str(shards / code)])
            assert result.exit_code == 0, result.output
        result = runner.invoke(
            main,
            [
                "merge",
                *sorted(str(shards / c) for c in configure(REPO).locales),
                "-o",
                str(tmp_path / "out"),
            ],
        )
        assert result.exit_code == 0, result.output
    finally:
        os.chdir(cwd)
    assert tree(tmp_path / "out") == tree(demo_site)
    assert tree(state_dir(tmp_path / "out") / "tools") == tree(state_dir(demo_site) / "tools")


def test_a_build_after_a_merge_into_its_folder_makes_its_own_site_again(tmp_path):
    """A merge replaces the site a build made in that folder: the next build (nothing in the
    content changed) makes the whole site again, not only what its content changed."""
    site = write_files(tmp_path / "site", {"content/a.md": "# Apples\n\nRed.\n"})
    out = tmp_path / "out"
    build(site, out, jobs=1)
    code, output = merge([*locale_shards(tmp_path), "-o", out])
    assert code == 0, output
    build(site, out, jobs=1)
    build(site, tmp_path / "clean", jobs=1, use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")
