"""The contact flows in Chromium on the demo: routed channels per topic, "open now" under a
mocked clock and time zone, context in the links, the contact page's suggestions and routing,
the audience switcher, and every hook in every demo locale."""

import datetime as dt
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from .conftest import CHROMIUM_ARGS  # noqa: F401  (the browser fixture launches with them)

pytestmark = pytest.mark.browser
LOCALES = ["en", "he", "fa", "zh-CN"]


@pytest.fixture(scope="module")
def base(demo_site, serve_dir) -> str:
    return serve_dir(demo_site)


def visible_channels(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-helpgen=contact] li[data-channel]",
        "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.channel)",
    )


def labelled(page, selector: str):
    """The hours element, brought into view (hours.js is loaded then) and labelled."""
    hours = page.locator(selector)
    hours.scroll_into_view_if_needed()
    page.locator(selector + "[data-hours-state]").wait_for()
    return hours


def test_channels_are_routed_by_topic(page, base):
    page.goto(base + "en/orders/cancel-an-order/")
    assert visible_channels(page) == ["chat", "email", "phone"]
    page.goto(base + "en/payments/failed-payments/")
    assert visible_channels(page) == ["chat", "billing", "phone"]
    page.goto(base + "en/selling/fees/")
    assert visible_channels(page) == ["seller-support", "seller-email", "community"]
    assert page.errors == []


def test_open_now_under_a_mocked_clock_and_time_zone(browser, base):
    # Tuesday 2026-03-03 10:30 in New York = 16:30 in Berlin; chat is open 08:00-22:00 New York
    context = browser.new_context(timezone_id="Europe/Berlin", locale="en-GB")
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC))
    page.goto(base + "en/orders/cancel-an-order/")
    chat = labelled(
        page, "[data-helpgen=contact] ul:not([hidden]) li[data-channel=chat] [data-helpgen=hours]"
    )
    assert re.fullmatch(r"Open now · closes 0?4:00( AM)?", chat.inner_text())  # 22:00 NY
    assert chat.get_attribute("data-hours-state") == "open"
    # Sunday 2026-03-08 03:00 UTC: phone (Mon-Fri 09:00-18:00 New York, DST starts that day)
    page.clock.set_fixed_time(dt.datetime(2026, 3, 8, 3, 0, tzinfo=dt.UTC))
    page.reload()
    phone = labelled(
        page, "[data-helpgen=contact] ul:not([hidden]) li[data-channel=phone] [data-helpgen=hours]"
    )
    # Monday 09:00 EDT (UTC-4) = 13:00 UTC = 14:00 in Berlin (still UTC+1)
    assert re.fullmatch(r"Opens Monday (14:00|02:00 PM)", phone.inner_text())
    # Hebrew page, Tokyo reader: words in Hebrew, time in Tokyo
    page.goto(base + "he/orders/cancel-an-order/")
    he_phone = labelled(
        page, "[data-helpgen=contact] ul:not([hidden]) li[data-channel=phone] [data-helpgen=hours]"
    )
    assert "נפתח" in he_phone.inner_text()
    context.close()


def test_without_javascript_hours_are_plain_text(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "en/orders/cancel-an-order/")
    text = page.locator("li[data-channel=phone] [data-helpgen=hours]").inner_text()
    assert "09:00" in text and "18:00" in text and "New York" in text
    context.close()


def test_links_carry_the_page_context(page, base):
    page.goto(base + "en/payments/failed-payments/")
    href = page.locator(
        "[data-helpgen=contact] ul:not([hidden]) li[data-channel=billing] a"
    ).get_attribute("href")
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    assert parts.scheme == "mailto" and parts.path == "billing@juniper.market"
    assert query["subject"] == ["Payment declined or failed"]
    assert query["body"][0].strip() == page.url.split("#")[0]  # the reader's real address
    page.goto(base + "en/selling/fees/")
    form = page.locator("li[data-channel=seller-support] a").get_attribute("href")
    form_query = parse_qs(urlsplit(form).query)
    assert form_query["topic"] == ["Selling on Juniper Market"]
    assert form_query["from"] == [page.url]
    phone = page.goto(base + "en/orders/cancel-an-order/")
    assert phone is not None
    assert page.locator("li[data-channel=phone] a").get_attribute("href") == "tel:+15035550142"


