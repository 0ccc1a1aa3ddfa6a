"""The content-gap report: exact numbers from schema-valid events, filters, HTML, JSONL, CLI."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from helpgen.cli import main
from helpgen.errors import HelpgenError, Problem
from helpgen.feedback import schema
from helpgen.feedback.report import (
    build_report,
    cell_width,
    load,
    query_key,
    read_jsonl,
    render_html,
    render_text,
    to_event,
    topic_of,
    trend_chart,
)

_ids = itertools.count(1)


def event(kind: str, when: str, locale: str = "en", page: str | None = None, **fields) -> dict:
    """A schema v1 event (checked by `schema.validate`) plus the collector's `received`."""
    page = page if page is not None else f"{locale}/search/"
    data = {"v": 1, "type": kind, "id": f"event-{next(_ids):05d}", "locale": locale}
    data |= {"page": page, **fields}
    assert schema.validate(data) == data
    return {**data, "received": f"2026-{when}Z"}


def vote(page: str, helpful: bool, when: str, comment: str | None = None) -> dict:
    extra = {"comment": comment} if comment else {}
    return event("vote", when, page.split("/")[0], page, helpful=helpful, **extra)


def search(query: str, when: str, locale: str = "en", results: int = 0, clicked=None) -> dict:
    return event("search", when, locale, query=query, results=results, clicked=clicked)


def contact(page: str, channel: str, when: str) -> dict:
    return event("contact", when, page.split("/")[0], page, channel=channel)


CANCEL = "en/orders/cancel-an-order/"
REFUNDS = "en/returns/refunds/"
PASSWORD = "en/account/password/"
FA_REFUNDS = "fa/returns/refunds/"
ZH_REFUNDS = "zh-CN/returns/refunds/"
XSS = "<script>alert(1)</script>"

# Three ISO weeks of 2026: W37 = 09-07..09-13, W38 = 09-14..09-20, W39 = 09-21..09-27.
EVENTS = [
    # votes
    vote(CANCEL, False, "09-08T09:00:00", "It doesn't say what happens to my coupon"),
    vote(CANCEL, False, "09-15T10:00:00", XSS),
    vote(CANCEL, False, "09-16T11:00:00"),
    vote(CANCEL, True, "09-09T12:00:00"),
    vote(REFUNDS, False, "09-10T08:00:00"),
    vote(REFUNDS, False, "09-17T08:00:00"),
    vote(REFUNDS, False, "09-22T08:00:00", "Still no refund after 2 weeks"),
    vote(REFUNDS, True, "09-10T09:00:00"),
    vote(REFUNDS, True, "09-11T09:00:00"),
    vote(REFUNDS, True, "09-23T09:00:00"),
    vote(PASSWORD, False, "09-22T10:00:00", "Wrong"),
    vote(FA_REFUNDS, False, "09-14T10:00:00", "پول من کی برمی‌گردد؟"),
    vote(FA_REFUNDS, False, "09-21T10:00:00"),
    vote(FA_REFUNDS, True, "09-14T11:00:00"),
    vote(FA_REFUNDS, True, "09-15T11:00:00"),
    vote(ZH_REFUNDS, False, "09-23T10:00:00", "没有说明退款要多久"),
    *(vote(ZH_REFUNDS, True, f"09-{d}T10:00:00") for d in ("08", "09", "15", "22")),
    *(vote("en/shipping/track/", True, f"09-{d:02d}T10:00:00") for d in range(7, 12)),
    # English searches
    search("Refund status", "09-08T10:00:00"),
    search("Refund status", "09-15T10:00:00"),
    search("refund status", "09-18T10:00:00"),
    search("refunds  status?", "09-16T10:00:00"),
    search("status of my refund", "09-22T10:00:00"),
    search("coupon", "09-09T10:00:00"),
    search(XSS, "09-17T10:00:00"),
    search("how to", "09-18T11:00:00"),
    search("cancel order", "09-10T10:00:00", results=4),
    search("cancel order", "09-17T10:00:00", results=4),
    search("how to cancel my order", "09-23T10:00:00", results=3),
    search("track package", "09-11T10:00:00", results=5, clicked="en/shipping/track/"),
    # Chinese searches
    search("退款状态", "09-15T10:00:00", "zh-CN"),
    search("退款状态", "09-16T10:00:00", "zh-CN"),
    search("退款的状态", "09-22T10:00:00", "zh-CN"),
    search("我的退款状态", "09-23T10:00:00", "zh-CN"),
    search("发票", "09-17T10:00:00", "zh-CN"),
    # Persian searches: with a zero-width non-joiner, a plural, Arabic and Persian yeh
    search("بازپرداخت", "09-14T10:00:00", "fa"),
    search("بازپرداخت", "09-21T10:00:00", "fa"),
    search("باز\u200cپرداخت", "09-15T10:00:00", "fa"),
    search("بازپرداخت\u200cها", "09-22T10:00:00", "fa"),
    search("وضعیت بازپرداخت", "09-16T10:00:00", "fa"),
    search("وضعیت بازپرداخت", "09-23T10:00:00", "fa"),
    search("وضعيت بازپرداخت", "09-23T11:00:00", "fa"),
    # contacts
    contact(CANCEL, "chat", "09-08T10:00:00"),
    contact(CANCEL, "chat", "09-15T10:00:00"),
    contact(CANCEL, "email", "09-22T10:00:00"),
    contact("en/orders/tracking/where-is-my-order/", "chat", "09-16T10:00:00"),
    contact(REFUNDS, "email", "09-10T10:00:00"),
    contact(FA_REFUNDS, "chat", "09-21T10:00:00"),
    contact("en/contact/", "email", "09-17T10:00:00"),
]


