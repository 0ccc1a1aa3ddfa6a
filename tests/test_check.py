"""`helpgen check`: every lint located (file and line) and coded, exit codes, text and JSON
output, nothing written; `helpgen build` stops on the same errors. Also what a multilingual
site's own pages (contact, search, 404) link to in the other language."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.pipeline import build

from .conftest import html, write_files

JSON_KEYS = {"file", "line", "level", "code", "message", "hint"}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None

    @property
    def problems(self) -> list[dict]:
        return json.loads(self.stdout)


def invoke(args: list[str]) -> Run:
    result = CliRunner().invoke(main, args)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return Run(result.exit_code, result.stdout, result.stderr, result.exception)


@pytest.fixture
def checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """checker(files, *args): write the site, cd into it, run `helpgen check *args`."""
    root = tmp_path / "site"

    def run(files: dict[str, str] | None, *args: str) -> Run:
        if files is not None:
            write_files(root, files)
        root.mkdir(exist_ok=True)
        monkeypatch.chdir(root)
        return invoke(["check", *args])

    run.root = root  # type: ignore[attr-defined]
    return run


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every file and folder below root: its bytes (None for a folder) and mtime."""
    return {
        str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


def located(problems: list[dict]) -> set[tuple]:
    return {(p["file"], p["line"], p["level"], p["code"]) for p in problems}


CONFIG = {"helpgen.toml": 'title = "Acme"\n'}


# --- exit codes and output ------------------------------------------------------------------
def test_clean_site_prints_nothing_and_exits_0(checker):
    files = {
        **CONFIG,
        "content/_index.md": "---\ntitle: Acme help\n---\nWelcome.\n",
        "content/orders/_index.md": "---\ntitle: Orders\ndescription: All about orders.\n---\n",
        "content/orders/cancel.md": """\
            ---
            title: Cancel an order
            description: How to cancel before it ships.
            ---

            See [refunds](../refunds.md#how-long) and [tracking](#track-it).

            ## Track it

            ![The status page](img/status.png)
            """,
        "content/orders/img/status.png": "png",
        "content/refunds.md": "---\ntitle: "
        + "T" * 70
        + "\ndescription: "
        + "d" * 160
        + "\n---\n\n## How long\n\nDays.\n",
    }
    result = checker(files)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert checker(None, "--strict").exit_code == 0
    as_json = checker(None, "--format", "json")
    assert as_json.exit_code == 0 and as_json.problems == []


def test_check_writes_nothing(checker):
    root = checker.root
    write_files(root, {**CONFIG, "content/a.md": "# A\n\nhello\n"})
    build(root)  # an earlier site must stay as it was, too
    write_files(
        root,
        {
            "content/a.md": "# A\n\n[gone](missing.md)\n\n![](pic.png)\n",
            "content/pic.png": "png",
            "content/unused.pdf": "pdf",
        },
    )
    before = snapshot(root)
    for args in ([], ["--strict"], ["--format", "json"]):
        assert checker(None, *args).exit_code == 1
    assert snapshot(root) == before


def test_check_of_a_site_never_built_creates_no_build_folder(checker):
    result = checker({**CONFIG, "content/a.md": "# A\n\n![](pic.png)\n", "content/pic.png": "x"})
    assert result.exit_code == 0
    assert sorted(p.name for p in checker.root.iterdir()) == ["content", "helpgen.toml"]


def test_text_lines_are_file_line_level_message_then_hint(checker):
    result = checker(
        {
            **CONFIG,
            "content/a.md": "# A\n\n[gone](missing.md)\n\n![](pic.png)\n",
            "content/pic.png": "png",
        }
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/a.md:3: error: link to a missing page 'missing.md'",
        "  hint: paths are relative to this file, e.g. ../returns/policy.md",
        "content/a.md:5: warning: image 'pic.png' has no alt text",
        "  hint: describe the image for readers who cannot see it: ![what it shows](…)",
    ]


def test_json_has_exactly_the_documented_keys_and_matches_the_text(checker):
    files = {
        "helpgen.toml": 'locales = ["en", "he"]\n',
        "content/en/a.md": "# A\n\n[gone](missing.md)\n\n![](pic.png)\n",
        "content/en/pic.png": "png",
        "content/en/b.md": "# B\n",
        "content/he/a.md": "# א\n",
    }
    problems = checker(files, "--format", "json").problems
    assert isinstance(problems, list)
    assert {p["level"] for p in problems} == {"error", "warning", "info"}
    for p in problems:
        assert set(p) == JSON_KEYS, p
    text = checker(None).stdout.splitlines()
    for p in problems:
        where = f"{p['file']}:{p['line']}: " if p["line"] else f"{p['file']}: "
        assert f"{where}{p['level']}: {p['message']}" in text


def test_errors_exit_1_warnings_exit_0_unless_strict(checker):
    warning_only = {**CONFIG, "content/a.md": "# A\n\n![](pic.png)\n", "content/pic.png": "x"}
    assert checker(warning_only).exit_code == 0
    assert checker(None, "--strict").exit_code == 1
    assert checker(None, "--strict", "--format", "json").exit_code == 1
    error = checker({"content/a.md": "# A\n\n![x](gone.png)\n"})
    assert error.exit_code == 1
    assert "content/a.md:3: error: image to a missing file 'gone.png'" in error.stdout


# --- links, anchors and images ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("front", "line"),
    [("", 7), ("---\ntitle: A\ndescription: D.\n---\n", 11)],
    ids=["plain", "front-matter"],
)
def test_broken_link_is_reported_at_the_link_not_at_a_mention(checker, front, line):
    body = "# A\n\nThe file missing.md is gone.\n\nSome text.\n\n[b](missing.md)\n"
    result = checker({**CONFIG, "content/a.md": front + body})
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"content/a.md:{line}: error: link to a missing page 'missing.md'"
    )
    problems = checker(None, "--format", "json").problems
    assert located(problems) == {("content/a.md", line, "error", "link-missing")}


