"""`helpgen collect`: the store (SQLite and PostgreSQL), the WSGI app's every answer, and a real
load test over HTTP that must lose and duplicate nothing."""

from __future__ import annotations

import concurrent.futures
import http.client
import importlib.util
import io
import json
import multiprocessing
import re
import socket
import sqlite3
import sys
import threading
import uuid
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpgen.cli import main
from helpgen.errors import HelpgenError
from helpgen.feedback import collect, schema, store
from helpgen.feedback.collect import RateLimiter, app, client_address, from_env, make_server
from helpgen.feedback.schema import SchemaError
from helpgen.feedback.store import open_store

from .conftest import REPO
from .pg import postgres_url  # noqa: F401  (the session fixture)

ORIGIN = "https://help.example.com"
RECEIVED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _bench():
    spec = importlib.util.spec_from_file_location("collect_load", REPO / "bench/collect_load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def vote(n: int | str, **extra) -> dict:
    return {
        "v": 1,
        "type": "vote",
        "id": f"event-{n:0>4}",
        "locale": "en",
        "page": "en/orders/cancel/",
        "helpful": False,
        **extra,
    }


def search(n: int | str, locale: str = "en") -> dict:
    return {
        "v": 1,
        "type": "search",
        "id": f"search-{n:0>4}",
        "locale": locale,
        "page": f"{locale}/search/",
        "query": "coupon refund",
        "results": 0,
        "clicked": None,
    }


def contact(n: int | str) -> dict:
    return {
        "v": 1,
        "type": "contact",
        "id": f"contact-{n:0>4}",
        "locale": "he",
        "page": "he/orders/",
        "channel": "chat",
    }


def rows(url: str) -> list[dict]:
    with open_store(url) as s:
        return list(s.events())


def _schema_url(base: str) -> str:
    """A fresh schema in the throwaway database, so each test starts with no table."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    return f"{base}?options=-csearch_path%3D{name}"


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path) -> str:
    """A store URL with no table yet: a SQLite path, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        return str(tmp_path / "feedback.sqlite")
    return _schema_url(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sqlite_db(tmp_path) -> str:
    return str(tmp_path / "feedback.sqlite")


# --- the store --------------------------------------------------------------------------


def test_store_add_events_idempotent(db):
    with open_store(db) as s:
        assert s.add([vote(1, comment="  no coupon  "), search(2), contact(3)]) == 3
        assert s.add([vote(1), search(2)]) == 0  # sent again: nothing new
        assert s.add([contact(3), vote(4), vote(4)]) == 1  # twice in one batch: once
        assert s.add([]) == 0
        got = list(s.events())
    assert [e["id"] for e in got][:3] == sorted(["event-0001", "search-0002", "contact-0003"])
    assert [e["id"] for e in got][3] == "event-0004"
    by_id = {e["id"]: e for e in got}
    assert len(by_id) == 4
    assert by_id["event-0001"] == {**vote(1, comment="no coupon"), "received": ANY_RECEIVED}
    assert by_id["search-0002"]["clicked"] is None
    assert by_id["contact-0003"]["locale"] == "he"
    assert all(RECEIVED.fullmatch(e["received"]) for e in got)
    assert got[0]["received"] == got[2]["received"] < got[3]["received"]  # one batch, one time


class _AnyReceived:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(RECEIVED.fullmatch(other))


ANY_RECEIVED = _AnyReceived()


def test_store_filters_and_pages(db, monkeypatch):
    monkeypatch.setattr(store, "_PAGE", 7)  # many pages of rows
    with open_store(db) as s:
        for batch in range(6):
            s.add([search(batch * 10 + i, "en" if i % 2 else "he") for i in range(10)])
        everything = list(s.events())
        assert len(everything) == 60 and len({e["id"] for e in everything}) == 60
        keys = [(e["received"], e["id"]) for e in everything]
        assert keys == sorted(keys)
        assert {e["locale"] for e in s.events(locale="he")} == {"he"}
        assert len(list(s.events(locale="he"))) == 30
        assert list(s.events(locale="fr")) == []
        middle = everything[30]["received"]
        later = list(s.events(since=middle))
        assert later == [e for e in everything if e["received"] >= middle]
        assert len(list(s.events(since="2000-01-01"))) == 60
        assert list(s.events(since="2999-01-01T00:00:00+02:00")) == []
        assert len(list(s.events(since=middle[:-1] + "+00:00"))) == len(later)  # same moment
        with pytest.raises(ValueError, match="since"):
            list(s.events(since="last week"))


def test_store_validates_all_or_nothing(db):
    with open_store(db) as s:
        with pytest.raises(SchemaError):
            s.add([vote(1), {**vote(2), "helpful": "no"}])
        with pytest.raises(SchemaError):
            s.add([{**contact(3), "email": "a@b.example"}])
        assert list(s.events()) == []


def test_store_concurrent_threads(db):
    """Threads sending overlapping events: each stored once, and 'new' counted once."""
    with open_store(db) as s:

        def send(t: int) -> int:
            return sum(s.add([vote(i), vote(i + 1)]) for i in range(t * 20, t * 20 + 40, 2))

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            new = sum(pool.map(send, range(12)))  # thread t overlaps thread t + 1
        ids = [e["id"] for e in s.events()]
    assert len(ids) == len(set(ids)) == 13 * 20 == new


def _add_in_process(args: tuple[str, int]) -> int:
    url, p = args
    with open_store(url) as s:
        return sum(s.add([contact(p * 25 + i), contact(p * 25 + i + 50)]) for i in range(50))


def test_store_concurrent_processes(db):
    """Four processes (as gunicorn workers would be) writing at once to one store."""
    open_store(db).close()  # the table, before they race to create it
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=context) as pool:
        new = sum(pool.map(_add_in_process, [(db, p) for p in range(4)]))
    ids = [e["id"] for e in rows(db)]
    assert len(ids) == len(set(ids)) == new == 3 * 25 + 100


def test_sqlite_settings(sqlite_db):
    with open_store(sqlite_db) as s, s._pool.connection() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10000
    conn = sqlite3.connect(sqlite_db)
    columns = [(r[1], r[2], r[3], r[5]) for r in conn.execute("PRAGMA table_info(events)")]
    assert columns == [
        ("id", "TEXT", 0, 1),
        ("received", "TEXT", 1, 0),
        ("type", "TEXT", 1, 0),
        ("locale", "TEXT", 1, 0),
        ("page", "TEXT", 1, 0),
        ("data", "TEXT", 1, 0),
    ]
    assert ("events_received",) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
    conn.close()


def test_open_store_errors(tmp_path, monkeypatch):
    with pytest.raises(HelpgenError) as missing:
        open_store(str(tmp_path / "no" / "such" / "folder" / "f.sqlite"))
    assert "f.sqlite" in str(missing.value) and "hint:" in str(missing.value)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HelpgenError, match=r"junk\.sqlite"):
        open_store(str(junk))
    with pytest.raises(HelpgenError, match=r"unsupported store 'mysql://"):
        open_store("mysql://u@h/db")
    monkeypatch.setitem(sys.modules, "psycopg", None)  # not installed
    with pytest.raises(HelpgenError) as no_driver:
        open_store("postgresql://u@127.0.0.1/db")
    assert "pip install 'helpgen[postgres]'" in str(no_driver.value)


