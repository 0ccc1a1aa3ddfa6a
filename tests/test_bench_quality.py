"""bench/search_quality.py: its BM25 baseline, metrics and corpus layout on toy inputs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import search_quality as sq


def test_tokens_lower_case_split_on_non_word_and_han_one_by_one() -> None:
    assert sq.tokens("Tor浏览器 is-Great, ok_1 رمز‌عبور") == [
        "tor", "浏", "览", "器", "is", "great", "ok_1", "رمز", "عبور",
    ]  # fmt: skip


def test_bm25_scores_by_hand() -> None:
    index = sq.BM25.of({"a": "Apple banana", "b": "apple apple. Cherry", "c": "cherry date"})
    # N = 3, avgdl = 7/3, df(apple) = 2: idf = ln(1 + 1.5 / 2.5) = ln 1.6.
    # a: tf 1, |a| 2: ln 1.6 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 6/7))  = 0.499176
    # b: tf 2, |b| 3: ln 1.6 * 4.4 / (2 + 1.2 * (0.25 + 0.75 * 9/7)) = 0.598186
    found = index.search("APPLE")
    assert [doc for doc, _ in found] == ["b", "a"]
    assert [score for _, score in found] == pytest.approx([0.598186, 0.499176], abs=1e-6)
    assert index.search("apple apple") == found  # a query word counts once
    assert index.search("nothing here") == []


def test_rank_and_scores_by_hand() -> None:
    tops = [["x", "a", "y"], ["b"], ["z"], [f"p{i}" for i in range(10)] + ["w"]]
    answers = [["a"], ["c", "b"], ["q"], ["w"]]
    ranks = [sq.rank_of(top, want) for top, want in zip(tops, answers, strict=True)]
    assert ranks == [2, 1, None, None]  # "w" is 11th: outside the top 10
    got = sq.scores(ranks)
    assert got == pytest.approx({"mrr10": 1.5 / 4, "r1": 1 / 4, "r3": 2 / 4, "r10": 2 / 4})


def test_corpus_languages_and_nonsense(tmp_path: Path) -> None:
    (tmp_path / "en" / "orders").mkdir(parents=True)
    (tmp_path / "en" / "orders" / "cancel.md").write_text("---\ntitle: Cancel\n---\nBody\n")
    (tmp_path / "en" / "queries.jsonl").write_text(
        '{"query": "stop order", "answers": ["orders/cancel.md"], "kind": "x"}\n\n'
    )
    (tmp_path / "fa").mkdir()
    (tmp_path / "fa" / "a.md").write_text("متن\n")
    (tmp_path / "notes").mkdir()  # no Markdown: not a language
    (tmp_path / "README.txt").write_text("")
    languages = sq.load_corpus(tmp_path)
    assert [(x.name, x.locale, x.queries) for x in languages] == [
        (f"{tmp_path.name}/en", "en", (sq.Query("stop order", ("orders/cancel.md",), "x"),)),
        (f"{tmp_path.name}/fa", "fa", ()),
    ]
    assert sq.read_article(tmp_path / "en" / "orders" / "cancel.md") == ("Cancel", "\nBody\n")
    nonsense = sq.load_nonsense()
    assert len(nonsense) >= 24
    assert {"persian", "hebrew", "chinese", "keyboard-mash"} <= {n.script for n in nonsense}


def test_heading_queries_of_a_toy_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "orders").mkdir()
    (tmp_path / "orders" / "cancel.md").write_text(
        "---\ntitle: Cancel an order\n---\n"
        "## Cancel an order!\n"  # the title: skipped
        "## Refund\n"  # one word: skipped
        "#### Deep heading words\n"  # not ## or ###: skipped
        "```\n## Not a heading\n```\n"  # in a code fence: skipped
        "## Shipping times\n"  # on another page too: skipped on both
        "### Refund **policy** `v2` details ###\n"
        "## [Track a parcel](track.md) {#track}\n"
        "## Refund policy v2 details\n"  # the same heading again on this page: once
        "## Change the address\n"
        "## Fourth good heading\n"  # a page gives 3 at most
    )
    (tmp_path / "orders" / "ship.md").write_text(
        "# Shipping\n\n## shipping times.\n## Return labels\n"
    )
    (tmp_path / "zh.md").write_text(
        "---\ntitle: 下载\n---\n## 下载浏览器\n## 下载\n## Tor 浏览器\n"
    )
    want = [
        sq.Query("Refund policy v2 details", ("orders/cancel.md",), "heading"),
        sq.Query("Track a parcel", ("orders/cancel.md",), "heading"),
        sq.Query("Change the address", ("orders/cancel.md",), "heading"),
        sq.Query("Return labels", ("orders/ship.md",), "heading"),
        sq.Query("下载浏览器", ("zh.md",), "heading"),  # 5 characters; 下载 has 2
        sq.Query("Tor 浏览器", ("zh.md",), "heading"),
    ]
    assert sq.heading_queries(tmp_path) == tuple(want)
    monkeypatch.setattr(sq, "HEADINGS_PER_LANGUAGE", 3)  # spread evenly over the list
    assert sq.heading_queries(tmp_path) == (want[0], want[2], want[4])


def test_summary_scores_each_query_set_apart(tmp_path: Path) -> None:
    lang = sq.Language(
        "c/en", "en", tmp_path, (sq.Query("q", ("a.md",)),), (sq.Query("h", ("b.md",)),)
    )
    answers = (sq.Answer(("x.md", "a.md"), 2), sq.Answer(("b.md",), 1), sq.Answer((), 0))
    nonsense = (sq.Nonsense("zzz", "latin"),)
    got = sq.summarize(lang, nonsense, {"bm25": sq.Outcome(answers)})
    assert got["sets"]["queries.jsonl"]["systems"]["bm25"]["mrr10"] == 0.5
    assert got["sets"]["headings"]["systems"]["bm25"]["mrr10"] == 1.0
    assert got["sets"]["headings"]["queries"][0]["ranks"] == {"bm25": 1}
    assert got["systems"]["bm25"]["nonsense_results"] == 0


def test_declared_questions_are_held_out_of_every_system(tmp_path: Path) -> None:
    """The `questions` set: each declared question asks for its page; every system searches a
    copy whose front matter is the title and description only, the body untouched. Titles
    (unique ones) make the `titles` set."""
    root = tmp_path / "xx"
    (root / "a").mkdir(parents=True)
    (root / "a/b.md").write_text(
        "---\ntitle: Refunds\ndescription: Money back\nkeywords: [cash]\n"
        "questions:\n  - where is my   money?\n  - can I get a refund\norder: 2\n---\nBody text.\n"
    )
    (root / "c.md").write_text("---\ntitle: Refunds\n---\nSame title.\n")
    (root / "d.md").write_text("---\ntitle: Shipping\nquestions: [when does it arrive]\n---\nD.\n")
    [lang] = sq.load_corpus(tmp_path)
    assert [(q.query, q.answers, q.kind) for q in lang.questions] == [
        ("where is my money?", ("a/b.md",), "question"),
        ("can I get a refund", ("a/b.md",), "question"),
        ("when does it arrive", ("d.md",), "question"),
    ]
    assert [(q.query, q.answers) for q in lang.titles] == [("Shipping", ("d.md",))]
    copy = sq.held_out(lang, tmp_path / "work").root
    assert copy != root and (root / "a/b.md").read_text().count("questions") == 1
    assert (copy / "a/b.md").read_text() == (
        "---\ntitle: Refunds\ndescription: Money back\n---\nBody text.\n"
    )
    assert sq.read_article(copy / "d.md") == ("Shipping", "\nD.\n")