def test_contact_page_suggests_articles_and_routes_by_topic(page, base):
    page.goto(base + "en/contact/")
    form = page.locator("[data-helpgen=deflect]")
    assert form.is_visible()
    page.fill("#deflect-question", "my payment was declined")
    suggestions = page.locator("[data-deflect-suggestions] a")
    suggestions.first.wait_for(timeout=10000)
    titles = suggestions.all_inner_texts()
    assert any("declined" in t.lower() or "failed" in t.lower() for t in titles), titles
    general = page.locator("[data-contact-topic=''] [data-audience-variant=''] li.channel")
    assert [c.get_attribute("data-channel") for c in general.all()][:3] == [
        "chat",
        "email",
        "phone",
    ]
    page.select_option("#deflect-topic", "payments")
    shown = page.locator("[data-contact-topic='payments'] [data-audience-variant=''] li.channel")
    assert shown.first.is_visible()
    assert [c.get_attribute("data-channel") for c in shown.all()] == ["chat", "billing", "phone"]
    assert not page.locator("[data-contact-topic='']").is_visible()
    billing = page.locator("[data-contact-topic='payments'] li[data-channel=billing] a").first
    body = parse_qs(urlsplit(billing.get_attribute("href")).query)["body"][0]
    assert body.startswith("my payment was declined")
    # a sub-topic without routes of its own gets its parent's channels
    page.select_option("#deflect-topic", "payments/gift-cards")
    assert page.locator("[data-contact-topic='payments']").is_visible()
    page.select_option("#deflect-topic", "selling/listings")
    form_link = page.locator(
        "[data-contact-topic='selling'] li[data-channel=seller-support] a"
    ).first
    query = parse_qs(urlsplit(form_link.get_attribute("href")).query)
    assert query["message"] == ["my payment was declined"]
    assert page.errors == []


def test_contact_page_without_javascript_lists_channels_per_topic(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "en/contact/")
    assert not page.locator("[data-helpgen=deflect]").is_visible()
    topics = page.locator("details[data-contact-topic]")
    assert set(topics.evaluate_all("els => els.map(e => e.dataset.contactTopic)")) >= {
        "payments",
        "selling",
    }
    context.close()


def choose(page, audience: str) -> None:
    """Pick an audience in the header's switcher, as a reader does."""
    page.locator("[data-helpgen=audience] summary").click()
    page.locator(f"[data-helpgen=audience] [data-audience-choice='{audience}']").click()


def test_audience_switcher_changes_tree_search_and_routes(page, base):
    page.goto(base + "en/")
    selling_card = page.locator("li.card[data-audiences~=sellers]")
    assert selling_card.is_visible()
    choose(page, "buyers")
    assert not selling_card.is_visible()
    # remembered on the next page, and the search results follow it
    page.goto(base + "en/search/?q=payouts")
    page.locator("[data-search-output]").wait_for(timeout=10000)
    page.wait_for_timeout(500)
    results = page.eval_on_selector_all("[data-search-output] a[href]", "a => a.map(x => x.href)")
    assert results and not any("/selling/" in unquote(r) for r in results)
    page.goto(base + "en/orders/cancel-an-order/")
    pressed = page.locator("[data-helpgen=audience] [aria-pressed=true]")
    assert pressed.get_attribute("data-audience-choice") == "buyers"
    assert visible_channels(page) == ["chat", "email", "phone"]
    choose(page, "sellers")
    assert visible_channels(page) == ["seller-support", "chat", "seller-email"]
    page.goto(base + "en/search/?q=payouts")
    page.locator("[data-search-output] a[href*='selling']").first.wait_for(timeout=10000)
    assert page.errors == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_hook_in_every_demo_locale(page, base, locale):
    page.goto(base + f"{locale}/orders/cancel-an-order/")
    assert page.locator("[data-helpgen=contact] li[data-channel]").count() >= 3
    assert page.locator("[data-helpgen=hours]").count() >= 1
    assert page.locator("[data-helpgen=audience]").count() == 1
    page.goto(base + f"{locale}/contact/")
    assert page.locator("[data-helpgen=deflect]").is_visible()
    assert page.locator("[data-helpgen=hours]").count() >= 1
    if locale in ("en", "he"):  # the demo's troubleshooter is translated into Hebrew
        page.goto(base + f"{locale}/shipping/delivery-problems/package-hasnt-arrived/")
        assert page.locator("[data-helpgen=guide] [data-helpgen=guide-step]").count() >= 5
    assert page.errors == []


def test_a_troubleshooter_ends_at_the_pages_own_channels(page, base):
    page.goto(base + "en/shipping/delivery-problems/package-hasnt-arrived/")
    page.locator(".guide-step:not([hidden]) a[href='#in-transit']").click()
    page.locator(".guide-step:not([hidden]) a[href='#tracking-stuck']").click()
    page.locator(".guide-step:not([hidden]) a[href='#hg-contact']").click()
    in_view = "() => { const r = document.getElementById('hg-contact').getBoundingClientRect();"
    page.wait_for_function(in_view + " return r.top < innerHeight && r.bottom > 0; }")
    assert visible_channels(page) == ["chat", "email", "phone"]
    assert page.locator("#tracking-stuck").is_visible()  # the guide stays on its step
    assert page.errors == []
