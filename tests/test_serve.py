"""`helpgen serve`: preview, rebuild on change, error shown in the page, browser reload."""

import json
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from helpgen.outdir import for_tools
from helpgen.patch import patch, relevant, search_again
from helpgen.pipeline import build, compile, configure
from helpgen.serve import _inject

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


def state(base, page=""):
    query = "?page=" + urllib.parse.quote(page) if page else ""
    return json.loads(get(base + "__helpgen/state" + query))


def test_serve_rebuilds_and_reports_errors(served):
    root, base = served
    page = get(base + "a/")
    assert "First title" in page and '<script src="/__helpgen/reload.js?v=' in page
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
    (root / "content/a.md").write_text("---\ntitle: Live edit\n---\nhello again\n")
    page.wait_for_function("document.body.textContent.includes('hello again')", timeout=15000)
    page.evaluate("window.stayed = true")
    wait_for(lambda: not state(base)["searching"])
    page.wait_for_timeout(2000)  # polls after the search data came: the page is not reloaded
    assert page.evaluate("window.stayed === true")
    (root / "content/a.md").write_text("---\ntitle: x\nbad: [\n---\n")
    page.wait_for_selector("#helpgen-build-error", timeout=15000)
    assert "a.md:3" in page.locator("#helpgen-build-error").inner_text()


def test_a_page_reloads_for_a_change_made_before_it_first_asked(served, page):
    """A page knows the version it was served at: an edit that lands between the page being
    served and its first poll of the state still reloads it."""
    root, base = served
    held, holding = [], [True]

    def hold(route):  # the page's polls wait here while holding
        if holding:
            held.append(route)
        else:
            route.continue_()

    page.route("**/__helpgen/state*", hold)
    page.goto(base + "a/")
    for _ in range(200):  # Playwright hands over routes only while it is called
        if held:
            break
        page.wait_for_timeout(50)
    assert held
    version = state(base)["version"]
    (root / "content/a.md").write_text("---\ntitle: Edited early\n---\nhello\n")
    wait_for(lambda: state(base)["version"] > version)
    holding.clear()
    for route in held:
        route.continue_()
    page.wait_for_function(
        "document.querySelector('h1').textContent.includes('Edited early')", timeout=15000
    )


# --- an edit to a page's body ----------------------------------------------------------------
ARTICLES = {
    "helpgen.toml": 'title = "Live"\n',
    "content/_index.md": "# Help\n\nWelcome.\n",
    "content/orders/_index.md": "---\ntitle: Orders\n---\nAll about orders.\n",
    "content/orders/cancel.md": (
        "---\ntitle: Cancel an order\ntags: [orders]\n---\nOpen the order.\n\n"
        "## Before it ships\n\nPress cancel.\n"
    ),
    "content/orders/track.md": (
        "---\ntitle: Track an order\ntags: [orders]\n---\n"
        "See [cancelling](cancel.md#before-it-ships).\n"
    ),
}


def served_as_compiled(root: Path, base: str) -> None:
    """Every file served is the one a whole compile of the site makes, byte for byte."""
    compiled = compile(root, configure(root), jobs=1)
    assert not compiled.errors
    for output in compiled.outputs.files:
        if for_tools(output.path):
            continue
        with urllib.request.urlopen(base + urllib.parse.quote(output.path), timeout=5) as r:
            body = r.read()
        made = compiled.outputs.make(output)
        if output.path.endswith(".html"):
            made = _inject(made.decode(), None)
            body = re.sub(rb"/__helpgen/reload\.js\?v=\d+", b"/__helpgen/reload.js", body)
        assert body == made, output.path


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + text)


def test_body_edit_updates_its_page_as_a_whole_compile_would(serve_site):
    root, base = serve_site(ARTICLES)
    home, page = state(base, "/")["page"], state(base, "/orders/cancel/")["page"]
    append(root / "content/orders/cancel.md", "\nCall us if the zeppelin has left.\n")
    wait_for(lambda: "zeppelin" in get(base + "orders/cancel/"))
    assert state(base, "/orders/cancel/")["page"] > page
    assert state(base, "/")["page"] == home  # no other page changed: none reloads
    wait_for(lambda: not state(base)["searching"])
    assert "zeppelin" in get(base + "search/text/0.json")
    # the new search data reloads the search page, not the article (nor any other page)
    assert state(base, "/search/")["page"] > state(base, "/orders/cancel/")["page"]
    assert state(base, "/")["page"] == home
    served_as_compiled(root, base)


def test_front_matter_edit_compiles_the_whole_site(serve_site):
    root, base = serve_site(ARTICLES)
    home = state(base, "/")["page"]
    cancel = root / "content/orders/cancel.md"
    cancel.write_text(cancel.read_text().replace("title: Cancel an order", "title: Stop an order"))
    wait_for(lambda: state(base, "/")["page"] > home)
    assert "Stop an order" in get(base + "orders/")  # listed under its new title elsewhere
    assert "Stop an order" in get(base + "orders/track/")  # related articles too
    wait_for(lambda: not state(base)["searching"])
    served_as_compiled(root, base)


