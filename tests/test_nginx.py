"""The 404 page on a real host: Debian's nginx serving the demo with `error_page 404`, at the
root and under /help/ (alias), with a strict Content-Security-Policy header, reached on a host
name other than base_url's. Chromium opens a deep missing address and the page must be whole:
styled, its scripts run, its search working, every link on it answering 200.

nginx runs as a foreground process of the test with a config of its own and a free port; CI
installs it with Debian's nginx-light (.ci/run)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from helpgen.pipeline import build

from .conftest import CSP, REPO

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(  # CI (HELPGEN_REQUIRE_TOOLS=1) installs it: never skipped
    NGINX is None and os.environ.get("HELPGEN_REQUIRE_TOOLS") != "1",
    reason="nginx is not installed (Debian: apt-get install nginx, or run bash .ci/run)",
)
DEEP = "en/orders/no/such/page/"
TYPES = {
    "text/html": "html",
    "text/css": "css",
    "application/javascript": "js",
    "application/json": "json",
    "image/svg+xml": "svg",
    "application/atom+xml": "xml",
    "text/plain": "txt",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _temp_paths(folder: Path) -> str:
    """Temp folders nginx would otherwise make under /var/lib: one per module it was built with."""
    built = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    lines = [f"client_body_temp_path {folder}/body;"]
    for module in ("proxy", "fastcgi", "uwsgi", "scgi"):
        if f"--without-http_{module}_module" not in built:
            lines.append(f"{module}_temp_path {folder}/{module};")
    return "\n    ".join(lines)


def _config(folder: Path, port: int, site: Path, mount: str) -> str:
    types = " ".join(f"{mime} {ext};" for mime, ext in TYPES.items())
    if mount == "/":
        location = f"location / {{ root {site}; error_page 404 /404.html; }}"
    else:
        location = f"location {mount} {{ alias {site}/; error_page 404 {mount}404.html; }}"
    return f"""
daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    types {{ {types} }}
    default_type application/octet-stream;
    access_log off;
    {_temp_paths(folder)}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        add_header Content-Security-Policy "{CSP}" always;
        {location}
    }}
}}
"""


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Path, str], str]]:
    """nginx(site, mount) -> the URL the site is served at (mount "/" or "/help/")."""
    running: list[subprocess.Popen] = []

    def start(site: Path, mount: str) -> str:
        folder = tmp_path_factory.mktemp("nginx")
        port = _free_port()
        conf = folder / "nginx.conf"
        conf.write_text(_config(folder, port, site, mount), encoding="utf-8")
        proc = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        running.append(proc)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
                pytest.fail(f"nginx stopped: {proc.stderr.read().decode()}{log}")  # type: ignore[union-attr]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return f"http://127.0.0.1:{port}{mount}"
            except OSError:
                time.sleep(0.05)
        pytest.fail("nginx did not start listening")

    yield start
    for proc in running:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str | None], Path]:
    """The demo built once per base_url."""
    made: dict[str | None, Path] = {}

    def get(base_url: str | None) -> Path:
        if base_url not in made:
            out = tmp_path_factory.mktemp("site") / "build"
            build(REPO, out, overrides={"base_url": base_url} if base_url else None)
            made[base_url] = out
        return made[base_url]

    return get


@pytest.mark.parametrize(
    ("mount", "base_url"),
    [
        ("/", None),
        ("/", "https://help.juniper.example/"),  # another host, and https, than nginx's
        ("/help/", "https://preview.juniper.example/help/"),
    ],
)
def test_404_page_at_a_deep_missing_address_is_whole(
    browser, nginx, builds, mount: str, base_url: str | None
) -> None:
    served = nginx(builds(base_url), mount)
    context = browser.new_context()
    page = context.new_page()
    problems: list[str] = []

    def console(message) -> None:  # the page's own 404 is expected, nothing else
        own = message.location.get("url") == served + DEEP and "404" in message.text
        if message.type == "error" and not own:
            problems.append(f"{message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
    page.on(
        "response",
        lambda r: (
            problems.append(f"HTTP {r.status} {r.url}")
            if r.status >= 400 and r.url != served + DEEP
            else None
        ),
    )
    response = page.goto(served + DEEP)
    assert response is not None and response.status == 404
    assert response.headers["content-security-policy"] == CSP
    assert page.locator("h1").inner_text() == "We can't find that page"
    # the stylesheet applied: the big "404" is drawn as the theme draws it
    code = page.locator(".not-found-code")
    assert code.evaluate("e => getComputedStyle(e).fontWeight") == "800"
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    # the scripts ran
    page.wait_for_function("document.documentElement.classList.contains('js')")
    assert "no-js" not in (page.locator("html").get_attribute("class") or "")
    # search works from here: its data is found from the site's path
    box = page.locator("main input[name='q']").first
    box.fill("refund")
    page.locator(".search-popup a[href*='refund']").first.wait_for()
    # the skip link stays on this page
    page.keyboard.press("Home")
    page.locator(".skip-link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(served + DEEP + "#main")  # the same page, at its main content
    # every link and file on the page answers, on this host and below the mount
    urls = page.evaluate(
        """() => [
          ...[...document.querySelectorAll('a[href], link[href]')]
            .filter(e => !e.getAttribute('href').startsWith('#')).map(e => e.href),
          ...[...document.querySelectorAll('script[src]')].map(e => e.src),
        ]"""
    )
    local = sorted({u.split("#")[0] for u in urls if urlsplit(u).netloc == urlsplit(served).netloc})
    assert served + "en/" in local and served + "en/contact/" in local
    for url in local:
        assert urlsplit(url).path.startswith(mount), url
        assert context.request.get(url).status == 200, url
    assert not [u for u in urls if base_url and u.startswith(base_url)]  # never base_url's host
    assert problems == []
    context.close()


def test_base_url_path_serves_root_chooser_and_locale_404(browser, nginx, builds) -> None:
    """Under /help/: the root lists the languages; a missing Hebrew page gets nginx's one 404
    page, and that page's links lead to pages that exist."""
    served = nginx(builds("https://preview.juniper.example/help/"), "/help/")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    assert page.goto(served).status == 200
    hrefs = page.locator(".root-languages a").evaluate_all("els => els.map(a => a.href)")
    assert hrefs == [served + code + "/" for code in ("en", "he", "fa", "zh-CN")]
    response = page.goto(served + "he/returns/nothing-here/")
    assert response is not None and response.status == 404
    home = page.locator(".not-found-actions a").first.evaluate("a => a.href")
    assert home == served + "en/" and context.request.get(home).status == 200
    context.close()
