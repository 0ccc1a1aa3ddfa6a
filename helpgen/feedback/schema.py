"""The events a help center sends, version 1: one JSON object per event.

    {"v": 1, "type": "vote",    "id": "…", "locale": "en", "page": "en/orders/cancel/",
     "helpful": false, "comment": "It doesn't say what happens to my coupon"}
    {"v": 1, "type": "search",  "id": "…", "locale": "en", "page": "en/search/",
     "query": "coupon refund", "results": 0, "clicked": null}
    {"v": 1, "type": "contact", "id": "…", "locale": "en", "page": "en/orders/cancel/",
     "channel": "chat"}

- `id`: made by the browser (8-64 of A-Z a-z 0-9 _ -); an event sent twice is stored once.
- `page`: the site-root path of the page it happened on (no scheme, no host, no query).
- `vote`: `helpful`, and what the reader typed after "No" (`comment`, at most 2000 characters).
- `search` (only with `[feedback] searches = true`): the settled query (at most 200
  characters), its number of results, and the result clicked (a site-root path) or null;
  `weak: true` when the results were only the closest matches (none matched enough of it).
- `contact`: the reader followed a "Still need help?" channel (its id).

Nothing else is accepted: no cookies, no personal data beyond what the reader typed. The
collector adds `received` (UTC, ISO 8601) when it stores an event.
"""

from __future__ import annotations

import json
import re
from typing import Any

VERSION = 1
MAX_BYTES = 9216  # one event, as JSON: a 2000-character comment fits in any script
TYPES = ("vote", "search", "contact")
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
_LOCALE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_PAGE = re.compile(r"[^\s:?#\\\x00-\x1f\x7f]{0,500}")
_CHANNEL = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_FIELDS = {
    "vote": {"helpful": bool, "comment": str},
    "search": {"query": str, "results": int, "clicked": (str, type(None)), "weak": bool},
    "contact": {"channel": str},
}
_REQUIRED = {"vote": ("helpful",), "search": ("query", "results"), "contact": ("channel",)}


class SchemaError(ValueError):
    """What is wrong with an event, said so a client developer can fix it."""


def parse(body: bytes) -> list[dict[str, Any]]:
    """The events in a request body: one JSON object, or a list of at most 20."""
    if len(body) > MAX_BYTES * 20:
        raise SchemaError("the body is too large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SchemaError("the body is not JSON, or nests too deeply") from None
    items = data if isinstance(data, list) else [data]
    if not items or len(items) > 20:
        raise SchemaError("send one event, or a list of 1 to 20")
    return [validate(item) for item in items]


def validate(event: object) -> dict[str, Any]:
    """The event, checked and normalised; SchemaError if anything is wrong or unknown."""
    if not isinstance(event, dict):
        raise SchemaError("an event must be a JSON object")
    try:
        size = len(json.dumps(event, ensure_ascii=False).encode("utf-8"))
    except (UnicodeEncodeError, RecursionError, ValueError):  # a lone surrogate, deep nesting
        raise SchemaError("an event must be flat JSON text in UTF-8") from None
    if size > MAX_BYTES:
        raise SchemaError(f"an event is at most {MAX_BYTES} bytes")
    if event.get("v") != VERSION or isinstance(event.get("v"), bool):
        raise SchemaError(f"'v' must be {VERSION}")
    kind = event.get("type")
    if kind not in TYPES:
        raise SchemaError(f"'type' must be one of {', '.join(TYPES)}")
    fields = {"v": int, "type": str, "id": str, "locale": str, "page": str, **_FIELDS[kind]}
    for key, value in event.items():
        if key not in fields:
            raise SchemaError(f"unknown field '{key}' in a {kind} event")
        expected = fields[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is int):
            raise SchemaError(f"'{key}' has the wrong type")
    for key in ("id", "locale", "page", *_REQUIRED[kind]):
        if key not in event:
            raise SchemaError(f"'{key}' is missing")
    _match(_ID, event["id"], "id")
    _match(_LOCALE, event["locale"], "locale")
    _match(_PAGE, event["page"], "page")
    if kind == "vote" and len(event.get("comment", "")) > 2000:
        raise SchemaError("'comment' is at most 2000 characters")
    if kind == "search":
        if not 0 < len(event["query"].strip()) <= 200:
            raise SchemaError("'query' must have 1 to 200 characters")
        if not 0 <= event["results"] <= 100000:
            raise SchemaError("'results' is out of range")
        if event.get("clicked") is not None:
            _match(_PAGE, event["clicked"], "clicked")
    if kind == "contact":
        _match(_CHANNEL, event["channel"], "channel")
    clean = {k: _text(v) if k in ("comment", "query") else v for k, v in event.items()}
    if kind == "vote" and not clean.get("comment"):
        clean.pop("comment", None)
    return clean


def _text(value: str) -> str:
    """What the reader typed, without NULs (no store keeps them) and outer spaces."""
    return value.replace("\x00", "").strip()


def _match(pattern: re.Pattern[str], value: str, key: str) -> None:
    if not pattern.fullmatch(value):
        raise SchemaError(f"'{key}' is not valid")
