"""The search index of one locale: lunr's numbers, shipped compact, rebuilt by lunr.js or lunr.py.

Documents are article *sections* (and topic pages), so a result can land on the right heading.
Each page's documents come from `page_docs` (pure: tokenised in forked workers, cacheable per
page); their term counts are merged in document order into postings, and lunr.py's Builder's
idf and average field lengths are computed from them directly. lunr's own serialisation
repeats every term per field and per document; here the browser gets the same index as
postings (term -> field, document, term frequency) from which both lunr.js and lunr.py rebuild
an identical `Index`. `index.json` holds what planning a query needs: the vocabulary, each
term's rank by idf (for prefix completions), documents per page and the size of each title.
Postings sit in shards of consecutive terms, fetched for the terms a query has; each term's
row carries its idf and each posting its document's field length, so a shard holds all its
terms' scoring needs. Page rows (url, title, breadcrumb), section headings and text sit in
chunks fetched for the results being shown. Once a reader has seen results, the browser fetches
every page row at once (`pages/all.json`, rows relative to their topic's: `compact_pages`), so
later keystrokes wait for no page rows.
"""

from __future__ import annotations

import functools
import json
import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape
from itertools import accumulate, compress, repeat
from operator import add, mul, sub, truediv
from pathlib import PurePosixPath

from ..cache import page_digest
from ..config import Config
from ..frontmatter import Meta
from ..model import HOME, Locale, PageKey, Rendered, Site, Topic
from ..workers import PARALLEL_MIN_JOBS, cores, fork_map, no_collection
from .read import ALL_PAGES, SOURCES, TITLE, phrase_term, title_slug
from .text import SHAPE_MARK, normalize, shape_terms, tokenize, units, words

FORMAT = 4
# field name -> boost; tuned with bench/search_quality.py
FIELDS: dict[str, float] = {"title": 8, "headings": 4, "keywords": 4, "questions": 8, "text": 1}
QUESTIONS = list(FIELDS).index("questions")  # an article's lead document only, if it has any
K1, B = 1.2, 0.75  # lunr's BM25 parameters (its Builder's defaults)
# A term keeps, per field, its best-scoring sections only: a word in more sections than this
# ("account", "order") adds little to a ranking but makes every query that has it slow.
MAX_POSTINGS = 500
SHARD_SIZE = 10000  # postings per postings/N.json file; a query fetches the shards of its terms
SHAPE_FINER = 8  # shape terms' shards are this much smaller: a query needs a few of them
SECTION_CHUNK = 512  # sections (anchor, heading) per sections/N.json file
PAGE_CHUNK = 64  # pages (url, title, breadcrumb) per pages/N.json file
TEXT_CHUNK = 128  # sections per snippet-text file
PAGES_PER_TASK = 64  # pages a worker tokenises and counts at a time


@dataclass(frozen=True)
class Wording:
    """How a locale's text becomes search terms: its language (which of text.py's rules apply)
    and the site's synonym groups. A synonym of several words is a phrase: a document has it
    where its words follow one another (`phrase_counts`), as one term, the words joined by a
    space (`phrase_term`), which no word ever is."""

    language: str = ""
    synonyms: tuple[tuple[str, ...], ...] = ()

    @classmethod
    def of(cls, code: str, config: Config) -> Wording:
        """The wording of the locale `code` ("zh-CN": language "zh")."""
        return cls(code.split("-")[0].lower(), config.synonyms)

    @functools.cached_property
    def groups(self) -> list[list[list[str]]]:
        """Each synonym group as its members' terms (members with none left out)."""
        found = ([tokenize(member, self.language) for member in group] for group in self.synonyms)
        return [[m for m in group if m] for group in found]

    @functools.cached_property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        """The members of several terms."""
        return tuple(dict.fromkeys(tuple(m) for g in self.groups for m in g if len(m) > 1))

    def phrase_counts(self, terms: list[str]) -> dict[str, int]:
        """How often each phrase occurs in `terms` (a field's terms, in order)."""
        found: dict[str, int] = {}
        for phrase in self.phrases:
            size, first = len(phrase), phrase[0]
            n = sum(
                1
                for i, term in enumerate(terms)
                if term == first and tuple(terms[i : i + size]) == phrase
            )
            if n:
                found[phrase_term(phrase)] = n
        return found


