"""helpgen.toml -> a frozen Config.

Every setting is declared once, as an `Option` in OPTIONS: name, type, default, doc and check.
Parsing, located errors with "did you mean" hints and the README's reference table all come from
those declarations. frontmatter.py declares its keys the same way.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import HelpgenError, Problem, did_you_mean
from .hours import HoursError, parse_hours

CONFIG_NAME = "helpgen.toml"
CHANNEL_TYPES = ("email", "phone", "chat", "form", "community", "messaging", "link")
RENAMED = {  # settings of earlier versions, and what they are now
    "contact.channels.name": "now called 'label'",
    "contact.channels.kind": "now called 'type'",
}


class Invalid(ValueError):
    """Raised by a check. `message` follows the key's name: "'title' must be a string"."""

    def __init__(self, message: str, hint: str | None = None, kind: str = "value"):
        super().__init__(message)
        self.message, self.hint, self.kind = message, hint, kind  # kind: "type" or "value"


ANY_LOCALE = "*"  # a text written without a locale


@dataclass(frozen=True)
class Text:
    """A text written once, or once per locale; a missing locale falls back to the default."""

    by_locale: tuple[tuple[str, str], ...]

    def get(self, locale: str, default: str) -> str:
        texts = dict(self.by_locale)
        for key in (locale, locale.split("-")[0], default, ANY_LOCALE):
            if key in texts:
                return texts[key]
        return self.by_locale[0][1]

    @property
    def locales(self) -> set[str]:
        return {code for code, _ in self.by_locale if code != ANY_LOCALE}


@dataclass(frozen=True)
class Option:
    """One setting (or front matter key): everything about it, in one place."""

    name: str  # dotted inside a table: "contact.intro" is `intro` under [contact]
    type: type | tuple[type, ...]  # what the value must be an instance of (bool is never a number)
    what: str  # the type for people: "'title' must be <what>"
    doc: str  # one line for the reference table
    default: Any = None  # the value used when the key is absent
    check: Callable[[Any], Any] | None = None  # value as written -> value used; raises Invalid
    example: str = ""  # the hint for a wrong value
    items: tuple[Option, ...] = ()  # a list of tables ([[name]]), each with these keys
    required: bool = False  # only for the keys of a list of tables

    def parse(self, value: Any) -> Any:
        """The value to use, or Invalid (kind "type" when it is not `what` at all)."""
        if not isinstance(value, self.type) or (isinstance(value, bool) and self.type is not bool):
            raise Invalid(f"must be {self.what}", kind="type")
        return self.check(value) if self.check else value


# --- checks: the value as written -> the value used -------------------------------------------

_LOCALE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_LOCALE_HINT = 'use a BCP 47 code such as "en", "he", "zh-CN"'


def _language(value: str) -> str:
    if not _LOCALE_RE.match(value):
        raise Invalid(f"must be a language code, not {_toml(value)}", _LOCALE_HINT)
    return value


def _locales(value: list) -> tuple[str, ...]:
    if not value:
        raise Invalid("is empty", "list at least one language code")
    for code in value:
        if not isinstance(code, str) or not _LOCALE_RE.match(code):
            raise Invalid(f"must be language codes, not {_toml(code)}", _LOCALE_HINT)
        if value.count(code) > 1:
            raise Invalid(f"lists {_toml(code)} twice")
    return tuple(value)


_HTTP_URL = re.compile(r"^https?://[^/\s]+")


def _base_url(value: str) -> str:
    if not _HTTP_URL.match(value):
        raise Invalid("must start with http:// or https://")
    return value.rstrip("/") + "/"


def _endpoint(value: str) -> str:
    if not _HTTP_URL.match(value):
        raise Invalid(
            "must be an http:// or https:// URL", 'e.g. "https://feedback.example.com/events"'
        )
    return value


def _image_url(value: str) -> str:
    if not _HTTP_URL.match(value) or any(c.isspace() for c in value):
        raise Invalid("must be an http:// or https:// URL", 'e.g. "https://example.com/card.png"')
    return value


