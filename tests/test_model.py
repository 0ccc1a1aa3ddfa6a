"""The model on real loaded trees: titles, ordering, navigation, translations, URL checks."""

from pathlib import Path, PurePosixPath

import pytest

from helpgen import model
from helpgen.assemble import assemble, assemble_locale
from helpgen.config import Config
from helpgen.errors import HelpgenError
from helpgen.load import Sources, load_tree
from helpgen.model import HOME, Locale, Site

from .conftest import write_files

P = PurePosixPath


def locale_of(tmp_path: Path, files: dict[str, str], prefix: str = "") -> Locale:
    """One locale assembled from `files`; fails the test on any problem."""
    root = write_files(tmp_path / "content", files)
    problems: list = []
    loc = assemble_locale("en", load_tree(root)[0], prefix, problems)
    assert problems == []
    return loc


def site_of(tmp_path: Path, trees: dict[str, dict[str, str]]) -> Site:
    """A Site over content/<code>/ per locale (multilingual when there are several)."""
    site, problems = assembled(tmp_path, trees)
    if problems:
        raise HelpgenError(problems)
    return site


def assembled(tmp_path: Path, trees: dict[str, dict[str, str]]) -> tuple[Site, list]:
    loaded = {
        code: load_tree(write_files(tmp_path / "content" / code, files))[0]
        for code, files in trees.items()
    }
    config = Config(root=tmp_path, locales=tuple(trees), multilingual=len(trees) > 1)
    return assemble(Sources(loaded), config)


def problems_of(tmp_path: Path, trees: dict[str, dict[str, str]]) -> list:
    _site, problems = assembled(tmp_path, trees)
    assert problems
    return problems


# --- ordering and titles ---------------------------------------------------------------------
def test_articles_ordered_by_order_then_title_casefolded(tmp_path):
    loc = locale_of(
        tmp_path,
        {
            "shop/b.md": "---\ntitle: zeta\norder: 2\n---\n",
            "shop/c.md": "---\ntitle: Alpha\norder: 10\n---\n",  # 10 after 2: numbers, not text
            "shop/d.md": "---\ntitle: Omega\norder: -1\n---\n",
            "shop/banana.md": "# Banana\n",
            "shop/apple.md": "# apple\n",  # before "Banana" only when compared case-insensitively
            "shop/cherry.md": "---\ntitle: Cherry\n---\n",
        },
    )
    titles = [loc.articles[p].title for p in loc.topics[P("shop")].articles]
    assert titles == ["Omega", "zeta", "Alpha", "apple", "Banana", "Cherry"]


def test_topics_ordered_by_order_then_title_casefolded(tmp_path):
    loc = locale_of(
        tmp_path,
        {
            "zoo/_index.md": "---\ntitle: Zoo\norder: 1\n---\n",
            "Banana/x.md": "# X\n",
            "apple-pie/_index.md": "---\ntitle: apple pie\n---\n",
            "mango/_index.md": "---\norder: 0.5\n---\n",
        },
    )
    assert [loc.topics[p].title for p in loc.home.topics] == ["Mango", "Zoo", "apple pie", "Banana"]


def test_topic_without_index_titled_from_folder_name(tmp_path):
    loc = locale_of(
        tmp_path,
        {
            "getting-started/first_steps/hello.md": "# Hello\n",
            "billing/_index.md": "# Money matters\n\nIntro.\n",
        },
    )
    topic = loc.topics[P("getting-started")]
    assert topic.title == "Getting started" and topic.source is None
    assert topic.url == "getting-started/" and topic.parent == HOME
    sub = loc.topics[P("getting-started/first_steps")]
    assert sub.title == "First steps" and sub.parent == P("getting-started")
    assert topic.topics == (P("getting-started/first_steps"),)
    assert loc.topics[P("billing")].title == "Money matters"  # _index.md H1, no front matter
    assert loc.home.title == "Home" and loc.home.url == ""