PLAIN = Wording()  # no language known, no synonyms


@dataclass(frozen=True)
class SearchDoc:
    """One indexed unit: a section of an article, or a topic page, its terms counted.

    `lengths[f]` is the number of terms of field f (FIELDS order), `counts[f]` each term's
    frequency there."""

    anchor: str
    heading: str
    text: str
    lengths: tuple[int, ...]
    counts: tuple[dict[str, int], ...]


@dataclass(frozen=True)
class PageDocs:
    """What one page adds to the index: its documents and the words of its title and headings
    (for `vocabulary`)."""

    docs: tuple[SearchDoc, ...]
    words: tuple[str, ...]
    title_units: int  # distinct terms a query that is the page's title searches for


@dataclass
class SearchData:
    """Everything written for one locale's search (as JSON, or as scripts for file://).

    `index.json` is all the browser needs to plan a query: the vocabulary, where each term's
    postings live, and what ranking needs per page. Postings, page rows, section headings and
    snippet text come in small files fetched as queries and results need them; `all_pages`
    holds every page row (`compact_pages`), fetched once results have been shown.
    """

    index: dict
    shards: list[list] = field(default_factory=list)
    pages: list[list] = field(default_factory=list)
    all_pages: list[list] = field(default_factory=list)
    sections: list[list] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def files(
        self, offline: bool, only: Collection[str] | None = None
    ) -> Iterator[tuple[str, str]]:
        """(file name below the locale's search/ folder, content); `only`: of these names."""
        parts: list[tuple[str, object]] = [("index", self.index)]
        parts += [(f"postings/{i}", shard) for i, shard in enumerate(self.shards)]
        parts += [(f"pages/{i}", chunk) for i, chunk in enumerate(self.pages)]
        parts.append((ALL_PAGES, self.all_pages))
        parts += [(f"sections/{i}", chunk) for i, chunk in enumerate(self.sections)]
        parts += [(f"text/{i}", chunk) for i, chunk in enumerate(self.texts)]
        if only is not None:
            parts = [(name, data) for name, data in parts if f"{name}.json" in only]
        for name, data in parts:
            body = _json(data)
            yield f"{name}.json", body
            if offline:  # file:// has no fetch(): the data registers itself from a <script>
                yield f"{name}.js", f"HelpgenSearch.register({json.dumps(name)},{body});\n"
        if only is None or SOURCES in only:  # tools data: kept beside the site, never published
            yield SOURCES, _json(self.sources)


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


Known = Mapping[PageKey, tuple[str, PageDocs]]  # a page's PageDocs and the digest of its inputs


