"""Validate front matter into typed metadata; unknown keys and wrong types are located errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .errors import Problem, did_you_mean
from .load import SourceFile

ARTICLE_KEYS = (
    "title",
    "description",
    "order",
    "tags",
    "audience",
    "promoted",
    "updated",
    "aliases",
    "keywords",
    "contact",
)
TOPIC_KEYS = ("title", "description", "order", "icon", "aliases", "contact")


@dataclass(frozen=True)
class Meta:
    """Front matter of an article or a topic's _index.md, checked and typed."""

    title: str | None = None
    description: str = ""
    order: float | None = None
    tags: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    promoted: bool = False
    updated: dt.date | None = None
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    contact: str | None = None
    icon: str | None = None


def parse_meta(source: SourceFile, problems: list[Problem]) -> Meta:
    """Typed Meta for `source`; mistakes are appended to `problems` (all of them, not the first)."""
    allowed = TOPIC_KEYS if source.is_index else ARTICLE_KEYS
    values: dict[str, Any] = {}

    def bad(key: str, message: str, hint: str | None = None) -> None:
        problems.append(Problem(message, source.path, source.line_of(key), hint))

    for key, value in source.meta.items():
        if key not in allowed:
            kind = "topic (_index.md)" if source.is_index else "article"
            bad(
                key,
                f"unknown front matter key '{key}' for an {kind}"
                if kind[0] == "a"
                else f"unknown front matter key '{key}' for a {kind}",
                did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}",
            )
            continue
        if value is None:
            continue
        if key in ("title", "description", "contact", "icon"):
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                values[key] = str(value).strip()
            else:
                bad(key, f"'{key}' must be text", f"write it on one line: {key}: Some text")
        elif key == "order":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                values[key] = float(value)
            else:
                bad(key, "'order' must be a number", "e.g. order: 10 (smaller comes first)")
        elif key == "promoted":
            if isinstance(value, bool):
                values[key] = value
            else:
                bad(key, "'promoted' must be true or false")
        elif key == "updated":
            date = _as_date(value)
            if date is None:
                bad(
                    key,
                    f"'updated' is not a date: {value!r}",
                    "use YYYY-MM-DD, e.g. updated: 2026-03-01",
                )
            else:
                values[key] = date
        else:  # list-of-text keys: tags, audience, aliases, keywords
            items = [value] if isinstance(value, (str, int, float)) else value
            if not isinstance(items, list) or not all(
                isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items
            ):
                bad(key, f"'{key}' must be a list of text", f"e.g. {key}: [first, second]")
            else:
                values[key] = tuple(str(i).strip() for i in items if str(i).strip())
    if "aliases" in values:
        for alias in values["aliases"]:
            if "://" in alias or ".." in alias.split("/"):
                bad(
                    "aliases",
                    f"alias '{alias}' must be a path on this site",
                    "e.g. aliases: [/help/old-refund-page/]",
                )
    return Meta(**values)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None
