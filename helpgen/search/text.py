"""Text normalisation and tokenisation for search, identical to `search-text.js`.

The index is built in Python (lunr.py) and searched in the browser (lunr.js), so every step
here has a twin in `themes/default/static/js/search-text.js`; `tests/search_vectors.json`
proves that both give the same output for hundreds of inputs, in Python, node and Chromium.

    normalize(text)    NFKC, case fold, invisible marks and vowel points removed (ZWNJ kept,
                       once, between two Arabic-script letters), Arabic letters and digits
                       folded, apostrophes inside words removed
    words(normalized)  [(word, kind)]: kind is "cjk", "latin" ([a-z]+) or "other"
    terms(word, kind, language)
                       CJK bigrams (Chinese function-word pairs left out); English stop
                       words dropped, the rest stemmed with lunr.js's Porter stemmer; light
                       Persian or Arabic stemming; a Hebrew word and its stems
    tokenize(text, language)   all the terms of a text, in order
    shape_terms(text)  its stop words, once each, as terms no one types (" where", " my")

A word may give several terms: its own first, then other readings of it (its ZWNJ parts,
a Hebrew word without its prefix letters, a Persian word without a pronoun written joined).
The index holds them all; a query searches for the first and lets the others stand for it
(`heads`, `units`).

Hebrew, in any language: function words dropped; after the word itself, for each way to read
its first letters as prefixes (ו, ש or כש, ב ל מ or כ, ה, in that order; 3 letters left),
the rest without one noun or past-tense ending (ים ות תי תם נו ה י; 3 left), final letters
written plain.

Persian and Arabic, by `language` (the locale's primary language subtag):
- A word written with ZWNJ (رمز‌عبور) gives its stem first (the term its joined spelling
  رمزعبور would give, ZWNJ-aware: کتاب‌ها -> کتاب), then, if different, the stem of its
  joined spelling, then the terms of its parts (رمز, عبور; Persian affixes like ها می left
  out): so the joined, the ZWNJ and the split spellings all meet.
- "fa": Persian light stemming; after ZWNJ a plural (ها های هایی هایم ...), clitic (ی ای اش
  ام ات ایم اید اند مان تان شان) or comparative (تر تری ترین) part goes, and before it می
  or نمی; written joined, only a plural or ترین (3 letters left) and می/نمی before a verb
  ending م or د (3 letters left); a stem ending in a pronoun or ی (مان تان شان م ت ش ی, 3
  letters left) also gives itself without it. No Arabic article rule: it cuts Persian words
  (والدین).
- "ar": Arabic light stemming (after Larkey's light10): و (4 letters left), the article
  with و ب ک ف ل before it (وال بال کال فال لل ال, 2 left), then ها ات ون ین یه ه ی
  (ة is ه by then), each with 3 left (4 for ون ین: قانون, یقین stay whole).
- any other or unknown language: a word with a letter only Persian has (پ چ ژ گ) or ZWNJ is
  stemmed as Persian; any other only by what is right in both: a plural ها/های/هایی (3
  letters left) and the article (4 letters left, so والدین stays whole).
Stop words: Persian's for "fa", Arabic's for "ar", both for any other language (and
Hebrew's for all: no word of Hebrew script is Persian or Arabic).

Which characters make words (Unicode general category L, M or N) comes from a table pinned
to Unicode 14.0 (`UNICODE_TABLE`, the data of Python 3.11's `unicodedata`), not from the
running Python's or browser's own Unicode data: those differ between versions (Chromium
knows Unicode 17, Python 3.11 knows 14), and a character assigned in between would
otherwise make a word in one language and separate words in the other.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import chain

from .stemmer import stem

__all__ = [
    "ARABIC_STOP_WORDS",
    "ENGLISH_STOP_WORDS",
    "PERSIAN_STOP_WORDS",
    "SHAPE_MARK",
    "UNICODE_TABLE",
    "UNICODE_VERSION",
    "isStopWord",
    "is_stop_word",
    "normalize",
    "shape_terms",
    "stem",
    "terms",
    "tokenize",
    "units",
    "words",
]

ZWNJ = "\u200c"  # zero-width non-joiner: Persian writes many words in parts joined by it
UNICODE_VERSION = "14.0.0"
# Every run of code points whose general category starts with L, M or N in Unicode 14.0, as
# "<L|M|N><gap from the end of the previous run, base 36>.<length - 1, base 36>".
# Regenerate with `python -m tests.test_search_text --table` (same string in search-text.js).
UNICODE_TABLE = (
    "N1c.9L7.pL6.pL1b.0N7.1L1.0N3.0L0.0N1.2L1.mL1.uL1.cpL4.bLe.4L7.0L1.0Mh.33L0.4L1.1L2.3L1.0L6"
    ".0L1.2L1.0L1.jL1.2aL1.3uM1.6L0.4lL1.11L2.0L6.14M8.18M1.0M1.1M1.1M1.0L8.qL4.3Mt.aL5.16M0.kN"
    "0.9L4.1M0.0L0.2qL1.0M0.6M2.5L0.1M0.1M1.3L0.1N0.9L0.2L2.0Lg.0M0.0L0.tM0.qL2.2gM0.aL0.0Ne.9L"
    "0.wM0.8L0.1L4.0M2.0L2.lM0.3L0.0M0.8L0.0M0.2L0.0M0.4Li.oM0.2L4.aL5.nL1.5M9.7L0.15M0.nM1.wL0"
    ".1hM0.2L0.0M0.hL0.0M0.6L0.9M0.1N2.9L1.fM0.2L1.7L2.1L2.lL1.6L1.0L3.3M2.0L0.0M0.6M2.1M2.2L0."
    "0M8.0L4.1L1.2M0.1N2.9L0.1N2.5L2.0M1.0M2.2L1.5L4.1L2.lL1.6L1.1L1.1L1.1M2.0M1.4M4.1M2.2M3.0L"
    "7.3L1.0N7.9M0.1L0.2M0.0Mb.2L1.8L1.2L1.lL1.6L1.1L1.4M2.0L0.0M0.7M1.2M1.2L2.0Lf.1M0.1N2.9L9."
    "0M0.5M1.2L1.7L2.1L2.lL1.6L1.1L1.4M2.0L0.0M0.6M2.1M2.2M7.2L4.1L1.2M0.1N2.9L1.0N0.5Ma.0L0.0L"
    "1.5L3.2L1.3L3.1L1.0L1.1L3.1L3.2L3.bM4.4M3.2M1.3L2.0M6.0Ne.cMd.4L0.7L1.2L1.mL1.fM2.0L0.0M0."
    "6M1.2M1.3M7.1L1.2L2.0L2.1M0.1N2.9N8.6L1.0M0.2L1.7L1.2L1.mL1.9L1.4M2.0L0.0M0.6M1.2M1.3M7.1L"
    "6.1L1.1M0.1N2.9L1.1Md.3L0.8L1.2L1.14M0.1L0.0M0.6M1.2M1.3L0.0L5.2M0.0N0.6L0.2M0.1N2.iL1.5M1"
    ".2L1.hL3.nL1.8L1.0L2.6M3.0M4.5M1.0M1.7N6.9M2.1Ld.1bM0.0L0.1M0.6L5.6M0.7N1.9L13.1L1.0L1.4L1"
    ".nL1.0L1.9M0.0L0.1M0.8L0.0L2.4L1.0M1.5N2.9L2.3Lw.0Mn.1N6.jM1.0M1.0M1.0M4.1L0.7L1.zM4.jM1.1"
    "L0.4M0.aM1.zM9.0L1l.16M0.jL0.0N0.9L6.5M0.3L0.3M0.2L0.0M0.2L0.1M0.6L0.2M0.3L0.cM0.bL0.0M0.0"
    "N0.9M0.3L2.11L1.0L5.0L2.16L1.98L1.3L2.6L1.0L1.3L2.14L1.3L2.wL1.3L2.6L1.0L1.3L2.eL1.1kL1.3L"
    "2.1uM2.2N9.jL3.fLg.2dL2.5L3.h7L2.gL1.pL5.22N3.2L0.7L7.hM0.3L9.iM0.2Lb.hM0.1Lc.cL1.2M1.1Lc."
    "1fM0.vL3.0L4.0M0.0N2.9N6.9Mh.2M1.0N0.9L6.2gL7.4M0.1L0.xM0.0L0.0L5.1xLa.uM1.bM4.bNa.9L0.tL2"
    ".4Lb.17L4.pN6.aL11.mM0.4L4.1gM0.9M1.sM2.0N0.9N6.9Ld.0M8.uM1d.4L0.1aM0.gL0.7N3.9Mh.8Mc.2L0."
    "tM0.cL0.1N0.9L0.17M0.dLc.zM0.jN8.9L3.2N0.9L0.zL2.8L7.16L2.2Mg.2M1.kL0.3M0.0L0.5M0.0L0.1M0."
    "2L0.0L5.5bM0.1rL0.7pL2.5L2.11L2.5L2.7L1.0L1.0L1.0L1.uL2.1gL1.6L1.0L3.2L1.6L3.3L2.5L4.cL5.2"
    "L1.6N37.0L0.0N2.5L5.0N0.9L6.cM1f.wLh.0L4.0L2.9L1.0L3.4L6.0L1.0L1.0L1.3L1.aL2.3L5.4L4.0N1.1"
    "eL0.1N0.4Nk6.1nN26.lNhi.tLvg.6cL6.3M0.2L0.1N9.0L2.11L1.0L5.0L2.1jL7.0Mf.0L0.mL9.6L1.6L1.6L"
    "1.6L1.6L1.6L1.6L1.6M1.vL1b.0Ld1.1N0.0Np.8M0.5L1.4N2.2L0.1L4.2dM2.1L2.2L1.2hL1.3L5.16L1.2lN"
    "3.3La.vL1c.fNw.9Nu.7N1.eNw.9N13.eL8w.533L1s.h3gL1v.19L2.7gL3.fN0.9L0.1Lk.1aM0.3M1.9L1.uM0."
    "1L0.1xN0.9M0.1L11.8L2.2uL2.1rL5.1L1.0L1.4Lo.fM0.0L0.2M0.0L0.3M0.0L0.mM0.4M4.0N3.5La.1fMc.1"
    "L0.1dM0.hNa.9M6.hL0.5L3.0L1.1M0.0N0.9L0.rM0.7L2.mM0.cLc.sM3.3L0.1aM0.dLe.0N0.9L6.4M0.0L0.9"
    "N0.9L0.4L1.14M0.dL9.2M0.0L0.7M0.1N2.9L6.mL3.0M0.2L0.1dM0.0L0.0M0.2L0.1M0.1L0.4M0.1L0.0M0.0"
    "L0.0Lo.2L2.aM0.4L2.2M0.1La.5L2.5L2.5L9.6L1.6L1.16L1.dL6.36M0.7M1.1N2.9L6.8mbLc.mL4.1cL6is."
    "a5L2.2xL12.6Lc.4L5.0M0.0L0.9L1.cL1.4L1.0L1.1L1.1L1.2zLx.a2Li.1rL2.1hL14.bM4.fMg.fL1s.4L1.3"
    "qNj.9L7.pL6.pLb.2gL3.5L2.5L2.5L2.2Lz.bL1.pL1.iL1.1L1.eL2.dLy.3eNc.18Nc.1kNh.1M35.0L3m.sL3."
    "1cMf.0N0.qL4.vN0.3L9.jN0.0L0.7N0.0L5.11M0.4L5.tL2.zL4.7N1.4L16.4dN2.9L6.zL4.zL4.13L8.1fLc."
    "aL1.eL1.6L1.1L1.aL1.eL1.6L1.1L1v.8mL9.lLa.7Lo.5L1.15L1.8L1x.5L2.0L1.17L1.1L3.0L2.mN2.7L0.m"
    "N2.6L0.uN8.8L1c.iL1.1N5.4L0.lN0.5L4.pL1y.1jN4.1L0.1N0.fN2.19L0.0M0.2M1.1M5.3L0.3L1.2L1.sM2"
    ".2M4.0N0.8Ln.sN0.1L1.sN0.2Lw.7L1.rM0.1N4.4Lg.1hLa.lN2.7L0.iN5.7L0.hNn.6L28.20L1j.1eLd.1eN7"
    ".5L0.zM0.3N8.9N86.uL1.15M1.1L3.1L26.sN0.9L0.0L8.lM0.aN0.3Lr.hM0.3L16.kN0.6Lk.mM9.2L0.1gM0."
    "eNb.tM0.0L0.1M0.1L0.0M9.3L0.18M0.aM7.0Ld.oN7.9M6.2L0.zM0.dN1.9L4.0M0.1L0.0L8.yM0.0L2.0M9.2"
    "L0.1bM0.dL0.3M4.3M1.1N0.9L0.0L1.0N4.jLb.hL1.oM0.bM6.0L1t.6L1.0L1.3L1.eL1.9L7.1aM0.bN5.9M6."
    "3L1.7L2.1L2.lL1.6L1.1L1.4M1.1L0.0M0.6M2.1M2.2L2.0M6.0L5.4M0.1M2.6M3.4L3v.1gM0.hL0.3N5.9M4."
    "0L0.2Lu.1bM0.jL0.1L1.0N8.9L4m.1aM0.6M2.8Ln.3M0.1Ly.1bM0.gL3.0Nb.9L12.16M0.cL0.0N7.9L1i.qM2"
    ".eN4.bL4.6L55.17M0.eL2t.1rN0.iLc.7L2.0L2.7L1.1L1.nM0.5M1.1M2.3L0.0M0.0L0.0M0.1Nc.9L1y.7L2."
    "12M0.6M2.6L0.0L1.0M0.0Lr.0M0.9L0.13M0.6L0.0M0.3M8.0L8.0M0.aL0.19M0.fL3.0Li.20L7b.8L1.10M0."
    "7M1.7L0.0Nf.sL5.tM2.lM1.dL21.6L1.1L1.11M0.5M3.0M1.1M1.6L0.0M0.0N8.9L6.5L1.1L1.vM0.4M1.1M1."
    "4L0.0N7.9L8m.iM0.3L55.0Nf.kL17.plN2u.32Lh.5fL218.2oLf.tqL34h.g6L6nt.fsL7.uN1.9L6.26N1.9L6."
    "tM2.4Lb.1bM0.6L9.3Nc.9N1.6L1.kL5.iLj4.1rN0.mL2x.22M4.0L0.0M0.1iM7.3L0.cL1s.1L1.0M0.0Mb.1Le"
    ".4qfL8.ydL16.8L6w7.3L1.6L1.1L1.82L19.2Lh.3L8.azL1s4.2yL5.cL3.8L7.9M3.1M3mp.19M2.mMf2.4M3.5"
    "M8.7M2.6Mu.3M44.2N4b.jN30.oL3r.2cL1.1yL1.1L2.0L2.1L2.3L1.bL1.0L1.6L1.1sL1.3L2.7L1.6L1.rL1."
    "3L1.4L1.0L3.6L1.9fL2.oL1.oL1.uL1.oL1.uL1.oL1.uL1.oL1.uL1.oL1.7N2.1dMe8.1iM4.1dM8.0Me.0Mm.4"
    "M1.eLuo.uM69.6M1.gM2.6M1.1M1.4L5x.18M3.6L0.6N2.9L4.0L8x.tM0.0Lh.17M0.3N0.9Lyu.6L1.3L1.1L1."
    "eL1.5gN2.8M0.6L15.1vM0.6L0.0N4.9Nlz.1mN1.2N1.3N24.18N1.eL5e.3L1.qL1.1L1.0L2.0L1.9L1.3L1.0L"
    "1.0L6.0L4.0L1.0L1.0L1.2L1.1L1.0L2.0L1.0L1.0L1.0L1.0L1.1L1.0L2.3L1.6L1.3L1.3L1.0L1.9L1.gL5."
    "2L1.4L1.gNg4.cN25f.9Lsm.wynLw.37cL7.65L2.4g1Le.5rkL2e7.f1L15u.3t6Mfcmt.6n"
)


def _decode_table(table: str) -> dict[str, list[tuple[int, int]]]:
    """{"L"|"M"|"N": [(first, last code point)]} from `UNICODE_TABLE`."""
    ranges: dict[str, list[tuple[int, int]]] = {"L": [], "M": [], "N": []}
    nxt = 0
    for cls, gap, length in re.findall(r"([LMN])([0-9a-z]+)\.([0-9a-z]+)", table):
        first = nxt + int(gap, 36)
        nxt = first + int(length, 36) + 1
        ranges[cls].append((first, nxt - 1))
    return ranges


def _char(cp: int) -> str:
    """One character as a character class writes it."""
    return re.escape(chr(cp)) if chr(cp) in "\\]^-[" else chr(cp)


def _char_class(ranges: list[tuple[int, int]]) -> str:
    """A regular expression matching one character of the (first, last) ranges.

    Python's `re` compiles a class of BMP characters to a fast bitmap but checks a class with
    any astral character range by range: so BMP and astral ranges go in separate classes, the
    astral one tried only for astral characters. Characters are written as themselves (an
    escape only where the class needs one): `re` parses that twice as fast as \\U escapes.
    """
    merged: list[list[int]] = []
    for first, last in sorted(ranges):
        if merged and first == merged[-1][1] + 1:
            merged[-1][1] = last
        else:
            merged.append([first, last])
    bmp, astral = [], []
    for first, last in merged:
        if first <= 0xFFFF < last:
            bmp.append((first, 0xFFFF))
            astral.append((0x10000, last))
        else:
            (bmp if last <= 0xFFFF else astral).append((first, last))

    def cls(part: list[tuple[int, int]]) -> str:
        return "".join(_char(a) if a == b else f"{_char(a)}-{_char(b)}" for a, b in part)

    if not astral:
        return f"[{cls(bmp)}]"
    return f"(?:[{cls(bmp)}]|(?=[\\U00010000-\\U0010ffff])[{cls(astral)}])"


_RANGES = _decode_table(UNICODE_TABLE)
_LETTER = _char_class(_RANGES["L"])
_WORD_CHAR = _char_class(_RANGES["L"] + _RANGES["M"] + _RANGES["N"])
_MARK = re.compile(_char_class(_RANGES["M"]))

# A word: a run of letters, marks and digits; "." or "," between two ASCII digits stays inside,
# and ZWNJ (which `normalize` keeps only between two Arabic-script letters) too
# (search-text.js spells the same without a look-behind, for older Safari).
_WORD = re.compile(f"{_WORD_CHAR}+(?:(?:\u200c|(?<=[0-9])[.,](?=[0-9])){_WORD_CHAR}+)*")
# An apostrophe, quotation mark, Hebrew geresh or gershayim between two letters is dropped.
_QUOTES = "'\"\u2019\u05f3\u05f4"
_INNER_QUOTE = re.compile(f"(?<={_LETTER})[{_QUOTES}](?={_LETTER})")
_HAS_QUOTE = re.compile(f"[{_QUOTES}]")


def _fold_table() -> dict[int, str]:
    """What `normalize` maps, after NFKC and lower(): one character to '', or to letters."""
    removed = [
        0x00AD,  # soft hyphen
        0x061C,  # Arabic letter mark
        0x0640,  # tatweel
        0x0670,  # superscript alef
        0x05BF,
        0x05C1,
        0x05C2,
        0x05C4,
        0x05C5,
        0x05C7,  # Hebrew points
        0x200D,
        0x200E,
        0x200F,  # ZWJ, LRM, RLM (ZWNJ: see `normalize`)
        0x20E3,  # combining enclosing keycap (emoji 1️⃣ is 1 + U+FE0F + U+20E3)
        0xFEFF,  # byte order mark / zero width no-break space
    ]
    removed += range(0x064B, 0x0660)  # Arabic harakat
    removed += range(0x0591, 0x05BE)  # Hebrew cantillation and niqqud
    removed += range(0x202A, 0x202F)  # bidi embeddings and overrides
    removed += range(0x2066, 0x206A)  # bidi isolates
    removed += range(0xFE00, 0xFE10)  # variation selectors (emoji presentation, ...)
    removed += range(0xE0100, 0xE01F0)  # ideographic variation selectors
    table: dict[int, str] = dict.fromkeys(removed, "")
    table.update(
        {
            ord("ß"): "ss",
            ord("ς"): "σ",
            0x064A: "\u06cc",
            0x0649: "\u06cc",
            0x0626: "\u06cc",  # ي ى ئ -> ی
            0x0643: "\u06a9",  # ك -> ک
            0x0623: "\u0627",
            0x0625: "\u0627",
            0x0622: "\u0627",
            0x0671: "\u0627",  # أ إ آ ٱ -> ا
            0x0629: "\u0647",
            0x06C0: "\u0647",  # ة ۀ -> ه
            0x0624: "\u0648",  # ؤ -> و
            0x066B: ".",
            0x066C: ",",  # Arabic decimal and thousands separators: ١٣٫٥ = 13.5
        }
    )
    for digit in range(10):
        table[0x0660 + digit] = str(digit)  # Arabic-Indic digits
        table[0x06F0 + digit] = str(digit)  # Persian digits
    return table


FOLD = _fold_table()
_FOLDED = re.compile(_char_class([(cp, cp) for cp in FOLD]))
_ZWNJS = re.compile("\u200c+")
# A letter, mark or digit of the Arabic script blocks: ZWNJ between two of them is kept
_ARABIC_CHAR = re.compile(f"(?=[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff]){_WORD_CHAR}")


def _zwnj(match: re.Match[str]) -> str:
    """A run of ZWNJ: one ZWNJ between two Arabic-script letters (Persian writes a word's
    parts apart with it: کتاب‌ها), nothing elsewhere."""
    text, start, end = match.string, match.start(), match.end()
    inside = start > 0 and end < len(text)
    if inside and _ARABIC_CHAR.match(text[start - 1]) and _ARABIC_CHAR.match(text[end]):
        return "\u200c"
    return ""


def _fold(match: re.Match[str]) -> str:
    return FOLD[ord(match.group())]


def normalize(text: str) -> str:
    """NFKC, lower case, invisible and vowel marks out, Arabic script folded (see module doc).

    In order: NFKC; `lower()`; ß -> ss, ς -> σ; remove format characters (ZWJ, bidi
    marks, BOM, soft hyphen, variation selectors), Arabic harakat and tatweel, Hebrew niqqud
    and cantillation; fold Arabic letter variants to the Persian ones (ي ى ئ -> ی, ك -> ک,
    أ إ آ ٱ -> ا, ة ۀ -> ه, ؤ -> و), Arabic-Indic and Persian digits and the Arabic decimal
    and thousands separators (٫ ٬) to ASCII; i + U+0307 (what Turkish İ lowercases to) -> i;
    a run of ZWNJ -> one ZWNJ between two Arabic-script letters, nothing elsewhere;
    finally drop ' " ’ ׳ ״ between two letters (צה״ל = צהל).
    """
    if text.isascii():  # NFKC leaves ASCII as it is, and FOLD maps no ASCII character
        text = text.lower()
    else:
        text = _FOLDED.sub(_fold, unicodedata.normalize("NFKC", text).lower())
        if "i\u0307" in text:
            text = text.replace("i\u0307", "i")
        if "\u200c" in text:
            text = _ZWNJS.sub(_zwnj, text)
    if _HAS_QUOTE.search(text):
        text = _INNER_QUOTE.sub("", text)
    return text


def _is_cjk(cp: int) -> bool:
    """Han, Hiragana, Katakana and Hangul: the scripts searched by character bigrams."""
    return (
        0x3040 <= cp <= 0x30FF  # Hiragana, Katakana (with ー U+30FC)
        or 0x3400 <= cp <= 0x4DBF  # CJK Extension A
        or 0x4E00 <= cp <= 0x9FFF  # CJK Unified Ideographs
        or 0xAC00 <= cp <= 0xD7AF  # Hangul syllables
        or 0x20000 <= cp <= 0x3FFFF  # CJK Extensions B-H, compatibility supplement
        or 0xF900 <= cp <= 0xFAFF  # CJK compatibility ideographs
        or 0x1100 <= cp <= 0x11FF  # Hangul jamo
        or 0x3130 <= cp <= 0x318F  # Hangul compatibility jamo
        or 0x31F0 <= cp <= 0x31FF  # Katakana phonetic extensions
        or 0xA960 <= cp <= 0xA97F  # Hangul jamo extended A
        or 0xD7B0 <= cp <= 0xD7FF  # Hangul jamo extended B
        or 0xFF66 <= cp <= 0xFFDC  # halfwidth Katakana and Hangul (NFKC widens them anyway)
        or cp in (0x3005, 0x3006, 0x3007, 0x303B)  # 々 〆 〇 〻
    )


_LATIN = re.compile(r"[a-z]+")
_CJK_CHAR = re.compile(
    "[\u3005-\u3007\u303b\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\u1100-\u11ff\u3130-\u318f\u31f0-\u31ff\ua960-\ua97f\ud7b0-\ud7ff\uff66-\uffdc]"
    "|[\U00020000-\U0003ffff]"
)  # _is_cjk() as a pattern


@lru_cache(maxsize=200_000)
def _segments(word: str) -> tuple[tuple[str, str], ...]:
    """A word cut into CJK and other runs; a combining mark stays with the run before it."""
    if not _CJK_CHAR.search(word):
        return (_segment(word, False),)
    out: list[tuple[str, str]] = []
    start, run_cjk = 0, False
    for i, ch in enumerate(word):
        cjk = run_cjk if i and _MARK.match(ch) else _is_cjk(ord(ch))
        if i and cjk != run_cjk:
            out.append(_segment(word[start:i], run_cjk))
            start = i
        run_cjk = cjk
    if word:
        out.append(_segment(word[start:], run_cjk))
    return tuple(out)


def _segment(text: str, cjk: bool) -> tuple[str, str]:
    if cjk:
        return text, "cjk"
    return text, "latin" if _LATIN.fullmatch(text) else "other"


def words(text: str) -> list[tuple[str, str]]:
    """The (word, kind) pairs of normalized text, in order; kind is "cjk", "latin" or "other".

    A word is a run of letters, marks and digits (and "." between digits; "," between
    digits is dropped: 10,000 -> 10000), cut where it changes between CJK and other scripts.
    """
    out: list[tuple[str, str]] = []
    for word in _WORD.findall(text):
        out += _segments(word.replace(",", "") if "," in word else word)
    return out


# lunr.js 2.3.9's lunr.stopWordFilter, exactly.
ENGLISH_STOP_WORDS = frozenset(
    [
        "a",
        "able",
        "about",
        "across",
        "after",
        "all",
        "almost",
        "also",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "dear",
        "did",
        "do",
        "does",
        "either",
        "else",
        "ever",
        "every",
        "for",
        "from",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "her",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "least",
        "let",
        "like",
        "likely",
        "may",
        "me",
        "might",
        "most",
        "must",
        "my",
        "neither",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "often",
        "on",
        "only",
        "or",
        "other",
        "our",
        "own",
        "rather",
        "said",
        "say",
        "says",
        "she",
        "should",
        "since",
        "so",
        "some",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "tis",
        "to",
        "too",
        "twas",
        "us",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "yet",
        "you",
        "your",
    ]
)

# Function words, stored normalized (ي -> ی, ك -> ک, أ/إ/آ -> ا, ...).
PERSIAN_STOP_WORDS = frozenset(
    [
        "و",
        "در",
        "به",
        "از",
        "که",
        "این",
        "را",
        "با",
        "است",
        "برای",
        "ان",
        "یک",
        "تا",
        "هم",
        "بر",
        "یا",
        "اما",
        "اگر",
        "نیز",
        "می",
        "نمی",
        "هر",
        "همه",
        "خود",
        "ای",
        "اینکه",
        "چه",
        "ما",
        "من",
        "شما",
        "او",
        "انها",
        "وی",
        "بی",
        "ها",
        "های",
        "هایی",
        "تر",
        "ترین",
        "اش",  # clitics written apart (شده اید = شده‌اید)
        "ام",
        "ات",
        "ایم",
        "اید",
        "اند",
        # question words, and the light verbs (کردن, شدن, داشتن, توانستن, ...) of compounds
        "چطور",
        "چگونه",
        "کجا",
        "کی",
        "چرا",
        "چی",
        "چیست",
        "کدام",
        "چقدر",
        "چند",
        "ولی",
        "دیگر",
        "هست",
        "هستم",
        "هستید",
        "نیست",
        "بود",
        "باشد",
        "شد",
        "شده",
        "شود",
        "شدم",
        "کرد",
        "کرده",
        "کند",
        "کنم",
        "کنید",
        "کنیم",
        "کنند",
        "کردن",
        "کردم",
        "دارم",
        "دارد",
        "دارید",
        "باید",
        "توان",
        "توانم",
        "توانید",
        "خواهم",
        "خواهد",
    ]
)
ARABIC_STOP_WORDS = frozenset(
    [
        "فی",
        "من",
        "علی",
        "الی",
        "عن",
        "ان",
        "هذا",
        "هذه",
        "ذلک",
        "التی",
        "الذی",
        "الذین",
        "او",
        "ثم",
        "لا",
        "ما",
        "مع",
        "کان",
        "قد",
        "لم",
        "لن",
        "کل",
        "هو",
        "هی",
        "بین",
        "حتی",
        "اذا",
        "عند",
        "کما",
        "هل",
        "انه",
        "تلک",
        "بعد",
        "قبل",
        "غیر",
        "ای",
        "لکن",
        "لیس",
        "کانت",
    ]
)
# Hebrew function words: pronouns, prepositions, question words, conjunctions, modals
HEBREW_STOP_WORDS = frozenset(
    [
        "של",
        "את",
        "על",
        "עם",
        "אל",
        "מן",
        "עד",
        "כי",
        "אם",
        "או",
        "גם",
        "לא",
        "אין",
        "יש",
        "זה",
        "זאת",
        "זו",
        "הזה",
        "הזאת",
        "הוא",
        "היא",
        "הם",
        "הן",
        "אני",
        "אתה",
        "אנחנו",
        "אתם",
        "אתן",
        "שלי",
        "שלך",
        "שלו",
        "שלה",
        "שלנו",
        "שלכם",
        "שלהם",
        "לי",
        "לך",
        "לו",
        "לה",
        "לנו",
        "לכם",
        "להם",
        "אותו",
        "אותה",
        "אותם",
        "אותי",
        "אותך",
        "מה",
        "מי",
        "איך",
        "איפה",
        "מתי",
        "למה",
        "כמה",
        "אילו",
        "איזה",
        "איזו",
        "האם",
        "כל",
        "רק",
        "כבר",
        "עוד",
        "אבל",
        "אז",
        "כן",
        "היה",
        "היתה",
        "היו",
        "יהיה",
        "בין",
        "אחרי",
        "לפני",
        "כמו",
        "אשר",
        "אפשר",
        "צריך",
        "יכול",
        "יכולה",
    ]
)
_OTHER_STOP_WORDS = PERSIAN_STOP_WORDS | ARABIC_STOP_WORDS | HEBREW_STOP_WORDS
_STOP_WORDS = {
    "fa": PERSIAN_STOP_WORDS | HEBREW_STOP_WORDS,
    "ar": ARABIC_STOP_WORDS | HEBREW_STOP_WORDS,
    "": _OTHER_STOP_WORDS,
}


def is_stop_word(word: str) -> bool:
    """Whether a normalized word is an English (lunr.js), Persian, Arabic or Hebrew stop word."""
    return word in ENGLISH_STOP_WORDS or word in _OTHER_STOP_WORDS


isStopWord = is_stop_word  # the name search-text.js uses


SHAPE_MARK = " "  # what a shape term starts with: no typed word does


def shape_terms(text: str) -> list[str]:
    """The stop words of a text, once each, in order, as terms no one types (SHAPE_MARK
    before): the words that give a title or a query its shape as a question ("where", "my",
    איפה, שלי), which the index keeps for titles only and never scores."""
    found = (word for word, _ in words(normalize(text)) if is_stop_word(word))
    return [SHAPE_MARK + word for word in dict.fromkeys(found)]


def _rules(language: str) -> str:
    """Which Arabic-script rules a language gets: "fa", "ar", or "" (any other, unknown)."""
    primary = language.replace("_", "-").split("-")[0].lower()
    return primary if primary in ("fa", "ar") else ""


ARABIC_WORD = re.compile("[\u0600-\u06ff\u200c]+")  # a word of Arabic script
HEBREW_WORD = re.compile("[\u05d0-\u05ea]+")
# What Hebrew writes joined before a word: ו (and), ש or כש (that, when), ב ל מ כ (in, to,
# from, as), ה (the), in this order; and what ends a noun or a verb in the past: plurals ים
# ות, ה, construct י; I, you (plural), we: תי תם נו (קיבלתי and קיבלתם meet)
_HE_PREFIX = re.compile("ו?(?:כש|ש)?[בלמכ]?ה?")
_HE_SUFFIXES = ("ים", "ות", "תי", "תם", "נו", "ה", "י")
_HE_FINAL = str.maketrans("ךםןףץ", "כמנפצ")
_PERSIAN_ONLY = re.compile("[\u067e\u0686\u0698\u06af\u200c]")  # پ چ ژ گ, ZWNJ

# Persian: what ZWNJ sets apart (a verb prefix before it; plural, clitic, comparative after)
_FA_PREFIXES = frozenset(["می", "نمی"])
_FA_PLURALS = ("هایشان", "هایتان", "هایمان", "هایی", "هایم", "هایت", "هایش", "های", "ها")
_FA_CLITICS = ("ی", "ای", "اش", "ام", "ات", "ایم", "اید", "اند", "مان", "تان", "شان")
_FA_SUFFIXES = frozenset([*_FA_PLURALS, *_FA_CLITICS, "تر", "تری", "ترین"])
_FA_AFFIXES = _FA_PREFIXES | _FA_SUFFIXES
# Arabic: the definite article (with و ب ک ف ل before it) and light10's suffixes, in order
_AR_ARTICLES = ("وال", "بال", "کال", "فال", "لل", "ال")
# (suffix, letters left at least): ون ین end many whole nouns of three letters (قانون, یقین)
_AR_SUFFIXES = (("ها", 3), ("ات", 3), ("ون", 4), ("ین", 4), ("یه", 3), ("ه", 3), ("ی", 3))


def _persian_stem(word: str) -> str:
    """Persian light stemming of a word that may hold ZWNJ; the stem has none.

    After ZWNJ, a plural, clitic or comparative part goes (twice at most), and before it a
    verb prefix می/نمی. Written joined, only what is safe goes: a plural (ها های هایی ...)
    or ترین with 3 letters left, and می/نمی before a verb ending (م or د) with 3 left.
    """
    parts = word.split("\u200c")
    prefixed = len(parts) > 1 and parts[0] in _FA_PREFIXES and len("".join(parts[1:])) >= 2
    if prefixed:
        parts = parts[1:]
    suffixed = False
    for _ in range(2):
        if len(parts) > 1 and parts[-1] in _FA_SUFFIXES and len("".join(parts[:-1])) >= 2:
            parts, suffixed = parts[:-1], True
    stem = "".join(parts)
    if not prefixed and stem[-1:] in ("م", "د"):
        for prefix in ("نمی", "می"):
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 3:
                stem = stem[len(prefix) :]
                break
    if not suffixed:
        for suffix in (*_FA_PLURALS, "ترین"):
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                return stem[: -len(suffix)]
    return stem


def _arabic_stem(word: str) -> str:
    """Arabic light stemming (after Larkey's light10): و with 4 letters left; the article
    (وال بال کال فال لل ال) with 2 left; then each of ها ات ون ین یه ه ی with 3 left (4
    for ون ین)."""
    word = word.replace("\u200c", "")
    if word.startswith("و") and len(word) >= 5:
        word = word[1:]
    for article in _AR_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            word = word[len(article) :]
            break
    for suffix, left in _AR_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= left:
            word = word[: -len(suffix)]
    return word


def _shared_stem(word: str) -> str:
    """What is right in Persian and in Arabic alike: a plural ها/های/هایی with 3 letters
    left, and the article (وال بال کال فال لل ال) with 4 left (والدین keeps its وال)."""
    for article in _AR_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 4:
            word = word[len(article) :]
            break
    for plural in ("هایی", "های", "ها"):
        if word.endswith(plural) and len(word) - len(plural) >= 3:
            return word[: -len(plural)]
    return word


def _hebrew_terms(word: str) -> tuple[str, ...]:
    """A Hebrew word, then its stems: for each way to read its first letters as prefixes
    (3 letters left at least), the rest without one noun or past-tense ending, final letters
    (ך ם ן ף ץ) written plain. So הגיבוי, גיבוי and לגיבוי meet, and לקוחות meets הלקוח."""
    found = [word]
    for cut in range(len(word) - 2):
        if not _HE_PREFIX.fullmatch(word[:cut]):
            continue
        rest = word[cut:]
        for suffix in _HE_SUFFIXES:
            if rest.endswith(suffix) and len(rest) - len(suffix) >= 3:
                rest = rest[: -len(suffix)]
                break
        found.append(rest.translate(_HE_FINAL))
    return tuple(dict.fromkeys(found))


_FA_JOINED_CLITICS = ("مان", "تان", "شان", "م", "ت", "ش", "ی")


def _persian_terms(stem: str) -> tuple[str, ...]:
    """A Persian stem, then, if it ends in a pronoun or ی written joined (رمزم, حسابتان), the
    stem without it (3 letters left at least): a possible reading, not a certain one."""
    for clitic in _FA_JOINED_CLITICS:
        if stem.endswith(clitic) and len(stem) - len(clitic) >= 3:
            return (stem, stem[: -len(clitic)])
    return (stem,)


def _is_persian(word: str, rules: str) -> bool:
    """Whether a word of Arabic script gets the Persian rules."""
    return rules == "fa" or (not rules and _PERSIAN_ONLY.search(word) is not None)


def _stem(word: str, rules: str) -> str:
    """A word of Arabic script stemmed by the rules of its language (see `_terms`)."""
    if _is_persian(word, rules):
        return _persian_stem(word)
    if rules == "ar":
        return _arabic_stem(word)
    return _shared_stem(word.replace("\u200c", ""))


# Chinese function words as character pairs: question words, pronouns, "can", "how many"
CHINESE_STOP_PAIRS = frozenset(
    [
        "怎么",
        "怎样",
        "什么",
        "如何",
        "哪里",
        "哪儿",
        "在哪",
        "为什",
        "为何",
        "可以",
        "能否",
        "是否",
        "我的",
        "你的",
        "我们",
        "你们",
        "他们",
        "她们",
        "这个",
        "那个",
        "这些",
        "那些",
        "一个",
        "一下",
        "多少",
        "的话",
        "还是",
        "或者",
        "如果",
        "因为",
        "所以",
        "但是",
        "已经",
        "没有",
    ]
)


@lru_cache(maxsize=200_000)
def _terms(word: str, kind: str, rules: str) -> tuple[str, ...]:
    if kind == "cjk":
        if len(word) < 2:
            return (word,)
        pairs = (word[i : i + 2] for i in range(len(word) - 1))
        return tuple(p for p in pairs if p not in CHINESE_STOP_PAIRS)
    if kind == "latin":
        return () if word in ENGLISH_STOP_WORDS else (stem(word),)
    if "\u200c" in word:
        return _joined_terms(word, rules)
    stop = _STOP_WORDS[rules]
    if word in stop:
        return ()
    if ARABIC_WORD.fullmatch(word):
        persian = _is_persian(word, rules)
        word = _stem(word, rules)
        if word in stop:
            return ()
        return _persian_terms(word) if persian else (word,)
    if HEBREW_WORD.fullmatch(word):
        return _hebrew_terms(word)
    return (word,)


def _joined_terms(word: str, rules: str) -> tuple[str, ...]:
    """A word written with ZWNJ: its stem, the stem of its joined spelling, then the terms
    of its parts (a part that is a Persian affix left out); nothing if it is a stop word."""
    joined = word.replace("\u200c", "")
    stop = _STOP_WORDS[rules]
    if joined in stop:
        return ()
    first = _stem(word, rules) if ARABIC_WORD.fullmatch(word) else joined
    if first in stop:
        return ()
    found = [first, *_terms(joined, "other", rules)]
    for part in word.split("\u200c"):
        if part not in _FA_AFFIXES:
            found += _terms(part, _segment(part, False)[1], rules)
    return tuple(dict.fromkeys(found))


def terms(word: str, kind: str, language: str = "") -> list[str]:
    """The index terms of one (word, kind) from `words`: bigrams, a stem, or nothing.

    `language` is the locale's primary language subtag ("fa", "ar", "en", ...; "" unknown).
    A word written with ZWNJ gives its joined word's term first, then its parts' terms.
    """
    return list(_terms(word, kind, _rules(language)))


def heads(made: list[str], kind: str) -> list[str]:
    """Of a word's terms, those a query searches for as units: a word of other scripts with
    several terms (ZWNJ parts, Hebrew or Persian stems) is its first one, the others being
    spellings it also stands for; a CJK run is each of its character pairs."""
    return made[:1] if kind == "other" else made


def units(text: str, language: str = "") -> list[str]:
    """The terms a query of this text searches for as units (see `heads`)."""
    return [t for w, k in words(normalize(text)) for t in heads(terms(w, k, language), k)]


class _Remembered(dict[str, tuple[str, ...]]):
    """Word as found in a text -> its terms, worked out once (a site repeats its words);
    forgotten all at once past 200,000 words."""

    def __init__(self, rules: str) -> None:
        super().__init__()
        self.rules = rules

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) >= 200_000:
            self.clear()
        out: list[str] = []
        for segment, kind in _segments(word.replace(",", "") if "," in word else word):
            out += _terms(segment, kind, self.rules)
        found = self[word] = tuple(out)
        return found


_WORD_TERMS = {rules: _Remembered(rules) for rules in _STOP_WORDS}


def tokenize(text: str, language: str = "") -> list[str]:
    """All the terms of a text: `terms` of every word of `normalize(text)`, in order."""
    found = map(_WORD_TERMS[_rules(language)].__getitem__, _WORD.findall(normalize(text)))
    return list(chain.from_iterable(found))
