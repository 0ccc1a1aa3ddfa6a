"""A locale's search data after one page's documents changed, without folding it again.

An edit changes the postings of the terms of the page's old and new documents, every idf that
depends on their document frequencies, and the average field lengths; those move the best-of
cut (`index._best`) of any term in more than MAX_POSTINGS documents. The rows do not hold the
postings a cut left out, so `SearchState` keeps them, grouped by (term frequency, field length):
the weight of a posting depends on these two only, so choosing the best of a term costs one
weight per group, not one per posting. `update` gives the files a fresh `assemble` of the
edited locale gives, byte for byte, or None when that cannot be cheap (the page's number of
documents changed: every later document number moves).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from heapq import merge
from itertools import accumulate, chain, islice, repeat
from operator import add, itemgetter

from . import index as ix
from .index import PageDocs, Part, SearchData
from .read import TITLE

Pairs = dict[tuple[int, int], list[int]]  # (tf, field length) -> its documents, ascending


@dataclass(frozen=True)
class Cut:
    """The Pairs of a (term, field) past MAX_POSTINGS, flat: per pair (in order) its tf, field
    length and number of documents (`keys`, three ints a pair), then every pair's documents
    (`refs`); and, per pair, how much of it `index._best` keeps (`at`). A few arrays pickle
    at once, where a dict of an array per pair (hundreds a term) is slow to save and load."""

    keys: array[int]
    refs: array[int]
    chosen: bytes

    @classmethod
    def of(cls, pairs: Mapping[tuple[int, int], Sequence[int]], chosen: bytes) -> Cut:
        """Pairs (their documents in lists or arrays) made flat."""
        keys = array(
            "i", [n for (tf, length), refs in pairs.items() for n in (tf, length, len(refs))]
        )
        refs = array("i")
        for found in pairs.values():
            refs.extend(found)  # an array's at once
        return cls(keys, refs, chosen)

    def edited(
        self, gone: list[tuple[int, int]], came: list[tuple[int, int]], was: list[int],
        now: list[int],
    ) -> Postings:  # fmt: skip
        """`_edit` of these postings: a pair the edit leaves alone is copied as it is (its
        documents a span of `refs`); what is kept is chosen again (`at`) once the idf is known."""
        keys, refs = self.keys, self.refs
        pairs: dict[tuple[int, int], tuple[int, int] | list[int]] = {}
        pos = 0
        for i in range(0, len(keys), 3):
            pairs[(keys[i], keys[i + 1])] = (pos, pos + keys[i + 2])
            pos += keys[i + 2]

        def listed(key: tuple[int, int]) -> list[int]:
            found = pairs.get(key, [])
            return refs[found[0] : found[1]].tolist() if isinstance(found, tuple) else found

        for ref, tf in gone:
            key = (tf, was[ref])
            found = pairs[key] = listed(key)
            found.remove(ref)
            if not found:
                del pairs[key]
        for ref, tf in came:
            key = (tf, now[ref])
            found = pairs[key] = listed(key)
            insort(found, ref)
        after = {k: refs[v[0] : v[1]] if isinstance(v, tuple) else v for k, v in pairs.items()}
        if sum(map(len, after.values())) > ix.MAX_POSTINGS:
            return Cut.of(after, chosen=b"")
        every = sorted((ref, tf) for (tf, _), found in after.items() for ref in found)
        return [ref for ref, _ in every], [tf for _, tf in every]

    def at(self, idf: float, average: float) -> Cut:
        """These pairs with what `index._best` keeps of them at `idf` and `average` length: per pair
        2 all, 1 some (ties at the least weight kept: the earlier documents), 0 none."""
        keys = self.keys
        weights = ix.impacts(idf, keys[0::3], ix._norms(keys[1::3], average))
        least = ix.threshold(weights, keys[2::3])
        chosen = bytes(map(add, map(least.__lt__, weights), map(least.__le__, weights)))
        return self if chosen == self.chosen else Cut(keys, self.refs, chosen)

    def best(self) -> tuple[list[int], list[int]]:
        """The documents and tfs `index._best` keeps, in document order."""
        kept: list[tuple[int, int]] = []
        tied = []
        keys, refs, pos = self.keys, self.refs, 0
        for i, how in enumerate(self.chosen):
            tf, size = keys[3 * i], keys[3 * i + 2]
            if how == 2:
                kept += zip(refs[pos : pos + size], repeat(tf))
            elif how == 1:
                tied.append(zip(refs[pos : pos + size], repeat(tf)))
            pos += size
        kept += islice(merge(*tied), ix.MAX_POSTINGS - len(kept))
        kept.sort()
        return [ref for ref, _ in kept], [tf for _, tf in kept]


Postings = tuple[list[int], list[int]] | Cut  # a field's documents and tfs, or its Cut


@dataclass(frozen=True)
class SearchState:
    """What an update needs that SearchData does not hold.

    `lengths[f]`: each document's length in field f. `words`: `Part.words`. `cut`: for each
    (term, field) of more than MAX_POSTINGS postings, its postings and what `index._best`
    keeps of them at the current averages.
    """

    lengths: list[array[int]]  # an array pickles (and is copied) at once, not int by int
    words: dict[str, int]
    cut: dict[tuple[str, int], Cut]


def state_of(part: Part, data: SearchData) -> SearchState:
    """The state of a locale whose whole Part is `part` and whose data `assemble` made of it."""
    terms, average = data.index["terms"], data.index["average"]
    rows = list(chain.from_iterable(data.shards))
    cut = {}
    for f, postings in enumerate(part.postings):
        lengths = part.lengths[f]
        for term, (refs, tfs) in postings.items():
            if len(refs) > ix.MAX_POSTINGS:
                idf = rows[bisect_left(terms, term)][0]
                cut[(term, f)] = Cut.of(_group(refs, tfs, lengths), b"").at(idf, average[f])
    return SearchState([array("i", field) for field in part.lengths], dict(part.words), cut)


def update(
    data: SearchData,
    state: SearchState,
    page: int,
    old: PageDocs,
    new: PageDocs,
    wording: ix.Wording = ix.PLAIN,
    *,
    offline: bool = False,
) -> tuple[SearchData, SearchState, set[str]] | None:
    """The data and state after page number `page` (its row in `page_rows` order) went from
    `old` to `new`, and the names (as `SearchData.files(offline)` gives them) of the files that
    changed, came or went; None if the page's number of documents changed."""
    counts = data.index["counts"]
    n = len(old.docs)
    if len(new.docs) != n or not 0 <= page < len(counts) or counts[page] != n:
        return None
    base = sum(islice(counts, page))
    lengths = list(state.lengths)
    for f, before in enumerate(state.lengths):
        after = array("i", [doc.lengths[f] for doc in new.docs])
        if after != before[base : base + n]:
            lengths[f] = before[:base] + after + before[base + n :]
    count = len(lengths[0])
    average = ix.averages(lengths)

    terms, rows = list(data.index["terms"]), list(chain.from_iterable(data.shards))
    cut = dict(state.cut)
    made: dict[str, list | None] = {}  # term -> its new row, None if it has no postings left
    touched = set()  # the terms whose postings change: of the page, in a document that changed
    for term in sorted({t for doc in (*old.docs, *new.docs) for tfs in doc.counts for t in tfs}):
        edits = {}
        for f, (was, now) in enumerate(zip(state.lengths, lengths, strict=True)):
            gone = [(base + d, doc.counts[f].get(term, 0)) for d, doc in enumerate(old.docs)]
            came = [(base + d, doc.counts[f].get(term, 0)) for d, doc in enumerate(new.docs)]
            gone = [(ref, tf) for ref, tf in gone if tf]
            came = [(ref, tf) for ref, tf in came if tf]
            if gone != came or any(was[ref] != now[ref] for ref, _ in came):
                edits[f] = (gone, came)
        if not edits:
            continue
        touched.add(term)
        i = bisect_left(terms, term)
        row = rows[i] if i < len(terms) and terms[i] == term else [0.0]
        fields = _decode(row, term, state.cut)
        for f, (gone, came) in edits.items():
            edited = _edit(fields.get(f), base, n, gone, came, state.lengths[f], lengths[f])
            fields[f] = edited
            if not _size(edited):
                del fields[f]
        made[term] = _encode(term, fields, count, lengths, average, cut)
    for (term, f), entry in state.cut.items():  # the cut of the others moves too
        if term not in touched and average[f] != data.index["average"][f]:
            i = bisect_left(terms, term)
            if entry.at(rows[i][0], average[f]) is not entry:
                fields = _decode(rows[i], term, state.cut)
                made[term] = _encode(term, fields, count, lengths, average, cut)

    _apply(terms, rows, made)

    words = Counter(state.words)
    words.subtract(old.words)
    words.update(new.words)
    words = +words  # the words no title or heading has any more go
    titles = list(data.index["titles"])
    titles[page] = new.title_units
    starts, shards = ix.shard(terms, rows)
    index = {
        **data.index,
        **ix.header(average, terms, list(map(itemgetter(0), rows)), starts, wording),
        "titles": titles,
        "words": ix.vocabulary(words) if words != state.words else data.index["words"],
    }
    sections = _chunks(
        data.sections, ix.SECTION_CHUNK, base, [[d.anchor, d.heading] for d in new.docs]
    )
    texts = _chunks(data.texts, ix.TEXT_CHUNK, base, [d.text for d in new.docs])
    after = SearchData(index, shards, data.pages, data.all_pages, sections, texts, data.sources)

    names = _changed(data, after, offline)
    return after, SearchState(lengths, dict(words), cut), names


