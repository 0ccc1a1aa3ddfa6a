"""Opening hours: helpgen/hours.py, and hours.js computing the same in the browser.

tests/hours_vectors.json holds (hours, now) cases with Python's status; the same file is checked
in Python (regenerated and compared), in node and in headless Chromium. After an intended change,
regenerate it from the repo root with:  python -m tests.test_hours --regenerate
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpgen.hours import (
    Hours,
    HoursError,
    Status,
    describe,
    is_closed,
    openings,
    parse_hours,
    status,
)

REPO = Path(__file__).resolve().parent.parent
VECTORS_PATH = REPO / "tests" / "hours_vectors.json"
HOURS_JS = REPO / "themes" / "default" / "static" / "js" / "hours.js"
NODE = "/usr/bin/node" if os.path.exists("/usr/bin/node") else shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def at(text: str, tz: str = "UTC") -> datetime:
    """'2024-06-03 10:00' in tz -> an aware datetime (fold=0)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


def utc(text: str) -> datetime:
    return at(text, "UTC")


def local(dt: datetime | None, tz: str) -> str | None:
    """An instant as 'YYYY-MM-DD HH:MM' wall time in tz (plus its UTC offset)."""
    if dt is None:
        return None
    return dt.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M%z")


# ---- parsing: every grammar form ----------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "intervals"),
    [
        ("Mon 09:00-18:00", [(0, 540, 1080)]),
        ("mon 9:00-18:00", [(0, 540, 1080)]),
        ("MON 09:00–18:00", [(0, 540, 1080)]),
        ("Mon-Wed 09:00-10:00", [(0, 540, 600), (1, 540, 600), (2, 540, 600)]),
        ("Mon - Wed 09:00 - 10:00", [(0, 540, 600), (1, 540, 600), (2, 540, 600)]),
        ("Sat-Mon 10:00-11:00", [(0, 600, 660), (5, 600, 660), (6, 600, 660)]),
        ("Mon,Wed,Fri 08:00-09:00", [(0, 480, 540), (2, 480, 540), (4, 480, 540)]),
        ("Mon, Fri-Sat 08:00-09:00", [(0, 480, 540), (4, 480, 540), (5, 480, 540)]),
        ("Tue 09:00-12:00, 13:00-18:00", [(1, 540, 720), (1, 780, 1080)]),
        ("Tue 09:00-12:00,12:00-18:00", [(1, 540, 1080)]),  # adjacent: merged
        ("Tue 09:00-14:00, 12:00-18:00", [(1, 540, 1080)]),  # overlapping: union
        ("Fri 22:00-02:00", [(4, 1320, 1440), (5, 0, 120)]),
        ("Sun 23:00-01:00", [(0, 0, 60), (6, 1380, 1440)]),  # wraps into Monday
        ("Fri 22:00-00:00", [(4, 1320, 1440)]),
        ("Fri 22:00-24:00", [(4, 1320, 1440)]),
        ("Wed 00:00-24:00", [(2, 0, 1440)]),
        ("Mon-Tue 00:00-24:00", [(0, 0, 1440), (1, 0, 1440)]),
        ("Mon 09:00-10:00; Tue 11:00-12:00", [(0, 540, 600), (1, 660, 720)]),
        ("Mon 09:00-10:00;", [(0, 540, 600)]),
        (
            ["Mon-Fri 09:00-18:00", "Sat 10:00-14:00"],
            [*((d, 540, 1080) for d in range(5)), (5, 600, 840)],
        ),
        (["Mon 09:00-12:00", "Mon 11:00-13:00"], [(0, 540, 780)]),
        (
            ["Mon-Fri 22:00-02:00"],
            [
                (0, 1320, 1440),
                (1, 0, 120),
                (1, 1320, 1440),
                (2, 0, 120),
                (2, 1320, 1440),
                (3, 0, 120),
                (3, 1320, 1440),
                (4, 0, 120),
                (4, 1320, 1440),
                (5, 0, 120),
            ],
        ),
        ("Mon-Mon 09:00-10:00", [(0, 540, 600)]),
    ],
)
def test_grammar(spec, intervals):
    hours = parse_hours(spec, "Europe/Lisbon", [])
    assert hours.intervals == tuple(intervals)
    assert not hours.always and hours.timezone == "Europe/Lisbon"


def test_spec_keeps_the_text_as_written():
    hours = parse_hours(["Mon-Fri  09:00-18:00", "Sat 10:00-14:00"], "UTC", [])
    assert hours.spec == "Mon-Fri 09:00-18:00; Sat 10:00-14:00"


def test_always():
    for spec in ("24/7", ["24/7"], " 24/7 "):
        hours = parse_hours(spec, None, [])
        assert hours == Hours(True, "", tuple((d, 0, 1440) for d in range(7)), (), "24/7")
        assert hours.to_json() == {"always": True}
    assert parse_hours("24/7", "Asia/Tokyo", None).timezone == "Asia/Tokyo"
    # the whole week written out, no closed days: also always open
    assert parse_hours("Mon-Sun 00:00-24:00", "UTC", []).always
    assert parse_hours("Fri-Thu 00:00-24:00", "UTC", []).to_json() == {"always": True}
    # 24/7 with closed days is not always open, and needs a time zone for them
    hours = parse_hours("24/7", "America/New_York", ["12-25"])
    assert not hours.always and len(hours.intervals) == 7
    assert hours.to_json() == {
        "tz": "America/New_York",
        "w": [[d, 0, 1440] for d in range(7)],
        "closed": ["12-25"],
    }


def test_closed_dates():
    hours = parse_hours(
        "Mon 09:00-10:00", "UTC", ["12-25", date(2026, 1, 1), "2025-12-31", "02-29", "12-25"]
    )
    assert hours.closed == ("02-29", "12-25", "2025-12-31", "2026-01-01")
    assert is_closed(hours, date(2026, 12, 25)) and is_closed(hours, date(2025, 12, 31))
    assert is_closed(hours, date(2028, 2, 29)) and not is_closed(hours, date(2026, 12, 31))
    assert parse_hours("Mon 09:00-10:00", "UTC", None).closed == ()


def test_to_json():
    hours = parse_hours(["Mon-Fri 09:00-18:00", "Fri 22:00-02:00"], "Europe/Lisbon", ["12-25"])
    assert hours.to_json() == {
        "tz": "Europe/Lisbon",
        "w": [
            [0, 540, 1080],
            [1, 540, 1080],
            [2, 540, 1080],
            [3, 540, 1080],
            [4, 540, 1080],
            [4, 1320, 1440],
            [5, 0, 120],
        ],
        "closed": ["12-25"],
    }
    assert "closed" not in parse_hours("Mon 09:00-10:00", "UTC", []).to_json()
    assert json.loads(json.dumps(hours.to_json())) == hours.to_json()


# ---- parsing: every mistake, with its message ---------------------------------------------

DAYS_LIST = "use Mon, Tue, Wed, Thu, Fri, Sat, Sun"
NY = "America/New_York"


