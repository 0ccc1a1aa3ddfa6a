"""Notices ([[notices]] in helpgen.toml): which banners a page shows, and where "Read more" goes.

A notice shows on a page of locale L when all of these hold:

- it has a text for L: a plain string counts for every locale, a table only for the locales it
  names (a text for "zh" counts for "zh-CN"); there is no fallback to another language;
- the build's date is between `start` and `end`, both included. Dates are compared when the site
  is BUILT: a static site cannot know today's date, so rebuild it daily for start dates to take
  effect. The end date is also written on the banner (`data-end`) and notice.js hides the banner
  after that day in the reader's clock, so a site that is not rebuilt still stops showing it;
- it has no `topics`, or one of its topic path globs (as in [[contact.routes]]: `returns/**` is
  the topic and everything below it, `orders/*` its sub-topics) matches the page's topic. Pages
  that belong to no topic (contact, search, what's new, 404) show only notices without `topics`.

`link` is an article's path in content/ (`returns/return-policy.md`, optionally `#anchor`),
resolved to that article in each locale, or an http(s)/mailto/tel URL used as it is.
Pure: the date is an argument, nothing is read from disk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from .config import ANY_LOCALE, Config, Notice
from .contact import topic_matches
from .model import Locale

URL_SCHEMES = ("http", "https", "mailto", "tel")


def today() -> dt.date:
    """The date notices are compared with: the day of the build, in the builder's clock."""
    return dt.date.today()


def text_for(notice: Notice, code: str) -> str | None:
    """The notice's text in locale `code`, None where it has none (no other language stands in)."""
    texts = dict(notice.text.by_locale)
    for key in (code, code.split("-")[0], ANY_LOCALE):
        if key in texts:
            return texts[key]
    return None


def is_active(notice: Notice, day: dt.date) -> bool:
    """Whether `day` is between the notice's start and end (both included; none: open-ended)."""
    iso = day.isoformat()
    return (notice.start is None or notice.start <= iso) and (
        notice.end is None or iso <= notice.end
    )


def applies_to(notice: Notice, topic: PurePosixPath | None) -> bool:
    """Whether the notice shows on a page in `topic` (None: a page of no topic, e.g. contact)."""
    if not notice.topics:
        return True
    return topic is not None and any(topic_matches(glob, topic) for glob in notice.topics)


@dataclass(frozen=True)
class Target:
    """Where a notice's link goes in one locale: a site-root `path` (an article, maybe with
    #anchor) or an external `href`; both empty when it goes nowhere there (`why` says why)."""

    path: str = ""
    href: str = ""
    article: PurePosixPath | None = None
    fragment: str = ""
    why: str = ""  # "", "missing" (no such article here) or "elsewhere" (another audience's)


def is_url(link: str) -> bool:
    return urlsplit(link.strip()).scheme.lower() in URL_SCHEMES


def article_path(link: str) -> tuple[PurePosixPath, str]:
    """`returns/return-policy.md#return-window` -> (the source path, the fragment)."""
    path, _, fragment = link.strip().partition("#")
    return PurePosixPath(unquote(path).strip("/")), unquote(fragment)


def target(link: str | None, locale: Locale) -> Target:
    """The notice link `link` resolved in `locale`."""
    if not link or not link.strip():
        return Target()
    if is_url(link):
        return Target(href=link.strip())
    path, fragment = article_path(link)
    if path not in locale.articles:
        with_md = path.with_name(path.name + ".md") if path.name else path
        path = with_md if with_md in locale.articles else path
    if path in locale.articles:
        url = locale.articles[path].url + (f"#{fragment}" if fragment else "")
        return Target(path=url, article=path, fragment=fragment)
    why = "elsewhere" if path in locale.elsewhere else "missing"
    return Target(article=path, fragment=fragment, why=why)


@dataclass(frozen=True)
class Banner:
    """A notice as one page shows it: `path` goes through the template's url(), `href` as is."""

    id: str
    text: str
    path: str = ""
    href: str = ""
    end: str | None = None


def banners(
    config: Config, locale: Locale, topic: PurePosixPath | None, day: dt.date
) -> tuple[Banner, ...]:
    """The notices a page of `locale` in `topic` shows on `day`, in helpgen.toml's order."""
    shown = []
    for notice in config.notices:
        text = text_for(notice, locale.code)
        if text is None or not is_active(notice, day) or not applies_to(notice, topic):
            continue
        where = target(notice.link, locale)
        shown.append(Banner(notice.id, text, where.path, where.href, notice.end))
    return tuple(shown)