@pytest.mark.usefixtures("postgres_url")
def test_postgres_unreachable_is_located_without_password():
    free = _free_port()
    url = f"postgresql://helpgen:s3cret@127.0.0.1:{free}/db"
    with pytest.raises(HelpgenError) as exc:
        open_store(url)
    text = str(exc.value)
    assert f"127.0.0.1:{free}" in text and "s3cret" not in text and "hint:" in text


def test_store_tables_created_concurrently(request):
    """Three processes opening a new PostgreSQL store at once (CREATE TABLE races)."""
    url = _schema_url(request.getfixturevalue("postgres_url"))
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(3, mp_context=context) as pool:
        assert sum(pool.map(_add_in_process, [(url, p) for p in range(3)])) == 2 * 25 + 100


# --- the WSGI app, in process -----------------------------------------------------------


class Stream(io.BytesIO):
    """wsgi.input that counts what was read from it."""

    def __init__(self, data: bytes = b"", endless: bool = False) -> None:
        super().__init__(data)
        self.endless = endless
        self.taken = 0

    def read(self, size: int = -1) -> bytes:
        if self.endless:
            assert size is not None and size >= 0, "never read an endless body whole"
            self.taken += size
            return b"x" * size
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def call(
    application,
    method="POST",
    path="/events",
    body=b"",
    ctype="text/plain",
    origin=ORIGIN,
    headers=None,
    length="auto",
    stream=None,
    addr="203.0.113.7",
):
    """(status, headers, JSON or raw body) of one request to the app."""
    environ: dict = {"REQUEST_METHOD": method, "PATH_INFO": path, "REMOTE_ADDR": addr}
    setup_testing_defaults(environ)
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    environ["wsgi.input"] = stream or Stream(body)
    if ctype is not None:
        environ["CONTENT_TYPE"] = ctype
    if length == "auto":
        environ["CONTENT_LENGTH"] = str(len(body))
    elif length is not None:
        environ["CONTENT_LENGTH"] = length
    if origin is not None:
        environ["HTTP_ORIGIN"] = origin
    environ.update(headers or {})
    answer: dict = {}

    def start_response(status: str, response_headers: list) -> None:
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(response_headers)
        assert len(answer["headers"]) == len(response_headers), "a header sent twice"

    out = b"".join(application(environ, start_response))
    assert answer["headers"]["Content-Length"] == str(len(out)) or method == "HEAD"
    if out and answer["headers"].get("Content-Type") == "application/json":
        return answer["status"], answer["headers"], json.loads(out)
    return answer["status"], answer["headers"], out