def _date(value: object) -> str:
    """A TOML date or "YYYY-MM-DD" -> ISO text."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise Invalid(f"is not a date: {_toml(value)}", "e.g. 2026-11-01") from None


def _synonyms(value: list) -> tuple[tuple[str, ...], ...]:
    for group in value:
        if not (
            isinstance(group, list) and len(group) >= 2 and all(isinstance(w, str) for w in group)
        ):
            raise Invalid("must be a list of groups of two or more words", kind="type")
    return tuple(tuple(group) for group in value)


def _identifier(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
        raise Invalid(
            f"must be lower-case letters, digits, - and _, not {_toml(value)}",
            'e.g. "seller-chat"',
        )
    return value


def _strings(value: list) -> tuple[str, ...]:
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise Invalid("must be a list of strings", kind="type")
    return tuple(v.strip() for v in value)


def _localized(value: str | dict) -> Text:
    """A text, or a table of texts by locale: { en = "…", he = "…" }."""
    if isinstance(value, str):
        return Text(((ANY_LOCALE, value),))
    bad = [k for k, v in value.items() if not isinstance(v, str) or not _LOCALE_RE.match(k)]
    if bad or not value:
        raise Invalid(
            "must be a string or a table of strings by language code",
            'e.g. { en = "Chat with us", he = "צ\'אט" }',
            kind="type",
        )
    return Text(tuple(value.items()))


def _params(value: dict) -> tuple[tuple[str, str], ...]:
    known = ("topic", "article", "question")
    for key, name in value.items():
        if key not in known:
            hint = did_you_mean(key, known) or f"known: {', '.join(known)}"
            raise Invalid(f"has no '{key}'", hint)
        if not isinstance(name, str) or not name:
            raise Invalid(f"'{key}' must be a parameter name", kind="type")
    return tuple(value.items())


def _positive(value: int | float) -> int | float:
    if not value > 0:  # nan too
        raise Invalid(f"must be more than 0, not {_toml(value)}")
    return value


def one_of(*choices: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in choices:
            raise Invalid(f"must be {either(choices)}, not {_toml(value)}")
        return value

    return check


def either(choices: Iterable[str]) -> str:
    *rest, last = (_toml(c) for c in choices)
    return f"{', '.join(rest)} or {last}" if rest else last


def _toml(value: Any) -> str:
    """`value` as it is written in helpgen.toml."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


# fmt: off
_TEXT = (str, dict)
_TEXT_WHAT = "a string, or a table of strings by locale"
CHANNEL_OPTIONS = (
    Option("id", str, "a string", "How routes and front matter `contact:` name it.",
           required=True, check=_identifier, example='id = "chat"'),
    Option("type", str, either(CHANNEL_TYPES), "What it is: picks the icon and the words.",
           default="link", check=one_of(*CHANNEL_TYPES)),
    Option("url", str, "a string", "An https: link, or for email and phone just the address or "
           "number (mailto:/tel: added).", required=True),
    Option("label", _TEXT, _TEXT_WHAT, "Its name, e.g. { en = \"Chat with us\", he = \"…\" }; "
           "a missing locale falls back to the default one.", required=True, check=_localized),
    Option("description", _TEXT, _TEXT_WHAT, "A line under the name.", default=None,
           check=_localized),
    Option("promise", _TEXT, _TEXT_WHAT, "What a customer can hold you to, e.g. \"We answer "
           "within one business day\".", default=None, check=_localized),
    Option("hours", (str, list), "a string or a list of strings", "When someone is there: "
           "\"24/7\", \"Mon-Fri 09:00-18:00\", \"Sat 10:00-14:00\", overnight \"Fri 22:00-02:00\"; "
           "none: not shown.", default=None, example='hours = ["Mon-Fri 09:00-18:00"]'),
    Option("timezone", str, "an IANA time zone", "The zone of `hours`, e.g. \"Europe/Lisbon\".",
           default=None, example='timezone = "Europe/Lisbon"'),
    Option("closed", list, "a list of dates", "Days it is closed: 2026-12-25, or \"12-25\" every "
           "year.", default=(), example='closed = ["12-25", "01-01"]'),
    Option("params", dict, "a table of strings", "For forms: the URL parameters that carry the "
           "context, e.g. { topic = \"topic\", article = \"article\", question = \"q\" }.",
           default=None, check=_params, example='params = { topic = "category" }'),
)

ROUTE_OPTIONS = (
    Option("channels", list, "a list of channel ids", "The channels offered, in this order.",
           required=True, check=_strings, example='channels = ["seller-chat", "email"]'),
    Option("topics", list, "a list of topic paths", "Topic path globs: \"selling/**\" is the "
           "topic and all below it, \"orders/*\" its sub-topics.", default=(), check=_strings),
    Option("audience", list, "a list of audience ids", "Readers who chose one of these.",
           default=(), check=_strings),
    Option("locales", list, "a list of language codes", "Pages in one of these languages.",
           default=(), check=_strings),
    Option("tags", list, "a list of tags", "Articles with one of these tags.", default=(),
           check=_strings),
)

