"""The content-gap report a support lead reads on Monday: where readers did not find an answer.

Input: feedback events (`schema` v1, plus `received`, the UTC ISO 8601 time the collector
added), from the collector's JSONL files or its store. Four sections:

- **Least helpful articles**: per page with at least one "no" vote, its yes and no votes, the
  helpfulness rate (yes / all votes) and its comments, newest first. Ordered by most "no" votes,
  then lowest rate, then page: the rate only breaks ties between pages with as many "no" votes,
  so a page with one vote (rate 0%) can never top a page with more "no" votes.
- **Searches that failed**, per locale: searches with no results, searches shown only the
  closest matches (`weak`: none matched enough of the query) and not clicked, and searches with
  results but no click, grouped by wording. Two queries are one group when the search pipeline
  gives them the same *set* of terms (`search.text`: NFKC, case folding, Arabic-script folding,
  ZWNJ out, stemming, stop words dropped, order ignored), so "Refund status", "refunds  status?"
  and "status of my refund" are one group. In CJK runs, a few function words (的 了 吗 呢 吧 啊
  么 我 你 您 是 の, 怎么, 如何, 什么, 为什么, 哪里, 请问, 我们, 你们) are dropped before the
  character pairs are made, so 退款状态 and 退款的状态 group, as English stop words do. A query
  of stop words only ("how to") is its own group. Each group: its count, its most frequent
  wording (spellings that `normalize` makes equal are one wording, shown as typed most often;
  ties: the alphabetically first), and the other wordings. Groups by count, then wording;
  locales by failed searches, then code.
- **Topics that led to contacting support**: `contact` events per topic (the page's path
  without its last segment: `en/orders/cancel-an-order/` -> `en/orders/`), with the share of
  all events on that topic's pages that were contacts, and the channels. Ordered by contacts,
  then share, then topic.
- **Weekly trend**: per ISO week (UTC) of `received`, helpful and not-helpful votes,
  zero-result searches and contacts; weeks without events between the first and the last are
  shown as zeros.

An event sent twice (the same `id`, e.g. two overlapping exports) is counted once. A JSONL line
that is not an event is skipped with a located warning (`file:line: …`); a file in which no line
is an event is an error (it is not an event file). `--since` (a UTC day, inclusive) and
`--locale` (any case) filter the events before anything is counted. The terminal shows the
first `TEXT_ROWS` rows of each table, the HTML page `HTML_ROWS`.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import click

from ..errors import HelpgenError, Problem
from ..search.text import heads, normalize, terms, words
from . import schema
from .store import redact

Warn = Callable[[Problem], None]

TEXT_ROWS = 20  # rows per table in the terminal
HTML_ROWS = 200  # rows per table in the HTML page
TEXT_COMMENTS = 5  # comments per page in the terminal
TEXT_VARIANTS = 3  # other wordings per query group in the terminal
BAD_LINES_SHOWN = 10  # warnings per file; the rest are counted

# ---------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class Event:
    """One checked event: schema v1 fields plus `received` as an aware UTC datetime."""

    type: str
    id: str
    locale: str
    page: str
    received: datetime
    helpful: bool = False
    comment: str = ""
    query: str = ""
    results: int = 0
    clicked: str | None = None
    weak: bool = False
    channel: str = ""


def to_event(data: object, strict: bool = True) -> Event:
    """An `Event` from a dict; `schema.SchemaError` says what is wrong.

    `strict=False` (events from the store) ignores fields the schema does not know.
    """
    if not isinstance(data, Mapping):
        raise schema.SchemaError("an event must be a JSON object")
    if "received" not in data:
        raise schema.SchemaError("'received' is missing (the collector adds it)")
    received = _received(data["received"])
    fields = {k: v for k, v in data.items() if k != "received"}
    if not strict:  # a store's row may have every type's columns, empty ones as None
        kind = fields.get("type")
        known = {"v", "type", "id", "locale", "page"}
        known.update(_TYPE_FIELDS.get(kind, ()) if isinstance(kind, str) else ())
        fields = {
            k: v
            for k, v in fields.items()
            if k in known and (v is not None or (k == "clicked" and kind == "search"))
        }
    clean = schema.validate(fields)
    return Event(
        type=clean["type"],
        id=clean["id"],
        locale=clean["locale"],
        page=clean["page"],
        received=received,
        helpful=clean.get("helpful", False),
        comment=clean.get("comment", ""),
        query=clean.get("query", ""),
        results=clean.get("results", 0),
        clicked=clean.get("clicked"),
        weak=clean.get("weak", False),
        channel=clean.get("channel", ""),
    )


_TYPE_FIELDS = {
    "vote": ("helpful", "comment"),
    "search": ("query", "results", "clicked", "weak"),
    "contact": ("channel",),
}


# events outside these are a clock's or an export's mistake (and would make years of empty weeks)
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def _received(value: object) -> datetime:
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.strip())
        except ValueError:
            raise schema.SchemaError("'received' is not an ISO 8601 time") from None
    else:
        raise schema.SchemaError("'received' has the wrong type")
    try:
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except OverflowError:
        raise schema.SchemaError("'received' is out of range") from None
    if not EARLIEST <= when < LATEST:
        raise schema.SchemaError("'received' is not a time the collector could have stored")
    return when


def read_jsonl(paths: Iterable[Path], warn: Warn) -> Iterator[Event]:
    """The events of JSONL files, one per line. A bad line is a warning and is skipped; a
    file with bad lines and no event at all is a `HelpgenError` (it is not an event file)."""
    for path in paths:
        yield from _read_file(Path(path), warn)


def check_file(path: Path) -> None:
    """An events file must be a file: said before any of them is read."""
    if path.is_dir():
        raise HelpgenError.at(
            "is a folder, not a file of events", path, hint=f"pass its files: {path}/*.jsonl"
        )
    if not path.is_file():
        raise HelpgenError.at("no such file", path, hint="pass the collector's JSONL files")


def _read_file(path: Path, warn: Warn) -> Iterator[Event]:
    check_file(path)
    good = 0
    bad: list[Problem] = []
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
                event = to_event(json.loads(text.lstrip("\ufeff") if number == 1 else text))
            except UnicodeDecodeError:
                bad.append(_bad_line(path, number, "not UTF-8"))
            except json.JSONDecodeError as exc:
                bad.append(_bad_line(path, number, f"not JSON ({exc.msg}, column {exc.colno})"))
            except schema.SchemaError as exc:
                bad.append(_bad_line(path, number, f"not a feedback event: {exc}"))
            except (ValueError, RecursionError):  # a 5000-digit number, [[[[…]]]]
                bad.append(_bad_line(path, number, "not JSON that an event could be"))
            else:
                good += 1
                yield event
    if bad and not good:
        first = bad[0]
        raise HelpgenError(
            Problem(
                f"{first.message}; no line of this file is a feedback event",
                path,
                first.line,
                hint="pass the JSONL files the collector writes: one event per line",
            )
        )
    for problem in bad[:BAD_LINES_SHOWN]:
        warn(problem)
    if len(bad) > BAD_LINES_SHOWN:
        more = len(bad) - BAD_LINES_SHOWN
        warn(Problem(f"{more} more bad lines skipped", path, level="warning"))


def _bad_line(path: Path, number: int, message: str) -> Problem:
    return Problem(
        f"{message}; line skipped",
        path,
        number,
        hint="each line must be one event as the collector stores it (schema v1 + received)",
        level="warning",
    )


def read_store(db: str, warn: Warn, since: date | None = None) -> list[Event]:
    """The events of the collector's store (`feedback.store.open_store`) received on or after
    `since`. (`--locale` is applied by `build_report`, without regard to case, as for files.)"""
    url = "://" in db

    def problem(message: str, hint: str | None = None, level: str = "error") -> Problem:
        # a path is located as usual; a URL (without its password) goes into the message
        if url:
            return Problem(f"{message} ({redact(db)})", hint=hint, level=level)
        return Problem(message, db, hint=hint, level=level)

    if not url and not Path(db).is_file():
        raise HelpgenError(
            problem(
                "no such database file",
                hint="--db takes the collector's SQLite file or a postgresql:// URL",
            )
        )
    try:
        from .store import open_store
    except ImportError as exc:
        raise HelpgenError.at(
            f"--db: the event store is not available ({exc})",
            hint="pass the collector's JSONL files instead",
        ) from None
    out: list[Event] = []
    bad = 0
    try:
        store = open_store(db)
        try:
            for data in store.events(since=since.isoformat() if since else None):
                try:
                    out.append(to_event(data, strict=False))
                except schema.SchemaError as exc:
                    bad += 1
                    if bad <= BAD_LINES_SHOWN:
                        ident = data.get("id", "?") if isinstance(data, Mapping) else "?"
                        warn(problem(f"event {ident}: {exc}; skipped", level="warning"))
        finally:
            close = getattr(store, "close", None)
            if callable(close):
                close()
    except HelpgenError:
        raise
    except Exception as exc:  # a driver's error: connection refused, not a database, ...
        raise HelpgenError(
            problem(
                f"cannot read the events: {type(exc).__name__}: {exc}",
                hint="check the path or URL, and that the collector's store is there",
            )
        ) from None
    if bad > BAD_LINES_SHOWN:
        warn(problem(f"{bad - BAD_LINES_SHOWN} more bad events skipped", level="warning"))
    return out


# ---------------------------------------------------------------------------------------------
# Arguments


def parse_since(value: str | None) -> date | None:
    """`--since YYYY-MM-DD` as a date; a `HelpgenError` otherwise."""
    if value is None:
        return None
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise HelpgenError.at(
            f"--since: '{value}' is not a date", hint="write the day as YYYY-MM-DD, e.g. 2026-09-14"
        ) from None


def parse_locale(value: str | None) -> str | None:
    """`--locale` checked like an event's locale; a `HelpgenError` otherwise."""
    if value is None:
        return None
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value.strip()):
        raise HelpgenError.at(
            f"--locale: '{value}' is not a language code", hint="e.g. en, fa or zh-CN"
        )
    return value.strip()


