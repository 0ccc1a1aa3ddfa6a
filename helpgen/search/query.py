"""Query planning and ranking. search-engine.js is its line-by-line twin: change both together.

A query becomes lunr clauses (exact term; the last word while typing, and long words of
lightly stemmed scripts, as their most frequent completions; one typo on longer words;
synonyms), lunr scores sections, and helpgen groups them by page: one result per article,
landing on its best section, each section weighed by the query's words it has and those its
article's sections have between them (`weighed`), and by whether the title is the query.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..outdir import tools_file
from .read import ALL_PAGES, SOURCES, expand_pages, phrase_term, rebuild, titled
from .text import ARABIC_WORD, SHAPE_MARK, ZWNJ, heads, normalize, shape_terms, stem, terms, words

EXACT_BOOST = 10
PREFIX_BOOST = 3
FUZZY_BOOST = 1
SYNONYM_BOOST = 4
FUZZY_MIN = 5  # letters before one typo is forgiven
PREFIX_MIN = 3  # shorter prefixes expand to too much of the vocabulary
# A word this long of a script stemmed lightly or not at all (Hebrew, Arabic, Persian,
# Cyrillic...: not Latin, not CJK) also stands for its completions, as the last word typed does:
# the endings no rule of ours takes off (suffixes, pronouns written joined) still meet.
COMPLETE_MIN = 4
PREFIX_TERMS = 5  # a prefix stands for its most frequent completions only
MAX_UNITS = 30  # a pasted paragraph is searched by its first 30 terms
MATCHED = 3  # a result matches half of the query's units (see need), or this many of more
FLOOR = 0.02  # and weighs at least a fiftieth of the best one (title factor aside)
WEAK = 5  # when none matches that many, the closest few that match the most
TOPIC = 0.5  # a topic the query does not name weighs half: the articles it lists answer better
# A title with the query's stop words too ("where", "my") has its shape as a question ("Where
# is my order?" for "where is my package"): it weighs up to this much more, by their share.
SHAPE = 0.6
# A title with some of the query's terms is partly about it: a page weighs up to this much more
# by the share of them its title has (the rest of the query may be answered in its text).
TITLED = 0.5


Best = tuple[float, int, int, float]  # a page's score, section, words matched, weight


@dataclass(frozen=True)
class Unit:
    """One thing the query asks for: a term, with how it may also match."""

    term: str
    word: str
    prefix: bool
    fuzzy: bool
    synonyms: tuple[str, ...]
    pair: bool = False  # one of the overlapping character pairs of a Han or kana run


@dataclass(frozen=True)
class Asked:
    """What a query asks of a title: its terms, each with the terms that stand for it, how
    many words were typed (stop words too), and its stop words as `shape_terms`."""

    terms: dict[str, tuple[str, ...]]
    words: int
    shape: tuple[str, ...] = ()


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
    weak: bool = False  # among the closest matches: no page matches enough of the query


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


def plan(query: str, live: bool, synonyms: list[list[list[str]]], language: str = "") -> list[Unit]:
    """The units of a query, in order. A word written joined by ZWNJ is one unit that its
    parts also stand for; two words of Arabic script side by side also stand for the word
    they make written together (Persian writes many compounds either way)."""
    found = words(normalize(query))
    open_end = live and bool(query) and not query[-1].isspace()
    units: list[Unit] = []
    query_terms: list[str] = []
    also: dict[int, list[str]] = {}  # unit -> the other spellings it stands for
    alone = -1  # the unit of the word before, if it made exactly one
    for i, (word, kind) in enumerate(found):
        last = open_end and i == len(found) - 1
        made = terms(word, kind, language)
        head = heads(made, kind)
        if len(head) < len(made):
            also[len(units)] = made[len(head) :]
            made = head
        if alone >= 0 and len(made) == 1 and _joinable(found[i - 1][0], word):
            joined = terms(found[i - 1][0] + ZWNJ + word, kind, language)[:1]
            for n in (alone, len(units)):
                also.setdefault(n, []).extend(joined)
        alone = len(units) if len(made) == 1 else -1
        for term in made:
            query_terms.append(term)
            units.append(
                Unit(
                    term,
                    word,
                    _completes(word, kind, last),
                    kind == "latin" and len(word) >= FUZZY_MIN,
                    (),
                    kind == "cjk" and len(word) > 2,
                )
            )
    if not units:  # only stop words ("how to"): search them anyway
        for word, kind in found:
            term = stem(word) if kind == "latin" else word.replace(ZWNJ, "")
            query_terms.append(term)
            units.append(Unit(term, word, False, False, ()))
    return [
        Unit(
            u.term,
            u.word,
            u.prefix,
            u.fuzzy,
            _unique([*also.get(n, ()), *_synonyms(u.term, query_terms, synonyms)], query_terms),
            u.pair,
        )
        for n, u in enumerate(units[:MAX_UNITS])
    ]


def shape_of(query: str, units: list[Unit]) -> tuple[str, ...]:
    """The query's `shape_terms`, unless it has no other words (it is then searched for its
    stop words themselves, and a title has no shape to weigh: "how to", or the "i" of "item"
    typed so far, fetches nothing for it)."""
    shape = shape_terms(query)
    return () if all(SHAPE_MARK + u.word in shape for u in units) else tuple(shape)


def _completes(word: str, kind: str, last: bool) -> bool:
    """Whether a word of the query also stands for its completions: the last one while typing,
    and a long enough one of a script stemmed lightly (see COMPLETE_MIN)."""
    if kind == "cjk":
        return False
    return (last and len(word) >= PREFIX_MIN) or (kind == "other" and len(word) >= COMPLETE_MIN)


def _joinable(first: str, second: str) -> bool:
    """Two words of Arabic script (a compound written apart)."""
    return bool(ARABIC_WORD.fullmatch(first) and ARABIC_WORD.fullmatch(second))


def _unique(found: list[str], query_terms: list[str]) -> tuple[str, ...]:
    """`found` in order, once each, without the query's own terms."""
    return tuple(t for t in dict.fromkeys(found) if t not in query_terms)


