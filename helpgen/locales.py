"""Language facts: direction, and a guess from the text's script for zero-config sites."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "iw", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"})
_PERSIAN_LETTERS = frozenset("پچژگکی")


def language_of(locale: str) -> str:
    """'zh-CN' -> 'zh'."""
    return locale.split("-")[0].lower()


def is_rtl(locale: str) -> bool:
    return language_of(locale) in RTL_LANGUAGES


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