def test_broken_anchor(checker):
    files = {
        **CONFIG,
        "content/a.md": "# A\n\n[ok](other.md#real)\n\n[x](other.md#nope)\n",
        "content/other.md": "# Other\n\n## Real\n\ntext\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert located(result.problems) == {("content/a.md", 5, "error", "anchor-missing")}
    assert "#nope" in result.problems[0]["message"]


def test_link_outside_the_content_folder(checker):
    result = checker(
        {**CONFIG, "content/a.md": "# A\n\n\n[o](../../outside.md)\n"}, "--format", "json"
    )
    assert result.exit_code == 1
    assert located(result.problems) == {("content/a.md", 4, "error", "link-outside")}


def test_broken_links_and_anchors_in_every_locale(checker):
    files = {
        "helpgen.toml": 'locales = ["en", "he"]\n',
        "content/en/a.md": "# A\n\n[gone](missing.md)\n\n## Real\n",
        "content/en/b.md": "# B\n\n[ok](a.md#real)\n",
        "content/he/a.md": "# א\n\n## כותרת\n\n[ok](b.md#כותרת-אחרת)\n[here](#כותרת)\n",
        "content/he/b.md": "# ב\n\n## כותרת אחרת\n\n\n[x](a.md#nope)\n[gone](nothere.md)\n\n![תמונה](gone.png)\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert located(result.problems) == {
        ("content/en/a.md", 3, "error", "link-missing"),
        ("content/he/b.md", 6, "error", "anchor-missing"),
        ("content/he/b.md", 7, "error", "link-missing"),
        ("content/he/b.md", 9, "error", "image-missing"),
    }


def test_images_missing_and_without_alt_text(checker):
    files = {
        **CONFIG,
        "content/a.md": "# A\n\n![](pic.png)\n\n![A cat](cat.png)\n\n![ ](pic.png)\n",
        "content/pic.png": "png",
    }
    problems = checker(files, "--format", "json").problems
    assert located(problems) == {
        ("content/a.md", 3, "warning", "image-alt"),
        ("content/a.md", 5, "error", "image-missing"),
        ("content/a.md", 7, "warning", "image-alt"),
    }
    assert all("cat.png" in p["message"] for p in problems if p["code"] == "image-missing")


@pytest.mark.parametrize("mode", ["allow", "sanitize"])
def test_javascript_links_are_located_warnings_in_both_raw_html_modes(checker, mode):
    files = {
        "helpgen.toml": f'raw_html = "{mode}"\n',
        "content/a.md": "# A\n\nText.\n\n[x](javascript:alert(1))\n\n[y][r]\n\n[r]: JavaScript:go()\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 0
    assert located(result.problems) == {
        ("content/a.md", 5, "warning", "link-script"),
        ("content/a.md", 9, "warning", "link-script"),
    }
    assert "javascript:alert(1)" in result.problems[0]["message"]
    assert checker(None, "--strict").exit_code == 1


def test_sanitize_reports_what_it_removed_at_its_line(checker):
    files = {
        "helpgen.toml": 'raw_html = "sanitize"\n',
        "content/a.md": '# A\n\n<script>alert(1)</script>\n\nText\n{: onclick="go()" }\n\n'
        '<iframe src="https://a.test/"></iframe>\n',
    }
    problems = checker(files, "--format", "json").problems
    assert located(problems) == {
        ("content/a.md", 3, "warning", "html-removed"),
        ("content/a.md", 6, "warning", "html-removed"),
        ("content/a.md", 8, "warning", "html-removed"),
    }
    assert [p["message"] for p in problems] == [
        'raw_html = "sanitize" removed <script>',
        "raw_html = \"sanitize\" removed 'onclick' on <p>",
        'raw_html = "sanitize" removed <iframe>',
    ]
    files["helpgen.toml"] = 'raw_html = "allow"\n'
    assert checker(files, "--format", "json").problems == []


@pytest.mark.parametrize("config", ['broken_links = "warn"\n', None], ids=["warn", "no-config"])
def test_broken_links_can_be_warnings(checker, config):
    files = {
        "content/a.md": "# A\n\n[b](missing.md)\n[c](b.md#nope)\n\n![x](gone.png)\n",
        "content/b.md": "# B\n",
    }
    if config is not None:
        files["helpgen.toml"] = config
    result = checker(files, "--format", "json")
    assert result.exit_code == 0
    assert located(result.problems) == {
        ("content/a.md", 3, "warning", "link-missing"),
        ("content/a.md", 4, "warning", "anchor-missing"),
        ("content/a.md", 6, "warning", "image-missing"),
    }
    assert checker(None, "--strict").exit_code == 1


# --- addresses -------------------------------------------------------------------------------
def test_url_collision_of_a_file_and_a_folder(checker):
    files = {
        **CONFIG,
        "content/a.md": "# A\n",
        "content/a/_index.md": "---\ntitle: AA\n---\n",
        "content/a/b.md": "# B\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert located(result.problems) == {("content/a.md", None, "error", "url-collision")}
    assert "'a/'" in result.problems[0]["message"]
    assert "a/_index.md" in result.problems[0]["message"]
    text = checker(None).stdout.splitlines()
    assert text[0].startswith("content/a.md: error: two pages would be written to 'a/'")


def test_alias_clash(checker):
    files = {
        **CONFIG,
        "content/a.md": "---\ntitle: A\naliases: [/old/]\n---\n",
        "content/b.md": "---\ntitle: B\naliases: [/old/]\n---\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert located(result.problems) == {("content/a.md", 3, "error", "url-collision")}
    assert "'old/'" in result.problems[0]["message"] and "b.md" in result.problems[0]["message"]


def test_collision_names_the_other_file_as_shown_elsewhere(checker):
    """The other file is shown relative to the working folder, like every FILE in the output."""
    files = {
        **CONFIG,
        "content/a.md": "---\ntitle: A\naliases: [/old/]\n---\n",
        "content/b.md": "---\ntitle: B\naliases: [/old/]\n---\n",
    }
    (problem,) = checker(files, "--format", "json").problems
    assert "also: content/b.md)" in problem["message"]
    assert str(checker.root) not in problem["message"]


@pytest.mark.parametrize("name", ["contact", "search"])
def test_reserved_address(checker, name):
    files = {
        **CONFIG,
        f"content/{name}/_index.md": "---\ntitle: X\n---\n",
        f"content/{name}/x.md": "# X\n",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert located(result.problems) == {
        (f"content/{name}/_index.md", None, "error", "url-reserved")
    }


def test_content_file_written_over_a_generated_file_is_located(checker):
    files = {**CONFIG, "content/a.md": "# A\n\n[old](404.html)\n", "content/404.html": "<p>x</p>"}
    result = checker(files, "--format", "json")
    assert result.exit_code == 1
    assert [p["code"] for p in result.problems] == ["output-collision"]
    assert "'404.html'" in result.problems[0]["message"]
    assert result.problems[0]["file"] == "content/404.html"


# --- front matter and configuration ----------------------------------------------------------
def test_unknown_front_matter_key_with_did_you_mean(checker):
    result = checker({**CONFIG, "content/a.md": "---\ntitle: A\ndescriptoin: D\n---\n"})
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "content/a.md:3: error: unknown front matter key 'descriptoin' for an article",
        "  hint: did you mean 'description'?",
    ]
    (problem,) = checker(None, "--format", "json").problems
    assert problem["code"].startswith("frontmatter-")
    assert (problem["file"], problem["line"]) == ("content/a.md", 3)


def test_invalid_front_matter_yaml_is_located(checker):
    result = checker({**CONFIG, "content/a.md": "---\ntitle: [A\n---\n"}, "--format", "json")
    assert result.exit_code == 1
    (problem,) = result.problems
    assert (problem["file"], problem["level"]) == ("content/a.md", "error")
    assert problem["code"].startswith("frontmatter-") and problem["line"] in (2, 3)


def test_unknown_setting_is_located(checker):
    result = checker(
        {"helpgen.toml": 'title = "x"\nbrokn_links = "warn"\n', "content/a.md": "# A\n"}
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "helpgen.toml:2: error: unknown setting 'brokn_links'"
    assert lines[1] == "  hint: did you mean 'broken_links'?"
    (problem,) = checker(None, "--format", "json").problems
    assert problem["code"].startswith("config-")
    assert (problem["file"], problem["line"]) == ("helpgen.toml", 2)


def test_config_option_is_used_and_its_errors_located(checker):
    files = {
        "staging.toml": 'title = "x"\n\nlocals = ["en"]\n',
        "helpgen.toml": 'title = "x"\nbroken_links = "warn"\n',
        "content/a.md": "# A\n",
    }
    result = checker(files, "--config", "staging.toml", "--format", "json")
    assert result.exit_code == 1
    (problem,) = result.problems
    assert (problem["file"], problem["line"], problem["level"]) == ("staging.toml", 3, "error")
    assert "'locals'" in problem["message"] and "locales" in problem["hint"]
    # the file given is the one read, not helpgen.toml
    write_files(checker.root, {"staging.toml": 'title = "x"\n', "content/a.md": "[x](nope.md)\n"})
    assert checker(None).exit_code == 0  # helpgen.toml: broken links are warnings
    staged = checker(None, "--config", "staging.toml", "--format", "json")
    assert staged.exit_code == 1
    assert located(staged.problems) == {("content/a.md", 1, "error", "link-missing")}
    missing = checker(None, "--config", "nope.toml")
    assert missing.exit_code == 1 and missing.stdout.startswith("nope.toml: error: ")


# --- titles and descriptions -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("front", "line", "code"),
    [
        ('title: ""', 2, "title-empty"),
        ("title: " + "T" * 71, 2, "title-long"),
        ("title: A\ndescription: " + "d" * 161, 3, "description-long"),
        ('title: A\ndescription: ""', 3, "description-empty"),
    ],
    ids=["title-empty", "title-long", "description-long", "description-empty"],
)
def test_titles_and_descriptions(checker, front, line, code):
    result = checker({**CONFIG, "content/a.md": f"---\n{front}\n---\nbody\n"}, "--format", "json")
    assert result.exit_code == 0
    assert located(result.problems) == {("content/a.md", line, "warning", code)}
    assert checker(None, "--strict").exit_code == 1


def test_topic_title_and_description_are_checked_too(checker):
    files = {
        **CONFIG,
        "content/t/_index.md": '---\ntitle: ""\ndescription: ' + "d" * 200 + "\n---\n",
        "content/t/a.md": "# A\n",
    }
    problems = checker(files, "--format", "json").problems
    assert located(problems) == {
        ("content/t/_index.md", 2, "warning", "title-empty"),
        ("content/t/_index.md", 3, "warning", "description-long"),
    }
    assert "200" in next(p["message"] for p in problems if p["code"] == "description-long")


# --- translations and unused files -----------------------------------------------------------
def test_untranslated_articles_one_info_line_per_locale(checker):
    files = {
        "helpgen.toml": 'locales = ["en", "he", "fa"]\n',
        "content/en/a.md": "# A\n",
        "content/en/t/b.md": "# B\n",
        "content/en/t/c.md": "# C\n",
        "content/he/a.md": "# א\n",
        "content/he/t/b.md": "# ב\n",
        "content/fa/a.md": "# الف\n",
    }
    result = checker(files, "--strict")  # info never fails
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "content/he: info: 1 of 3 articles are not translated into 'he'",
        "content/fa: info: 2 of 3 articles are not translated into 'fa'",
    ]
    problems = checker(None, "--format", "json").problems
    assert {(p["file"], p["level"], p["code"], p["hint"]) for p in problems} == {
        ("content/he", "info", "untranslated", "missing: t/c.md"),
        ("content/fa", "info", "untranslated", "missing: t/b.md, t/c.md"),
    }


def test_unused_assets_in_every_locale(checker):
    files = {
        "helpgen.toml": 'locales = ["en", "he"]\n',
        "content/en/a.md": "# A\n\n![pic](img/p.png)\n",
        "content/en/img/p.png": "x",
        "content/he/a.md": "# א\n\n[הורדה](files/guide.pdf)\n",
        "content/he/files/guide.pdf": "x",
        "content/he/img/p.png": "x",
        "content/he/img/q.png": "x",
    }
    result = checker(files, "--format", "json")
    assert result.exit_code == 0
    assert located(result.problems) == {
        ("content/he/img/p.png", None, "warning", "asset-unused"),
        ("content/he/img/q.png", None, "warning", "asset-unused"),
    }
    assert checker(None).stdout.splitlines()[0] == (
        "content/he/img/p.png: warning: 'img/p.png' is not used by any page"
    )
    assert checker(None, "--strict").exit_code == 1


# --- build stops where check reports errors --------------------------------------------------
BROKEN = {
    "link": {"content/a.md": "# A\n\nThe file missing.md is gone.\n\n[b](missing.md)\n"},
    "anchor": {"content/a.md": "# A\n\n[b](b.md#nope)\n"},
    "image": {"content/a.md": "# A\n\n![x](gone.png)\n"},
    "collision": {"content/b/_index.md": "---\ntitle: BB\n---\n", "content/b/c.md": "# C\n"},
    "alias": {
        "content/a.md": "---\ntitle: A\naliases: [/old/]\n---\n",
        "content/b.md": "---\ntitle: B\naliases: [/old/]\n---\n",
    },
    "front-matter": {"content/a.md": "---\ntitle: A\nordr: 1\n---\n"},
    "config": {"helpgen.toml": 'title = "Acme"\nlanguage = "en"\nthem = "x"\n'},
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_build_stops_on_the_errors_check_reports(checker, kind):
    root = checker.root
    write_files(root, {**CONFIG, "content/a.md": "# A\n", "content/b.md": "# B\n\n## Real\n"})
    assert checker(None).exit_code == 0
    assert invoke(["build"]).exit_code == 0
    before = snapshot(root / "build")

    write_files(root, BROKEN[kind])
    errors = [p for p in checker(None, "--format", "json").problems if p["level"] == "error"]
    assert errors
    result = invoke(["build"])
    assert result.exit_code == 1
    for p in errors:
        where = f"{p['file']}:{p['line']}: " if p["line"] else f"{p['file']}: "
        assert f"error: {where}{p['message']}" in result.stderr.splitlines()
    assert snapshot(root / "build") == before


def test_build_strict_stops_on_the_warnings_check_strict_reports(checker):
    root = checker.root
    write_files(root, {**CONFIG, "content/a.md": "# A\n\n![](p.png)\n", "content/p.png": "x"})
    assert checker(None).exit_code == 0 and checker(None, "--strict").exit_code == 1
    assert invoke(["build", "--strict"]).exit_code == 1
    assert not (root / "build").exists()
    ok = invoke(["build"])
    assert ok.exit_code == 0
    assert "warning: content/a.md:3: image 'p.png' has no alt text" in ok.stderr


# --- the built-in pages of a multilingual site -----------------------------------------------
@pytest.fixture(scope="module")
def multilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(
        tmp_path_factory.mktemp("ml"),
        {
            "helpgen.toml": 'locales = ["en", "he"]\n',
            "content/en/_index.md": "---\ntitle: Help\n---\n\n## Welcome\n\nHi.\n",
            "content/en/orders/_index.md": "---\ntitle: Orders\n---\n\n## About orders\n\nText.\n",
            "content/en/orders/cancel.md": "---\ntitle: Cancel\n---\n\n## Before it ships\n\nText.\n",
            "content/he/_index.md": "---\ntitle: עזרה\n---\n\n## ברוכים הבאים\n\nשלום.\n",
            "content/he/orders/_index.md": "---\ntitle: הזמנות\n---\n\n## על הזמנות\n\nטקסט.\n",
            "content/he/orders/cancel.md": "---\ntitle: ביטול\n---\n\n## לפני המשלוח\n\nטקסט.\n",
        },
    )
    return build(root).out_dir


@pytest.mark.parametrize(
    ("page", "other", "href"),
    [
        ("en/contact/index.html", "he", "../../he/contact/"),
        ("he/contact/index.html", "en", "../../en/contact/"),
        ("en/search/index.html", "he", "../../he/search/"),
        ("he/search/index.html", "en", "../../en/search/"),
        ("en/404.html", "he", "/he/404.html"),  # a 404 page is served at any depth
        ("he/404.html", "en", "/en/404.html"),
        ("en/orders/cancel/index.html", "he", "../../../he/orders/cancel/"),
    ],
)
def test_language_switcher_lands_on_the_same_page(multilingual, page, other, href):
    doc = html(multilingual / page)
    links = doc.select(f".lang-switcher a[hreflang={other}]")
    assert [a["href"] for a in links] == [href]
    base = multilingual if href.startswith("/") else (multilingual / page).parent
    target = base / href.lstrip("/")
    assert (target / "index.html" if href.endswith("/") else target).is_file()


@pytest.mark.parametrize(
    ("page", "title"),
    [
        ("he/orders/cancel/index.html", "קישור קבוע"),
        ("he/orders/index.html", "קישור קבוע"),
        ("he/index.html", "קישור קבוע"),
        ("en/orders/cancel/index.html", "Permanent link"),
        ("en/index.html", "Permanent link"),
    ],
)
def test_heading_permalink_title_is_in_the_page_language(multilingual, page, title):
    links = html(multilingual / page).select("main a.headerlink")
    assert links
    assert {a["title"] for a in links} == {title}


def test_heading_permalink_title_on_a_one_language_hebrew_site(tmp_path):
    root = write_files(
        tmp_path,
        {
            "helpgen.toml": 'language = "he"\n',
            "content/a.md": "---\ntitle: מדריך\n---\n\n## כותרת\n\nטקסט.\n",
        },
    )
    links = html(build(root).out_dir / "a/index.html").select("a.headerlink")
    assert [a["title"] for a in links] == ["קישור קבוע"]


# --- what a build would meet, found without building ------------------------------------------
def test_unreadable_files_are_located_and_links_to_them_are_not_called_missing(checker):
    root = checker.root
    write_files(
        root,
        {
            **CONFIG,
            "content/a.md": "# A\n\n[b](b.md) and [c](c.md#part)\n",
            "content/b.md": "---\ntitle: Bad: colon\n---\nB\n",  # YAML error
        },
    )
    (root / "content/c.md").symlink_to(root / "content/gone.md")  # a link to nothing
    (root / "content/pic.png").symlink_to(root / "content/gone.png")
    run = checker(None, "--format", "json")
    assert run.exit_code == 1
    assert located(run.problems) == {
        ("content/b.md", 2, "error", "frontmatter-syntax"),
        ("content/c.md", None, "error", "unreadable"),
        ("content/pic.png", None, "error", "unreadable"),
    }


def test_template_error_in_a_theme_override_is_found_by_check(checker):
    from .conftest import REPO

    template = (REPO / "themes/default/templates/article.html").read_text(encoding="utf-8")
    broken = template.replace("{{ article.title }}", "{{ article.nope.deeper }}", 1)
    assert broken != template
    files = {
        **CONFIG,
        "content/a.md": "# A\n\nText.\n",
        "content/b.md": "# B\n\nText.\n",
        "themes/default/templates/article.html": broken,
    }
    run = checker(files, "--format", "json")
    assert run.exit_code == 1
    [problem] = run.problems  # once, not once per article
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "nope" in x)) + 1
    assert (problem["file"], problem["line"], problem["code"]) == (
        "themes/default/templates/article.html",
        line,
        "template",
    )


def test_helpgen_output_is_never_read_as_content(checker):
    root = checker.root
    write_files(root, {"a.md": "# A\n\n![A cat](cat.png)\n"})
    (root / "cat.png").write_bytes(b"\x89PNG")
    build(root, root / "site")  # a zero-config folder, its site written inside it
    assert checker(None, "--strict").exit_code == 0  # nothing in site/ is an unused asset


def test_info_alone_never_fails_a_strict_build(tmp_path):
    root = write_files(
        tmp_path / "s",
        {
            "helpgen.toml": 'locales = ["en", "he"]\n',
            "content/en/a.md": "# A\n\nText.\n",
            "content/en/b.md": "# B\n\nText.\n",
            "content/he/a.md": "# א\n\nטקסט.\n",
        },
    )
    report = build(root, strict=True)  # 'b.md' is not translated: an info, not a warning
    assert report.warnings == []
    assert (report.out_dir / "he/a/index.html").is_file()
