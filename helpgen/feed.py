"""What changed: the "What's new" list and the Atom feed of each locale, pure functions of the Site.

Articles with an `updated` date, newest first (ties: by title, then path), each with its
`changes:` note. A locale none of whose articles has a date gets neither page nor feed.

The feed (`{prefix}feed.xml`) is Atom 1.0 (RFC 4287) and byte-identical for identical input: its
`updated` is the newest entry's date, never the build's time. Entry ids are tag: URIs (RFC 4151)
that name the article and the day it changed, `tag:help.acme.example,2026-11-01:en/returns/
return-policy/`: stable across builds, and a new entry (not a silently edited one) when the
article changes again, so feed readers tell subscribers. With `base_url` the authority is its
host and links are absolute; without it links are relative to the feed (readers resolve them
against the feed's own address) and the authority is `helpgen.invalid` plus the site's title
as a slug (a name nobody owns: set `base_url` for ids that are yours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

from .model import Article, Locale, Site
from .urls import relative
from .xmlescape import escape, quoteattr

FEED_NAME = "feed.xml"
WHATS_NEW = "whats-new"  # the page's folder in each locale: model.RESERVED
FEED_LIMIT = 30  # entries in a feed
WHATS_NEW_LIMIT = 30  # articles on the What's new page: its size never grows with the site
ATOM = "http://www.w3.org/2005/Atom"
NO_AUTHORITY = "helpgen.invalid"

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_URL_SAFE = "/:.-_~%!$&'()*+,;=@#"
_TAG_SAFE = "/:.-_~%!$&'()*+,;=@"  # a tag URI's specific part: no fragment
TAG_DATE = "2026"  # the feed's own tag: date without base_url, fixed so the id never changes


@dataclass(frozen=True)
class Change:
    """One article on What's new / in the feed."""

    path: PurePosixPath
    title: str
    url: str  # site-root path
    updated: str  # ISO date
    changes: str  # the `changes:` note, "" without one
    description: str
    breadcrumb: tuple[str, ...]  # the topics it sits in, below home
    audiences: str = ""  # who it is for, space-separated: the audience switcher hides it


def recent(locale: Locale, limit: int | None = WHATS_NEW_LIMIT) -> tuple[Change, ...]:
    """The locale's dated articles, newest first, at most `limit` of them."""
    dated = [(a.meta.updated, a) for a in locale.articles.values() if a.meta.updated]
    dated.sort(key=lambda d: (-d[0].toordinal(), d[1].title.casefold(), str(d[1].path)))
    return tuple(_change(locale, a) for _, a in dated[:limit])


def _change(locale: Locale, article: Article) -> Change:
    assert article.meta.updated is not None
    return Change(
        article.path,
        article.title,
        article.url,
        article.meta.updated.isoformat(),
        article.meta.changes,
        article.meta.description,
        tuple(t.title for t in locale.breadcrumbs(article.topic)[1:]),
        " ".join(locale.audience(article.path)),
    )


def has_feed(locale: Locale) -> bool:
    """Whether the locale gets a What's new page and a feed: some article has a date."""
    return any(a.meta.updated is not None for a in locale.articles.values())


def feed_url(locale: Locale) -> str:
    return f"{locale.prefix}{FEED_NAME}"


def whats_new_url(locale: Locale) -> str:
    return f"{locale.prefix}{WHATS_NEW}/"


def atom(site: Site, code: str, title: str, subtitle: str = "", limit: int = FEED_LIMIT) -> str:
    """The Atom feed of locale `code`: its `limit` most recently updated articles.

    `title` is the feed's name ("Acme Help – What's new"), `subtitle` a line about it.
    """
    locale = site.locales[code]
    base = site.config.base_url
    here = feed_url(locale)
    entries = recent(locale, limit)

    def link(path: str) -> str:
        return base + quote(path, safe=_URL_SAFE) if base else relative(here, path, False)

    newest = entries[0].updated if entries else "1970-01-01"
    if base:
        feed_id = link(here)
    else:
        feed_id = f"tag:{_authority(site)},{TAG_DATE}:{quote(here, safe=_TAG_SAFE)}"
    author = site.config.title
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="{ATOM}" xml:lang={quoteattr(code)}>',
        f"  <id>{_text(feed_id)}</id>",
        f"  <title>{_text(title)}</title>",
    ]
    if subtitle:
        lines.append(f"  <subtitle>{_text(subtitle)}</subtitle>")
    lines += [
        f"  <updated>{_timestamp(newest)}</updated>",
        f'  <link rel="self" type="application/atom+xml" href={_attr(link(here))}/>',
        f'  <link rel="alternate" type="text/html" href={_attr(link(whats_new_url(locale)))}/>',
        f"  <author><name>{_text(author)}</name></author>",
        "  <generator>helpgen</generator>",
    ]
    for entry in entries:
        summary = entry.changes or entry.description
        lines += [
            "  <entry>",
            f"    <id>{_text(entry_id(site, entry))}</id>",
            f"    <title>{_text(entry.title)}</title>",
            f"    <updated>{_timestamp(entry.updated)}</updated>",
            f'    <link rel="alternate" type="text/html" href={_attr(link(entry.url))}/>',
        ]
        if summary:
            lines.append(f"    <summary>{_text(summary)}</summary>")
        lines.append("  </entry>")
    lines.append("</feed>\n")
    return "\n".join(lines)


def entry_id(site: Site, entry: Change) -> str:
    """`tag:AUTHORITY,DATE:PATH`: the article (by URL) as it changed on `updated`."""
    base = site.config.base_url
    path = quote(entry.url, safe=_TAG_SAFE)
    if base:
        parts = urlsplit(base)
        return f"tag:{parts.hostname},{entry.updated}:{parts.path.lstrip('/')}{path}"
    return f"tag:{_authority(site)},{entry.updated}:{path}"


def _authority(site: Site) -> str:
    """Without base_url: helpgen.invalid, named after the site ("acme-help.helpgen.invalid")."""
    slug = re.sub(r"[^a-z0-9]+", "-", site.config.title.lower()).strip("-")[:63].strip("-")
    return f"{slug}.{NO_AUTHORITY}" if slug else NO_AUTHORITY


def _timestamp(day: str) -> str:
    """An ISO date as an RFC 3339 date-time: the start of that day, UTC."""
    return f"{day}T00:00:00Z"


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))
