"""Pages stage: the Site and its Rendered pages -> typed page views -> files to write.

Each view holds what one template shows, worked out by plain functions (breadcrumbs, languages,
channels, canonical URL) a test can call. A view becomes HTML only when `Outputs.make` is asked
for it, so pages can be produced lazily, in worker processes, or on request by `serve`. Each
page sees only its own neighbourhood (breadcrumbs, its topic's children, a few related
articles), so a page's size does not grow with the size of the whole tree.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

import jinja2
from markupsafe import Markup

from .assemble import alias_url
from .config import Config
from .errors import HelpgenError
from .model import HOME, Article, Heading, Locale, PageKey, Rendered, Site, Topic
from .theme import Theme, Translator
from .urls import output_file, relative

TOC_MIN_HEADINGS = 3
CARD_CHILDREN = 4
# icon of each contact channel kind (config.CHANNEL_KINDS)
CHANNEL_ICONS = {
    "email": "mail", "chat": "chat", "phone": "phone", "form": "form", "link": "external"
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


@dataclass(frozen=True)
class Card:
    """A topic on the home page or among a topic's sub-topics."""

    title: str
    description: str
    icon: str | None
    url: str
    article_count: int
    children: tuple[Crumb, ...]


@dataclass(frozen=True)
class SidebarItem:
    title: str
    url: str
    kind: str  # topic or article
    current: bool


@dataclass(frozen=True)
class Sidebar:
    title: str
    url: str
    items: tuple[SidebarItem, ...]


@dataclass(frozen=True)
class ChannelLink:
    """A contact channel with its link worked out once.

    External schemes are linked as they are (`href`); a site path (`path`) goes through the
    page's url(); anything else (javascript:, data:…) gets no link.
    """

    name: str
    description: str
    url: str
    kind: str
    icon: str
    href: str
    path: str
    web: bool  # opened with rel=noopener
    shown: str  # the address or number itself


@dataclass(frozen=True)
class ArticleBody:
    title: str
    description: str
    html: Markup
    updated: str | None
    tags: tuple[str, ...]
    path: str


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

    def context(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True, kw_only=True)
class HomeView(View):
    template = "home.html"
    topics: tuple[Card, ...]
    promoted: tuple[ArticleLink, ...]
    articles: tuple[ArticleLink, ...]
    intro_html: Markup


@dataclass(frozen=True, kw_only=True)
class TopicView(View):
    template = "topic.html"
    topic: TopicBody
    subtopics: tuple[Card, ...]
    articles: tuple[ArticleLink, ...]
    sidebar: Sidebar


@dataclass(frozen=True, kw_only=True)
class ArticleView(View):
    template = "article.html"
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
    channels: tuple[ChannelLink, ...]
    intro: str
    promoted: tuple[ArticleLink, ...]


@dataclass(frozen=True, kw_only=True)
class SearchView(ContactView):
    template = "search.html"


@dataclass(frozen=True, kw_only=True)
class NotFoundView(View):
    template = "404.html"


@dataclass(frozen=True, kw_only=True)
class RedirectView(View):
    template = "redirect.html"
    target: str


# --- files ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Output:
    """One file of the site at site-root `path`: text, a page view, or a file copied as is."""

    path: str
    text: str | None = None
    view: View | None = None
    copy: Path | None = None


class Templates:
    """The theme's Jinja environment and UI strings: turns a view into HTML."""

    def __init__(self, config: Config, theme: Theme, locales: Sequence[str]) -> None:
        self.config = config
        self.env = theme.environment()
        self.static = theme.static_files()
        self.strings = {code: Translator(theme.strings(code)) for code in locales}
        self.static_version = {
            name: hashlib.sha1(path.read_bytes()).hexdigest()[:8]
            for name, path in self.static.items()
        }

    def render(self, view: View) -> str:
        offline = self.config.offline
        here = view.page.url

        def url(path: str) -> str:
            return relative(here, path, offline)

        def asset(name: str) -> str:
            version = self.static_version.get(name)
            href = relative(here, f"static/{name}", offline)
            return f"{href}?v={version}" if version and not offline else href

        try:
            return self.env.get_template(view.template).render(
                t=self.strings[view.locale.code],
                url=url,
                asset=asset,
                root=relative(here, "") if not offline else relative(here, "x")[:-1],
                search_data=relative(here, view.page.search_url, False),
                offline=offline,
                site={"title": self.config.title, "base_url": self.config.base_url},
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
    site: Site, rendered: Mapping[PageKey, Rendered], templates: Templates
) -> Iterator[Output]:
    """Every HTML page of the site (articles, topics, contact, search, 404s, redirects)."""
    names = {code: templates.strings[code]("language_name") for code in site.locales}
    links = channels(site.config)
    for code in site.locales:
        yield from _LocalePages(site, code, names, templates.strings[code]).outputs(rendered, links)