def pages(report) -> list[tuple[str, int, int]]:
    return [(p.page, p.no, p.yes) for p in report.pages]


def groups(report) -> list[tuple[str, str, int, str, tuple]]:
    return [(g.locale, g.kind, g.count, g.wording, g.variants) for g in report.searches]


def write_jsonl(path: Path, events: list[dict], extra: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(e, ensure_ascii=False) for e in events]
    for at, text in sorted((extra or {}).items()):
        lines.insert(at, text)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the numbers ------------------------------------------------------------------------------


def test_least_helpful_pages_ordering_rates_and_comments():
    report = build_report(EVENTS)
    assert report.events == len(EVENTS) == 56
    # most "no" first, then the lowest rate; one "no" of one vote (0%) does not top the list
    assert pages(report) == [
        (CANCEL, 3, 1),
        (REFUNDS, 3, 3),
        (FA_REFUNDS, 2, 2),
        (PASSWORD, 1, 0),
        (ZH_REFUNDS, 1, 4),
    ]  # en/shipping/track/ has only "yes" votes: not a gap
    assert [p.rate for p in report.pages] == [0.25, 0.5, 0.5, 0.0, 0.8]
    cancel = report.pages[0]
    assert [c.text for c in cancel.comments] == [XSS, "It doesn't say what happens to my coupon"]
    assert cancel.comments[0].received == datetime(2026, 9, 15, 10, tzinfo=UTC)


def test_failed_searches_grouped_by_terms_per_locale():
    report = build_report(EVENTS)
    assert report.search_locales() == ["en", "fa", "zh-CN"]  # 12, 7 and 5 failed searches
    assert groups(report) == [
        # "Refund status" ×2 and "refund status" are one wording, shown as typed most often
        ("en", "zero", 5, "Refund status", (("refunds status?", 1), ("status of my refund", 1))),
        ("en", "zero", 1, XSS, ()),
        ("en", "zero", 1, "coupon", ()),
        ("en", "zero", 1, "how to", ()),
        ("en", "no-click", 3, "cancel order", (("how to cancel my order", 1),)),
        # ZWNJ inside the word is the same wording; the plural is another wording
        ("fa", "zero", 4, "بازپرداخت", (("بازپرداخت\u200cها", 1),)),
        # Arabic yeh (ي) and Persian yeh (ی) are one wording
        ("fa", "zero", 3, "وضعیت بازپرداخت", ()),
        ("zh-CN", "zero", 4, "退款状态", (("我的退款状态", 1), ("退款的状态", 1))),
        ("zh-CN", "zero", 1, "发票", ()),
    ]
    en = report.groups("en", "zero")
    assert en[0].terms == ("refund", "statu")
    assert en[3].terms == ("", "how to")  # stop words only: keyed by its text


