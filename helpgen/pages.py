"""Pages stage: the Site and its Rendered pages -> typed page views -> files to write.

Each view holds what one template shows, worked out by plain functions (breadcrumbs, languages,
channels, canonical URL) a test can call. A view becomes HTML only when `Outputs.make` is asked
for it, so pages can be produced lazily, in worker processes, or on request by `serve`. Each
page sees only its own neighbourhood (breadcrumbs, its topic's children, a few related
articles), so a page's size does not grow with the size of the whole tree.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import posixpath
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import babel
import jinja2
from markupsafe import Markup, escape

from .assemble import alias_url
from .config import Channel, Config, Text
from .contact import Context, channels_by_id, is_web, offers, question_param
from .contact import href as contact_href
from .errors import HelpgenError
from .feed import WHATS_NEW, Change, feed_url, has_feed, recent, whats_new_url
from .hours import describe, parse_hours
from .model import HOME, Article, Heading, Locale, PageKey, Rendered, Site, Topic
from .notices import Banner, banners, today
from .seo import (
    NOINDEX,
    ROOT,
    Alternate,
    absolute,
    alternates,
    article_ld,
    base_path,
    breadcrumb_ld,
    faq_ld,
    json_ld,
    og_locale,
    questions,
)
from .theme import Theme, Translator
from .urls import link_kind, output_file, relative

TOC_MIN_HEADINGS = 3
CARD_CHILDREN = 4
# icon of each contact channel type (config.CHANNEL_TYPES)
CHANNEL_ICONS = {
    "email": "mail", "chat": "chat", "phone": "phone", "form": "form", "community": "user",
    "messaging": "chat", "link": "external",
}  # fmt: skip


# --- the values templates see --------------------------------------------------------------
@dataclass(frozen=True)
class PageInfo:
    """`page` in every template."""

    kind: str  # home, topic, article, contact, search, 404, redirect
    title: str
    description: str
    url: str  # site-root path, e.g. "he/orders/cancel/"
    home_url: str
    contact_url: str
    search_url: str
    canonical: str | None = None
    source_path: PurePosixPath | None = None
    whats_new_url: str = ""  # "" where the locale has no What's new page (no dated articles)
    feed_url: str = ""  # its Atom feed, likewise
    robots: str = ""  # "noindex" for pages search engines should not list
    untranslated: Untranslated | None = None  # set where the page's text is another locale's


@dataclass(frozen=True)
class Untranslated:
    """A page of the default locale shown in another locale that has no translation of it."""

    code: str  # the locale whose text is shown
    dir: str
    language: str  # that language's name, in the language of the page around it


@dataclass(frozen=True)
class Head:
    """What crawlers and link previews read in a page's <head> besides its title (seo.py)."""

    alternates: tuple[Alternate, ...] = ()
    og_locale: str = ""
    og_alternates: tuple[str, ...] = ()
    json_ld: str = ""  # a Markup: seo.json_ld()


@dataclass(frozen=True)
class LocaleInfo:
    """`locale` in every template."""

    code: str
    lang: str
    dir: str
    title: str


@dataclass(frozen=True)
class Crumb:
    title: str
    url: str
    lang: str = ""  # set where the title is in another locale's language (a borrowed topic)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    url: str
    current: bool


@dataclass(frozen=True)
class ArticleLink:
    title: str
    url: str
    description: str = ""
    breadcrumb: tuple[str, ...] = ()  # shown in lists that mix topics (popular articles)
    audiences: str = ""  # who it is for, space-separated ("" everyone): the switcher hides it


@dataclass(frozen=True)
class AudienceChoice:
    id: str
    label: str


@dataclass(frozen=True)
class Card:
    """A topic on the home page or among a topic's sub-topics."""

    title: str
    description: str
    icon: str | None
    url: str
    article_count: int
    children: tuple[Crumb, ...]
    audiences: str = ""
    lang: str = ""  # set where its title is in another language than the page's
    dir: str = ""


@dataclass(frozen=True)
class SidebarItem:
    title: str
    url: str
    kind: str  # topic or article
    audiences: str = ""
    lang: str = ""  # set for a page shown untranslated: the language of its title
    dir: str = ""


@dataclass(frozen=True)
class Sidebar:
    """A topic's pages, the same for every page showing them but for `current`, the URL of
    the page it is on (the template marks the item at that URL)."""

    title: str
    url: str
    items: tuple[SidebarItem, ...]
    current: str = ""


