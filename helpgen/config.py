"""helpgen.toml -> a frozen Config. Every wrong key or type is a located error."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import HelpgenError, Problem, did_you_mean

CONFIG_NAME = "helpgen.toml"
_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Channel:
    """One way to reach a person (contact page, "Still need help?")."""

    name: str
    url: str
    description: str = ""
    kind: str = "link"


@dataclass(frozen=True)
class Config:
    """Site settings. `root` is the folder holding helpgen.toml and content/."""

    root: Path
    title: str = "Help Center"
    locales: tuple[str, ...] = ("en",)
    multilingual: bool = False
    language_set: bool = False  # False: guess the language from the content's script
    base_url: str | None = None
    offline: bool = False
    theme: str = "default"
    synonyms: tuple[tuple[str, ...], ...] = ()
    contact_intro: str = ""
    channels: tuple[Channel, ...] = ()
    feedback_endpoint: str | None = None
    broken_links: str = "error"  # or "warn"; a folder without helpgen.toml defaults to "warn"
    source: Path | None = field(default=None, compare=False)

    @property
    def content_dir(self) -> Path:
        """root/content/, or the root itself for a plain folder of Markdown."""
        content = self.root / "content"
        return content if content.is_dir() or self.source is not None else self.root

    @property
    def default_locale(self) -> str:
        return self.locales[0]


# key -> (expected type(s), description used in messages)
_TOP: dict[str, tuple[type | tuple[type, ...], str]] = {
    "title": (str, "a string"),
    "language": (str, 'a language code such as "en" or "fa"'),
    "locales": (list, 'a list of language codes such as ["en", "he"]'),
    "base_url": (str, 'an absolute URL such as "https://help.example.com/"'),
    "offline": (bool, "true or false"),
    "broken_links": (str, '"error" or "warn"'),
    "theme": (str, "a theme folder name"),
    "search": (dict, "a table: [search]"),
    "contact": (dict, "a table: [contact]"),
    "feedback": (dict, "a table: [feedback]"),
}
_TABLES: dict[str, dict[str, tuple[type | tuple[type, ...], str]]] = {
    "search": {"synonyms": (list, 'a list of lists of words, e.g. [["refund", "money back"]]')},
    "contact": {
        "intro": (str, "a string"),
        "channels": (list, "a list of tables: [[contact.channels]]"),
    },
    "feedback": {"endpoint": (str, "a URL that receives the answers")},
}
_CHANNEL_KEYS = {"name": str, "url": str, "description": str, "kind": str}
CHANNEL_KINDS = ("email", "chat", "phone", "form", "link")


def load_config(root: Path, path: Path | None = None) -> Config:
    """Read `path` (default: root/helpgen.toml, optional) into a Config."""
    path = path or root / CONFIG_NAME
    if not path.exists():
        if path.name != CONFIG_NAME or path.parent != root:
            raise HelpgenError.at(
                "configuration file not found", path, hint="check the --config path"
            )
        return Config(root=root, broken_links="warn")
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise HelpgenError.at(
            f"invalid TOML: {exc}",
            path,
            line,
            hint="strings need quotes; lists use [ ]; tables use [name]",
        ) from None
    return parse_config(data, text, root=path.parent, source=path)


def parse_config(data: dict[str, Any], text: str, root: Path, source: Path) -> Config:
    problems: list[Problem] = []

    def bad(msg: str, *keys: str, hint: str | None = None) -> None:
        problems.append(Problem(msg, source, _key_line(text, keys), hint))

    def check(table: dict, schema: dict, prefix: tuple[str, ...]) -> None:
        for key, value in table.items():
            keys = (*prefix, key)
            if key not in schema:
                bad(
                    f"unknown setting '{'.'.join(keys)}'",
                    *keys,
                    hint=did_you_mean(key, schema) or f"known settings: {', '.join(schema)}",
                )
                continue
            typ, what = schema[key]
            if not isinstance(value, typ):
                bad(f"'{'.'.join(keys)}' must be {what}", *keys)

    check(data, _TOP, ())
    for name, schema in _TABLES.items():
        if isinstance(data.get(name), dict):
            check(data[name], schema, (name,))
    if "language" in data and "locales" in data:
        bad("set either 'language' (one language) or 'locales' (several), not both", "locales")

    locales: tuple[str, ...] = ("en",)
    if isinstance(data.get("language"), str):
        locales = (data["language"],)
    if isinstance(data.get("locales"), list):
        locales = tuple(str(x) for x in data["locales"])
        if not locales:
            bad("'locales' is empty", "locales", hint="list at least one language code")
        if len(set(locales)) != len(locales):
            bad("'locales' lists a language twice", "locales")
    for code in locales:
        if not _LOCALE_RE.match(code):
            bad(
                f"'{code}' is not a language code",
                "locales" if "locales" in data else "language",
                hint='use a BCP 47 code such as "en", "he", "zh-CN"',
            )

    base_url = data.get("base_url")
    if isinstance(base_url, str):
        if not re.match(r"^https?://[^/\s]+", base_url):
            bad(
                "'base_url' must start with http:// or https://",
                "base_url",
                hint='e.g. base_url = "https://help.example.com/"',
            )
        base_url = base_url.rstrip("/") + "/"

    synonyms: list[tuple[str, ...]] = []
    for group in (
        data.get("search", {}).get("synonyms", []) if isinstance(data.get("search"), dict) else []
    ):
        if not (
            isinstance(group, list) and len(group) >= 2 and all(isinstance(w, str) for w in group)
        ):
            bad("each synonym group must be a list of two or more strings", "search", "synonyms")
            break
        synonyms.append(tuple(group))

    contact = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    channels: list[Channel] = []
    raw_channels = contact.get("channels", [])
    for i, ch in enumerate(raw_channels if isinstance(raw_channels, list) else []):
        if not isinstance(ch, dict):
            bad(f"contact channel #{i + 1} must be a table with name and url", "channels")
            continue
        for key, value in ch.items():
            if key not in _CHANNEL_KEYS:
                bad(
                    f"unknown contact channel setting '{key}'",
                    key,
                    hint=did_you_mean(key, _CHANNEL_KEYS) or f"known: {', '.join(_CHANNEL_KEYS)}",
                )
            elif not isinstance(value, str):
                bad(f"contact channel '{key}' must be a string", key)
        if "name" not in ch or "url" not in ch:
            bad(f"contact channel #{i + 1} needs both 'name' and 'url'", "channels")
            continue
        kind = ch.get("kind", "link")
        if kind not in CHANNEL_KINDS:
            bad(
                f"unknown contact channel kind '{kind}'",
                "kind",
                hint=f"use one of: {', '.join(CHANNEL_KINDS)}",
            )
        channels.append(
            Channel(str(ch["name"]), str(ch["url"]), str(ch.get("description", "")), str(kind))
        )

    if data.get("broken_links", "error") not in ("error", "warn"):
        bad('\'broken_links\' must be "error" or "warn"', "broken_links")
    if problems:
        raise HelpgenError(problems)
    feedback = data.get("feedback") if isinstance(data.get("feedback"), dict) else {}
    return Config(
        root=root,
        title=data.get("title", "Help Center"),
        locales=locales,
        multilingual="locales" in data,
        language_set="locales" in data or "language" in data,
        base_url=base_url,
        offline=data.get("offline", False),
        theme=data.get("theme", "default"),
        synonyms=tuple(synonyms),
        contact_intro=contact.get("intro", ""),
        channels=tuple(channels),
        feedback_endpoint=feedback.get("endpoint"),
        broken_links=data.get("broken_links", "error"),
        source=source,
    )


def _key_line(text: str, keys: tuple[str, ...]) -> int | None:
    """Best-effort line of `keys[-1]`, preferring one inside the table `keys[0]`."""
    if not keys:
        return None
    key = keys[-1]
    table = keys[0] if len(keys) > 1 else ""
    current = ""
    fallback = None
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            current = header.group(1).split(".")[0]
            if not table and current == key:
                return number
            continue
        if pattern.match(line):
            if current == table:
                return number
            fallback = fallback or number
    return fallback


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