@pytest.mark.parametrize(
    ("spec", "tz", "closed", "message", "hint"),
    [
        (
            "Mon-Fir 09:00-18:00",
            "UTC",
            [],
            f"'Mon-Fir 09:00-18:00': 'Fir' is not a day; {DAYS_LIST}",
            "did you mean 'Fri'?",
        ),
        (
            "Monday 09:00-18:00",
            "UTC",
            [],
            f"'Monday 09:00-18:00': 'Monday' is not a day; {DAYS_LIST}",
            "did you mean 'Mon'?",
        ),
        (
            "Xyz 09:00-18:00",
            "UTC",
            [],
            f"'Xyz 09:00-18:00': 'Xyz' is not a day; {DAYS_LIST}",
            "days are English three-letter names",
        ),
        (
            "Mon,,Tue 09:00-18:00",
            "UTC",
            [],
            f"'Mon,,Tue 09:00-18:00': a day is missing in the day list; {DAYS_LIST}",
            None,
        ),
        (
            "Mon- 09:00-18:00",
            "UTC",
            [],
            f"'Mon- 09:00-18:00': a day is missing in the day list; {DAYS_LIST}",
            None,
        ),
        (
            "Mon-Wed-Fri 09:00-18:00",
            "UTC",
            [],
            "'Mon-Wed-Fri 09:00-18:00': 'Mon-Wed-Fri' is not a day range; write it as Mon-Fri",
            None,
        ),
        (
            "Mon-Fri",
            "UTC",
            [],
            "'Mon-Fri': no opening times; write the days, a space, then the times",
            "e.g. 'Mon-Fri 09:00-18:00'",
        ),
        (
            "09:00-18:00",
            "UTC",
            [],
            "'09:00-18:00': no days before the times; start the rule with the days",
            "e.g. 'Mon-Fri 09:00-18:00'",
        ),
        (
            "Mon 9-18",
            "UTC",
            [],
            "'Mon 9-18': '9' is not a time; write HH:MM on a 24-hour clock",
            "e.g. 09:00 or 17:30",
        ),
        (
            "Mon 9am-5pm",
            "UTC",
            [],
            "'Mon 9am-5pm': '9am' is not a time; write HH:MM on a 24-hour clock",
            "e.g. 09:00 or 17:30",
        ),
        (
            "Mon 09:00",
            "UTC",
            [],
            "'Mon 09:00': '09:00' is not a time range; write HH:MM-HH:MM",
            "e.g. 09:00-18:00, or 22:00-02:00 for a range that ends the next day",
        ),
        (
            "Mon 09:00-12:00,",
            "UTC",
            [],
            "'Mon 09:00-12:00,': '' is not a time range; write HH:MM-HH:MM",
            "e.g. 09:00-18:00, or 22:00-02:00 for a range that ends the next day",
        ),
        (
            "Mon 25:00-26:00",
            "UTC",
            [],
            "'Mon 25:00-26:00': '25:00' is not a time; hours go from 00 to 23 (24:00 only as an end)",
            None,
        ),
        (
            "Mon 09:00-24:30",
            "UTC",
            [],
            "'Mon 09:00-24:30': '24:30' is not a time; hours go from 00 to 23 (24:00 only as an end)",
            None,
        ),
        (
            "Mon 09:60-10:00",
            "UTC",
            [],
            "'Mon 09:60-10:00': '09:60' is not a time; minutes go from 00 to 59",
            None,
        ),
        (
            "Mon 24:00-02:00",
            "UTC",
            [],
            "'Mon 24:00-02:00': '24:00' can only end a range; a day starts at 00:00",
            "e.g. 00:00-06:00",
        ),
        (
            "Mon 10:00-10:00",
            "UTC",
            [],
            "'Mon 10:00-10:00': '10:00-10:00' is empty (it starts when it ends)",
            "for a whole day write 00:00-24:00",
        ),
        (
            "Mon 00:00-00:00",
            "UTC",
            [],
            "'Mon 00:00-00:00': '00:00-00:00' is empty (it starts when it ends)",
            "for a whole day write 00:00-24:00",
        ),
        (
            "",
            "UTC",
            [],
            "hours is empty",
            'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"',
        ),
        (
            [],
            "UTC",
            [],
            "hours is empty",
            'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"',
        ),
        (
            " ; ",
            "UTC",
            [],
            "hours is empty",
            'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"',
        ),
        (
            9,
            "UTC",
            [],
            "hours must be a string or a list of strings, not int",
            'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"',
        ),
        (
            ["Mon 09:00-10:00", 5],
            "UTC",
            [],
            "hours must be a string or a list of strings; 5 is a int",
            'e.g. "Mon-Fri 09:00-18:00", "Sat 10:00-14:00" or "24/7"',
        ),
        (
            ["24/7", "Mon 09:00-10:00"],
            "UTC",
            [],
            "'24/7' cannot be combined with other rules",
            'keep just "24/7", or list the days: "Mon-Sun 00:00-24:00"',
        ),
        (
            "Mon 09:00-10:00",
            None,
            [],
            "a timezone is required with hours: the same clock time is a different moment in every zone",
            'add timezone = "Europe/Lisbon" (an IANA name: Area/City)',
        ),
        (
            "Mon 09:00-10:00",
            " ",
            [],
            "a timezone is required with hours: the same clock time is a different moment in every zone",
            'add timezone = "Europe/Lisbon" (an IANA name: Area/City)',
        ),
        (
            "24/7",
            None,
            ["12-25"],
            "a timezone is required with closed dates: the same clock time is a different moment in every zone",
            'add timezone = "Europe/Lisbon" (an IANA name: Area/City)',
        ),
        (
            "Mon 09:00-10:00",
            "Europe/Lisbn",
            [],
            "unknown time zone 'Europe/Lisbn'",
            "did you mean 'Europe/Lisbon'? (an IANA name such as Europe/Lisbon: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
        ),
        (
            "Mon 09:00-10:00",
            "asia/tokyo",
            [],
            "unknown time zone 'asia/tokyo'",
            "did you mean 'Asia/Tokyo'? (an IANA name such as Europe/Lisbon: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
        ),
        (
            "Mon 09:00-10:00",
            "Lisbon",
            [],
            "unknown time zone 'Lisbon'",
            "did you mean 'Europe/Lisbon'? (an IANA name such as Europe/Lisbon: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
        ),
        (
            "Mon 09:00-10:00",
            "../etc/passwd",
            [],
            "unknown time zone '../etc/passwd'",
            "(an IANA name such as Europe/Lisbon: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
        ),
        (
            "24/7",
            "Mars/Olympus",
            [],
            "unknown time zone 'Mars/Olympus'",
            "(an IANA name such as Europe/Lisbon: https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)",
        ),
        (
            "Mon 09:00-10:00",
            3,
            [],
            "timezone must be a string, not int",
            'e.g. timezone = "Europe/Lisbon"',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            "12-25",
            "closed must be a list of dates, not str",
            'e.g. closed = ["12-25", 2026-01-01]',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            ["2026-13-01"],
            "closed: '2026-13-01' is not a date in the calendar",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            ["2026-02-29"],
            "closed: '2026-02-29' is not a date in the calendar",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            ["02-30"],
            "closed: '02-30' is not a date in the calendar",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            ["25/12"],
            "closed: '25/12' is not a date",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            ["Christmas"],
            "closed: 'Christmas' is not a date",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            [20261225],
            "closed: 20261225 is not a date",
            'write "YYYY-MM-DD" for one date, or "MM-DD" for that day every year',
        ),
        (
            "Mon 09:00-10:00",
            "UTC",
            [datetime(2026, 12, 25, 10, 0)],
            "closed: 2026-12-25T10:00:00 has a time of day; closed days are whole days",
            "write just the date: 2026-12-25",
        ),
    ],
)
def test_mistakes(spec, tz, closed, message, hint):
    with pytest.raises(HoursError) as caught:
        parse_hours(spec, tz, closed)
    assert caught.value.message == message
    assert caught.value.hint == hint
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


