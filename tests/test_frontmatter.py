import datetime as dt
import json
from pathlib import PurePosixPath

import pytest
import yaml
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpgen import frontmatter
from helpgen.frontmatter import ARTICLE_KEYS, KEYS, TOPIC_KEYS, Meta, parse_meta
from helpgen.load import read_source


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("content")


def meta_of(folder, text: str, name: str = "x.md"):
    """(Meta, [(line, code, message, hint)]) of a file `name` holding `text`."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    problems = []
    meta = parse_meta(read_source(path, PurePosixPath(name)), problems)
    assert all(p.path == path for p in problems)
    return meta, [(p.line, p.code, p.message, p.hint) for p in problems]


def test_keys_of_articles_and_topics():
    assert ARTICLE_KEYS == (
        "title", "description", "order", "tags", "promoted", "updated", "aliases", "keywords",
        "questions", "type", "audience", "changes", "contact",
    )  # fmt: skip
    assert TOPIC_KEYS == (
        "title", "description", "order", "aliases", "keywords", "icon", "audience", "contact",
    )  # fmt: skip


def test_an_article_with_every_key(folder):
    meta, problems = meta_of(
        folder,
        """---
title: Refunds
description: " How long they take. "
order: 3
tags: [money, returns]
promoted: true
updated: 2026-01-31
aliases: [/old/refunds/]
keywords: money back
---
# Body
""",
    )
    assert problems == []
    assert meta == Meta(
        title="Refunds",
        description="How long they take.",
        order=3.0,
        tags=("money", "returns"),
        promoted=True,
        updated=dt.date(2026, 1, 31),
        aliases=("/old/refunds/",),
        keywords=("money back",),
    )


def test_a_topic_takes_keywords_and_icon(folder):
    meta, problems = meta_of(
        folder, "---\ntitle: Orders\nicon: truck\nkeywords: [parcel, 2024]\n---\n", "o/_index.md"
    )
    assert problems == []
    assert meta == Meta(title="Orders", icon="truck", keywords=("parcel", "2024"))


def test_no_front_matter_and_empty_values_are_the_defaults(folder):
    assert meta_of(folder, "# Just a heading\n") == (Meta(), [])
    assert meta_of(folder, "---\ntitle:\ntags:\n---\n") == (Meta(), [])


def test_type_audience_and_contact(folder):
    meta, problems = meta_of(folder, "---\ntype: guide\naudience: sellers\ncontact: [a, b]\n---\n")
    assert problems == [] and (meta.type, meta.audience, meta.contact) == (
        "guide",
        ("sellers",),
        ("a", "b"),
    )
    _, problems = meta_of(folder, "---\ntype: quiz\n---\n")
    assert [(p[0], p[1]) for p in problems] == [(2, "frontmatter-value")]
    _, problems = meta_of(folder, "---\ntype: guide\n---\n", "t/_index.md")
    assert [(p[0], p[1]) for p in problems] == [(2, "frontmatter-unknown")]


def test_a_typo_gets_did_you_mean_and_an_article_key_on_a_topic_says_so(folder):
    _, problems = meta_of(folder, "---\ntilte: x\n---\n")
    assert problems == [
        (
            2,
            "frontmatter-unknown",
            "unknown front matter key 'tilte' for an article",
            "did you mean 'title'?",
        )
    ]
    _, problems = meta_of(folder, "---\ntitle: x\n\ntags: [a]\n---\n", "t/_index.md")
    assert problems == [
        (
            4,
            "frontmatter-unknown",
            "unknown front matter key 'tags' for a topic (_index.md)",
            "'tags' is for articles; allowed keys: title, description, order, aliases, keywords, "
            "icon, audience, contact",
        )
    ]


WRONG = {  # YAML of another type, by what the key is
    "text": "[a, b]",
    "a number": "soon",
    "a list of text": "{a: 1}",
    "a list of paths": "{a: 1}",
    "true or false": "yes please",
    "a date": "[2026]",
    '"article" or "guide"': "[a]",
}


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.name)
def test_every_key_rejects_a_wrong_type_at_its_line(folder, key):
    name = "t/_index.md" if not key.articles else "a.md"
    _, problems = meta_of(folder, f"---\n# wrong:\n\n{key.name}: {WRONG[key.what]}\n---\n", name)
    assert problems == [
        (4, "frontmatter-type", f"'{key.name}' must be {key.what}", f"e.g. {key.example}")
    ]


def test_wrong_values(folder):
    _, problems = meta_of(
        folder, "---\nupdated: someday\naliases: [/ok/, 'https://elsewhere.test/x']\n---\n"
    )
    assert problems == [
        (2, "frontmatter-value", "'updated' is not a date: 'someday'", "e.g. updated: 2026-03-01"),
        (
            3,
            "frontmatter-value",
            "'aliases' must be paths on this site, not 'https://elsewhere.test/x'",
            "e.g. aliases: [/help/old-page/]",
        ),
    ]


@pytest.mark.parametrize(
    "written", ["2026-03-01", "2026-03-01 10:30:00", "'2026-03-01T10:30'", "' 2026-03-01'"]
)
def test_updated_takes_a_date_or_a_time(folder, written):
    meta, problems = meta_of(folder, f"---\nupdated: {written}\n---\n")
    assert (meta.updated, problems) == (dt.date(2026, 3, 1), [])


# --- properties -------------------------------------------------------------------------------

key_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,15}", fullmatch=True)


@settings(deadline=None)  # timings vary on a busy machine
@given(key=key_names, topic=st.booleans(), before=st.integers(0, 3))
@example(key="audience", topic=False, before=1)
@example(key="tags", topic=True, before=0)
def test_any_unknown_key_is_located(folder, key, topic, before):
    allowed = TOPIC_KEYS if topic else ARTICLE_KEYS
    assume(key not in allowed and yaml.safe_load(f"{key}: 1") == {key: 1})  # not `yes: 1`
    lines = ["title: T", "description: D", "order: 1"][:before]
    name = "p/_index.md" if topic else "p/a.md"
    _, problems = meta_of(folder, "---\n" + "\n".join([*lines, f"{key}: 1"]) + "\n---\n", name)
    [(line, code, message, hint)] = problems
    assert (line, code) == (before + 2, "frontmatter-unknown")
    assert message.startswith(f"unknown front matter key '{key}' for ")
    assert hint


words = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), max_size=30)


@settings(deadline=None)  # timings vary on a busy machine
@given(title=words, keywords=st.lists(words, max_size=4))
def test_text_and_lists_of_text_round_trip(folder, title, keywords):
    text = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\nkeywords: {json.dumps(keywords, ensure_ascii=False)}\n---\n"
    meta, problems = meta_of(folder, text)
    assert problems == []
    assert meta.title == title.strip()
    assert meta.keywords == tuple(k.strip() for k in keywords if k.strip())


# --- the reference ----------------------------------------------------------------------------


def test_reference_lists_every_key_and_where_it_goes():
    reference = frontmatter.reference_markdown().splitlines()
    assert reference[:2] == [
        "| key | type | articles/topics | what it does |",
        "| --- | --- | --- | --- |",
    ]
    rows = {row.split(" | ")[0].removeprefix("| "): row.split(" | ")[2] for row in reference[2:]}
    assert rows == {
        "`title`": "both", "`description`": "both", "`order`": "both", "`tags`": "articles",
        "`promoted`": "articles", "`updated`": "articles", "`aliases`": "both",
        "`keywords`": "both", "`icon`": "topics", "`type`": "articles", "`audience`": "both",
        "`contact`": "both", "`changes`": "articles", "`questions`": "articles",
    }  # fmt: skip