def test_searches_shown_only_the_closest_matches_are_their_own_failure(tmp_path):
    """A search whose results were only the closest matches (`weak`) and got no click is a
    failed search of its own kind, between "no results" and "results, no click"; clicked,
    it is not a failure."""
    weak = [
        event("search", "09-08T10:00:00", query="gift wrap refund", results=3, clicked=None,
              weak=True),
        event("search", "09-09T10:00:00", query="gift wrap refunds", results=3, weak=True),
        event("search", "09-10T10:00:00", query="gift card refund", results=2, weak=True,
              clicked="en/returns/refunds/"),
        search("cancel order", "09-10T10:00:00", results=4),
        search("coupon", "09-09T10:00:00"),
    ]  # fmt: skip
    report = build_report(weak)
    assert groups(report) == [
        ("en", "zero", 1, "coupon", ()),
        ("en", "weak", 2, "gift wrap refund", (("gift wrap refunds", 1),)),
        ("en", "no-click", 1, "cancel order", ()),
    ]
    done = CliRunner().invoke(main, ["report", str(write_jsonl(tmp_path / "e.jsonl", weak))])
    assert done.exit_code == 0, done.output
    assert "closest matches only, no click" in done.output and "gift wrap refund" in done.output


@pytest.mark.parametrize(
    "same",
    [
        ["Refund status", "refunds  status?", "status of my refund", "REFUND STATUS!"],
        ["退款状态", "退款的状态", "我的退款状态", "退款状态吗"],
        ["بازپرداخت", "باز\u200cپرداخت", "بازپرداخت\u200cها", "بازپرداخت ها"],
        ["وضعیت بازپرداخت", "وضعيت بازپرداخت", "بازپرداخت وضعیت"],
        ["返金の状況", "返金状況"],
    ],
)
def test_query_key_groups_similar_wordings(same):
    assert len({query_key(q) for q in same}) == 1


def test_query_key_keeps_different_questions_apart():
    keys = ["refund", "refund status", "退款", "退款状态", "发票", "how to", "how", "e4032"]
    assert len({query_key(q) for q in keys}) == len(keys)


def test_contact_topics():
    report = build_report(EVENTS)
    rows = [(t.topic, t.contacts, t.events, t.channels) for t in report.topics]
    assert rows == [
        ("en/orders/", 3, 7, (("chat", 2), ("email", 1))),  # 4 votes + 3 contacts
        ("en/orders/tracking/", 1, 1, (("chat", 1),)),
        ("fa/returns/", 1, 5, (("chat", 1),)),
        ("en/returns/", 1, 7, (("email", 1),)),
        ("en/", 1, 13, (("email", 1),)),  # en/contact/ + the 12 searches on en/search/
    ]
    assert [round(t.share, 3) for t in report.topics] == [0.429, 1.0, 0.2, 0.143, 0.077]


def test_topic_of():
    assert topic_of("en/orders/cancel-an-order/") == "en/orders/"
    assert topic_of("en/orders/cancel-an-order/index.html") == "en/orders/"
    assert topic_of("orders/cancel") == "orders/"
    assert topic_of("en/") == "/"


def test_weekly_trend():
    report = build_report(EVENTS)
    rows = [(w.week, w.start, w.yes, w.no, w.zero_results, w.contacts) for w in report.weeks]
    assert rows == [
        ("2026-W37", date(2026, 9, 7), 10, 2, 2, 2),
        ("2026-W38", date(2026, 9, 14), 3, 4, 11, 3),
        ("2026-W39", date(2026, 9, 21), 2, 4, 7, 2),
    ]


def test_weeks_without_events_are_zeros_and_iso_years():
    events = [
        contact("en/a/b/", "chat", "12-29T10:00:00"),  # Tuesday of 2026-W53
        vote("en/a/b/", False, "09-01T00:00:00"),  # 2026-W36
    ]
    events[0]["received"] = "2026-12-29T10:00:00+00:00"
    weeks = build_report(events).weeks
    assert len(weeks) == 18 and weeks[0].week == "2026-W36" and weeks[-1].week == "2026-W53"
    assert sum(w.no + w.contacts for w in weeks) == 2
    ticks = [t["text"] for t in trend_chart(weeks)["ticks"]]
    assert ticks[0] == "2026-W36" and ticks[1].startswith("W") and len(ticks) < len(weeks)