def _synonyms(term: str, query_terms: list[str], groups: list[list[list[str]]]) -> list[str]:
    """What the other members of every synonym group this term's member is in are indexed as
    (a member of several words: the phrase, `phrase_term`); for a member of several words
    typed in full, its phrase too."""
    out: list[str] = []
    for group in groups:
        typed = [m for m in group if term in m and all(t in query_terms for t in m)]
        if typed:
            out += [phrase_term(m) for m in typed if len(m) > 1]
            out += [phrase_term(m) for m in group if term not in m]
    return out


def _covered(unit: Unit, term: str) -> bool:
    """Does a matched index term stand for this unit of the query?"""
    if term == unit.term or term in unit.synonyms:
        return True
    if unit.prefix and term.startswith(unit.word):
        return True
    return unit.fuzzy and within_one_edit(term, unit.term)


class Searcher:
    """Searches one locale's built index exactly as the browser does."""

    def __init__(self, index: dict, rows: list[list], sections: list[list[str]],
                 pages: list[list], sources: list[str] | None = None) -> None:  # fmt: skip
        self.index = rebuild(index, rows)
        self.rows = rows
        self.fields = len(index["fields"])
        self.terms: list[str] = index["terms"]
        self.position = {term: i for i, term in enumerate(self.terms)}
        self.ranks: list[int] = index["ranks"]
        self.synonyms: list[list[list[str]]] = index["synonyms"]
        self.language: str = index.get("language", "")
        self.topics: int = index.get("topics", 0)  # the first pages are topics
        self.titles: list[int] = index["titles"]
        self.pages = pages
        self.section_page = [p for p, n in enumerate(index["counts"]) for _ in range(n)]
        self.first = [0, *accumulate(index["counts"][:-1])]  # each page's first document
        self.sections = sections
        self.sources = sources or [""] * len(self.pages)
        self._titled: dict[str, set[int]] = {}
        self._sorted: list[str] | None = None  # the vocabulary sorted, once completions need it

    @classmethod
    def from_folder(cls, folder: Path) -> Searcher:
        """A built site's locale search folder, read as the browser reads it. Source paths come
        from the tools data helpgen keeps beside the site (empty if it is not there)."""
        import json

        def load(path: Path) -> Any:
            return json.loads(path.read_text(encoding="utf-8"))

        def read(name: str, size: int | None = None, total: int = 0) -> Any:
            if size is None:
                return load(folder / f"{name}.json")
            return [item for i in range(0, total, size) for item in read(f"{name}/{i // size}")]

        index = read("index")
        chunks, total = index["chunks"], sum(index["counts"])
        rows = [row for i in range(len(index["shards"])) for row in read(f"postings/{i}")]
        sections = read("sections", chunks["sections"], total)
        pages = expand_pages(read(ALL_PAGES))
        sources = tools_file(folder, SOURCES)
        return cls(index, rows, sections, pages, load(sources) if sources else None)

    def title_factor(self, asked: Asked, page: int) -> float:
        """3 if the page's title is the query's terms, else 1 + TITLED times the share of them
        it has (1.5 if all). A term is in the title if it or a term it stands for (a reading, a
        synonym) is."""
        first = self.first[page]
        has = sum(
            any(first in self.titled_by(term) for term in spellings)
            for spellings in asked.terms.values()
        )
        if has == len(asked.terms) == self.titles[page]:
            return 3
        return 1 + TITLED * has / len(asked.terms)

    def titled_by(self, term: str) -> set[int]:
        """The documents whose title has the term (worked out once per term)."""
        if term not in self._titled:
            i = self.position.get(term)
            self._titled[term] = set() if i is None else titled(self.rows[i], self.fields)
        return self._titled[term]

    def placed(self, asked: Asked, page: int) -> float:
        """The page's title factor, times TOPIC for a topic the query does not name."""
        found = self.title_factor(asked, page)
        if page < self.topics and not (found == 3 and asked.words <= self.titles[page]):
            return found * TOPIC
        return found

    def factor(self, asked: Asked, page: int) -> float:
        """What the page's score is multiplied by: `placed`, and up to 1 + SHAPE for a title
        with the query's stop words."""
        found = self.placed(asked, page)
        if asked.shape:
            first = self.first[page]
            shared = sum(first in self.titled_by(term) for term in asked.shape)
            found *= 1 + SHAPE * shared / len(asked.shape)
        return found

    def strong(
        self, best: dict[int, Best], asked: Asked, need: int
    ) -> tuple[list[tuple[int, Best]], bool]:
        """The pages worth showing, best first, and whether they are only the closest ones.

        A topic whose title is the query leads; then by score, without the pages that match
        fewer than `need` of the query's words or weigh less than FLOOR of the heaviest (a weak
        partial match is noise beside a strong one). If no page matches `need` words, the
        WEAK pages that match the most words are the closest: a few, flagged, not a list.
        A list shorter than WEAK goes on with the pages left out whose title has one of the
        query's words, by score: a page titled with part of the question may answer it in
        words the query does not have."""
        if not best:
            return [], False
        top = max(weight for _, _, _, weight in best.values())
        most = max(found[2] for found in best.values())
        weak, least = most < need, min(need, most)
        heavy = [(page, found) for page, found in best.items() if found[3] >= top * FLOOR]
        kept = [item for item in heavy if item[1][2] >= least]
        kept.sort(key=lambda item: (not self.named(item[0], asked), -item[1][0], item[0]))
        if weak:
            return kept[:WEAK], True
        if len(kept) >= WEAK:
            return kept, False
        titled = [
            item for item in heavy if item[1][2] < least and self.title_factor(asked, item[0]) > 1
        ]
        titled.sort(key=lambda item: (-item[1][0], item[0]))
        return kept + titled[: WEAK - len(kept)], False

    def need(self, units: list[Unit]) -> int:
        """How many of the query's units a result must match: half, at most MATCHED. Of a Han
        or kana run's overlapping character pairs, only those the site has count (as typed or
        through a synonym): a pair across a word boundary (客服电话 -> 服电) is not something
        asked for. A query of nothing else the site has must match half of everything."""
        counted = sum(
            1
            for u in units
            if not u.pair or u.term in self.position or any(t in self.position for t in u.synonyms)
        )
        return min(((counted or len(units)) + 1) // 2, MATCHED)

    def named(self, page: int, asked: Asked) -> bool:
        """Whether the page is a topic the query names: its title is the query's terms, and
        the query has no more words than that (stop words too: "where is my order?" asks
        for an article, "orders" for the topic)."""
        return page < self.topics and self.placed(asked, page) == 3

    def completions(self, prefix: str) -> list[str]:
        """The PREFIX_TERMS most frequent terms starting with `prefix` (ties: index order).
        Terms with a prefix are a run of the sorted vocabulary."""
        if self._sorted is None:
            self._sorted = sorted(self.terms)
        found = []
        for i in range(bisect_left(self._sorted, prefix), len(self._sorted)):
            term = self._sorted[i]
            if not term.startswith(prefix):
                break
            if " " not in term:  # no phrases
                found.append(self.position[term])
        found.sort(key=lambda i: (-self.ranks[i], i))
        return [self.terms[i] for i in found[:PREFIX_TERMS]]

    def clauses(self, units: list[Unit]) -> list[tuple[str, float, int]]:
        """(term, boost, edit distance) of every clause, without repeats."""
        out: list[tuple[str, float, int]] = []

        def add(term: str, boost: float, edit: int = 0) -> None:
            if not any(c[0] == term and c[1] == boost and c[2] == edit for c in out):
                out.append((term, boost, edit))

        for unit in units:
            add(unit.term, EXACT_BOOST)
            if unit.prefix:
                for term in self.completions(unit.word):
                    if term != unit.term:  # searched as typed already
                        add(term, PREFIX_BOOST)
            if unit.fuzzy:
                add(unit.term, FUZZY_BOOST, 1)
            for term in unit.synonyms:
                add(term, SYNONYM_BOOST)
        return out

    def search(self, query: str, live: bool = False, limit: int = 10) -> list[Hit]:
        units = plan(query, live, self.synonyms, self.language)
        if not units:
            return []
        q = self.index.create_query()
        for term, boost, edit in self.clauses(units):
            q.term(term, boost=boost, edit_distance=edit, use_pipeline=False)
        asked = Asked(
            {u.term: (u.term, *u.synonyms) for u in units},
            len(words(normalize(query))),
            shape_of(query, units),
        )
        found: dict[int, list[tuple[float, int, int]]] = {}  # page -> (score, section, units)
        masks: dict[int, int] = {}  # page -> bit set of the units its sections match
        covers: dict[str, int] = {}  # matched term -> bit set of the units it covers
        for result in self.index.query(q):
            section, raw = int(result["ref"]), result["score"]
            page = self.section_page[section]
            own = 0
            for term in result["match_data"].metadata:
                if term not in covers:
                    covers[term] = sum(1 << i for i, u in enumerate(units) if _covered(u, term))
                own |= covers[term]
            masks[page] = masks.get(page, 0) | own
            found.setdefault(page, []).append((raw, section, own.bit_count()))
        best: dict[int, Best] = {}
        for page, sections in found.items():
            matched = masks[page].bit_count()
            weight, section = max(
                (weighed(raw, own, matched, len(units)), -section) for raw, section, own in sections
            )
            score = round6(weight * self.factor(asked, page))
            best[page] = (score, -section, matched, round6(weight))
        ranked, weak = self.strong(best, asked, self.need(units))
        hits = []
        for page, (score, section, _, _) in ranked[:limit]:
            url, title, crumbs = self.pages[page]
            anchor, heading = self.sections[section]
            hits.append(
                Hit(
                    url + (f"#{anchor}" if anchor else ""),
                    title,
                    self.sources[page],
                    score,
                    page,
                    section,
                    anchor,
                    heading,
                    crumbs,
                    weak,
                )
            )
        return hits


def weighed(raw: float, own: int, matched: int, units: int) -> float:
    """A section's lunr score weighed by how much of the query it answers: of the query's
    units, half by those it matches itself and half by those its page's sections match
    between them (an article may spread its answer over two sections; the one that has the
    words itself is where to land)."""
    coverage = (own + matched) / (2 * units)
    return raw * (0.3 + 0.7 * coverage * coverage)


def locale_folder(site: Path, locale: str | None) -> Path:
    """The search data folder of a built site's locale; a located error if there is none."""
    from ..errors import HelpgenError

    if (site / "search/index.json").is_file():  # a one-language site
        language = _site_language(site)
        if locale is None or locale.split("-")[0].lower() == language.split("-")[0].lower():
            return site / "search"
        raise HelpgenError.at(
            f"this site has one language, '{language}', not '{locale}'",
            site,
            hint=f"leave out --locale, or use --locale {language}",
        )
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


def _site_language(site: Path) -> str:
    """The language of a one-language site, from its home page's <html lang>."""
    home = site / "index.html"
    head = home.read_text(encoding="utf-8")[:500] if home.is_file() else ""
    match = re.search(r'<html[^>]*\slang="([^"]+)"', head)
    return match.group(1) if match else ""