# ---- status ----------------------------------------------------------------------------------

LISBON_OFFICE = parse_hours(
    ["Mon-Fri 09:00-12:00, 13:00-18:00", "Sat 10:00-14:00"], "Europe/Lisbon", []
)


def test_status_on_a_weekday():
    tz = "Europe/Lisbon"
    # Monday 3 June 2024, summer time (UTC+1)
    assert status(LISBON_OFFICE, at("2024-06-03 08:59", tz)) == Status(
        False, next_open=at("2024-06-03 09:00", tz)
    )
    s = status(LISBON_OFFICE, at("2024-06-03 09:00", tz))
    assert s == Status(True, until=at("2024-06-03 12:00", tz))
    assert s.until.tzinfo == UTC and s.until == utc("2024-06-03 11:00")
    assert status(LISBON_OFFICE, at("2024-06-03 12:30", tz)).next_open == at("2024-06-03 13:00", tz)
    assert status(LISBON_OFFICE, at("2024-06-03 17:59:59.999", tz)).until == at(
        "2024-06-03 18:00", tz
    )
    # after hours: tomorrow morning; Saturday afternoon: Monday morning
    assert status(LISBON_OFFICE, at("2024-06-03 18:00", tz)) == Status(
        False, next_open=at("2024-06-04 09:00", tz)
    )
    assert status(LISBON_OFFICE, at("2024-06-08 11:00", tz)).until == at("2024-06-08 14:00", tz)
    assert status(LISBON_OFFICE, at("2024-06-08 14:00", tz)).next_open == at("2024-06-10 09:00", tz)
    # now given in another zone: the same instant
    assert status(LISBON_OFFICE, at("2024-06-03 17:30", "Asia/Tokyo")).until == utc(
        "2024-06-03 11:00"
    )


def test_status_overnight():
    hours = parse_hours("Fri 22:00-02:00", "Europe/Berlin", [])
    tz = "Europe/Berlin"
    assert status(hours, at("2024-06-08 01:00", tz)) == Status(
        True, until=at("2024-06-08 02:00", tz)
    )
    assert status(hours, at("2024-06-07 21:00", tz)) == Status(
        False, next_open=at("2024-06-07 22:00", tz)
    )
    assert status(hours, at("2024-06-07 23:00", tz)).until == at("2024-06-08 02:00", tz)
    assert status(hours, at("2024-06-08 02:00", tz)).next_open == at("2024-06-14 22:00", tz)
    # Sunday night into Monday: the week wraps
    hours = parse_hours("Sun 23:00-01:00", "Asia/Tokyo", [])
    assert status(hours, at("2024-06-10 00:30", "Asia/Tokyo")).until == at(
        "2024-06-10 01:00", "Asia/Tokyo"
    )
    # consecutive whole days are one opening
    hours = parse_hours("Mon-Wed 00:00-24:00", "UTC", [])
    assert status(hours, utc("2024-06-03 10:00")).until == utc("2024-06-06 00:00")


def test_status_always():
    for hours in (parse_hours("24/7", None, []), parse_hours("Mon-Sun 00:00-24:00", "UTC", [])):
        assert status(hours, utc("2024-06-03 10:00")) == Status(True, None, None)


def test_status_with_closed_dates():
    tz = "Europe/Lisbon"
    for closed in (["12-25"], ["2024-12-25"], [date(2024, 12, 25)]):
        hours = parse_hours("Mon-Fri 09:00-18:00", tz, closed)
        # Wednesday 25 December 2024: closed all day, opens Thursday
        assert status(hours, at("2024-12-25 10:00", tz)) == Status(
            False, next_open=at("2024-12-26 09:00", tz)
        )
        assert status(hours, at("2024-12-24 18:00", tz)).next_open == at("2024-12-26 09:00", tz)
    # the yearly form applies every year, the dated one only once
    assert not status(
        parse_hours("Mon-Fri 09:00-18:00", tz, ["12-25"]), at("2025-12-25 10:00", tz)
    ).open
    assert status(
        parse_hours("Mon-Fri 09:00-18:00", tz, ["2024-12-25"]), at("2025-12-25 10:00", tz)
    ).open
    # a closed day cuts an opening that runs through midnight
    hours = parse_hours("24/7", "America/New_York", ["12-25"])
    assert status(hours, at("2024-12-24 20:00", "America/New_York")) == Status(
        True, until=at("2024-12-25 00:00", "America/New_York")
    )
    assert status(hours, at("2024-12-25 20:00", "America/New_York")).next_open == at(
        "2024-12-26 00:00", "America/New_York"
    )
    # closed on the day in the channel's zone, not in UTC
    hours = parse_hours("Mon-Sun 00:00-24:00", "Pacific/Auckland", ["12-25"])
    assert not status(hours, utc("2024-12-24 12:00")).open  # already the 25th in Auckland
    assert status(hours, utc("2024-12-25 12:00")).open  # the 26th there
    # an opening beyond the 7-day horizon: open, with no end given
    assert status(hours, utc("2024-12-01 12:00")) == Status(True, None, None)
    assert status(hours, utc("2024-12-20 12:00")).until == at(
        "2024-12-25 00:00", "Pacific/Auckland"
    )


def test_horizons():
    """until: an end at most 7 days ahead; next_open: a start at most 14 days ahead."""
    hours = parse_hours("Wed 10:00-11:00", "UTC", ["2024-01-03", "2024-01-10"])
    assert status(hours, utc("2024-01-03 12:00")).next_open == utc("2024-01-17 10:00")  # 13.9 days
    assert status(hours, utc("2024-01-01 00:00")) == Status(False, None, None)  # 16.4 days
    hours = parse_hours("Wed 10:00-11:00", "UTC", ["2024-01-03", "2024-01-10", "2024-01-17"])
    assert status(hours, utc("2024-01-02 00:00")) == Status(False, None, None)  # 22 days
    assert status(hours, utc("2024-01-10 10:00")).next_open == utc("2024-01-24 10:00")  # exactly 14
    assert status(hours, utc("2024-01-10 09:59:59.999")).next_open is None
    hours = parse_hours("24/7", "UTC", ["2024-01-08"])
    assert status(hours, utc("2024-01-01 00:00")).until == utc("2024-01-08 00:00")  # exactly 7
    assert status(hours, utc("2024-01-01 00:00:00.001")).until == utc("2024-01-08 00:00")
    assert status(hours, utc("2023-12-31 23:59:59.999")) == Status(True, None, None)