def check_output(path: Path | None) -> None:
    """`--html FILE` must be a file whose folder exists: said before any event is read."""
    if path is None:
        return
    if path.is_dir():
        raise HelpgenError.at("--html: is a folder", path, hint="name a file, e.g. report.html")
    if not path.absolute().parent.is_dir():
        raise HelpgenError.at(
            "--html: its folder does not exist", path, hint="create the folder first"
        )


def load(
    files: Iterable[Path],
    db: str | None,
    warn: Warn,
    since: str | None = None,
    locale: str | None = None,
    html: Path | None = None,
) -> Report:
    """What `helpgen report` does before printing: check the arguments, read, count."""
    when = parse_since(since)
    lang = parse_locale(locale)
    files = list(files)
    if db and files:
        raise HelpgenError.at(
            "pass either --db or event files, not both", hint="one source per report"
        )
    if not db and not files:
        raise HelpgenError.at(
            "no events to report on",
            hint="pass the collector's JSONL files (helpgen report events.jsonl) or --db DB",
        )
    for path in files:
        check_file(Path(path))
    check_output(html)
    events: Iterable[Event] = read_store(db, warn, when) if db else read_jsonl(files, warn)
    return build_report(events, since=when, locale=lang)


# ---------------------------------------------------------------------------------------------
# The report


