"""Persian and Arabic search terms: ZWNJ spellings meet, light stemming, rules by language.

A query finds a document when the query's terms are among the document's (`tokenize` is the
index side, `terms` of each query word the query side); search_vectors.json and
test_search_text.py prove that search-text.js gives the same terms in node and Chromium.
"""

from __future__ import annotations

import pytest

from helpgen.search.text import normalize, terms, tokenize, words

Z = "\u200c"  # ZWNJ


def query_terms(query: str, language: str) -> list[str]:
    """The terms a query searches for (a word written with ZWNJ stands for its first term)."""
    return [t for w, k in words(normalize(query)) for t in terms(w, k, language)[:1]]


def finds(query: str, document: str, language: str) -> bool:
    found = query_terms(query, language)
    return bool(found) and set(found) <= set(tokenize(document, language))


@pytest.mark.parametrize("language", ["fa", "", "en"])
def test_joined_zwnj_and_split_spellings_meet(language):
    written = f"برای تغییر رمز{Z}عبور به تنظیمات بروید"
    assert finds("رمزعبور", written, language)  # joined query, ZWNJ document
    assert finds("رمز عبور", written, language)  # split query, ZWNJ document
    assert finds(f"رمز{Z}عبور", written, language)
    assert finds(f"رمز{Z}عبور", "رمزعبور را فراموش کردم", language)
    assert terms(f"رمز{Z}عبور", "other", language) == ["رمزعبور", "رمز", "عبور"]
    # the word the two split words make written together comes first, as the query code asks
    assert terms("رمز" + Z + "عبور", "other", language)[0] == terms("رمزعبور", "other", language)[0]


def test_doubled_and_stray_zwnj():
    assert normalize(f"کتاب{Z}{Z}{Z}ها") == normalize(f"کتاب{Z}ها") == f"کتاب{Z}ها"
    assert tokenize(f"کتاب{Z}{Z}ها", "fa") == tokenize("کتابها", "fa") == ["کتاب"]
    # kept only between two Arabic-script letters: nothing stray shows in snippets
    assert normalize(f"{Z}کتاب{Z} {Z}Tor{Z}ها ab{Z}cd 12{Z}کتاب") == "کتاب torها abcd 12کتاب"
    assert normalize(f"کتاب{Z}\u200dها") == normalize(f"کتاب\u200e{Z}ها") == f"کتاب{Z}ها"


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        ([f"سفارش{Z}ها", "سفارشها", f"سفارش{Z}های", "سفارشهای", f"سفارش{Z}هایی"], "سفارش"),
        ([f"کتاب{Z}هایشان", "کتابهایشان", "كتابهاي", "کتاب"], "کتاب"),
        ([f"می{Z}فرستم", "میفرستم", f"نمی{Z}فرستم", "نمیفرستم", "فرستم"], "فرستم"),
        ([f"بزرگ{Z}تر", f"بزرگ{Z}ترین", "بزرگترین", "بزرگ"], "بزرگ"),
        ([f"خانه{Z}ای", f"خانه{Z}اش", f"خانه{Z}ی", "خانه"], "خانه"),
        ([f"خریده{Z}اید", "خریده اید", "خریده"], "خریده"),
    ],
)
def test_persian_light_stemming(forms, stem):
    for form in forms:
        assert query_terms(form, "fa") == [stem], form


@pytest.mark.parametrize(
    "word",
    # short or whole words that look like they carry an affix
    ["میز", "میدان", "میلیون", "میزان", "تنها", "دفتر", "فیلتر", "بهترین", "کمتر", "والدین"],
)
def test_persian_words_that_only_look_affixed_stay_whole(word):
    assert tokenize(word, "fa") == [word]


def test_the_arabic_article_rule_is_not_persian():
    assert tokenize("والدین", "fa") == tokenize("والدین", "") == ["والدین"]
    assert tokenize("الکترونیکی", "fa")[0] == "الکترونیکی"
    assert not finds("دین", "والدین من", "fa")
    assert tokenize("والدين", "ar") == ["دین"]  # Arabic: "and the religion"


@pytest.mark.parametrize(
    ("forms", "stem"),
    [
        (["الكتاب", "والكتاب", "بالكتاب", "فالكتاب", "كالكتاب", "كتاب"], "کتاب"),
        (["كلمة", "الكلمة", "الكلمات", "كلمات", "وكلمة"], "کلم"),
        (["المستخدمين", "المستخدمون", "مستخدم", "ومستخدمين"], "مستخدم"),
        (["الحسابات", "حساباتها", "حساب"], "حساب"),
        (["العربية", "عربي", "العَرَبِيَّة"], "عرب"),
        (["للطالب", "طالب"], "طالب"),
    ],
)
def test_arabic_light_stemming(forms, stem):
    for form in forms:
        assert query_terms(form, "ar") == [stem], form


@pytest.mark.parametrize("word", ["وقت", "والد", "وزير", "مكان", "سنة", "ال", "قانون"])
def test_short_arabic_words_stay_whole(word):
    assert tokenize(word, "ar") == [normalize(word)]


def test_unknown_language_applies_what_is_right_in_both():
    # a Persian-only letter or ZWNJ: Persian rules; otherwise the article keeps 4 letters
    assert tokenize("گزارشها", "") == tokenize(f"گزارش{Z}ها", "")
    assert tokenize("گزارشها", "")[0] == "گزارش"
    assert tokenize("الكتاب العربية", "") == ["کتاب", "عربیه"]
    assert tokenize("والدین", "en") == tokenize("والدین", "ur") == ["والدین"]
    assert tokenize("والدین", "fa-IR") == tokenize("والدین", "FA") == ["والدین"]


def test_stop_words_follow_the_language():
    assert tokenize("في المدرسة", "ar") == ["مدرس"]
    assert tokenize("في", "fa") == ["فی"]  # not a Persian word
    assert tokenize("را که", "ar") == ["را", "که"]
    assert tokenize("را که في", "") == []
    assert terms(normalize(f"آن{Z}ها"), "other", "fa") == terms(f"این{Z}که", "other", "") == []


@pytest.mark.parametrize("language", ["fa", "ar", "", "en", "he", "zh"])
def test_latin_hebrew_and_cjk_do_not_depend_on_the_language(language):
    sample = "Paying for 退货政策 — שָׁלוֹם צה״ל, パスワード 10,000 v2.0"
    assert (
        tokenize(sample, language)
        == tokenize(sample)
        == [
            "pay",
            "退货",
            "货政",
            "政策",
            "שלום",
            "שלומ",
            "לומ",
            "צהל",
            "パス",
            "スワ",
            "ワー",
            "ード",
            "10000",
            "v2.0",
        ]
    )