NOTICE_OPTIONS = (
    Option("id", str, "a string", "Remembered when a reader dismisses it.", required=True,
           check=_identifier, example='id = "returns-45-days"'),
    Option("text", _TEXT, _TEXT_WHAT, "The message, per locale; a locale without it shows none.",
           required=True, check=_localized),
    Option("link", str, "a string", "Where \"Read more\" goes: an article's path in content/ "
           "(returns/return-policy.md) or a URL.", default=None),
    Option("start", (str, _dt.date), "a date", "First day it shows.", default=None, check=_date),
    Option("end", (str, _dt.date), "a date", "Last day it shows.", default=None, check=_date),
    Option("topics", list, "a list of topic paths", "Topic path globs where it shows; none: "
           "every page.", default=(), check=_strings),
)

AUDIENCE_OPTIONS = (
    Option("id", str, "a string", "How front matter `audience:` and routes name it.",
           required=True, check=_identifier, example='id = "sellers"'),
    Option("label", _TEXT, _TEXT_WHAT, "Its name in the audience switcher.", required=True,
           check=_localized),
)

OPTIONS = (
    Option("title", str, "a string", "The site's name, in the header and page titles.",
           default="Help Center", example='title = "Acme Help Center"'),
    Option("language", str, "a language code", "The site's one language.",
           default="en", check=_language, example='language = "en"'),
    Option("locales", list, "a list of language codes", "Several languages, one "
           "`content/<code>/` folder each; the first is the default. Instead of `language`.",
           check=_locales, example='locales = ["en", "he"]'),
    Option("base_url", str, "a URL", "The public address; turns on sitemap.xml, canonical links "
           "and hreflang.", check=_base_url, example='base_url = "https://help.example.com/"'),
    Option("og_image", str, "a URL", "The picture link previews show (Open Graph og:image, "
           "1200×630 is usual): an absolute address.", check=_image_url,
           example='og_image = "https://help.example.com/card.png"'),
    Option("offline", bool, "true or false",
           "Links end in index.html, so the site works opened from disk.", default=False),
    Option("precompress", bool, "true or false",
           "A .gz and a .br copy beside each text file, for hosts that serve them as they are "
           "(nginx gzip_static/brotli_static, a CDN).", default=False),
    Option("broken_links", str, either(("error", "warn")),
           "Whether a link to a missing page or anchor stops the build.",
           default="error", check=one_of("error", "warn")),
    Option("theme", str, "a string",
           "`themes/<name>/` next to helpgen.toml, over the built-in theme.", default="default"),
    Option("symlinks_outside", str, either(("error", "skip")), "A symbolic link in content/ "
           "that leads outside it (/etc/passwd, a folder above): \"error\" stops the build, "
           "\"skip\" leaves the file out with a warning. Links inside content/ always work.",
           default="error", check=one_of("error", "skip"), example='symlinks_outside = "skip"'),
    Option("raw_html", str, either(("allow", "sanitize")), "HTML written in articles, and "
           "attributes added with {: …}: \"allow\" keeps them as written, for trusted writers "
           "only (a script in an article runs on the site); \"sanitize\" removes scripts, "
           "styles, frames, forms, event handlers (on…) and javascript:/data: links, keeps what "
           "Markdown and helpgen's video embeds make, and warns at each removal.",
           default="allow", check=one_of("allow", "sanitize"), example='raw_html = "sanitize"'),
    Option("max_article_kb", int, "a whole number of kilobytes", "A Markdown file larger than "
           "this is an error, not read.", default=2048, check=_positive,
           example="max_article_kb = 4096"),
    Option("max_article_seconds", (int, float), "a number of seconds", "Longest time one "
           "article's Markdown may take to render (POSIX: enforced in every worker process "
           "with a timer signal); longer is an error.", default=10, check=_positive,
           example="max_article_seconds = 30"),
    Option("audiences", list, "a list of [[audiences]] tables", "Groups of readers (buyers, "
           "sellers): pages, search results and contact routes can be for some of them. "
           "Presentation only, not access control.", default=(), items=AUDIENCE_OPTIONS,
           example="[[audiences]] with id and label"),
    Option("search.synonyms", list, "a list of word lists",
           "Words the search treats as one, e.g. refund and money back (words of a "
           "phrase match side by side; a synonym weighs less than the word typed).",
           default=(), check=_synonyms, example='synonyms = [["refund", "money back"]]'),
    Option("contact.intro", _TEXT, _TEXT_WHAT, "The first paragraph of the contact page.",
           default=None, check=_localized),
    Option("contact.default", list, "a list of channel ids", "The channels offered where no "
           "route matches (default: every channel).", default=(), check=_strings),
    Option("contact.channels", list, "a list of [[contact.channels]] tables",
           "Ways to reach a person.", default=(), items=CHANNEL_OPTIONS,
           example="[[contact.channels]] with id, url and label"),
    Option("contact.routes", list, "a list of [[contact.routes]] tables", "Which channels a page "
           "offers; the first route that matches wins.", default=(), items=ROUTE_OPTIONS,
           example="[[contact.routes]] with topics and channels"),
    Option("feedback.endpoint", str, "a URL", "Where \"Was this helpful?\" votes (and, with "
           "`searches`, searches) are sent, e.g. `helpgen collect`; none: nowhere.",
           default=None, check=_endpoint, example='endpoint = "https://feedback.example.com/events"'),
    Option("feedback.searches", bool, "true or false", "Also send each settled search: the query, "
           "its result count and whether a result was clicked.", default=False),
    Option("notices", list, "a list of [[notices]] tables", "Banners that tell customers what "
           "changed, on every page or on some topics, between two dates.", default=(),
           items=NOTICE_OPTIONS, example="[[notices]] with id and text"),
)
# fmt: on


