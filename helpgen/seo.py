"""What crawlers and link previews read, as pure functions of the Site: absolute URLs, a page's
real versions and their hreflang alternates (one function for page heads and sitemap.xml), Open
Graph locales, JSON-LD and robots.txt.

Only pages written in a locale's language are versions of each other. A page shown untranslated
in another locale (`Locale.borrowed`) has a canonical link to its original, no alternates, and
no place in the sitemap. Everything absolute needs `base_url`; without it there is no canonical
link, no alternate and no sitemap.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from babel.core import get_global
from markupsafe import Markup

from .config import Config
from .feed import WHATS_NEW, has_feed, whats_new_url
from .model import Section, Site
from .urls import relative

ROOT = "root"  # the page at the site's root on a multilingual site: the language chooser
INDEXED = (ROOT, "home", "topic", "article", "contact", WHATS_NEW)  # kinds listed in sitemap.xml
NOINDEX = ("search", "404", "redirect")  # kinds marked noindex, without a canonical link
QUESTION_MARKS = ("?", "\uff1f", "\u061f")  # ?, fullwidth ？ (CJK), Arabic-script ؟
SCHEMA = "https://schema.org"


@dataclass(frozen=True)
class Alternate:
    """One `<link rel="alternate" hreflang>` (and `<xhtml:link>` in the sitemap)."""

    hreflang: str  # a locale code, or "x-default"
    href: str  # absolute


def base_path(config: Config) -> str:
    """The path the site is served under: base_url's path, "/" without one."""
    return (urlsplit(config.base_url).path or "/") if config.base_url else "/"


def absolute(config: Config, url: str) -> str | None:
    """A site-root path as an absolute URL (percent-encoded), None without base_url."""
    if not config.base_url:
        return None
    return config.base_url + relative("", url).removeprefix("./")


def versions(site: Site, kind: str, path: PurePosixPath | None) -> dict[str, str]:
    """Locale code -> site-root URL of each real version of a page (its own language's)."""
    if kind in (ROOT, "home"):
        return {code: loc.home.url for code, loc in site.locales.items()}
    if kind == "contact":
        return {code: loc.own_page("contact") for code, loc in site.locales.items()}
    if kind == WHATS_NEW:
        return {code: whats_new_url(loc) for code, loc in site.locales.items() if has_feed(loc)}
    return site.versions(path) if path is not None and kind in INDEXED else {}


def alternates(site: Site, kind: str, path: PurePosixPath | None) -> tuple[Alternate, ...]:
    """hreflang alternates of an indexed page: each real version and `x-default` (the root's
    language chooser for the homes, else the version of the first locale in the configured
    order that has one: the default locale's, where it has the page). None on a one-language
    site, without base_url, or for a page in one language only."""
    config = site.config
    found = versions(site, kind, path)
    if not config.base_url or len(site.locales) < 2 or len(found) < 2:
        return ()
    links = [Alternate(code, absolute(config, url) or "") for code, url in found.items()]
    fallback = "" if kind in (ROOT, "home") else next(iter(found.values()))
    links.append(Alternate("x-default", absolute(config, fallback) or ""))
    return tuple(links)


def og_locale(code: str) -> str:
    """A locale code as Open Graph wants it, language_TERRITORY: he -> he_IL, zh-CN -> zh_CN."""
    parts = code.replace("_", "-").split("-")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
    if region is None:
        likely = get_global("likely_subtags").get(language, "")
        region = likely.rsplit("_", 1)[-1] if likely.count("_") else None
    return f"{language}_{region}" if region else language


def questions(sections: Sequence[Section]) -> list[tuple[str, str]]:
    """(question, answer) of a real question-and-answer page, else [].

    Real: at least two `##` headings, every one of them a question (ending in ?, ？ or ؟), and
    each followed by some text (its own, or its `###` parts'). The answer is that text.
    """
    pairs: list[tuple[str, list[str]]] = []
    for section in sections:
        if section.level == 2:
            pairs.append((section.title, [section.text]))
        elif section.level > 2 and pairs:
            pairs[-1][1].append(f"{section.title} {section.text}")
    answers = [(q.strip(), " ".join(t for t in texts if t).strip()) for q, texts in pairs]
    if len(answers) < 2 or not all(q.endswith(QUESTION_MARKS) and a for q, a in answers):
        return []
    return answers


def json_ld(items: Sequence[dict[str, object]]) -> Markup:
    """Schema.org items as the text of a `<script type="application/ld+json">` data block:
    `<`, `>` and `&` escaped, so no text can end the block; sorted, so builds are identical."""
    if not items:
        return Markup("")
    data = {"@context": SCHEMA, "@graph": list(items)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return Markup(text)


def article_ld(
    headline: str, url: str, language: str, description: str = "", updated: str | None = None
) -> dict[str, object]:
    item: dict[str, object] = {
        "@type": "Article",
        "headline": headline,
        "inLanguage": language,
        "url": url,
        "mainEntityOfPage": url,
    }
    if description:
        item["description"] = description
    if updated:
        item["dateModified"] = updated
    return item


def breadcrumb_ld(trail: Sequence[tuple[str, str]]) -> dict[str, object]:
    """BreadcrumbList of (name, absolute URL), from the home to the page itself."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, 1)
        ],
    }


def faq_ld(pairs: Sequence[tuple[str, str]], url: str, language: str) -> dict[str, object]:
    return {
        "@type": "FAQPage",
        "url": url,
        "inLanguage": language,
        "mainEntity": [
            {
                "@type": "Question",
                "name": question,
                "acceptedAnswer": {"@type": "Answer", "text": answer},
            }
            for question, answer in pairs
        ],
    }


def robots(config: Config) -> str:
    """robots.txt: every crawler may read everything; with base_url, where the sitemap is."""
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines += ["", f"Sitemap: {config.base_url}sitemap.xml"]
    return "\n".join(lines) + "\n"
