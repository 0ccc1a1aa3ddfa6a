"""Real content written elsewhere: the Tor Project's support portal, per language and as one site."""

import os
from pathlib import Path

import pytest

from helpgen.pipeline import build

from .conftest import TOR, html, write_files
from .sitecheck import broken_links

LANGS = ["en", "zh-CN", "fa", "he"]
pytestmark = pytest.mark.skipif(not TOR.is_dir(), reason="../shared/corpora not present")


def md_count(folder: Path) -> tuple[int, int]:
    """(articles, topic folders) in a content folder."""
    articles = [p for p in folder.rglob("*.md") if p.name != "_index.md"]
    topics = {p.parent for p in articles} | {folder}
    return len(articles), len(topics)


LINK_CODES = {"link-missing", "link-outside", "link-absolute", "anchor-missing", "image-missing"}


def unreported(out: Path, content: Path, report) -> list[str]:
    """Dangling links in the output whose source file has no broken-link warning."""
    warned = {Path(w.path).resolve() for w in report.warnings if w.code in LINK_CODES}
    missed = []
    for line in broken_links(out):
        page = Path(line.split(":")[0]).parent  # e.g. glossary/tor-log
        if 'class="untranslated-notice"' in (out / line.split(":")[0]).read_text("utf-8"):
            page = Path("en", *page.parts[1:])  # shown untranslated: the English source's link
        sources = {(content / page).with_suffix(".md").resolve(), content / page / "_index.md"}
        if not {s.resolve() for s in sources} & warned:
            missed.append(line)
    return missed


@pytest.mark.parametrize("lang", LANGS)
def test_language_folder_builds_with_zero_configuration(tmp_path, lang):
    root = tmp_path / "site"
    root.mkdir()
    os.symlink(TOR / lang, root / "content")
    report = build(root)
    articles, topics = md_count(TOR / lang)
    out = report.out_dir
    assert len(list(out.rglob("index.html"))) >= articles + topics
    # every article page exists, titled from its front matter
    for src in (TOR / lang).rglob("*.md"):
        if src.name == "_index.md":
            continue
        rel = src.relative_to(TOR / lang).with_suffix("")
        assert (out / rel / "index.html").is_file(), rel
    # direction follows the text's script without any configuration
    doc = html(out / "index.html")
    assert doc.html["dir"] == ("rtl" if lang in ("fa", "he") else "ltr")
    # the only dangling links in the output are the source's own, each reported where it is
    assert unreported(out, root / "content", report) == []


def test_broken_source_links_are_reported_located(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    os.symlink(TOR / "en", root / "content")
    report = build(root)
    messages = [str(w) for w in report.warnings]
    assert any("relay-bridge-overloaded.md:8: link to a missing anchor" in m for m in messages)
    # links written as URLs relative to the page resolve to the right article
    page = html(report.out_dir / "glossary/tor-log/index.html")
    assert page.find("a", href="../hamburger-menu/")


def test_four_locale_site_with_missing_translations(tmp_path):
    root = tmp_path / "site"
    write_files(
        root,
        {
            "helpgen.toml": 'title = "Tor Support"\nlocales = ["en", "zh-CN", "fa", "he"]\n'
            'broken_links = "warn"\n'
        },
    )
    (root / "content").mkdir()
    for lang in LANGS:
        os.symlink(TOR / lang, root / "content" / lang)
    report = build(root)
    out = report.out_dir
    assert set(report.pages) == set(LANGS)
    own = {  # pages in the locale's own words: the rest are English, marked untranslated
        code: sum(
            'class="untranslated-notice"' not in page.read_text(encoding="utf-8")
            for page in (out / code).rglob("*.html")
        )
        for code in LANGS
    }
    assert own["en"] > own["zh-CN"] > own["fa"] > own["he"] > 0
    for code in LANGS:  # every English article is reachable in every locale
        assert all(
            (out / code / page.relative_to(out / "en")).is_file()
            for page in (out / "en").rglob("*/index.html")
            if "contact" not in page.parts and "search" not in page.parts
        ), code
    fa = html(out / "fa/tbb/index.html")
    assert fa.html["lang"] == "fa" and fa.html["dir"] == "rtl"
    # an English article missing in Hebrew: the switcher lands on it in Hebrew chrome, marked
    en_only = next(
        p
        for p in (TOR / "en/tbb").glob("*.md")
        if p.name != "_index.md" and not (TOR / "he/tbb" / p.name).exists()
    )
    doc = html(out / "en/tbb" / en_only.stem / "index.html")
    he_link = {a["href"] for a in doc.select("a[hreflang='he']")}
    assert he_link == {f"../../../he/tbb/{en_only.stem}/"}
    borrowed = html(out / "he/tbb" / en_only.stem / "index.html")
    assert borrowed.html["lang"] == "he" and borrowed.select_one("main [lang='en']")
    assert borrowed.select_one(".untranslated-notice")  # says it is not yet translated
    translated = next(p for p in (TOR / "he/tbb").glob("*.md") if p.name != "_index.md")
    doc = html(out / "en/tbb" / translated.stem / "index.html")
    assert {a["href"] for a in doc.select("a[hreflang='he']")} == {
        f"../../../he/tbb/{translated.stem}/"
    }
    assert unreported(out, root / "content", report) == []
