"""Opening hours of contact channels: parse, "open now?", and a plain-text description.

Pure, no I/O. themes/default/static/js/hours.js is its twin in the browser: `Hours.to_json()`
is what the page carries, and its `status` computes exactly what `status` here does
(tests/hours_vectors.json proves it in Python and in headless Chromium). Change both together.

Grammar of `hours` (a string, or a list of strings whose rules are all taken together)::

    hours   = "24/7" | rule *( ";" rule )        ; "24/7" alone: always open
    rule    = days 1*SPACE times
    days    = day-item *( "," day-item )         ; Mon,Wed,Fri
    day-item= DAY [ "-" DAY ]                     ; Mon-Fri; a range may wrap: Fri-Mon
    times   = range *( "," range )               ; 09:00-12:00, 13:00-18:00
    range   = TIME "-" TIME                       ; end <= start: ends the next day
    TIME    = H[H]:MM                             ; 00:00-23:59; 24:00 only as an end
    DAY     = Mon | Tue | Wed | Thu | Fri | Sat | Sun   (any case)

Spaces are allowed around "," and "-"; "–" (en dash) is read as "-". The days end where the
first digit begins. Rules and ranges may overlap: the channel is open in their union.
Examples: "Mon-Fri 09:00-18:00", "Mon-Fri 09:00-12:00, 13:00-18:00; Sat 10:00-14:00",
["Mon,Wed,Fri 08:00-16:00", "Fri 22:00-02:00"] (Friday 22:00 to Saturday 02:00), "24/7".

`timezone` (an IANA name) is required with hours, except "24/7" without closed dates.
`closed` lists whole days, in the channel's time zone: dates ("YYYY-MM-DD" strings or TOML
dates) or "MM-DD" for that day every year ("02-29" only matches leap years).

Semantics. The rules give, for each local weekday, minute ranges of the wall clock. On a local
date that is not closed, the channel is open in those ranges; ranges that touch across
midnight (and are not interrupted by a closed date) form one opening. An opening becomes a
span of instants by converting its first and its end wall time with zoneinfo's fold=0 (the
RFC 5545 / JavaScript `Date` / Temporal "compatible" choice):

- a wall time that happens twice (the fall-back hour) means its first occurrence;
- a wall time that does not exist (the spring-forward gap) is read with the offset from
  before the gap, i.e. that much later: "02:30" on America/New_York's DST day is 03:30 EDT.
  An opening whose converted end is not after its converted start (e.g. 02:30-03:15 that
  day) is empty.

Outside the hour after a DST change, "open at t" is simply "t's local wall time is in a
range". `status()` gives `until` when the current opening ends no more than 7 days ahead
(else None: open for the foreseeable future), and `next_open` when the next opening starts
no more than 14 days ahead (else None).

If the rules cover the whole week and there are no closed dates, `Hours.always` is true.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from .locales import babel_locale, native_digits

__all__ = [
    "Hours",
    "HoursError",
    "Status",
    "describe",
    "is_closed",
    "openings",
    "parse_hours",
    "status",
]

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_MINUTES = 1440
WEEK_MINUTES = 7 * DAY_MINUTES
UNTIL_HORIZON = timedelta(days=7)
NEXT_OPEN_HORIZON = timedelta(days=14)
# Local dates around now that status() looks at: the day before (an opening running past
# midnight into today) up to 16 days ahead (14 days of instants, whatever the offset).
WINDOW_DAYS = range(-1, 17)

_DAY_LIST = ", ".join(DAYS)
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_RANGE = re.compile(r"(\S+?)\s*-\s*(\S+)")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"\d{2}-\d{2}")
_EXAMPLE = 'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"'


class HoursError(ValueError):
    """A mistake in hours, timezone or closed: `message` says what, `hint` how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Hours:
    """Parsed opening hours.

    `intervals`: (weekday 0=Mon, start minute, end minute) in the channel's local week,
    sorted, non-overlapping, split at midnight (end <= 1440), adjacent ones merged.
    `closed`: "YYYY-MM-DD" or "MM-DD", sorted. `spec`: the hours as written, rules joined
    with "; ". `timezone` is "" only for an always-open channel given none.
    """

    always: bool
    timezone: str
    intervals: tuple[tuple[int, int, int], ...]
    closed: tuple[str, ...] = ()
    spec: str = ""

    def to_json(self) -> dict:
        """What the browser gets: {"always": true} or {"tz", "w": [[d, s, e]...], "closed"?}."""
        if self.always:
            return {"always": True}
        out: dict = {"tz": self.timezone, "w": [list(i) for i in self.intervals]}
        if self.closed:
            out["closed"] = list(self.closed)
        return out