def test_an_event_sent_twice_counts_once():
    report = build_report([*EVENTS, dict(EVENTS[0])])
    assert report.events == 56 and report.duplicates == 1
    assert pages(report)[0] == (CANCEL, 3, 1)


def test_received_in_other_offsets_is_utc():
    late = vote(CANCEL, False, "09-21T01:00:00")
    late["received"] = "2026-09-20T23:30:00-02:00"  # 2026-09-21T01:30Z: Monday of W39
    assert [w.week for w in build_report([late]).weeks] == ["2026-W39"]
    assert build_report([late], since=date(2026, 9, 21)).events == 1


# -- filters -----------------------------------------------------------------------------------


def test_since_is_inclusive():
    edge = [vote(CANCEL, False, "09-20T23:59:59"), vote(CANCEL, True, "09-21T00:00:00")]
    report = build_report(edge, since=date(2026, 9, 21))
    assert report.events == 1 and report.pages == ()


def test_since_filters_every_section():
    report = build_report(EVENTS, since=date(2026, 9, 21))
    assert [w.week for w in report.weeks] == ["2026-W39"]
    assert pages(report) == [
        (PASSWORD, 1, 0),
        (FA_REFUNDS, 1, 0),
        (REFUNDS, 1, 1),
        (ZH_REFUNDS, 1, 1),
    ]
    assert [(t.topic, t.contacts) for t in report.topics] == [("en/orders/", 1), ("fa/returns/", 1)]
    assert [(g.locale, g.count, g.wording) for g in report.searches] == [
        ("fa", 2, "بازپرداخت"),
        ("fa", 2, "وضعيت بازپرداخت"),  # 1 each: the alphabetically first spelling
        ("en", 1, "status of my refund"),  # en and zh-CN: 2 each, by code
        ("en", 1, "how to cancel my order"),
        ("zh-CN", 2, "我的退款状态"),
    ]


@pytest.mark.parametrize("locale", ["zh-CN", "zh-cn"])
def test_locale_filter(locale):
    report = build_report(EVENTS, locale=locale)
    assert report.events == 10
    assert pages(report) == [(ZH_REFUNDS, 1, 4)]
    assert report.search_locales() == ["zh-CN"] and report.topics == ()
    assert [(w.yes, w.no, w.zero_results) for w in report.weeks] == [
        (2, 0, 0),
        (1, 0, 3),
        (1, 1, 2),
    ]


# -- terminal ----------------------------------------------------------------------------------


def test_text_output():
    lines = render_text(build_report(EVENTS), width=100)
    text = "\n".join(lines)
    assert lines[0] == "56 events received 2026-09-07 to 2026-09-23 (UTC)"
    for heading in (
        "Least helpful articles",
        "Searches that failed · en",
        "Searches that failed · fa",
        "Searches that failed · zh-CN",
        "Topics that led to contacting support",
        "Weekly trend",
    ):
        assert heading in lines
    assert "   3    1      25%  en/orders/cancel-an-order/" in lines
    assert "  2026-W38        3            4                  11         3" in lines
    assert "refunds status? (1) · status of my refund (1)" in text


def test_text_columns_align_with_wide_characters():
    report = build_report(
        [
            search("退款状态", "09-15T10:00:00"),
            search("退款的状态", "09-15T11:00:00"),
            search("coupon code", "09-16T10:00:00"),
            search("coupons code", "09-16T11:00:00"),
        ]
    )
    table = [line for line in render_text(report) if "(1)" in line]
    assert len(table) == 2
    variants = ("coupons code (1)", "退款的状态 (1)")
    starts = [cell_width(line[: line.index(v)]) for line, v in zip(table, variants, strict=True)]
    assert starts[0] == starts[1] and cell_width("退款状态") == 8


def test_text_output_is_terminal_safe():
    report = build_report([vote(CANCEL, False, "09-08T09:00:00", "red\x1b[31m\nnext\u202eline")])
    text = "\n".join(render_text(report))
    assert "\x1b" not in text and "\u202e" not in text and "red [31m next line" in text


def test_nothing_when_there_is_nothing():
    assert render_text(build_report([])) == []
    only_yes = render_text(build_report([vote(CANCEL, True, "09-08T09:00:00")]))
    assert "Least helpful articles" not in only_yes and "Weekly trend" in only_yes
    assert not any("Searches" in line or "Topics" in line for line in only_yes)