def _apply(terms: list[str], rows: list[list], made: dict[str, list | None]) -> None:
    """`made` into the sorted terms and their rows: a row replaced, added, or gone (None)."""
    for term in sorted(made, reverse=True):  # from the end: earlier positions stay put
        i = bisect_left(terms, term)
        found = i < len(terms) and terms[i] == term
        if made[term] is None:
            if found:
                del terms[i], rows[i]
        elif found:
            rows[i] = made[term]
        else:
            terms.insert(i, term)
            rows.insert(i, made[term])


def _changed(before: SearchData, after: SearchData, offline: bool) -> set[str]:
    """The files of `after` (`SearchData.files`) that are not those of `before`, or that went;
    only index.json and chunks of postings, sections and text can differ."""
    changed = {"index"} if after.index != before.index else set()
    for name, was, now in (
        ("postings", before.shards, after.shards),
        ("sections", before.sections, after.sections),
        ("text", before.texts, after.texts),
    ):
        for i in range(max(len(was), len(now))):
            if i >= len(was) or i >= len(now) or was[i] != now[i]:
                changed.add(f"{name}/{i}")
    return {f"{name}.{kind}" for name in changed for kind in ("json", "js")[: 1 + offline]}


def _group(refs: list[int], tfs: list[int], lengths: list[int]) -> Pairs:
    """A field's postings grouped by (tf, the document's length)."""
    pairs: Pairs = {}
    for tf, length, ref in zip(tfs, map(lengths.__getitem__, refs), refs, strict=True):
        have = pairs.get((tf, length))
        if have is None:
            pairs[(tf, length)] = [ref]
        else:
            have.append(ref)
    return pairs


