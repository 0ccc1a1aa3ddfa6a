"""Front matter `questions`: shown as "Also answers", never as FAQPage data, and checked by
`helpgen check` against the site's own search; and every article within four clicks of home."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpgen.cli import main

from .conftest import REPO, html, write_files

CANCEL = """\
---
title: Cancel an order
questions:
  - how do I cancel my order?
  - how do I track a parcel?
---
You can cancel an order until it ships: open Orders, pick the order and press Cancel.
"""
TRACKING = {  # three pages that answer "how do I track a parcel?" better than Cancel
    "track.md": "Track a parcel",
    "abroad.md": "Track a parcel abroad",
    "numbers.md": "Parcel tracking numbers",
}
TOPIC = "---\ntitle: Orders\n---\n"


def check(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, list[dict]]:
    """`helpgen check --format json *args` in `root`: exit code and problems."""
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def coded(problems: list[dict], code: str) -> list[dict]:
    return [p for p in problems if p["code"] == code]


# --- "Also answers" on the article ----------------------------------------------------------
def test_questions_are_listed_escaped_and_are_no_faq_data(site):
    out, _ = site(
        {
            "helpgen.toml": 'base_url = "https://h.test/"\n',
            "content/orders/_index.md": TOPIC,
            "content/orders/cancel.md": "---\ntitle: Cancel\nquestions:\n"
            '  - "refund for <script>alert(1)</script> & more?"\n'
            "  - stop my order\n---\nPress Cancel.\n",
            "content/orders/track.md": "---\ntitle: Track\n---\nFollow the parcel.\n",
        }
    )
    page = out / "orders/cancel/index.html"
    block = html(page).select_one("section.also-answers")
    assert block.h2.get_text() == "Also answers"
    assert [li.get_text() for li in block.select("li")] == [
        "refund for <script>alert(1)</script> & more?",
        "stop my order",
    ]
    assert block.find("a") is None and block.find("script") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more?" in page.read_text()
    assert "FAQPage" not in page.read_text()
    assert html(out / "orders/track/index.html").select_one(".also-answers") is None


def test_the_label_is_in_the_page_language(site):
    out, _ = site(
        {
            "helpgen.toml": 'language = "fa"\n',
            "content/orders/cancel.md": "---\ntitle: لغو سفارش\nquestions: [چطور سفارش را لغو کنم؟]\n"
            "---\nدکمهٔ لغو را بزنید.\n",
        }
    )
    block = html(out / "orders/cancel/index.html").select_one("section.also-answers")
    assert block.h2.get_text() == "به این پرسش‌ها هم پاسخ می‌دهد"
    assert [li.get_text() for li in block.select("li")] == ["چطور سفارش را لغو کنم؟"]


def test_questions_must_be_text(tmp_path, monkeypatch):
    root = write_files(
        tmp_path,
        {
            "content/a.md": "---\ntitle: A\nquestions: {why: 1}\n---\nText.\n",
            "content/b.md": "---\ntitle: B\nquestion: [why?]\n---\nText.\n",
        },
    )
    code, problems = check(root, monkeypatch)
    assert code == 1
    wrong = [(Path(p["file"]).name, p["line"], p["code"], p["hint"]) for p in problems]
    assert ("a.md", 3, "frontmatter-type", 'e.g. questions: ["where is my refund?"]') in wrong
    assert ("b.md", 3, "frontmatter-unknown", "did you mean 'questions'?") in wrong


# --- helpgen check: the questions through the site's search ---------------------------------
@pytest.fixture
def orders(tmp_path: Path) -> Path:
    return write_files(
        tmp_path,
        {
            "content/orders/_index.md": TOPIC,
            "content/orders/cancel.md": CANCEL,
            **{
                f"content/orders/{name}": f"# {title}\n\nEvery parcel has a tracking number.\n"
                for name, title in TRACKING.items()
            },
        },
    )


def test_a_question_search_does_not_answer_with_its_article_is_a_warning(orders, monkeypatch):
    code, problems = check(orders, monkeypatch)
    assert code == 0
    [missed] = coded(problems, "question-unanswered")
    assert (Path(missed["file"]).name, missed["line"], missed["level"]) == (
        "cancel.md",
        5,  # "how do I track a parcel?": the other question, line 4, finds its article
        "warning",
    )
    shows = "searching 'how do I track a parcel?' does not show this article in the first 3 "
    assert missed["message"].startswith(shows + "results (it shows ")
    assert all(f"'{title}'" in missed["message"] for title in TRACKING.values())
    assert "move the question there" in missed["hint"]
    assert check(orders, monkeypatch, "--strict")[0] == 1


def test_text_output_locates_the_question(orders, monkeypatch):
    monkeypatch.chdir(orders)
    result = CliRunner().invoke(main, ["check"])
    found = re.search(
        r"(\S+cancel\.md):(\d+): warning: searching 'how do I track a parcel\?'", result.stdout
    )
    assert found and found.group(2) == "5"
    assert "\n  hint: " in result.stdout


def test_questions_their_article_answers_pass_strict(orders, monkeypatch):
    (orders / "content/orders/cancel.md").write_text(
        CANCEL.replace(
            "  - how do I track a parcel?\n", "  - can I stop my order before it ships\n"
        ),
        encoding="utf-8",
    )
    assert check(orders, monkeypatch, "--strict") == (0, [])


def test_inline_questions_are_located_at_their_key(orders, monkeypatch):
    cancel = orders / "content/orders/cancel.md"
    cancel.write_text(
        "---\ntitle: Cancel an order\nquestions: [how do I track a parcel?]\n---\nPress Cancel.\n",
        encoding="utf-8",
    )
    [missed] = coded(check(orders, monkeypatch)[1], "question-unanswered")
    assert missed["line"] == 3


# --- every article within four clicks of home -----------------------------------------------
def chain(levels: int) -> dict[str, str]:
    """Topics nested `levels` deep, one inside the other, an article at the bottom."""
    folders = [f"t{n}" for n in range(1, levels + 1)]
    files = {f"content/{'/'.join(folders[:n])}/_index.md": f"---\ntitle: Level {n}\n---\n"
             for n in range(1, levels + 1)}  # fmt: skip
    files[f"content/{'/'.join(folders)}/deep.md"] = "# Deep answer\n\nText.\n"
    return files


def deep(problems: list[dict]) -> list[tuple[str, str]]:
    return [(Path(p["file"]).name, p["message"]) for p in coded(problems, "article-deep")]


# A topic card lists its first sub-topics too, so each page reaches two levels further down:
# the article below 6 nested topics is 4 clicks from home, below 7 it is 5.
def test_an_article_five_clicks_from_home_is_a_warning(tmp_path, monkeypatch):
    root = write_files(tmp_path, chain(7))
    code, problems = check(root, monkeypatch)
    assert code == 0
    assert deep(problems) == [
        ("deep.md", "'Deep answer' is 5 clicks from the home page; "
         "readers should reach every answer in 4")
    ]  # fmt: skip
    assert coded(problems, "article-deep")[0]["level"] == "warning"
    assert check(root, monkeypatch, "--strict")[0] == 1


def test_an_article_four_clicks_from_home_is_fine(tmp_path, monkeypatch):
    root = write_files(tmp_path, chain(6))
    assert check(root, monkeypatch, "--strict") == (0, [])


@pytest.mark.parametrize(
    "shortcut",
    [
        {
            "content/_index.md": "---\ntitle: Help\n---\nSee [the answer](t1/t2/t3/t4/t5/t6/t7/deep.md).\n"
        },
        {"content/t1/t2/t3/t4/t5/t6/t7/deep.md": "---\npromoted: true\n---\n# Deep answer\n"},
    ],
    ids=["linked-from-home", "promoted"],
)
def test_a_link_nearer_home_counts(tmp_path, monkeypatch, shortcut):
    root = write_files(tmp_path, {**chain(7), **shortcut})
    assert deep(check(root, monkeypatch)[1]) == []


# --- the demo -------------------------------------------------------------------------------
def demo_articles() -> list[Path]:
    return [p for p in (REPO / "content").rglob("*.md") if p.name != "_index.md"]


def test_the_demo_declares_questions_in_every_locale():
    for locale in ("en", "fa", "he", "zh-CN"):
        files = [p for p in demo_articles() if p.is_relative_to(REPO / "content" / locale)]
        asking = [p for p in files if "\nquestions:" in p.read_text(encoding="utf-8")]
        assert len(asking) >= len(files) // 2, locale


def test_the_demo_passes_strict_check(monkeypatch):
    code, problems = check(REPO, monkeypatch, "--strict")
    assert [p for p in problems if p["level"] != "info"] == [] and code == 0
