"""search.update: the search data of a locale after one page's documents changed is, file for
file, what assembling the edited locale from scratch gives."""

from __future__ import annotations

import os
import shutil
from itertools import chain

import pytest
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st

from helpgen.search import index as ix
from helpgen.search.index import FIELDS, PageDocs, SearchData, SearchDoc, assemble, fold
from helpgen.search.update import state_of, update

from .conftest import REPO

EXAMPLES = settings(
    max_examples=int(os.environ.get("HELPGEN_PROPERTY_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Few terms, so that many share them, and more than a page has, so that a cut can move for a
# term the edit does not touch
TERMS = ("account", "order", "refund", "ship", "card", "zone", *"abcdefghijklmn")
WORDS = ("alpha", "beta", "gamma", "delta")


@st.composite
def docs(draw: st.DrawFn, n: int, extra: tuple[int, ...] = (0, 1, 5, 20, 60)) -> PageDocs:
    """A page of `n` documents, longer than their terms by one of `extra`; the first has the
    title field."""
    made = []
    for d in range(n):
        counts, lengths = [], []
        for f in range(len(FIELDS)):
            if f == ix.TITLE and d:
                counted: dict[str, int] = {}
            else:
                counted = draw(
                    st.dictionaries(st.sampled_from(TERMS), st.integers(1, 4), max_size=2)
                )
            counts.append(counted)
            lengths.append(sum(counted.values()) + draw(st.sampled_from(extra)))
        text = draw(st.sampled_from(["", "x", "some text"]))
        made.append(
            SearchDoc(
                f"a{d}", draw(st.sampled_from(["H", "Heading"])), text, (*lengths,), (*counts,)
            )
        )
    heading_words = tuple(draw(st.lists(st.sampled_from(WORDS), max_size=3)))
    return PageDocs(tuple(made), heading_words, draw(st.integers(0, 3)))


@st.composite
def locales(draw: st.DrawFn) -> tuple[list[int], list[PageDocs]]:
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=16))
    return sizes, [draw(docs(n)) for n in sizes]


def rows(count: int) -> list[list]:
    return [
        [f"p{i}/", f"Page {i}", [], f"p{i}.md", ["staff"] if i == 1 else [], -1]
        for i in range(count)
    ]


def files(data: SearchData) -> dict[str, str]:
    return dict(data.files(True))


@EXAMPLES
@given(
    locale=locales(),
    limits=st.tuples(st.integers(1, 6), st.integers(1, 30), st.integers(1, 5), st.integers(1, 5)),
    data=st.data(),
)
def test_an_update_gives_the_files_a_fresh_assemble_gives(locale, limits, data):
    """A few edits in a row, each of one page keeping its number of documents (some of them as
    they were): the same files byte for byte, and the names of exactly those that changed."""
    sizes, pages = locale
    wording = ix.Wording(synonyms=(("card", "zone"),))
    with pytest.MonkeyPatch.context() as patch:
        for name, value in zip(
            ("MAX_POSTINGS", "SHARD_SIZE", "SECTION_CHUNK", "TEXT_CHUNK"), limits, strict=True
        ):
            patch.setattr(ix, name, value)
        part = fold(pages)
        before = assemble(rows(len(pages)), [part], wording)
        state = state_of(part, before)
        moved = 0
        for _ in range(data.draw(st.integers(1, 3))):
            page = data.draw(st.integers(0, len(pages) - 1))
            fresh = data.draw(docs(sizes[page], (0, 5, 60, 300)))  # the averages move
            kept = data.draw(st.integers(0, sizes[page]))  # the first ones as they were
            new = PageDocs(
                (*pages[page].docs[:kept], *fresh.docs[kept:]), fresh.words, fresh.title_units
            )
            done = update(before, state, page, pages[page], new, wording, offline=True)
            assert done is not None
            after, state, changed = done
            moved += _untouched_moved(before, after, pages[page], new)
            pages[page] = new
            fresh = assemble(rows(len(pages)), [fold(pages)], wording)
            want, was = files(fresh), files(before)
            assert files(after) == want
            assert changed == {n for n in want.keys() | was.keys() if want.get(n) != was.get(n)}
            before = after
    target(float(moved))  # toward cuts that move for terms the page does not have


def _untouched_moved(before: SearchData, after: SearchData, old: PageDocs, new: PageDocs) -> int:
    """How many terms the edit does not have changed rows all the same (their cut moved)."""
    have = {t for doc in (*old.docs, *new.docs) for counted in doc.counts for t in counted}
    rows = [dict(zip(d.index["terms"], chain(*d.shards), strict=True)) for d in (before, after)]
    return sum(row != rows[1][t] for t, row in rows[0].items() if t not in have)


def test_an_edit_moves_the_cut_of_a_term_the_page_does_not_have(monkeypatch):
    """x is kept in one document: the short one while documents are short on average, the one
    where it is twice while they are long. A third page growing longer moves x's row."""
    monkeypatch.setattr(ix, "MAX_POSTINGS", 1)

    def page(term: str, tf: int, length: int) -> PageDocs:
        return PageDocs(
            (SearchDoc("", "", "", (0, 0, 0, 0, length), ({}, {}, {}, {}, {term: tf})),), (), 0
        )

    pages = [page("x", 1, 1), page("x", 2, 20), page("y", 1, 100)]
    part = fold(pages)
    before = assemble(rows(3), [part])
    done = update(before, state_of(part, before), 2, pages[2], page("y", 1, 200))
    assert done is not None
    fresh = assemble(rows(3), [fold([*pages[:2], page("y", 1, 200)])])
    assert files(done[0]) == files(fresh)
    assert done[2] == {"index.json", "postings/0.json"}
    assert _untouched_moved(before, done[0], pages[2], page("y", 1, 200)) == 1


def test_a_page_whose_number_of_documents_changes_is_left_to_a_rebuild():
    one = PageDocs(
        (SearchDoc("", "", "t", (1, 0, 0, 0, 1), ({"ab": 1}, {}, {}, {}, {"b": 1})),), (), 1
    )
    two = PageDocs(one.docs * 2, (), 1)
    part = fold([one, one])
    data = assemble(rows(2), [part])
    assert update(data, state_of(part, data), 1, one, two) is None
    assert update(data, state_of(part, data), 1, one, one) is not None


def test_an_edited_demo_article_updates_to_the_rebuilt_locale(tmp_path, monkeypatch):
    """The demo site, compiled; one article's body edited and compiled again with the cache:
    the update of the first compile's search data is the second compile's search files."""
    from helpgen.pipeline import compile, configure
    from helpgen.search.index import page_rows

    monkeypatch.setattr(ix, "MAX_POSTINGS", 4)  # cut terms, and their best moving
    shutil.copytree(REPO / "content", tmp_path / "content")
    first = compile(tmp_path, configure(tmp_path))
    locale = first.site.locales["en"]
    listed = page_rows(locale)
    docs = [first.cache.docs[("en", path)][1] for path, _ in listed]
    part = fold(docs)
    wording = ix.Wording.of("en", first.site.config)
    data = assemble([row for _, row in listed], [part], wording, ix.topic_count(locale))
    assert _search(first, "en") == dict(data.files(first.site.config.offline))

    page, (path, _) = next((i, r) for i, r in enumerate(listed) if len(docs[i].docs) > 2)
    source = locale.articles[path].source.path
    body = source.read_text()
    source.write_text(body.replace("\n\n", "\n\nRefund your order to the card on file.\n\n", 2))
    second = compile(tmp_path, configure(tmp_path), cache=first.cache)
    new = second.cache.docs[("en", path)][1]
    assert new != docs[page] and len(new.docs) == len(docs[page].docs)
    done = update(data, state_of(part, data), page, docs[page], new, wording)
    assert done is not None
    after, _, changed = done
    want = _search(second, "en")
    assert dict(after.files(False)) == want
    assert changed == {n for n in want if want[n] != _search(first, "en")[n]}
    assert "index.json" in changed and any(n.startswith("postings/") for n in changed)


def _search(compiled, code: str) -> dict[str, str]:
    prefix = f"{compiled.site.locales[code].prefix}search/"
    return {
        o.path.removeprefix(prefix): o.text
        for o in compiled.outputs.files
        if o.path.startswith(prefix) and o.text is not None
    }