def index(
    site: Site,
    rendered: Mapping[PageKey, Rendered],
    jobs: int | None = None,
    known: Known | None = None,
    codes: Collection[str] | None = None,
    parts: dict[str, Part] | None = None,
) -> tuple[dict[str, SearchData], dict[PageKey, tuple[str, PageDocs]]]:
    """The search data of every locale (or of `codes`), and each page's documents for the
    build cache.
    Pages are tokenised in forked workers (`jobs` as in `fork_map`), PAGES_PER_TASK at a
    time; a page whose inputs are those of its entry in `known` is not tokenised again.
    `parts`, when given, receives each locale's Part (for `update.state_of`)."""
    listed = {code: page_rows(site.locales[code]) for code in codes or site.locales}
    wordings = {code: Wording.of(code, site.config) for code in listed}
    digests = {
        (code, path): docs_digest(site.locales[code], path, rendered, wordings[code])
        for code, rows in listed.items()
        for path, _ in rows
    }
    known = known or {}
    found = {
        key: known[key][1] for key, d in digests.items() if key in known and known[key][0] == d
    }
    todo = [key for key in digests if key not in found]
    tasks = [todo[i : i + PAGES_PER_TASK] for i in range(0, len(todo), PAGES_PER_TASK)]
    if jobs is None:  # fork_map's threshold counts items: here, pages
        jobs = cores() if len(todo) >= PARALLEL_MIN_JOBS else 1

    def part(task: list[PageKey]) -> list[PageDocs]:
        return [
            page_docs_of(site.locales[code], path, rendered, wordings[code]) for code, path in task
        ]

    def name(task: list[PageKey]) -> str:
        return f"the {len(task)} pages from {task[0][1]} ({task[0][0]})"

    with no_collection():
        made = fork_map(part, tasks, jobs, doing="indexing", name=name)
        for task, docs in zip(tasks, made, strict=True):
            found.update(zip(task, docs, strict=True))
        data: dict[str, SearchData] = {}
        for code, rows in listed.items():
            whole = fold(found[(code, path)] for path, _ in rows)
            topics = topic_count(site.locales[code])
            data[code] = assemble([row for _, row in rows], [whole], wordings[code], topics)
            if parts is not None:
                parts[code] = whole
    return data, {key: (digest, found[key]) for key, digest in digests.items()}


def docs_digest(
    locale: Locale, path: PurePosixPath, rendered: Mapping[PageKey, Rendered], wording: Wording
) -> str:
    """A digest of what `page_docs` reads of a page."""
    page = locale.page(path)
    done = rendered[(locale.code, path)]
    topic = isinstance(page, Topic)
    read = done.html if topic else done.sections
    meta = page.meta
    return page_digest(
        page.title, meta.description, meta.keywords, meta.questions, topic, read,
        _children(locale, path) if topic else (), wording,
    )  # fmt: skip


def build_index(
    locale: Locale, rendered: Mapping[PageKey, Rendered], wording: Wording = PLAIN
) -> SearchData:
    """The search data of one locale, in this process."""
    rows = page_rows(locale)
    with no_collection():
        part = fold(page_docs_of(locale, path, rendered, wording) for path, _ in rows)
        return assemble([row for _, row in rows], [part], wording, topic_count(locale))


def page_rows(locale: Locale) -> list[tuple[PurePosixPath, list]]:
    """(path, [url, title, breadcrumb, source, audiences, parent]) of the locale's own topics
    (home aside), then of its articles, in a stable order. `parent` is the row number of the
    page's topic, or -1 (home, or a topic borrowed from another locale)."""
    rows: list[tuple[PurePosixPath, list]] = []
    number: dict[PurePosixPath | None, int] = {}
    topics, articles = _order(locale)
    for path in topics:
        topic = locale.topics[path]
        crumbs = [t.title for t in locale.breadcrumbs(topic.path)[1:-1]]
        source = str(topic.source.rel) if topic.source else f"{path}/_index.md"
        parent = number.get(topic.parent, -1)  # parents sort before their children
        number[path] = len(rows)
        rows.append((path, [topic.url, topic.title, crumbs, source, locale.audience(path), parent]))
    for path in articles:
        article = locale.articles[path]
        crumbs = [t.title for t in locale.breadcrumbs(article.topic)[1:]]
        row = [article.url, article.title, crumbs, str(path), locale.audience(path)]
        rows.append((path, [*row, number.get(article.topic, -1)]))
    return rows


def compact_pages(rows: list[list]) -> list[list]:
    """Page rows [url, title, breadcrumb, ..., parent] as `pages/all.json` holds them.

    A page below a topic listed before it is [the rest of its url after the topic's, title,
    the topic's row number], or just [title, topic's row number] when that rest is
    `title_slug(title)`; its breadcrumb is the topic's followed by the topic's title. A page
    at the top is the same with -1 for its topic (empty url before, no breadcrumb). Any other
    page keeps its whole row [url, title, breadcrumb]. Each row is checked: `expand_pages`
    gives back the rows exactly."""
    out: list[list] = []
    for i, row in enumerate(rows):
        url, title, crumbs, parent = row[0], row[1], row[2], row[5]
        base, above = "", []
        if 0 <= parent < i:
            base, above = rows[parent][0], [*rows[parent][2], rows[parent][1]]
        rest = url[len(base) :]
        if parent >= i or above != crumbs or not url.startswith(base):
            out.append([url, title, crumbs])
        elif rest == title_slug(title):
            out.append([title, parent])
        else:
            out.append([rest, title, parent])
    return out