def test_title_front_matter_then_h1_then_file_name(tmp_path):
    loc = locale_of(
        tmp_path,
        {
            "fm.md": "---\ntitle: From front matter\n---\n# A different heading\n\nText\n",
            "same.md": "---\ntitle: Same\n---\n\n# Same\n\nText\n",
            "atx.md": "# From heading\n\nText\n",
            "setext.md": "From setext\n===========\n\nText\n",
            "reset-your_password.md": "Just text, no heading.\n",
        },
    )
    a = loc.articles
    assert a[P("fm.md")].title == "From front matter"
    assert "# A different heading" in a[P("fm.md")].body  # a different H1 is content
    assert a[P("same.md")].title == "Same" and "# Same" not in a[P("same.md")].body
    assert a[P("atx.md")].title == "From heading" and "From heading" not in a[P("atx.md")].body
    assert a[P("setext.md")].title == "From setext" and "===" not in a[P("setext.md")].body
    assert a[P("reset-your_password.md")].title == "Reset your password"
    for article in a.values():
        # body_line must point at the body's first line in the file (errors quote it)
        lines = article.source.path.read_text(encoding="utf-8").split("\n")
        assert "\n".join(lines[article.body_line - 1 :]) == article.body, article.path


# --- navigation ------------------------------------------------------------------------------
def test_breadcrumbs_from_home_to_topic(tmp_path):
    loc = locale_of(tmp_path, {"a/_index.md": "---\ntitle: Alpha\n---\n", "a/b/c.md": "# C\n"})
    assert [t.title for t in loc.breadcrumbs(P("a/b"))] == ["Home", "Alpha", "B"]
    assert [t.url for t in loc.breadcrumbs(P("a/b"))] == ["", "a/", "a/b/"]
    assert loc.breadcrumbs(HOME) == [loc.home]


RELATED = {
    "orders/cancel.md": "---\ntitle: Cancel\ntags: [refund, orders]\n---\n",
    "orders/edit.md": "---\ntitle: Edit\ntags: [orders]\n---\n",  # 1 tag + same topic
    "orders/track.md": "# Track\n",  # same topic only
    "orders/place.md": "# Place\n",
    "orders/zulu.md": "# Zulu\n",
    "orders/aardvark.md": "# aardvark\n",
    "returns/refund.md": "---\ntitle: Refund\ntags: [orders, refund]\n---\n",  # 2 tags
    "returns/label.md": "---\ntitle: Label\ntags: [refund]\n---\n",  # 1 tag, other topic
    "returns/unrelated.md": "# Unrelated\n",
    "account/alone.md": "# Alone\n",
}


def test_related_shared_tags_first_then_same_topic_bounded(tmp_path):
    loc = locale_of(tmp_path, RELATED)
    cancel = loc.articles[P("orders/cancel.md")]
    titles = [a.title for a in loc.related(cancel)]
    assert titles == ["Refund", "Edit", "Label", "aardvark", "Place"]
    assert [a.title for a in loc.related(cancel, limit=2)] == ["Refund", "Edit"]


def test_related_never_itself_nor_unrelated(tmp_path):
    loc = locale_of(tmp_path, RELATED)
    for article in loc.articles.values():
        related = loc.related(article)
        assert article.path not in [a.path for a in related] and len(related) <= 5
    assert loc.related(loc.articles[P("account/alone.md")]) == []
    track = [a.title for a in loc.related(loc.articles[P("orders/track.md")])]
    assert track == ["aardvark", "Cancel", "Edit", "Place", "Zulu"]  # topic only, by title


CROWDED = {
    "t/target.md": "---\ntitle: Target\ntags: [x, y]\n---\n",
    "a/ax.md": "---\ntitle: Ax\ntags: [x]\n---\n",
    "a/bx.md": "---\ntitle: Bx\ntags: [x]\n---\n",
    "b/ay.md": "---\ntitle: Ay\ntags: [y]\n---\n",
    "b/by.md": "---\ntitle: By\ntags: [y]\n---\n",
    "z/zed.md": "---\ntitle: Zed\ntags: [x, y]\n---\n",  # both tags, listed last in each
}


