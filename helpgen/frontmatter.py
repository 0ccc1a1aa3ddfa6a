"""Front matter -> a typed Meta.

Every key is declared once, as a `Key` in KEYS (the `Option` of config.py, plus where it may be
written): name, type, default, doc and check. Parsing, located errors with "did you mean" hints
and the README's reference table all come from those declarations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .config import Invalid, Option, either, markdown_table, one_of
from .errors import Problem, did_you_mean, shorten
from .load import SourceFile
from .urls import alias_path

PAGE_TYPES = ("article", "guide")


@dataclass(frozen=True)
class Key(Option):
    """A front matter key: an Option that says where it may be written."""

    articles: bool = True
    topics: bool = True  # _index.md


# --- checks: the value as written (YAML) -> the value used ------------------------------------

_TEXT = (str, int, float)  # `title: 2024` is the text "2024"


def _text(value: Any) -> str:
    return str(value).strip()


def _text_list(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]  # `tags: orders` is [orders]
    if not all(isinstance(i, _TEXT) and not isinstance(i, bool) for i in items):
        raise Invalid("must be a list of text", kind="type")
    return tuple(text for text in map(_text, items) if text)


class AliasInvalid(Invalid):
    """An alias that is no path on this site: reported as `alias-invalid`."""

    code = "alias-invalid"


def _aliases(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(i, _TEXT) and not isinstance(i, bool) for i in items):
        raise Invalid("must be a list of text", kind="type")
    aliases = tuple(map(_text, items))  # an empty one is a mistake, not left out
    for alias in aliases:
        if "://" in alias:
            raise Invalid(f"must be paths on this site, not {alias!r}")
        try:
            alias_path(alias)  # assemble.alias_url() makes the same path of it
        except ValueError as exc:
            raise AliasInvalid(
                f"has {shorten(alias, 80)!r}, which {exc}",
                "aliases are old paths on this site, e.g. aliases: [/help/old-page/]",
            ) from None
    return aliases


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise Invalid(f"is not a date: {value!r}") from None


# fmt: off
KEYS = (
    Key("title", _TEXT, "text", 'The title; else the first "# Heading", else the file name.',
        check=_text, example="title: Cancel an order"),
    Key("description", _TEXT, "text", "One sentence, under the title and in search results.",
        default="", check=_text, example="description: How to cancel before it ships."),
    Key("order", (int, float), "a number", "Place among its siblings: smaller first, then by "
        "title.", check=float, example="order: 10"),
    Key("tags", (*_TEXT, list), "a list of text", "Articles sharing a tag are listed as related.",
        default=(), check=_text_list, example="tags: [orders, returns]", topics=False),
    Key("promoted", bool, "true or false", 'Listed under "Popular articles" on the home page.',
        default=False, example="promoted: true", topics=False),
    Key("updated", (str, dt.date), "a date", "When it last changed, shown on the article.",
        check=_date, example="updated: 2026-03-01", topics=False),
    Key("aliases", (*_TEXT, list), "a list of paths", "Old URLs that must keep working: they "
        "redirect here.", default=(), check=_aliases, example="aliases: [/help/old-page/]"),
    Key("keywords", (*_TEXT, list), "a list of text", "Extra words customers search with.",
        default=(), check=_text_list, example="keywords: [cancel, call off]"),
    Key("questions", (*_TEXT, list), "a list of text", "Questions as customers ask them; shown "
        "as \"Also answers\", searched, and `check` warns if search does not find the article.",
        default=(), check=_text_list, example='questions: ["where is my refund?"]', topics=False),
    Key("icon", _TEXT, "text", "package, truck, return, card, shield, store, user, chat, globe, "
        "gift, settings, help, or an emoji.", check=_text, example="icon: truck", articles=False),
    Key("type", str, either(PAGE_TYPES), "`guide`: a troubleshooter, one question at a time "
        "(each `##` a step, its links the answers).", default="article",
        check=one_of(*PAGE_TYPES), example="type: guide", topics=False),
    Key("audience", (*_TEXT, list), "a list of text", "Who it is for (see `audiences`); "
        "others can hide it. Topics pass it to what is inside.", default=(), check=_text_list,
        example="audience: [sellers]"),
    Key("changes", _TEXT, "text", "What changed, in a sentence shown at the top (\"Return window "
        "extended to 45 days on 1 Nov\"); with `updated`, listed on What's new.", default="",
        check=_text, example="changes: Return window extended to 45 days.", topics=False),
    Key("contact", (*_TEXT, list), "a list of text", "The channels offered on this page "
        "(and, on a topic, below it), instead of the routes.", default=(), check=_text_list,
        example="contact: [seller-chat, seller-email]"),
)
# fmt: on
ARTICLE_KEYS = tuple(k.name for k in KEYS if k.articles)
TOPIC_KEYS = tuple(k.name for k in KEYS if k.topics)
_KEY = {k.name: k for k in KEYS}
_DEFAULT = {k.name: k.default for k in KEYS}


@dataclass(frozen=True)
class Meta:
    """Front matter of an article or a topic's _index.md, checked and typed."""

    title: str | None = _DEFAULT["title"]
    description: str = _DEFAULT["description"]
    order: float | None = _DEFAULT["order"]
    tags: tuple[str, ...] = _DEFAULT["tags"]
    promoted: bool = _DEFAULT["promoted"]
    updated: dt.date | None = _DEFAULT["updated"]
    aliases: tuple[str, ...] = _DEFAULT["aliases"]
    keywords: tuple[str, ...] = _DEFAULT["keywords"]
    questions: tuple[str, ...] = _DEFAULT["questions"]
    icon: str | None = _DEFAULT["icon"]
    type: str = _DEFAULT["type"]
    changes: str = _DEFAULT["changes"]
    audience: tuple[str, ...] = _DEFAULT["audience"]
    contact: tuple[str, ...] = _DEFAULT["contact"]


def parse_meta(source: SourceFile, problems: list[Problem]) -> Meta:
    """Typed Meta for `source`; mistakes are appended to `problems` (all of them, not the first)."""
    allowed, other = (TOPIC_KEYS, ARTICLE_KEYS) if source.is_index else (ARTICLE_KEYS, TOPIC_KEYS)
    page = "a topic (_index.md)" if source.is_index else "an article"
    values: dict[str, Any] = {}
    for name, value in source.meta.items():
        line = source.line_of(name)
        if name not in allowed:
            hint = did_you_mean(name, allowed) or f"allowed keys: {', '.join(allowed)}"
            if name in other:
                hint = f"'{name}' is for {'articles' if source.is_index else 'topics'}; {hint}"
            message = f"unknown front matter key '{name}' for {page}"
            problems.append(Problem(message, source.path, line, hint, code="frontmatter-unknown"))
        elif value is not None:  # `key:` with nothing after it: as if absent
            key = _KEY[name]
            try:
                values[name] = key.parse(value)
            except Invalid as exc:
                hint = exc.hint or f"e.g. {key.example}"
                message = f"'{name}' {exc.message}"
                code = getattr(exc, "code", f"frontmatter-{exc.kind}")
                problems.append(Problem(message, source.path, line, hint, code=code))
    return Meta(**values)


def reference_markdown() -> str:
    """| key | type | articles/topics | what it does |, one row per front matter key."""
    where = {(True, True): "both", (True, False): "articles", (False, True): "topics"}
    rows = [(f"`{k.name}`", k.what, where[k.articles, k.topics], k.doc) for k in KEYS]
    return markdown_table(("key", "type", "articles/topics", "what it does"), rows)
