"""'Was this helpful?' and search events in Chromium: what the page sends, and only that."""

from __future__ import annotations

import json
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpgen.feedback.schema import validate
from helpgen.pipeline import build

from .conftest import CSP, write_files

pytestmark = pytest.mark.browser


class _Handler(SimpleHTTPRequestHandler):
    received: list[dict]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append(
            {
                "type": self.headers.get("Content-Type"),
                "cookie": self.headers.get("Cookie"),
                "event": json.loads(body),
            }
        )
        self.send_response(204)
        self.end_headers()


@pytest.fixture
def shop(tmp_path: Path):
    """A small site whose events go to its own server (same origin), which records them."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    root = write_files(
        tmp_path / "site",
        {
            "helpgen.toml": f"""
                [feedback]
                endpoint = "http://127.0.0.1:{port}/events"
                searches = true

                [[contact.channels]]
                id = "chat"
                type = "chat"
                url = "https://acme.test/chat"
                label = "Chat"
            """,
            "content/orders/cancel.md": "# Cancel an order\n\nHow to cancel an order.\n",
            "content/orders/refund.md": "# Refunds\n\nMoney back after a cancel.\n",
        },
    )
    out = build(root).out_dir
    received: list[dict] = []
    server.RequestHandlerClass = partial(_Handler, directory=str(out))  # type: ignore[assignment]
    _Handler.received = received
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}/", received
    server.shutdown()


def events(received: list[dict], count: int, timeout: float = 5.0) -> list[dict]:
    end = time.time() + timeout
    while len(received) < count and time.time() < end:
        time.sleep(0.05)
    return [r["event"] for r in received]


def test_a_no_vote_with_a_comment_then_the_channels(shop, page):
    base, received = shop
    page.goto(base + "orders/cancel/")
    box = page.locator("[data-helpgen=feedback]")
    assert box.is_visible()
    box.locator("[data-vote=no]").click()
    box.locator("textarea").fill("It doesn't say <b>when</b> the money comes back")
    box.locator("button[type=submit]").click()
    assert box.locator("[data-feedback-thanks]").is_visible()
    assert box.locator("[data-feedback-contact] li[data-channel=chat]").is_visible()
    [event] = events(received, 1)
    assert validate(event) == event  # exactly the schema, nothing more
    assert (event["type"], event["helpful"], event["page"], event["locale"]) == (
        "vote",
        False,
        "orders/cancel/",
        "en",
    )
    assert event["comment"] == "It doesn't say <b>when</b> the money comes back"
    assert received[0]["type"].startswith("text/plain") and received[0]["cookie"] is None
    # a second visit: the vote is remembered, nothing is sent again
    page.reload()
    assert not box.locator("[data-vote=yes]").is_visible()
    assert box.locator("[data-feedback-thanks]").is_visible()
    time.sleep(0.3)
    assert len(received) == 1
    # following a channel is an event too
    page.locator("#hg-contact li[data-channel=chat] a").click(modifiers=["Control"])
    contact = events(received, 2)[1]
    assert (contact["type"], contact["channel"]) == ("contact", "chat")
    assert page.errors == []


def test_a_yes_vote_is_sent_at_once(shop, page):
    base, received = shop
    page.goto(base + "orders/refund/")
    page.locator("[data-helpgen=feedback] [data-vote=yes]").click()
    [event] = events(received, 1)
    assert (event["type"], event["helpful"], event["page"]) == ("vote", True, "orders/refund/")
    assert "comment" not in event


def test_a_settled_search_and_its_click(shop, page):
    base, received = shop
    page.clock.install()
    page.goto(base + "search/?q=zzqx")
    page.locator("[data-search-output]").wait_for()
    page.clock.run_for(2500)  # settled
    page.goto(base + "search/?q=cancel")  # leaving the page sends the settled search
    page.locator("[data-search-output] a[href]").first.wait_for()
    [nothing] = events(received, 1)
    assert (nothing["type"], nothing["query"], nothing["results"], nothing["clicked"]) == (
        "search",
        "zzqx",
        0,
        None,
    )
    page.clock.run_for(2500)
    page.locator("[data-search-output] a[href*='cancel']").first.click()
    clicked = events(received, 2)[1]
    assert (clicked["query"], clicked["clicked"]) == ("cancel", "orders/cancel/")
    assert clicked["results"] >= 1 and "weak" not in clicked
    assert all(validate(e) == e for e in events(received, 2))


def test_a_search_shown_only_the_closest_matches_is_sent_as_weak(shop, page):
    """None of the pages matches enough of the query: the few shown are the closest, and the
    search is sent with weak: true, for the report to list it as failed."""
    base, received = shop
    page.clock.install()
    page.goto(base + "search/?q=cancel+zzqx+wvvk")
    page.locator(".search-summary").wait_for()
    page.clock.run_for(2500)
    page.goto(base + "orders/cancel/")
    [weak] = events(received, 1)
    assert (weak["query"], weak["clicked"], weak.get("weak")) == ("cancel zzqx wvvk", None, True)
    assert weak["results"] >= 1 and validate(weak) == weak


def test_from_a_no_vote_and_a_failed_search_to_the_report(tmp_path, browser):
    """The whole loop: a reader's No with a comment and a search that found nothing, sent by
    the pages to `helpgen collect`, stored as rows in SQLite, read in `helpgen report`."""
    from click.testing import CliRunner

    from helpgen.cli import main
    from helpgen.feedback.collect import app, make_server
    from helpgen.feedback.store import open_store

    site_server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    site_origin = f"http://127.0.0.1:{site_server.server_address[1]}"
    db = tmp_path / "feedback.sqlite"
    collector = make_server("127.0.0.1", 0, app(str(db), origins=[site_origin]))
    events_url = f"http://127.0.0.1:{collector.server_address[1]}/events"
    threading.Thread(target=collector.serve_forever, daemon=True).start()
    root = write_files(
        tmp_path / "site",
        {
            "helpgen.toml": f'[feedback]\nendpoint = "{events_url}"\nsearches = true\n',
            "content/orders/cancel.md": "# Cancel an order\n\nHow to cancel an order.\n",
        },
    )
    out = build(root).out_dir

    class Site(SimpleHTTPRequestHandler):  # the site, its CSP naming the collector
        def log_message(self, format: str, *args: object) -> None:
            pass

        def end_headers(self) -> None:
            self.send_header(
                "Content-Security-Policy", f"default-src 'self'; connect-src 'self' {events_url}"
            )
            super().end_headers()

    site_server.RequestHandlerClass = partial(Site, directory=str(out))  # type: ignore[assignment]
    threading.Thread(target=site_server.serve_forever, daemon=True).start()
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(site_origin + "/orders/cancel/")
        page.locator("[data-vote=no]").click()
        page.locator("[data-helpgen=feedback] textarea").fill("Nothing about gift cards")
        page.locator("[data-helpgen=feedback] button[type=submit]").click()
        page.clock.install()
        page.goto(site_origin + "/search/?q=giftcard+refund")
        page.locator("[data-search-output]").wait_for()
        page.clock.run_for(2500)
        page.goto(site_origin + "/orders/cancel/")  # leaving sends the settled search
        store = open_store(str(db))
        end = time.time() + 10
        while len(rows := list(store.events())) < 2 and time.time() < end:
            time.sleep(0.1)
        store.close()
    finally:
        context.close()
        collector.shutdown()
        site_server.shutdown()
    assert errors == []
    assert sorted((r["type"], r["page"]) for r in rows) == [
        ("search", "search/"),
        ("vote", "orders/cancel/"),
    ]
    vote = next(r for r in rows if r["type"] == "vote")
    assert (vote["helpful"], vote["comment"]) == (False, "Nothing about gift cards")
    search = next(r for r in rows if r["type"] == "search")
    assert (search["query"], search["results"], search["clicked"]) == ("giftcard refund", 0, None)
    report = CliRunner().invoke(main, ["report", "--db", str(db)])
    assert report.exit_code == 0, report.output
    lines = report.stdout.splitlines()
    assert any(
        "orders/cancel/" in line and "Nothing about gift cards" not in line for line in lines
    )
    assert any("Nothing about gift cards" in line for line in lines)
    assert any("giftcard refund" in line for line in lines)


def test_a_search_submitted_to_the_search_page_is_counted_once(shop, page):
    base, received = shop
    page.clock.install()
    page.goto(base + "orders/cancel/")
    box = page.locator(".header-search input[name=q]")
    box.fill("xyzzy coupon")
    page.locator(".search-popup").wait_for()
    page.clock.run_for(2500)  # settled in the drop-down…
    box.press("Enter")  # …then handed to the search page, which reports it
    page.wait_for_url("**/search/?q=*")
    output = page.locator("[data-search-output]")
    output.wait_for()
    end = time.time() + 15  # the page has searched (its index may load slowly under load)…
    while not output.inner_text().strip() and time.time() < end:
        time.sleep(0.05)
    page.clock.run_for(2500)  # …and its result settles
    page.goto(base + "orders/refund/")
    time.sleep(0.5)
    searches = [e for e in events(received, 1) if e["type"] == "search"]
    assert [(e["query"], e["page"]) for e in searches] == [("xyzzy coupon", "search/")]