@pytest.fixture
def collector(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN, "http://localhost:8000"], rate_limit=0)
    yield application
    application.close()


def count(application) -> int:
    return sum(1 for _ in application.store.events())


def test_post_stores_events(db):
    application = app(db, origins=[ORIGIN])
    try:
        status, headers, body = call(application, body=vote(1))
        assert (status, body) == (204, b"")
        assert headers["Access-Control-Allow-Origin"] == ORIGIN and headers["Vary"] == "Origin"
        status, _, _ = call(application, body=[search(2), contact(3)], ctype="application/json")
        assert status == 204
        assert call(application, body=vote(1))[0] == 204  # a retried beacon: fine, stored once
        status, headers, _ = call(
            application, body=vote(4), origin=None, ctype="text/plain;charset=UTF-8"
        )
        assert status == 204 and "Access-Control-Allow-Origin" not in headers
        assert sorted(e["id"] for e in application.store.events()) == [
            "contact-0003",
            "event-0001",
            "event-0004",
            "search-0002",
        ]
    finally:
        application.close()


BAD_BODIES = {
    "not JSON": b"helpful=no",
    "not UTF-8": b'{"v": 1, "type": "vote", "id": "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8"}',
    "empty": b"",
    "wrong type": json.dumps({**vote(1), "helpful": "no"}).encode(),
    "v is true": json.dumps({**vote(1), "v": True}).encode(),
    "unknown field": json.dumps({**vote(1), "email": "me@example.com"}).encode(),
    "unknown event type": json.dumps({**vote(1), "type": "pageview"}).encode(),
    "missing id": json.dumps({k: v for k, v in vote(1).items() if k != "id"}).encode(),
    "bad id": json.dumps(vote("<script>")).encode(),
    "page with a host": json.dumps({**vote(1), "page": "https://evil.example/"}).encode(),
    "a string": b'"vote"',
    "empty list": b"[]",
    "21 events": json.dumps([vote(i) for i in range(21)]).encode(),
    "one bad among good": json.dumps([vote(1), vote(2), {**vote(3), "results": 1}]).encode(),
    "nested list": json.dumps([[vote(1)]]).encode(),
    "comment too long": json.dumps(vote(1, comment="x" * 2001)).encode(),
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_events_400_nothing_stored(collector, body):
    status, headers, answer = call(collector, body=body)
    assert status == 400
    assert isinstance(answer["error"], str) and 0 < len(answer["error"]) < 200
    assert headers["Access-Control-Allow-Origin"] == ORIGIN  # the page may read why
    assert count(collector) == 0


@pytest.mark.parametrize(
    "ctype",
    [
        None,
        "",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "text/html",
        "application/jsonp",
        "text/plain; charset=latin-1",
        "application/json; charset=utf-16",
    ],
)
def test_wrong_content_type_415(collector, ctype):
    status, _, answer = call(collector, body=vote(1), ctype=ctype)
    assert status == 415 and "text/plain" in answer["error"]
    assert count(collector) == 0


@pytest.mark.parametrize("ctype", ["text/plain", "TEXT/PLAIN; charset=utf-8", "application/json"])
def test_accepted_content_types(collector, ctype):
    assert call(collector, body=vote(1), ctype=ctype)[0] == 204


def test_oversized_413_reads_at_most_the_cap(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=0, max_body=1000)
    big = json.dumps([vote(i, comment="x" * 200) for i in range(5)]).encode()
    assert len(big) > 1000
    stream = Stream(big)
    status, headers, answer = call(application, body=big, stream=stream)
    assert status == 413 and "1000" in answer["error"] and stream.taken == 0
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    # a huge body with no length (chunked, under a server that ends the input): cap + 1 read
    endless = Stream(endless=True)
    env = {"wsgi.input_terminated": True}
    status, _, _ = call(application, length=None, stream=endless, headers=env)
    assert status == 413 and endless.taken == 1001
    # the largest body the schema takes is the default cap
    default = app(sqlite_db, origins=[ORIGIN], rate_limit=0, max_body=10**9)
    assert default.max_body == collect.MAX_BODY == 20 * schema.MAX_BYTES
    huge = Stream(endless=True)
    status, _, _ = call(default, length=str(10**9), stream=huge)
    assert status == 413 and huge.taken == 0
    assert count(application) == 0
    application.close()
    default.close()


def test_length_problems(collector):
    assert call(collector, body=vote(1), length=None)[0] == 411  # no length, input not ended
    assert call(collector, body=vote(1), length="12abc")[0] == 400
    assert call(collector, body=vote(1), length="-5")[0] == 400
    body = json.dumps(vote(1)).encode()
    status, _, answer = call(collector, body=body, length=str(len(body) + 10))  # ends early
    assert status == 400 and "read" in answer["error"]
    terminated = call(collector, body=body, length=None, headers={"wsgi.input_terminated": True})
    assert terminated[0] == 204 and count(collector) == 1


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "null",
        "https://help.example.com.evil.example",
        "http://help.example.com",
        "https://help.example.com:8443",
        "",
        "garbage",
        "https://user@help.example.com",
    ],
)
def test_other_origin_403_nothing_stored(collector, origin):
    status, headers, answer = call(collector, body=vote(1), origin=origin)
    assert status == 403 and "origin" in answer["error"]
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = call(
        collector,
        method="OPTIONS",
        origin=origin,
        headers={"HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST"},
    )
    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    assert count(collector) == 0


