"""Where collected events are kept: a SQLite file, or a PostgreSQL database.

    with open_store("feedback.sqlite") as store:           # or "postgresql://user@host/db"
        store.add(schema.parse(body))                        # how many were new
        for event in store.events(since="2026-09-01", locale="en"):
            ...                                              # the event's JSON + "received"

One table, one row per event; an event's `id` is its primary key, so an event sent twice (a
beacon retried, a page restored from the back/forward cache) is stored once. Both backends are
safe under concurrent writers: threads share a small pool of connections, and processes (e.g.
gunicorn workers) each have their own. SQLite runs in WAL mode with a busy timeout and takes
its write lock at the start of each transaction; PostgreSQL needs `helpgen[postgres]`
(psycopg 3).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import HelpgenError
from . import schema

log = logging.getLogger("helpgen.feedback")

BUSY_TIMEOUT = 10.0  # seconds a SQLite writer waits for another one
POOL_SIZE = 8  # connections per process
POOL_WAIT = 10.0  # seconds a thread waits for a free connection
_PAGE = 500  # rows per query while iterating events

_TABLE = """CREATE TABLE IF NOT EXISTS events (
  id TEXT PRIMARY KEY,
  received TEXT NOT NULL,
  type TEXT NOT NULL,
  locale TEXT NOT NULL,
  page TEXT NOT NULL,
  data TEXT NOT NULL
)"""
_INDEX = "CREATE INDEX IF NOT EXISTS events_received ON events (received)"
_COLUMNS = "id, received, type, locale, page, data"


def now() -> str:
    """The current time as stored in `received`: UTC, ISO 8601, fixed width so it sorts."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_store(url_or_path: str | os.PathLike[str]) -> Store:
    """A SQLite file (a path) or a PostgreSQL database (a `postgresql://…` URL), its table
    created if missing. A located HelpgenError if it cannot be opened."""
    text = os.fspath(url_or_path)
    scheme = urlsplit(text).scheme.lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres"):
        return PostgresStore(text)
    if scheme == "sqlite":
        text = text.split("://", 1)[1]
    elif scheme:
        raise HelpgenError.at(
            f"unsupported store '{scheme}://…'",
            hint="give a SQLite file (feedback.sqlite) or a postgresql://user:password@host/db URL",
            code="store",
        )
    return SQLiteStore(Path(text))


class _Pool:
    """Up to `size` connections shared by threads, one thread at a time each. A connection
    that saw an error is closed, not reused; after a fork the parent's are left alone."""

    def __init__(self, connect: Callable[[], Any], size: int = POOL_SIZE) -> None:
        self._connect = connect
        self._size = size
        self._idle: list[Any] = []
        self._open = 0
        self._cond = threading.Condition()
        self._pid = os.getpid()
        self._closed = False

    @contextlib.contextmanager
    def connection(self) -> Iterator[Any]:
        conn = self._acquire()
        try:
            yield conn
        except BaseException:
            self._discard(conn)
            raise
        self._release(conn)

    def _acquire(self) -> Any:
        with self._cond:
            if self._pid != os.getpid():  # forked: those belong to the parent
                self._idle, self._open, self._pid = [], 0, os.getpid()
            if not self._cond.wait_for(
                lambda: self._closed or self._idle or self._open < self._size, POOL_WAIT
            ):
                raise TimeoutError(f"no free store connection after {POOL_WAIT:g}s")
            if self._closed:
                raise RuntimeError("the store is closed")
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            return self._connect()
        except BaseException:
            with self._cond:
                self._open -= 1
                self._cond.notify()
            raise

    def _release(self, conn: Any) -> None:
        with self._cond:
            if self._pid == os.getpid() and not self._closed:
                self._idle.append(conn)
                self._cond.notify()
                return
        self._discard(conn)

    def _discard(self, conn: Any) -> None:
        with self._cond:
            same = self._pid == os.getpid()
            if same:
                self._open -= 1
                self._cond.notify()
        if same:
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._open -= len(idle)
            self._cond.notify_all()
        for conn in idle:
            with contextlib.suppress(Exception):
                conn.close()


