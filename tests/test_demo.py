"""The demo help center in content/: complete, translated, and every link resolves."""

from .conftest import REPO, html
from .sitecheck import broken_links, scan

CONTENT = REPO / "content"


def articles(locale: str) -> list:
    return [p for p in (CONTENT / locale).rglob("*.md") if p.name != "_index.md"]


def test_demo_content_shape():
    english = articles("en")
    assert len(english) >= 40
    depths = {len(p.relative_to(CONTENT / "en").parts) for p in english}
    assert max(depths) >= 3  # category > section > article
    for locale in ("he", "fa", "zh-CN"):
        translated = articles(locale)
        assert len(translated) >= 10, locale
        en_paths = {p.relative_to(CONTENT / "en") for p in english}
        assert all(p.relative_to(CONTENT / locale) in en_paths for p in translated)


def test_every_link_in_every_locale_resolves(demo_site):
    assert broken_links(demo_site) == []
    for locale in ("en", "he", "fa", "zh-CN"):
        assert (demo_site / locale / "index.html").is_file()
        assert (demo_site / locale / "contact/index.html").is_file()


def test_page_size_does_not_grow_with_the_tree(demo_site):
    """An article links to its neighbourhood, not to every article of the site."""
    all_articles = len(articles("en"))
    for page in (demo_site / "en").rglob("index.html"):
        local = [ref for _, _, ref in scan(page).links if "://" not in ref]
        assert len(set(local)) < all_articles, page


def test_aliases_redirect_to_their_article(demo_site):
    doc = html(demo_site / "help/return-policy/index.html")
    assert doc.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(
        "url=../../en/returns/return-policy/"
    )


def test_rtl_and_cjk_pages(demo_site):
    for locale, direction in (("he", "rtl"), ("fa", "rtl"), ("zh-CN", "ltr")):
        doc = html(demo_site / locale / "returns/return-policy/index.html")
        assert doc.html["lang"] == locale and doc.html["dir"] == direction
        assert doc.find("h1").get_text(strip=True)
