"""Theme folders (site override first), static files, UI strings and their translations."""

import tomllib
from pathlib import Path

import pytest

from helpgen.errors import HelpgenError
from helpgen.locales import format_number, is_rtl
from helpgen.theme import Theme, Translator, builtin_theme_dir, plural_base

from .conftest import write_files

BUILTIN = builtin_theme_dir()
I18N = sorted((BUILTIN / "i18n").glob("*.toml"))


def read_toml(path: Path) -> dict[str, str]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# --- folders and files -----------------------------------------------------------------------
def test_builtin_theme_alone(tmp_path):
    theme = Theme.for_site(tmp_path)
    assert theme.dirs == (BUILTIN.resolve(),)
    assert (theme.dirs[0] / "templates" / "base.html").is_file()


def test_site_override_comes_first(tmp_path):
    write_files(tmp_path, {"themes/default/templates/article.html": "mine"})
    theme = Theme.for_site(tmp_path)
    assert theme.dirs == ((tmp_path / "themes/default").resolve(), BUILTIN.resolve())
    env = theme.environment()
    assert env.get_template("article.html").render() == "mine"
    assert Path(env.get_template("base.html").filename).parent == BUILTIN.resolve() / "templates"


def test_custom_theme_replaces_builtin(tmp_path):
    write_files(tmp_path, {"themes/mine/templates/base.html": "x"})
    # a named theme comes first; the built-in theme fills in every file it does not have
    dirs = Theme.for_site(tmp_path, "mine").dirs
    assert dirs[0] == (tmp_path / "themes/mine").resolve() and len(dirs) == 2


def test_missing_theme_is_an_error(tmp_path):
    with pytest.raises(HelpgenError, match="theme 'nope' not found"):
        Theme.for_site(tmp_path, "nope")


def test_missing_theme_is_located_at_config(tmp_path):
    with pytest.raises(HelpgenError) as exc:
        Theme.for_site(tmp_path, "nope")
    [problem] = exc.value.problems
    assert "theme 'nope' not found" in problem.message
    assert Path(problem.path).name == "helpgen.toml" and "themes/nope/" in problem.hint


def test_static_files_site_override_wins(tmp_path):
    builtin = Theme.for_site(tmp_path / "plain").static_files()
    assert builtin["css/helpgen.css"] == BUILTIN / "static/css/helpgen.css"
    write_files(
        tmp_path,
        {
            "themes/default/static/css/helpgen.css": "body{color:red}",
            "themes/default/static/img/logo.svg": "<svg/>",
            "themes/default/static/.DS_Store": "junk",
        },
    )
    files = Theme.for_site(tmp_path).static_files()
    assert files["css/helpgen.css"].read_text() == "body{color:red}"
    assert files["img/logo.svg"].parent == (tmp_path / "themes/default/static/img").resolve()
    assert files["js/helpgen.js"] == builtin["js/helpgen.js"]  # not overridden: built-in
    assert set(files) == set(builtin) | {"img/logo.svg"}


# --- strings ---------------------------------------------------------------------------------
def test_strings_fall_back_from_region_to_language_to_english(tmp_path):
    en = read_toml(BUILTIN / "i18n/en.toml")
    zh = read_toml(BUILTIN / "i18n/zh.toml")
    theme = Theme.for_site(tmp_path)
    strings = theme.strings("zh-CN")
    assert strings["home"] == zh["home"] != en["home"]
    assert {plural_base(k) for k in strings} == {plural_base(k) for k in en}
    # Chinese has one form per count: English's "{n} article" never leaks into it
    assert "articles_count_one" in en and "articles_count_one" not in strings
    assert strings.locale == "zh-CN"
    assert theme.strings("de") == en  # no German: English throughout


def test_strings_region_file_and_key_fallback(tmp_path):
    write_files(
        tmp_path,
        {
            "themes/default/i18n/zh-CN.toml": 'home = "主页"\n',
            "themes/default/i18n/en.toml": 'beta_banner = "Beta"\nhome = "Start"\n',
        },
    )
    theme = Theme.for_site(tmp_path)
    zh_cn = theme.strings("zh-CN")
    assert zh_cn["home"] == "主页"  # exact locale beats language
    assert zh_cn["search_button"] == read_toml(BUILTIN / "i18n/zh.toml")["search_button"]
    assert zh_cn["beta_banner"] == "Beta"  # key only in English
    en = theme.strings("en")
    assert en["home"] == "Start"  # site override beats built-in
    assert en["search_button"] == "Search"  # the rest of the built-in file still applies
    assert theme.strings("zh-TW")["home"] == read_toml(BUILTIN / "i18n/zh.toml")["home"]


def test_invalid_strings_file_is_located(tmp_path):
    write_files(tmp_path, {"themes/default/i18n/xx.toml": "home = \n"})
    with pytest.raises(HelpgenError) as exc:
        Theme.for_site(tmp_path).strings("xx")
    assert Path(exc.value.problems[0].path).name == "xx.toml"


def test_edited_strings_file_is_reread(tmp_path):
    override = write_files(tmp_path, {"themes/default/i18n/en.toml": 'home = "Before"\n'})
    assert Theme.for_site(override).strings("en")["home"] == "Before"
    (tmp_path / "themes/default/i18n/en.toml").write_text('home = "After"\n', encoding="utf-8")
    assert Theme.for_site(override).strings("en")["home"] == "After"