def test_status_needs_an_aware_datetime():
    with pytest.raises(ValueError):
        status(LISBON_OFFICE, datetime(2024, 6, 3, 10, 0))


def test_dst_spring_forward_new_york():
    # Sunday 10 March 2024: 02:00 EST -> 03:00 EDT (07:00 UTC)
    hours = parse_hours("Sun 01:00-05:00", NY, [])
    assert status(hours, utc("2024-03-10 06:00")) == Status(True, until=at("2024-03-10 05:00", NY))
    assert status(hours, utc("2024-03-10 06:00")).until == utc("2024-03-10 09:00")  # 3 hours
    # an opening at a time that does not exist: fold=0, read with the offset before (EST)
    hours = parse_hours("Sun 02:30-05:00", NY, [])
    assert status(hours, utc("2024-03-10 05:00")).next_open == utc("2024-03-10 07:30")  # 03:30 EDT
    assert not status(hours, utc("2024-03-10 07:15")).open
    assert status(hours, utc("2024-03-10 07:30")).open
    # a closing time that does not exist: likewise
    hours = parse_hours("Sun 01:00-02:30", NY, [])
    assert status(hours, utc("2024-03-10 06:30")).until == utc("2024-03-10 07:30")
    # inside the gap: both ends are read with EST, so it lasts its 40 minutes, 03:10-03:50 EDT
    hours = parse_hours("Sun 02:10-02:50", NY, [])
    assert status(hours, utc("2024-03-10 05:00")).next_open == utc("2024-03-10 07:10")
    assert status(hours, utc("2024-03-10 07:10")).until == utc("2024-03-10 07:50")
    # from inside the gap to just after it: the end comes before the start, none that day
    hours = parse_hours("Sun 02:30-03:15", NY, [])
    assert status(hours, utc("2024-03-10 05:00")).next_open == at("2024-03-17 02:30", NY)
    assert not status(hours, utc("2024-03-10 07:20")).open
    # the week after: normal
    hours = parse_hours("Mon-Fri 09:00-17:00", NY, [])
    assert status(hours, utc("2024-03-09 12:00")).next_open == utc("2024-03-11 13:00")
    assert status(hours, utc("2024-03-08 15:00")).until == utc("2024-03-08 22:00")


def test_dst_fall_back_new_york():
    # Sunday 3 November 2024: 02:00 EDT -> 01:00 EST (06:00 UTC); 01:00-02:00 happens twice
    hours = parse_hours("Sun 00:00-03:00", NY, [])
    assert status(hours, utc("2024-11-03 04:00")).until == utc("2024-11-03 08:00")  # 4 hours
    # a repeated time is its first occurrence
    hours = parse_hours("Sun 00:00-01:30", NY, [])
    assert status(hours, utc("2024-11-03 05:00")).until == utc("2024-11-03 05:30")  # EDT
    assert not status(hours, utc("2024-11-03 06:15")).open  # 01:15 EST, the second time round
    hours = parse_hours("Sun 01:30-04:00", NY, [])
    assert status(hours, utc("2024-11-03 04:00")).next_open == utc("2024-11-03 05:30")
    assert status(hours, utc("2024-11-03 06:00")).open  # 01:00 EST: inside the opening
    hours = parse_hours("Mon-Fri 09:00-17:00", NY, [])
    assert status(hours, utc("2024-11-01 22:00")).next_open == utc("2024-11-04 14:00")


LISBON = "Europe/Lisbon"


def test_dst_lisbon():
    # Sunday 31 March 2024: 01:00 WET -> 02:00 WEST (01:00 UTC)
    hours = parse_hours("Sun 00:00-03:00", LISBON, [])
    assert status(hours, utc("2024-03-31 00:30")).until == utc("2024-03-31 02:00")  # 2 hours
    hours = parse_hours("Sat 20:00-01:30", LISBON, [])
    assert status(hours, utc("2024-03-31 00:30")).until == utc("2024-03-31 01:30")  # 02:30 WEST
    hours = parse_hours("Sun 01:15-02:00", LISBON, [])  # inside the gap, ends at its end
    assert status(hours, utc("2024-03-30 12:00")).next_open == at("2024-04-07 01:15", LISBON)
    # Sunday 27 October 2024: 02:00 WEST -> 01:00 WET (01:00 UTC)
    hours = parse_hours("Sun 00:00-03:00", LISBON, [])
    assert status(hours, utc("2024-10-26 23:30")).until == utc("2024-10-27 03:00")  # 4 hours
    hours = parse_hours("Sun 01:30-09:00", LISBON, [])
    assert status(hours, utc("2024-10-26 23:30")).next_open == utc("2024-10-27 00:30")
    hours = parse_hours("Mon-Fri 09:00-18:00", LISBON, [])
    assert status(hours, utc("2024-10-25 18:00")).next_open == utc("2024-10-28 09:00")
    assert status(hours, utc("2024-10-28 09:00")).until == utc("2024-10-28 18:00")


def test_zones_far_from_utc():
    tokyo = parse_hours("Mon-Fri 09:00-17:30", "Asia/Tokyo", [])
    # Sunday 23:30 UTC is Monday 08:30 in Tokyo
    assert status(tokyo, utc("2024-06-09 23:30")) == Status(
        False, next_open=utc("2024-06-10 00:00")
    )
    assert status(tokyo, utc("2024-06-10 08:00")).until == utc("2024-06-10 08:30")
    # Friday 09:00 UTC is Friday 18:00 in Tokyo: next is Monday 09:00 JST
    assert status(tokyo, utc("2024-06-14 09:00")).next_open == utc("2024-06-17 00:00")
    auckland = parse_hours("Mon-Fri 08:00-20:00", "Pacific/Auckland", ["2024-12-25"])
    assert status(auckland, utc("2024-06-09 20:30")).open  # Monday 08:30 NZST
    assert status(auckland, utc("2024-06-09 20:30")).until == utc("2024-06-10 08:00")
    # NZ daylight time starts Sunday 29 September 2024, 02:00 -> 03:00 NZDT
    assert status(auckland, utc("2024-09-27 09:00")).next_open == utc(
        "2024-09-29 19:00"
    )  # Mon 08:00 NZDT
    assert status(auckland, utc("2024-12-24 12:00")).next_open == utc("2024-12-25 19:00")  # 26th
    kiritimati = parse_hours("Mon 00:00-01:00", "Pacific/Kiritimati", [])  # UTC+14
    assert status(kiritimati, utc("2024-06-09 10:00")) == Status(
        True, until=utc("2024-06-09 11:00")
    )