def test_origins_normalised(sqlite_db):
    application = app(sqlite_db, origins=["HTTPS://Help.Example.com:443/", "http://[::1]:8000"])
    assert application.origins == {ORIGIN, "http://[::1]:8000"}
    assert call(application, body=vote(1))[0] == 204
    assert call(application, body=vote(2), origin="http://[::1]:8000")[0] == 204
    application.close()
    for bad in ["help.example.com", "https://help.example.com/help/", "ftp://x.example", "*"]:
        with pytest.raises(HelpgenError, match="not an origin"):
            app(sqlite_db, origins=[bad])


def test_preflight(collector):
    status, headers, body = call(
        collector,
        method="OPTIONS",
        body=b"",
        headers={
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
            "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type",
        },
    )
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert headers["Access-Control-Allow-Methods"] == "POST"
    assert headers["Access-Control-Allow-Headers"] == "Content-Type"
    assert int(headers["Access-Control-Max-Age"]) > 0
    local = call(collector, method="OPTIONS", origin="http://localhost:8000")
    assert local[1]["Access-Control-Allow-Origin"] == "http://localhost:8000"
    assert call(collector, method="OPTIONS", origin=None)[0] == 403


def test_rate_limit_429_nothing_stored(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=5)
    for i in range(3):
        assert call(application, body=vote(i))[0] == 204
    status, headers, answer = call(application, body=[vote(10), vote(11), vote(12)])  # 3 > 2 left
    assert status == 429 and int(headers["Retry-After"]) >= 1 and "slow down" in answer["error"]
    assert headers["Access-Control-Allow-Origin"] == ORIGIN
    assert call(application, body=[vote(20), vote(21)])[0] == 204  # exactly the 2 left
    status, headers, _ = call(application, body=vote(30))
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 12
    assert call(application, body=vote(31), addr="203.0.113.8")[0] == 204  # another client
    ids = {e["id"] for e in application.store.events()}
    assert ids == {
        "event-0000",
        "event-0001",
        "event-0002",
        "event-0020",
        "event-0021",
        "event-0031",
    }
    application.close()


def test_rate_limit_counts_junk(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=3)
    for _ in range(3):
        assert call(application, body=b"junk")[0] == 400
    assert call(application, body=vote(1))[0] == 429
    assert count(application) == 0
    application.close()


