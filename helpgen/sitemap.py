"""sitemap.xml for a site with a `base_url`: every page a search engine should list (the root's
language chooser, homes, topics, articles, contact and What's new pages), each with its hreflang
alternates from `seo.alternates` (the very links in the page's head) and `lastmod` from the
`updated` dates (never a file's time: identical input, identical bytes).

Not listed: search pages, 404 pages, redirects, and pages shown untranslated in another locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from .feed import WHATS_NEW, has_feed, recent, whats_new_url
from .model import HOME, Site
from .seo import ROOT, absolute, alternates
from .xmlescape import escape as xml_escape
from .xmlescape import quoteattr


@dataclass(frozen=True)
class Entry:
    """A page the sitemap lists."""

    kind: str
    url: str  # site-root path
    path: PurePosixPath | None  # its source path, for topics and articles
    lastmod: str | None = None


def entries(site: Site) -> Iterator[Entry]:
    """Every indexed page, in a stable order."""
    if len(site.locales) > 1:
        yield Entry(ROOT, "", None)
    for loc in site.locales.values():
        for path, topic in loc.topics.items():
            kind = "home" if path == HOME else "topic"
            yield Entry(kind, topic.url, path, _date(topic.meta.updated))
        for path, article in loc.articles.items():
            yield Entry("article", article.url, path, _date(article.meta.updated))
        yield Entry("contact", loc.own_page("contact"), None)
        if has_feed(loc):
            yield Entry(WHATS_NEW, whats_new_url(loc), None, recent(loc, 1)[0].updated)


def sitemap(site: Site) -> str:
    config = site.config
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for entry in entries(site):
        rows.append(f"  <url><loc>{xml_escape(absolute(config, entry.url) or '')}</loc>")
        if entry.lastmod:
            rows.append(f"    <lastmod>{entry.lastmod}</lastmod>")
        for alt in alternates(site, entry.kind, entry.path):
            rows.append(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(alt.hreflang)} '
                f"href={quoteattr(alt.href)}/>"
            )
        rows.append("  </url>")
    rows.append("</urlset>\n")
    return "\n".join(rows)


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