@dataclass(frozen=True)
class _LocalePages:
    """The pages of one locale; what they share is worked out once."""

    site: Site
    code: str
    names: Mapping[str, str]
    t: Translator

    @property
    def locale(self) -> Locale:
        return self.site.locales[self.code]

    def info(
        self, kind: str, url: str, title: str, desc: str = "", path: PurePosixPath | None = None
    ) -> PageInfo:
        loc, config = self.locale, self.site.config
        return PageInfo(
            kind, title, desc, url, loc.home.url, loc.own_page("contact"),
            loc.own_page("search"), canonical(config, url, kind), path,
        )  # fmt: skip

    def common(self, page: PageInfo) -> dict[str, Any]:
        info = locale_info(self.locale, self.site.config)
        return {
            "locale": info,
            "page": page,
            "breadcrumbs": breadcrumbs(self.locale, info.title, page),
            "languages": languages(self.site, self.names, self.code, page),
        }

    def outputs(
        self, rendered: Mapping[PageKey, Rendered], links: tuple[ChannelLink, ...]
    ) -> Iterator[Output]:
        code, locale, config, t = self.code, self.locale, self.site.config, self.t
        home_title = locale_title(locale, config)
        promoted = promoted_articles(locale)
        for path, topic in locale.topics.items():
            intro = Markup(rendered[(code, path)].html)
            subtopics = tuple(card(locale, locale.topics[p]) for p in topic.topics)
            articles = tuple(article_link(locale.articles[p]) for p in topic.articles)
            if path == HOME:
                page = self.info("home", topic.url, home_title, topic.meta.description, path)
                view: View = HomeView(
                    **self.common(page),
                    topics=subtopics,
                    promoted=promoted,
                    articles=articles,
                    intro_html=intro,
                )
            else:
                page = self.info("topic", topic.url, topic.title, topic.meta.description, path)
                view = TopicView(
                    **self.common(page),
                    topic=TopicBody(topic.title, topic.meta.description, intro, topic.meta.icon),
                    subtopics=subtopics,
                    articles=articles,
                    sidebar=sidebar(locale, home_title, topic.parent or HOME, topic.url),
                )
            yield Output(output_file(topic.url), view=view)
        for path, article in locale.articles.items():
            done = rendered[(code, path)]
            meta = article.meta
            page = self.info("article", article.url, article.title, meta.description, path)
            body = ArticleBody(
                article.title,
                meta.description,
                Markup(done.html),
                meta.updated.isoformat() if meta.updated else None,
                meta.tags,
                str(path),
            )
            view = (GuideView if meta.type == "guide" else ArticleView)(
                **self.common(page),
                article=body,
                toc=done.headings if len(done.headings) >= TOC_MIN_HEADINGS else (),
                related=tuple(article_link(a) for a in locale.related(article)),
                sidebar=sidebar(locale, home_title, article.topic, article.url),
            )
            yield Output(output_file(article.url), view=view)
        intro = config.contact_intro or t("contact_intro")
        for kind, cls in (("contact", ContactView), ("search", SearchView)):
            page = self.info(kind, locale.own_page(kind), t(f"{kind}_title"))
            view = cls(**self.common(page), channels=links, intro=intro, promoted=promoted)
            yield Output(output_file(page.url), view=view)
        not_found = [locale.own_page("404")]
        redirects = [
            (alias_url(alias, locale.prefix), page_.url)
            for page_ in [*locale.topics.values(), *locale.articles.values()]
            for alias in page_.meta.aliases
        ]
        if config.multilingual and code == config.default_locale:
            not_found.append("404.html")
            redirects.append(("", locale.home.url))  # the site root: to the default language
        for url in not_found:
            page = self.info("404", url, t("not_found_title"))
            yield Output(output_file(url), view=NotFoundView(**self.common(page)))
        for url, target in redirects:
            page = dataclasses.replace(
                self.info("redirect", url, home_title),
                canonical=config.base_url + target if config.base_url else None,
            )
            yield Output(output_file(url), view=RedirectView(**self.common(page), target=target))