@dataclass(frozen=True)
class Status:
    """Open now? `until`: when this opening ends; `next_open`: when the next one starts (UTC)."""

    open: bool
    until: datetime | None = None
    next_open: datetime | None = None


# ---- parsing ---------------------------------------------------------------------------------


def parse_hours(
    spec: str | list[str] | tuple[str, ...],
    timezone: str | None,
    closed: list | tuple | None = (),
) -> Hours:
    """Check and parse a channel's hours, timezone and closed dates; HoursError on a mistake."""
    rules = _rules(spec)
    closed_days = _closed(closed)
    always_written = rules == ["24/7"]
    if always_written and not closed_days:
        tz = _timezone(timezone) if timezone is not None else ""
        return Hours(True, tz, _split_week([(0, WEEK_MINUTES)]), (), "24/7")
    if timezone is None or (isinstance(timezone, str) and not timezone.strip()):
        why = "closed dates" if always_written else "hours"
        raise HoursError(
            f"a timezone is required with {why}: the same clock time is a different moment "
            "in every zone",
            'add timezone = "Europe/Lisbon" (an IANA name: Area/City)',
        )
    tz = _timezone(timezone)
    if always_written:
        spans = [(0, WEEK_MINUTES)]
    else:
        spans = [span for rule in rules for span in _rule(rule)]
    week = _merge_week(spans)
    always = week == [(0, WEEK_MINUTES)] and not closed_days
    return Hours(always, tz, _split_week(week), closed_days, "; ".join(rules))


def _rules(spec: object) -> list[str]:
    if isinstance(spec, str):
        items = [spec]
    elif isinstance(spec, (list, tuple)):
        items = list(spec)
    else:
        raise HoursError(
            f"hours must be a string or a list of strings, not {type(spec).__name__}",
            _EXAMPLE,
        )
    rules = []
    for item in items:
        if not isinstance(item, str):
            raise HoursError(
                f"hours must be a string or a list of strings; {item!r} is a {type(item).__name__}",
                _EXAMPLE,
            )
        rules += [" ".join(r.split()) for r in item.split(";") if r.strip()]
    if not rules:
        raise HoursError("hours is empty", _EXAMPLE)
    if "24/7" in rules and len(rules) > 1:
        raise HoursError(
            "'24/7' cannot be combined with other rules",
            'keep just "24/7", or list the days: "Mon-Sun 00:00-24:00"',
        )
    return rules


def _rule(rule: str) -> list[tuple[int, int]]:
    """One rule -> (start, end) minutes of the week; end may pass the week's end."""
    text = rule.replace("–", "-").replace("—", "-")
    first_digit = next((i for i, ch in enumerate(text) if ch.isdigit()), None)
    if first_digit is None:
        raise HoursError(
            f"'{rule}': no opening times; write the days, a space, then the times",
            f"e.g. '{rule.strip()} 09:00-18:00'",
        )
    days_text, times_text = text[:first_digit].strip(), text[first_digit:].strip()
    if not days_text:
        raise HoursError(
            f"'{rule}': no days before the times; start the rule with the days",
            f"e.g. 'Mon-Fri {times_text}'",
        )
    days = _days(rule, days_text)
    ranges = _ranges(rule, times_text)
    return [(d * DAY_MINUTES + start, d * DAY_MINUTES + end) for d in days for start, end in ranges]


def _day(rule: str, word: str) -> int:
    word = word.strip()
    for i, name in enumerate(DAYS):
        if word.lower() == name.lower():
            return i
    if not word:
        raise HoursError(f"'{rule}': a day is missing in the day list; use {_DAY_LIST}")
    close = difflib.get_close_matches(word.title(), DAYS, n=1, cutoff=0.5)
    if not close and len(word) > 3:
        close = [n for n in DAYS if word.lower().startswith(n.lower())][:1]
    raise HoursError(
        f"'{rule}': '{word}' is not a day; use {_DAY_LIST}",
        f"did you mean '{close[0]}'?" if close else "days are English three-letter names",
    )


def _days(rule: str, text: str) -> list[int]:
    days: list[int] = []
    for item in text.split(","):
        if "-" in item:
            first, _, last = item.partition("-")
            if "-" in last:
                raise HoursError(
                    f"'{rule}': '{item.strip()}' is not a day range; write it as Mon-Fri"
                )
            a, b = _day(rule, first), _day(rule, last)
            days += [(a + k) % 7 for k in range((b - a) % 7 + 1)]
        else:
            days.append(_day(rule, item))
    return sorted(set(days))