@dataclass(frozen=True)
class Comment:
    received: datetime
    text: str
    helpful: bool


@dataclass(frozen=True)
class PageVotes:
    page: str
    yes: int
    no: int
    comments: tuple[Comment, ...]  # newest first

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def rate(self) -> float:
        """The helpfulness rate: yes / all votes."""
        return self.yes / self.votes if self.votes else 0.0


@dataclass(frozen=True)
class QueryGroup:
    locale: str
    kind: str  # "zero": no results; "weak": the closest only, none clicked; "no-click": results
    terms: tuple[str, ...]
    wordings: tuple[tuple[str, int], ...]  # (wording as typed most often, count), most first

    @property
    def count(self) -> int:
        return sum(n for _, n in self.wordings)

    @property
    def wording(self) -> str:
        return self.wordings[0][0]

    @property
    def variants(self) -> tuple[tuple[str, int], ...]:
        return self.wordings[1:]


@dataclass(frozen=True)
class TopicContacts:
    topic: str
    contacts: int
    events: int  # all events on the topic's pages
    channels: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        return self.contacts / self.events if self.events else 0.0


@dataclass(frozen=True)
class Week:
    week: str  # "2026-W37"
    start: date  # its Monday
    yes: int = 0
    no: int = 0
    zero_results: int = 0
    contacts: int = 0


KINDS = {
    "zero": "no results",
    "weak": "closest matches only, no click",
    "no-click": "results, no click",
}


@dataclass(frozen=True)
class Report:
    events: int
    first: datetime | None
    last: datetime | None
    since: date | None
    locale: str | None
    pages: tuple[PageVotes, ...]
    searches: tuple[QueryGroup, ...]  # by locale, then kind, then count
    topics: tuple[TopicContacts, ...]
    weeks: tuple[Week, ...]
    duplicates: int = 0

    def search_locales(self) -> list[str]:
        return list(dict.fromkeys(g.locale for g in self.searches))

    def groups(self, locale: str, kind: str) -> list[QueryGroup]:
        return [g for g in self.searches if g.locale == locale and g.kind == kind]


