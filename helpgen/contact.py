"""What a page offers when self-service fails: routing rules in, channels per page out.

A page's channels come from, in order: its own front matter `contact: [ids]`, else its nearest
topic's, else the first `[[contact.routes]]` whose conditions all hold (topic path globs,
audience, locale, tags), else `contact.default`, else every channel. Links carry the page's
context: an email gets a subject and a body naming the article, a form its URL parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from .config import Channel, Config
from .model import HOME, Article, Locale, Topic

FORM_PARAMS = (("topic", "topic"), ("article", "article"), ("question", "question"))


def topic_matches(pattern: str, path: PurePosixPath) -> bool:
    """A topic path glob: `selling/**` is selling and all below it, `orders/*` one level."""
    return _glob(pattern.strip("/")).fullmatch("" if path == HOME else str(path)) is not None


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    out = ""
    for part in re.split(r"(/\*\*$|\*\*/|\*\*|\*|\?)", pattern):
        out += {
            "/**": "(?:/.*)?",  # the folder itself, or anything below it
            "**/": "(?:.*/)?",
            "**": ".*",
            "*": "[^/]*",
            "?": "[^/]",
        }.get(part, re.escape(part))
    return re.compile(out)


def route(
    config: Config,
    locale: str,
    topic: PurePosixPath,
    tags: Iterable[str] = (),
    audience: str | None = None,
) -> tuple[str, ...]:
    """Channel ids for a page in `topic` with `tags`, read by someone of `audience`."""
    tags = set(tags)
    for rule in config.routes:
        if rule.topics and not any(topic_matches(g, topic) for g in rule.topics):
            continue
        if rule.audience and audience not in rule.audience:
            continue
        if rule.locales and locale not in rule.locales:
            continue
        if rule.tags and not tags & set(rule.tags):
            continue
        return rule.channels
    return config.contact_default or tuple(c.id for c in config.channels)


def offers(
    config: Config, locale: Locale, page: Topic | Article
) -> dict[str | None, tuple[str, ...]]:
    """Channel ids a page offers per audience (None: a reader who chose none), in route order.

    Audiences that get the same channels as None are left out.
    """
    override = page.meta.contact or _inherited(locale, page)
    if override:
        return {None: override}
    topic = page.topic if isinstance(page, Article) else page.path
    tags = page.meta.tags
    found = {None: route(config, locale.code, topic, tags, config.audience)}
    if config.audience is not None:  # a site for one audience: its routes only
        return found
    for audience in config.audiences:
        ids = route(config, locale.code, topic, tags, audience.id)
        if ids != found[None]:
            found[audience.id] = ids
    return found


def _inherited(locale: Locale, page: Topic | Article) -> tuple[str, ...]:
    """The `contact:` of the nearest topic above the page."""
    folder: PurePosixPath | None = page.topic if isinstance(page, Article) else page.parent
    while folder is not None:
        topic = locale.topics[folder]
        if topic.meta.contact:
            return topic.meta.contact
        folder = topic.parent
    return ()


@dataclass(frozen=True)
class Context:
    """What a message to support should say about where the reader was."""

    title: str = ""  # the article or topic
    url: str = ""  # the page's address (absolute with base_url)
    topic: str = ""  # the topic's title
    question: str = ""


def href(channel: Channel, context: Context) -> str:
    """The channel's link with the context attached; phone numbers stay plain tel: links."""
    url = channel.url
    if channel.type == "email" and url.lower().startswith("mailto:"):
        parts = urlsplit(url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        written = {key.lower() for key, _ in query}  # mailto: header names ignore case
        if context.title and "subject" not in written:
            query.append(("subject", context.title))
        lines = [line for line in (context.question, context.url) if line]
        if lines and "body" not in written:
            query.append(("body", "\n\n".join(lines) + "\n\n"))
        return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))
    params = _params(channel)
    values = {
        "topic": context.topic,
        "article": context.url,
        "question": context.question,
    }
    extra = [(params[key], value) for key, value in values.items() if key in params and value]
    if not extra or not is_web(url):
        return url
    parts = urlsplit(url)
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *extra], quote_via=quote)
    return urlunsplit(parts._replace(query=query))


def is_web(url: str) -> bool:
    """An http(s) address: opened in a browser, and the only kind that takes URL parameters."""
    return url.lower().startswith(("https://", "http://"))


def _params(channel: Channel) -> dict[str, str]:
    """The URL parameters a channel's link takes: its own `params`, a form's by default."""
    return dict(channel.params or (FORM_PARAMS if channel.type == "form" else ()))


def question_param(channel: Channel) -> str:
    """The parameter that carries the customer's question, "" if the link takes none."""
    if not is_web(channel.url):
        return ""
    return _params(channel).get("question", "")


def channels_by_id(config: Config) -> Mapping[str, Channel]:
    return {c.id: c for c in config.channels}