@dataclass(frozen=True)
class ChannelLink:
    """A contact channel as one page shows it: its link carries the page's context.

    `href` is an external link (https:, mailto:, tel:…), `path` a page of this site (through
    url()); a channel with neither (javascript:, data:…) is shown without a link.
    """

    id: str
    type: str
    icon: str
    label: Markup
    description: Markup
    promise: Markup
    href: str
    path: str
    web: bool  # opened with rel=noopener
    shown: str  # the address or number itself
    hours: str  # as plain text, for readers without JavaScript
    hours_json: str  # for hours.js: "open now · closes 18:00"
    question: str = ""  # the URL parameter that carries the customer's question (contact.js)
    context_url: str = ""  # the page's site path in the link, which contact.js makes absolute


@dataclass(frozen=True)
class Offer:
    """The "Still need help?" channels of a page: one list per audience that differs."""

    variants: tuple[tuple[str, tuple[ChannelLink, ...]], ...]  # (audience id or "", channels)
    topic: str = ""  # the page's topic path: the contact page opens on it

    @property
    def channels(self) -> tuple[ChannelLink, ...]:
        return self.variants[0][1] if self.variants else ()

    @property
    def ids(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Which channels each audience is offered, whatever the context in their links."""
        return tuple((audience, tuple(c.id for c in cs)) for audience, cs in self.variants)


@dataclass(frozen=True)
class TopicOffer:
    """A topic on the contact page's picker, with the channels routed for it."""

    path: str
    title: str
    depth: int
    offer: Offer
    own: bool  # its channels differ from its parent topic's (or the general ones): listed


@dataclass(frozen=True)
class ArticleBody:
    title: str
    description: str
    html: Markup
    updated: str | None
    tags: tuple[str, ...]
    path: str
    changes: str = ""  # front matter `changes:`, shown at the top with `updated`
    questions: tuple[str, ...] = ()  # front matter `questions:`, listed as "Also answers"


@dataclass(frozen=True)
class TopicBody:
    title: str
    description: str
    intro_html: Markup
    icon: str | None


# --- one view per page kind ----------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class View:
    """What every template gets; a subclass per page kind adds its own fields."""

    template: ClassVar[str]
    locale: LocaleInfo
    page: PageInfo
    breadcrumbs: tuple[Crumb, ...] = ()
    languages: tuple[Language, ...] = ()
    audiences: tuple[AudienceChoice, ...] = ()  # the switcher's choices; () hides it
    notices: tuple[Banner, ...] = ()  # [[notices]] this page shows (partials/notice.html)
    head: Head = Head()

    def context(self) -> dict[str, Any]:
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        if isinstance(self, ContactView):
            values["channels"] = self.channels
        return values


@dataclass(frozen=True, kw_only=True)
class HomeView(View):
    template = "home.html"
    contact: Offer
    topics: tuple[Card, ...]
    promoted: tuple[ArticleLink, ...]
    articles: tuple[ArticleLink, ...]
    intro_html: Markup


@dataclass(frozen=True, kw_only=True)
class TopicView(View):
    template = "topic.html"
    contact: Offer
    topic: TopicBody
    subtopics: tuple[Card, ...]
    articles: tuple[ArticleLink, ...]
    sidebar: Sidebar


@dataclass(frozen=True, kw_only=True)
class ArticleView(View):
    template = "article.html"
    contact: Offer
    article: ArticleBody
    toc: tuple[Heading, ...]
    related: tuple[ArticleLink, ...]
    sidebar: Sidebar


@dataclass(frozen=True, kw_only=True)
class GuideView(ArticleView):
    """A troubleshooter (`type: guide`): an article shown one step at a time."""

    template = "guide.html"


@dataclass(frozen=True, kw_only=True)
class ContactView(View):
    template = "contact.html"
    contact: Offer  # the site's channels where no route matches
    intro: Markup
    promoted: tuple[ArticleLink, ...]
    topics: tuple[TopicOffer, ...]  # the topics a customer picks from, with their channels

    @property
    def channels(self) -> tuple[ChannelLink, ...]:
        return self.contact.channels


@dataclass(frozen=True, kw_only=True)
class SearchView(ContactView):
    template = "search.html"


@dataclass(frozen=True, kw_only=True)
class WhatsNewView(View):
    """What's new: recently updated articles, newest first, with their `changes:` notes."""

    template = "whats-new.html"
    entries: tuple[Change, ...]


@dataclass(frozen=True, kw_only=True)
class NotFoundView(View):
    template = "404.html"


@dataclass(frozen=True, kw_only=True)
class RedirectView(View):
    template = "redirect.html"
    target: str


@dataclass(frozen=True, kw_only=True)
class RootView(View):
    """The root of a multilingual site: a link to each language's home; choose.js sends a
    reader on to theirs."""

    template = "root.html"
    homes: tuple[Card, ...]  # each locale's home, in its own language (`Card.lang`)


# --- files ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Output:
    """One file of the site at site-root `path`: text, a page view, or a file copied as is."""

    path: str
    text: str | None = None
    view: View | None = None
    copy: Path | None = None


class Links:
    """`urls.relative`, remembered for every page of a folder: a link from ``a/b/x/`` to an
    address outside ``a/b/x/`` depends only on ``a/b/`` (the same ``../`` and the same rest),
    so the sidebar, header and assets of a topic's pages are worked out once, not per page."""

    def __init__(self) -> None:
        self.known: dict[tuple[str, str, bool], str] = {}

    def __call__(self, here: str, path: str, offline: bool = False) -> str:
        folder, _, _ = here.rpartition("/")
        parent, cut, _ = folder.rpartition("/")
        if not folder or path.lstrip("/").startswith(folder + "/"):
            return relative(here, path, offline)
        key = (parent + cut, path, offline)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = relative(here, path, offline)
        return found


class TemplateStrings(Translator):
    """A locale's UI strings as templates see them: `forms` (the same on every page, and
    costly: every plural form of every key) worked out once per set of keys."""

    def __init__(self, strings: Mapping[str, str]) -> None:
        super().__init__(strings)
        self.known: dict[tuple[str, ...], dict[str, str]] = {}

    def forms(self, *keys: str) -> dict[str, str]:
        if keys not in self.known:
            self.known[keys] = super().forms(*keys)
        return dict(self.known[keys])


class Templates:
    """The theme's Jinja environment and UI strings: turns a view into HTML."""

    def __init__(
        self, config: Config, theme: Theme, locales: Sequence[str], compiled: Path | None = None
    ) -> None:
        self.config = config
        self.env = theme.environment(compiled)
        self.static = theme.static_files()
        self.strings = {code: TemplateStrings(theme.strings(code)) for code in locales}
        self.static_version = {
            name: hashlib.sha1(path.read_bytes()).hexdigest()[:8]
            for name, path in self.static.items()
        }
        self.links = Links()

    def render(self, view: View) -> str:
        offline = self.config.offline
        here, links = view.page.url, self.links
        # a host serves a 404 page at any missing address, however deep: its links start at
        # the site's path ("/", "/help/"), never at a host, which may differ (http, previews).
        # Opened from disk (offline) it is where it is written, and relative links work.
        base = base_path(self.config) if view.page.kind == "404" and not offline else None

        def url(path: str, offline: bool = offline) -> str:
            if base is not None:
                return base + relative("", path).removeprefix("./")
            return links(here, path, offline)

        def asset(name: str) -> str:
            version = self.static_version.get(name)
            href = url(f"static/{name}")
            return f"{href}?v={version}" if version and not offline else href

        try:
            return self.env.get_template(view.template).render(
                t=self.strings[view.locale.code],
                url=url,
                asset=asset,
                root=url("") if not offline else (relative(here, "x")[:-1] or "./"),
                search_data=url(view.page.search_url, False),
                offline=offline,
                site={
                    "title": self.config.title,
                    "base_url": self.config.base_url,
                    "og_image": self.config.og_image,
                    "feedback": self.config.feedback_endpoint,
                    "feedback_searches": self.config.feedback_searches,
                },
                **view.context(),
            )
        except Exception as exc:  # a theme override's mistake, located in its template
            where, line = _template_frame(exc)
            if isinstance(exc, jinja2.TemplateSyntaxError):
                where, line = exc.filename or where, exc.lineno
            message = str(exc) if isinstance(exc, jinja2.TemplateError) else repr(exc)
            raise HelpgenError.at(
                f"template error: {message}",
                where or view.template,
                line,
                hint="check the template override in your themes/ folder",
                code="template",
            ) from None


def _template_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback (Jinja maps frames to templates)."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith((".html", ".xml", ".txt")):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


@dataclass(frozen=True)
class Outputs:
    """Every file of the site, in a stable order; `make` produces one file's bytes."""

    files: tuple[Output, ...]
    templates: Templates

    def make(self, output: Output) -> bytes:
        if output.view is not None:
            return self.templates.render(output.view).encode("utf-8")
        if output.copy is not None:
            return output.copy.read_bytes()
        return (output.text or "").encode("utf-8")


# --- building the views ----------------------------------------------------------------------
def pages(
    site: Site,
    rendered: Mapping[PageKey, Rendered],
    templates: Templates,
    day: dt.date | None = None,
    codes: Collection[str] | None = None,
) -> Iterator[Output]:
    """Every HTML page of the site (articles, topics, contact, search, what's new, 404s,
    redirects), or of the locales `codes`. `day`: the date notices are shown for (default:
    today, the build's date)."""
    names = {code: templates.strings[code]("language_name") for code in site.locales}
    day = day or today()
    for code in codes or site.locales:
        yield from _LocalePages(site, code, names, templates.strings[code], day).outputs(rendered)


def page_outputs(
    site: Site,
    rendered: Mapping[PageKey, Rendered],
    templates: Templates,
    keys: Iterable[PageKey],
    day: dt.date,
) -> Iterator[Output]:
    """The files of the topic and article pages `keys` alone (serve's quick path)."""
    names = {code: templates.strings[code]("language_name") for code in site.locales}
    made: dict[str, _LocalePages] = {}
    for code, path in keys:
        if code not in made:
            made[code] = _LocalePages(site, code, names, templates.strings[code], day)
        pages = made[code]
        page, done = site.locales[code].page(path), pages.rendered_as(rendered, path)
        if isinstance(page, Topic):
            yield pages.topic_page(page, done)
        else:
            yield pages.article_page(page, done)


@dataclass(frozen=True)
class _LocalePages:
    """The pages of one locale; what they share is worked out once."""

    site: Site
    code: str
    names: Mapping[str, str]
    t: Translator
    day: dt.date

    @property
    def locale(self) -> Locale:
        return self.site.locales[self.code]

    @functools.cached_property
    def dated(self) -> bool:
        """Whether the locale has a What's new page and a feed."""
        return has_feed(self.locale)

    @functools.cached_property
    def home_title(self) -> str:
        return locale_title(self.locale, self.site.config)

    @functools.cached_property
    def lender(self) -> Locale:
        """The default locale's tree under this locale's code: where a borrowed page's topics
        and routes are looked up, so its channels are the ones offered in this locale."""
        return dataclasses.replace(self.site.default, code=self.code)

    def untranslated(self, path: PurePosixPath) -> Untranslated | None:
        """For a page this locale borrows: whose text it shows; None for its own pages."""
        return self.borrowed_from if path in self.locale.borrowed else None

    @functools.cached_property
    def borrowed_from(self) -> Untranslated:
        """The default locale, whose text a borrowed page shows."""
        source = self.site.config.default_locale
        return Untranslated(
            source, self.site.default.dir, language_name(source, self.code, self.names[source])
        )

    @functools.cached_property
    def _sidebars(self) -> dict[PurePosixPath, Sidebar]:
        return {}

    def sidebar(self, topic: PurePosixPath) -> Sidebar:
        """A topic's (own or borrowed) sidebar, listed once however many pages show it."""
        found = self._sidebars.get(topic)
        if found is None:
            found = sidebar(self.locale, self.home_title, topic, self.untranslated)
            self._sidebars[topic] = found
        return found

    def info(
        self,
        kind: str,
        url: str,
        title: str,
        desc: str = "",
        path: PurePosixPath | None = None,
    ) -> PageInfo:
        loc, config = self.locale, self.site.config
        source = self.untranslated(path) if path is not None else None
        link = canonical(config, url, kind)
        if source is not None and path is not None:  # the original is the page to list
            link = absolute(config, self.site.default.page(path).url)
        return PageInfo(
            kind, title, desc, url, loc.home.url, loc.own_page("contact"),
            loc.own_page("search"), link, path,
            whats_new_url(loc) if self.dated else "", feed_url(loc) if self.dated else "",
            "noindex" if kind in NOINDEX else "", source,
        )  # fmt: skip

    def common(self, page: PageInfo, structured: Sequence[dict[str, object]] = ()) -> dict:
        info = locale_info(self.locale, self.site.config)
        crumbs = breadcrumbs(self.locale, info.title, page, self.site.config.default_locale)
        return {
            "locale": info,
            "page": page,
            "breadcrumbs": crumbs,
            "languages": languages(self.site, self.names, self.code, page),
            "audiences": audience_choices(self.site.config, self.code),
            "notices": self.notices(page),
            "head": self.head(page, crumbs, structured),
        }

    def head(
        self, page: PageInfo, crumbs: Sequence[Crumb], structured: Sequence[dict[str, object]]
    ) -> Head:
        """Alternates, Open Graph locales and JSON-LD; a borrowed page has only its language."""
        if page.kind == "redirect":
            return Head()
        if page.untranslated is not None:
            return Head(og_locale=og_locale(page.untranslated.code))
        config = self.site.config
        found = alternates(self.site, page.kind, page.source_path)
        items = list(structured)
        if page.canonical and page.kind in ("topic", "article"):
            trail = [(c.title, absolute(config, c.url) or "") for c in crumbs]
            items.append(breadcrumb_ld([*trail, (page.title, page.canonical)]))
        others = tuple(
            og_locale(a.hreflang) for a in found if a.hreflang not in (self.code, "x-default")
        )
        return Head(found, og_locale(self.code), others, json_ld(items))

    def notices(self, page: PageInfo) -> tuple[Banner, ...]:
        """The notices shown on `page`: by its topic, the locale and the build's date."""
        locale = self.locale
        if page.kind in ("redirect", ROOT) or not self.site.config.notices:
            return ()
        topic, path = None, page.source_path
        if path is not None:
            found = locale.page(path)
            topic = found.topic if isinstance(found, Article) else path
        return banners(self.site.config, locale, topic, self.day)

    def offer(self, page: Topic | Article, question: str = "") -> Offer:
        """The channels a page offers, each link carrying the page's context."""
        config = self.site.config
        locale = self.locale if self.locale.own(page.path) else self.lender
        topic = locale.topics[page.topic if isinstance(page, Article) else page.path]
        home = self.home_title
        context = Context(
            title=home if page.url == locale.home.url else page.title,
            url=canonical(config, page.url, "article") or page.url,
            topic=home if topic.path == HOME else topic.title,
            question=question,
        )
        by_id = channels_by_id(config)  # an unknown id is check's to report, not a crash
        return Offer(
            tuple(
                (audience or "", tuple(self.channel(by_id[i], context) for i in ids if i in by_id))
                for audience, ids in offers(config, locale, page).items()
            ),
            "" if topic.path == HOME else str(topic.path),
        )

    def channel(self, channel: Channel, context: Context) -> ChannelLink:
        rtl = self.locale.dir == "rtl"
        return channel_link(self.site.config, channel, self.code, rtl, context)

    def rendered_as(self, rendered: Mapping[PageKey, Rendered], path: PurePosixPath) -> Rendered:
        """A page's Rendered: this locale's own, or the default locale's for a borrowed one
        (its links to sections of translated pages mended by `relink`)."""
        if self.locale.own(path):
            return rendered[(self.code, path)]
        done = rendered[(self.site.config.default_locale, path)]
        url = self.locale.page(path).url
        return dataclasses.replace(done, html=self.relink(done.html, url, rendered))

    @functools.cached_property
    def own_urls(self) -> dict[str, PurePosixPath]:
        """URL -> source path of this locale's own pages."""
        locale = self.locale
        return {page.url: path for path, page in [*locale.topics.items(), *locale.articles.items()]}

    def relink(self, html: str, url: str, rendered: Mapping[PageKey, Rendered]) -> str:
        """A borrowed page's HTML at `url`. Its relative links land on this locale's pages, as
        written for the default locale's; a link to a section (#id) of a page this locale has
        translated, whose translation has no such id (headings are translated, and so are their
        ids), leads to the original page instead."""
        offline = self.site.config.offline
        folder = url.rpartition("/")[0]

        def mend(m: re.Match[str]) -> str:
            href = unescape(m.group(1))
            path, _, fragment = href.partition("#")
            if not fragment or not path or href.startswith("/") or urlsplit(href).scheme:
                return m.group(0)
            target = posixpath.normpath(posixpath.join(folder, unquote(path)))
            if offline:
                target = target.removesuffix("/index.html").removesuffix("index.html")
            own = self.own_urls.get(target.rstrip("/") + "/")
            if own is None or unquote(fragment) in rendered[(self.code, own)].anchors:
                return m.group(0)
            original = self.site.default.page(own).url
            return f'href="{escape(relative(url, f"{original}#{fragment}", offline))}"'

        return _HREF.sub(mend, html)

    def topic_page(self, topic: Topic, done: Rendered) -> Output:
        locale, path = self.locale, topic.path
        intro = Markup(done.html)
        topics, articles = locale.listing(path)
        subtopics = tuple(card(locale, t, self.untranslated) for t in topics)
        listed = tuple(article_link(locale, a, self.untranslated(a.path)) for a in articles)
        if path == HOME:
            page = self.info("home", topic.url, self.home_title, topic.meta.description, path)
            view: View = HomeView(
                **self.common(page),
                contact=self.offer(topic),
                topics=subtopics,
                promoted=promoted_articles(locale),
                articles=listed,
                intro_html=intro,
            )
        else:
            page = self.info("topic", topic.url, topic.title, topic.meta.description, path)
            view = TopicView(
                **self.common(page),
                contact=self.offer(topic),
                topic=TopicBody(topic.title, topic.meta.description, intro, topic.meta.icon),
                subtopics=subtopics,
                articles=listed,
                sidebar=dataclasses.replace(self.sidebar(topic.parent or HOME), current=topic.url),
            )
        return Output(output_file(topic.url), view=view)

    def article_page(self, article: Article, done: Rendered) -> Output:
        locale, meta, path = self.locale, article.meta, article.path
        page = self.info("article", article.url, article.title, meta.description, path)
        source = page.untranslated
        updated = meta.updated.isoformat() if meta.updated else None
        structured: list[dict[str, object]] = []
        if page.canonical and source is None:
            structured.append(
                article_ld(article.title, page.canonical, self.code, meta.description, updated)
            )
            pairs = questions(done.sections) if meta.type != "guide" else []
            if pairs:
                structured.append(faq_ld(pairs, page.canonical, self.code))
        body = ArticleBody(
            in_language(article.title, source),
            in_language(meta.description, source),
            in_language(Markup(done.html), source, block=True),
            updated,
            meta.tags,
            str(path),
            meta.changes,
            tuple(in_language(q, source) for q in meta.questions),
        )
        if source is None:
            related = locale.related(article)
        else:  # the original's related articles, as this locale has them
            related = [
                found
                for a in self.site.default.related(article)
                if isinstance(found := _find(locale, a.path), Article)
            ]
        headings = done.headings if len(done.headings) >= TOC_MIN_HEADINGS else ()
        if source is not None:
            headings = tuple(
                dataclasses.replace(h, title=in_language(h.title, source)) for h in headings
            )
        view = (GuideView if meta.type == "guide" else ArticleView)(
            **self.common(page, structured),
            contact=self.offer(article),
            article=body,
            toc=headings,
            related=tuple(article_link(locale, a, self.untranslated(a.path)) for a in related),
            sidebar=dataclasses.replace(self.sidebar(article.topic), current=article.url),
        )
        return Output(output_file(article.url), view=view)

    def outputs(self, rendered: Mapping[PageKey, Rendered]) -> Iterator[Output]:
        code, locale, config, t = self.code, self.locale, self.site.config, self.t
        home_title = self.home_title
        borrowed = list(locale.borrowed.values())
        for topic in [*locale.topics.values(), *(p for p in borrowed if isinstance(p, Topic))]:
            yield self.topic_page(topic, self.rendered_as(rendered, topic.path))
        for article in [
            *locale.articles.values(),
            *(p for p in borrowed if isinstance(p, Article)),
        ]:
            yield self.article_page(article, self.rendered_as(rendered, article.path))
        promoted = promoted_articles(locale)
        rtl = locale.dir == "rtl"
        intro = (
            isolate(config.contact_intro.get(code, config.default_locale), rtl)
            if config.contact_intro
            else Markup(escape(t("contact_intro")))
        )
        general = self.offer(locale.home)
        tree = sorted((p for p in locale.topics if p != HOME), key=lambda p: _tree_order(locale, p))
        offered = {HOME: general, **{p: self.offer(locale.topics[p]) for p in tree}}
        topics = tuple(
            TopicOffer(
                str(p),
                locale.topics[p].title,
                len(p.parts),
                offered[p],
                offered[p].ids != offered[p.parent].ids,
            )
            for p in tree
        )
        for kind, cls in (("contact", ContactView), ("search", SearchView)):
            page = self.info(kind, locale.own_page(kind), t(f"{kind}_title"))
            view = cls(
                **self.common(page), contact=general, intro=intro, promoted=promoted, topics=topics
            )
            yield Output(output_file(page.url), view=view)
        if self.dated:
            page = self.info(WHATS_NEW, whats_new_url(locale), t("whats_new"))
            view = WhatsNewView(**self.common(page), entries=recent(locale))
            yield Output(output_file(page.url), view=view)
        not_found = [locale.own_page("404")]
        redirects = [
            (alias_url(alias, locale.prefix), page_.url)
            for page_ in [*locale.topics.values(), *locale.articles.values()]
            for alias in page_.meta.aliases
        ]
        if config.multilingual and code == config.default_locale:
            not_found.append("404.html")
            yield self.root()
        for url in not_found:
            page = self.info("404", url, t("not_found_title"))
            yield Output(output_file(url), view=NotFoundView(**self.common(page)))
        for url, target in redirects:
            page = dataclasses.replace(
                self.info("redirect", url, home_title),
                canonical=absolute(config, target),
            )
            yield Output(output_file(url), view=RedirectView(**self.common(page), target=target))

    def root(self) -> Output:
        """The site's root on a multilingual site: each language's home, in its language."""
        site = self.site
        page = self.info(ROOT, "", site.config.title)
        homes = tuple(
            Card(
                self.names[code],
                locale_title(loc, site.config),
                None,
                loc.home.url,
                0,
                (),
                lang=code,
                dir=loc.dir,
            )
            for code, loc in site.locales.items()
        )
        return Output("index.html", view=RootView(**self.common(page), homes=homes))


def _find(locale: Locale, path: PurePosixPath) -> Topic | Article | None:
    """The page at `path` in a locale, own or borrowed, if it has one."""
    return locale.page(path) if locale.own(path) or path in locale.borrowed else None


def in_language(
    text: str, source: Untranslated | None, block: bool = False, listed: bool = False
) -> str:
    """`text` as it is, or (shown untranslated) marked with the language it is written in:
    a <span>, or a <div> for a block of HTML; `listed`: a title in a list of pages, which says
    so (class "untranslated"). Plain text is escaped; Markup is kept."""
    if source is None or not text:
        return text
    tag = "div" if block else "span"
    mark = Markup(' class="untranslated"') if listed else Markup("")
    return Markup('<{0} lang="{1}" dir="{2}"{3}>{4}</{0}>').format(
        Markup(tag), source.code, source.dir, mark, text
    )


@functools.cache
def language_name(code: str, in_code: str, fallback: str) -> str:
    """The name of language `code` in language `in_code` ("English" in Hebrew: "אנגלית")."""
    try:
        name = babel.Locale.parse(code, sep="-").get_language_name(
            babel.Locale.parse(in_code, sep="-")
        )
    except (ValueError, babel.UnknownLocaleError):
        return fallback
    return name or fallback


def locale_info(locale: Locale, config: Config) -> LocaleInfo:
    return LocaleInfo(locale.code, locale.code, locale.dir, locale_title(locale, config))


def locale_title(locale: Locale, config: Config) -> str:
    """The locale's name for the help center: its home page's title, else the site's."""
    home = locale.home
    return home.meta.title or (home.title if home.source else config.title)


def canonical(config: Config, url: str, kind: str) -> str | None:
    """The page's absolute URL (with `base_url`), none for pages no search engine should list."""
    if kind in NOINDEX:
        return None
    return absolute(config, url)


def breadcrumbs(
    locale: Locale, home_title: str, page: PageInfo, borrowed_from: str = ""
) -> tuple[Crumb, ...]:
    """Topics above the page, from the locale's home; the page itself is not among them. A
    borrowed topic's title is marked with the language it is in, `borrowed_from`."""
    if page.source_path is not None and page.kind != "home":
        path = page.source_path
        chain = locale.breadcrumbs(path if page.kind == "topic" else path.parent)
        if page.kind == "topic":
            chain = chain[:-1]
        return tuple(
            Crumb(
                home_title if t.path == HOME else t.title,
                t.url,
                borrowed_from if t.path in locale.borrowed else "",
            )
            for t in chain
        )
    if page.kind in ("contact", "search", WHATS_NEW):
        return (Crumb(home_title, locale.home.url),)
    return ()


def languages(
    site: Site, names: Mapping[str, str], code: str, page: PageInfo
) -> tuple[Language, ...]:
    """The language switcher: the same page in every locale (or its nearest translated topic)."""
    if len(site.locales) < 2:
        return ()
    if page.source_path is not None:
        urls = site.translations(page.source_path)
    elif page.kind in ("contact", "search", "404"):
        urls = {c: loc.own_page(page.kind) for c, loc in site.locales.items()}
    elif page.kind == WHATS_NEW:  # a locale without dated articles has none: its home
        urls = {
            c: loc.own_page(WHATS_NEW) if has_feed(loc) else loc.home.url
            for c, loc in site.locales.items()
        }
    else:
        urls = {c: loc.home.url for c, loc in site.locales.items()}
    return tuple(Language(c, names[c], urls[c], c == code) for c in site.locales)


def promoted_articles(locale: Locale) -> tuple[ArticleLink, ...]:
    """Articles marked `promoted`, with the topics they sit in."""
    return tuple(
        dataclasses.replace(
            article_link(locale, a),
            breadcrumb=tuple(t.title for t in locale.breadcrumbs(a.topic)[1:]),
        )
        for a in sorted(locale.articles.values(), key=lambda a: a.sort_key)
        if a.meta.promoted
    )


def card(
    locale: Locale, topic: Topic, source: Callable[[PurePosixPath], Untranslated | None]
) -> Card:
    """A topic's card; `source` says which pages are shown untranslated, and from where."""
    children = locale.listing(topic.path)[0][:CARD_CHILDREN]
    return Card(
        in_language(topic.title, source(topic.path), listed=True),
        in_language(topic.meta.description, source(topic.path)),
        topic.meta.icon,
        topic.url,
        locale.article_count(topic.path),
        tuple(Crumb(in_language(t.title, source(t.path), listed=True), t.url) for t in children),
        " ".join(locale.audience(topic.path)),
    )


def article_link(
    locale: Locale, article: Article, source: Untranslated | None = None
) -> ArticleLink:
    return ArticleLink(
        in_language(article.title, source, listed=True),
        article.url,
        in_language(article.meta.description, source),
        audiences=" ".join(locale.audience(article.path)),
    )


def audience_choices(config: Config, code: str) -> tuple[AudienceChoice, ...]:
    """The audience switcher's choices; none on a site built for one audience."""
    if config.audience is not None:
        return ()
    return tuple(
        AudienceChoice(a.id, a.label.get(code, config.default_locale)) for a in config.audiences
    )


def sidebar(
    locale: Locale,
    home_title: str,
    topic_path: PurePosixPath,
    source: Callable[[PurePosixPath], Untranslated | None] = lambda path: None,
) -> Sidebar:
    """The topic's sub-topics and articles (own and borrowed); `source` says which pages are
    shown untranslated, whose items are marked with their language."""
    topic = locale.page(topic_path)
    topics, articles = locale.listing(topic_path)
    items = []
    for kind, page in [*(("topic", t) for t in topics), *(("article", a) for a in articles)]:
        found = source(page.path)
        items.append(
            SidebarItem(
                page.title,
                page.url,
                kind,
                " ".join(locale.audience(page.path)),
                found.code if found else "",
                found.dir if found else "",
            )
        )
    title = topic.title if topic_path != HOME else home_title
    return Sidebar(title, topic.url, tuple(items))


def channel_link(
    config: Config, channel: Channel, code: str, rtl: bool, context: Context
) -> ChannelLink:
    """A channel as a page in locale `code` shows it, its link carrying `context`."""

    def text(value: Text | None) -> Markup:
        return isolate(value.get(code, config.default_locale), rtl) if value else Markup("")

    link = contact_href(channel, context).strip()
    lower = link.lower()
    kind = link_kind(link)
    external, local = kind == "external", kind == "local"
    shown = channel.address
    if not shown and lower.startswith(("mailto:", "tel:")):
        shown = unquote(link.split(":", 1)[1].split("?")[0])
    hours_text, hours_json = opening_hours(channel, code)
    return ChannelLink(
        channel.id,
        channel.type,
        CHANNEL_ICONS.get(channel.type, "external"),
        text(channel.label),
        text(channel.description),
        text(channel.promise),
        link if external else "",
        link if local else "",
        is_web(link),
        shown,
        hours_text,
        hours_json,
        question_param(channel),
        "" if config.base_url else context.url,
    )


_HREF = re.compile(r'href="([^"]*)"')
_LATIN = "A-Za-z0-9\u00c0-\u024f"
# a Latin or numeric phrase: "help@acme.test", "+1 (503) 555-0142", "Maker Plus"
_LTR_RUN = re.compile(rf"[+(]?[{_LATIN}](?:[{_LATIN}.@+:/_\-&'’)]|[ (](?=[+(]?[{_LATIN}]))*")
_TRAILING = ".,:;'’-/&"  # punctuation after a run belongs to the sentence around it


def isolate(text: str, rtl: bool) -> Markup:
    """Escaped text; on right-to-left pages each Latin or numeric run (an email, a phone number,
    a product name) sits in a <bdi>, so the punctuation around it lands where a reader expects."""
    if not rtl:
        return Markup(escape(text))
    out, last = [], 0
    for m in _LTR_RUN.finditer(text):
        start, run = m.start(), m.group().rstrip(_TRAILING)
        if run.startswith("(") and ")" not in run:  # "(4 שעות": the bracket is the sentence's
            start, run = start + 1, run[1:]
        if run.count("(") < run.count(")") and run.endswith(")"):
            run = run[:-1]
        out += [escape(text[last:start]), Markup('<bdi dir="ltr">'), escape(run)]
        out.append(Markup("</bdi>"))
        last = start + len(run)
    out.append(escape(text[last:]))
    return Markup("").join(out)


@functools.cache
def opening_hours(channel: Channel, locale: str) -> tuple[str, str]:
    """(the hours as plain text in `locale`, their JSON for hours.js), or empty strings."""
    if channel.hours is None:
        return "", ""
    hours = parse_hours(channel.hours, channel.timezone, list(channel.closed))
    return describe(hours, locale), json.dumps(hours.to_json(), separators=(",", ":"))


def _tree_order(locale: Locale, path: PurePosixPath) -> tuple:
    """Topics in the order the tree shows them: each followed by its sub-topics."""
    return tuple(locale.topics[p].sort_key for p in [*reversed(path.parents), path][1:])
