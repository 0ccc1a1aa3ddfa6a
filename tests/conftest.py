"""Shared fixtures: small sites written on the fly, built output parsed, a browser under CSP."""

from __future__ import annotations

import os
import shutil
import textwrap
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpgen.pipeline import BuildReport, build

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
TOR = CORPORA / "tor-support"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
CSP = "default-src 'self'"


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} below root (text is dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def yaml_quoted(text: str) -> str:
    """`text` as a one-line, ASCII, double-quoted YAML scalar (line numbers stay exact)."""
    out = []
    for c in text:
        n = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif 0x20 <= n < 0x7F:
            out.append(c)
        elif n < 0x100:
            out.append(f"\\x{n:02x}")
        elif n < 0x10000:
            out.append(f"\\u{n:04x}")
        else:
            out.append(f"\\U{n:08x}")
    return '"' + "".join(out) + '"'


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., tuple[Path, BuildReport]]:
    """site(files, **config overrides) -> (output folder, report)."""

    def make(files: dict[str, str], **overrides: object) -> tuple[Path, BuildReport]:
        root = write_files(tmp_path / "site", files)
        report = build(root, overrides=overrides or None)
        return report.out_dir, report

    return make


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's demo help center, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("demo") / "build"
    build(REPO, out)
    return out


class _CSPHandler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def serve_dir() -> Iterator[Callable[[Path], str]]:
    """serve_dir(folder) -> base URL of a local server sending a strict CSP header."""
    servers = []

    def start(folder: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_CSPHandler, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium via Playwright. Missing Chromium fails, unless HELPGEN_NO_BROWSER=1."""
    if os.environ.get("HELPGEN_NO_BROWSER") == "1":
        pytest.skip("HELPGEN_NO_BROWSER=1")
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: apt-get install chromium (or set HELPGEN_NO_BROWSER=1)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh page; console errors and CSP violations are collected in page.errors."""
    context = browser.new_context()
    pg = context.new_page()
    pg.errors = []
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.on(
        "response",
        lambda r: pg.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None,
    )
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    context.close()
