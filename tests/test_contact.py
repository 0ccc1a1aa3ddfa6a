"""Contact routing: which channels a page offers, in which order, with which context; the
config that declares them; and what the built pages show."""

from pathlib import PurePosixPath as P
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpgen.config import Channel, Config, Route, Text, load_config
from helpgen.contact import Context, href, route, topic_matches
from helpgen.errors import HelpgenError
from helpgen.pipeline import build

from .conftest import html, write_files


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("selling/**", "selling", True),
        ("selling/**", "selling/listings/photos", True),
        ("selling/**", "sellingx", False),
        ("selling/*", "selling/listings", True),
        ("selling/*", "selling", False),
        ("selling/*", "selling/listings/photos", False),
        ("**/refunds", "returns/refunds", True),
        ("**/refunds", "refunds", True),
        ("orders", "orders", True),
        ("orders", "orders/tracking", False),
        ("**", ".", True),
        ("/orders/", "orders", True),
    ],
)
def test_topic_globs(pattern, path, matches):
    assert topic_matches(pattern, P(path)) is matches


segment = st.text("abcdefgh-", min_size=1, max_size=6)


@given(st.lists(segment, min_size=1, max_size=4), st.lists(segment, max_size=3))
def test_a_double_star_covers_exactly_the_folder_and_below(base, tail):
    folder = "/".join(base)
    assert topic_matches(f"{folder}/**", P("/".join(base + tail)))
    assert not topic_matches(f"{folder}/**", P(folder + "x"))


def config(**extra) -> Config:
    channels = tuple(
        Channel(i, f"https://acme.test/{i}", Text((("*", i.title()),))) for i in "abcdef"
    )
    return Config(root=P("."), channels=channels, **extra)


def test_first_matching_route_wins_then_default_then_every_channel():
    routes = (
        Route(("a",), topics=("selling/**",)),
        Route(("b",), audience=("sellers",)),
        Route(("c",), locales=("he",), tags=("refunds",)),
        Route(("d",), topics=("selling/**",), audience=("sellers",)),  # never reached
    )
    c = config(routes=routes, contact_default=("e", "f"))
    assert route(c, "en", P("selling/listings")) == ("a",)
    assert route(c, "en", P("selling"), audience="sellers") == ("a",)  # order decides
    assert route(c, "en", P("orders"), audience="sellers") == ("b",)
    assert route(c, "he", P("returns"), tags=["refunds", "x"]) == ("c",)
    assert route(c, "en", P("returns"), tags=["refunds"]) == ("e", "f")  # locale not he
    assert route(c, "he", P("returns")) == ("e", "f")  # no tag
    assert route(config(), "en", P("orders")) == tuple("abcdef")


def test_context_in_links():
    ctx = Context(
        title="Cancel & refund", url="https://help.acme.test/orders/cancel/", topic="Orders"
    )
    mail = href(Channel("m", "mailto:help@acme.test", Text((("*", "M"),)), "email"), ctx)
    parts = urlsplit(mail)
    assert parts.scheme == "mailto" and parts.path == "help@acme.test"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Cancel & refund"]
    assert query["body"] == ["https://help.acme.test/orders/cancel/\n\n"]
    assert "+" not in mail  # spaces are %20 in mailto:, never +
    form = href(Channel("f", "https://acme.test/form?src=help", Text((("*", "F"),)), "form"), ctx)
    assert parse_qs(urlsplit(form).query) == {
        "src": ["help"],
        "topic": ["Orders"],
        "article": ["https://help.acme.test/orders/cancel/"],
    }
    named = Channel(
        "g", "https://acme.test/g", Text((("*", "G"),)), "link", params=(("topic", "cat"),)
    )
    assert href(named, ctx) == "https://acme.test/g?cat=Orders"
    phone = Channel("p", "tel:+15035550142", Text((("*", "P"),)), "phone")
    assert href(phone, ctx) == "tel:+15035550142"
    chat = Channel("c", "https://acme.test/chat", Text((("*", "C"),)), "chat")
    assert href(chat, ctx) == "https://acme.test/chat"