def _ranges(rule: str, text: str) -> list[tuple[int, int]]:
    """'09:00-12:00, 13:00-18:00' -> [(540, 720), (780, 1080)]; overnight ends pass 1440."""
    out = []
    for item in text.split(","):
        item = item.strip()
        m = _RANGE.fullmatch(item)
        if not m:
            raise HoursError(
                f"'{rule}': '{item}' is not a time range; write HH:MM-HH:MM",
                "e.g. 09:00-18:00, or 22:00-02:00 for a range that ends the next day",
            )
        start = _time(rule, m.group(1), is_end=False)
        end = _time(rule, m.group(2), is_end=True)
        if start == end % DAY_MINUTES and end != DAY_MINUTES:
            raise HoursError(
                f"'{rule}': '{item}' is empty (it starts when it ends)",
                "for a whole day write 00:00-24:00",
            )
        out.append((start, end if end > start else end + DAY_MINUTES))
    return out


def _time(rule: str, text: str, is_end: bool) -> int:
    m = _TIME.fullmatch(text)
    if not m:
        raise HoursError(
            f"'{rule}': '{text}' is not a time; write HH:MM on a 24-hour clock",
            "e.g. 09:00 or 17:30",
        )
    h, mi = int(m.group(1)), int(m.group(2))
    if h == 24 and mi == 0:
        if is_end:
            return DAY_MINUTES
        raise HoursError(
            f"'{rule}': '{text}' can only end a range; a day starts at 00:00",
            "e.g. 00:00-06:00",
        )
    if h > 23:
        raise HoursError(
            f"'{rule}': '{text}' is not a time; hours go from 00 to 23 (24:00 only as an end)"
        )
    if mi > 59:
        raise HoursError(f"'{rule}': '{text}' is not a time; minutes go from 00 to 59")
    return h * 60 + mi


