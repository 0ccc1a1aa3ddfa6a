"""Site-root paths and the relative URLs between them.

Every page has a site-root path such as ``en/orders/cancel-an-order/`` (a folder holding
index.html) or ``404.html``. Links in the output are always relative, so a site works at a domain
root, under a sub-path, and (offline) straight from disk, where folder URLs need ``index.html``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import quote

_SAFE = "/:.-_~%!$&'()*+,;=@"
_UNSAFE = re.compile(r"[^A-Za-z0-9/:.\-_~%!$&'()*+,;=@]")


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
    to_path, sep, fragment = to_url.partition("#")
    if offline and (to_path == "" or to_path.endswith("/")):
        to_path += "index.html"
    here = from_url.split("/")[:-1]  # the page's folder: "a/b/" and "a/b/x.html" -> [a, b]
    there = to_path.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "../" * (len(here) - common) + "/".join(there[common:]) or "./"
    if _UNSAFE.search(rel):
        rel = quote(rel, safe=_SAFE)
    return rel + (sep + fragment if sep else "")


def output_file(url: str) -> str:
    """Site-root path -> file written on disk (``orders/`` -> ``orders/index.html``)."""
    return url + "index.html" if url == "" or url.endswith("/") else url