def test_status_instants_are_in_utc():
    s = status(parse_hours("Mon 09:00-10:00", "Asia/Tokyo", []), utc("2024-06-03 00:30"))
    assert local(s.until, "Asia/Tokyo") == "2024-06-03 10:00+0900"
    assert s.until.tzinfo is UTC
    # a repeated hour compares equal across zones only from UTC (PEP 495)
    s = status(parse_hours("Sun 00:00-01:30", NY, []), utc("2024-11-03 05:00"))
    assert s.until == utc("2024-11-03 05:30") == at("2024-11-03 01:30", NY).astimezone(UTC)


# ---- describe --------------------------------------------------------------------------------


def test_describe():
    hours = parse_hours(
        ["Mon-Fri 09:00-12:00, 13:00-18:00", "Sat 10:00-14:00"], "Europe/Lisbon", ["12-25"]
    )
    assert (
        describe(hours, "en")
        == "Mon–Fri 09:00–12:00, 13:00–18:00; Sat 10:00–14:00 (Portugal (Lisbon) Time)"
    )
    assert describe(hours, "he").startswith(
        "יום ב׳–יום ו׳ 09:00–12:00, 13:00–18:00; שבת 10:00–14:00 ("
    )
    assert describe(hours, "zh-CN").startswith("周一–周五 09:00–12:00")
    assert describe(hours, "fa").startswith("دوشنبه–جمعه ۰۹:۰۰–۱۲:۰۰")  # Persian digits
    assert describe(hours, "pt-BR").startswith("seg.–sex. ")
    assert describe(hours, "xx-nope") == describe(hours, "en")  # unknown: English
    assert describe(hours, "") == describe(hours, "en")
    assert describe(parse_hours("24/7", None, []), "he") == "24/7"
    assert (
        describe(parse_hours("Mon,Wed,Fri 08:00-09:00; Thu 08:00-09:00", "UTC", []), "en")
        == "Mon, Wed–Fri 08:00–09:00 (UTC)"
    )
    assert (
        describe(parse_hours("Fri 22:00-02:00", "Asia/Tokyo", []), "en")
        == "Fri 22:00–02:00 (Japan Time)"
    )
    assert describe(parse_hours("Sun 23:00-01:00", "UTC", []), "en") == "Sun 23:00–01:00 (UTC)"
    assert (
        describe(parse_hours("Mon-Tue 00:00-24:00", "Etc/GMT+5", []), "en")
        == "Mon–Tue 00:00–24:00 (Etc/GMT+5)"
    )


# ---- properties: status against a minute-by-minute reading of the wall clock ---------------

ZONES = [
    "UTC",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/New_York",
    "Europe/Lisbon",
    "Pacific/Auckland",
    "Australia/Lord_Howe",
    "America/St_Johns",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "America/Santiago",
]
DST_ZONES = [
    "America/New_York",
    "Europe/Lisbon",
    "Pacific/Auckland",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "America/Santiago",
    "Pacific/Chatham",
]
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@cache
def transitions(zone: str) -> tuple[datetime, ...]:
    """UTC offset changes of zone from 2017 to 2031, to the minute."""
    tz, out = ZoneInfo(zone), []
    t, end = datetime(2017, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)
    while t < end:
        nxt = t + timedelta(hours=6)
        if t.astimezone(tz).utcoffset() != nxt.astimezone(tz).utcoffset():
            lo, hi = t, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                mid = mid.replace(second=0, microsecond=0)
                if mid.astimezone(tz).utcoffset() == t.astimezone(tz).utcoffset():
                    lo = mid if mid > lo else lo + timedelta(minutes=1)
                else:
                    hi = mid
            out.append(hi)
        t = nxt
    return tuple(out)


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@st.composite
def rules(draw) -> str:
    form = draw(st.sampled_from(["one", "range", "list"]))
    if form == "one":
        days = draw(st.sampled_from(DAY_NAMES))
    elif form == "range":
        days = "-".join(draw(st.lists(st.sampled_from(DAY_NAMES), min_size=2, max_size=2)))
    else:
        days = ",".join(draw(st.lists(st.sampled_from(DAY_NAMES), min_size=1, max_size=4)))
    minute = st.one_of(st.integers(0, 47).map(lambda x: x * 30), st.integers(0, 1439))
    ranges = []
    for _ in range(draw(st.integers(1, 2))):
        start = draw(minute)
        end = draw(
            st.one_of(minute, st.just(1440)).filter(lambda e, s=start: e % 1440 != s or e == 1440)
        )
        ranges.append(f"{hhmm(start)}-{hhmm(end)}")
    return f"{days} {', '.join(ranges)}"


@st.composite
def cases(draw) -> tuple[Hours, datetime]:
    zone = draw(st.sampled_from(ZONES))
    near = [t for t in transitions(zone) if datetime(2019, 1, 1, tzinfo=UTC) <= t]
    if near and draw(st.booleans()):
        base = draw(st.sampled_from(near))
        now = base + timedelta(minutes=draw(st.integers(-36 * 60, 36 * 60)))
    else:
        now = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(
            minutes=draw(st.integers(0, 11 * 365 * 1440))
        )
    now += timedelta(milliseconds=draw(st.sampled_from([0, 0, 1, 30_000, 59_999])))
    spec = draw(st.lists(rules(), min_size=1, max_size=4))
    today = now.astimezone(ZoneInfo(zone)).date()
    closed = [
        (today + timedelta(days=k)).isoformat()[5 if yearly else 0 :]
        for k, yearly in draw(st.lists(st.tuples(st.integers(-1, 15), st.booleans()), max_size=3))
    ]
    return parse_hours(spec, zone, closed), now


def wall_open(hours: Hours, t: datetime) -> bool:
    """Open at t by its local wall clock: not a closed date, and the minute is in a range."""
    loc = t.astimezone(ZoneInfo(hours.timezone))
    if f"{loc:%Y-%m-%d}" in hours.closed or f"{loc:%m-%d}" in hours.closed:
        return False
    m = loc.hour * 60 + loc.minute
    return any(d == loc.weekday() and s <= m < e for d, s, e in hours.intervals)


def brute_force(hours: Hours, now: datetime) -> tuple[bool, datetime | None, list]:
    """(open at now, the first minute after now where that changes, DST windows) by scanning
    UTC minutes. The change is None past the horizon (7 days open, 14 days closed)."""
    tz = ZoneInfo(hours.timezone)
    is_open = wall_open(hours, now)
    horizon = now + timedelta(days=7 if is_open else 14)
    t = now.replace(second=0, microsecond=0) - timedelta(hours=3)
    windows, offset, change = [], t.astimezone(tz).utcoffset(), None
    while t <= horizon + timedelta(hours=3):
        off = t.astimezone(tz).utcoffset()
        if off != offset:
            windows.append((t, t + abs(off - offset)))
            offset = off
        if change is None and now < t <= horizon and wall_open(hours, t) != is_open:
            change = t
        t += timedelta(minutes=1)
    return is_open, change, windows


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_status_agrees_with_the_wall_clock_minute_by_minute(case):
    """Away from the hour after a DST change, open is the wall clock's reading; until and
    next_open are the first minute it changes (within the horizons)."""
    hours, now = case
    got = status(hours, now)
    is_open, change, windows = brute_force(hours, now)

    def in_window(t: datetime | None) -> bool:
        return t is not None and any(a <= t <= b for a, b in windows)

    assume(not in_window(now))
    assert got.open == is_open
    answer = got.until if got.open else got.next_open
    assert (got.next_open if got.open else got.until) is None
    if not (in_window(answer) or in_window(change)):
        assert answer == change
    if not windows:
        assert answer == change


