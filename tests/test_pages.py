"""The page views' plain functions, called directly: breadcrumbs, languages, canonical URLs,
contact channels; and what they produce for each kind of page."""

import dataclasses
import os
import pickle
import subprocess
import sys
from pathlib import Path
from pathlib import PurePosixPath as P

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from helpgen.assemble import assemble
from helpgen.config import Channel, Config, Text
from helpgen.contact import Context
from helpgen.load import Sources, load_tree
from helpgen.model import HOME, Heading, Rendered, Site
from helpgen.pages import (
    Links,
    Outputs,
    PageInfo,
    Templates,
    breadcrumbs,
    canonical,
    channel_link,
    languages,
    pages,
)
from helpgen.pipeline import build
from helpgen.search.query import Searcher, locale_folder
from helpgen.theme import Theme
from helpgen.urls import relative

from .conftest import write_files

TREES = {
    "en": {
        "_index.md": "---\ntitle: Acme help\n---\n",
        "orders/_index.md": "# Orders\n",
        "orders/tracking/late.md": "# Late parcel\n",
        "orders/cancel.md": "# Cancel\n",
    },
    "he": {"orders/cancel.md": "# ביטול\n"},
}


def site_of(tmp_path: Path, trees: dict, **settings) -> Site:
    loaded = {
        code: load_tree(write_files(tmp_path / "content" / code, files))[0]
        for code, files in trees.items()
    }
    config = Config(root=tmp_path, locales=tuple(trees), multilingual=len(trees) > 1, **settings)
    site, problems = assemble(Sources(loaded), config)
    assert problems == []
    return site


def info(kind: str, url: str, path=None) -> PageInfo:
    return PageInfo(kind, "T", "", url, "en/", "en/contact/", "en/search/", None, path)


def test_breadcrumbs_of_each_kind_of_page(tmp_path):
    en = site_of(tmp_path, TREES).locales["en"]
    crumbs = breadcrumbs(en, "Home!", info("article", "", P("orders/tracking/late.md")))
    assert [(c.title, c.url) for c in crumbs] == [
        ("Home!", "en/"),
        ("Orders", "en/orders/"),
        ("Tracking", "en/orders/tracking/"),
    ]
    topic = breadcrumbs(en, "Home!", info("topic", "", P("orders/tracking")))
    assert [c.url for c in topic] == ["en/", "en/orders/"]  # the page itself is not a crumb
    assert [c.url for c in breadcrumbs(en, "H", info("contact", "en/contact/"))] == ["en/"]
    assert breadcrumbs(en, "H", info("home", "en/", HOME)) == ()
    assert breadcrumbs(en, "H", info("404", "en/404.html")) == ()


def test_languages_lead_to_the_same_page_translated_or_shown_untranslated(tmp_path):
    trees = {**TREES, "he": {**TREES["he"], "orders/only-he.md": "# רק בעברית\n"}}
    site = site_of(tmp_path, trees)
    names = {"en": "English", "he": "עברית"}

    def urls(page: PageInfo, code: str = "en") -> dict[str, str]:
        found = languages(site, names, code, page)
        assert [lang.current for lang in found] == [code == "en", code == "he"]
        return {lang.code: lang.url for lang in found}

    assert urls(info("article", "", P("orders/cancel.md")))["he"] == "he/orders/cancel/"
    # no Hebrew translation: the English text at its Hebrew address
    assert urls(info("article", "", P("orders/tracking/late.md")))["he"] == (
        "he/orders/tracking/late/"
    )
    # a page English does not have: the nearest English topic
    assert urls(info("article", "", P("orders/only-he.md")), "he")["en"] == "en/orders/"
    assert urls(info("contact", "en/contact/"))["he"] == "he/contact/"
    assert urls(info("search", "en/search/"))["he"] == "he/search/"
    assert urls(info("404", "en/404.html"))["he"] == "he/404.html"
    one = site_of(tmp_path / "one", {"en": TREES["en"]})
    assert languages(one, names, "en", info("contact", "contact/")) == ()


