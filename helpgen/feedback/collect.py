"""The collector: a WSGI application that stores the events help-center pages send.

    POST    /events   one event or a list of up to 20 (schema.py), as text/plain (what
                      navigator.sendBeacon sends for a string) or application/json
                      204 stored (or already stored) · 400 bad event · 403 origin not allowed ·
                      411/413 no length / too large · 415 other content type · 429 rate limit ·
                      503 store down. Nothing of a refused request is stored.
    OPTIONS /events   CORS preflight, answered for the configured origins only
    GET     /healthz  200 {"ok": true} after a trivial query; 503 if the store is unreachable

Run it with `helpgen collect` (a threaded server from the standard library), or under any WSGI
server: `gunicorn 'helpgen.feedback.collect:from_env()'`, configured by HELPGEN_COLLECT_*
variables (see from_env).

Clients are told apart by their address (the socket's peer; an IPv6 client by its /64). Behind
a reverse proxy every request comes from the proxy: set trust_proxy to the number of proxies in
front, and the address is read from X-Forwarded-For, that many entries from its right end. Only
do so when the proxies set that header themselves: otherwise any client can choose its address.
"""

from __future__ import annotations

import contextlib
import email.message
import errno
import ipaddress
import json
import logging
import math
import os
import signal
import socket
import socketserver
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from ..errors import HelpgenError
from . import schema
from .store import Store, open_store

log = logging.getLogger("helpgen.collect")

MAX_BODY = schema.MAX_BYTES * 20  # the most schema.parse accepts: 20 events
ACCEPTED = ("text/plain", "application/json")
MAX_CLIENTS = 50_000  # rate-limit buckets kept at most (least recently seen dropped first)
PREFLIGHT_MAX_AGE = 86400

_Response = tuple[int, list[tuple[str, str]], bytes]
_UNREAD = "helpgen.unread_body"  # environ key: the request's body was not read to its end


def normalize_origin(text: str) -> str:
    """`scheme://host[:port]` as a browser sends it in `Origin`; ValueError if it is not one."""
    parts = urlsplit(text.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
        or port == -1
    ):
        raise ValueError(f"not an origin: {text!r}")
    scheme, host = parts.scheme.lower(), parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


