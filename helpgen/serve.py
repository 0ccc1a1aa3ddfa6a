"""`helpgen serve`: preview on 127.0.0.1, rebuild on change, reload the browser.

The site is built into a private temporary folder (never over build/). Pages get one extra
external script, /__helpgen/reload.js, which polls /__helpgen/state and reloads the page after
a rebuild, or shows the build error on the page until it is fixed.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import webbrowser
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import watchfiles

from .build import build
from .errors import HelpgenError

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
    def __init__(self) -> None:
        self.version = 0
        self.error: str | None = None
        self.lock = threading.Lock()


def _handler(directory: Path, state: _State) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            if self.path.startswith("/__helpgen/state"):
                with state.lock:
                    body = json.dumps({"version": state.version, "error": state.error}).encode()
                return self._send(body, "application/json")
            if self.path.startswith("/__helpgen/reload.js"):
                return self._send(RELOAD_JS.encode(), "text/javascript")
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                html = path.read_text(encoding="utf-8")
                tag = '<script src="/__helpgen/reload.js" defer></script>'
                html = (
                    html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
                )
                return self._send(html.encode(), "text/html; charset=utf-8")
            return super().do_GET()

        def _send(self, body: bytes, ctype: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return partial(Handler, directory=str(directory))  # type: ignore[return-value]


def serve(
    root: Path, port: int = 8000, config: Path | None = None, open_browser: bool = False
) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="helpgen-serve-"))
    out = tmp / "site"
    state = _State()

    def rebuild() -> None:
        try:
            report = build(root, out, config)
        except HelpgenError as exc:
            with state.lock:
                state.error = str(exc)
            exc.show()
            return
        with state.lock:
            state.version += 1
            state.error = None
        click.echo(f"rebuilt {sum(report.pages.values())} pages in {report.seconds:.2f}s")

    rebuild()
    out.mkdir(exist_ok=True)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(out, state))
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
        shutil.rmtree(tmp, ignore_errors=True)