def test_canonical_only_with_a_base_url_and_never_for_404_or_redirects(tmp_path):
    with_base = Config(root=tmp_path, base_url="https://help.acme.test/")
    assert canonical(with_base, "orders/", "topic") == "https://help.acme.test/orders/"
    assert canonical(with_base, "404.html", "404") is None
    assert canonical(with_base, "old/", "redirect") is None
    assert canonical(with_base, "search/", "search") is None
    # names are percent-encoded, as a link to them is
    assert canonical(with_base, "帮助/a b/", "topic") == (
        "https://help.acme.test/%E5%B8%AE%E5%8A%A9/a%20b/"
    )
    assert canonical(Config(root=tmp_path), "orders/", "topic") is None


def test_channel_links(tmp_path):
    config = Config(root=tmp_path)
    label = Text((("*", "Us"),))
    cases = [
        Channel("chat", "https://acme.test/chat", label, "chat"),
        Channel("mail", "mailto:help@acme.test?subject=Hi", label, "email"),
        Channel("call", "tel:+18005550199", label, "phone", address="+1 800 555 0199"),
        Channel("form", "support/form/", label, "form"),
        Channel("evil", "javascript:alert(1)", label),
    ]
    shown = [
        (c.href, c.path, c.web, c.shown, c.icon)
        for c in (channel_link(config, ch, "en", False, Context()) for ch in cases)
    ]
    assert shown == [
        ("https://acme.test/chat", "", True, "", "chat"),
        ("mailto:help@acme.test?subject=Hi", "", False, "help@acme.test", "mail"),
        ("tel:+18005550199", "", False, "+1 800 555 0199", "phone"),
        ("", "support/form/", False, "", "form"),
        ("", "", False, "", "external"),  # never linked
    ]


def test_texts_on_rtl_pages_isolate_latin_runs(tmp_path):
    config = Config(root=tmp_path, locales=("he",))
    channel = Channel(
        "m",
        "mailto:a@b.test",
        Text((("*", "מייל"),)),
        "email",
        description=Text((("*", "כתבו ל-help@acme.test או התקשרו +1 (503) 555-0142."),)),
    )
    link = channel_link(config, channel, "he", True, Context())
    assert str(link.description) == (
        'כתבו ל-<bdi dir="ltr">help@acme.test</bdi> או התקשרו '
        '<bdi dir="ltr">+1 (503) 555-0142</bdi>.'
    )
    assert "<bdi" not in str(channel_link(config, channel, "he", False, Context()).description)


def test_a_topic_found_by_its_keywords(tmp_path):
    root = write_files(
        tmp_path / "s",
        {
            "content/billing/_index.md": "---\ntitle: Billing\nkeywords: [reimbursement]\n---\n",
            "content/billing/invoices.md": "# Invoices\n\nWhere to find them.\n",
        },
    )
    out = build(root).out_dir
    [hit] = Searcher.from_folder(locale_folder(out, None)).search("reimbursement")
    assert (hit.url, hit.source) == ("billing/", "billing/_index.md")


def test_latin_phrases_in_rtl_text_are_isolated_whole():
    from helpgen.pages import isolate

    assert str(isolate("נענה תוך יום (4 שעות ב-Maker Plus).", True)) == (
        'נענה תוך יום (<bdi dir="ltr">4</bdi> שעות ב-<bdi dir="ltr">Maker Plus</bdi>).'
    )
    assert str(isolate("Café Olé, שלום <&>", True)) == (
        '<bdi dir="ltr">Café Olé</bdi>, שלום &lt;&amp;&gt;'
    )


VIEWS = {
    "en": {
        "_index.md": "---\ntitle: Acme help\n---\n",
        "orders/_index.md": "# Orders\n",
        "orders/cancel.md": (
            "---\ntitle: Cancel\ntags: [refund, orders]\nupdated: 2024-05-01\n"
            "aliases: [old/cancel/]\n---\n"
        ),
        "orders/track.md": "---\ntitle: Track\ntags: [orders]\n---\n",
        "orders/tracking/late.md": "---\ntitle: Late\ntags: [refund]\n---\n",
        "returns/refund.md": "---\ntitle: Refund\ntags: [refund, orders]\n---\n",
    },
    "he": {"orders/cancel.md": "# ביטול\n"},
}


def outputs_of(tmp_path: Path, trees: dict) -> Outputs:
    """Every page of a site, each page's text a paragraph and three headings."""
    site = site_of(tmp_path, trees, base_url="https://help.acme.test/")
    templates = Templates(site.config, Theme.for_site(tmp_path), list(site.locales))
    headings = tuple(Heading(2, f"h{i}", f"H{i}") for i in range(3))
    rendered = {key: Rendered("<p>Text</p>", headings) for key in site.pages()}
    return Outputs(tuple(pages(site, rendered, templates)), templates)


