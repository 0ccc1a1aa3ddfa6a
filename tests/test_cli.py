"""The CLI as a user runs it: exit codes, messages, no tracebacks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.pipeline import build

from .conftest import html, write_files


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "helpgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )


def test_init_then_build(tmp_path):
    result = run(["init", "mysite", "--title", 'Acme "Help"'], tmp_path)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "mysite"
    result = run(["build"], site)
    assert result.returncode == 0, result.stderr
    assert "built" in result.stdout and "en:" in result.stdout
    doc = html(site / "build/index.html")
    assert 'Acme "Help"' in doc.title.text
    assert (site / "build/getting-started/welcome/index.html").is_file()


def test_init_refuses_non_empty(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("k")
    result = run(["init", "x"], tmp_path)
    assert result.returncode == 1 and "is not empty" in result.stderr
    assert (tmp_path / "x" / "keep.txt").read_text() == "k"


def test_new_article_and_topic(tmp_path):
    write_files(
        tmp_path,
        {
            "helpgen.toml": 'locales = ["en", "fa"]\n',
            "content/en/_index.md": "",
            "content/fa/_index.md": "",
        },
    )
    runner = CliRunner()
    os.chdir(tmp_path)
    r1 = runner.invoke(main, ["new", "topic", "orders/tracking"])
    r2 = runner.invoke(main, ["new", "article", "orders/tracking/where-is-my-order"])
    r3 = runner.invoke(main, ["new", "article", "fa/orders/cancel.md"])
    assert (r1.exit_code, r2.exit_code, r3.exit_code) == (0, 0, 0), (
        r1.output,
        r2.output,
        r3.output,
    )
    article = tmp_path / "content/en/orders/tracking/where-is-my-order.md"
    assert 'title: "Where is my order"' in article.read_text()
    assert (tmp_path / "content/en/orders/tracking/_index.md").is_file()
    assert (tmp_path / "content/fa/orders/cancel.md").is_file()
    again = runner.invoke(main, ["new", "article", "orders/tracking/where-is-my-order"])
    assert again.exit_code == 1 and "already exists" in again.output
    assert runner.invoke(main, ["build"]).exit_code == 0


def test_errors_are_located_without_traceback(tmp_path):
    write_files(
        tmp_path,
        {
            "helpgen.toml": 'title = "x"\n',
            "content/a.md": "---\ntitle: A\nordr: 1\n---\n",
            "content/b.md": "---\ntitle: B\n---\n\n[gone](missing.md)\n",
        },
    )
    result = run(["build"], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert "error: content/a.md:3: unknown front matter key 'ordr' for an article" in lines
    assert any(line.startswith("  hint: did you mean 'order'") for line in lines)
    assert not (tmp_path / "build").exists()
    (tmp_path / "content/a.md").write_text("---\ntitle: A\n---\n")
    result = run(["build"], tmp_path)
    assert "error: content/b.md:5: link to a missing page 'missing.md'" in result.stderr


def test_build_output_option_and_strict(tmp_path):
    write_files(tmp_path, {"content/a.md": "# A\n\n![](nope.png)\n", "content/b.png": "x"})
    result = run(["build", "-o", "public"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning: content/a.md:3: image to a missing file 'nope.png'" in result.stderr
    assert (tmp_path / "public/a/index.html").is_file()
    assert run(["build", "-o", "public", "--strict"], tmp_path).returncode == 1


def test_unreadable_config_path(tmp_path):
    result = run(["build", "--config", "nope.toml"], tmp_path)
    assert result.returncode == 1 and "configuration file not found" in result.stderr


# --- helpgen search ------------------------------------------------------------------------
PERSIAN = {
    "helpgen.toml": 'language = "fa"\n',
    "content/orders/cancel.md": "---\ntitle: لغو سفارش\n---\n\nبرای لغو سفارش خود این مراحل را دنبال کنید.\n",
    "content/returns.md": "---\ntitle: بازگشت کالا\n---\n\nکالا را ظرف ۳۰ روز بازگردانید.\n",
}


def invoke(args: list[str]):
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def test_search_one_language_persian_site(tmp_path, monkeypatch):
    build(write_files(tmp_path, PERSIAN))
    monkeypatch.chdir(tmp_path)
    for args in (["--locale", "fa"], ["--locale", "fa", "--site", "build"], []):
        result = invoke(["search", "سفارش", "--json", *args])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.stdout)
        assert [(r["url"], r["title"], r["source"]) for r in rows] == [
            ("orders/cancel/", "لغو سفارش", "orders/cancel.md"),
            ("orders/", "Orders", "orders/_index.md"),  # the topic that lists it
        ]
    text = invoke(["search", "سفارش", "--locale", "fa", "--site", "build"])
    assert text.exit_code == 0
    assert text.stdout.splitlines()[:2] == [
        f" 1. لغو سفارش  ({rows[0]['score']:g})",
        "    orders/cancel/",
    ]


def test_search_loads_nothing_of_the_build(tmp_path):
    """`helpgen search` reads a built site: it imports no part of the build (which would cost
    it a third of a second at every start)."""
    site = build(write_files(tmp_path, PERSIAN)).out_dir
    code = (
        "import sys\nfrom helpgen.cli import main\n"
        f"main(['search', 'سفارش', '--json', '--site', {str(site)!r}], standalone_mode=False)\n"
        "print(' '.join(m for m in sys.modules if m.startswith('helpgen')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.splitlines()[-1].split())  # the last line, after the JSON
    assert "helpgen.search.query" in loaded, done.stdout
    assert not loaded & {
        "helpgen.pipeline",
        "helpgen.search.index",
        "helpgen.cache",
        "helpgen.pages",
    }


def test_search_wrong_locale_is_a_located_error(tmp_path, monkeypatch):
    build(write_files(tmp_path / "fa", PERSIAN))
    build(
        write_files(
            tmp_path / "ml",
            {
                "helpgen.toml": 'locales = ["en", "he"]\n',
                "content/en/a.md": "# Refunds\n\nMoney back.\n",
                "content/he/a.md": "# החזרים\n\nכסף בחזרה.\n",
            },
        )
    )
    monkeypatch.chdir(tmp_path)
    one = invoke(["search", "سفارش", "--locale", "he", "--site", "fa/build"])
    assert one.exit_code == 1
    assert one.stderr.splitlines() == [
        "error: fa/build: this site has one language, 'fa', not 'he'",
        "  hint: leave out --locale, or use --locale fa",
    ]
    several = invoke(["search", "refund", "--locale", "de", "--site", "ml/build"])
    assert several.exit_code == 1
    assert several.stderr.startswith("error: ml/build: ")
    assert "'de'" in several.stderr and "en, he" in several.stderr
    assert invoke(["search", "refund", "--locale", "en", "--site", "ml/build"]).exit_code == 0
    nowhere = invoke(["search", "refund", "--site", "nope"])
    assert nowhere.exit_code == 1 and nowhere.stderr.startswith("error: nope: ")


@pytest.fixture(scope="module")
def many_results(tmp_path_factory) -> Path:
    """A site where one word finds far more text than a pipe and `head`'s reads hold."""
    words = " ".join(f"word{i}" for i in range(600))
    files = {"helpgen.toml": 'title = "x"\n'}
    for n in range(90):
        files[f"content/r{n}.md"] = (
            f"---\ntitle: Refund {n} {words}\n---\n\nHow to get a refund for order {n}.\n"
        )
    root = write_files(tmp_path_factory.mktemp("many"), files)
    build(root)
    return root


def test_search_piped_into_head_is_quiet(many_results):
    command = f"{sys.executable} -m helpgen search refund --limit 100"
    whole = subprocess.run(
        ["bash", "-c", command], cwd=many_results, capture_output=True, text=True, timeout=60
    )
    assert whole.returncode == 0, whole.stderr
    # more than the pipe (64 KiB) and one read of `head` (128 KiB) take in
    assert len(whole.stdout.encode()) > 300_000
    piped = subprocess.run(
        ["bash", "-c", f"{command} | head -1"],
        cwd=many_results,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
    )
    assert piped.stdout == whole.stdout.splitlines(keepends=True)[0]
    for word in ("Broken pipe", "BrokenPipe", "error", "Error", "Traceback", "Exception"):
        assert word not in piped.stderr
    assert piped.stderr == ""