def test_related_candidates_are_each_tags_first_articles(tmp_path, monkeypatch):
    target = P("t/target.md")
    loc = locale_of(tmp_path / "all", CROWDED)
    assert [a.title for a in loc.related(loc.articles[target])] == ["Zed", "Ax", "Ay", "Bx", "By"]
    monkeypatch.setattr(model, "RELATED_PER_TAG", 2)  # x: Ax, Bx; y: Ay, By
    loc = locale_of(tmp_path / "capped", CROWDED)
    assert [a.title for a in loc.related(loc.articles[target])] == ["Ax", "Ay", "Bx", "By"]


def test_related_ties_in_listing_order_then_path(tmp_path):
    loc = locale_of(
        tmp_path,
        {
            "c/me.md": "---\ntitle: Me\ntags: [x]\n---\n",
            "b/same.md": "---\ntitle: Same\ntags: [x]\n---\n",
            "a/same.md": "---\ntitle: same\ntags: [x]\n---\n",
            "a/first.md": "---\ntitle: Zz\norder: 1\ntags: [x]\n---\n",
        },
    )
    found = [str(a.path) for a in loc.related(loc.articles[P("c/me.md")])]
    assert found == ["a/first.md", "a/same.md", "b/same.md"]


TRANSLATED = {
    "en": {
        "_index.md": "---\ntitle: Help\n---\n",
        "orders/cancel.md": "# Cancel\n",
        "orders/track.md": "# Track\n",
        "orders/deep/x.md": "# X\n",
        "orders/deep/img/x.png": "png",
        "orders/img/y.png": "png",
    },
    "he": {
        "orders/_index.md": "---\ntitle: הזמנות\n---\n",
        "orders/cancel.md": "# ביטול\n",
        "orders/only-he.md": "# רק בעברית\n",
        "orders/gone/z.md": "# ז\n",
        "orders/img/y.png": "png in Hebrew",
    },
    "zh-CN": {"_index.md": "---\ntitle: 帮助\n---\n"},
}


def test_nearest_is_the_page_own_or_borrowed_else_an_ancestor_or_home(tmp_path):
    site = site_of(tmp_path, TRANSLATED)
    en, he, zh = site.locales["en"], site.locales["he"], site.locales["zh-CN"]
    assert he.nearest(P("orders/cancel.md")) == "he/orders/cancel/"
    # an English page Hebrew has no translation of is shown untranslated at its Hebrew address
    assert he.nearest(P("orders/track.md")) == "he/orders/track/"
    assert he.nearest(P("orders/deep/x.md")) == "he/orders/deep/x/"
    assert he.nearest(P("orders/deep")) == "he/orders/deep/"
    assert zh.nearest(P("orders/track.md")) == "zh-CN/orders/track/"
    # a page only a translation has: the nearest ancestor the other locale has
    assert en.nearest(P("orders/only-he.md")) == "en/orders/"
    assert en.nearest(P("orders/gone/z.md")) == "en/orders/"
    assert zh.nearest(P("orders/only-he.md")) == "zh-CN/orders/"
    assert en.nearest(P("elsewhere/q.md")) == "en/"
    assert zh.nearest(HOME) == "zh-CN/"


def test_site_translations_and_versions(tmp_path):
    site = site_of(tmp_path, TRANSLATED)
    assert site.translations(P("orders/cancel.md")) == {
        "en": "en/orders/cancel/",
        "he": "he/orders/cancel/",
        "zh-CN": "zh-CN/orders/cancel/",
    }
    # versions: real translations only, never a page shown untranslated
    assert site.versions(P("orders/cancel.md")) == {
        "en": "en/orders/cancel/",
        "he": "he/orders/cancel/",
    }
    assert site.versions(P("orders/deep/x.md")) == {"en": "en/orders/deep/x/"}
    assert site.versions(P("orders/only-he.md")) == {"he": "he/orders/only-he/"}
    assert site.versions(HOME) == {"en": "en/", "he": "he/", "zh-CN": "zh-CN/"}
    assert list(site.translations(HOME).values()) == ["en/", "he/", "zh-CN/"]
    assert site.locales["he"].dir == "rtl" and site.locales["en"].dir == "ltr"