# -- HTML --------------------------------------------------------------------------------------


def test_html_is_self_contained_escaped_and_has_the_chart():
    page = render_html(build_report(EVENTS))
    doc = BeautifulSoup(page, "html.parser")
    assert doc.find("script") is None  # the reader's <script> is text, not an element
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2  # a comment and a query
    assert XSS not in page
    assert not doc.select("link, img, iframe, [src]")
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    chart = doc.select_one("#trend svg")
    assert chart is not None and len(chart.select("rect")) == 4 * 3
    assert chart.select_one("rect.no title").text == "2026-W37: 2"
    # reader text: dir="auto" (RTL and CJK shown correctly), in the order of the report
    comments = [s.text for s in doc.select("#least-helpful ul.comments span[dir=auto]")]
    assert comments[:2] == [XSS, "It doesn't say what happens to my coupon"]
    assert "پول من کی برمی‌گردد؟" in comments
    wordings = [td.text for td in doc.select("#failed-searches td > bdi[dir=auto]")]
    assert "بازپرداخت" in wordings and "退款状态" in wordings
    rows = doc.select("#least-helpful tbody tr")
    assert [r.select("td")[0].text for r in rows] == ["3", "3", "2", "1", "1"]
    assert rows[0].select("td")[2].text == "25%"


def test_long_tables_are_cut(monkeypatch):
    events = [vote(f"en/topic/page-{n:02d}/", False, "09-08T09:00:00") for n in range(25)]
    report = build_report(events)
    lines = render_text(report)
    assert sum("en/topic/page-" in line for line in lines) == 20
    assert "  … and 5 more pages (--html shows up to 200)" in lines
    monkeypatch.setattr("helpgen.feedback.report.HTML_ROWS", 3)
    doc = BeautifulSoup(render_html(report), "html.parser")
    assert len(doc.select("#least-helpful tbody tr")) == 3
    assert "… and 22 more pages." in doc.select_one("#least-helpful").text


def test_html_without_events():
    doc = BeautifulSoup(render_html(build_report([], locale="he")), "html.parser")
    assert "No events in locale he" in doc.text and doc.find("section") is None


# -- JSONL -------------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_located_warnings(tmp_path):
    missing = {k: v for k, v in EVENTS[1].items() if k != "received"}
    path = write_jsonl(
        tmp_path / "events.jsonl",
        EVENTS[:5],
        {
            1: '{"v": 1, "type": "vo',
            3: "",
            4: json.dumps(missing),
            6: json.dumps({**EVENTS[2], "x": 1}),
            9: "[" * 100_000,
            10: "1" * 5000,
            11: json.dumps({**EVENTS[3], "received": "last Monday"}),
        },
    )
    warnings: list[Problem] = []
    events = list(read_jsonl([path], warnings.append))
    assert len(events) == 5
    assert [p.line for p in warnings] == [2, 5, 7, 10, 11, 12]
    assert {p.level for p in warnings} == {"warning"}
    assert "not an ISO 8601 time" in warnings[5].message
    assert "not JSON" in warnings[0].message
    assert "'received' is missing" in warnings[1].message
    assert "unknown field 'x'" in warnings[2].message
    assert str(warnings[0]).startswith(f"{path}:2: ") and warnings[0].hint


def test_a_file_of_no_events_is_an_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(HelpgenError) as info:
        list(read_jsonl([path], lambda p: None))
    problem = info.value.problems[0]
    assert (problem.line, problem.level) == (1, "error") and problem.hint


def test_to_event_from_a_store_row():
    row = {**EVENTS[0], "query": None, "clicked": None, "channel": None}
    assert to_event(row, strict=False).comment == "It doesn't say what happens to my coupon"
    with pytest.raises(schema.SchemaError):
        to_event(row)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"since": "14/09/2026"}, "--since: '14/09/2026' is not a date"),
        ({"since": "2026-02-30"}, "--since"),
        ({"locale": "en us"}, "--locale: 'en us' is not a language code"),
        ({"files": []}, "no events to report on"),
        ({"db": "x.sqlite"}, "not both"),
        ({"files": ["missing.jsonl"]}, "no such file"),
        ({"html": Path("no/such/folder/r.html")}, "--html: its folder does not exist"),
    ],
)
def test_bad_arguments_are_helpgen_errors(tmp_path, monkeypatch, kwargs, message):
    monkeypatch.chdir(tmp_path)
    write_jsonl(tmp_path / "e.jsonl", EVENTS[:1])
    args = {"files": [Path("e.jsonl")], "db": None, **kwargs}
    args["files"] = [Path(f) for f in args["files"]]
    with pytest.raises(HelpgenError) as info:
        load(args.pop("files"), args.pop("db"), lambda p: None, **args)
    assert message in str(info.value) and info.value.problems[0].hint


