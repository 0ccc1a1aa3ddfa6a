"""`helpgen serve`: preview from memory on 127.0.0.1, recompile on change, reload the browser.

Nothing is written to disk: each request is answered from the compiled site's outputs. HTML
pages get one extra external script, /__helpgen/reload.js?v=N (N: the version the page was
served at), which polls /__helpgen/state and reloads the page once it changed since, or shows
the build's errors on the page until they are fixed.
A missing address gets the site's own 404 page, with status 404.

An edit to the body of pages only (patch.py) makes just their files again, and their locale's
search data afterwards in a thread; anything else compiles the whole site again. Each file
keeps the version it last changed in, so a page reloads only when it changed.
"""

from __future__ import annotations

import errno
import html
import itertools
import json
import mimetypes
import threading
import time
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import click
import watchfiles

from .errors import HelpgenError
from .outdir import for_tools
from .pages import Output
from .patch import Patched, patch, relevant, search_again
from .pipeline import Compiled, compile, configure, make_all

RELOAD_JS = """(function () {
  var script = document.currentScript, served = script && /[?&]v=(\\d+)/.exec(script.src);
  var stamp = served ? +served[1] : null, box = null;
  var state = '/__helpgen/state?page=' + encodeURIComponent(location.pathname);
  function show(error) {
    if (!error) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement('pre');
      box.id = 'helpgen-build-error';
      box.setAttribute('role', 'alert');
      box.style.cssText = 'position:fixed;inset:auto 0 0 0;margin:0;padding:1em;z-index:9999;' +
        'background:#7f1d1d;color:#fff;white-space:pre-wrap;font:14px/1.4 monospace';
      document.body.appendChild(box);
    }
    box.textContent = error;
  }
  function poll() {
    fetch(state, {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (stamp !== null && s.page !== stamp && !s.error) { location.reload(); return; }
        stamp = s.page; show(s.error);
      }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""


class _State:
    """The last good compile and its files, the newest compile (good or not: what the next
    edit is applied to), the error of the last attempt, and the version each file last
    changed in (`since`: every file not listed)."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.compiled: Compiled | None = None
        self.files: dict[str, Output] = {}
        self.since = 0
        self.changed: dict[str, int] = {}
        self.newest: Compiled | None = None
        self.unserved: set[str] = set()  # files the newest compile made again, not served yet
        self.stale: set[str] = set()  # locales whose search data is older than their pages
        self.lock = threading.Lock()

    def update(self, compiled: Compiled) -> None:
        """A whole compile, served."""
        files = {out.path: out for out in compiled.outputs.files if not for_tools(out.path)}
        with self.lock:
            self.compiled, self.files, self.newest = compiled, files, compiled
            self.version += 1
            self.since, self.changed = self.version, {}
            self.unserved, self.stale = set(), set()
            self.error = None

    def patched(self, patched: Patched) -> None:
        """An edit applied to the newest compile, served."""
        compiled = patched.compiled
        files = {out.path: out for out in compiled.outputs.files if not for_tools(out.path)}
        with self.lock:
            self.stale |= patched.stale
            self._serve(compiled, files, self.unserved | patched.changed)
            self.unserved = set()

    def searched(self, before: Compiled, compiled: Compiled, changed: frozenset[str]) -> bool:
        """The search data made again from `before`, served if nothing came since."""
        with self.lock:
            if before is not self.newest or before is not self.compiled:
                return False
            files = {o.path: o for o in compiled.outputs.files if not for_tools(o.path)}
            self.stale = set()
            pages = {p.partition("search/")[0] + "search/index.html" for p in changed}
            self._serve(compiled, files, changed | pages)
            return True

    def _serve(self, compiled: Compiled, files: dict[str, Output], changed: set[str]) -> None:
        self.compiled, self.files, self.newest = compiled, files, compiled
        self.version += 1
        self.changed.update(dict.fromkeys(changed, self.version))
        self.error = None

    def failed(self, message: str, newest: Compiled | None, patched: Patched | None = None) -> None:
        """The last attempt's error; `newest`: what it compiled nonetheless, if anything."""
        with self.lock:
            self.error, self.newest = message, newest
            if patched is not None:
                self.unserved |= patched.changed
                self.stale |= patched.stale
            else:
                self.unserved, self.stale = set(), set()

    def stamp(self, path: str) -> int:
        """The version the file at `path` last changed in."""
        return self.changed.get(path, self.since)

    def snapshot(self, path: str) -> tuple[Compiled | None, dict[str, Output], str | None, int]:
        """The last good compile, its files, the current error and the version the file at
        `path` last changed in, all from one moment."""
        with self.lock:
            return self.compiled, self.files, self.error, self.stamp(path)


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            address = urlsplit(self.path)
            path = unquote(address.path).lstrip("/")
            if path == "__helpgen/state":
                page = unquote(parse_qs(address.query).get("page", [""])[0]).lstrip("/")
                with state.lock:
                    body = json.dumps(
                        {
                            "version": state.version,
                            "page": state.stamp(_file(page)),
                            "error": state.error,
                            "searching": bool(state.stale),
                        }
                    )
                return self._send(200, body.encode(), "application/json")
            if path == "__helpgen/reload.js":
                return self._send(200, RELOAD_JS.encode(), "text/javascript")
            file = _file(path)
            compiled, files, error, stamp = state.snapshot(file)
            if compiled is None:  # no good compile yet: its error, until fixed
                shown = html.escape(error or "building…", quote=False)
                page = f"<!doctype html><title>helpgen</title><pre>{shown}</pre>"
                return self._send(503, _inject(page, None), "text/html; charset=utf-8")
            output = files.get(file)
            if output is None and file + "/index.html" in files:
                self.send_response(301)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                return self.end_headers()
            status = 200
            if output is None:
                status, file = 404, _not_found_page(compiled, path)
                output = files.get(file)
                if output is None:
                    return self._send(404, b"not found", "text/plain")
            try:
                body = compiled.outputs.make(output)
            except (HelpgenError, OSError) as exc:  # a template error, a file deleted since
                problem = str(exc).encode()
                return self._send(500, problem, "text/plain; charset=utf-8")
            ctype = mimetypes.guess_type(file)[0] or "application/octet-stream"
            if file.endswith(".html"):
                ctype = "text/html; charset=utf-8"
                body = _inject(body.decode("utf-8"), file if status == 404 else None, stamp)
            elif ctype.startswith("text/") or ctype == "application/json":
                ctype += "; charset=utf-8"
            return self._send(status, body, ctype)

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return Handler