@settings(max_examples=300, deadline=None)
@given(st.lists(rules(), min_size=1, max_size=5))
def test_intervals_are_sorted_split_and_merged(spec):
    hours = parse_hours(spec, "UTC", [])
    iv = hours.intervals
    assert list(iv) == sorted(iv)
    assert all(0 <= d < 7 and 0 <= s < e <= 1440 for d, s, e in iv)
    assert all(a[0] != b[0] or a[2] < b[1] for a, b in pairwise(iv))
    # the same as the minutes each rule names, by brute force
    week = set()
    for rule in spec:
        days_text, _, times = rule.partition(" ")
        days = set()
        for item in days_text.split(","):
            a, _, b = item.partition("-")
            i, j = DAY_NAMES.index(a), DAY_NAMES.index(b or a)
            days |= {(i + k) % 7 for k in range((j - i) % 7 + 1)}
        for r in times.split(", "):
            s, e = (int(x[:2]) * 60 + int(x[3:]) for x in r.split("-"))
            e = e if e > s else e + 1440
            week |= {(d * 1440 + m) % 10080 for d in days for m in range(s, e)}
    assert week == {d * 1440 + m for d, s, e in iv for m in range(s, e)}


# ---- vectors: Python's status, for the JavaScript twin --------------------------------------

VECTOR_SETS = [
    # (hours, timezone, closed, [(base instant (UTC), random nows around it), ...])
    (
        "Mon-Fri 09:00-18:00",
        "Europe/Lisbon",
        ["12-25", "2024-12-24"],
        ["2024-06-03 07:00", "2024-03-29 12:00", "2024-10-25 12:00", "2024-12-23 12:00"],
    ),
    (
        ["Mon-Fri 09:00-12:00, 13:00-18:00", "Sat 10:00-14:00"],
        "America/New_York",
        ["2024-07-04"],
        ["2024-07-01 12:00", "2024-03-08 12:00", "2024-11-01 12:00", "2040-03-09 12:00"],
    ),
    ("Fri 22:00-02:00", "Europe/Berlin", [], ["2024-06-07 12:00", "2024-10-25 12:00"]),
    ("24/7", None, [], ["2024-06-03 07:00"]),
    ("24/7", "America/New_York", ["12-25"], ["2024-12-20 12:00", "2024-12-24 12:00"]),
    (
        "Sun 01:00-02:30; Sun 02:30-05:00",
        "America/New_York",
        [],
        ["2024-03-09 12:00", "2024-11-02 12:00"],
    ),
    (
        "Sun 02:10-03:15; Sun 01:30-01:45",
        "America/New_York",
        [],
        ["2024-03-09 12:00", "2024-11-02 12:00"],
    ),
    (
        "Mon-Sun 00:30-01:30, 02:00-02:30",
        "Europe/Lisbon",
        [],
        ["2024-03-30 12:00", "2024-10-26 12:00"],
    ),
    ("Mon-Fri 09:00-17:30", "Asia/Tokyo", [], ["2024-06-09 20:00", "2024-06-14 05:00"]),
    (
        "Mon-Sun 02:00-03:00, 08:00-20:00",
        "Pacific/Auckland",
        ["12-25"],
        ["2024-09-28 06:00", "2024-04-06 06:00", "2024-12-24 06:00"],
    ),
    ("Sun 01:00-03:00", "Australia/Lord_Howe", [], ["2024-10-05 06:00", "2024-04-06 06:00"]),
    (
        "Sat 20:00-24:00; Sun 00:00-00:30, 01:00-10:00",
        "America/Sao_Paulo",
        [],
        ["2018-11-03 12:00", "2019-02-16 12:00"],
    ),
    ("Sun-Thu 10:00-17:00", "Asia/Kathmandu", [], ["2024-06-06 06:00"]),
    ("Mon-Fri 08:00-16:00", "Pacific/Chatham", ["01-01"], ["2024-09-27 06:00", "2024-12-31 06:00"]),
    (
        "Wed 10:00-11:00",
        "UTC",
        ["2024-01-03", "2024-01-10", "2024-01-17"],
        ["2024-01-01 00:00", "2024-01-09 12:00"],
    ),
    (
        "Mon-Sun 00:00-24:00",
        "Pacific/Auckland",
        ["12-25"],
        ["2024-12-01 12:00", "2024-12-20 12:00"],
    ),
    ("Mon-Fri 09:00-17:00", "America/St_Johns", [], ["2024-11-01 12:00"]),
    ("Sun 23:00-01:00", "Asia/Tokyo", [], ["2024-06-09 12:00"]),
    ("Mon 00:00-01:00", "Pacific/Kiritimati", [], ["2024-06-08 12:00"]),
    ("Sat-Sun 00:00-24:00", "America/Santiago", [], ["2024-09-06 12:00", "2024-04-05 12:00"]),
]


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text)


def vector_nows(hours: Hours, bases: list[str], rng: random.Random) -> list[datetime]:
    """Around each base: the next few boundaries (1 ms before, at), and random instants."""
    nows: set[datetime] = set()
    for text in bases:
        base = utc(text)
        nows.add(base)
        if not hours.always:
            edges = [t for span in openings(hours, base) for t in span if t > base][:2]
            for edge in edges:
                nows |= {edge - timedelta(milliseconds=1), edge}
        nows.add(base + timedelta(milliseconds=rng.randrange(4 * 86_400_000)))
    return sorted(nows)


def build_vectors() -> dict:
    rng = random.Random(20240603)
    sets = []
    for spec, zone, closed, bases in VECTOR_SETS:
        hours = parse_hours(spec, zone, closed)
        cases_ = []
        for now in vector_nows(hours, bases, rng):
            s = status(hours, now)
            cases_.append([iso(now), s.open, iso(s.until), iso(s.next_open)])
        sets.append(
            {
                "hours": spec,
                "timezone": zone,
                "closed": closed,
                "json": hours.to_json(),
                "cases": cases_,
            }
        )
    return {
        "about": "Expected status of helpgen/hours.py and themes/default/static/js/hours.js, which "
        "must agree exactly. Each set: the hours as written, their to_json() and cases "
        "[now, open, until, next_open] (UTC instants). Regenerate (repo root): "
        "python -m tests.test_hours --regenerate",
        "sets": sets,
    }