def page_number(locale: Locale, path: PurePosixPath) -> int:
    """The row of the page at `path` in `page_rows(locale)`, without making the rows."""
    topics, articles = _order(locale)
    return topics.index(path) if path in locale.topics else len(topics) + articles.index(path)


def topic_count(locale: Locale) -> int:
    """How many of the locale's page rows are topics' (they come first; home has none)."""
    return len(locale.topics) - (HOME in locale.topics)


def _order(locale: Locale) -> tuple[list[PurePosixPath], list[PurePosixPath]]:
    """The locale's own topics (home aside) and its articles, in the order of their rows."""
    topics = sorted((p for p in locale.topics if p != HOME), key=_parts)
    return topics, sorted(locale.articles, key=_parts)


def _parts(path: PurePosixPath) -> tuple[str, ...]:
    """The sort key of a relative path: the order of PurePosixPath's own comparison."""
    return path.parts


def page_docs_of(
    locale: Locale,
    path: PurePosixPath,
    rendered: Mapping[PageKey, Rendered],
    wording: Wording = PLAIN,
) -> PageDocs:
    """`page_docs` of the locale's page at `path`."""
    page = locale.page(path)
    topic = isinstance(page, Topic)
    children = _children(locale, path) if topic else ()
    done = rendered[(locale.code, path)]
    return page_docs(page.title, page.meta, done, topic=topic, children=children, wording=wording)


def _children(locale: Locale, path: PurePosixPath) -> tuple[str, ...]:
    """The titles of what a topic lists: its sub-topics and articles."""
    topics, articles = locale.listing(path)
    return tuple(page.title for page in (*topics, *articles))


def page_docs(
    title: str,
    meta: Meta,
    rendered: Rendered,
    *,
    topic: bool,
    children: tuple[str, ...] = (),
    wording: Wording = PLAIN,
) -> PageDocs:
    """The documents of one page: a topic's one (its description, introduction and the titles
    of what it lists), an article's sections (or one document from its description if it has
    none). The questions an article answers (front matter) are a field of their own, weighing
    as its title does: a writer's word that customers ask it so.

    Pure, and depends on these inputs only: the page's title (not in Rendered: it comes from
    the front matter, the first # heading or the file name), its front matter (description,
    keywords, questions), its Rendered (html for a topic, sections for an article), a topic's
    children's titles, and the locale's wording.
    """
    language = wording.language

    def terms(text: str) -> list[str]:
        return tokenize(text, language)

    keywords = terms(" ".join(meta.keywords))
    asked = terms(" ".join(meta.questions))
    shape = shape_terms(title)
    headings = [title]
    if topic:
        intro = " ".join(s for s in (meta.description, _strip_tags(rendered.html)) if s)
        listed = terms(" ".join(children))
        fields = (terms(title), listed, keywords, [], terms(intro))
        docs = [_doc("", "", intro, wording, *fields, shape=shape)]
    elif not rendered.sections:
        text = meta.description
        fields = (terms(title), [], keywords, asked, terms(text))
        docs = [_doc("", "", text, wording, *fields, shape=shape)]
    else:
        title_terms = terms(title)
        docs = []
        h2 = ""
        for n, section in enumerate(rendered.sections):
            if section.level == 2:
                h2 = section.title
            lead = not section.anchor
            trail = [section.title] if section.level <= 2 or not h2 else [h2, section.title]
            docs.append(
                _doc(
                    section.anchor,
                    section.title,
                    section.text,
                    wording,
                    title_terms if n == 0 else [],
                    terms(" ".join(trail)) if not lead else [],
                    keywords + terms(meta.description) if lead else [],
                    asked if lead else [],
                    terms(section.text),
                    shape=shape if n == 0 else [],
                )
            )
            headings.append(section.title)
    return PageDocs(tuple(docs), tuple(_readable(headings)), len(set(units(title, language))))


