"""`helpgen serve`: preview, rebuild on change, error shown in the page, browser reload."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import write_files


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read().decode()


def wait_for(predicate, timeout=20.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("timed out")


@pytest.fixture
def served(tmp_path):
    write_files(
        tmp_path,
        {
            "helpgen.toml": 'title = "Live"\n',
            "content/a.md": "---\ntitle: First title\n---\nhello\n",
        },
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpgen", "serve", "-p", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: get(base + "a/"))
        yield tmp_path, base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not (tmp_path / "build").exists()  # previews never touch build/


def state(base):
    return json.loads(get(base + "__helpgen/state"))


def test_serve_rebuilds_and_reports_errors(served):
    root, base = served
    page = get(base + "a/")
    assert "First title" in page and '<script src="/__helpgen/reload.js"' in page
    assert "location.reload" in get(base + "__helpgen/reload.js")
    version = state(base)["version"]

    (root / "content/a.md").write_text("---\ntitle: Second title\n---\nhello\n")
    wait_for(lambda: state(base)["version"] > version)
    assert "Second title" in get(base + "a/")

    (root / "content/a.md").write_text("---\ntitle: Broken\nordr: 1\n---\n")
    err = wait_for(lambda: state(base)["error"])
    assert "a.md:3: unknown front matter key 'ordr'" in err
    assert "Second title" in get(base + "a/")  # the last good site stays up

    version = state(base)["version"]
    (root / "content/a.md").write_text("---\ntitle: Fixed\n---\n")
    wait_for(lambda: state(base)["version"] > version)
    assert state(base)["error"] is None and "Fixed" in get(base + "a/")


@pytest.mark.browser
def test_browser_reloads_after_a_change(served, page):
    root, base = served
    page.goto(base + "a/")
    assert page.locator("h1").inner_text() == "First title"
    (root / "content/a.md").write_text("---\ntitle: Live edit\n---\nhello\n")
    page.wait_for_function(
        "document.querySelector('h1').textContent.includes('Live edit')", timeout=15000
    )
    (root / "content/a.md").write_text("---\ntitle: x\nbad: [\n---\n")
    page.wait_for_selector("#helpgen-build-error", timeout=15000)
    assert "a.md:3" in page.locator("#helpgen-build-error").inner_text()
