"""UI strings complete in every shipped locale; plurals, numbers and dates per CLDR.

Babel chooses here (helpgen/locales.py, Translator in helpgen/theme.py), Intl in the browser
(HelpgenI18n in static/js/search-ui.js). tests/i18n_vectors.json holds, per locale, the category,
the written number and the chosen strings for counts 0..200 and large ones; the same file is
checked in Python (regenerated and compared), in node and in headless Chromium. After an intended
change, regenerate it from the repo root with:  python -m tests.test_i18n --regenerate
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tomllib
import unicodedata
from functools import cache
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpgen.locales import (
    exact_categories,
    format_date,
    format_number,
    locale_tag,
    plural_categories,
    plural_category,
)
from helpgen.pipeline import compile, configure
from helpgen.theme import Theme, Translator, builtin_theme_dir, plural_base, translation_problems

from .conftest import html

REPO = Path(__file__).resolve().parent.parent
THEME = builtin_theme_dir()
I18N = sorted((THEME / "i18n").glob("*.toml"))
SEARCH_UI = THEME / "static" / "js" / "search-ui.js"
VECTORS_PATH = REPO / "tests" / "i18n_vectors.json"
NODE = "/usr/bin/node" if os.path.exists("/usr/bin/node") else shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

VECTOR_LOCALES = ("en", "he", "ar", "ar-EG", "fa", "ja", "zh-CN")
VECTOR_KEYS = ("articles_count", "search_results_count", "search_results_for")
LARGE = (1000, 1001, 1002, 1003, 1011, 1099, 1100, 10_000, 100_000, 1_000_000, 1_234_567)
VECTOR_NUMBERS = (*range(201), *LARGE, 10**9, 10**12)
QUERY = "refund"


def read_toml(path: Path) -> dict[str, str]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


ENGLISH = read_toml(THEME / "i18n" / "en.toml")


# ---- every string in every shipped locale ---------------------------------------------------


@pytest.mark.parametrize("path", I18N, ids=lambda p: p.stem)
def test_shipped_translation_is_complete(path):
    """Every English string, no other keys, only forms the language uses, English's fields."""
    assert translation_problems(ENGLISH, read_toml(path), path.stem) == []


def test_translation_problems_are_found():
    english = {"count": "{n} results for {query}", "home": "Home", "count_one": "{n} result"}
    he = {
        "count": "{n} תוצאות עבור {query}",
        "count_two": "שתי תוצאות עבור {query}",  # Hebrew "two" is only 2: may spell it out
        "count_many": "{n} תוצאות עבור {query}",  # CLDR dropped Hebrew "many"
        "count_one": "תוצאה אחת",  # lost {query}
        "extra": "?",
    }
    assert translation_problems(english, he, "he") == [
        "missing 'home'",
        "'count_many': he has no 'many' form (only one, two, other)",
        "'count_one': placeholders [], English has ['n', 'query']",
        "'extra': English has no 'extra'",
    ]
    # Persian "one" holds 0 and 1: the form must show the number
    fa = {"home": "خانه", "count": "{n} نتیجه برای {query}", "count_one": "یک نتیجه برای {query}"}
    assert translation_problems(english, fa, "fa") == [
        "'count_one': placeholders ['query'], English has ['n', 'query']"
    ]


def test_english_plural_forms_have_their_base():
    assert translation_problems(ENGLISH, ENGLISH, "en") == []
    assert {"articles_count_one", "search_results_count_one"} <= set(ENGLISH)


def test_cldr_categories_of_the_shipped_languages():
    """What the translations are written for (CLDR 42 dropped Hebrew "many")."""
    assert plural_categories("he") == ("one", "two", "other")
    assert plural_categories("ar") == ("zero", "one", "two", "few", "many", "other")
    assert plural_categories("fa") == plural_categories("en") == ("one", "other")
    assert plural_categories("ja") == plural_categories("zh-CN") == ("other",)
    assert exact_categories("he") == {"one", "two"} and exact_categories("fa") == set()
    assert exact_categories("ar") == {"zero", "one", "two"}


