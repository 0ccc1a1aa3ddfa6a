"""Render the model through the theme: site-root output path -> HTML text.

Each page sees only its own neighbourhood (breadcrumbs, its topic's children and siblings,
a few related articles), so a page's size does not grow with the size of the whole tree.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from markupsafe import Markup

from .errors import HelpgenError
from .model import HOME, Article, Locale, Site, Topic, alias_url
from .theme import Theme, Translator
from .urls import output_file, relative

TOC_MIN_HEADINGS = 3
# icon of each contact channel kind (config.CHANNEL_KINDS)
CHANNEL_ICONS = {
    "email": "mail", "chat": "chat", "phone": "phone", "form": "form", "link": "external"
}  # fmt: skip
CARD_CHILDREN = 4


@dataclass(frozen=True)
class Output:
    """One file to write: site-root path and its text."""

    path: str
    text: str


class PageRenderer:
    """Holds the Jinja environment and per-locale strings; renders every page of a site."""

    def __init__(self, site: Site, theme: Theme, static_files: dict[str, Path]) -> None:
        self.site = site
        self.config = site.config
        self.env = theme.environment()
        self.strings = {code: Translator(theme.strings(code)) for code in site.locales}
        self.static_version = {
            name: hashlib.sha1(path.read_bytes()).hexdigest()[:8]
            for name, path in static_files.items()
        }

    # --- the pages ---------------------------------------------------------------------------
    def extra_pages(self) -> Iterator[Output]:
        """Pages that come from no source file: contact, search, 404s, redirects."""
        for locale in self.site.locales.values():
            yield self.service_page(locale, "contact")
            yield self.service_page(locale, "search")
            yield self.not_found_page(locale, f"{locale.prefix}404.html")
            yield from self._redirects(locale)
        if self.config.multilingual:
            default = self.site.locales[self.config.default_locale]
            yield self.not_found_page(default, "404.html")
            yield self._redirect(default, "", default.home.url)

    def service_page(self, locale: Locale, kind: str) -> Output:
        """The contact page or the search page of a locale."""
        t = self.strings[locale.code]
        page = self._page(locale, kind, f"{locale.prefix}{kind}/", t(f"{kind}_title"), "")
        intro = self.config.contact_intro or t("contact_intro")
        return self._render(
            f"{kind}.html",
            locale,
            page,
            channels=self._channels(),
            intro=intro,
            promoted=self._promoted(locale),
        )

    def not_found_page(self, locale: Locale, url: str) -> Output:
        title = self.strings[locale.code]("not_found_title")
        return self._render("404.html", locale, self._page(locale, "404", url, title, ""))

    def topic_page(self, locale: Locale, topic: Topic) -> Output:
        kind = "home" if topic.path == HOME else "topic"
        title = topic.title if kind == "topic" else self._locale_title(locale)
        page = self._page(locale, kind, topic.url, title, topic.meta.description, topic.path)
        subtopics = [self._card(locale, locale.topics[p]) for p in topic.topics]
        articles = [self._article_link(locale.articles[p]) for p in topic.articles]
        if kind == "home":
            promoted = self._promoted(locale)
            return self._render(
                "home.html",
                locale,
                page,
                topics=subtopics,
                promoted=promoted,
                articles=articles,
                intro_html=Markup(topic.intro_html),
            )
        return self._render(
            "topic.html",
            locale,
            page,
            topic={
                "title": topic.title,
                "description": topic.meta.description,
                "intro_html": Markup(topic.intro_html),
                "icon": topic.meta.icon,
            },
            subtopics=subtopics,
            articles=articles,
            sidebar=self._sidebar(locale, topic.parent or HOME, topic.url),
        )

    def article_page(self, locale: Locale, article: Article) -> Output:
        page = self._page(
            locale, "article", article.url, article.title, article.meta.description, article.path
        )
        toc = [{"level": h.level, "id": h.id, "title": h.title} for h in article.headings]
        return self._render(
            "article.html",
            locale,
            page,
            article={
                "title": article.title,
                "description": article.meta.description,
                "html": Markup(article.html),
                "updated": article.meta.updated.isoformat() if article.meta.updated else None,
                "tags": list(article.meta.tags),
                "path": str(article.path),
            },
            toc=toc if len(toc) >= TOC_MIN_HEADINGS else [],
            related=[self._article_link(a) for a in locale.related(article)],
            sidebar=self._sidebar(locale, article.topic, article.url),
        )

    # --- pieces ------------------------------------------------------------------------------
    def _locale_title(self, locale: Locale) -> str:
        home = locale.home
        return home.meta.title or (home.title if home.source else self.config.title)

    def _page(
        self,
        locale: Locale,
        kind: str,
        url: str,
        title: str,
        description: str,
        path: PurePosixPath | None = None,
    ) -> dict[str, Any]:
        base = self.config.base_url
        return {
            "kind": kind,
            "title": title,
            "description": description,
            "url": url,
            "home_url": locale.home.url,
            "contact_url": f"{locale.prefix}contact/",
            "search_url": f"{locale.prefix}search/",
            "canonical": base + url if base and kind not in ("404", "redirect") else None,
            "source_path": path,
        }

    def _promoted(self, locale: Locale) -> list[dict[str, Any]]:
        return [
            {
                **self._article_link(a),
                "breadcrumb": [t.title for t in locale.breadcrumbs(a.topic)[1:]],
            }
            for a in sorted(locale.articles.values(), key=lambda a: a.sort_key)
            if a.meta.promoted
        ]

    def _card(self, locale: Locale, topic: Topic) -> dict[str, Any]:
        return {
            "title": topic.title,
            "description": topic.meta.description,
            "icon": topic.meta.icon,
            "url": topic.url,
            "article_count": _count_articles(locale, topic),
            "children": [
                {"title": locale.topics[p].title, "url": locale.topics[p].url}
                for p in topic.topics[:CARD_CHILDREN]
            ],
        }

    @staticmethod
    def _article_link(article: Article) -> dict[str, Any]:
        return {"title": article.title, "url": article.url, "description": article.meta.description}

    def _sidebar(
        self, locale: Locale, topic_path: PurePosixPath, current_url: str
    ) -> dict[str, Any]:
        topic = locale.topics[topic_path]
        items = [
            {
                "title": locale.topics[p].title,
                "url": locale.topics[p].url,
                "kind": "topic",
                "current": locale.topics[p].url == current_url,
            }
            for p in topic.topics
        ]
        items += [
            {
                "title": locale.articles[p].title,
                "url": locale.articles[p].url,
                "kind": "article",
                "current": locale.articles[p].url == current_url,
            }
            for p in topic.articles
        ]
        title = topic.title if topic_path != HOME else self._locale_title(locale)
        return {"title": title, "url": topic.url, "items": items}

    def _channels(self) -> list[dict[str, Any]]:
        """Contact channels with their links worked out once, for every template that lists them.

        External schemes are linked as they are (`href`); a site path (`path`) goes through the
        page's url(); anything else (javascript:, data:…) gets no link.
        """
        out = []
        for c in self.config.channels:
            href = c.url.strip()
            lower = href.lower()
            external = lower.startswith(("mailto:", "tel:", "sms:", "https://", "http://"))
            local = bool(href) and not external and ":" not in href.split("/")[0]
            out.append({
                "name": c.name,
                "description": c.description,
                "url": c.url,
                "kind": c.kind,
                "icon": CHANNEL_ICONS.get(c.kind, "external"),
                "href": href if external else "",
                "path": href if local else "",
                "web": lower.startswith(("https://", "http://")),  # opened with rel=noopener
                "shown": href.split(":", 1)[1].split("?")[0]  # the address or number itself
                if lower.startswith(("mailto:", "tel:")) else "",
            })  # fmt: skip
        return out

    def _languages(self, locale: Locale, path: PurePosixPath | None) -> list[dict[str, Any]]:
        if len(self.site.locales) < 2:
            return []
        urls = (
            self.site.translations(path)
            if path is not None
            else {code: loc.home.url for code, loc in self.site.locales.items()}
        )
        return [
            {
                "code": code,
                "name": self.strings[code]("language_name"),
                "url": urls[code],
                "current": code == locale.code,
            }
            for code in self.site.locales
        ]

    def _redirects(self, locale: Locale) -> Iterator[Output]:
        for page in [*locale.topics.values(), *locale.articles.values()]:
            for alias in page.meta.aliases:
                yield self._redirect(locale, alias_url(alias, locale.prefix), page.url)

    def _redirect(self, locale: Locale, url: str, target: str) -> Output:
        page = self._page(locale, "redirect", url, self._locale_title(locale), "")
        page["canonical"] = self.config.base_url + target if self.config.base_url else None
        return self._render("redirect.html", locale, page, target=target)

    def _render(
        self, template: str, locale: Locale, page: dict[str, Any], **context: Any
    ) -> Output:
        offline = self.config.offline
        here = page["url"]

        def url(path: str) -> str:
            return relative(here, path, offline)

        def asset(name: str) -> str:
            version = self.static_version.get(name)
            href = relative(here, f"static/{name}", offline)
            return f"{href}?v={version}" if version and not offline else href

        breadcrumbs = []
        if page.get("source_path") is not None and page["kind"] != "home":
            path = page["source_path"]
            topic = path if page["kind"] == "topic" else path.parent
            chain = locale.breadcrumbs(topic)
            if page["kind"] == "topic":
                chain = chain[:-1]
            breadcrumbs = [
                {"title": t.title if t.path != HOME else self._locale_title(locale), "url": t.url}
                for t in chain
            ]
        elif page["kind"] in ("contact", "search"):
            breadcrumbs = [{"title": self._locale_title(locale), "url": locale.home.url}]
        try:
            text = self.env.get_template(template).render(
                t=self.strings[locale.code],
                url=url,
                asset=asset,
                root=relative(here, "") if not offline else relative(here, "x")[:-1],
                search_data=relative(here, f"{locale.prefix}search/", False),
                offline=offline,
                site={"title": self.config.title, "base_url": self.config.base_url},
                locale={
                    "code": locale.code,
                    "lang": locale.code,
                    "dir": locale.dir,
                    "title": self._locale_title(locale),
                },
                page=page,
                breadcrumbs=breadcrumbs,
                languages=self._languages(locale, page.get("source_path")),
                **context,
            )
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or template
            raise HelpgenError.at(
                f"template error: {exc}",
                where,
                getattr(exc, "lineno", None),
                hint="check the template override in your themes/ folder",
            ) from None
        return Output(output_file(page["url"]), text)


def _count_articles(locale: Locale, topic: Topic) -> int:
    return len(topic.articles) + sum(
        _count_articles(locale, locale.topics[p]) for p in topic.topics
    )
