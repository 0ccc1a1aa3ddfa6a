"""Where a link goes: (source path, href, the locale's pages and assets) -> URL or Problem.

Pure and independent of Markdown: `markdown.py` walks the tree and asks `resolve()` about every
href; anchors are checked afterwards by `missing_anchors()`, once every page's headings exist.
"""

from __future__ import annotations

import difflib
import html
import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .errors import Problem, did_you_mean, shorten
from .load import INDEX_NAME, MARKDOWN_SUFFIXES
from .model import Article, LinkRef, Locale, Topic
from .urls import link_kind, page_url, relative

AMP_SUBSTITUTE = "\x02amp\x03"  # Python-Markdown's stand-in for "&" in obfuscated addresses
NEED_HELP = "hg-contact"  # the id of each page's "Still need help?" block
ANCHOR_HINT = (
    "anchors are the heading text in lower case with hyphens, "
    "or an explicit {#id} after the heading"
)


@dataclass(frozen=True)
class LinkTargets:
    """What a page's links may point to in its locale."""

    pages: frozenset[PurePosixPath]  # every Markdown source path (articles and _index.md files)
    folders: frozenset[PurePosixPath]  # topics
    assets: frozenset[PurePosixPath]
    by_url: Mapping[str, PurePosixPath] = field(default_factory=dict)  # unprefixed URL -> source
    prefix: str = ""  # the locale's URL prefix, e.g. "he/"
    offline: bool = False
    elsewhere: frozenset[PurePosixPath] = frozenset()  # pages for another audience: unlinked
    channels: Mapping[str, str] = field(default_factory=dict)  # id -> URL, for contact:ID

    @classmethod
    def of(
        cls, locale: Locale, offline: bool, channels: frozenset[str] = frozenset()
    ) -> LinkTargets:
        borrowed = locale.borrowed.values()  # shown untranslated here: links to them work
        topics = [*locale.topics.values(), *(p for p in borrowed if isinstance(p, Topic))]
        pages = (
            frozenset(locale.articles)
            | frozenset(p.path for p in borrowed if isinstance(p, Article))
            | frozenset(t.source.rel for t in topics if t.source)
            | locale.unreadable
        )
        return cls(
            pages=pages,
            folders=frozenset(t.path for t in topics),
            assets=frozenset(locale.assets) | frozenset(locale.fallback_assets),
            by_url={page_url(p): p for p in pages},
            prefix=locale.prefix,
            offline=offline,
            elsewhere=locale.elsewhere,
            channels=channels or {},
        )

    def url_of(self, rel: PurePosixPath) -> str:
        return page_url(rel, self.prefix)

    @cached_property
    def page_hints(self) -> PathHints:
        return PathHints(self.pages)

    @cached_property
    def file_hints(self) -> PathHints:
        return PathHints(self.assets | self.pages)


@dataclass(frozen=True)
class Resolved:
    """The href to write, the page it links to (for the anchor check), or what is wrong."""

    href: str
    ref: LinkRef | None = None
    asset: PurePosixPath | None = None
    problem: Problem | None = None