_CJK_FUNCTION_WORDS = re.compile(
    "为什么|怎么样|怎么|怎样|如何|什么|哪里|请问|我们|你们|[的了吗呢吧啊么我你您是の]"
)


@lru_cache(maxsize=100_000)
def query_key(query: str) -> tuple[str, ...]:
    """The sorted set of a query's search terms, the same for similar wordings.

    `search.text`'s pipeline (normalize, words, terms: stems, stop words out, CJK bigrams),
    with a few CJK function words dropped first. A query of stop words only is keyed by its
    normalized text, after a "" that no term set can start with.
    """
    normalized = normalize(query)
    found: set[str] = set()
    for word, kind in words(normalized):
        if kind == "cjk":
            word = _CJK_FUNCTION_WORDS.sub("", word)
            if not word:
                continue
        found.update(heads(terms(word, kind), kind))  # a word's own term, not its readings
    if found:
        return tuple(sorted(found))
    return ("", " ".join(normalized.split()))


def topic_of(page: str) -> str:
    """The page's path without its last segment: `en/orders/cancel/` -> `en/orders/`."""
    path = page.split("#")[0]
    path = path.removesuffix("index.html").rstrip("/")
    head = path.rpartition("/")[0]
    return head + "/" if head else "/"


def build_report(
    events: Iterable[Event | Mapping[str, Any]],
    since: date | None = None,
    locale: str | None = None,
) -> Report:
    """Count the events (after `--since`, inclusive, and `--locale`) into the four sections.

    Dicts are checked with `to_event` (a `schema.SchemaError` if one is not an event).
    """
    seen: set[str] = set()
    kept: list[Event] = []
    duplicates = 0
    want = locale.casefold() if locale else None
    for item in events:
        event = item if isinstance(item, Event) else to_event(item)
        if since and event.received.date() < since:
            continue
        if want and event.locale.casefold() != want:
            continue
        if event.id in seen:
            duplicates += 1
            continue
        seen.add(event.id)
        kept.append(event)
    return Report(
        events=len(kept),
        first=min((e.received for e in kept), default=None),
        last=max((e.received for e in kept), default=None),
        since=since,
        locale=locale,
        pages=_pages(kept),
        searches=_searches(kept),
        topics=_topics(kept),
        weeks=_weeks(kept),
        duplicates=duplicates,
    )


def _pages(events: list[Event]) -> tuple[PageVotes, ...]:
    yes: Counter[str] = Counter()
    no: Counter[str] = Counter()
    comments: dict[str, list[Comment]] = defaultdict(list)
    for e in events:
        if e.type != "vote":
            continue
        (yes if e.helpful else no)[e.page] += 1
        if e.comment:
            comments[e.page].append(Comment(e.received, e.comment, e.helpful))
    pages = [
        PageVotes(
            page,
            yes[page],
            no[page],
            tuple(sorted(comments[page], key=lambda c: (c.received, c.text), reverse=True)),
        )
        for page in no
    ]
    pages.sort(key=lambda p: (-p.no, p.rate, p.page))
    return tuple(pages)


def _searches(events: list[Event]) -> tuple[QueryGroup, ...]:
    # (locale, kind, key) -> normalized wording -> spelling as typed -> count
    found: dict[tuple[str, str, tuple[str, ...]], dict[str, Counter[str]]] = defaultdict(
        lambda: defaultdict(Counter)
    )
    for e in events:
        if e.type != "search" or (e.results and e.clicked is not None):
            continue
        kind = "zero" if e.results == 0 else "weak" if e.weak else "no-click"
        spelling = " ".join(e.query.split())
        found[e.locale, kind, query_key(e.query)][
            " ".join(normalize(spelling).replace("\u200c", "").split())
        ][spelling] += 1
    groups = []
    for (locale, kind, key), wordings in found.items():
        shown = [
            (min(spellings.items(), key=lambda s: (-s[1], s[0]))[0], spellings.total())
            for spellings in wordings.values()
        ]
        shown.sort(key=lambda w: (-w[1], w[0]))
        groups.append(QueryGroup(locale, kind, key, tuple(shown)))
    per_locale = Counter[str]()
    for g in groups:
        per_locale[g.locale] += g.count
    order = {kind: i for i, kind in enumerate(KINDS)}
    groups.sort(key=lambda g: (-per_locale[g.locale], g.locale, order[g.kind], -g.count, g.wording))
    return tuple(groups)