def client_address(environ: Mapping[str, Any], trust_proxy: int = 0) -> str:
    """Who sent the request, for rate limiting: the peer's address, or with trust_proxy = N the
    address N entries from the right of X-Forwarded-For. IPv6 clients count by their /64."""
    addr = str(environ.get("REMOTE_ADDR") or "")
    if trust_proxy:
        hops = [h.strip() for h in str(environ.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        hops = [h for h in hops if h]
        if hops:
            addr = hops[-trust_proxy] if len(hops) >= trust_proxy else hops[0]
    try:
        ip = ipaddress.ip_address(addr.strip("[]"))
    except ValueError:
        return addr[:100]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


class RateLimiter:
    """A token bucket per client: `per_minute` events a minute, in bursts of up to as many.
    Thread-safe; memory is bounded by `max_clients` buckets, and a bucket that has filled up
    again (a client quiet for a minute) is forgotten."""

    def __init__(
        self,
        per_minute: int,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens a second
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def take(self, client: str, n: int = 1, commit: bool = True) -> float:
        """0 when the client may send n events now (and, if commit, they are counted); else
        the seconds to wait. A batch larger than the bucket passes when the bucket is full,
        and is paid back before the next one."""
        with self._lock:
            now = self._clock()
            self._forget_full(now)
            tokens, last = self._buckets.pop(client, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            needed = min(float(n), self.capacity)
            wait = 0.0 if tokens >= needed else (needed - tokens) / self.rate
            if wait == 0.0 and commit:
                tokens -= n
            if tokens < self.capacity:
                self._buckets[client] = (tokens, now)
                while len(self._buckets) > self.max_clients:
                    self._buckets.popitem(last=False)
            return wait

    def _forget_full(self, now: float) -> None:
        """Drop the buckets, least recently used first, that have had time to fill up (stopping
        at the first that has not: the rest go when they reach the front, or by max_clients)."""
        while self._buckets:
            tokens, last = next(iter(self._buckets.values()))
            if tokens + (now - last) * self.rate < self.capacity:
                break
            self._buckets.popitem(last=False)

    def __len__(self) -> int:
        return len(self._buckets)


class Collector:
    """The WSGI application. Create it with app(); close() closes its store."""

    def __init__(
        self,
        store: Store,
        origins: Iterable[str] = (),
        rate_limit: int = 60,
        max_body: int = MAX_BODY,
        trust_proxy: int = 0,
    ) -> None:
        self.store = store
        self.origins = frozenset(origins)
        self.limiter = RateLimiter(rate_limit) if rate_limit > 0 else None
        self.max_body = max_body
        self.trust_proxy = trust_proxy

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        environ[_UNREAD] = str(environ.get("CONTENT_LENGTH") or "0").strip() != "0"
        try:
            status, headers, body = self._handle(environ)
        except Exception:  # a bug: answered, logged, never a dropped connection
            log.exception("collect: %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO"))
            status, headers, body = _json(500, {"error": "internal error"})
        phrase = HTTPStatus(status).phrase
        headers = [*headers, ("Content-Length", str(len(body)))]
        headers += [("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
        start_response(f"{status} {phrase}", headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def close(self) -> None:
        self.store.close()

    def _handle(self, environ: dict[str, Any]) -> _Response:
        path = environ.get("PATH_INFO") or "/"
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        if path == "/events":
            if method == "POST":
                return self._post(environ)
            if method == "OPTIONS":
                return self._preflight(environ)
            return _refuse(405, "use POST", [("Allow", "POST, OPTIONS")])
        if path == "/healthz":
            if method in ("GET", "HEAD"):
                return self._health()
            return _refuse(405, "use GET", [("Allow", "GET, HEAD")])
        return _refuse(404, "not found")

    def _cors(self, environ: Mapping[str, Any]) -> list[tuple[str, str]] | None:
        """The CORS headers for the request's Origin: [] without one, None if not allowed."""
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return []
        try:
            allowed = normalize_origin(origin) in self.origins
        except ValueError:  # "null" (a page opened from disk, a sandbox), or garbage
            allowed = False
        if not allowed:
            return None
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]

    def _post(self, environ: dict[str, Any]) -> _Response:
        cors = self._cors(environ)
        if cors is None:
            return _refuse(403, "this origin may not send events", [("Vary", "Origin")])
        ctype, charset = _content_type(environ.get("CONTENT_TYPE", ""))
        if ctype not in ACCEPTED or charset not in (None, "utf-8", "utf8", "us-ascii"):
            return _refuse(415, "send text/plain or application/json, in UTF-8", cors)
        raw = str(environ.get("CONTENT_LENGTH") or "").strip()
        length: int | None = None
        if raw and environ.get("HTTP_TRANSFER_ENCODING"):  # two framings: refused (RFC 9112)
            return _refuse(400, "send Content-Length or Transfer-Encoding, not both", cors)
        if raw:
            if not (raw.isascii() and raw.isdigit()):
                return _refuse(400, "bad Content-Length", cors)
            length = int(raw)
            if length > self.max_body:
                return _refuse(413, f"the body is larger than {self.max_body} bytes", cors)
        elif not environ.get("wsgi.input_terminated"):
            return _refuse(411, "send a Content-Length", cors)
        client = client_address(environ, self.trust_proxy)
        if self.limiter is not None and (wait := self.limiter.take(client, 1, commit=False)):
            return _too_many(wait, cors)
        try:
            body = _read(environ["wsgi.input"], length, self.max_body)
        except (OSError, ValueError):  # the client went away, or timed out, mid-body
            return _refuse(400, "could not read the body", cors)
        environ[_UNREAD] = False
        if len(body) > self.max_body:
            return _refuse(413, f"the body is larger than {self.max_body} bytes", cors)
        try:
            events = schema.parse(body)
        except schema.SchemaError as exc:
            if self.limiter is not None:
                self.limiter.take(client, 1)  # junk costs like one event
            return _refuse(400, str(exc), cors)
        if self.limiter is not None and (wait := self.limiter.take(client, len(events))):
            return _too_many(wait, cors)
        try:
            self.store.add(events)
        except Exception as exc:
            log.error("collect: cannot store %d events in %s: %s", len(events), self.store, exc)
            return _refuse(503, "the store is unavailable; try again later", [*cors, _retry(5)])
        return 204, cors, b""

    def _preflight(self, environ: dict[str, Any]) -> _Response:
        cors = self._cors(environ)
        if not cors:
            return _refuse(403, "this origin may not send events", [("Vary", "Origin")])
        return (
            204,
            [
                *cors,
                ("Access-Control-Allow-Methods", "POST"),
                ("Access-Control-Allow-Headers", "Content-Type"),
                ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE)),
            ],
            b"",
        )

    def _health(self) -> _Response:
        try:
            self.store.ping()
        except Exception as exc:
            log.warning("collect: the store %s is unreachable: %s", self.store, exc)
            return _json(503, {"ok": False, "error": "the store is unreachable"})
        return _json(200, {"ok": True})


def app(
    store_url: str | Store,
    origins: Iterable[str] = (),
    rate_limit: int = 60,
    max_body: int = MAX_BODY,
    trust_proxy: int = 0,
) -> Collector:
    """The collector's WSGI application, storing into store_url (a SQLite path or a
    postgresql:// URL, opened now; or an open Store). origins: the sites whose pages may send
    events (scheme://host[:port]); rate_limit: events a minute per client address, 0 = off;
    max_body: bytes (at most MAX_BODY); trust_proxy: reverse proxies in front (X-Forwarded-For)."""
    allowed = []
    for origin in origins:
        try:
            allowed.append(normalize_origin(origin))
        except ValueError:
            raise HelpgenError.at(
                f"'{origin}' is not an origin",
                hint="an origin is scheme://host[:port], with no path: https://help.example.com",
                code="origin",
            ) from None
    if rate_limit < 0 or trust_proxy < 0 or max_body <= 0:
        raise HelpgenError.at(
            "rate_limit and trust_proxy must be 0 or more, max_body more than 0", code="config"
        )
    store = open_store(store_url) if isinstance(store_url, str | os.PathLike) else store_url
    return Collector(store, allowed, rate_limit, min(max_body, MAX_BODY), trust_proxy)


def from_env(environ: Mapping[str, str] | None = None) -> Collector:
    """The application configured by environment variables, for WSGI servers:

    HELPGEN_COLLECT_DB           a SQLite path or postgresql:// URL (default feedback.sqlite)
    HELPGEN_COLLECT_ORIGINS      the sites that may send events, separated by spaces or commas
    HELPGEN_COLLECT_RATE_LIMIT   events a minute per client address, 0 = off (default 60)
    HELPGEN_COLLECT_TRUST_PROXY  reverse proxies in front that set X-Forwarded-For (default 0)
    """
    env = os.environ if environ is None else environ

    def number(name: str, default: int) -> int:
        value = env.get(name, "").strip() or str(default)
        if not value.isdigit():
            raise HelpgenError.at(
                f"{name}={value!r} is not a whole number", hint=f"e.g. {name}={default}", code="env"
            )
        return int(value)

    return app(
        env.get("HELPGEN_COLLECT_DB", "").strip() or "feedback.sqlite",
        env.get("HELPGEN_COLLECT_ORIGINS", "").replace(",", " ").split(),
        number("HELPGEN_COLLECT_RATE_LIMIT", 60),
        trust_proxy=number("HELPGEN_COLLECT_TRUST_PROXY", 0),
    )


def _content_type(header: str) -> tuple[str, str | None]:
    """(media type, charset or None), lower case."""
    msg = email.message.Message()
    msg["Content-Type"] = header or "application/x-missing"
    charset = msg.get_param("charset")
    return msg.get_content_type(), charset.lower() if isinstance(charset, str) else None


def _read(stream: Any, length: int | None, cap: int) -> bytes:
    """The body: `length` bytes, or without a length up to cap + 1 (one more says too large)."""
    want = cap + 1 if length is None else length
    chunks, got = [], 0
    while got < want:
        chunk = stream.read(min(65536, want - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    if length is not None and got < length:
        raise ValueError("the body ended early")
    return b"".join(chunks)


def _json(status: int, payload: object, headers: list[tuple[str, str]] | None = None) -> _Response:
    body = json.dumps(payload).encode()
    return status, [*(headers or []), ("Content-Type", "application/json")], body


def _refuse(status: int, error: str, headers: list[tuple[str, str]] | None = None) -> _Response:
    return _json(status, {"error": error}, headers)


def _retry(seconds: float) -> tuple[str, str]:
    return ("Retry-After", str(max(1, math.ceil(seconds))))


def _too_many(wait: float, cors: list[tuple[str, str]]) -> _Response:
    return _refuse(429, "too many events; slow down", [*cors, _retry(wait)])


# --- `helpgen collect`: a threaded server from the standard library -----------------------


class _Handler(WSGIRequestHandler):
    timeout = 15  # seconds a client may take to send its request
    linger = (1 << 20, 2.0)  # after a refused body: bytes and seconds to drain, at most

    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per event would drown everything else; errors are logged

    def get_environ(self) -> dict[str, Any]:
        self._environ = super().get_environ()
        return self._environ

    def finish(self) -> None:
        super().finish()
        if getattr(self, "_environ", {}).get(_UNREAD):
            self._drain()

    def _drain(self) -> None:
        """Closing a socket with unread data resets the connection, and the client may lose
        the answer (413) before reading it: read a bounded amount of what it still sends."""
        limit, seconds = self.linger
        end = time.monotonic() + seconds
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_WR)
            while limit > 0 and (left := end - time.monotonic()) > 0:
                self.connection.settimeout(left)
                chunk = self.connection.recv(min(65536, limit))
                if not chunk:
                    break
                limit -= len(chunk)


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request; closing waits for requests in progress."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 128


def _not_yet(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("503 Service Unavailable", [("Content-Length", "0")])
    return [b""]


def make_server(host: str, port: int, application: Callable[..., Any]) -> ThreadingWSGIServer:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server_class = type("Server", (ThreadingWSGIServer,), {"address_family": family})
    server = server_class((host, port), _Handler)
    server.set_app(application)
    return server


def serve(
    db: str,
    host: str = "127.0.0.1",
    port: int = 8100,
    origins: Iterable[str] = (),
    rate_limit: int = 60,
    trust_proxy: int = 0,
) -> None:
    """`helpgen collect`: serve the collector until Ctrl+C or SIGTERM."""
    try:  # the port first: a port in use creates no database
        server = make_server(host, port, _not_yet)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise HelpgenError.at(
                f"port {port} is already in use",
                hint="stop the other server, or pick another port: "
                f"helpgen collect --port {port + 1}",
                code="port",
            ) from None
        raise HelpgenError.at(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="give an address of this machine: --host 127.0.0.1, or --host 0.0.0.0 for all",
            code="port",
        ) from None
    try:
        collector = app(db, origins, rate_limit, trust_proxy=trust_proxy)
    except BaseException:
        server.server_close()
        raise
    server.set_app(collector)
    import click

    shown = f"[{host}]" if ":" in host else host
    click.echo(
        f"collecting events at http://{shown}:{server.server_address[1]}/events "
        f"into {collector.store.where} (Ctrl+C to stop)"
    )
    click.echo(
        f"pages allowed to send: {' '.join(sorted(collector.origins))}"
        if collector.origins
        else "no --origin given: pages on other sites are refused (403)"
    )
    click.echo(
        f"rate limit: {rate_limit} events a minute per client address"
        if rate_limit
        else "rate limit: off"
    )
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
        server.server_close()  # waits for the requests in progress
        collector.close()
