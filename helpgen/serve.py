"""`helpgen serve`: preview from memory on 127.0.0.1, recompile on change, reload the browser.

Nothing is written to disk: each request is answered from the compiled site's outputs. HTML
pages get one extra external script, /__helpgen/reload.js, which polls /__helpgen/state and
reloads the page after a rebuild, or shows the build's errors on the page until they are fixed.
A missing address gets the site's own 404 page, with status 404.
"""

from __future__ import annotations

import errno
import html
import json
import mimetypes
import threading
import webbrowser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
import watchfiles

from .errors import HelpgenError
from .outdir import for_tools
from .pages import Output
from .pipeline import Compiled, compile, configure, make_all

RELOAD_JS = """(function () {
  var version = null, box = null;
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
    fetch('/__helpgen/state', {cache: 'no-store'}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (version !== null && s.version !== version && !s.error) { location.reload(); return; }
        version = s.version; show(s.error);
      }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
"""


class _State:
    """The last good compile, its files by path, and the error of the last attempt."""

    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.compiled: Compiled | None = None
        self.files: dict[str, Output] = {}
        self.lock = threading.Lock()

    def update(self, compiled: Compiled) -> None:
        files = {out.path: out for out in compiled.outputs.files if not for_tools(out.path)}
        with self.lock:
            self.compiled, self.files = compiled, files
            self.version += 1
            self.error = None

    def snapshot(self) -> tuple[Compiled | None, dict[str, Output], str | None]:
        """The last good compile, its files and the current error, all from one moment."""
        with self.lock:
            return self.compiled, self.files, self.error


def _handler(state: _State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path).lstrip("/")
            if path == "__helpgen/state":
                with state.lock:
                    body = json.dumps({"version": state.version, "error": state.error})
                return self._send(200, body.encode(), "application/json")
            if path == "__helpgen/reload.js":
                return self._send(200, RELOAD_JS.encode(), "text/javascript")
            file = path + "index.html" if path == "" or path.endswith("/") else path
            compiled, files, error = state.snapshot()
            if compiled is None:  # no good compile yet: its error, until fixed
                shown = html.escape(error or "building…", quote=False)
                page = f"<!doctype html><title>helpgen</title><pre>{shown}</pre>"
                return self._send(503, _inject(page, None).encode(), "text/html; charset=utf-8")
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
                body = _inject(body.decode("utf-8"), file if status == 404 else None).encode()
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


def _not_found_page(compiled: Compiled, path: str) -> str:
    """The 404 page of the locale the missing address is in, else the site's."""
    for loc in compiled.site.locales.values():
        if loc.prefix and path.startswith(loc.prefix):
            return loc.own_page("404")
    return "404.html"  # the site's: the only locale's, or the default one's at the root


def _inject(html: str, base: str | None) -> str:
    """Add the reload script; a 404 page served at another address gets a <base> for its links."""
    if base is not None and "<base " not in html:
        html = html.replace("<head>", f'<head>\n<base href="/{base}">', 1)
    tag = '<script src="/__helpgen/reload.js" defer></script>'
    return html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag


def serve(
    root: Path, port: int = 8000, config: Path | None = None, open_browser: bool = False
) -> None:
    state = _State()

    def rebuild() -> None:
        try:
            # one process: forking while the server's threads run could deadlock
            last = state.compiled
            cache = last.cache if last is not None else None
            compiled = compile(root, configure(root, config), jobs=1, cache=cache)
            errors = compiled.errors + make_all(compiled, jobs=1, sample=True)
            if errors:
                raise HelpgenError(errors)
        except HelpgenError as exc:
            with state.lock:
                state.error = str(exc)
            exc.show()
            return
        state.update(compiled)
        pages = sum(compiled.pages_per_locale().values())
        click.echo(f"compiled {pages} pages")

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
    rebuild()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    click.echo(f"serving {url} (Ctrl+C to stop)")
    if open_browser:
        webbrowser.open(url)
    watched = [
        p
        for p in (root / "content", root / "themes", root / "helpgen.toml", config)
        if p is not None and Path(p).exists()
    ] or [root]
    try:
        for _changes in watchfiles.watch(*watched, debounce=200, step=50):
            rebuild()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
