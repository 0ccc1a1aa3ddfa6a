"""The real UI in headless Chromium, served with a strict Content-Security-Policy."""

import re

import pytest

from helpgen.pipeline import build

from .conftest import REPO

pytestmark = pytest.mark.browser


def test_drill_down_to_an_article_then_switch_to_hebrew(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base)  # the root sends the reader to the default locale
    page.wait_for_url(f"{base}en/")
    assert page.locator("html").get_attribute("dir") == "ltr"

    page.get_by_role("link", name="Orders", exact=True).first.click()  # topic
    page.wait_for_url(f"{base}en/orders/")
    assert page.locator("h1").inner_text() == "Orders"

    page.locator("main").get_by_role("link", name="Tracking", exact=True).first.click()  # subtopic
    page.wait_for_url(f"{base}en/orders/tracking/")

    page.locator("main").get_by_role("link", name=re.compile(r"^Where is my order")).first.click()
    page.wait_for_url(f"{base}en/orders/tracking/where-is-my-order/")
    assert page.locator("h1").inner_text() == "Where is my order?"
    crumbs = page.locator("nav.breadcrumbs a, nav[aria-label] ol a").all_inner_texts()
    assert "Orders" in crumbs and "Tracking" in crumbs

    # the language switcher lands on the same article in Hebrew
    page.locator("details.lang-switcher:not([data-helpgen]) summary").click()
    page.locator("a[hreflang='he']").first.click()
    page.wait_for_url(f"{base}he/orders/tracking/where-is-my-order/")
    html = page.locator("html")
    assert html.get_attribute("lang") == "he" and html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # laid out right to left: the title hugs the right edge, the section nav sits on the right
    h1 = page.locator("main h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert h1["x"] + h1["width"] > main["x"] + main["width"] - 400
    sidebar = page.locator(".layout-sidebar").first.bounding_box()
    article = page.locator("article").first.bounding_box()
    assert sidebar["x"] > article["x"], (sidebar, article)
    # breadcrumbs read right to left: home is the rightmost
    first, second = page.locator("nav.breadcrumbs a, nav[aria-label] ol a").all()[:2]
    assert first.bounding_box()["x"] > second.bounding_box()["x"]
    assert page.errors == []  # no CSP violations, no script errors


def test_every_demo_home_renders_without_errors_under_csp(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    for code, direction in [("en", "ltr"), ("he", "rtl"), ("fa", "rtl"), ("zh-CN", "ltr")]:
        page.goto(f"{base}{code}/")
        assert page.locator("html").get_attribute("dir") == direction
        assert page.locator(".card").count() >= 4
    assert page.errors == []


def test_mobile_layout_has_no_sideways_scroll(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in [
        "en/",
        "en/returns/return-policy/",
        "fa/returns/return-policy/",
        "en/selling/fees/",
    ]:
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    assert page.errors == []


def test_tabs_work_without_inline_script(demo_site, serve_dir, page):
    base = serve_dir(demo_site)
    page.goto(f"{base}en/account/two-factor-authentication/")
    tabs = page.locator(".tabbed-set").first
    labels = tabs.locator(".tabbed-labels label")
    assert labels.count() >= 2
    blocks = tabs.locator(".tabbed-block")
    assert blocks.nth(0).is_visible() and not blocks.nth(1).is_visible()
    labels.nth(1).click()
    assert blocks.nth(1).is_visible() and not blocks.nth(0).is_visible()


def test_offline_site_works_from_file_urls(tmp_path, page):
    out = tmp_path / "offline"
    build(REPO, out, overrides={"offline": True})
    page.goto((out / "index.html").as_uri())
    page.wait_for_url("**/en/index.html")
    page.get_by_role("link", name="Returns & refunds", exact=True).first.click()
    page.wait_for_url("**/en/returns/index.html")
    page.locator("main").get_by_role("link", name=re.compile(r"^Refunds\b")).first.click()
    page.wait_for_url("**/en/returns/refunds/index.html")  # waits for the load event
    # the stylesheet loaded: the page is styled, not raw HTML
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != '"Times New Roman"'
    assert page.errors == []