def _doc(
    anchor: str, heading: str, text: str, wording: Wording, *fields: list[str], shape: list[str]
) -> SearchDoc:
    """A document with its fields' terms counted, phrases of synonyms among them: each field
    as lunr's Builder would count it were its phrases tokens of their own. The title's shape
    terms (`shape_terms`) are in its postings but not its length: no query searches for them,
    ranking asks which titles have them."""
    counts = []
    for terms in fields:
        counted = dict(Counter(terms)) if terms else {}
        if wording.phrases and terms:
            counted.update(wording.phrase_counts(terms))
        counts.append(counted)
    lengths = tuple(sum(counted.values()) for counted in counts)
    counts[TITLE].update(dict.fromkeys(shape, 1))
    return SearchDoc(anchor, heading, text, lengths, tuple(counts))


def _readable(texts: Iterable[str]) -> Iterator[str]:
    """The words of `texts` that `vocabulary` offers: Latin script, longer than two letters."""
    for text in texts:
        for word, kind in words(normalize(text)):
            if kind == "latin" and len(word) > 2:
                yield word


def vocabulary(counts: Mapping[str, int]) -> list[str]:
    """Words readers see (titles, headings), most frequent first: "did you mean" picks from it."""
    return sorted(counts, key=lambda w: (-counts[w], w))


Postings = list[dict[str, tuple[list[int], list[int]]]]  # per field: term -> (documents, tfs)


@dataclass
class Part:
    """The index of consecutive pages of a locale, their documents numbered from 0."""

    counts: list[int] = field(default_factory=list)  # documents per page
    titles: list[int] = field(default_factory=list)  # distinct terms of each page's title
    sections: list[list[str]] = field(default_factory=list)  # [anchor, heading] per document
    texts: list[str] = field(default_factory=list)  # snippet text per document
    lengths: list[list[int]] = field(default_factory=lambda: [[] for _ in FIELDS])
    postings: Postings = field(default_factory=lambda: [{} for _ in FIELDS])
    words: Counter[str] = field(default_factory=Counter)


def fold(found: Iterable[PageDocs]) -> Part:
    """The documents of consecutive pages as one Part: postings in document order."""
    part = Part()
    ref = 0
    for page in found:
        part.counts.append(len(page.docs))
        part.titles.append(page.title_units)
        part.words.update(page.words)
        for doc in page.docs:
            part.sections.append([doc.anchor, doc.heading])
            part.texts.append(doc.text)
            for f, terms in enumerate(doc.counts):
                part.lengths[f].append(doc.lengths[f])
                postings = part.postings[f]
                for term, tf in terms.items():
                    pair = postings.get(term)
                    if pair is None:
                        postings[term] = ([ref], [tf])
                    else:
                        pair[0].append(ref)
                        pair[1].append(tf)
            ref += 1
    return part


