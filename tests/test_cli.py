"""The CLI as a user runs it: exit codes, messages, no tracebacks."""

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from helpgen.cli import main

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