def test_a_topics_sidebar_is_listed_once_and_marks_each_page_own_item(tmp_path):
    outputs = outputs_of(tmp_path, VIEWS)
    found = {o.path: o for o in outputs.files}
    cancel, track = found["en/orders/cancel/index.html"], found["en/orders/track/index.html"]
    tracking = found["en/orders/tracking/index.html"]  # a sub-topic shows its parent's
    assert cancel.view.sidebar.items is track.view.sidebar.items is tracking.view.sidebar.items
    assert [o.view.sidebar.current for o in (cancel, track, tracking)] == [
        "en/orders/cancel/",
        "en/orders/track/",
        "en/orders/tracking/",
    ]
    for output, href in [(cancel, "./"), (track, "./"), (tracking, "./")]:
        html = BeautifulSoup(outputs.make(output), "html.parser")
        marked = html.select(".sidebar-list a[aria-current]")
        assert [(a["href"], a["aria-current"]) for a in marked] == [(href, "page")]
        assert len(html.select(".sidebar-list a")) == 3  # tracking, cancel, track
    he = BeautifulSoup(outputs.make(found["he/orders/track/index.html"]), "html.parser")
    langs = {a["href"]: a.span.get("lang") for a in he.select(".sidebar-list a")}
    assert langs == {"../tracking/": "en", "../cancel/": None, "./": "en"}


VALUES = ("helpgen.pages", "helpgen.seo", "helpgen.notices", "helpgen.feed")  # views' parts


def _plain(value: object) -> bool:
    """Only strings, numbers, paths, tuples and the views' own frozen values, all the way down:
    no sets or dicts (their order is not the pickle's to keep), no Site, Locale or Config."""
    if dataclasses.is_dataclass(value):
        known = type(value).__module__ in VALUES or type(value) is Heading
        return known and all(_plain(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, (str, int, float, P))


def test_views_are_plain_values_that_pickle_the_same_every_time(tmp_path):
    first = outputs_of(tmp_path / "a", VIEWS).files
    views = [o.view for o in first if o.view is not None]
    assert {v.page.kind for v in views} == {
        *("home", "topic", "article", "contact", "search", "whats-new", "404", "redirect", "root")
    }
    assert all(_plain(v) for v in views)
    assert isinstance(views[0].head.json_ld, Markup) and not _plain({"a": 1})
    again = [o.view for o in outputs_of(tmp_path / "b", VIEWS).files if o.view is not None]
    assert [pickle.dumps(v) for v in views] == [pickle.dumps(v) for v in again]


def test_view_pickles_do_not_depend_on_the_hash_seed(tmp_path):
    script = (
        "import hashlib, pickle, sys; from pathlib import Path; import tests.test_pages as t;"
        "out = t.outputs_of(Path(sys.argv[1]), t.VIEWS);"
        "print(hashlib.sha256(b''.join(pickle.dumps(o.view) for o in out.files)).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=Path(__file__).parent.parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1, digests


_NAME = st.sampled_from(["a", "b", "", ".", "static", "a:b", "C#", "index.html", "é"])
_PARTS = st.lists(_NAME, max_size=4)


@st.composite
def _links(draw: st.DrawFn) -> list[tuple[str, str, bool]]:
    """Pages and addresses: a few addresses, each from pages inside its folder or beside it."""
    ends = st.sampled_from(["/", "", "/#top", ".html", "#x"])
    targets = draw(st.lists(st.tuples(_PARTS, ends), min_size=1, max_size=3))
    calls = []
    for _ in range(draw(st.integers(1, 30))):
        parts, end = draw(st.sampled_from(targets))
        shared = parts[: draw(st.integers(0, len(parts)))]
        here = "/".join([*shared, *draw(_PARTS)]) + draw(st.sampled_from(["/", ".html", ""]))
        calls.append((here, "/".join(parts) + end, draw(st.booleans())))
    return calls


@given(_links())
def test_links_remembered_per_folder_are_the_relative_urls(calls):
    links = Links()  # one for all the calls: what one page remembers serves the next
    for here, path, offline in calls:
        assert links(here, path, offline) == relative(here, path, offline)