def assemble(
    rows: list[list], parts: Iterable[Part], wording: Wording = PLAIN, topics: int = 0
) -> SearchData:
    """A locale's search data from its pages' rows and the Parts of those pages, in order;
    the first `topics` rows are topics'."""
    whole = Part()
    for part in parts:
        base = len(whole.texts)
        whole.counts += part.counts
        whole.titles += part.titles
        whole.sections += part.sections
        whole.texts += part.texts
        whole.words.update(part.words)
        for f, postings in enumerate(part.postings):
            whole.lengths[f] += part.lengths[f]
            into = whole.postings[f]
            for term, (refs, tfs) in postings.items():
                if base:
                    refs = list(map(base.__add__, refs))
                have = into.get(term)
                if have is None:
                    into[term] = (refs, tfs)
                else:
                    have[0].extend(refs)
                    have[1].extend(tfs)
    index, shards = export(whole.postings, whole.lengths, wording)
    index.update(
        topics=topics,
        counts=whole.counts,
        titles=whole.titles,
        words=vocabulary(whole.words),
        chunks={"pages": PAGE_CHUNK, "sections": SECTION_CHUNK, "text": TEXT_CHUNK},
    )
    audiences = {str(i): list(row[4]) for i, row in enumerate(rows) if row[4]}
    if audiences:  # pages for some readers only: the audience switcher filters them out
        index["audiences"] = audiences
    pairs, texts = whole.sections, whole.texts
    pages = [row[:3] for row in rows]
    return SearchData(
        index=index,
        shards=shards,
        pages=[pages[i : i + PAGE_CHUNK] for i in range(0, len(pages), PAGE_CHUNK)],
        all_pages=compact_pages(rows),
        sections=[pairs[i : i + SECTION_CHUNK] for i in range(0, len(pairs), SECTION_CHUNK)],
        texts=[texts[i : i + TEXT_CHUNK] for i in range(0, len(texts), TEXT_CHUNK)],
        sources=[row[3] for row in rows],
    )


def export(
    postings: Postings, lengths: list[list[int]], wording: Wording = PLAIN
) -> tuple[dict, list]:
    """The index as term frequencies, field lengths and lunr's idf per term.

    From these, `rebuild` (and its twin in search-engine.js) computes lunr's BM25 field vectors
    with additions, multiplications and divisions only, which IEEE floats do identically in
    every language; shipping term frequencies instead of scores keeps the postings small.
    Terms are sorted, and their postings rows cut into shards of consecutive terms: `shards`
    in the index holds the position of each shard's first term. The idf and the average field
    lengths are the ones lunr.py's Builder computes, by the same expressions.

    A term's row is its idf, then per field: field, count, and per posting the step from the
    previous document, the term frequency and the document's length in that field. A title
    field cut to MAX_POSTINGS is followed by `len(FIELDS)`, count and the steps of the titles
    left out: ranking still knows every page whose title has the term. `ranks` orders terms by
    idf (0: the highest) for prefix completions, which are chosen before any row is fetched.
    """
    count = len(lengths[0])
    average = averages(lengths)
    terms = sorted(set().union(*postings))
    idfs, rows = [], []
    norms: list[list[float] | None] = [None] * len(lengths)  # made when a term needs them
    for term in terms:
        found = [(f, by_term[term]) for f, by_term in enumerate(postings) if term in by_term]
        idf = idf_of(sum(len(refs) for _, (refs, _) in found), count)
        idfs.append(idf)
        kept: list[tuple[int, list[int], list[int]]] = []
        left_out: list[int] = []
        for f, (refs, tfs) in found:
            if len(refs) > MAX_POSTINGS:
                if norms[f] is None:
                    norms[f] = _norms(lengths[f], average[f])
                every = refs
                refs, tfs = _best(refs, tfs, idf, norms[f])
                if f == TITLE:
                    kept_refs = set(refs)
                    left_out = [ref for ref in every if ref not in kept_refs]
            kept.append((f, refs, tfs))
        rows.append(encode(idf, kept, lengths, left_out))
    starts, shards = shard(terms, rows)
    return header(average, terms, idfs, starts, wording), shards


def averages(lengths: list[list[int]]) -> list[float]:
    """Each field's average length: over every document, as lunr's Builder has it; but the
    questions' over the documents that have some, or an article's few questions would weigh
    as if dozens times too long beside the many documents with none."""
    count = len(lengths[0])
    found = []
    for f, sizes in enumerate(lengths):
        have = count if f != QUESTIONS else count - sizes.count(0)
        found.append(sum(sizes) / have if have else 0)
    return found


def idf_of(documents: int, count: int) -> float:
    """lunr's idf of a term in `documents` of `count` documents (a document once per field,
    as lunr counts)."""
    return math.log(1 + abs((count - documents + 0.5) / (documents + 0.5)))