def _decode(row: list, term: str, cut: dict[tuple[str, int], Cut]) -> dict[int, Postings]:
    """Every posting of a term per field: from its row, and from `cut` where the row holds only
    the best."""
    fields: dict[int, Postings] = {}
    pos = 1
    while pos < len(row):
        f, size = row[pos], row[pos + 1]
        pos += 2
        if f == len(ix.FIELDS):  # titles left out: `cut` has them
            pos += size
            continue
        if (term, f) in cut:
            fields[f] = cut[(term, f)]
        else:
            end = pos + 3 * size
            fields[f] = (list(accumulate(row[pos:end:3])), row[pos + 1 : end : 3])
        pos += 3 * size
    return fields


def _size(postings: Postings) -> int:
    if isinstance(postings, Cut):
        return len(postings.refs)
    return len(postings[0])


def _edit(
    postings: Postings | None,
    base: int,
    n: int,
    gone: list[tuple[int, int]],
    came: list[tuple[int, int]],
    was: list[int],
    now: list[int],
) -> Postings:
    """A field's postings with documents base..base+n-1 going from `gone` to `came` (document,
    tf), `was` and `now` the field's lengths before and after; a Cut past MAX_POSTINGS (what
    it keeps chosen by `_encode`)."""
    if postings is None:
        postings = ([], [])
    if isinstance(postings, Cut):
        return postings.edited(gone, came, was, now)
    refs, tfs = postings
    lo, hi = bisect_left(refs, base), bisect_left(refs, base + n)
    refs = [*refs[:lo], *(ref for ref, _ in came), *refs[hi:]]
    tfs = [*tfs[:lo], *(tf for _, tf in came), *tfs[hi:]]
    if len(refs) > ix.MAX_POSTINGS:
        return Cut.of(_group(refs, tfs, now), b"")
    return refs, tfs


def _encode(
    term: str,
    fields: dict[int, Postings],
    count: int,
    lengths: list[list[int]],
    average: list[float],
    cut: dict[tuple[str, int], Cut],
) -> list | None:
    """The term's row (`index.export`), its entries in `cut` made to match; None if it has no
    postings."""
    idf = ix.idf_of(sum(map(_size, fields.values())), count)
    kept: list[tuple[int, list[int], list[int]]] = []
    left_out: list[int] = []
    for f in range(len(lengths)):
        postings = fields.get(f)
        if isinstance(postings, Cut):
            entry = cut[(term, f)] = postings.at(idf, average[f])
            refs, tfs = entry.best()
            if f == TITLE:
                kept_refs = set(refs)
                left_out = [ref for ref in sorted(entry.refs) if ref not in kept_refs]
            kept.append((f, refs, tfs))
            continue
        cut.pop((term, f), None)
        if postings is not None:
            kept.append((f, *postings))
    return ix.encode(idf, kept, lengths, left_out) if kept else None


def _chunks(chunks: list[list], size: int, base: int, items: list) -> list[list]:
    """`chunks` of `size` items with items base.. replaced by `items`."""
    out = list(chunks)
    for k, item in enumerate(items, base):
        c, i = divmod(k, size)
        if out[c] is chunks[c]:
            out[c] = list(chunks[c])
        out[c][i] = item
    return out