def _topics(events: list[Event]) -> tuple[TopicContacts, ...]:
    total: Counter[str] = Counter()
    channels: dict[str, Counter[str]] = defaultdict(Counter)
    for e in events:
        topic = topic_of(e.page)
        total[topic] += 1
        if e.type == "contact":
            channels[topic][e.channel] += 1
    topics = [
        TopicContacts(
            topic,
            used.total(),
            total[topic],
            tuple(sorted(used.items(), key=lambda c: (-c[1], c[0]))),
        )
        for topic, used in channels.items()
    ]
    topics.sort(key=lambda t: (-t.contacts, -t.share, t.topic))
    return tuple(topics)


def _weeks(events: list[Event]) -> tuple[Week, ...]:
    if not events:
        return ()
    counts: dict[date, Counter[str]] = defaultdict(Counter)
    for e in events:
        day = e.received.date()
        monday = day - timedelta(days=day.weekday())
        week = counts[monday]
        if e.type == "vote":
            week["yes" if e.helpful else "no"] += 1
        elif e.type == "search" and e.results == 0:
            week["zero_results"] += 1
        elif e.type == "contact":
            week["contacts"] += 1
    monday, last = min(counts), max(counts)
    weeks = []
    while monday <= last:
        year, number, _ = monday.isocalendar()
        c = counts.get(monday, Counter())
        weeks.append(
            Week(
                f"{year}-W{number:02d}", monday, c["yes"], c["no"], c["zero_results"], c["contacts"]
            )
        )
        monday += timedelta(days=7)
    return tuple(weeks)


# ---------------------------------------------------------------------------------------------
# Terminal


def cell_width(text: str) -> int:
    """Terminal cells: wide and fullwidth (CJK) characters take two, marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def clip(text: str, width: int) -> str:
    """The text cut to `width` cells, with "…" when cut."""
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - cell_width(text))
    return space + text if right else text + space


# C0/C1 controls (ANSI escapes, newlines) and bidi embeddings/overrides/isolates: a reader's
# text must not move the cursor, recolour the terminal or reorder the rest of the line.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_HTML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain(text: str) -> str:
    """Reader text on one terminal line: controls out, whitespace collapsed."""
    return " ".join(_UNSAFE.sub(" ", text).split())


def _table(
    headers: list[str], rows: list[list[str]], right: set[int], indent: str = "  "
) -> list[str]:
    """Aligned columns; the last one is not padded (reader text goes there)."""
    widths = [max(cell_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        parts = [
            _pad(c, widths[i], i in right) if i < len(cells) - 1 else c for i, c in enumerate(cells)
        ]
        return (indent + "  ".join(parts)).rstrip()

    return [line(headers), *(line(r) for r in rows)]


def _more(count: int, what: str) -> str:
    return f"  … and {count} more {what} (--html shows up to {HTML_ROWS})"


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


def render_text(report: Report, width: int = 100, bold: bool = False) -> list[str]:
    """The report as terminal lines (headings in bold with `bold`); none without events."""
    if not report.events:
        return []

    def _heading(text: str) -> str:
        return click.style(text, bold=True) if bold else text

    width = max(60, width)
    out = [_summary(report)]

    if report.pages:
        out += ["", _heading("Least helpful articles")]
        rows = [
            [str(p.no), str(p.yes), _percent(p.rate), clip(plain(p.page), width - 25)]
            for p in report.pages[:TEXT_ROWS]
        ]
        table = _table(["no", "yes", "helpful", "page"], rows, {0, 1, 2})
        out.append(table[0])
        lead = cell_width(table[0]) - cell_width("page")
        for p, line in zip(report.pages[:TEXT_ROWS], table[1:], strict=True):
            out.append(line)
            for c in p.comments[:TEXT_COMMENTS]:
                mark = "" if not c.helpful else "(yes) "
                text = clip(mark + plain(c.text), width - lead - 12)
                out.append(" " * lead + f"{c.received.date()}  {text}")
            if len(p.comments) > TEXT_COMMENTS:
                out.append(" " * lead + f"… {len(p.comments) - TEXT_COMMENTS} more comments")
        if len(report.pages) > TEXT_ROWS:
            out.append(_more(len(report.pages) - TEXT_ROWS, "pages"))

    for locale in report.search_locales():
        out += ["", _heading(f"Searches that failed · {locale}")]
        for kind, label in KINDS.items():
            groups = report.groups(locale, kind)
            if not groups:
                continue
            out.append(f"  {label}")
            rows = []
            for g in groups[:TEXT_ROWS]:
                also = " · ".join(
                    f"{clip(plain(w), 30)} ({n})" for w, n in g.variants[:TEXT_VARIANTS]
                )
                if len(g.variants) > TEXT_VARIANTS:
                    also += f" · +{len(g.variants) - TEXT_VARIANTS} more"
                rows.append([str(g.count), clip(plain(g.wording), 40), also])
            out += _table(["searches", "most frequent wording", "also typed"], rows, {0})
            if len(groups) > TEXT_ROWS:
                out.append(_more(len(groups) - TEXT_ROWS, "groups"))

    if report.topics:
        out += ["", _heading("Topics that led to contacting support")]
        rows = [
            [
                str(t.contacts),
                _percent(t.share),
                clip(plain(t.topic), 50),
                " · ".join(f"{c} {n}" for c, n in t.channels),
            ]
            for t in report.topics[:TEXT_ROWS]
        ]
        out += _table(["contacts", "of events", "topic", "channels"], rows, {0, 1})
        if len(report.topics) > TEXT_ROWS:
            out.append(_more(len(report.topics) - TEXT_ROWS, "topics"))

    out += ["", _heading("Weekly trend")]
    rows = [
        [w.week, str(w.yes), str(w.no), str(w.zero_results), str(w.contacts)] for w in report.weeks
    ]
    headers = ["week", "helpful", "not helpful", "no-result searches", "contacts"]
    out += _table([*headers, ""], [[*r, ""] for r in rows], {1, 2, 3, 4})
    return out


def _summary(report: Report) -> str:
    assert report.first and report.last
    events = f"{report.events} event{'s' if report.events != 1 else ''}"
    text = f"{events} received {report.first.date()} to {report.last.date()} (UTC)"
    if report.locale:
        text += f" · locale {report.locale}"
    if report.since:
        text += f" · since {report.since}"
    if report.duplicates:
        text += f" · {report.duplicates} duplicates ignored"
    return text


# ---------------------------------------------------------------------------------------------
# HTML


def clean(text: str) -> str:
    """Reader text for HTML: controls and bidi overrides out (newlines kept); escaping is
    the template's (autoescape)."""
    return _UNSAFE_HTML.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


