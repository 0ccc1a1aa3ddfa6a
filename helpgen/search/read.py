"""A locale's built search data read back, for the CLI and `helpgen check` to search as the
browser does: lunr's Index rebuilt from the postings, the page rows, which documents a term is
in the title of. Kept apart from index.py (which makes the data) so that searching a built
site imports nothing of the build.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..outdir import TOOLS_PREFIX

if TYPE_CHECKING:
    from lunr.index import Index

TITLE = 0  # the title field: only a page's first document has it (page_docs)
ALL_PAGES = "pages/all"  # every page row of the locale, as `compact_pages` writes them
SOURCES = f"{TOOLS_PREFIX}sources.json"  # each page's source path, for `helpgen search`


def phrase_term(terms: Iterable[str]) -> str:
    """The term a phrase is indexed as."""
    return " ".join(terms)


def title_slug(title: str) -> str | None:
    """An ASCII title as a URL segment: "Cancel an order" -> "cancel-an-order/", the way
    search-engine.js (titleSlug) makes it; None for other titles."""
    if not title.isascii():
        return None
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + "/"


def expand_pages(compact: list[list]) -> list[list]:
    """[url, title, breadcrumb] of each page from `compact_pages` (search-engine.js: page)."""
    rows: list[list] = []
    for row in compact:
        if len(row) == 2:
            title, parent = row
            rest = title_slug(title)
        else:
            rest, title, parent = row
        if isinstance(parent, list):
            rows.append([rest, title, parent])
        elif parent < 0:
            rows.append([rest, title, []])
        else:
            url, above, crumbs = rows[parent]
            rows.append([url + rest, title, [*crumbs, above]])
    return rows


def _score(idf: float, tf: int, relative_length: float, k1: float, b: float, boost: float) -> float:
    """lunr's BM25 weight of a term in a field; the same expression, in the same order, in JS."""
    return idf * ((k1 + 1) * tf) / (k1 * (1 - b + b * relative_length) + tf) * boost


def round3(x: float) -> float:
    """lunr rounds scores to 3 places; this way gives the same result in JavaScript."""
    return math.floor(x * 1000 + 0.5) / 1000


def rebuild(index: dict, rows: list[list]) -> Index:
    """The lunr.py Index back from `export` (search-engine.js does the same with lunr.js).
    lunr.py is read here only: a build does not need it."""
    from lunr.index import Index
    from lunr.pipeline import Pipeline
    from lunr.token_set import TokenSet
    from lunr.vector import Vector

    fields, boosts, average = index["fields"], index["boosts"], index["average"]
    k1, b = index["k1"], index["b"]
    inverted: dict[str, dict] = {}
    vectors: dict[str, list[float]] = {}
    for i, (term, row) in enumerate(zip(index["terms"], rows, strict=True)):
        idf = row[0]
        entry: dict = {name: {} for name in fields}
        entry["_index"] = i
        pos = 1
        while pos < len(row):
            f, count = row[pos], row[pos + 1]
            pos += 2
            if f == len(fields):  # titles left out of the postings: not scored
                pos += count
                continue
            name = fields[f]
            ref = 0
            for _ in range(count):
                ref += row[pos]
                relative = row[pos + 2] / average[f]
                score = round3(_score(idf, row[pos + 1], relative, k1, b, boosts[f]))
                entry[name][str(ref)] = {}
                vectors.setdefault(f"{name}/{ref}", []).extend((i, score))
                pos += 3
        inverted[term] = entry
    return Index(
        inverted_index=inverted,
        field_vectors={ref: Vector(elements) for ref, elements in vectors.items()},
        token_set=TokenSet.from_list(sorted(inverted)),
        fields=fields,
        pipeline=Pipeline(),
    )


def titled(row: list, fields: int) -> set[int]:
    """The documents whose title has a row's term: those of its title postings and those
    left out of them (search-engine.js: titled)."""
    found: set[int] = set()
    pos = 1
    while pos < len(row):
        f, count = row[pos], row[pos + 1]
        pos += 2
        stride = 1 if f == fields else 3
        if f in (TITLE, fields):
            ref = 0
            for step in row[pos : pos + stride * count : stride]:
                ref += step
                found.add(ref)
        pos += stride * count
    return found
