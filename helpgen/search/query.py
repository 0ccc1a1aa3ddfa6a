"""Query planning and ranking. search-engine.js is its line-by-line twin: change both together.

A query becomes lunr clauses (exact term; the last word as a prefix while typing; one typo on
longer words; synonyms), lunr scores sections, and helpgen then prefers sections that match
every word and pages whose title is the query, and groups sections by page: one result per
article, landing on its best section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from lunr.query import Query

from .index import rebuild
from .text import normalize, stem, terms, tokenize, words

EXACT_BOOST = 10
PREFIX_BOOST = 3
FUZZY_BOOST = 1
SYNONYM_BOOST = 4
FUZZY_MIN = 5  # letters before one typo is forgiven
PREFIX_MIN = 3  # shorter prefixes expand to too much of the vocabulary


@dataclass(frozen=True)
class Unit:
    """One thing the query asks for: a term, with how it may also match."""

    term: str
    word: str
    prefix: bool
    fuzzy: bool
    synonyms: tuple[str, ...]


@dataclass
class Hit:
    url: str
    title: str
    source: str
    score: float
    page: int
    section: int
    anchor: str
    heading: str
    breadcrumb: list[str]


def round6(x: float) -> float:
    """Same rounding in Python and JavaScript (Math.floor(x * 1e6 + 0.5) / 1e6)."""
    return math.floor(x * 1e6 + 0.5) / 1e6


def within_one_edit(a: str, b: str) -> bool:
    """Levenshtein distance <= 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :] if la < lb else a[i + 1 :] == b[i:]


def plan(query: str, live: bool, synonyms: list[list[list[str]]]) -> list[Unit]:
    """The units of a query, in order."""
    found = words(normalize(query))
    open_end = live and bool(query) and not query[-1].isspace()
    units: list[Unit] = []
    query_terms: list[str] = []
    for i, (word, kind) in enumerate(found):
        last = open_end and i == len(found) - 1
        for term in terms(word, kind):
            query_terms.append(term)
            units.append(
                Unit(
                    term,
                    word,
                    last and kind != "cjk" and len(word) >= PREFIX_MIN,
                    kind == "latin" and len(word) >= FUZZY_MIN,
                    (),
                )
            )
    if not units:  # only stop words ("how to"): search them anyway
        for word, kind in found:
            term = stem(word) if kind == "latin" else word
            query_terms.append(term)
            units.append(Unit(term, word, False, False, ()))
    return [
        Unit(u.term, u.word, u.prefix, u.fuzzy, _synonyms(u.term, query_terms, synonyms))
        for u in units
    ]


def _synonyms(term: str, query_terms: list[str], groups: list[list[list[str]]]) -> tuple[str, ...]:
    """Terms of the other members of every synonym group this term's member is in."""
    out: list[str] = []
    for group in groups:
        hit = any(term in member and all(t in query_terms for t in member) for member in group)
        if hit:
            for member in group:
                if term not in member:
                    out += [t for t in member if t not in out and t not in query_terms]
    return tuple(out)


def _covered(unit: Unit, matched: set[str]) -> bool:
    if unit.term in matched or any(s in matched for s in unit.synonyms):
        return True
    if unit.prefix and any(m.startswith(unit.word) for m in matched):
        return True
    return unit.fuzzy and any(within_one_edit(m, unit.term) for m in matched)


class Searcher:
    """Searches one locale's built index exactly as the browser does."""

    def __init__(self, index: dict, docs: dict) -> None:
        self.index = rebuild(index)
        self.synonyms: list[list[list[str]]] = index["synonyms"]
        self.pages: list[list] = docs["pages"]
        self.sections: list[list] = docs["sections"]
        self._titles: dict[int, set[str]] = {}

    @classmethod
    def from_folder(cls, folder: Path) -> Searcher:
        import json

        def read(name: str) -> dict:
            return json.loads((folder / name).read_text(encoding="utf-8"))

        return cls(read("index.json"), read("docs.json"))

    def title_terms(self, page: int) -> set[str]:
        if page not in self._titles:
            self._titles[page] = set(tokenize(self.pages[page][1]))
        return self._titles[page]

    def search(self, query: str, live: bool = False, limit: int = 10) -> list[Hit]:
        units = plan(query, live, self.synonyms)
        if not units:
            return []
        q = self.index.create_query()
        seen: set[tuple[str, int, int]] = set()

        def clause(
            term: str, boost: float, wildcard: int = Query.WILDCARD_NONE, edit: int = 0
        ) -> None:
            if (term, wildcard, edit) not in seen:
                seen.add((term, wildcard, edit))
                q.term(term, boost=boost, wildcard=wildcard, edit_distance=edit, use_pipeline=False)

        for unit in units:
            clause(unit.term, EXACT_BOOST)
            if unit.prefix:
                clause(unit.word, PREFIX_BOOST, wildcard=Query.WILDCARD_TRAILING)
            if unit.fuzzy:
                clause(unit.term, FUZZY_BOOST, edit=1)
            for term in unit.synonyms:
                clause(term, SYNONYM_BOOST)
        wanted = {u.term for u in units}
        best: dict[int, tuple[float, int]] = {}
        for result in self.index.query(q):
            section = int(result["ref"])
            page = self.sections[section][0]
            matched = set(result["match_data"].metadata)
            coverage = sum(_covered(u, matched) for u in units) / len(units)
            score = result["score"] * (0.3 + 0.7 * coverage * coverage)
            title = self.title_terms(page)
            if wanted == title:
                score *= 3
            elif wanted <= title:
                score *= 1.5
            score = round6(score)
            if (
                page not in best
                or score > best[page][0]
                or (score == best[page][0] and section < best[page][1])
            ):
                best[page] = (score, section)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        hits = []
        for page, (score, section) in ranked:
            url, title, crumbs, source = self.pages[page]
            _, anchor, heading = self.sections[section]
            hits.append(
                Hit(
                    url + (f"#{anchor}" if anchor else ""),
                    title,
                    source,
                    score,
                    page,
                    section,
                    anchor,
                    heading,
                    crumbs,
                )
            )
        return hits


def locale_folder(site: Path, locale: str | None) -> Path:
    """The search data folder of a built site's locale; a located error if there is none."""
    from ..errors import HelpgenError

    if locale is None and (site / "search/index.json").is_file():
        return site / "search"
    found = sorted(p.parent.parent.name for p in site.glob("*/search/index.json"))
    if locale is None:
        if len(found) == 1:
            return site / found[0] / "search"
        if not found:
            raise HelpgenError.at(
                "no search index here",
                site,
                hint="build the site first (helpgen build), or pass --site",
            )
        raise HelpgenError.at(
            f"this site has several languages: {', '.join(found)}",
            site,
            hint=f"pick one with --locale, e.g. --locale {found[0]}",
        )
    folder = site / locale / "search"
    if not (folder / "index.json").is_file():
        raise HelpgenError.at(
            f"no search index for locale '{locale}'",
            site,
            hint=f"languages here: {', '.join(found) or 'none'}",
        )
    return folder