SERIES = (
    ("yes", "Helpful votes"),
    ("no", "Not helpful votes"),
    ("zero_results", "Searches with no results"),
    ("contacts", "Contacts"),
)


def trend_chart(weeks: tuple[Week, ...]) -> dict[str, Any]:
    """The weekly trend as small multiples: one row of bars per series, each to its own
    scale. Geometry only; the template draws it as inline SVG."""
    label_w, band_h, gap, top = 170, 56, 26, 16
    n = max(1, len(weeks))
    step = max(8.0, min(64.0, 640 / n))
    bar_w = max(3.0, step * 0.7)
    numbers = step >= 28  # room for each bar's value above it
    width = label_w + step * n + 10
    bands = []
    for i, (key, label) in enumerate(SERIES):
        y0 = top + i * (band_h + gap)
        values = [getattr(w, key) for w in weeks]
        peak = max(values, default=0) or 1
        bars = []
        for j, (w, v) in enumerate(zip(weeks, values, strict=True)):
            h = round(band_h * v / peak, 1)
            bars.append(
                {
                    "x": round(label_w + j * step + (step - bar_w) / 2, 1),
                    "y": round(y0 + band_h - h, 1),
                    "w": round(bar_w, 1),
                    "h": h,
                    "value": v,
                    "week": w.week,
                    "mid": round(label_w + j * step + step / 2, 1),
                }
            )
        bands.append(
            {
                "key": key,
                "label": label,
                "y": y0,
                "base": y0 + band_h,
                "peak": max(values, default=0),
                "bars": bars,
                "numbers": numbers,
            }
        )
    every = math.ceil(60 / step)  # a label every 60 px at least: "2026-W37", or "W38"
    ticks = [
        {
            "x": round(label_w + j * step + step / 2, 1),
            "text": w.week if j == 0 or w.week[:4] != weeks[j - every].week[:4] else w.week[5:],
        }
        for j, w in enumerate(weeks)
        if j % every == 0
    ]
    height = top + len(SERIES) * (band_h + gap) + 14
    return {
        "width": round(width),
        "height": height,
        "bands": bands,
        "ticks": ticks,
        "tick_y": height - 4,
        "label_w": label_w,
    }


