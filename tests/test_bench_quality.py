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