def used_keys() -> dict[str, set[str]]:
    """Literal keys the built-in templates pass to t() or t.forms(), and that search-ui.js reads."""
    call = re.compile(r"""\bt\(\s*['"](\w+)['"]\s*[,)]""")
    forms = re.compile(r"\bt\.forms\(([^)]*)\)")
    quoted = re.compile(r"""['"](\w+)['"]""")
    found: dict[str, set[str]] = {"templates": set(), "forms": set(), "script": set()}
    for path in sorted((THEME / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found["templates"] |= set(call.findall(text))
        for args in forms.findall(text):
            found["forms"] |= set(quoted.findall(args))
    script = SEARCH_UI.read_text(encoding="utf-8")
    found["script"] = set(re.findall(r"""\bstr\.(?:get|plural)\(\s*"(\w+)\"""", script))
    return found


def test_templates_and_scripts_use_only_english_keys():
    keys = used_keys()
    assert {"articles_count", "updated_on", "search_label"} <= keys["templates"]
    assert "search_results_for" in keys["forms"] and "search_results_for" in keys["script"]
    bases = {plural_base(k) for k in ENGLISH}
    for where, names in keys.items():
        assert names - bases == set(), f"{where} use keys en.toml lacks"
    # search-ui.js only reads strings the search form hands it
    assert keys["script"] <= keys["forms"]


# ---- Python: Babel --------------------------------------------------------------------------


@cache
def builtin_translator(locale: str) -> Translator:
    return Translator(Theme((THEME,)).strings(locale))


@settings(deadline=None)  # the first example loads CLDR data
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(VECTOR_LOCALES))
def test_a_count_is_shown_unless_its_form_names_it(n, locale):
    t = builtin_translator(locale)
    for key in VECTOR_KEYS:
        text = t(key, n=n, query=QUERY)
        assert "{" not in text
        assert (format_number(locale, n) in text) or (
            plural_category(locale, n) in exact_categories(locale)
        ), (key, n, text)


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_persian_digits_read_back(n):
    written = format_number("fa", n)
    assert all("\u06f0" <= ch <= "\u06f9" or ch == "\u066c" for ch in written), written
    assert int("".join(str(unicodedata.decimal(ch)) for ch in written if ch != "\u066c")) == n


def test_dates_per_locale():
    day = "2025-11-01"
    assert [
        format_date(code, day) for code in ("en", "he", "ar", "ar-EG", "fa", "ja", "zh-CN")
    ] == [
        "November 1, 2025",
        "1 בנובמבר 2025",
        "1 نوفمبر 2025",
        "١ نوفمبر ٢٠٢٥",
        "۱ نوامبر ۲۰۲۵",
        "2025年11月1日",
        "2025年11月1日",
    ]


# ---- the built demo -------------------------------------------------------------------------


def cards(doc) -> dict[str, str]:
    """Home page card link (its topic folder) -> count text."""
    out = {}
    for card in doc.select(".card"):
        link, count = card.select_one(".card-link"), card.select_one(".card-count")
        if link and count:
            out[link["href"].strip("./").rstrip("/")] = count.get_text(strip=True)
    return out


@pytest.fixture(scope="module")
def demo_model():
    """The demo's model: how many articles each topic card counts."""
    return compile(REPO, configure(REPO), jobs=2).site


def test_demo_counts_in_native_digits_and_plural_forms(demo_site, demo_model):
    he, fa = (cards(html(demo_site / code / "index.html")) for code in ("he", "fa"))
    assert fa and he

    def count(code: str, topic: str) -> int:
        return demo_model.locales[code].article_count(PurePosixPath(topic))

    for topic, text in fa.items():  # Persian digits only, reading back the count
        assert not re.search(r"[0-9]", text), text
        digits = "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())
        assert int(digits) == count("fa", topic), (topic, text)
    for topic, text in he.items():
        n = count("he", topic)
        assert text == {1: "מאמר אחד", 2: "שני מאמרים"}.get(n, f"{n} מאמרים"), topic


def test_demo_dates_formatted_in_html(demo_site):
    def dates(path: Path) -> dict[str, str]:
        return {t["datetime"]: t.get_text() for t in html(path).select("time[datetime]")}

    fa = dates(demo_site / "fa/orders/cancel-an-order/index.html")
    assert fa == {"2026-11-01": "۱ نوامبر ۲۰۲۶"}
    en = dates(demo_site / "en/whats-new/index.html")
    assert en and all(text == format_date("en", iso) for iso, text in en.items())
    assert "November 1, 2026" in en.values()
    zh = dates(demo_site / "zh-CN/whats-new/index.html")
    assert zh and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", text) for text in zh.values())


@pytest.mark.browser
def test_dates_stay_as_built_after_scripts_run(demo_site, serve_dir, page):
    """The browser keeps the build's dates: no script re-formats them (Chromium would put
    Persian dates into the Persian calendar and spell months differently from CLDR)."""
    base = serve_dir(demo_site)
    for path in ("fa/orders/cancel-an-order/", "en/whats-new/", "he/whats-new/"):
        built = {
            t["datetime"]: t.get_text()
            for t in html(demo_site / path / "index.html").select("time[datetime]")
        }
        page.goto(base + path)
        page.wait_for_load_state("load")
        shown = page.eval_on_selector_all(
            "time[datetime]", "els => els.map(e => [e.getAttribute('datetime'), e.textContent])"
        )
        assert built and dict(shown) == built, path
    assert page.errors == []


def test_counts_in_every_form(site):
    """Hebrew says two in words; Arabic in CLDR and Chromium writes Latin digits, Egyptian
    Arabic Arabic-Indic ones; Persian its own."""
    sizes = {"a-one": 1, "b-two": 2, "c-few": 3, "d-many": 11}
    files = {"helpgen.toml": 'locales = ["he", "ar", "ar-EG", "fa"]\n'}
    for code in ("he", "ar", "ar-EG", "fa"):
        for topic, n in sizes.items():
            for i in range(n):
                files[f"content/{code}/{topic}/page-{i}.md"] = f"# {topic} {i}\n\nText.\n"
    out, _ = site(files)
    got = {code: cards(html(out / code / "index.html")) for code in ("he", "ar", "ar-EG", "fa")}
    assert got == {
        "he": {"a-one": "מאמר אחד", "b-two": "שני מאמרים", "c-few": "3 מאמרים", "d-many": "11 מאמרים"},
        "ar": {"a-one": "مقالة واحدة", "b-two": "مقالتان", "c-few": "3 مقالات", "d-many": "11 مقالة"},
        "ar-EG": {"a-one": "مقالة واحدة", "b-two": "مقالتان", "c-few": "٣ مقالات", "d-many": "١١ مقالة"},
        "fa": {"a-one": "۱ مقاله", "b-two": "۲ مقاله", "c-few": "۳ مقاله", "d-many": "۱۱ مقاله"},
    }  # fmt: skip
    form = html(out / "ar-EG/index.html").select_one("form[data-i18n-locale]")
    assert form["data-i18n-locale"] == "ar-EG"
    assert json.loads(form["data-i18n"])["search_results_for_few"] == "{n} نتائج لـ«{query}»"


# ---- Python and JavaScript agree: the shared vectors ----------------------------------------


def build_vectors() -> dict:
    locales = []
    for code in VECTOR_LOCALES:
        t = builtin_translator(code)
        rows = [
            [
                n,
                plural_category(code, n),
                t.number(n),
                *(t(k, n=n, query=QUERY) for k in VECTOR_KEYS),
            ]
            for n in VECTOR_NUMBERS
        ]
        locales.append(
            {"locale": code, "tag": t.tag, "strings": t.forms(*VECTOR_KEYS), "cases": rows}
        )
    return {
        "about": (
            "Plural category, written count and chosen strings of helpgen/theme.py (Babel) and"
            " HelpgenI18n in themes/default/static/js/search-ui.js (Intl), which must agree."
            " Each case: [n, category, number, *keys filled with n and query]. Regenerate (repo"
            " root): python -m tests.test_i18n --regenerate"
        ),
        "keys": list(VECTOR_KEYS),
        "query": QUERY,
        "locales": locales,
    }


def dump(data: dict) -> str:
    """One case per line: reviewable diffs."""

    def js(x: object) -> str:
        return json.dumps(x, ensure_ascii=False)

    lines = ["{", f' "about": {js(data["about"])},', f' "keys": {js(data["keys"])},']
    lines += [f' "query": {js(data["query"])},', ' "locales": [']
    for i, loc in enumerate(data["locales"]):
        lines += ["  {", f'   "locale": {js(loc["locale"])}, "tag": {js(loc["tag"])},']
        lines += [f'   "strings": {js(loc["strings"])},', '   "cases": [']
        lines += [f"    {js(c)}," for c in loc["cases"][:-1]] + [f"    {js(loc['cases'][-1])}"]
        lines += ["   ]", "  }" + ("," if i < len(data["locales"]) - 1 else "")]
    return "\n".join([*lines, " ]", "}", ""])


def vectors() -> dict:
    return json.loads(VECTORS_PATH.read_text(encoding="utf-8"))


def test_vectors_file_is_current():
    fresh = build_vectors()
    assert vectors() == fresh, "run: python -m tests.test_i18n --regenerate"
    assert VECTORS_PATH.read_text(encoding="utf-8") == dump(fresh)
    # the cases cover every category of every language
    for loc in fresh["locales"]:
        assert {c[1] for c in loc["cases"]} == set(plural_categories(loc["locale"]))


JS_RUN_VECTORS = r"""
function runVectors(I, data) {
  return data.locales.map(L => L.cases.map(c => {
    const n = c[0];
    const fill = key => I.pick(L.strings, key, L.tag, n).replace(/\{(\w+)\}/g, (all, name) =>
      name === "n" ? I.number(L.tag, n) : name === "query" ? data.query : all);
    return [n, I.category(L.tag, n), I.number(L.tag, n)].concat(data.keys.map(fill));
  }));
}
"""


def js_mismatches(data: dict, got: list[list]) -> list[str]:
    bad = []
    for loc, cases in zip(data["locales"], got, strict=True):
        for want, have in zip(loc["cases"], cases, strict=True):
            if want != have:
                bad.append(f"{loc['locale']}: want {want}, got {have}")
    return bad


def run_node(data: dict) -> list[list]:
    assert NODE is not None
    script = (
        f"const I = require({json.dumps(str(SEARCH_UI))});\n{JS_RUN_VECTORS}\n"
        "let input = ''; process.stdin.setEncoding('utf8');\n"
        "process.stdin.on('data', c => { input += c; });\n"
        "process.stdin.on('end', () =>"
        " process.stdout.write(JSON.stringify(runVectors(I, JSON.parse(input)))));\n"
    )
    done = subprocess.run(
        [NODE, "-e", script],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@needs_node
def test_node_reproduces_every_vector():
    data = vectors()
    bad = js_mismatches(data, run_node(data))
    assert not bad, f"{len(bad)} cases differ:\n" + "\n".join(bad[:20])


@needs_node
def test_node_agrees_on_random_counts():
    """Beyond the stored vectors: counts up to 2**53 - 1, in every locale with strings."""
    rng = random.Random(10)
    numbers = [rng.randrange(10 ** rng.randint(1, 15)) for _ in range(300)] + [2**53 - 1]
    # not pl, es, sl...: Babel groups 1234 as "1 234" where CLDR (and Intl) keep it whole
    locales = [*VECTOR_LOCALES, "de", "pt-BR", "ru", "uk", "cy", "ga", "lt", "bn", "mr", "ckb"]
    data = {"keys": ["k"], "query": QUERY, "locales": []}
    for code in locales:
        strings = {"k": "{n} x", **{f"k_{c}": f"{c} {{n}}" for c in plural_categories(code)}}
        t = Translator(strings, code)
        cases = [[n, plural_category(code, n), t.number(n), t("k", n=n)] for n in numbers]
        data["locales"].append({"locale": code, "tag": t.tag, "strings": strings, "cases": cases})
    bad = js_mismatches(data, run_node(data))
    assert not bad, f"{len(bad)} cases differ:\n" + "\n".join(bad[:20])


@pytest.mark.browser
def test_browser_reproduces_every_vector(page):
    page.add_script_tag(path=str(SEARCH_UI))
    data = vectors()
    got = page.evaluate(
        "(data) => {" + JS_RUN_VECTORS + "return runVectors(window.HelpgenI18n, data); }", data
    )
    bad = js_mismatches(data, got)
    assert not bad, f"{len(bad)} cases differ:\n" + "\n".join(bad[:20])
    assert page.errors == []


def test_tags_are_what_intl_is_given():
    assert [locale_tag(c) for c in ("en", "he", "zh-CN", "ar-EG", "xx")] == [
        "en",
        "he",
        "zh-Hans-CN",
        "ar-EG",
        "en",
    ]


# ---- regeneration ---------------------------------------------------------------------------


def regenerate() -> None:
    data = build_vectors()
    VECTORS_PATH.write_text(dump(data), encoding="utf-8")
    print(f"{sum(len(loc['cases']) for loc in data['locales'])} cases -> {VECTORS_PATH}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        sys.exit("usage: python -m tests.test_i18n --regenerate")
