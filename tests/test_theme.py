"""Theme folders (site override first), static files, UI strings and their translations."""

import string
import tomllib
from pathlib import Path

import pytest

from helpgen.errors import HelpgenError
from helpgen.locales import is_rtl
from helpgen.theme import Theme, Translator, builtin_theme_dir

from .conftest import write_files

BUILTIN = builtin_theme_dir()
I18N = sorted((BUILTIN / "i18n").glob("*.toml"))


def read_toml(path: Path) -> dict[str, str]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


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
    assert set(strings) == set(en)
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


# --- the translator --------------------------------------------------------------------------
def test_translator_formats_and_falls_back_to_key():
    t = Translator({"count": "{n} articles", "by": "Powered by {name}", "plain": "Hi {n}"})
    assert t("count", n=3) == "3 articles"
    assert t("by", name="helpgen") == "Powered by helpgen"
    assert t("plain") == "Hi {n}"  # no kwargs: left as written
    assert t("no_such_key") == "no_such_key"
    assert t("no_such_key", n=1) == "no_such_key"


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
def test_translation_has_english_keys_and_placeholders(path):
    en = read_toml(BUILTIN / "i18n/en.toml")
    data = read_toml(path)
    assert set(data) == set(en), (set(en) - set(data), set(data) - set(en))
    for key, text in data.items():
        assert isinstance(text, str), key
        mine, english = placeholders(text), placeholders(en[key])
        if key.endswith("_one"):
            # the singular may spell the number out ("one article"), but never add a field
            assert mine <= english, (key, text)
        else:
            assert mine == english, (key, text)


@pytest.mark.parametrize("path", I18N, ids=lambda p: p.stem)
def test_translation_dir_matches_is_rtl(path):
    assert read_toml(path)["dir"] == ("rtl" if is_rtl(path.stem) else "ltr")


@pytest.mark.parametrize("path", I18N, ids=lambda p: p.stem)
def test_translation_strings_format_with_template_kwargs(path):
    t = Translator(read_toml(path))
    assert "42" in t("articles_count", n=42)
    assert "helpgen" in t("powered_by", name="helpgen")
    assert "2026-03-01" in t("updated_on", date="2026-03-01")