def resolve(
    href: str,
    *,
    source: PurePosixPath,
    file: Path,
    page: str,
    line: int,
    targets: LinkTargets,
    image: bool = False,
) -> Resolved:
    """Resolve one href written in `source` (whose page is at site-root URL `page`)."""
    if AMP_SUBSTITUTE in href or "&" in href:  # entity-encoded, e.g. an obfuscated mailto:
        decoded = html.unescape(href.replace(AMP_SUBSTITUTE, "&"))
        if urlsplit(decoded).scheme:
            return Resolved(href)
        href = decoded
    parts = urlsplit(href)
    if parts.scheme.lower() == "contact":  # a person: this page's channels, or one of them
        channel = unquote(parts.path).strip()
        if not channel:
            return Resolved(f"#{NEED_HELP}")
        if channel not in targets.channels:
            hint = did_you_mean(channel, targets.channels) or (
                f"channels: {', '.join(sorted(targets.channels)) or 'none'}"
            )
            return Resolved(
                href,
                problem=Problem(
                    f"no contact channel has the id '{channel}'",
                    file,
                    line,
                    hint,
                    code="contact-unknown",
                ),
            )
        url = targets.channels[channel].strip()  # the channel itself
        kind = link_kind(url)
        if kind == "external":
            return Resolved(url)
        if kind == "local":
            return Resolved(relative(page, url, targets.offline))
        return Resolved(
            href,
            problem=Problem(
                f"contact channel '{channel}' has no address a link may open: {shorten(url, 60)!r}",
                file,
                line,
                "in helpgen.toml give the channel an https:// URL, an email address, a phone "
                "number or a path on this site",
                code="contact-unlinked",
            ),
        )
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "tel:")):
        return Resolved(href)
    fragment = unquote(parts.fragment)
    frag = f"#{parts.fragment}" if parts.fragment else ""

    def to_page(target: PurePosixPath) -> Resolved:
        url = targets.url_of(target) + (f"#{fragment}" if fragment else "")
        return Resolved(relative(page, url, targets.offline), ref=LinkRef(target, fragment, line))

    def to_asset(target: PurePosixPath) -> Resolved:
        url = f"{targets.prefix}{target}{frag}"
        return Resolved(relative(page, url, targets.offline), asset=target)

    def problem(message: str, hint: str, code: str, level: str = "error") -> Resolved:
        return Resolved(href, problem=Problem(message, file, line, hint, level, code))

    if href.startswith("/"):  # /orders/cancel/ -> the page; anything else is outside this site
        key = unquote(parts.path).strip("/")
        target = targets.by_url.get(key + "/" if key else "")
        if target is not None:
            return to_page(target)
        if PurePosixPath(key) in targets.assets:
            return to_asset(PurePosixPath(key))
        return problem(
            f"link '{href}' is not a page of this site: it breaks under a sub-path and offline",
            "link to the Markdown file instead, relative to this file",
            "link-absolute",
            "warning",
        )
    if not parts.path:  # "#anchor" on this page
        if parts.fragment:
            return Resolved(href, ref=LinkRef(source, fragment, line))
        return Resolved(href)
    target = PurePosixPath(posixpath.normpath(str(source.parent / unquote(parts.path))))
    if str(target).startswith(".."):
        target = _resolve_plain(target, parts.path, page, targets) or target
        if str(target).startswith(".."):
            return problem(
                f"link to '{parts.path}', which is missing or outside the content folder",
                "link to .md files inside content/, relative to this file",
                "link-outside",
            )
    if target.suffix.lower() not in MARKDOWN_SUFFIXES and target not in targets.assets:
        target = _resolve_plain(target, parts.path, page, targets) or target
    if target in targets.elsewhere:
        return Resolved(
            "",
            problem=Problem(
                f"'{parts.path}' is for another audience: the link is left out of this site",
                file,
                line,
                "fine for a site built with --audience; link text stays as plain text",
                "info",
                "link-audience",
            ),
        )
    if target.suffix.lower() in MARKDOWN_SUFFIXES or target in targets.folders:
        if target in targets.folders:
            target = target / INDEX_NAME
        if target not in targets.pages and not (
            target.name == INDEX_NAME and target.parent in targets.folders
        ):
            return problem(
                f"link to a missing page '{parts.path}'",
                targets.page_hints.hint(target),
                "link-missing",
            )
        return to_page(target)
    if target in targets.assets:
        return to_asset(target)
    return problem(
        f"{'image' if image else 'link'} to a missing file '{parts.path}'",
        targets.file_hints.hint(target),
        "image-missing" if image else "link-missing",
    )


def _resolve_plain(
    target: PurePosixPath, path: str, page: str, targets: LinkTargets
) -> PurePosixPath | None:
    """A link written without .md: a folder, a page by name, or a URL relative to this page."""
    if target in targets.folders:
        return target
    with_md = target.with_name(target.name + ".md")
    if with_md in targets.pages:
        return with_md
    # written in URL space, relative to the page's own URL (e.g. ../../misc/bug-report/)
    here = page[len(targets.prefix) :]
    url = posixpath.normpath(posixpath.join(here, unquote(path)))
    return targets.by_url.get(url.strip("/") + "/") if not url.startswith("..") else None


class PathHints:
    """'did you mean …?' for missing paths, from an index built once (so a page with many
    broken links costs no more than their number): the same file name anywhere first, else a
    similar name in the same folder."""

    def __init__(self, known: Iterable[PurePosixPath]) -> None:
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_folder: dict[PurePosixPath, list[str]] = defaultdict(list)
        for path in sorted(known, key=str):
            if path.name != INDEX_NAME:
                self.by_name[path.name].append(str(path))
            self.by_folder[path.parent].append(str(path))

    def hint(self, target: PurePosixPath) -> str:
        close = self.by_name.get(target.name) or difflib.get_close_matches(
            str(target), self.by_folder.get(target.parent, ()), n=1, cutoff=0.5
        )
        if close:
            return f"did you mean '{close[0]}'? (paths are relative to this file)"
        return "paths are relative to this file, e.g. ../returns/policy.md"


def missing_anchors(
    links: Iterable[tuple[Path, LinkRef]], anchors: Mapping[PurePosixPath, frozenset[str]]
) -> list[Problem]:
    """Links of one locale to `#fragment`s its target page does not have."""
    problems = []
    for file, ref in links:
        known = anchors.get(ref.target, frozenset())
        if ref.fragment and ref.fragment not in known:
            problems.append(
                Problem(
                    f"link to a missing anchor '#{ref.fragment}' in {ref.target}",
                    file,
                    ref.line,
                    did_you_mean(ref.fragment, known) or ANCHOR_HINT,
                    code="anchor-missing",
                )
            )
    return problems
