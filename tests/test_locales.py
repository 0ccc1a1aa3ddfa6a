"""Language facts: direction, and the language guessed from a folder's script."""

import pytest

from helpgen.locales import guess_language, is_rtl, language_of

HEBREW = "איך מבטלים הזמנה? פשוט מאוד: נכנסים לחשבון ולוחצים על ביטול."
PERSIAN = "چگونه سفارش خود را لغو کنم؟ پس از ورود به حساب، گزینه لغو را بزنید. ژاکت را پس بدهید."
ARABIC = "كيف يمكنني إلغاء طلبي؟ ادخل إلى حسابك ثم اضغط على زر الإلغاء في صفحة الطلبات."
CHINESE = "如何取消订单？登录您的账户，然后在订单页面点击取消按钮。"
JAPANESE = (
    "注文をキャンセルするには、アカウントにログインして注文ページの取消ボタンを押してください。"
)
KOREAN = "주문을 취소하려면 계정에 로그인한 다음 주문 페이지에서 취소 버튼을 누르세요."
ENGLISH = "How do I cancel an order? Sign in to your account and press Cancel on the order page."


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def test_samples_are_what_they_claim():
    assert not set("پچژگکی") & set(ARABIC)
    assert set("پچژگ") <= set(PERSIAN)
    assert not any("\u3040" <= ch <= "\u30ff" for ch in CHINESE)


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        ([HEBREW], "he"),
        ([PERSIAN], "fa"),
        ([ARABIC], "ar"),
        ([CHINESE], "zh"),
        ([JAPANESE], "ja"),
        ([KOREAN], "ko"),
        (["Как отменить заказ? Войдите в аккаунт."], "ru"),
        (["Πώς ακυρώνω μια παραγγελία;"], "el"),
        ([ENGLISH], None),
        (["Ça coûte 10 € — déjà payé, naïve façade."], None),
        (["", "123 456 -- !!"], None),
        ([], None),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_guess_language(texts, language):
    assert guess_language(texts) == language


def test_mostly_english_with_a_few_foreign_words_is_english():
    text = ENGLISH * 3 + " שלום עולם"  # a product name or a greeting in Hebrew
    assert letters(" שלום עולם") / letters(text) < 0.1
    assert guess_language([text]) is None
    assert guess_language([ENGLISH * 3, "注文"]) is None


def test_translation_keeping_english_names_is_hebrew():
    hebrew = "כדי לבטל הזמנה היכנסו לחשבון"
    english = "Open Acme Cloud and pick Settings"
    text = f"{english} {hebrew} {english}"
    share = letters(hebrew) / letters(text)
    assert 0.27 < share < 0.33, share
    assert guess_language([text]) == "he"


def test_guess_weighs_all_files_together():
    assert guess_language([ENGLISH, HEBREW, HEBREW]) == "he"
    assert guess_language([ENGLISH * 10, HEBREW]) is None


def test_japanese_written_mostly_in_kanji_is_still_japanese():
    text = "東京都新宿区西新宿二丁目八番一号東京都庁第一本庁舎の注文確認方法について"
    assert guess_language([text]) == "ja"
    assert guess_language([text.replace("の", "").replace("について", "")]) == "zh"


@pytest.mark.parametrize(
    ("locale", "rtl"),
    [
        ("he", True),
        ("fa", True),
        ("ar", True),
        ("ur", True),
        ("fa-IR", True),
        ("HE", True),
        ("en", False),
        ("zh-CN", False),
        ("ja", False),
        ("hu", False),
    ],
)
def test_is_rtl(locale, rtl):
    assert is_rtl(locale) is rtl


@pytest.mark.parametrize(
    ("locale", "language"),
    [("zh-CN", "zh"), ("pt-BR", "pt"), ("en", "en"), ("EN-gb", "en"), ("zh-Hant-TW", "zh")],
)
def test_language_of(locale, language):
    assert language_of(locale) == language