def encode(
    idf: float,
    kept: list[tuple[int, list[int], list[int]]],
    lengths: list[list[int]],
    left_out: list[int],
) -> list:
    """A term's row (see `export`) from its postings kept per field: (field, documents, tfs)."""
    row: list = [idf]
    for f, refs, tfs in kept:
        flat = [0] * (3 * len(refs))
        flat[0::3] = map(sub, refs, [0, *refs[:-1]])  # each document as a step from the last
        flat[1::3] = tfs
        flat[2::3] = map(lengths[f].__getitem__, refs)
        row += (f, len(refs))
        row += flat
    if left_out:
        row += (len(lengths), len(left_out))
        row += map(sub, left_out, [0, *left_out[:-1]])
    return row


def shard(terms: list[str], rows: list[list]) -> tuple[list[int], list[list]]:
    """The terms' rows cut into shards of about SHARD_SIZE postings, the shape terms' (which
    come first) into shards of their own, SHAPE_FINER times smaller: each shard's first row,
    the shards."""
    starts: list[int] = []
    shards: list[list] = []
    size, shaped = SHARD_SIZE, None
    for i, (term, row) in enumerate(zip(terms, rows, strict=True)):
        shape = term.startswith(SHAPE_MARK)
        if size >= (SHARD_SIZE // SHAPE_FINER if shape else SHARD_SIZE) or shape != shaped:
            starts.append(i)
            shards.append([])
            size, shaped = 0, shape
        shards[-1].append(row)
        size += len(row) // 3
    return starts, shards


def header(
    average: list[float],
    terms: list[str],
    idfs: list[float],
    starts: list[int],
    wording: Wording,
) -> dict:
    """What `export` puts in index.json."""
    distinct = {idf: rank for rank, idf in enumerate(sorted(set(idfs), reverse=True))}
    return {
        "format": FORMAT,
        "language": wording.language,
        "fields": list(FIELDS),
        "boosts": list(FIELDS.values()),
        "k1": K1,
        "b": B,
        "average": average,
        "terms": terms,
        "ranks": list(map(distinct.__getitem__, idfs)),
        "shards": starts,
        "synonyms": wording.groups,
    }


def _best(
    refs: list[int], tfs: list[int], idf: float, norms: list[float]
) -> tuple[list[int], list[int]]:
    """The MAX_POSTINGS postings where the term weighs most (ties: the earlier documents), in
    document order. The weight is read.py's `_score` with boost 1, `norms` its per-document part."""
    impact = impacts(idf, tfs, map(norms.__getitem__, refs))
    counts = Counter(impact)  # the weights are few: they depend on tf and length only
    least = threshold(list(counts), list(counts.values()))
    kept = list(compress(range(len(impact)), map(least.__le__, impact)))
    extra = len(kept) - MAX_POSTINGS
    if extra:  # ties at `least` past the limit: the later ones go
        late = set([i for i in kept if impact[i] == least][-extra:])
        kept = [i for i in kept if i not in late]
    return [refs[i] for i in kept], [tfs[i] for i in kept]


def impacts(idf: float, tfs: list[int], norms: Iterable[float]) -> list[float]:
    """The weight of each posting for `_best`: read.py's `_score` with boost 1, `norms` its
    per-document part."""
    weighted = map(mul, repeat(idf), map(mul, repeat(K1 + 1), tfs))
    return list(map(truediv, weighted, map(add, norms, tfs)))


def threshold(weights: list[float], sizes: list[int]) -> float:
    """The least weight `_best` keeps, `sizes[i]` postings weighing `weights[i]`."""
    order = sorted(range(len(weights)), key=weights.__getitem__, reverse=True)
    above = list(accumulate(map(sizes.__getitem__, order)))
    return weights[order[bisect_left(above, MAX_POSTINGS)]]


def _norms(lengths: list[int], average: float) -> list[float]:
    """Per document, read.py's `_score` denominator without tf: k1 * (1 - b + b * len / avg)."""
    one_b = 1 - B
    return [K1 * (one_b + B * (length / average)) for length in lengths]


def _strip_tags(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