def test_rate_limiter_refills_and_forgets():
    now = [1000.0]
    limiter = RateLimiter(60, max_clients=50, clock=lambda: now[0])
    assert limiter.take("a", 60) == 0
    assert limiter.take("a", 1) == pytest.approx(1.0)
    assert limiter.take("a", 2, commit=False) == pytest.approx(2.0)
    now[0] += 2
    assert limiter.take("a", 2) == 0 and limiter.take("a", 1) > 0
    assert limiter.take("big", 100) == 0  # a batch larger than the bucket, on a full bucket
    assert limiter.take("big", 1) == pytest.approx(41.0)  # paid back first
    for n in range(1000):  # many clients: memory stays bounded
        limiter.take(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter) == 50
    now[0] += 61  # a quiet minute: every bucket is full again, and forgotten
    limiter.take("b")
    assert len(limiter) == 1
    with pytest.raises(ValueError):
        RateLimiter(0)


def test_client_address():
    env = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.9"}
    assert client_address(env) == "10.0.0.1"  # the header is not trusted by default
    assert client_address(env, trust_proxy=1) == "203.0.113.9"
    assert client_address(env, trust_proxy=2) == "198.51.100.1"
    assert client_address(env, trust_proxy=5) == "198.51.100.1"
    assert client_address({"REMOTE_ADDR": "10.0.0.1"}, trust_proxy=1) == "10.0.0.1"
    six = {"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"}
    assert client_address(six) == client_address({"REMOTE_ADDR": "2001:db8:1:2::9"})
    assert client_address(six) == "2001:db8:1:2::/64"
    assert client_address({"REMOTE_ADDR": "::ffff:192.0.2.5"}) == "192.0.2.5"


def test_trust_proxy_rate_limits_each_client(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=1, trust_proxy=1)
    for n in range(3):
        env = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert call(application, body=vote(n), addr="127.0.0.1", headers=env)[0] == 204
    env = {"HTTP_X_FORWARDED_FOR": "198.51.100.0"}
    assert call(application, body=vote(9), addr="127.0.0.1", headers=env)[0] == 429
    application.close()


def test_routes(collector):
    status, headers, _ = call(collector, method="GET")
    assert status == 405 and headers["Allow"] == "POST, OPTIONS"
    assert call(collector, method="PUT")[0] == 405
    assert call(collector, method="POST", path="/healthz")[0] == 405
    for path in ["/", "/events/", "/event", "/healthz/x", "/../events"]:
        assert call(collector, method="POST", path=path, body=vote(1))[0] == 404
    assert count(collector) == 0


def test_healthz(collector):
    status, headers, body = call(collector, method="GET", path="/healthz", origin=None)
    assert (status, body) == (200, {"ok": True})
    assert headers["Content-Type"] == "application/json"
    assert headers["Cache-Control"] == "no-store"
    status, headers, body = call(collector, method="HEAD", path="/healthz", origin=None)
    assert (status, body) == (200, b"") and int(headers["Content-Length"]) > 0


class BrokenStore(store.Store):
    where = "nowhere"

    def ping(self) -> None:
        raise OSError("connection refused")

    def add(self, events):
        raise OSError("connection refused")

    def close(self) -> None:
        pass


def test_store_down_503(caplog):
    application = app(BrokenStore(), origins=[ORIGIN])
    status, _, body = call(application, method="GET", path="/healthz")
    assert status == 503 and body["ok"] is False
    status, headers, body = call(application, body=vote(1))
    assert status == 503 and int(headers["Retry-After"]) >= 1
    assert "connection refused" in caplog.text


def test_bug_is_500_not_a_crash(collector, monkeypatch, caplog):
    monkeypatch.setattr(collector, "_post", lambda environ: 1 / 0)
    status, _, body = call(collector, body=vote(1))
    assert (status, body) == (500, {"error": "internal error"})
    assert "ZeroDivisionError" in caplog.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=12,
)


@pytest.fixture
def proxied(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=1000, trust_proxy=1)
    yield application
    application.close()


FIELDS = [
    "v",
    "type",
    "id",
    "locale",
    "page",
    "helpful",
    "query",
    "results",
    "clicked",
    "channel",
    "comment",
]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8).map(
        lambda v: json.dumps(v).encode()
    ),
    ctype=st.sampled_from(["text/plain", "application/json", "text/csv"]),
)
def test_never_crashes_on_garbage(collector, body, ctype):
    status, _, _ = call(collector, body=body, ctype=ctype)
    assert status in ((204, 400) if ctype != "text/csv" else (415,))


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ctype=st.none()
    | st.text(max_size=40)
    | st.sampled_from(["text/plain; charset=", "text/plain;;="]),
    origin=st.none() | st.text(max_size=40) | st.sampled_from(["https://[::1", "https://h:99999"]),
    length=st.none() | st.text(max_size=6),
    forwarded=st.text(max_size=40),
    method=st.sampled_from(["POST", "OPTIONS", "GET", "HEAD", "DELETE", "post", ""]),
)
def test_never_crashes_on_odd_headers(proxied, ctype, origin, length, forwarded, method):
    application = proxied
    headers = {"HTTP_X_FORWARDED_FOR": forwarded}
    status, _, _ = call(
        application,
        method=method,
        body=vote(1),
        ctype=ctype,
        origin=origin,
        length=length,
        headers=headers,
    )
    assert status in (200, 204, 400, 403, 404, 405, 411, 413, 415, 429)


