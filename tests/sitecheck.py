"""Link integrity of a built site: every local href/src resolves to a file, every #id exists."""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRS = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "video": "src",
    "iframe": "src",
    "form": "action",
}


class _Scan(HTMLParser):
    """One pass over a page: its ids and its (tag, attr, reference) links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr) is not None:
            self.links.append((tag, attr, values[attr] or ""))


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def target_file(site: Path, page: Path, ref: str, root: str = "/") -> tuple[Path, str] | None:
    """(file, fragment) a local reference in `page` points to; None for external links. `root`:
    the path the site is served under (base_url's path), where a 404 page's links start."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:", "data:")):
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    if parts.path.startswith("/"):
        # a 404 page is served at any missing address, so its links start at the site's path
        # (base_url's path, "/" without one); no other page may link that way
        if page.name != "404.html" or not parts.path.startswith(root):
            raise ValueError(f"root-relative link {ref!r} breaks under a sub-path")
        base, path = "", unquote(parts.path)[len(root) :]
    else:
        base, path = page.parent.relative_to(site).as_posix(), unquote(parts.path)
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined.startswith(".."):
        raise ValueError(f"{ref!r} leaves the site")
    target = site / joined
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path, root: str = "/") -> list[str]:
    """Every dangling local reference in every HTML page of `site`, as readable lines; `root`:
    the path it is served under (base_url's path)."""
    pages = {page: scan(page) for page in sorted(site.rglob("*.html"))}
    problems = []
    for page, found in pages.items():
        for tag, attr, ref in found.links:
            where = f"{page.relative_to(site)}: {tag}[{attr}]={ref!r}"
            try:
                resolved = target_file(site, page, ref, root)
            except ValueError as exc:
                problems.append(f"{where} -> {exc}")
                continue
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.is_file():
                problems.append(f"{where} -> missing file")
            elif fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else scan(target).ids
                if fragment not in ids:
                    problems.append(f"{where} -> missing #{fragment}")
    return problems
