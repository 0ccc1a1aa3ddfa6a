from pathlib import Path

import pytest

from helpgen.frontmatter import parse_meta
from helpgen.load import load_tree

from .conftest import write_files


def test_tree_pages_assets_and_line_numbers(tmp_path):
    write_files(
        tmp_path,
        {
            "_index.md": "---\ntitle: Home\n---\nWelcome\n",
            "orders/cancel.md": "---\ntitle: Cancel\norder: 2\n---\n\nBody line\n",
            "orders/img/a.png": "png",
            ".hidden/x.md": "no",
            "_drafts/y.md": "no",
            "orders/_partial.md": "no",
        },
    )
    tree, _ = load_tree(tmp_path)
    rels = sorted(str(p.rel) for p in tree.pages)
    assert rels == ["_index.md", "orders/cancel.md"]
    assert [str(a) for a in tree.assets] == ["orders/img/a.png"]
    cancel = next(p for p in tree.pages if p.rel.name == "cancel.md")
    assert cancel.meta == {"title": "Cancel", "order": 2}
    assert cancel.meta_lines == {"title": 2, "order": 3}
    assert cancel.body_line == 5 and cancel.body.strip() == "Body line"


def test_no_front_matter(tmp_path):
    write_files(tmp_path, {"a.md": "# Title\n\ntext\n"})
    [page] = load_tree(tmp_path)[0].pages
    assert page.meta == {} and page.body_line == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: a\nbad: [unclosed\n---\n", 3, "invalid front matter"),
        ("---\ntitle: a\n", 1, "front matter is not closed"),
        ("---\n- a\n- b\n---\n", 2, "must be 'key: value'"),
    ],
)
def test_front_matter_errors_are_located(tmp_path, text, line, words):
    write_files(tmp_path, {"x.md": text})
    tree, [problem] = load_tree(tmp_path)
    assert tree.pages == ()  # the file is left out, the rest goes on
    assert problem.line == line and words in problem.message
    assert Path(problem.path).name == "x.md"


def test_all_file_errors_collected_and_bad_utf8(tmp_path):
    write_files(tmp_path, {"a.md": "---\ntitle: [\n---\n", "b.md": "---\nx: 1\n"})
    (tmp_path / "c.md").write_bytes(b"ok\n\xff\xfe bad")
    _, problems = load_tree(tmp_path)
    assert len(problems) == 3
    assert any("not valid UTF-8" in p.message and p.line == 2 for p in problems)


def meta_problems(tmp_path, text, name="x.md"):
    write_files(tmp_path, {name: text})
    [src] = load_tree(tmp_path)[0].pages
    problems = []
    meta = parse_meta(src, problems)
    return meta, [str(p) for p in problems]


def test_front_matter_types(tmp_path):
    meta, problems = meta_problems(
        tmp_path,
        """---
title: Refunds
order: 3
tags: [money, returns]
keywords: money back
promoted: true
updated: 2026-01-31
aliases: [/old/refunds/]
---
""",
    )
    assert problems == []
    assert meta.title == "Refunds" and meta.order == 3 and meta.tags == ("money", "returns")
    assert (
        meta.keywords == ("money back",)
        and meta.promoted
        and meta.updated.isoformat() == "2026-01-31"
    )


def test_unknown_key_did_you_mean_and_types(tmp_path):
    _, problems = meta_problems(
        tmp_path,
        "---\ntitle: x\ntilte: y\norder: soon\npromoted: yes please\nupdated: someday\n---\n",
    )
    assert any(
        ":3: unknown front matter key 'tilte'" in p and "did you mean 'title'" in p
        for p in problems
    )
    assert any(":4: 'order' must be a number" in p for p in problems)
    assert any(":5: 'promoted' must be true or false" in p for p in problems)
    assert any(":6: 'updated' is not a date" in p for p in problems)


def test_topic_keys_differ(tmp_path):
    _, problems = meta_problems(
        tmp_path, "---\ntitle: T\nicon: truck\npromoted: true\n---\n", name="_index.md"
    )
    assert len(problems) == 1 and "'promoted'" in problems[0]