def test_borrowed_pages_and_files(tmp_path):
    site = site_of(tmp_path, TRANSLATED)
    en, he, zh = site.locales["en"], site.locales["he"], site.locales["zh-CN"]
    assert en.borrowed == {} and en.fallback_assets == {}
    assert set(he.borrowed) == {P("orders/track.md"), P("orders/deep"), P("orders/deep/x.md")}
    assert set(zh.borrowed) == {P("orders"), *he.borrowed, P("orders/cancel.md")}
    track = he.page(P("orders/track.md"))
    assert track.title == "Track" and track.url == "he/orders/track/"
    assert not he.own(P("orders/track.md")) and he.own(P("orders/cancel.md"))
    # a topic lists its own and its borrowed pages, in order; borrowed topics too
    topics, articles = he.listing(P("orders"))
    assert [t.url for t in topics] == ["he/orders/deep/", "he/orders/gone/"]
    assert [a.url for a in articles] == [
        "he/orders/track/",  # by title: "Track" before Hebrew letters
        "he/orders/cancel/",
        "he/orders/only-he/",
    ]
    assert [a.url for a in he.listing(P("orders/deep"))[1]] == ["he/orders/deep/x/"]
    assert he.article_count(P("orders")) == 5  # cancel, only-he, track, deep/x, gone/z
    assert [t.url for t in he.breadcrumbs(P("orders/deep"))] == [
        "he/",
        "he/orders/",
        "he/orders/deep/",
    ]
    # files: a locale's own copy wins; the default locale's where it has none
    assert set(he.fallback_assets) == {P("orders/deep/img/x.png")}
    assert he.assets[P("orders/img/y.png")].read_text() == "png in Hebrew"
    assert set(zh.fallback_assets) == {P("orders/deep/img/x.png"), P("orders/img/y.png")}


def test_nothing_is_borrowed_on_a_one_language_site(tmp_path):
    site = site_of(tmp_path, {"en": TRANSLATED["en"]})
    assert site.locales["en"].borrowed == {}


def test_single_locale_urls_have_no_prefix(tmp_path):
    site = site_of(tmp_path, {"en": {"orders/cancel.md": "# Cancel\n"}})
    assert site.locales["en"].articles[P("orders/cancel.md")].url == "orders/cancel/"
    assert site.translations(P("orders/cancel.md")) == {"en": "orders/cancel/"}


# --- URL checks ------------------------------------------------------------------------------
def test_article_and_topic_index_collide(tmp_path):
    [problem] = problems_of(
        tmp_path, {"en": {"foo.md": "# Foo\n", "foo/_index.md": "---\ntitle: Foo\n---\n"}}
    )
    assert "two pages would be written to 'foo/'" in problem.message
    located = Path(problem.path)
    assert located.is_file() and located.name in ("foo.md", "_index.md")
    other = "foo.md" if located.name == "_index.md" else "_index.md"
    assert other in problem.message.split("also:")[1]


def test_equal_aliases_collide_at_the_alias_line(tmp_path):
    [problem] = problems_of(
        tmp_path,
        {
            "en": {
                "a.md": "---\ntitle: A\naliases: [/old/page/]\n---\n",
                "b.md": "---\ntitle: B\naliases: [old/page]\n---\n",
            }
        },
    )
    assert "two pages would be written to 'old/page/'" in problem.message
    assert Path(problem.path).name == "a.md" and problem.line == 3
    assert "b.md" in problem.message