def dump(data: dict) -> str:
    def js(x: object) -> str:
        return json.dumps(x, ensure_ascii=False)

    lines = ["{", f' "about": {js(data["about"])},', ' "sets": [']
    for i, s in enumerate(data["sets"]):
        lines.append("  {")
        lines += [f'   "{k}": {js(s[k])},' for k in ("hours", "timezone", "closed", "json")]
        lines.append('   "cases": [')
        lines += [f"    {js(c)}," for c in s["cases"]]
        lines[-1] = lines[-1].rstrip(",")
        lines.append("   ]")
        lines.append("  }," if i < len(data["sets"]) - 1 else "  }")
    lines += [" ]", "}"]
    return "\n".join(lines) + "\n"


@cache
def vectors() -> dict:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


def test_vectors_file_is_current():
    """The file is what build_vectors() makes now: regenerate it after an intended change."""
    fresh = build_vectors()
    assert vectors() == fresh, "run: python -m tests.test_hours --regenerate"
    assert VECTORS_PATH.read_text(encoding="utf-8") == dump(fresh)
    assert 180 <= sum(len(s["cases"]) for s in fresh["sets"]) <= 400


def test_python_reproduces_every_vector():
    for s in vectors()["sets"]:
        hours = parse_hours(s["hours"], s["timezone"], s["closed"])
        assert hours.to_json() == s["json"]
        for now, is_open, until, next_open in s["cases"]:
            got = status(hours, from_iso(now))
            assert [got.open, iso(got.until), iso(got.next_open)] == [is_open, until, next_open], (
                s["hours"],
                now,
            )


# The same evaluation in node and in the browser: every case through HelpgenHours.status.
JS_RUN_VECTORS = """
function runVectors(H, sets) {
  return sets.map(s => s.cases.map(c => {
    const r = H.status(s.json, Date.parse(c[0]));
    const iso = ms => ms === null ? null : new Date(ms).toISOString();
    return [c[0], r.open, iso(r.until), iso(r.nextOpen)];
  }));
}
"""


def js_mismatches(got: list[list]) -> list[str]:
    out = []
    for s, cases_ in zip(vectors()["sets"], got, strict=True):
        for want, have in zip(s["cases"], cases_, strict=True):
            if want != have:
                out.append(f"{s['hours']!r} {s['timezone']}: want {want}, got {have}")
    return out


def run_node(script: str, payload: object) -> object:
    assert NODE is not None
    prelude = (
        f"const H = require({json.dumps(str(HOURS_JS))});\n"
        "let input = ''; process.stdin.setEncoding('utf8');\n"
        "process.stdin.on('data', c => { input += c; });\n"
        "process.stdin.on('end', () => process.stdout.write(JSON.stringify(main(JSON.parse(input)))));\n"
    )
    done = subprocess.run(
        [NODE, "-e", prelude + script],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_node
def test_node_reproduces_every_vector():
    got = run_node(
        JS_RUN_VECTORS + "function main(sets) { return runVectors(H, sets); }", vectors()["sets"]
    )
    bad = js_mismatches(got)
    assert not bad, f"{len(bad)} cases differ:\n" + "\n".join(bad[:20])


@needs_node
def test_node_agrees_on_random_cases():
    """Beyond the stored vectors: 400 random (hours, now), most within two days of a DST
    change."""
    rng = random.Random(7)
    sets = []
    for _ in range(400):
        zone = rng.choice(ZONES)
        near = [t for t in transitions(zone) if t.year >= 2019]
        base = (
            rng.choice(near)
            if near and rng.random() < 0.6
            else datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(4000))
        )
        now = base + timedelta(milliseconds=rng.randrange(-2 * 86_400_000, 2 * 86_400_000))
        spec = []
        for _ in range(rng.randint(1, 3)):
            a, b = rng.randrange(7), rng.randrange(7)
            s = rng.randrange(48) * 30 if rng.random() < 0.7 else rng.randrange(1440)
            e = rng.choice([rng.randrange(48) * 30, rng.randrange(1440), 1440])
            if e % 1440 == s and e != 1440:
                e = 1440
            spec.append(f"{DAY_NAMES[a]}-{DAY_NAMES[b]} {hhmm(s)}-{hhmm(e)}")
        today = now.astimezone(ZoneInfo(zone)).date()
        closed = [
            (today + timedelta(days=rng.randrange(-1, 15))).isoformat()
            for _ in range(rng.randrange(3))
        ]
        hours = parse_hours(spec, zone, closed)
        st_ = status(hours, now)
        sets.append(
            {
                "hours": spec,
                "timezone": zone,
                "json": hours.to_json(),
                "cases": [[iso(now), st_.open, iso(st_.until), iso(st_.next_open)]],
            }
        )
    got = run_node(JS_RUN_VECTORS + "function main(sets) { return runVectors(H, sets); }", sets)
    bad = [
        f"{s['hours']} {s['timezone']}: want {s['cases'][0]}, got {g[0]}"
        for s, g in zip(sets, got, strict=True)
        if s["cases"][0] != g[0]
    ]
    assert not bad, "\n".join(bad[:20])


# ---- the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_browser_reproduces_every_vector(page):
    page.add_script_tag(path=str(HOURS_JS))
    got = page.evaluate(
        "(sets) => {" + JS_RUN_VECTORS + "return runVectors(window.HelpgenHours, sets); }",
        vectors()["sets"],
    )
    bad = js_mismatches(got)
    assert not bad, f"{len(bad)} cases differ:\n" + "\n".join(bad[:20])
    assert page.errors == []


HE_STRINGS = {
    "open_closes": "פתוח עכשיו · נסגר ב-{time}",
    "opens_day": "ייפתח ב{day} ב-{time}",
    "opens_today": "ייפתח היום ב-{time}",
    "open_always": "פתוח 24/7",
    "closed": "סגור",
}
LISBON_JSON = parse_hours("Mon-Fri 09:00-18:00", "Europe/Lisbon", []).to_json()


def labels(page, calls: list[list]) -> list[str]:
    """[[hours json, now ISO, lang, reader zone or None, strings or None], ...] -> labels."""
    return page.evaluate(
        """(calls) => calls.map(([h, now, lang, tz, strings]) => {
          const H = window.HelpgenHours;
          return H.label(H.status(h, Date.parse(now)), lang, tz || undefined, strings || undefined);
        })""",
        calls,
    )


@pytest.fixture
def tokyo_he_page(browser):
    """A page whose reader is in Tokyo with a Hebrew browser."""
    context = browser.new_context(timezone_id="Asia/Tokyo", locale="he-IL")
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    yield pg
    context.close()


