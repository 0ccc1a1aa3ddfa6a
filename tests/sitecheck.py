"""Link integrity of a built site: every local href/src resolves to a file, every #fragment to an id."""

from __future__ import annotations

import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRS = (
    ("a", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("video", "src"),
    ("iframe", "src"),
    ("form", "action"),
)


@cache
def _ids(path: Path) -> frozenset[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return frozenset(el["id"] for el in soup.find_all(id=True)) | frozenset(
        el["name"] for el in soup.find_all("a", attrs={"name": True})
    )


def target_file(site: Path, page: Path, ref: str) -> tuple[Path, str] | None:
    """(file, fragment) a local reference in `page` points to; None for external links."""
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "tel:", "data:")):
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    if parts.path.startswith("/"):
        raise AssertionError(
            f"{page.relative_to(site)}: root-relative link {ref!r} breaks under a sub-path"
        )
    base = page.parent.relative_to(site).as_posix()
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if joined.startswith(".."):
        raise AssertionError(f"{page.relative_to(site)}: {ref!r} leaves the site")
    target = site / joined
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every dangling local reference in every HTML page of `site`, as readable lines."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in LINK_ATTRS:
            for el in soup.find_all(tag, attrs={attr: True}):
                ref = el[attr]
                try:
                    resolved = target_file(site, page, ref)
                except AssertionError as exc:
                    problems.append(str(exc))
                    continue
                if resolved is None:
                    continue
                target, fragment = resolved
                where = f"{page.relative_to(site)}: {tag}[{attr}]={ref!r}"
                if not target.is_file():
                    problems.append(f"{where} -> missing file")
                elif fragment and target.suffix == ".html" and fragment not in _ids(target):
                    problems.append(f"{where} -> missing #{fragment}")
    return problems