# --- the result -------------------------------------------------------------------------------

_DEFAULT = {o.name: o.default for o in OPTIONS}


@dataclass(frozen=True)
class Channel:
    """One way to reach a person. `hours` is the spec as written (checked by hours.py)."""

    id: str
    url: str
    label: Text
    type: str = "link"
    description: Text | None = None
    promise: Text | None = None
    hours: str | tuple[str, ...] | None = None
    timezone: str | None = None
    closed: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] | None = None
    address: str = ""  # an email address or phone number as written, to show


@dataclass(frozen=True)
class Route:
    """Pages that match every condition given (any value of each) offer `channels`."""

    channels: tuple[str, ...]
    topics: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    locales: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A banner telling customers what changed (dates are ISO "YYYY-MM-DD", inclusive)."""

    id: str
    text: Text
    link: str | None = None
    start: str | None = None
    end: str | None = None
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class Audience:
    id: str
    label: Text


@dataclass(frozen=True)
class Config:
    """Site settings. `root` is the folder holding helpgen.toml and content/."""

    root: Path
    title: str = _DEFAULT["title"]
    locales: tuple[str, ...] = (_DEFAULT["language"],)
    multilingual: bool = False
    language_set: bool = False  # False: guess the language from the content's script
    base_url: str | None = _DEFAULT["base_url"]
    og_image: str | None = _DEFAULT["og_image"]
    offline: bool = _DEFAULT["offline"]
    precompress: bool = _DEFAULT["precompress"]
    theme: str = _DEFAULT["theme"]
    synonyms: tuple[tuple[str, ...], ...] = _DEFAULT["search.synonyms"]
    audiences: tuple[Audience, ...] = _DEFAULT["audiences"]
    contact_intro: Text | None = _DEFAULT["contact.intro"]
    contact_default: tuple[str, ...] = _DEFAULT["contact.default"]
    channels: tuple[Channel, ...] = _DEFAULT["contact.channels"]
    routes: tuple[Route, ...] = _DEFAULT["contact.routes"]
    broken_links: str = _DEFAULT["broken_links"]  # a folder without helpgen.toml gets "warn"
    feedback_endpoint: str | None = _DEFAULT["feedback.endpoint"]
    feedback_searches: bool = _DEFAULT["feedback.searches"]
    notices: tuple[Notice, ...] = _DEFAULT["notices"]
    symlinks_outside: str = _DEFAULT["symlinks_outside"]
    raw_html: str = _DEFAULT["raw_html"]  # "allow" or "sanitize" (see sanitize.py)
    max_article_kb: int = _DEFAULT["max_article_kb"]
    max_article_seconds: float = _DEFAULT["max_article_seconds"]
    audience: str | None = None  # `build --audience ID`: a site for that audience alone
    shard: str | None = None  # `build --locale CODE`: that locale's files and the shared ones
    source: Path | None = field(default=None, compare=False)

    @property
    def content_dir(self) -> Path:
        """root/content/, or the root itself for a plain folder of Markdown."""
        content = self.root / "content"
        return content if content.is_dir() or self.source is not None else self.root

    @property
    def default_locale(self) -> str:
        return self.locales[0]


def load_config(root: Path, path: Path | None = None) -> Config:
    """Read `path` (default: root/helpgen.toml, optional) into a Config."""
    path = path or root / CONFIG_NAME
    if not path.exists():
        if path.name != CONFIG_NAME or path.parent != root:
            raise HelpgenError(
                Problem(
                    "configuration file not found",
                    path,
                    hint="check the --config path",
                    code="config-missing",
                )
            )
        return Config(root=root, broken_links="warn")
    return parse_config(read_text(path), path)


def read_text(path: Path) -> str:
    """A UTF-8 file's text; anything else is a located error."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise HelpgenError(
            Problem(
                "file is not valid UTF-8",
                path,
                raw[: exc.start].count(b"\n") + 1,
                "save the file as UTF-8 in your editor",
                code="encoding",
            )
        ) from None