def _file(path: str) -> str:
    """The file served at an address's path."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def _not_found_page(compiled: Compiled, path: str) -> str:
    """The 404 page of the locale the missing address is in, else the site's."""
    for loc in compiled.site.locales.values():
        if loc.prefix and path.startswith(loc.prefix):
            return loc.own_page("404")
    return "404.html"  # the site's: the only locale's, or the default one's at the root


def _inject(html: str, base: str | None, stamp: int | None = None) -> bytes:
    """Add the reload script, told the version the page is served at (`stamp`: none, it
    reloads at the first change it sees); a 404 page served at another address gets a <base>
    for its links."""
    if base is not None and "<base " not in html:
        html = html.replace("<head>", f'<head>\n<base href="/{base}">', 1)
    query = "" if stamp is None else f"?v={stamp}"
    tag = f'<script src="/__helpgen/reload.js{query}" defer></script>'
    html = html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
    return html.encode()


def serve(
    root: Path, port: int = 8000, config: Path | None = None, open_browser: bool = False
) -> None:
    state = _State()
    wake = threading.Event()  # set when a locale's search data is out of date

    def rebuild(jobs: int | None = 1) -> None:
        """Compile the whole site again (in this process once the server's threads run:
        forking then could deadlock)."""
        newest = None
        try:
            last = state.newest or state.compiled
            cache = last.cache if last is not None else None
            compiled = compile(root, configure(root, config), jobs=jobs, cache=cache)
            newest = compiled
            made = make_all(compiled, jobs=jobs, sample=True)
            if made:
                newest = None  # a template error: the next change compiles the whole site
            if compiled.errors or made:
                raise HelpgenError(compiled.errors + made)
        except HelpgenError as exc:
            state.failed(str(exc), newest)
            exc.show()
            return
        state.update(compiled)
        pages = sum(compiled.pages_per_locale().values())
        click.echo(f"compiled {pages} pages")

    def edit(paths: set[Path]) -> bool:
        """Apply an edit to pages' bodies; False if it is more than that (compile again)."""
        started = time.perf_counter()
        newest = state.newest
        if newest is None:
            return False
        changed = relevant(newest, paths)
        if not changed:
            return True  # an editor's leftovers: nothing the site is made from
        patched = patch(newest, changed)
        if patched is None:
            return False
        errors = patched.compiled.errors
        if errors:
            exc = HelpgenError(errors)
            state.failed(str(exc), patched.compiled, patched)
            exc.show()
            return True
        state.patched(patched)
        wake.set()
        names = ", ".join(sorted(p.name for p in changed))
        click.echo(f"updated {names} ({time.perf_counter() - started:.2f} s)")
        return True

    def search() -> None:
        """Make the search data of the locales edited since it was made, again and again."""
        while True:
            wake.wait()
            wake.clear()
            with state.lock:
                before, served, codes = state.newest, state.compiled, set(state.stale)
            if before is None or before is not served or not codes:
                continue
            started = time.perf_counter()
            try:
                compiled, changed = search_again(before, codes)
            except HelpgenError as exc:
                exc.show()
                continue
            if state.searched(before, compiled, changed):
                click.echo(f"search data updated ({time.perf_counter() - started:.1f} s)")

    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), _handler(state))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise HelpgenError.at(
            f"port {port} is already in use",
            hint=f"stop the other server, or pick another port: helpgen serve -p {port + 1}",
            code="port",
        ) from None
    rebuild(jobs=None)  # no other thread yet: every core
    watched = [
        p
        for p in (root / "content", root / "themes", root / "helpgen.toml", config)
        if p is not None and Path(p).exists()
    ] or [root]
    # the watcher is live once it first yields (a change, or none after rust_timeout): only
    # then is the site served, so that no edit made after a page was seen goes unnoticed
    watch = watchfiles.watch(
        *watched, debounce=200, step=50, rust_timeout=100, yield_on_timeout=True
    )
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    try:
        first = next(watch)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        serving.start()
        threading.Thread(target=search, daemon=True).start()
        click.echo(f"serving {url} (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)
        for changes in itertools.chain([first], watch):
            if changes and not edit({Path(path) for _, path in changes}):
                rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        if serving.is_alive():
            server.shutdown()
        server.server_close()
