"""The search index of one locale: built by lunr.py, shipped compact, rebuilt by lunr.js or lunr.py.

Documents are article *sections* (and topic pages), so a result can land on the right heading.
lunr's own serialisation repeats every term per field and per document; here the browser gets
the same index as postings (term -> field, document, term frequency) from which both lunr.js
and lunr.py rebuild an identical `Index`. `index.json` holds the vocabulary, field lengths and
pages; postings sit in shards of consecutive terms, fetched for the terms a query has; section
headings and text sit in chunks fetched for the results being shown.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape

from lunr.builder import Builder
from lunr.idf import idf as lunr_idf
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.token_set import TokenSet
from lunr.vector import Vector

from ..model import HOME, Locale, PageKey, Rendered, Site
from ..outdir import TOOLS_PREFIX
from .text import normalize, tokenize, words

FORMAT = 2
# field name -> boost; tuned with bench/search_quality.py
FIELDS: dict[str, float] = {"title": 8, "headings": 4, "keywords": 4, "text": 1}
# A term keeps, per field, its best-scoring sections only: a word in more sections than this
# ("account", "order") adds little to a ranking but makes every query that has it slow.
MAX_POSTINGS = 500
SHARD_SIZE = 10000  # postings per postings/N.json file; a query fetches the shards of its terms
SECTION_CHUNK = 512  # sections (anchor, heading) per sections/N.json file
TEXT_CHUNK = 128  # sections per snippet-text file
SOURCES = f"{TOOLS_PREFIX}sources.json"  # each page's source path, for `helpgen search`


@dataclass
class SearchDoc:
    """One indexed unit: a section of an article, or a topic page."""

    page: int
    anchor: str
    heading: str
    fields: dict[str, list[str]]
    text: str


@dataclass
class SearchData:
    """Everything written for one locale's search (as JSON, or as scripts for file://).

    `index.json` is all the browser needs to plan and rank a query: the vocabulary, field
    lengths, pages and where each term's postings live. Postings, section headings and
    snippet text come in small files fetched as queries and results need them.
    """

    index: dict
    shards: list[list] = field(default_factory=list)
    sections: list[list] = field(default_factory=list)
    texts: list[list[str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def files(self, offline: bool) -> Iterator[tuple[str, str]]:
        """(file name below the locale's search/ folder, content)."""
        parts: list[tuple[str, object]] = [("index", self.index)]
        parts += [(f"postings/{i}", shard) for i, shard in enumerate(self.shards)]
        parts += [(f"sections/{i}", chunk) for i, chunk in enumerate(self.sections)]
        parts += [(f"text/{i}", chunk) for i, chunk in enumerate(self.texts)]
        for name, data in parts:
            body = _json(data)
            yield f"{name}.json", body
            if offline:  # file:// has no fetch(): the data registers itself from a <script>
                yield f"{name}.js", f"HelpgenSearch.register({json.dumps(name)},{body});\n"
        yield SOURCES, _json(self.sources)  # tools data: kept beside the site, never published


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def index(site: Site, rendered: Mapping[PageKey, Rendered]) -> dict[str, SearchData]:
    """The search data of every locale."""
    return {
        code: build_index(loc, rendered, site.config.synonyms) for code, loc in site.locales.items()
    }


def collect(
    locale: Locale, rendered: Mapping[PageKey, Rendered]
) -> tuple[list[list], list[SearchDoc]]:
    """Pages (url, title, breadcrumb, source, audiences) and documents of a locale, in a
    stable order."""
    pages: list[list] = []
    docs: list[SearchDoc] = []
    for path, topic in sorted(locale.topics.items()):
        if path == HOME:
            continue
        crumbs = [t.title for t in locale.breadcrumbs(topic.path)[1:-1]]
        source = str(topic.source.rel) if topic.source else f"{path}/_index.md"
        pages.append([topic.url, topic.title, crumbs, source, locale.audience(path)])
        intro_html = rendered[(locale.code, path)].html
        intro = " ".join(s for s in (topic.meta.description, _strip_tags(intro_html)) if s)
        docs.append(
            SearchDoc(
                len(pages) - 1,
                "",
                "",
                {
                    "title": tokenize(topic.title),
                    "headings": [],
                    "keywords": tokenize(" ".join(topic.meta.keywords)),
                    "text": tokenize(intro),
                },
                intro,
            )
        )
    for path, article in sorted(locale.articles.items()):
        crumbs = [t.title for t in locale.breadcrumbs(article.topic)[1:]]
        pages.append([article.url, article.title, crumbs, str(path), locale.audience(path)])
        title = tokenize(article.title)
        keywords = tokenize(" ".join(article.meta.keywords))
        h2 = ""
        sections = rendered[(locale.code, path)].sections
        for n, section in enumerate(sections):
            if section.level == 2:
                h2 = section.title
            path_titles = [section.title] if section.level <= 2 or not h2 else [h2, section.title]
            lead = not section.anchor
            extra = tokenize(article.meta.description) if lead else []
            docs.append(
                SearchDoc(
                    len(pages) - 1,
                    section.anchor,
                    section.title,
                    {
                        "title": title if n == 0 else [],
                        "headings": tokenize(" ".join(path_titles)) if section.anchor else [],
                        "keywords": keywords + extra if lead else [],
                        "text": tokenize(section.text),
                    },
                    section.text,
                )
            )
        if not sections:
            docs.append(
                SearchDoc(
                    len(pages) - 1,
                    "",
                    "",
                    {
                        "title": title,
                        "headings": [],
                        "keywords": keywords,
                        "text": tokenize(article.meta.description),
                    },
                    article.meta.description,
                )
            )
    return pages, docs


def build_index(
    locale: Locale,
    rendered: Mapping[PageKey, Rendered],
    synonyms: tuple[tuple[str, ...], ...] = (),
) -> SearchData:
    """Index a locale with lunr.py's Builder and export it compactly."""
    pages, docs = collect(locale, rendered)
    builder = Builder()
    builder.pipeline = Pipeline()  # the language work is done by text.py, on both sides
    builder.search_pipeline = Pipeline()
    builder.ref("id")
    for name, boost in FIELDS.items():
        builder.field(name, boost=boost)
    for i, doc in enumerate(docs):
        _add(builder, i, doc.fields)
    if docs:  # lunr.py divides by the number of documents
        builder._calculate_average_field_lengths()
    else:
        builder.average_field_length = dict.fromkeys(FIELDS, 0)
    index, shards = export(builder, synonyms)
    counts = [0] * len(pages)
    for doc in docs:
        counts[doc.page] += 1
    index.update(
        pages=[page[:3] for page in pages],
        counts=counts,
        words=vocabulary([page[1] for page in pages] + [d.heading for d in docs]),
        chunks={"sections": SECTION_CHUNK, "text": TEXT_CHUNK},
    )
    audiences = {str(i): list(page[4]) for i, page in enumerate(pages) if page[4]}
    if audiences:  # pages for some readers only: the audience switcher filters them out
        index["audiences"] = audiences
    pairs = [[d.anchor, d.heading] for d in docs]
    return SearchData(
        index=index,
        shards=shards,
        sections=[pairs[i : i + SECTION_CHUNK] for i in range(0, len(pairs), SECTION_CHUNK)],
        texts=[[d.text for d in docs[i : i + TEXT_CHUNK]] for i in range(0, len(docs), TEXT_CHUNK)],
        sources=[page[3] for page in pages],
    )


def vocabulary(texts: list[str]) -> list[str]:
    """Words readers see (titles, headings), most frequent first: "did you mean" picks from it."""
    counts: dict[str, int] = {}
    for text in texts:
        for word, kind in words(normalize(text)):
            if kind == "latin" and len(word) > 2:
                counts[word] = counts.get(word, 0) + 1
    return sorted(counts, key=lambda w: (-counts[w], w))


def _add(builder: Builder, ref: int, fields: dict[str, list[str]]) -> None:
    """Builder.add for terms that are already tokenised (lunr.py's add copies every token).

    A posting maps the document to the term's frequency in the field (lunr keeps metadata
    there, which helpgen does not use; lunr's idf only counts the documents).
    """
    builder._documents[str(ref)] = {}
    builder.document_count += 1
    inverted = builder.inverted_index
    for name, terms in fields.items():
        frequencies: dict[str, int] = {}
        for term in terms:
            frequencies[term] = frequencies.get(term, 0) + 1
        builder.field_lengths[f"{name}/{ref}"] = len(terms)  # lunr's FieldRef string
        for term, tf in frequencies.items():
            posting = inverted.get(term)
            if posting is None:
                posting = {field: {} for field in builder._fields}
                posting["_index"] = builder.term_index
                builder.term_index += 1
                inverted[term] = posting
            posting[name][ref] = tf


def export(builder: Builder, synonyms: tuple[tuple[str, ...], ...] = ()) -> tuple[dict, list]:
    """The builder's index as term frequencies, field lengths and lunr's idf per term.

    From these, `rebuild` (and its twin in search-engine.js) computes lunr's BM25 field vectors
    with additions, multiplications and divisions only, which IEEE floats do identically in
    every language; shipping term frequencies instead of scores keeps the postings small.
    Terms are sorted, and their postings rows cut into shards of consecutive terms: `shards`
    in the index holds the position of each shard's first term.
    """
    fields = list(builder._fields)
    count = builder.document_count
    average = [builder.average_field_length[f] for f in fields]
    lengths = [
        [builder.field_lengths.get(f"{name}/{i}", 0) for i in range(count)] for name in fields
    ]
    terms = sorted(builder.inverted_index)
    idfs, rows = [], []
    for term in terms:
        entry = builder.inverted_index[term]
        idf = lunr_idf(entry, count)
        idfs.append(idf)
        row: list[int] = []
        for f, name in enumerate(fields):
            tfs: dict[int, int] = entry[name]
            if not tfs:
                continue
            refs = sorted(tfs)
            if len(refs) > MAX_POSTINGS:  # the best sections; ties go to the earlier one
                k1, b, avg = builder._k1, builder._b, average[f]
                impact = {r: _score(idf, tfs[r], lengths[f][r] / avg, k1, b, 1) for r in refs}
                refs = sorted(sorted(refs, key=lambda r: (-impact[r], r))[:MAX_POSTINGS])
            row += [f, len(refs)]
            previous = 0
            for ref in refs:
                row += [ref - previous, tfs[ref]]
                previous = ref
        rows.append(row)
    starts, shards, size = [], [], SHARD_SIZE
    for i, row in enumerate(rows):
        if size >= SHARD_SIZE:
            starts.append(i)
            shards.append([])
            size = 0
        shards[-1].append(row)
        size += len(row) // 2
    groups = [[tokenize(member) for member in group] for group in synonyms]
    index = {
        "format": FORMAT,
        "fields": fields,
        "boosts": [FIELDS[f] for f in fields],
        "k1": builder._k1,
        "b": builder._b,
        "average": average,
        "terms": terms,
        "idf": idfs,
        "shards": starts,
        "lengths": lengths,
        "synonyms": [[m for m in g if m] for g in groups],
    }
    return index, shards


def _score(idf: float, tf: int, relative_length: float, k1: float, b: float, boost: float) -> float:
    """lunr's BM25 weight of a term in a field; the same expression, in the same order, in JS."""
    return idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * relative_length) + tf) * boost