def parse_config(text: str, source: Path) -> Config:
    """The Config that the TOML `text` of the file `source` describes; all mistakes at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise HelpgenError(
            Problem(
                f"invalid TOML: {exc}",
                source,
                int(line.group(1)) if line else None,
                "strings need quotes; lists use [ ]; tables use [name]",
                code="config-toml",
            )
        ) from None
    problems: list[Problem] = []

    def bad(message: str, at: tuple[str | int, ...], hint: str | None, code: str) -> None:
        problems.append(Problem(message, source, _key_line(text, at), hint, code=f"config-{code}"))

    def check(table: dict, options: tuple[Option, ...], at: tuple = (), prefix: tuple = ()) -> dict:
        """{option name: value} for what `table` sets. `at` locates the options' root: () for
        the file, ("contact", "channels", 0) for the first [[contact.channels]]."""
        names = {o.name: o for o in options}
        values: dict[str, Any] = {}
        for key, value in table.items():
            name = ".".join((*prefix, key))
            shown = ".".join(k for k in (*at, *prefix, key) if isinstance(k, str))
            where = (*at, *prefix, key)
            option = names.get(name)
            if option is None and any(n.startswith(f"{name}.") for n in names):
                if isinstance(value, dict):
                    values.update(check(value, options, at, (*prefix, key)))
                else:
                    bad(f"'{shown}' must be a table: [{shown}]", where, None, "type")
            elif option is None:
                depth = len(prefix)  # the keys that may be written here:
                here = sorted(
                    {n.split(".")[depth] for n in names if n.split(".")[:depth] == [*prefix]}
                )
                hint = (
                    RENAMED.get(name)
                    or did_you_mean(key, here)
                    or f"known settings: {', '.join(here)}"
                )
                bad(f"unknown setting '{shown}'", where, hint, "unknown")
            else:
                try:
                    values[name] = option.parse(value)
                except Invalid as exc:
                    hint = exc.hint or (f"e.g. {option.example}" if option.example else None)
                    bad(f"'{shown}' {exc.message}", where, hint, exc.kind)
                    continue
                if option.items:  # a list of tables: check each, fill in its defaults
                    defaults = {o.name: o.default for o in option.items}
                    entries = []
                    for i, entry in enumerate(value):
                        if isinstance(entry, dict):
                            entries.append({**defaults, **check(entry, option.items, (*where, i))})
                        else:
                            bad(f"'{shown}' #{i + 1} must be a table", where, None, "type")
                    values[name] = tuple(entries)
        for option in options:
            if option.required and option.name not in table:
                entry = f"[[{'.'.join(k for k in at if isinstance(k, str))}]] #{at[-1] + 1}"
                bad(f"{entry} needs '{option.name}'", at, f"add {option.name} = ...", "value")
        return values

    values = check(data, OPTIONS)
    if "language" in data and "locales" in data:
        message = "set either 'language' (one language) or 'locales' (several), not both"
        bad(message, ("locales",), None, "value")
    if problems:
        raise HelpgenError(problems)
    get = {**_DEFAULT, **values}.get
    locales = values.get("locales") or (get("language"),)
    config = Config(
        root=source.parent,
        title=get("title"),
        locales=locales,
        multilingual="locales" in values,
        language_set="locales" in values or "language" in values,
        base_url=get("base_url"),
        og_image=get("og_image"),
        offline=get("offline"),
        precompress=get("precompress"),
        theme=get("theme"),
        synonyms=get("search.synonyms"),
        audiences=tuple(Audience(**entry) for entry in get("audiences")),
        contact_intro=get("contact.intro"),
        contact_default=get("contact.default"),
        channels=tuple(_channel(entry) for entry in get("contact.channels")),
        routes=tuple(Route(**entry) for entry in get("contact.routes")),
        feedback_endpoint=get("feedback.endpoint"),
        feedback_searches=get("feedback.searches"),
        notices=tuple(Notice(**entry) for entry in get("notices")),
        broken_links=get("broken_links"),
        symlinks_outside=get("symlinks_outside"),
        raw_html=get("raw_html"),
        max_article_kb=get("max_article_kb"),
        max_article_seconds=get("max_article_seconds"),
        source=source,
    )
    for message, at, hint in _cross_check(config):
        bad(message, at, hint, "value")
    if problems:
        raise HelpgenError(problems)
    return config


def _hours_key(message: str) -> str:
    """Which of hours, timezone and closed an hours.py message is about."""
    lower = message.lower()
    if "time zone" in lower or "timezone" in lower:
        return "timezone"
    return "closed" if lower.startswith("closed") or "closed" in lower.split(":")[0] else "hours"


def _channel(entry: dict[str, Any]) -> Channel:
    """A channel, its address made a link: mailto: for email, tel: for phone."""
    url, kind = entry["url"].strip(), entry["type"]
    address = ""
    if kind in ("email", "phone") and ":" not in url:
        address = url
        url = "mailto:" + url if kind == "email" else "tel:" + re.sub(r"[\s().]", "", url)
    hours = entry.get("hours")
    closed = tuple(str(day) for day in entry.get("closed") or ())
    return Channel(**{**entry, "url": url, "closed": closed, "address": address,
                      "hours": tuple(hours) if isinstance(hours, list) else hours})  # fmt: skip


def _cross_check(config: Config) -> Iterable[tuple[str, tuple[str | int, ...], str | None]]:
    """What one setting says about another: ids that exist, languages the site has, hours."""
    ids = [c.id for c in config.channels]
    for i, channel in enumerate(config.channels):
        at = ("contact", "channels", i)
        if ids.index(channel.id) != i:
            yield f"two channels have the id {_toml(channel.id)}", (*at, "id"), "ids must differ"
        if channel.url.startswith("//"):
            yield (
                "'contact.channels.url' must be a full URL (https://…), an address, or a path on "
                "this site",
                (*at, "url"),
                'e.g. url = "https://acme.example/chat"',
            )
        if channel.hours is not None:
            try:
                parse_hours(channel.hours, channel.timezone, list(channel.closed))
            except HoursError as exc:
                key = _hours_key(exc.message)
                if key == "timezone" and not channel.timezone:
                    key = "hours"  # missing: said where the hours are
                message = exc.message.removeprefix(f"{key} ")
                yield f"'contact.channels.{key}' {message}", (*at, key), exc.hint
        elif channel.timezone or channel.closed:
            key = "timezone" if channel.timezone else "closed"
            yield (
                f"'contact.channels.{key}' is set but 'hours' is not",
                (*at, key),
                'add the opening hours, e.g. hours = "Mon-Fri 09:00-18:00"',
            )
    audiences = [a.id for a in config.audiences]
    for i, audience in enumerate(config.audiences):
        if audiences.index(audience.id) != i:
            yield f"two audiences have the id {_toml(audience.id)}", ("audiences", i, "id"), None
    for i, rule in enumerate(config.routes):
        if not rule.channels:
            at = ("contact", "routes", i, "channels")
            yield "a route must list at least one channel", at, None
    named: list[tuple[tuple[str, ...], tuple[str | int, ...], list[str], str]] = [
        (config.contact_default, ("contact", "default"), ids, "channel"),
    ]
    for i, route in enumerate(config.routes):
        at = ("contact", "routes", i)
        named += [
            (route.channels, (*at, "channels"), ids, "channel"),
            (route.audience, (*at, "audience"), audiences, "audience"),
            (route.locales, (*at, "locales"), list(config.locales), "language"),
        ]
    for values, at, known, what in named:
        known = list(dict.fromkeys(known))
        for value in values:
            if value not in known:
                hint = did_you_mean(value, known) or f"known: {', '.join(known) or 'none'}"
                message = (
                    f"{_toml(value)} is not one of the site's languages"
                    if what == "language"
                    else f"no {what} has the id {_toml(value)}"
                )
                yield message, at, hint
    texts: list[tuple[Text | None, tuple[str | int, ...]]] = [
        (config.contact_intro, ("contact", "intro"))
    ]
    texts += [(c.label, ("contact", "channels", i, "label")) for i, c in enumerate(config.channels)]
    texts += [(c.description, ("contact", "channels", i, "description"))
              for i, c in enumerate(config.channels)]  # fmt: skip
    texts += [(c.promise, ("contact", "channels", i, "promise"))
              for i, c in enumerate(config.channels)]  # fmt: skip
    texts += [(a.label, ("audiences", i, "label")) for i, a in enumerate(config.audiences)]
    texts += [(n.text, ("notices", i, "text")) for i, n in enumerate(config.notices)]
    notice_ids = [n.id for n in config.notices]
    for i, notice in enumerate(config.notices):
        if notice.start and notice.end and notice.end < notice.start:
            yield "'notices.end' is before its start", ("notices", i, "end"), None
        if notice_ids.index(notice.id) != i:
            yield f"two notices have the id {_toml(notice.id)}", ("notices", i, "id"), None
        if not any(text.strip() for _, text in notice.text.by_locale):
            yield "'notices.text' is empty", ("notices", i, "text"), "write what changed"
    for text, at in texts:
        name = ".".join(k for k in at if isinstance(k, str))
        languages = {code.split("-")[0] for code in config.locales} | set(config.locales)
        for code in sorted(c for c in text.locales if c not in languages) if text else ():
            yield (
                f"'{name}' has a text for {_toml(code)}, which is not one of the site's languages",
                at,
                f"languages here: {', '.join(config.locales)}",
            )


def config_line(config: Config, keys: tuple[str | int, ...]) -> int | None:
    """The line of helpgen.toml that sets `keys` (for problems found after parsing)."""
    try:
        text = read_text(config.source) if config.source and config.source.is_file() else ""
    except HelpgenError:  # not readable now: the problem is reported without its line
        return None
    return _key_line(text, keys) if text else None


# --- where a key is written -------------------------------------------------------------------

_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]")
_ASSIGN = re.compile(rf"^\s*({_DOTTED})\s*=")


def _key_line(text: str, keys: tuple[str | int, ...]) -> int | None:
    """The line that sets `keys`, or else the closest one (its table's header, say).

    ("contact", "channels", 1, "kind") is `kind` in the second [[contact.channels]].
    Best effort: a line inside a multi-line string may be mistaken for a key.
    """
    table: tuple[str | int, ...] = ()
    arrays: dict[tuple[str | int, ...], int] = {}
    best, best_depth = None, 0
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            table = _parts(header.group(2))
            if header.group(1) == "[[":
                arrays[table] = arrays.get(table, -1) + 1
                table = (*table, arrays[table])
            path = table
        elif assign := _ASSIGN.match(line):
            path = (*table, *_parts(assign.group(1)))
        else:
            continue
        depth = 0
        while depth < min(len(path), len(keys)) and path[depth] == keys[depth]:
            depth += 1
        if depth > best_depth:
            best, best_depth = number, depth
    return best


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in re.findall(_KEY, dotted))


# --- the reference for README.md --------------------------------------------------------------


def reference_markdown() -> str:
    """| setting | type | default | what it does |, one row per option of helpgen.toml."""
    rows = []
    for option in OPTIONS:
        rows.append(_row(option.name, option))
        rows.extend(_row(f"{option.name}.{item.name}", item) for item in option.items)
    return markdown_table(("setting", "type", "default", "what it does"), rows)


def _row(name: str, option: Option) -> tuple[str, ...]:
    if option.required:
        default = "required"
    elif option.default is None:
        default = "none"
    else:
        default = f"`{_toml(option.default)}`"
    return (f"`{name}`", option.what, default, option.doc)


def markdown_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    lines = [tuple(header)]
    lines.append(tuple("---" for _ in lines[0]))
    lines.extend(tuple(row) for row in rows)
    return "".join("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |\n" for row in lines)