def test_body_edit_with_a_broken_link_shows_the_error_until_fixed(serve_site):
    root, base = serve_site(ARTICLES)
    track = root / "content/orders/track.md"
    good = track.read_text()
    append(track, "\nSee [the policy](policy.md) and [returns](cancel.md#after).\n")
    error = wait_for(lambda: state(base)["error"])
    assert "track.md:7: link to a missing page 'policy.md'" in error
    assert "track.md:7: link to a missing anchor '#after'" in error
    assert "policy.md" not in get(base + "orders/track/")  # the last good page stays up
    page = state(base, "/orders/track/")["page"]
    track.write_text(good + "\nThe parcel is on its way.\n")
    wait_for(lambda: state(base, "/orders/track/")["page"] > page)
    assert state(base)["error"] is None and "on its way" in get(base + "orders/track/")
    wait_for(lambda: not state(base)["searching"])
    served_as_compiled(root, base)


def test_body_edit_reaches_the_pages_that_show_it_untranslated(serve_site):
    root, base = serve_site(
        {
            "helpgen.toml": 'locales = ["en", "he"]\n',
            "content/en/a.md": "# A\n\nhello\n",
            "content/en/b.md": "# B\n\nSee [a](a.md).\n",
            "content/he/a.md": "# א\n\nשלום\n",
        }
    )
    home = state(base, "/he/")["page"]
    append(root / "content/en/b.md", "\nNew words in English.\n")
    wait_for(lambda: "New words" in get(base + "he/b/"))  # shown untranslated in Hebrew
    assert "New words" in get(base + "en/b/")
    assert state(base, "/he/")["page"] == home
    wait_for(lambda: not state(base)["searching"])
    served_as_compiled(root, base)


# --- patch.py: an edit applied to a compile is the compile of the edited site ---------------
TWO_LOCALES = {
    "helpgen.toml": 'title = "Help"\nlocales = ["en", "he"]\n',
    "content/en/_index.md": "# Help\n\nWelcome.\n",
    "content/en/orders/_index.md": "---\ntitle: Orders\n---\nAll about orders.\n",
    "content/en/orders/cancel.md": "# Cancel\n\nOpen the order.\n\n## Soon\n\nPress it.\n",
    "content/en/orders/track.md": "# Track\n\nSee [it](cancel.md#soon).\n",
    "content/en/orders/sign-in.md": (
        "---\ntitle: Sign in\ntype: guide\n---\n## Start {#start}\n\n"
        "- [Forgot it](#forgot)\n\n## Forgot {#forgot}\n\nReset it.\n"
    ),
    "content/en/orders/box.png": "png",
    "content/he/_index.md": "# עזרה\n\nשלום.\n",
    "content/he/orders/cancel.md": "# ביטול\n\nפתחו את ההזמנה.\n",
}


@pytest.mark.parametrize(
    ("file", "text", "patched"),
    [
        ("en/orders/cancel.md", "\nMore words.\n", True),
        ("en/orders/_index.md", "\nAn introduction, longer.\n", True),  # shown in he too
        ("en/_index.md", "\nThe home page's own words.\n", True),
        ("en/orders/sign-in.md", "\n- [Gone](#nowhere)\n", True),  # a guide's own problems
        ("en/orders/track.md", "\n[x](missing.md) [y](cancel.md#later)\n", True),
        ("he/orders/cancel.md", "\nעוד מילים.\n", True),
        ("en/orders/track.md", "\n## A new section\n\nWords.\n", True),  # no one links here
        ("en/orders/cancel.md", "\n## Another section\n", False),  # track.md links into it
        ("en/orders/track.md", "\n![a box](box.png)\n", False),  # a file used: not unused
        ("en/orders/track.md", "", False),  # front matter added below
    ],
)
def test_patch_is_what_a_whole_compile_makes(tmp_path, file, text, patched):
    root = write_files(tmp_path, TWO_LOCALES)
    before = compile(root, configure(root), jobs=1)
    path = root / "content" / file
    if text:
        append(path, text)
    else:
        path.write_text("---\ndescription: Where it is\n---\n" + path.read_text())
    result = patch(before, [path])
    assert (result is not None) == patched
    if result is None:
        return
    assert result.stale == {file.split("/")[0]}
    searched, _ = search_again(result.compiled, result.stale)
    whole = compile(root, configure(root), jobs=1)
    assert [o.path for o in searched.outputs.files] == [o.path for o in whole.outputs.files]
    for mine, theirs in zip(searched.outputs.files, whole.outputs.files, strict=True):
        assert searched.outputs.make(mine) == whole.outputs.make(theirs), mine.path
    assert Counter(searched.problems) == Counter(whole.problems)
    assert searched.rendered == whole.rendered


def test_editor_leftovers_are_not_changes(tmp_path):
    root = write_files(tmp_path, ARTICLES)
    compiled = compile(root, configure(root), jobs=1)
    orders = root / "content/orders"
    (orders / ".cancel.md.swp").write_text("x")
    (orders / "cancel.md~").write_text("x")
    gone = [orders / "4913", orders / "cancel.md.tmp"]  # written and removed by an editor
    found = relevant(compiled, [orders / ".cancel.md.swp", orders / "cancel.md~", *gone])
    assert found == []
    new = orders / "new.md"
    new.write_text("# New\n")
    assert relevant(compiled, [orders / "cancel.md", new, orders]) == [
        orders / "cancel.md",
        new,
        orders,
    ]
    assert relevant(compiled, [orders / "track.md"]) == [orders / "track.md"]
    (orders / "track.md").unlink()  # a page deleted is a change
    assert relevant(compiled, [orders / "track.md"]) == [orders / "track.md"]
    assert patch(compiled, [orders / "track.md"]) is None
    assert patch(compiled, [new]) is None  # a new page: compile again


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
    assert '<script src="/__helpgen/reload.js?v=' in body
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
