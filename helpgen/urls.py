"""Site-root paths and the relative URLs between them.

Every page has a site-root path such as ``en/orders/cancel-an-order/`` (a folder holding
index.html) or ``404.html``. Links in the output are always relative, so a site works at a domain
root, under a sub-path, and (offline) straight from disk, where folder URLs need ``index.html``.

A site-root path is written as on disk: file and folder names as they are, so ``%``, ``#`` and
``?`` in a name are characters of the name, encoded by `relative()` like any other.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath
from urllib.parse import quote

_SAFE = "/:.-_~!$&'()*+,;=@"  # kept as they are in a path; "%" is not: a name's "%" is "%25"
_UNSAFE = re.compile(r"[^A-Za-z0-9/:.\-_~!$&'()*+,;=@]")
MAX_ALIAS = 2000  # characters: longer URLs are refused by browsers, servers and crawlers
MAX_NAME = 255  # bytes in one file or folder name, as file systems allow


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
    """Relative URL from the page at `from_url` to the site-root path `to_url` (may hold #frag).

    Names are percent-encoded, and a URL whose first segment holds ":" starts with "./", so no
    file or folder name is ever read as a scheme (``javascript:x/``, ``FAQ: returns/``). A
    leading "/" is the site's root, never another host (``//evil.example/`` is a folder).
    """
    to_path, sep, fragment = split_fragment(to_url.lstrip("/"))
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
    if ":" in rel.partition("/")[0] or rel.startswith("'"):  # a scheme; a quote ends a refresh
        rel = "./" + rel
    return rel + (sep + fragment if sep else "")


def split_fragment(url: str) -> tuple[str, str, str]:
    """A site-root path and its "#fragment": (path, "#" or "", fragment).

    A "#" can be part of a name (``C#-basics/``), so the fragment starts at the first "#" that
    follows a whole address, a folder (``a/#x``) or a file with a suffix (``a.png#x``), and
    holds no "/": ``a/#b/`` is the folder "#b". Exact for pages, whose paths end in "/".
    """
    cut = url.find("#")
    while cut != -1:
        path, fragment = url[:cut], url[cut + 1 :]
        name = path.rpartition("/")[2]
        if (not name or "." in name) and "/" not in fragment:
            return path, "#", fragment
        cut = url.find("#", cut + 1)
    return url, "", ""


def alias_path(alias: str) -> str:
    """An alias (an old address, as written) -> the site-root path of its redirect below the
    locale: ``a/b/`` (a folder), ``a/b.html`` (a file), or ``""`` (the home).

    ``//`` and ``.`` parts are dropped and ``a/index.html`` is ``a/``, so two ways of writing one
    address are one address. ValueError, saying why, for an alias that is no path on this site.
    """
    text = alias.strip()
    if not text:
        raise ValueError("is empty")
    if len(text) > MAX_ALIAS:
        raise ValueError(f"is {len(text)} characters long; at most {MAX_ALIAS}")
    bad = next((c for c in text if unicodedata.category(c) in ("Cc", "Cs")), None)
    if bad is not None:
        raise ValueError(f"holds the control character U+{ord(bad):04X}")
    if "?" in text or "#" in text:
        raise ValueError("holds '?' or '#': an alias is a path, without a query or a fragment")
    parts = [part for part in text.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise ValueError("goes up a folder with '..'")
    if any(len(part.encode()) > MAX_NAME for part in parts):
        raise ValueError(f"has a name longer than {MAX_NAME} bytes")
    if parts and parts[-1] == "index.html":  # a folder's page is the folder
        parts.pop()
    elif parts and parts[-1].endswith(".html") and not text.endswith("/"):
        return "/".join(parts)
    return "/".join(parts) + "/" if parts else ""


LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:", "sms:")


def link_kind(url: str) -> str:
    """How a page links to an address written in helpgen.toml (a contact channel's URL):

    "external" (https:, http:, mailto:, tel:, sms: written as is), "local" (a site-root path,
    through `relative()`), or "" for no link: any other scheme (``javascript:``, ``data:``,
    ``http:evil``) never reaches an href.
    """
    url = url.strip()
    if url.lower().startswith(LINK_SCHEMES):
        return "external"
    return "local" if url and ":" not in url.split("/")[0] else ""


def output_file(url: str) -> str:
    """Site-root path -> file written on disk (``orders/`` -> ``orders/index.html``)."""
    return url + "index.html" if url == "" or url.endswith("/") else url