# -- CLI ---------------------------------------------------------------------------------------


def invoke(args: list[str], cwd: Path):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output and "internal error" not in result.output
    return result


def test_cli_report_files_and_html(tmp_path):
    write_jsonl(tmp_path / "week1.jsonl", EVENTS[:30])
    write_jsonl(tmp_path / "week2.jsonl", EVENTS[30:], {2: "oops"})
    result = invoke(["report", "week1.jsonl", "week2.jsonl", "--html", "gaps.html"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("56 events received")
    assert "Refund status" in result.stdout and "退款状态" in result.stdout
    assert "week2.jsonl:3: not JSON" in result.stderr and "wrote gaps.html" in result.stderr
    doc = BeautifulSoup((tmp_path / "gaps.html").read_text(encoding="utf-8"), "html.parser")
    assert doc.select_one("#trend svg") is not None and doc.find("script") is None


def test_cli_filters(tmp_path):
    write_jsonl(tmp_path / "e.jsonl", EVENTS)
    result = invoke(["report", "e.jsonl", "--locale", "fa", "--since", "2026-09-21"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "6 events received 2026-09-21 to 2026-09-23 (UTC) · locale fa · since 2026-09-21"
    )
    assert "Searches that failed · en" not in result.stdout
    result = invoke(["report", "e.jsonl", "--since", "2027-01-01"], tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no events to report\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report"], "no events to report on"),
        (["report", "e.jsonl", "--since", "yesterday"], "--since: 'yesterday' is not a date"),
        (["report", "e.jsonl", "--locale", "x"], "--locale: 'x' is not a language code"),
        (["report", "nope.jsonl"], "nope.jsonl: no such file"),
        (["report", "."], "is a folder"),
        (["report", "--db", "nope.sqlite"], "nope.sqlite: no such database file"),
        (["report", "e.jsonl", "--html", "missing/r.html"], "--html: its folder does not exist"),
        (["report", "e.jsonl", "--html", "."], "--html: is a folder"),
    ],
)
def test_cli_bad_arguments(tmp_path, args, message):
    write_jsonl(tmp_path / "e.jsonl", EVENTS[:3])
    result = invoke(args, tmp_path)
    assert result.exit_code == 1 and message in result.stderr and "hint:" in result.stderr
    assert not (tmp_path / "nope.sqlite").exists()


def test_cli_report_from_the_store(tmp_path):
    store = pytest.importorskip("helpgen.feedback.store")
    with store.open_store(tmp_path / "feedback.sqlite") as db:
        db.add([{k: v for k, v in e.items() if k != "received"} for e in EVENTS])
    result = invoke(["report", "--db", "feedback.sqlite", "--locale", "zh-cn"], tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("10 events received") and "退款状态" in result.stdout
    assert "   1    4      80%  zh-CN/returns/refunds/" in result.stdout


def test_events_from_impossible_times_are_skipped_not_fatal(tmp_path):
    from click.testing import CliRunner

    from helpgen.cli import main

    good = '{"v": 1, "type": "vote", "id": "abcdefgh01", "locale": "en", "page": "en/a/", "helpful": false, "received": "2026-09-15T10:00:00Z"}'
    lines = [
        good,
        good.replace("abcdefgh01", "abcdefgh02").replace("2026-09-15", "0001-01-01"),
        good.replace("abcdefgh01", "abcdefgh03").replace(
            "2026-09-15T10:00:00Z", "9999-12-31T23:59:59-01:00"
        ),
    ]
    (tmp_path / "e.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path / "e.jsonl")])
    assert result.exit_code == 0, result.output
    assert "e.jsonl:2:" in result.stderr and "e.jsonl:3:" in result.stderr
    assert "internal error" not in result.output
    assert result.stdout.count("2026-W") == 1  # one week, not thousands of empty ones