_TEMPLATE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="helpgen report">
<title>Content-gap report
{%- if r.first %} · {{ r.first.date() }} to {{ r.last.date() }}{% endif %}</title>
<style>
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0;
  --bg: #fff; --yes: #1a7f37; --no: #cf222e; --zero: #9a6700; --contact: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1;
  --line: #3d444d; --bg: #0d1117; --yes: #3fb950; --no: #f85149; --zero: #d29922;
  --contact: #4493f8; } }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans Arabic",
  "Noto Sans CJK SC", sans-serif; color: var(--fg); background: var(--bg); max-width: 72rem;
  margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin-top: 2.5rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.25rem 0 .25rem; }
.meta, .note, .variants, time, th { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .25rem 0 1rem; }
th, td { text-align: start; padding: .35rem .6rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { font-weight: 600; font-size: .85rem; }
.n { text-align: end; font-variant-numeric: tabular-nums; white-space: nowrap; }
.page { overflow-wrap: anywhere; }
ul.comments { list-style: none; margin: .4rem 0 0; padding: 0; }
ul.comments li { margin: .25rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
time { font-size: .85rem; margin-inline-end: .6rem; font-variant-numeric: tabular-nums; }
.tag { font-size: .75rem; border: 1px solid var(--line); border-radius: .6rem;
  padding: 0 .4rem; margin-inline-end: .4rem; }
.variants { font-size: .9rem; }
.searches th:first-child { width: 6rem; } .searches th:nth-child(2) { width: 45%; }
.variants span + span::before { content: " · "; }
svg { max-width: 100%; height: auto; }
svg text { fill: var(--muted); font: 11px system-ui, sans-serif; }
svg .axis { stroke: var(--line); }
.yes { fill: var(--yes); } .no { fill: var(--no); }
.zero_results { fill: var(--zero); } .contacts { fill: var(--contact); }
</style>
</head>
<body>
{% macro more(rows, what) %}{% if rows | length > limit %}
<p class="note">… and {{ rows | length - limit }} more {{ what }}.</p>
{% endif %}{% endmacro %}
<h1>Content-gap report</h1>
{% if r.events %}
<p class="meta">{{ r.events }} events received {{ r.first.date() }} to {{ r.last.date() }} (UTC)
{%- if r.locale %} · locale {{ r.locale }}{% endif %}
{%- if r.since %} · since {{ r.since }}{% endif %}
{%- if r.duplicates %} · {{ r.duplicates }} duplicates ignored{% endif %}</p>
{% else %}
<p class="meta">No events{% if r.locale %} in locale {{ r.locale }}{% endif %}
{%- if r.since %} since {{ r.since }}{% endif %}.</p>
{% endif %}
{% if r.pages %}
<section id="least-helpful">
<h2>Least helpful articles</h2>
<p class="note">Pages with at least one “no” vote: most “no” votes first, then the lowest
helpfulness rate (yes of all votes).</p>
<table>
<thead><tr><th class="n">No</th><th class="n">Yes</th><th class="n">Helpful</th><th></th>
<th>Page and comments, newest first</th></tr></thead>
<tbody>
{% for p in r.pages[:limit] %}
<tr><td class="n">{{ p.no }}</td><td class="n">{{ p.yes }}</td>
<td class="n">{{ percent(p.rate) }}</td>
<td><svg width="60" height="8" viewBox="0 0 60 8" role="img"
 aria-label="{{ percent(p.rate) }} helpful"><rect class="no" width="60" height="8"/>
<rect class="yes" width="{{ (60 * p.rate) | round(1) }}" height="8"/></svg></td>
<td class="page"><bdi dir="auto">{{ clean(p.page) }}</bdi>
{% if p.comments %}<ul class="comments">
{% for c in p.comments %}<li><time datetime="{{ c.received.isoformat() }}">
{{- c.received.date() }}</time>
{%- if c.helpful %}<span class="tag">yes</span>{% endif %}
{#- #}<span dir="auto">{{ clean(c.text) }}</span></li>
{% endfor %}</ul>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>
{{ more(r.pages, "pages") }}
</section>
{% endif %}
{% if r.searches %}
<section id="failed-searches">
<h2>Searches that failed</h2>
<p class="note">Queries with the same search terms (stemmed, stop words out, any order) are
one group; the most frequent wording is shown, then the others.</p>
{% for locale in r.search_locales() %}
<h3>{{ locale }}</h3>
{% for kind, label in kinds.items() %}{% set groups = r.groups(locale, kind) %}{% if groups %}
<table class="searches" lang="{{ locale }}">
<thead><tr><th class="n">Searches</th><th>{{ label | capitalize }}: most frequent wording</th>
<th>Also typed</th></tr></thead>
<tbody>
{% for g in groups[:limit] %}
<tr><td class="n">{{ g.count }}</td><td><bdi dir="auto">{{ clean(g.wording) }}</bdi></td>
<td class="variants">{% for w, n in g.variants[:10] %}
<span><bdi dir="auto">{{ clean(w) }}</bdi> ({{ n }})</span>{% endfor %}
{% if g.variants | length > 10 %}<span>{{ g.variants | length - 10 }} more</span>{% endif %}
</td></tr>
{% endfor %}
</tbody>
</table>
{{ more(groups, "groups, each searched less often") }}
{% endif %}{% endfor %}
{% endfor %}
</section>
{% endif %}
{% if r.topics %}
<section id="contact-topics">
<h2>Topics that led to contacting support</h2>
<p class="note">Contacts per topic (a page’s path without its last segment), and their share of
all events on that topic’s pages.</p>
<table>
<thead><tr><th class="n">Contacts</th><th class="n">Of events</th><th>Topic</th>
<th>Channels</th></tr></thead>
<tbody>
{% for t in r.topics[:limit] %}
<tr><td class="n">{{ t.contacts }}</td><td class="n">{{ percent(t.share) }}</td>
<td class="page"><bdi dir="auto">{{ clean(t.topic) }}</bdi></td>
<td>{% for c, n in t.channels %}{{ c }} {{ n }}{% if not loop.last %} · {% endif %}
{%- endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
{{ more(r.topics, "topics") }}
</section>
{% endif %}
{% if r.weeks %}
<section id="trend">
<h2>Weekly trend</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{ chart.width }}" height="{{ chart.height }}"
 viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img"
 aria-label="Votes, searches with no results and contacts per week">
{% for band in chart.bands %}
<text x="0" y="{{ band.y + 14 }}">{{ band.label }}</text>
<text x="0" y="{{ band.y + 30 }}">max {{ band.peak }}</text>
<line class="axis" x1="{{ chart.label_w }}" x2="{{ chart.width - 10 }}"
 y1="{{ band.base }}" y2="{{ band.base }}"/>
{% for b in band.bars %}<rect class="{{ band.key }}" x="{{ b.x }}" y="{{ b.y }}"
 width="{{ b.w }}" height="{{ b.h }}"><title>{{ b.week }}: {{ b.value }}</title></rect>
{% if band.numbers %}<text x="{{ b.mid }}" y="{{ b.y - 3 }}" text-anchor="middle">
{{- b.value }}</text>
{% endif %}
{% endfor %}
{% endfor %}
{% for t in chart.ticks %}<text x="{{ t.x }}" y="{{ chart.tick_y }}" text-anchor="middle">
{{- t.text }}</text>
{% endfor %}
</svg>
<table>
<thead><tr><th>Week</th><th>Starts</th><th class="n">Helpful</th><th class="n">Not helpful</th>
<th class="n">No-result searches</th><th class="n">Contacts</th></tr></thead>
<tbody>
{% for w in r.weeks %}
<tr><td>{{ w.week }}</td><td>{{ w.start }}</td><td class="n">{{ w.yes }}</td>
<td class="n">{{ w.no }}</td><td class="n">{{ w.zero_results }}</td>
<td class="n">{{ w.contacts }}</td></tr>
{% endfor %}
</tbody>
</table>
</section>
{% endif %}
</body>
</html>
"""


def render_html(report: Report) -> str:
    """One self-contained page: inline style, inline SVG, no scripts, reader text escaped;
    up to `HTML_ROWS` rows a table."""
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = env.from_string(_TEMPLATE)
    return template.render(
        r=report,
        chart=trend_chart(report.weeks),
        kinds=KINDS,
        limit=HTML_ROWS,
        percent=_percent,
        clean=clean,
    )


def write_html(report: Report, path: Path) -> None:
    """Write the HTML page whole (a temporary file renamed into place)."""
    text = render_html(report)
    folder = path.absolute().parent
    fd, tmp = tempfile.mkstemp(prefix=".report-", suffix=".html", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