def test_plural_forms_come_from_one_language(tmp_path):
    """A site's German file with one form: 1 is "1 Artikel", never English's "1 article"."""
    write_files(
        tmp_path,
        {
            "themes/default/i18n/de.toml": 'articles_count = "{n} Artikel"\n',
            "themes/default/i18n/he.toml": 'articles_count_two = "זוג מאמרים"\n',
        },
    )
    theme = Theme.for_site(tmp_path)
    de = Translator(theme.strings("de"))
    assert [de("articles_count", n=n) for n in (1, 2)] == ["1 Artikel", "2 Artikel"]
    assert "articles_count_one" not in theme.strings("de")
    # within one language a site's file changes one form and keeps the theme's others
    he = Translator(theme.strings("he"))
    assert he("articles_count", n=2) == "זוג מאמרים"
    assert he("articles_count", n=1) == read_toml(BUILTIN / "i18n/he.toml")["articles_count_one"]
    assert he("articles_count", n=7) == "7 מאמרים"


def test_a_locale_without_strings_speaks_english_throughout(tmp_path):
    """Russian "one" holds 21: English strings under Russian rules would say "21 article"."""
    theme = Theme.for_site(tmp_path)
    assert theme.strings("ru").locale == "en"
    t = Translator(theme.strings("ru"))
    assert [t("articles_count", n=n) for n in (1, 21)] == ["1 article", "21 articles"]
    assert t.date("2025-11-01") == "November 1, 2025" and t.tag == "en"
    forms = 'articles_count = "{n} статей"\narticles_count_one = "{n} статья"\n'
    write_files(tmp_path, {"themes/default/i18n/ru.toml": forms})
    ru = Translator(Theme.for_site(tmp_path).strings("ru-RU"))
    assert [ru("articles_count", n=n) for n in (1, 21, 1000)] == [
        "1 статья",
        "21 статья",
        "1\xa0000 статей",
    ]
    assert ru.tag == "ru-RU" and ru("home") == "Home"  # a key it lacks is still English


# --- the translator --------------------------------------------------------------------------
def test_translator_formats_and_falls_back_to_key():
    t = Translator({"count": "{n} articles", "by": "Powered by {name}", "plain": "Hi {n}"})
    assert t("count", n=3) == "3 articles"
    assert t("by", name="helpgen") == "Powered by helpgen"
    assert t("plain") == "Hi {n}"  # no kwargs: left as written
    assert t("no_such_key") == "no_such_key"
    assert t("no_such_key", n=1) == "no_such_key"


def test_translator_picks_the_cldr_form_and_writes_native_digits():
    strings = {
        "c": "{n} مقالة",
        "c_zero": "لا توجد مقالات",
        "c_one": "مقالة واحدة",
        "c_two": "مقالتان",
        "c_few": "{n} مقالات",
    }
    ar = Translator(strings, "ar")
    got = [ar("c", n=n) for n in (0, 1, 2, 3, 10, 11, 100, 103, 1000)]
    assert got == [
        "لا توجد مقالات", "مقالة واحدة", "مقالتان", "3 مقالات", "10 مقالات",
        "11 مقالة", "100 مقالة", "103 مقالات", "1,000 مقالة",
    ]  # fmt: skip
    # Egyptian Arabic writes Arabic-Indic digits (CLDR's default for ar-EG, and Chromium's)
    assert Translator(strings, "ar-EG")("c", n=1234) == "١٬٢٣٤ مقالة"
    fa = Translator({"c": "{n} مقاله"}, "fa")
    assert fa("c", n=1234567) == "۱٬۲۳۴٬۵۶۷ مقاله"
    assert fa.number(0) == "۰" and fa.date("2025-11-01") == "۱ نوامبر ۲۰۲۵"
    assert Translator({}, "he").date("2025-11-01") == "1 בנובמבר 2025"
    assert Translator({}).date("2025-11-01") == "November 1, 2025"  # no locale: English


def test_translator_forms_and_tag():
    t = Translator(Theme.for_site(Path("/nonexistent")).strings("he"))
    assert t.tag == "he"
    forms = t.forms("articles_count", "home")
    assert set(forms) == {"articles_count", "articles_count_one", "articles_count_two", "home"}
    assert t.forms("no_such_key") == {"no_such_key": "no_such_key"}
    assert Translator({}, "zh-CN").tag == "zh-Hans-CN"  # what Babel resolved, for Intl
    assert Translator({}, "xx-YY").tag == "en"  # unknown to CLDR: English rules on both sides


@pytest.mark.parametrize("text", ["{missing} items", "{0} items", "{n items", "{n:zz}", "{n!q}"])
def test_translator_bad_placeholder_returns_text(text):
    assert Translator({"k": text})("k", n=2) == text


@pytest.mark.parametrize("text", ["{n.real_count} items", "{n[0]} items"])
def test_translator_attribute_or_index_placeholder_does_not_crash(text):
    assert Translator({"k": text})("k", n=2) == text


# --- the built-in translations ---------------------------------------------------------------
def test_builtin_translations_present():
    assert {p.stem for p in I18N} >= {"en", "he", "fa", "ar", "zh", "ja"}


@pytest.mark.parametrize("path", I18N, ids=lambda p: p.stem)
def test_translation_dir_matches_is_rtl(path):
    assert read_toml(path)["dir"] == ("rtl" if is_rtl(path.stem) else "ltr")


@pytest.mark.parametrize("path", I18N, ids=lambda p: p.stem)
def test_translation_strings_format_with_template_kwargs(path):
    t = Translator(read_toml(path), path.stem)
    assert format_number(path.stem, 42) in t("articles_count", n=42)
    assert "helpgen" in t("powered_by", name="helpgen")
    assert "2026-03-01" in t("updated_on", date="2026-03-01")