@pytest.mark.browser
def test_labels_in_the_readers_zone_and_language(tokyo_he_page):
    page = tokyo_he_page
    page.add_script_tag(path=str(HOURS_JS))
    assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Tokyo"
    always = {"always": True}
    got = labels(
        page,
        [
            # Monday 3 June 2024 11:00 in Lisbon, open until 18:00 Lisbon = 02:00 Tuesday in Tokyo
            [LISBON_JSON, "2024-06-03T10:00:00Z", "en-GB", None, None],
            [LISBON_JSON, "2024-06-03T10:00:00Z", "he", None, HE_STRINGS],
            [LISBON_JSON, "2024-06-03T10:00:00Z", "en-GB", "Europe/Lisbon", None],
            [LISBON_JSON, "2024-06-03T10:00:00Z", "en-US", "America/New_York", None],
            # Saturday: opens Monday 09:00 Lisbon = Monday 17:00 Tokyo
            [LISBON_JSON, "2024-06-08T10:00:00Z", "en-GB", None, None],
            [LISBON_JSON, "2024-06-08T10:00:00Z", "he", None, HE_STRINGS],
            # Monday 15:00 in Tokyo, before Lisbon opens: later today in Tokyo
            [LISBON_JSON, "2024-06-03T06:00:00Z", "en-GB", None, None],
            [LISBON_JSON, "2024-06-03T06:00:00Z", "he", None, HE_STRINGS],
            # Sunday 21:00 in Lisbon: tomorrow; Monday 06:00 there: today
            [LISBON_JSON, "2024-06-02T20:00:00Z", "en-GB", "Europe/Lisbon", None],
            [LISBON_JSON, "2024-06-03T05:00:00Z", "en-GB", "Europe/Lisbon", None],
            [always, "2024-06-03T06:00:00Z", "he", None, HE_STRINGS],
            [always, "2024-06-03T06:00:00Z", "en", None, None],
            [
                {
                    "tz": "UTC",
                    "w": [[2, 600, 660]],
                    "closed": ["2024-01-03", "2024-01-10", "2024-01-17"],
                },
                "2024-01-02T00:00:00Z",
                "he",
                None,
                HE_STRINGS,
            ],
            # 14 days ahead: the date is added to the weekday
            [
                {"tz": "UTC", "w": [[2, 600, 660]], "closed": ["2024-01-03"]},
                "2024-01-01T12:00:00Z",
                "en-GB",
                None,
                None,
            ],
            # strings with a key missing fall back to English for it
            [LISBON_JSON, "2024-06-03T10:00:00Z", "xx-invalid-", None, {"closed": "Fermé"}],
        ],
    )
    assert got == [
        "Open now · closes 02:00",
        "פתוח עכשיו · נסגר ב-02:00",
        "Open now · closes 18:00",
        "Open now · closes 01:00 PM",
        "Opens Monday 17:00",
        "ייפתח ביום שני ב-17:00",
        "Opens today 17:00",
        "ייפתח היום ב-17:00",
        "Opens Monday 09:00",
        "Opens today 09:00",
        "פתוח 24/7",
        "Open 24/7",
        "סגור",
        "Opens Wednesday 10 January 19:00",
        "Open now · closes 02:00",
    ]
    assert page.errors == []


def hours_page(folder: Path) -> None:
    shutil.copy(HOURS_JS, folder / "hours.js")
    (folder / "favicon.ico").write_bytes(b"")

    def attr(value: object) -> str:
        return html.escape(json.dumps(value, ensure_ascii=False), quote=True)

    tokyo = parse_hours("Mon-Fri 09:00-17:00", "Asia/Tokyo", []).to_json()
    (folder / "index.html").write_text(
        f"""<!doctype html><html lang="en-GB"><meta charset="utf-8"><title>hours</title>
<p>Chat: <span id="a" data-helpgen="hours" data-hours="{attr(LISBON_JSON)}"
  data-hours-strings="{attr({"open_closes": "Open · until {time}", "opens_day": "Back {day} at {time}"})}">
  Mon–Fri 09:00–18:00 (Portugal (Lisbon) Time)</span></p>
<p lang="he">צ׳אט: <span id="b" data-helpgen="hours" data-hours="{attr(tokyo)}"
  data-hours-strings="{attr(HE_STRINGS)}" title="שעות">א׳–ה׳ 09:00–17:00</span></p>
<p><span id="c" data-helpgen="hours" data-hours="{attr({"always": True})}">24/7</span></p>
<p><span id="d" data-helpgen="hours" data-hours="{{not json">Mon 09:00–10:00</span></p>
<script src="hours.js"></script>
</html>""",
        encoding="utf-8",
    )


@pytest.mark.browser
def test_apply_labels_the_page_and_updates_every_minute(browser, serve_dir, tmp_path):
    hours_page(tmp_path)
    context = browser.new_context(timezone_id="Europe/Lisbon", locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        # Monday 3 June 2024, 17:58:30 in Lisbon (16:58:30 UTC; 01:58:30 Tuesday in Tokyo)
        page.clock.install(time=datetime(2024, 6, 3, 16, 58, 30, tzinfo=UTC))
        page.goto(serve_dir(tmp_path))

        def text(sel: str) -> str:
            return page.locator(sel).text_content()

        assert text("#a") == "Open · until 18:00"
        assert (
            page.locator("#a").get_attribute("title")
            == "Mon–Fri 09:00–18:00 (Portugal (Lisbon) Time)"
        )
        assert (
            page.locator("#a").get_attribute("data-hours-fallback")
            == "Mon–Fri 09:00–18:00 (Portugal (Lisbon) Time)"
        )
        assert page.locator("#a").get_attribute("data-hours-state") == "open"
        assert text("#b") == "ייפתח ביום שלישי ב-01:00"  # Tue 09:00 in Tokyo = Tue 01:00 here
        assert page.locator("#b").get_attribute("title") == "שעות"  # an existing title is kept
        assert page.locator("#b").get_attribute("data-hours-fallback") == "א׳–ה׳ 09:00–17:00"
        assert page.locator("#b").get_attribute("data-hours-state") == "closed"
        assert text("#c") == "Open 24/7"
        assert text("#d") == "Mon 09:00–10:00"  # malformed: left alone
        assert page.locator("#d").get_attribute("data-hours-state") is None
        page.clock.fast_forward(60_000)  # 17:59:30: still open
        assert text("#a") == "Open · until 18:00"
        page.clock.fast_forward(60_000)  # 18:00:30: closed until tomorrow
        page.wait_for_function("document.querySelector('#a').dataset.hoursState === 'closed'")
        assert text("#a") == "Back Tuesday at 09:00"
        assert (
            page.locator("#a").get_attribute("title")
            == "Mon–Fri 09:00–18:00 (Portugal (Lisbon) Time)"
        )
        assert page.evaluate("() => window.HelpgenHours.apply(document)") == 3
        assert errors == []
    finally:
        context.close()


@pytest.mark.browser
def test_hours_js_runs_under_the_sites_csp(tmp_path, serve_dir, page):
    hours_page(tmp_path)
    page.clock.set_fixed_time(datetime(2024, 6, 8, 10, 0, tzinfo=UTC))  # a Saturday
    page.goto(serve_dir(tmp_path))
    assert page.locator("#c").text_content() == "Open 24/7"
    assert page.locator("#a").text_content().startswith("Back ")
    assert page.errors == []


# ---- regeneration ----------------------------------------------------------------------------


def regenerate() -> None:
    data = build_vectors()
    VECTORS_PATH.write_text(dump(data), encoding="utf-8")
    print(f"{sum(len(s['cases']) for s in data['sets'])} cases -> {VECTORS_PATH}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit("usage: python -m tests.test_hours --regenerate")