def _merge_week(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of (start, end) week minutes, wrapped into [0, WEEK_MINUTES), merged."""
    flat = []
    for start, end in spans:
        if end <= WEEK_MINUTES:
            flat.append((start, end))
        else:  # Sunday overnight: the rest is Monday morning
            flat += [(start, WEEK_MINUTES), (0, end - WEEK_MINUTES)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(flat):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _split_week(week: list[tuple[int, int]]) -> tuple[tuple[int, int, int], ...]:
    out = []
    for start, end in week:
        while start < end:
            day = start // DAY_MINUTES
            stop = min(end, (day + 1) * DAY_MINUTES)
            out.append((day, start - day * DAY_MINUTES, stop - day * DAY_MINUTES))
            start = stop
    return tuple(out)


@functools.cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _timezone(name: object) -> str:
    if not isinstance(name, str):
        raise HoursError(
            f"timezone must be a string, not {type(name).__name__}",
            'e.g. timezone = "Europe/Lisbon"',
        )
    zones = _zones()
    if name in zones:
        return name
    by_lower = {z.lower(): z for z in zones}
    close = [by_lower[name.lower()]] if name.lower() in by_lower else []
    close = close or difflib.get_close_matches(name, sorted(zones), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise HoursError(
        f"unknown time zone '{name}'",
        hint + "(an IANA name such as Europe/Lisbon: "
        "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
    )


def _closed(closed: object) -> tuple[str, ...]:
    if closed is None:
        return ()
    if not isinstance(closed, (list, tuple)):
        raise HoursError(
            f"closed must be a list of dates, not {type(closed).__name__}",
            'e.g. closed = ["12-25", 2026-01-01]',
        )
    out = set()
    for item in closed:
        out.add(_closed_day(item))
    return tuple(sorted(out))


def _closed_day(item: object) -> str:
    hint = 'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year'
    if isinstance(item, datetime):
        raise HoursError(
            f"closed: {item.isoformat()} has a time of day; closed days are whole days",
            f"write just the date: {item.date().isoformat()}",
        )
    if isinstance(item, date):
        return item.isoformat()
    if not isinstance(item, str):
        raise HoursError(f"closed: {item!r} is not a date", hint)
    text = item.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        if _MONTH_DAY.fullmatch(text):
            date.fromisoformat("2000-" + text)  # a leap year: 02-29 is a day
            return text
    except ValueError:
        raise HoursError(f"closed: '{item}' is not a date in the calendar", hint) from None
    raise HoursError(f"closed: '{item}' is not a date", hint)


# ---- status ----------------------------------------------------------------------------------


def is_closed(hours: Hours, day: date) -> bool:
    """Whether `day` (a local date of the channel) is one of its closed days."""
    iso = day.isoformat()
    return iso in hours.closed or iso[5:] in hours.closed


def openings(hours: Hours, now: datetime) -> list[tuple[datetime, datetime]]:
    """The openings around `now` as (start, end) instants in UTC, sorted and merged.

    Local dates from the day before now's to 16 days after are looked at; wall-clock ranges
    touching across midnight are joined, then each is converted with fold=0 (see the module
    docstring). Openings running past the window are cut at its end.
    """
    tz = ZoneInfo(hours.timezone)
    today = now.astimezone(tz).date()
    by_day: dict[int, list[tuple[int, int]]] = {}
    for d, s, e in hours.intervals:
        by_day.setdefault(d, []).append((s, e))
    wall: list[list[int]] = []  # [start, end] minutes from today's local midnight
    for k in WINDOW_DAYS:
        day = today + timedelta(days=k)
        if is_closed(hours, day):
            continue
        for s, e in by_day.get(day.weekday(), ()):
            start, end = k * DAY_MINUTES + s, k * DAY_MINUTES + e
            if wall and start <= wall[-1][1]:
                wall[-1][1] = max(wall[-1][1], end)
            else:
                wall.append([start, end])
    midnight = datetime.combine(today, time())
    spans = []
    for start, end in wall:
        a = _instant(midnight + timedelta(minutes=start), tz)
        b = _instant(midnight + timedelta(minutes=end), tz)
        if b > a:
            spans.append((a, b))
    merged: list[tuple[datetime, datetime]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _instant(wall: datetime, tz: ZoneInfo) -> datetime:
    """A naive local wall time -> the UTC instant, by zoneinfo's fold=0."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC)


def status(hours: Hours, now: datetime) -> Status:
    """Open at `now` (timezone-aware)? until / next_open are in UTC.

    UTC, not the channel's zone: Python never finds an aware datetime that falls in a
    repeated hour equal to one in another zone (PEP 495), so an instant is safest in UTC.
    Show it with `.astimezone(ZoneInfo(hours.timezone))` or the reader's zone.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("status() needs a timezone-aware datetime")
    if hours.always:
        return Status(True)
    for start, end in openings(hours, now):
        if start <= now < end:
            return Status(True, until=end if end - now <= UNTIL_HORIZON else None)
        if start > now:
            if start - now <= NEXT_OPEN_HORIZON:
                return Status(False, next_open=start)
            break
    return Status(False)


# ---- description -----------------------------------------------------------------------------


def describe(hours: Hours, locale: str) -> str:
    """The hours as plain text in `locale`, for readers without JavaScript.

    "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 10:00–14:00 (Portugal (Lisbon) Time)": Babel's
    abbreviated day names and zone name ("Europe/Lisbon" itself for zones without a place,
    such as UTC), 24-hour HH:MM times in the locale's digits (Persian ۰۹:۰۰), days with the
    same times grouped ("–" joins a run of consecutive days, "," separates the rest), groups
    separated by "; ". An overnight range
    is shown on the day it starts: "Fri 22:00–02:00". Closed dates are left out. Always open
    is "24/7", the same in every language: the template wraps it in its own words.
    An unknown locale falls back to English.
    """
    if hours.always:
        return "24/7"
    names = _day_names(locale)
    # an overnight range, split at midnight by parse_hours, is shown whole on its first day
    ends = {(d, s): e for d, s, e in hours.intervals}
    joined = {
        d: ends[((d + 1) % 7, 0)]
        for d, s, e in hours.intervals
        if e == DAY_MINUTES and s > 0 and ends.get(((d + 1) % 7, 0), DAY_MINUTES) < DAY_MINUTES
    }
    per_day: dict[int, list[tuple[int, int]]] = {d: [] for d in range(7)}
    for d, s, e in hours.intervals:
        if s == 0 and (d - 1) % 7 in joined:
            continue
        per_day[d].append((s, joined[d] if e == DAY_MINUTES and d in joined else e))
    groups: list[tuple[tuple[tuple[int, int], ...], list[int]]] = []
    for d in range(7):
        ranges = tuple(per_day[d])
        if not ranges:
            continue
        for key, days in groups:
            if key == ranges:
                days.append(d)
                break
        else:
            groups.append((ranges, [d]))
    parts = []
    for ranges, days in groups:
        times = ", ".join(f"{_hhmm(s)}–{_hhmm(e)}" for s, e in ranges)
        parts.append(f"{_day_runs(days, names)} {times}")
    return native_digits(locale, f"{'; '.join(parts)} ({_zone_name(hours.timezone, locale)})")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _day_runs(days: list[int], names: list[str]) -> str:
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    return ", ".join(names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}" for r in runs)


def _day_names(locale: str) -> list[str]:
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=babel_locale(locale))
    return [names[i] for i in range(7)]


def _zone_name(zone: str, locale: str) -> str:
    from babel.core import get_global
    from babel.dates import get_timezone_location

    canonical = get_global("zone_aliases").get(zone, zone)
    if get_global("zone_territories").get(canonical) in (None, "ZZ", "001"):
        return zone
    try:
        return get_timezone_location(ZoneInfo(zone), locale=babel_locale(locale))
    except (LookupError, ValueError):
        return zone
