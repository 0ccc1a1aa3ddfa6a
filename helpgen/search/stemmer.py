"""The Porter stemmer exactly as lunr.js 2.3.9's `lunr.stemmer` (a line-by-line port).

lunr.py ships its own Porter stemmer, but it differs from lunr.js on some words (lunr.py
stems "pay" to "pai", lunr.js keeps "pay"). The browser searches with lunr.js, so the index
has to be stemmed the lunr.js way: this module mirrors `lunr.js` (2.3.9, lines 947-1150)
step by step, regular expression by regular expression, and the tests check it against
lunr.js itself on every English word of the corpora and of a dictionary.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["stem"]

_STEP2 = {
    "ational": "ate",
    "tional": "tion",
    "enci": "ence",
    "anci": "ance",
    "izer": "ize",
    "bli": "ble",
    "alli": "al",
    "entli": "ent",
    "eli": "e",
    "ousli": "ous",
    "ization": "ize",
    "ation": "ate",
    "ator": "ate",
    "alism": "al",
    "iveness": "ive",
    "fulness": "ful",
    "ousness": "ous",
    "aliti": "al",
    "iviti": "ive",
    "biliti": "ble",
    "logi": "log",
}

_STEP3 = {
    "icate": "ic",
    "ative": "",
    "alize": "al",
    "iciti": "ic",
    "ical": "ic",
    "ful": "",
    "ness": "",
}

_c = "[^aeiou]"  # consonant
_v = "[aeiouy]"  # vowel
_C = _c + "[^aeiouy]*"  # consonant sequence
_V = _v + "[aeiou]*"  # vowel sequence

_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)  # [C]VC... is m>0
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")  # [C]VC[V] is m=1
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)  # [C]VCVC... is m>1
_S_V = re.compile("^(" + _C + ")?" + _v)  # vowel in stem

_RE_1A = re.compile(r"^(.+?)(ss|i)es$")
_RE2_1A = re.compile(r"^(.+?)([^s])s$")
_RE_1B = re.compile(r"^(.+?)eed$")
_RE2_1B = re.compile(r"^(.+?)(ed|ing)$")
_RE2_1B_2 = re.compile(r"(at|bl|iz)$")
_RE3_1B_2 = re.compile(r"([^aeiouylsz])\1$")
_RE4_1B_2 = re.compile("^" + _C + _v + "[^aeiouwxy]$")
_RE_1C = re.compile(r"^(.+?[^aeiou])y$")
_RE_2 = re.compile(
    r"^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism"
    r"|iveness|fulness|ousness|aliti|iviti|biliti|logi)$"
)
_RE_3 = re.compile(r"^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$")
_RE_4 = re.compile(
    r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$"
)
_RE2_4 = re.compile(r"^(.+?)(s|t)(ion)$")
_RE_5 = re.compile(r"^(.+?)e$")
_RE_5_1 = re.compile(r"ll$")
_RE3_5 = re.compile("^" + _C + _v + "[^aeiouwxy]$")


def _search(pattern: re.Pattern[str], w: str) -> re.Match[str] | None:
    """JavaScript's `RegExp.prototype.test`/`exec` for these patterns.

    Python's `$` also matches before a final newline, JavaScript's does not: a word with a
    newline never reaches the stemmer (words are runs of letters), but guard it anyway.
    """
    return None if "\n" in w else pattern.search(w)


@lru_cache(maxsize=200_000)
def stem(w: str) -> str:
    """Stem one lowercase word exactly like lunr.js 2.3.9's `lunr.stemmer`."""
    if len(w) < 3:
        return w

    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]

    # Step 1a
    m = _search(_RE_1A, w) or _search(_RE2_1A, w)
    if m:
        w = m.group(1) + m.group(2)

    # Step 1b
    m = _search(_RE_1B, w)
    if m:
        if _search(_MGR0, m.group(1)):
            w = w[:-1]
    else:
        m = _search(_RE2_1B, w)
        if m:
            stem_ = m.group(1)
            if _search(_S_V, stem_):
                w = stem_
                if _search(_RE2_1B_2, w):
                    w = w + "e"
                elif _search(_RE3_1B_2, w):
                    w = w[:-1]
                elif _search(_RE4_1B_2, w):
                    w = w + "e"

    # Step 1c: a final y after a consonant (not the first letter) becomes i
    m = _search(_RE_1C, w)
    if m:
        w = m.group(1) + "i"

    # Step 2
    m = _search(_RE_2, w)
    if m and _search(_MGR0, m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]

    # Step 3
    m = _search(_RE_3, w)
    if m and _search(_MGR0, m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]

    # Step 4
    m = _search(_RE_4, w)
    if m:
        if _search(_MGR1, m.group(1)):
            w = m.group(1)
    else:
        m = _search(_RE2_4, w)
        if m:
            stem_ = m.group(1) + m.group(2)
            if _search(_MGR1, stem_):
                w = stem_

    # Step 5
    m = _search(_RE_5, w)
    if m:
        stem_ = m.group(1)
        if _search(_MGR1, stem_) or (_search(_MEQ1, stem_) and not _search(_RE3_5, stem_)):
            w = stem_

    if _search(_RE_5_1, w) and _search(_MGR1, w):
        w = w[:-1]

    # and turn initial Y back to y
    if firstch == "y":
        w = "y" + w[1:]

    return w