def test_from_env(sqlite_db):
    env = {
        "HELPGEN_COLLECT_DB": sqlite_db,
        "HELPGEN_COLLECT_ORIGINS": f"{ORIGIN}, http://localhost:8000",
        "HELPGEN_COLLECT_RATE_LIMIT": "0",
        "HELPGEN_COLLECT_TRUST_PROXY": "2",
    }
    application = from_env(env)
    assert application.origins == {ORIGIN, "http://localhost:8000"}
    assert application.limiter is None and application.trust_proxy == 2
    assert call(application, body=vote(1))[0] == 204
    application.close()
    with pytest.raises(HelpgenError, match="HELPGEN_COLLECT_RATE_LIMIT"):
        from_env({**env, "HELPGEN_COLLECT_RATE_LIMIT": "lots"})


# --- over real HTTP ---------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_threaded_server_over_http(sqlite_db):
    application = app(sqlite_db, origins=[ORIGIN], rate_limit=0, max_body=2000)
    server = make_server("127.0.0.1", 0, application)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        slow = socket.create_connection(("127.0.0.1", port))  # a client that says nothing
        status, _, body = _request(port, "GET", "/healthz")  # is not waited for
        assert (status, json.loads(body)) == (200, {"ok": True})
        headers = {"Content-Type": "text/plain", "Origin": ORIGIN}
        assert _request(port, "POST", "/events", json.dumps(vote(1)).encode(), headers)[0] == 204
        big = b"x" * 300_000  # refused unread: the client still gets its answer
        status, got, body = _request(port, "POST", "/events", big, headers)
        assert status == 413 and got["Access-Control-Allow-Origin"] == ORIGIN
        evil = {**headers, "Origin": "https://evil.example"}
        assert _request(port, "POST", "/events", b"x" * 1500, evil)[0] == 403
        form = {**headers, "Content-Type": "application/x-www-form-urlencoded"}
        assert _request(port, "POST", "/events", b"x" * 1500, form)[0] == 415
        slow.close()
    finally:
        server.shutdown()
        server.server_close()
        application.close()
    assert [e["id"] for e in rows(sqlite_db)] == ["event-0001"]


def test_cli_port_in_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["collect", "--port", str(port)])
    assert result.exit_code == 1
    assert f"port {port} is already in use" in result.output
    assert f"helpgen collect --port {port + 1}" in result.output
    assert not (tmp_path / "feedback.sqlite").exists()  # no database for a server that never ran
    result = CliRunner().invoke(main, ["collect", "--origin", "help.example.com"])
    assert result.exit_code == 1 and "not an origin" in result.output


def test_cli_help():
    result = CliRunner().invoke(main, ["collect", "--help"])
    assert result.exit_code == 0
    for option in ["--db", "--host", "--port", "--origin", "--rate-limit", "--trust-proxy"]:
        assert option in result.output


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_load_over_http(backend, request, tmp_path, capsys):
    """`helpgen collect` in its own process; 16 threads x 200 events, every 10th sent twice:
    every post answered 204, each event stored exactly once."""
    if backend == "sqlite":
        url = str(tmp_path / "feedback.sqlite")
    else:
        url = _schema_url(request.getfixturevalue("postgres_url"))
    bench = _bench()
    result = bench.measure(url, threads=16, events=200, dup_every=10)
    assert bench.collector.returncode == 0  # stopped cleanly by SIGTERM
    assert result["posts"] == 16 * 220
    assert dict(result["statuses"]) == {204: 16 * 220}
    assert result["lost"] == 0 and result["duplicated"] == 0
    assert result["stored"] == len(rows(url)) == 16 * 200
    with capsys.disabled():
        print(
            f"\n  collect load on {backend}: {result['posts']} posts in {result['seconds']:.2f}s "
            f"= {result['per_second']:.0f} posts/s, {result['stored']} stored, 0 lost"
        )
