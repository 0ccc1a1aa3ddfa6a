"""Site-root paths and the relative URLs between them.

Every page has a site-root path such as ``en/orders/cancel-an-order/`` (a folder holding
index.html) or ``404.html``. Links in the output are always relative, so a site works at a domain
root, under a sub-path, and (offline) straight from disk, where folder URLs need ``index.html``.
"""

from __future__ import annotations

import posixpath
from pathlib import PurePosixPath
from urllib.parse import quote


def page_url(rel: PurePosixPath, prefix: str = "") -> str:
    """Source path below a locale root -> the page's site-root path.

    ``orders/cancel.md`` -> ``orders/cancel/``; ``orders/_index.md`` -> ``orders/``;
    ``_index.md`` -> ``""`` (the locale home).
    """
    parts = list(rel.parts)
    stem = parts.pop().rsplit(".", 1)[0]
    if stem not in ("_index", "index"):
        parts.append(stem)
    path = "/".join(parts)
    return prefix + (path + "/" if path else "")


def relative(from_url: str, to_url: str, offline: bool = False) -> str:
    """Relative URL from the page at `from_url` to the site-root path `to_url` (may hold #frag)."""
    to_url, sep, fragment = to_url.partition("#")
    if offline and (to_url == "" or to_url.endswith("/")):
        to_url += "index.html"
    from_dir = from_url if from_url.endswith("/") or from_url == "" else posixpath.dirname(from_url)
    if to_url == "":
        rel = posixpath.relpath(".", from_dir or ".") + "/"
    else:
        rel = posixpath.relpath(to_url, from_dir or ".")
        if to_url.endswith("/"):
            rel += "/"
    if rel in ("./", "."):
        rel = "./"
    elif rel.startswith("./"):
        rel = rel[2:]
    return quote(rel, safe="/:.-_~%!$&'()*+,;=@") + (sep + fragment if sep else "")


def output_file(url: str) -> str:
    """Site-root path -> file written on disk (``orders/`` -> ``orders/index.html``)."""
    return url + "index.html" if url == "" or url.endswith("/") else url
