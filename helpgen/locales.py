"""Language facts: direction, a guess from the text's script for zero-config sites, and CLDR
(through Babel) for plural categories, numbers and dates as the locale writes them.

The browser's twin is `HelpgenI18n` in static/js/search-ui.js (`Intl.PluralRules`,
`Intl.NumberFormat`); tests/i18n_vectors.json proves both agree. Change both together.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import cache

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
_PERSIAN_LETTERS = frozenset("پچژگکی")


def language_of(locale: str) -> str:
    """'zh-CN' -> 'zh'."""
    return locale.split("-")[0].lower()


def is_rtl(locale: str) -> bool:
    return language_of(locale) in RTL_LANGUAGES


# CLDR plural categories, in CLDR's order; "other" is every language's catch-all.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# The first digit of each decimal numbering system that CLDR makes some locale's default
# (Babel names the system, but ships no digits); each is a run of ten in Unicode.
_ZERO_DIGIT = {
    "latn": 0x30, "arab": 0x660, "arabext": 0x6F0, "deva": 0x966, "beng": 0x9E6,
    "tibt": 0xF20, "mymr": 0x1040, "olck": 0x1C50, "nkoo": 0x7C0, "mtei": 0xABF0,
    "cakm": 0x11136, "hmnp": 0x1E140, "adlm": 0x1E950,
}  # fmt: skip


@cache
def babel_locale(locale: str) -> BabelLocale:
    """CLDR's data for a locale code ("zh-CN", "pt_BR"): the exact locale, else its language,
    else English (the same fallback as the UI strings)."""
    for code in (locale.replace("_", "-"), language_of(locale), "en"):
        try:
            return BabelLocale.parse(code, sep="-")
        except (UnknownLocaleError, ValueError, TypeError):
            continue
    raise AssertionError("Babel has no English")  # pragma: no cover


def locale_tag(locale: str) -> str:
    """The BCP 47 tag CLDR resolved `locale` to ("zh-CN", "en"): what the browser's Intl is given,
    so it picks the same rules as Babel does here."""
    return str(babel_locale(locale)).replace("_", "-")


def plural_category(locale: str, n: float) -> str:
    """The CLDR plural category of `n` in `locale`: "one", "two", "few"... or "other"."""
    return babel_locale(locale).plural_form(n)


@cache
def plural_categories(locale: str) -> tuple[str, ...]:
    """The categories the locale's counts fall in, in CLDR's order (he: one, two, other)."""
    tags = babel_locale(locale).plural_form.tags
    return tuple(c for c in PLURAL_CATEGORIES if c in tags or c == "other")


@cache
def exact_categories(locale: str) -> frozenset[str]:
    """Categories only one whole number falls in (he: one is 1, two is 2): their forms may spell
    the number out ("שני מאמרים") instead of showing `{n}`."""
    seen: dict[str, set[int]] = {}
    for n in range(1001):  # CLDR integer rules repeat within every thousand
        seen.setdefault(plural_category(locale, n), set()).add(n)
    return frozenset(c for c, numbers in seen.items() if len(numbers) == 1)


def native_digits(locale: str, text: str) -> str:
    """ASCII digits in `text` written in the locale's default numbering system (Persian: ۰–۹)."""
    zero = _ZERO_DIGIT.get(babel_locale(locale).default_numbering_system, 0x30)
    if zero == 0x30:
        return text
    return text.translate({0x30 + i: zero + i for i in range(10)})


def format_number(locale: str, n: float) -> str:
    """`n` as the locale writes a count: its grouping, separators and digits ("۱٬۲۳۴" in fa).

    Babel has no CLDR minimumGroupingDigits: where it is 2 (pl, es, sl...) 1234 is written
    "1 234" here and "1234" by the browser's Intl."""
    loc = babel_locale(locale)
    return native_digits(locale, format_decimal(n, locale=loc, numbering_system="default"))


def format_date(locale: str, day: dt.date | str) -> str:
    """A day in the locale's long form ("November 1, 2025", "۱ نوامبر ۲۰۲۵"), Gregorian calendar;
    `day` may be an ISO date ("2025-11-01")."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    return native_digits(locale, babel_format_date(day, "long", locale=babel_locale(locale)))


def guess_language(texts: Iterable[str], sample: int = 20000) -> str | None:
    """The language a folder is written in, from its letters' scripts; None if mostly Latin.

    Only used when a site sets no language, so a plain folder of Hebrew or Chinese Markdown
    still gets the right direction, UI strings and search handling.
    """
    counts: Counter[str] = Counter()
    seen = 0
    persian = 0
    for text in texts:
        for ch in text:
            if not ch.isalpha():
                continue
            seen += 1
            if seen > sample:
                break
            script = _script(ch)
            counts[script] += 1
            if ch in _PERSIAN_LETTERS:
                persian += 1
        if seen > sample:
            break
    if not counts:
        return None
    # translations keep English product names and untranslated paragraphs: a quarter of the
    # letters in one non-Latin script is enough to call the folder that language
    foreign = [(n, script) for script, n in counts.items() if script not in ("latin", "other")]
    if not foreign:
        return None
    n, script = max(foreign)
    if script in ("cjk", "kana"):
        n = counts["cjk"] + counts["kana"]
    if n < 0.25 * seen:
        return None
    if script == "arabic":
        return "fa" if persian > 0.02 * n else "ar"
    if script in ("cjk", "kana"):
        return "ja" if counts["kana"] > 0.05 * n else "zh"
    return {"hebrew": "he", "hangul": "ko", "cyrillic": "ru", "greek": "el"}.get(script)


def _script(ch: str) -> str:
    o = ord(ch)
    if 0x0590 <= o <= 0x05FF or 0xFB1D <= o <= 0xFB4F:
        return "hebrew"
    if 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0xFB50 <= o <= 0xFEFF:
        return "arabic"
    if 0x3040 <= o <= 0x30FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF:
        return "cjk"
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
        return "hangul"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0x0370 <= o <= 0x03FF:
        return "greek"
    name = unicodedata.name(ch, "")
    return "latin" if "LATIN" in name else "other"