def locale_info(locale: Locale, config: Config) -> LocaleInfo:
    return LocaleInfo(locale.code, locale.code, locale.dir, locale_title(locale, config))


def locale_title(locale: Locale, config: Config) -> str:
    """The locale's name for the help center: its home page's title, else the site's."""
    home = locale.home
    return home.meta.title or (home.title if home.source else config.title)


def canonical(config: Config, url: str, kind: str) -> str | None:
    """The page's absolute URL (with `base_url`), none for pages that are not content."""
    if not config.base_url or kind in ("404", "redirect"):
        return None
    return config.base_url + url


def breadcrumbs(locale: Locale, home_title: str, page: PageInfo) -> tuple[Crumb, ...]:
    """Topics above the page, from the locale's home; the page itself is not among them."""
    if page.source_path is not None and page.kind != "home":
        path = page.source_path
        chain = locale.breadcrumbs(path if page.kind == "topic" else path.parent)
        if page.kind == "topic":
            chain = chain[:-1]
        return tuple(Crumb(home_title if t.path == HOME else t.title, t.url) for t in chain)
    if page.kind in ("contact", "search"):
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
    else:
        urls = {c: loc.home.url for c, loc in site.locales.items()}
    return tuple(Language(c, names[c], urls[c], c == code) for c in site.locales)


def promoted_articles(locale: Locale) -> tuple[ArticleLink, ...]:
    """Articles marked `promoted`, with the topics they sit in."""
    return tuple(
        dataclasses.replace(
            article_link(a), breadcrumb=tuple(t.title for t in locale.breadcrumbs(a.topic)[1:])
        )
        for a in sorted(locale.articles.values(), key=lambda a: a.sort_key)
        if a.meta.promoted
    )


def card(locale: Locale, topic: Topic) -> Card:
    return Card(
        topic.title,
        topic.meta.description,
        topic.meta.icon,
        topic.url,
        locale.article_count(topic.path),
        tuple(
            Crumb(locale.topics[p].title, locale.topics[p].url)
            for p in topic.topics[:CARD_CHILDREN]
        ),
    )


def article_link(article: Article) -> ArticleLink:
    return ArticleLink(article.title, article.url, article.meta.description)


def sidebar(locale: Locale, home_title: str, topic_path: PurePosixPath, current: str) -> Sidebar:
    """The topic's sub-topics and articles, the current page marked."""
    topic = locale.topics[topic_path]
    items = [
        SidebarItem(t.title, t.url, "topic", t.url == current)
        for t in (locale.topics[p] for p in topic.topics)
    ]
    items += [
        SidebarItem(a.title, a.url, "article", a.url == current)
        for a in (locale.articles[p] for p in topic.articles)
    ]
    title = topic.title if topic_path != HOME else home_title
    return Sidebar(title, topic.url, tuple(items))


def channels(config: Config) -> tuple[ChannelLink, ...]:
    """The contact channels, each with its link, icon and shown address worked out once."""
    out = []
    for c in config.channels:
        href = c.url.strip()
        lower = href.lower()
        external = lower.startswith(("mailto:", "tel:", "sms:", "https://", "http://"))
        local = bool(href) and not external and ":" not in href.split("/")[0]
        shown = ""
        if lower.startswith(("mailto:", "tel:")):
            shown = href.split(":", 1)[1].split("?")[0]
        out.append(
            ChannelLink(
                c.name,
                c.description,
                c.url,
                c.kind,
                CHANNEL_ICONS.get(c.kind, "external"),
                href if external else "",
                href if local else "",
                lower.startswith(("https://", "http://")),
                shown,
            )
        )
    return tuple(out)