def round3(x: float) -> float:
    """lunr rounds scores to 3 places; this way gives the same result in JavaScript."""
    return math.floor(x * 1000 + 0.5) / 1000


def rebuild(index: dict, rows: list[list[int]]) -> Index:
    """The lunr.py Index back from `export` (search-engine.js does the same with lunr.js)."""
    fields, boosts, average = index["fields"], index["boosts"], index["average"]
    k1, b, lengths = index["k1"], index["b"], index["lengths"]
    inverted: dict[str, dict] = {}
    vectors: dict[str, list[float]] = {}
    for i, (term, row) in enumerate(zip(index["terms"], rows, strict=True)):
        idf = index["idf"][i]
        entry: dict = {name: {} for name in fields}
        entry["_index"] = i
        pos = 0
        while pos < len(row):
            f, count = row[pos], row[pos + 1]
            name = fields[f]
            pos += 2
            ref = 0
            for _ in range(count):
                ref += row[pos]
                relative = lengths[f][ref] / average[f]
                score = round3(_score(idf, row[pos + 1], relative, k1, b, boosts[f]))
                entry[name][str(ref)] = {}
                vectors.setdefault(f"{name}/{ref}", []).extend((i, score))
                pos += 2
        inverted[term] = entry
    return Index(
        inverted_index=inverted,
        field_vectors={ref: Vector(elements) for ref, elements in vectors.items()},
        token_set=TokenSet.from_list(sorted(inverted)),
        fields=fields,
        pipeline=Pipeline(),
    )


def _strip_tags(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
