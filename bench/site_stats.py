"""What a built site weighs: all its files, its search files, and one median article page with
the CSS and JavaScript it loads, gzipped as a server would send them."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ARTICLE = re.compile(r"<body\b[^>]*\bclass=\"[^\"]*\bpage-article\b")
_TAG = re.compile(r"<(link|script)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True)
class Weight:
    """One page and the stylesheets and scripts it references, each gzipped (level 6)."""

    page: str  # path relative to the output folder
    files: tuple[tuple[str, int], ...]  # (path relative to the output folder, gzip bytes)
    missing: tuple[str, ...] = ()  # references not found on disk (remote or broken)

    @property
    def total(self) -> int:
        return sum(size for _, size in self.files)


@dataclass(frozen=True)
class SiteStats:
    """Sizes of one build's output folder."""

    files: int
    total: int  # bytes of every file
    search: int  # bytes of every file under a search/ folder
    pages: int  # .html files
    articles: int  # .html files whose <body> has class page-article
    weight: Weight | None  # the median article page (by HTML bytes)


def site_stats(out: Path) -> SiteStats:
    """Measure the output folder `out`."""
    files = [p for p in out.rglob("*") if p.is_file()]
    sizes = {p: p.stat().st_size for p in files}
    search = sum(s for p, s in sizes.items() if "search" in p.relative_to(out).parts[:-1])
    pages = [p for p in files if p.suffix == ".html"]
    articles = sorted(
        (sizes[p], str(p)) for p in pages if _ARTICLE.search(p.read_text(encoding="utf-8"))
    )
    median = Path(articles[len(articles) // 2][1]) if articles else None
    return SiteStats(
        len(files),
        sum(sizes.values()),
        search,
        len(pages),
        len(articles),
        page_weight(median, out) if median else None,
    )


def page_weight(page: Path, out: Path) -> Weight:
    """gzip bytes of `page` plus every <link rel=stylesheet href> and <script src> it names."""
    html = page.read_text(encoding="utf-8")
    refs: list[str] = []
    for tag, attrs in _TAG.findall(html):
        values = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTR.findall(attrs)}
        if tag.lower() == "link" and "stylesheet" in values.get("rel", "").lower().split():
            refs.append(values.get("href", ""))
        elif tag.lower() == "script" and values.get("src"):
            refs.append(values["src"])
    files = [(str(page.relative_to(out)), _gz(page))]
    missing = []
    for ref in dict.fromkeys(filter(None, refs)):
        parts = urlsplit(ref)
        target = (page.parent / unquote(parts.path)).resolve()
        if parts.scheme or parts.netloc or not target.is_file():
            missing.append(ref)
        else:
            files.append((str(target.relative_to(out.resolve())), _gz(target)))
    return Weight(files[0][0], tuple(files), tuple(missing))


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