def problems(tmp_path, toml: str) -> list[tuple[int | None, str]]:
    (tmp_path / "helpgen.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(HelpgenError) as exc:
        load_config(tmp_path)
    return [(p.line, p.message) for p in exc.value.problems]


def test_config_mistakes_are_located(tmp_path):
    found = problems(
        tmp_path,
        """locales = ["en", "he"]

[[contact.channels]]
id = "chat"
url = "https://acme.test/chat"
label = { en = "Chat", de = "Chat" }
hours = "Mon-Fri 09:00-18:00"
timezone = "Europe/Lisbn"

[[contact.channels]]
id = "chat"
url = "help@acme.test"
type = "email"
label = "Email"

[[contact.routes]]
topics = ["orders/**"]
channels = ["chta"]
audience = ["sellers"]
""",
    )
    messages = dict(found)
    assert 'has a text for "de"' in messages[6]
    assert messages[8].startswith("'contact.channels.timezone' ") and "Europe/Lisbn" in messages[8]
    assert 'two channels have the id "chat"' in messages[11]
    assert 'no channel has the id "chta"' in messages[18]
    assert 'no audience has the id "sellers"' in messages[19]


def test_email_and_phone_addresses_become_links(tmp_path):
    (tmp_path / "helpgen.toml").write_text(
        '[[contact.channels]]\nid = "m"\ntype = "email"\nurl = "help@acme.test"\nlabel = "M"\n'
        '[[contact.channels]]\nid = "p"\ntype = "phone"\nurl = "+1 503 555 0142"\nlabel = "P"\n',
        encoding="utf-8",
    )
    c = load_config(tmp_path)
    assert [ch.url for ch in c.channels] == ["mailto:help@acme.test", "tel:+15035550142"]
    assert [ch.address for ch in c.channels] == ["help@acme.test", "+1 503 555 0142"]


SHOP = {
    "helpgen.toml": """
        locales = ["en", "he"]

        [[audiences]]
        id = "buyers"
        label = { en = "Buying", he = "קונים" }

        [[audiences]]
        id = "sellers"
        label = { en = "Selling", he = "מוכרים" }

        [contact]
        default = ["chat", "email"]
        intro = { en = "Write to help@acme.test.", he = "כתבו ל-help@acme.test." }

        [[contact.channels]]
        id = "chat"
        type = "chat"
        url = "https://acme.test/chat"
        label = { en = "Chat", he = "צ'אט" }
        hours = "Mon-Fri 09:00-18:00"
        timezone = "Europe/Lisbon"

        [[contact.channels]]
        id = "email"
        type = "email"
        url = "help@acme.test"
        label = { en = "Email", he = "מייל" }
        promise = { en = "Within a day.", he = "תוך יום." }

        [[contact.channels]]
        id = "shop"
        type = "form"
        url = "https://acme.test/shops"
        label = "Seller desk"

        [[contact.routes]]
        topics = ["selling/**"]
        channels = ["shop", "email"]

        [[contact.routes]]
        audience = ["sellers"]
        channels = ["shop", "chat"]
    """,
    "content/en/orders/cancel.md": "# Cancel an order\n\nText.\n",
    "content/en/selling/_index.md": "---\ntitle: Selling\naudience: [sellers]\n---\n",
    "content/en/selling/fees.md": "# Fees\n\nText.\n",
    "content/en/selling/special.md": "---\ntitle: Special\ncontact: [chat]\n---\nText.\n",
    "content/he/orders/cancel.md": "# ביטול הזמנה\n\nטקסט.\n",
}


def offered(page) -> dict[str, list[str]]:
    """{audience variant: channel ids in order} of a built page's "Still need help?"."""
    block = page.select_one("[data-helpgen=contact]")
    return {
        ul["data-audience-variant"]: [li["data-channel"] for li in ul.select("li")]
        for ul in block.select("ul[data-audience-variant]")
    }


def test_built_pages_offer_their_routed_channels(site):
    out, _ = site(SHOP)
    assert offered(html(out / "en/orders/cancel/index.html")) == {
        "": ["chat", "email"],
        "sellers": ["shop", "chat"],
    }
    assert offered(html(out / "en/selling/fees/index.html")) == {"": ["shop", "email"]}
    assert offered(html(out / "en/selling/index.html")) == {"": ["shop", "email"]}
    assert offered(html(out / "en/selling/special/index.html")) == {"": ["chat"]}
    page = html(out / "en/orders/cancel/index.html")
    mail = page.select_one("[data-helpgen=contact] li[data-channel=email] a")["href"]
    assert parse_qs(urlsplit(mail).query)["subject"] == ["Cancel an order"]
    hours = page.select_one("[data-helpgen=contact] [data-helpgen=hours]")
    assert "09:00" in hours.get_text() and "Europe/Lisbon" in hours["data-hours"]
    shop = html(out / "en/selling/fees/index.html").select_one("li[data-channel=shop] a")["href"]
    assert parse_qs(urlsplit(shop).query) == {"topic": ["Selling"], "article": ["en/selling/fees/"]}
    # Hebrew: labels, and Latin inside RTL text isolated
    he = html(out / "he/orders/cancel/index.html")
    assert he.select_one("li[data-channel=chat] a").get_text(strip=True) == "צ'אט"
    intro = html(out / "he/contact/index.html").select_one(".page-lead")
    assert intro.select_one("bdi").get_text() == "help@acme.test"
    # the sellers' topic carries its audience for the switcher
    home = html(out / "en/index.html")
    assert home.select_one("li.card[data-audiences=sellers]")


def test_a_site_for_one_audience(tmp_path):
    root = write_files(
        tmp_path / "s",
        {
            **SHOP,
            "content/en/orders/cancel.md": "# Cancel an order\n\n![Shop](../selling/shop.svg)\n",
            "content/en/selling/secret.svg": "<svg/>",
        },
    )
    (root / "content/en/selling/shop.svg").write_text("<svg/>")
    out = build(root, overrides={"audience": "sellers"}).out_dir
    assert (out / "en/selling/fees/index.html").is_file()
    page = html(out / "en/orders/cancel/index.html")
    assert offered(page) == {"": ["shop", "chat"]}  # the sellers' route, nothing to switch
    assert not page.select("[data-helpgen=audience]")
    assert (out / "en/selling/shop.svg").is_file()
    out = build(root, tmp_path / "buyers", overrides={"audience": "buyers"}).out_dir
    assert not (out / "en/selling/fees").exists()  # another audience's pages are left out
    assert not (out / "en/selling/secret.svg").exists()  # and the files only they use
    assert (out / "en/selling/shop.svg").is_file()  # a kept page's image stays
    assert "audiences" not in (out / "en/search/index.json").read_text()
    assert offered(html(out / "en/orders/cancel/index.html")) == {"": ["chat", "email"]}


def test_contact_links_in_articles(site):
    files = {
        **SHOP,
        "content/en/orders/stuck.md": "# Stuck\n\n- [Talk to us](contact:)\n- [Chat](contact:chat)\n\n"
        "[Nope](contact:pigeon)\n",
    }
    with pytest.raises(HelpgenError) as exc:
        site(files)
    [problem] = exc.value.problems
    assert (problem.line, problem.code) == (6, "contact-unknown")
    assert "'pigeon'" in problem.message and "chat" in problem.hint
    files["content/en/orders/stuck.md"] = (
        "# Stuck\n\n- [Talk to us](contact:)\n- [Chat](contact:chat)\n"
    )
    out, _ = site(files)
    page = html(out / "en/orders/stuck/index.html")
    hrefs = [a["href"] for a in page.select(".article-body a")]
    assert hrefs == ["#hg-contact", "https://acme.test/chat"]
    assert page.select_one("#hg-contact[data-helpgen=contact]")
    assert html(out / "en/contact/index.html").select_one("#channel-chat")


def test_front_matter_ids_and_routes_are_checked(tmp_path):
    from helpgen.pipeline import compile, configure

    root = write_files(
        tmp_path / "s",
        {
            **SHOP,
            "helpgen.toml": SHOP["helpgen.toml"] + '\n[[contact.routes]]\ntopics = ["shiping/**"]\n'
            'channels = ["chat"]\n',
            "content/en/orders/odd.md": "---\ntitle: Odd\ncontact: [chta]\naudience: [selers]\n---\nx\n",
        },
    )
    found = {
        (p.code, p.line, p.level): p
        for p in compile(root, configure(root)).problems
        if p.code in ("contact-unknown", "audience-unknown", "route-unused")
    }
    assert set(found) == {
        ("contact-unknown", 3, "error"),
        ("audience-unknown", 4, "error"),
        ("route-unused", 45, "warning"),  # the topics line of that route
    }
    assert found[("contact-unknown", 3, "error")].hint == "did you mean 'chat'?"
    assert found[("audience-unknown", 4, "error")].hint == "did you mean 'sellers'?"
