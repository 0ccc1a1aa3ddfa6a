"""`helpgen serve`: preview, rebuild on change, error shown in the page, browser reload."""

import json
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from helpgen.pipeline import build

from .conftest import REPO, write_files


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


def fetch(url: str) -> tuple[int, str, dict[str, str]]:
    """(status, body, headers), an HTTP error status included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


@pytest.fixture
def serve_site(tmp_path):
    """serve_site(files) -> (root, base URL) of `helpgen serve` run on a site written with files.

    Returns once the first compile is over (good or not); every site is checked for a build/
    folder when its server has stopped.
    """
    running = []

    def start(files: dict[str, str], name: str = "site") -> tuple[Path, str]:
        root = write_files(tmp_path / name, files)
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "helpgen", "serve", "-p", str(port)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        running.append((root, proc))
        base = f"http://127.0.0.1:{port}/"
        wait_for(lambda: (s := state(base))["version"] > 0 or s["error"])
        return root, base

    yield start
    for _, proc in running:
        proc.terminate()
        proc.wait(timeout=10)
    for root, _ in running:
        assert not (root / "build").exists()  # previews never touch build/


@pytest.fixture
def served(serve_site):
    root, base = serve_site(
        {
            "helpgen.toml": 'title = "Live"\n',
            "content/a.md": "---\ntitle: First title\n---\nhello\n",
        }
    )
    wait_for(lambda: get(base + "a/"))
    return root, base


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


# --- missing addresses -----------------------------------------------------------------------
def strings(code: str) -> dict[str, str]:
    with open(REPO / f"themes/default/i18n/{code}.toml", "rb") as f:
        return tomllib.load(f)


def test_missing_address_gets_the_site_404_page(served):
    _, base = served
    status, body, headers = fetch(base + "nope/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    doc = BeautifulSoup(body, "html.parser")
    assert doc.select_one(".not-found h1").get_text(strip=True) == strings("en")["not_found_title"]
    assert doc.html["lang"] == "en"
    assert '<script src="/__helpgen/reload.js"' in body
    # its relative links work from the missing address: the stylesheet loads
    page = urljoin(base + "nope/", doc.base["href"]) if doc.base else base + "nope/"
    css = doc.select_one('link[rel="stylesheet"]')["href"]
    status, text, headers = fetch(urljoin(page, css))
    assert status == 200 and headers["Content-Type"].startswith("text/css") and text
    assert fetch(base + "a/")[0] == 200


def test_missing_address_under_a_locale_gets_that_locale_404_page(serve_site):
    _, base = serve_site(
        {
            "helpgen.toml": 'locales = ["en", "he"]\n',
            "content/en/a.md": "# A\n\nhello\n",
            "content/he/a.md": "# א\n\nשלום\n",
        }
    )
    for path, code, direction in [
        ("he/nope/", "he", "rtl"),
        ("he/a/missing", "he", "rtl"),
        ("en/nope/", "en", "ltr"),
        ("nope/", "en", "ltr"),
    ]:
        status, body, _ = fetch(base + path)
        assert status == 404, path
        doc = BeautifulSoup(body, "html.parser")
        assert (doc.html["lang"], doc.html["dir"]) == (code, direction), path
        assert f'<html lang="{code}"' in body
        h1 = doc.select_one(".not-found h1").get_text(strip=True)
        assert h1 == strings(code)["not_found_title"], path
    assert fetch(base + "he/a/")[0] == 200


# --- ports -----------------------------------------------------------------------------------
def test_port_in_use_is_a_short_located_error(tmp_path):
    write_files(tmp_path, {"helpgen.toml": 'title = "x"\n', "content/a.md": "# A\n"})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "helpgen", "serve", "-p", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=30,
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert elapsed < 10
    assert f"port {port}" in result.stderr
    assert "hint:" in result.stderr and "another port" in result.stderr
    assert "check the path and its permissions" not in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("port", ["70000", "-1"])
def test_port_out_of_range_is_a_user_error(tmp_path, port):
    write_files(tmp_path, {"helpgen.toml": 'title = "x"\n', "content/a.md": "# A\n"})
    result = subprocess.run(
        [sys.executable, "-m", "helpgen", "serve", "-p", port],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode in (1, 2)
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert port in result.stderr
    assert not (tmp_path / "build").exists()


# --- serve writes nothing --------------------------------------------------------------------
def test_serve_leaves_an_existing_build_alone(tmp_path):
    files = {"helpgen.toml": 'title = "x"\n', "content/a.md": "---\ntitle: Old\n---\n"}
    root = write_files(tmp_path / "built", files)
    build(root)
    before = {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((root / "build").rglob("*"))
        if p.is_file()
    }
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpgen", "serve", "-p", str(port)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: state(base)["version"] > 0)
        version = state(base)["version"]
        (root / "content/a.md").write_text("---\ntitle: New\n---\n")
        wait_for(lambda: state(base)["version"] > version)
        assert "New" in get(base + "a/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    after = {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted((root / "build").rglob("*"))
        if p.is_file()
    }
    assert after == before


def test_serve_without_config_writes_nothing(serve_site):
    root, base = serve_site({"content/a.md": "# A\n\nhello\n"})
    assert fetch(base + "a/")[0] == 200
    assert sorted(p.name for p in root.iterdir()) == ["content"]


# --- a site broken from the start ------------------------------------------------------------
def test_first_build_error_is_shown_on_the_page(serve_site):
    root, base = serve_site(
        {"helpgen.toml": 'title = "x"\n', "content/a.md": "---\ntitle: A\nordr: 1\n---\nhi\n"}
    )
    assert "a.md:3: unknown front matter key 'ordr'" in state(base)["error"]
    _, body, _ = fetch(base + "a/")
    assert "a.md:3: unknown front matter key 'ordr'" in body
    assert '<script src="/__helpgen/reload.js"' in body  # so the page reloads once fixed
    (root / "content/a.md").write_text("---\ntitle: Fixed\n---\nhi\n")
    wait_for(lambda: state(base)["version"] > 0)
    status, body, _ = fetch(base + "a/")
    assert status == 200 and "Fixed" in body


def test_folder_address_without_slash_redirects_in_any_script(serve_site):
    _, base = serve_site(
        {"helpgen.toml": 'language = "he"\n', "content/הזמנות/ביטול.md": "# ביטול\n\nטקסט.\n"}
    )
    folder = urllib.parse.quote("הזמנות")
    status, body, _ = fetch(base + folder)  # urllib follows the redirect
    assert status == 200 and "ביטול" in body
    with urllib.request.urlopen(base + folder + "/" + urllib.parse.quote("ביטול"), timeout=5) as r:
        assert r.url.endswith("/") and r.status == 200
