"""`helpgen init` and `helpgen new`: a site that builds at once, and nothing ever overwritten."""

from pathlib import Path

import pytest

from helpgen.errors import HelpgenError
from helpgen.load import load_tree
from helpgen.pipeline import build
from helpgen.scaffold import init_site, new_article, new_topic

from .conftest import html, write_files


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    root = tmp_path / "help"
    init_site(root, "Acme Help")
    return root


# --- init --------------------------------------------------------------------------------------
def test_init_then_build(tmp_path):
    root = tmp_path / "a" / "new" / "site"  # parents are created
    title = 'Acme "Help" \\ Desk: 24/7'
    init_site(root, title)
    assert (root / ".gitignore").read_text() == "build/\n.build.helpgen/\n"
    report = build(root)
    assert report.out_dir == root / "build"
    home = html(report.out_dir / "index.html")
    assert home.find("h1").get_text(strip=True) == title
    welcome = html(report.out_dir / "getting-started/welcome/index.html")
    assert welcome.find("h1").get_text(strip=True) == "Welcome"
    topic = html(report.out_dir / "getting-started/index.html")
    assert topic.find("h1").get_text(strip=True) == "Getting started"
    contact = html(report.out_dir / "contact/index.html")
    assert contact.select_one("#channel-email a")["href"].startswith("mailto:support@example.com?")
    assert report.warnings == []


def test_init_into_existing_empty_folder(tmp_path):
    init_site(tmp_path, "Help")
    assert (tmp_path / "helpgen.toml").is_file()


@pytest.mark.parametrize("existing", ["notes.txt", ".git/HEAD", "content/_index.md"])
def test_init_refuses_non_empty_folder_and_touches_nothing(tmp_path, existing):
    write_files(tmp_path, {existing: "mine\n"})
    before = snapshot(tmp_path)
    with pytest.raises(HelpgenError, match="is not empty"):
        init_site(tmp_path, "Help")
    assert snapshot(tmp_path) == before


# --- new ---------------------------------------------------------------------------------------
def test_new_article_and_topic_paths_and_default_titles(fresh):
    article = new_article(fresh, "orders/where-is_my-order", None)
    assert article == fresh / "content/orders/where-is_my-order.md"
    assert new_article(fresh, "orders/cancel.md", None) == fresh / "content/orders/cancel.md"
    assert new_article(fresh, "orders/v1.2/", None) == fresh / "content/orders/v1.2.md"
    topic = new_topic(fresh, "orders/tracking", None)
    assert topic == fresh / "content/orders/tracking/_index.md"
    titles = {p.rel.as_posix(): p.meta.get("title") for p in load_tree(fresh / "content")[0].pages}
    assert titles["orders/where-is_my-order.md"] == "Where is my order"
    assert titles["orders/cancel.md"] == "Cancel"
    assert titles["orders/tracking/_index.md"] == "Tracking"
    build(fresh)


def test_new_never_overwrites(fresh):
    article = new_article(fresh, "orders/cancel", "Cancel")
    article.write_text("---\ntitle: Mine\n---\nedited\n", encoding="utf-8")
    before = snapshot(fresh)
    with pytest.raises(HelpgenError, match="already exists") as exc:
        new_article(fresh, "orders/cancel.md", "Other")
    assert Path(exc.value.problems[0].path) == article
    with pytest.raises(HelpgenError, match="already exists"):
        new_topic(fresh, "getting-started", "Other")  # made by init
    assert snapshot(fresh) == before


def test_new_topic_in_existing_folder_keeps_its_files(fresh):
    write_files(fresh, {"content/billing/pay.md": "# Pay\n"})
    new_topic(fresh, "billing", "Billing & payments")
    assert (fresh / "content/billing/pay.md").read_text() == "# Pay\n"
    assert (fresh / "content/billing/_index.md").is_file()


@pytest.mark.parametrize("path", ["..", "../escape", "orders/../../escape", "a/./b", "", "-x"])
def test_new_rejects_unusable_paths(fresh, path):
    before = snapshot(fresh.parent)
    for make in (new_article, new_topic):
        with pytest.raises(HelpgenError, match="is not a usable path"):
            make(fresh, path, None)
    assert snapshot(fresh.parent) == before


def test_new_rejects_absolute_paths(fresh, tmp_path):
    target = tmp_path / "outside" / "article"
    with pytest.raises(HelpgenError):
        new_article(fresh, str(target), None)
    assert not (fresh / "content" / target.relative_to("/")).with_suffix(".md").exists()


TITLES = [
    'Why was my card "declined"?',
    "Orders: where is mine?",
    "It's 50% off: #deals & more",
    "- [not] a {list}: *really*",
    'Back\\slash "and" quote\\',
    "yes",
    "2026-01-31",
    "null",
]


def test_titles_round_trip_through_yaml(fresh):
    for i, title in enumerate(TITLES):
        new_article(fresh, f"faq/q{i}", title)
        new_topic(fresh, f"topic-{i}", title)
    out = build(fresh).out_dir
    for i, title in enumerate(TITLES):
        assert html(out / f"faq/q{i}/index.html").find("h1").get_text() == title
        assert html(out / f"topic-{i}/index.html").find("h1").get_text() == title


# --- several languages ---------------------------------------------------------------------------
@pytest.fixture
def multi(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "helpgen.toml": 'locales = ["en", "fa", "zh-CN"]\n',
            "content/en/_index.md": "",
            "content/fa/_index.md": "",
            "content/zh-CN/_index.md": "",
        },
    )


def test_multilingual_new_goes_to_default_locale(multi):
    assert new_article(multi, "orders/cancel", None) == multi / "content/en/orders/cancel.md"
    assert new_topic(multi, "orders", None) == multi / "content/en/orders/_index.md"
    # a folder that only looks like a language code is a folder of the default locale
    assert new_article(multi, "de/x", None) == multi / "content/en/de/x.md"


def test_multilingual_new_under_a_named_locale(multi):
    assert (
        new_article(multi, "fa/orders/cancel", "لغو سفارش") == multi / "content/fa/orders/cancel.md"
    )
    assert new_topic(multi, "zh-CN/orders", "订单") == multi / "content/zh-CN/orders/_index.md"
    report = build(multi)
    page = html(report.out_dir / "fa/orders/cancel/index.html")
    assert page.find("h1").get_text() == "لغو سفارش" and page.html["dir"] == "rtl"
    assert html(report.out_dir / "zh-CN/orders/index.html").find("h1").get_text() == "订单"