class Store:
    """The events table. Subclasses say how to connect and which SQL dialect to speak."""

    where: str  # what to show in messages: a path, or a URL without its password
    _mark = "?"  # the driver's parameter placeholder
    _transient: tuple[type[BaseException], ...] = ()  # errors worth one retry
    _pool: _Pool

    def add(self, events: list[dict[str, Any]]) -> int:
        """Store the events (validated again here), stamped with `received`; how many were new.
        An event whose id is already stored is left as it is. All or nothing."""
        clean: dict[str, dict[str, Any]] = {}
        for event in events:
            valid = schema.validate(event)
            clean.setdefault(valid["id"], valid)
        if not clean:
            return 0
        return self._retry(lambda conn: self._insert(conn, list(clean.values()), now()))

    def events(self, since: str | None = None, locale: str | None = None) -> Iterator[dict]:
        """The stored events, oldest first: each one's JSON plus `received`. `since` (an ISO
        8601 date or time, UTC unless it says otherwise) keeps those received at or after it."""
        where, params = ["1=1"], []
        if since is not None:
            where.append(f"received >= {self._mark}")
            params.append(_since(since))
        if locale is not None:
            where.append(f"locale = {self._mark}")
            params.append(locale)
        m = self._mark
        after: tuple[str, str] | None = None
        while True:  # a page at a time, after the last row seen: no connection held between
            page_where = list(where)
            page_params = list(params)
            if after is not None:
                page_where.append(f"(received > {m} OR (received = {m} AND id > {m}))")
                page_params += [after[0], after[0], after[1]]
            sql = (
                f"SELECT id, received, data FROM events WHERE {' AND '.join(page_where)} "
                f"ORDER BY received, id LIMIT {_PAGE}"
            )
            rows = self._retry(lambda conn, s=sql, p=page_params: self._select(conn, s, p))
            for _id, received, data in rows:
                yield {**json.loads(data), "received": received}
            if len(rows) < _PAGE:
                return
            after = (rows[-1][1], rows[-1][0])

    def ping(self) -> None:
        """A trivial query: raises if the store is unreachable."""
        self._retry(lambda conn: self._select(conn, "SELECT 1 FROM events LIMIT 1", []))

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.where}>"

    def _retry(self, work: Callable[[Any], Any]) -> Any:
        """Run work(connection); once more on a fresh connection after a transient error (a
        connection the server dropped, a lock held too long): every write is idempotent."""
        for attempt in (1, 2):
            try:
                with self._pool.connection() as conn:
                    return work(conn)
            except self._transient as exc:
                if attempt == 2:
                    raise
                log.warning("store %s: %s; retrying", self.where, exc)
        raise AssertionError("unreachable")

    @staticmethod
    def _row(event: dict[str, Any], received: str) -> tuple[str, ...]:
        data = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        return (event["id"], received, event["type"], event["locale"], event["page"], data)

    def _insert(self, conn: Any, events: list[dict[str, Any]], received: str) -> int:
        raise NotImplementedError

    def _select(self, conn: Any, sql: str, params: list[str]) -> list[tuple[str, str, str]]:
        raise NotImplementedError


def _since(value: str) -> str:
    """`since` in the form `received` is stored in, so that text order is time order."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"since: not an ISO 8601 date or time: {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SQLiteStore(Store):
    """A SQLite file in WAL mode: readers never wait, writers queue for up to BUSY_TIMEOUT."""

    _transient = (sqlite3.OperationalError,)

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)
        self._pool = _Pool(self._connect)
        self._write_lock, self._lock_pid = threading.Lock(), os.getpid()
        try:
            with self._pool.connection() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                with _transaction(conn):
                    conn.execute(_TABLE)
                    conn.execute(_INDEX)
        except sqlite3.Error as exc:
            self._pool.close()
            raise HelpgenError.at(
                f"cannot open the SQLite store: {exc}",
                path,
                hint="check that its folder exists and is writable, and that it is a SQLite file",
                code="store",
            ) from None

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable across crashes of the process
        return conn

    def _insert(self, conn: sqlite3.Connection, events: list[dict], received: str) -> int:
        sql = f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
        new = 0
        if self._lock_pid != os.getpid():  # forked while another thread may have held it
            self._write_lock, self._lock_pid = threading.Lock(), os.getpid()
        # threads queue here; other processes wait in busy_timeout, which polls with sleeps
        with self._write_lock, _transaction(conn):
            for event in events:
                new += conn.execute(sql, self._row(event, received)).rowcount
        return new

    def _select(self, conn: sqlite3.Connection, sql: str, params: list[str]) -> list:
        return conn.execute(sql, params).fetchall()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE: the write lock up front, so a writer waits (busy_timeout) rather than
    failing when another one committed since it began."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class PostgresStore(Store):
    """A PostgreSQL database through psycopg 3 (`pip install 'helpgen[postgres]'`)."""

    _mark = "%s"
    _DDL_LOCK = 0x68656C70  # an advisory lock: two processes creating the table at once

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise HelpgenError.at(
                "a postgresql:// store needs psycopg 3, which is not installed",
                hint="pip install 'helpgen[postgres]'",
                code="store",
            ) from None
        self._psycopg = psycopg
        self.url = url
        self.where = redact(url)
        self._transient = (psycopg.OperationalError,)
        self._pool = _Pool(self._connect)
        try:
            with self._pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._DDL_LOCK,))
                conn.execute(_TABLE)
                conn.execute(_INDEX)
        except psycopg.Error as exc:
            self._pool.close()
            raise HelpgenError.at(
                f"cannot open the PostgreSQL store {self.where}: {_first_line(exc)}",
                hint="check the URL (postgresql://user:password@host:port/database), that the "
                "server is running, and that the user may create a table there",
                code="store",
            ) from None

    def _connect(self) -> Any:
        from psycopg.conninfo import conninfo_to_dict

        params = conninfo_to_dict(self.url)
        params.setdefault("connect_timeout", 5)
        params.setdefault("application_name", "helpgen collect")
        return self._psycopg.connect(autocommit=True, **params)

    def _insert(self, conn: Any, events: list[dict], received: str) -> int:
        rows = [self._row(event, received) for event in events]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(rows))
        sql = (
            f"INSERT INTO events ({_COLUMNS}) VALUES {values} "
            "ON CONFLICT (id) DO NOTHING RETURNING id"
        )
        with conn.transaction():
            cur = conn.execute(sql, [value for row in rows for value in row])
            return len(cur.fetchall())

    def _select(self, conn: Any, sql: str, params: list[str]) -> list:
        return conn.execute(sql, params).fetchall()


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