def test_alias_equal_to_another_page_collides(tmp_path):
    [problem] = problems_of(
        tmp_path, {"en": {"a.md": "---\naliases: [/b/]\n---\n", "b.md": "# B\n"}}
    )
    assert "'b/'" in problem.message


def test_all_collisions_reported_together_across_locales(tmp_path):
    problems = problems_of(
        tmp_path,
        {
            "en": {
                "foo.md": "# Foo\n",
                "foo/_index.md": "# Foo\n",
                "a.md": "---\naliases: [/x/]\n---\n",
                "b.md": "---\naliases: [/x/]\n---\n",
            },
            "he": {"bar.md": "# Bar\n", "bar/_index.md": "# Bar\n"},
        },
    )
    messages = sorted(p.message.split(" (")[0] for p in problems)
    assert messages == [
        "two pages would be written to 'en/foo/'",
        "two pages would be written to 'he/bar/'",
        "two pages would be written to 'x/'",
    ]


@pytest.mark.parametrize(
    ("files", "culprit"),
    [
        pytest.param({"foo.md": "# Foo\n", "foo/bar.md": "# Bar\n"}, "foo.md", id="page-vs-folder"),
        pytest.param(
            {"a.md": "---\naliases: [/orders/]\n---\n", "orders/x.md": "# X\n"},
            "a.md",
            id="alias-vs-folder",
        ),
        pytest.param({"a.md": "---\naliases: [/contact/]\n---\n"}, "a.md", id="alias-vs-contact"),
    ],
)
def test_collision_with_page_without_source_is_located(tmp_path, files, culprit):
    problems = problems_of(tmp_path, {"en": files})
    assert any(p.path is not None and Path(p.path).name == culprit for p in problems)


@pytest.mark.parametrize(
    ("files", "prefix", "name", "kind"),
    [
        ({"contact/_index.md": "---\ntitle: Contact\n---\n"}, "", "contact", "folder"),
        ({"search/_index.md": "# Search\n", "search/a.md": "# A\n"}, "", "search", "folder"),
        ({"search.md": "# Search tips\n"}, "", "search", "file"),
        ({"static/_index.md": "# Static\n"}, "", "static", "folder"),
        ({"contact/_index.md": "# Contact\n"}, "he/", "contact", "folder"),
    ],
)
def test_reserved_names_rejected_with_location(tmp_path, files, prefix, name, kind):
    root = write_files(tmp_path / "content", files)
    problems: list = []
    assemble_locale("he" if prefix else "en", load_tree(root)[0], prefix, problems)
    [problem] = problems
    assert f"'{name}' is the address of " in problem.message
    assert f"'get-{name}'" in problem.hint
    located = Path(problem.path)
    assert located.is_file() and root in located.parents


def test_reserved_names_free_below_the_top(tmp_path):
    loc = locale_of(tmp_path, {"shop/contact/_index.md": "# Contact\n", "shop/search.md": "# S\n"})
    assert loc.topics[P("shop/contact")].url == "shop/contact/"


def test_reserved_folder_without_index_located_at_folder(tmp_path):
    root = write_files(tmp_path / "content", {"contact/form.md": "# Form\n"})
    problems: list = []
    assemble_locale("en", load_tree(root)[0], "", problems)
    [problem] = problems
    located = Path(problem.path)
    assert located == root / "contact" or root / "contact" in located.parents


def test_index_md_is_the_folder_topic(tmp_path):
    """index.md, as other tools write it, describes its folder like _index.md."""
    root = write_files(
        tmp_path / "c",
        {"index.md": "# Welcome\n\nHi.\n", "a/index.md": "# Section A\n", "a/x.md": "# X\n"},
    )
    locale = assemble_locale("en", load_tree(root)[0], "", problems := [])
    assert problems == []
    assert locale.home.title == "Welcome" and locale.topics[P("a")].title == "Section A"
    assert list(locale.articles) == [P("a/x.md")]
