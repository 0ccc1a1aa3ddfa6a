import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpgen import config, frontmatter
from helpgen.config import CHANNEL_KINDS, Channel, Config, load_config, parse_config
from helpgen.errors import HelpgenError

REPO = Path(__file__).resolve().parent.parent
SOURCE = Path("/site/helpgen.toml")  # parse_config never touches the disk


def problems(text: str) -> list[tuple[int | None, str, str]]:
    """(line, code, message) of every problem in `text`, in the order found."""
    with pytest.raises(HelpgenError) as exc:
        parse_config(text, SOURCE)
    assert all(p.path == SOURCE for p in exc.value.problems)
    return [(p.line, p.code, p.message) for p in exc.value.problems]


def test_no_file_is_zero_config(tmp_path):
    assert load_config(tmp_path) == Config(root=tmp_path, broken_links="warn")
    config = load_config(tmp_path)
    assert config.locales == ("en",) and config.title == "Help Center"
    assert not config.language_set and not config.multilingual
    assert config.broken_links == "warn"  # someone else's folder: show the site, list the links


def test_config_fields():
    assert [f.name for f in dataclasses.fields(Config)] == [
        "root", "title", "locales", "multilingual", "language_set", "base_url", "offline",
        "theme", "synonyms", "contact_intro", "channels", "broken_links", "source",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Channel)] == ["name", "url", "description", "kind"]


def test_full_config(tmp_path):
    (tmp_path / "helpgen.toml").write_text(
        """
title = "Acme Help"
locales = ["en", "he", "zh-CN"]
base_url = "https://help.acme.test"
offline = true

[search]
synonyms = [["refund", "money back"]]

[contact]
intro = "Hi"

[[contact.channels]]
name = "Email"
url = "mailto:a@b.test"
kind = "email"

[[contact.channels]]
name = "Chat"
url = "https://chat.acme.test"
""",
        encoding="utf-8",
    )
    assert load_config(tmp_path) == Config(
        root=tmp_path,
        title="Acme Help",
        locales=("en", "he", "zh-CN"),
        multilingual=True,
        language_set=True,
        base_url="https://help.acme.test/",
        offline=True,
        synonyms=(("refund", "money back"),),
        contact_intro="Hi",
        channels=(
            Channel("Email", "mailto:a@b.test", "", "email"),
            Channel("Chat", "https://chat.acme.test", "", "link"),
        ),
        broken_links="error",
    )
    assert load_config(tmp_path).source == tmp_path / "helpgen.toml"


def test_unknown_key_is_located_with_suggestion():
    with pytest.raises(HelpgenError) as exc:
        parse_config('title = "x"\n\nlanguge = "fa"\n', SOURCE)
    [problem] = exc.value.problems
    assert (problem.line, problem.code) == (3, "config-unknown")
    assert problem.message == "unknown setting 'languge'"
    assert problem.hint == "did you mean 'language'?"


def test_wrong_types_all_reported():
    assert problems('title = 3\noffline = "yes"\n[contact]\nchannels = "x"\n') == [
        (1, "config-type", "'title' must be a string"),
        (2, "config-type", "'offline' must be true or false"),
        (4, "config-type", "'contact.channels' must be a list of [[contact.channels]] tables"),
    ]
    assert problems("search = 1\n") == [(1, "config-type", "'search' must be a table: [search]")]


WRONG = {str: "3", bool: '"yes"', list: '"x"'}  # a value of another type, by option.type


@pytest.mark.parametrize("option", config.OPTIONS, ids=lambda o: o.name)
def test_every_setting_rejects_a_wrong_type_at_its_line(option):
    table, _, key = option.name.rpartition(".")
    text = "# settings\n" + (f"[{table}]\n" if table else "") + f"{key} = {WRONG[option.type]}\n"
    assert problems(text) == [
        (text.count("\n"), "config-type", f"'{option.name}' must be {option.what}")
    ]


@pytest.mark.parametrize("option", config.CHANNEL_OPTIONS, ids=lambda o: o.name)
def test_every_channel_key_rejects_a_wrong_type_at_its_line(option):
    entry = {"name": '"Mail"', "url": '"mailto:a@b.test"', option.name: WRONG[option.type]}
    text = "[[contact.channels]]\n" + "".join(f"{k} = {v}\n" for k, v in entry.items())
    line = 2 + list(entry).index(option.name)
    name = f"contact.channels.{option.name}"
    assert problems(text) == [(line, "config-type", f"'{name}' must be {option.what}")]


def test_feedback_and_other_unused_keys_are_rejected():
    assert problems('title = "x"\n\n[feedback]\nendpoint = "https://x.test"\n') == [
        (3, "config-unknown", "unknown setting 'feedback'")
    ]
    assert problems('feedback.endpoint = "https://x.test"\n') == [
        (1, "config-unknown", "unknown setting 'feedback'")
    ]
    with pytest.raises(HelpgenError) as exc:
        parse_config("[feedback]\n", SOURCE)
    assert exc.value.problems[0].hint == (
        "known settings: base_url, broken_links, contact, language, locales, offline, search,"
        " theme, title"
    )


def test_unknown_key_in_table():
    with pytest.raises(HelpgenError) as exc:
        parse_config("[search]\nsynonym = []\n", SOURCE)
    [problem] = exc.value.problems
    assert (problem.line, problem.code, problem.message) == (
        2,
        "config-unknown",
        "unknown setting 'search.synonym'",
    )
    assert problem.hint == "did you mean 'synonyms'?"


def test_invalid_toml_is_located(tmp_path):
    (tmp_path / "helpgen.toml").write_text('title = "x"\nlocales = [en]\n', encoding="utf-8")
    with pytest.raises(HelpgenError) as exc:
        load_config(tmp_path)
    [problem] = exc.value.problems
    assert (problem.line, problem.code) == (2, "config-toml")
    assert str(problem).startswith(f"{tmp_path / 'helpgen.toml'}:2: invalid TOML")


def test_bad_locale_and_both_language_settings():
    assert problems('language = "en"\nlocales = ["en", "English"]\n') == [
        (2, "config-value", "'locales' must be language codes, not \"English\""),
        (
            2,
            "config-value",
            "set either 'language' (one language) or 'locales' (several), not both",
        ),
    ]
    assert problems('language = "English"\n') == [
        (1, "config-value", "'language' must be a language code, not \"English\"")
    ]
    assert problems('locales = ["en", "he", "en"]\n') == [
        (1, "config-value", "'locales' lists \"en\" twice")
    ]
    assert problems("locales = []\n") == [(1, "config-value", "'locales' is empty")]


def test_values_are_checked():
    assert problems('base_url = "help.example.com"\nbroken_links = "ignore"\n') == [
        (1, "config-value", "'base_url' must start with http:// or https://"),
        (2, "config-value", '\'broken_links\' must be "error" or "warn", not "ignore"'),
    ]
    assert problems('[search]\nsynonyms = [["refund"]]\n') == [
        (2, "config-type", "'search.synonyms' must be a list of groups of two or more words")
    ]


def test_channel_errors_are_located_in_their_entry():
    text = """\
[contact]
intro = "Hi"

[[contact.channels]]
name = "Mail"
url = "mailto:a@b.test"
kind = "email"

[[contact.channels]]
name = "Chat"
kind = "pigeon"
colour = "red"
"""
    assert problems(text) == [
        (
            11,
            "config-value",
            '\'contact.channels.kind\' must be "email", "chat", "phone", "form" or "link",'
            ' not "pigeon"',
        ),
        (12, "config-unknown", "unknown setting 'contact.channels.colour'"),
        (9, "config-value", "[[contact.channels]] #2 needs 'url'"),
    ]


def test_missing_explicit_config(tmp_path):
    with pytest.raises(HelpgenError, match="configuration file not found") as exc:
        load_config(tmp_path, tmp_path / "other.toml")
    assert exc.value.problems[0].code == "config-missing"


# --- properties -------------------------------------------------------------------------------

BASE = [
    'title = "Acme"',
    "",
    "[search]",
    'synonyms = [["a", "b"]]',
    "",
    "[contact]",
    'intro = "Hi"',
    "",
    "[[contact.channels]]",
    'name = "Mail"',
    'url = "mailto:a@b.test"',
    "",
    "[[contact.channels]]",
    'name = "Chat"',
    'url = "https://chat.test"',
]
# where a new key can go in BASE: (index to insert at, its table, the keys known there)
TOP = ("title", "language", "locales", "base_url", "offline", "broken_links", "theme")
SECTIONS = [
    (1, "", (*TOP, "search", "contact")),
    (4, "search.", ("synonyms",)),
    (7, "contact.", ("intro", "channels")),
    (11, "contact.channels.", ("name", "url", "description", "kind")),
    (15, "contact.channels.", ("name", "url", "description", "kind")),
]


@settings(deadline=None)  # timings vary on a busy machine
@given(
    key=st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,15}", fullmatch=True),
    section=st.sampled_from(SECTIONS),
)
@example(key="feedback", section=SECTIONS[0])
@example(key="endpoint", section=SECTIONS[2])
def test_any_unknown_key_is_located(key, section):
    index, table, known = section
    assume(key not in known)
    lines = [*BASE[:index], f"{key} = 1", *BASE[index:]]
    with pytest.raises(HelpgenError) as exc:
        parse_config("\n".join(lines) + "\n", SOURCE)
    [problem] = exc.value.problems
    assert (problem.line, problem.code) == (index + 1, "config-unknown")
    assert problem.message == f"unknown setting '{table}{key}'"
    assert problem.hint == config.did_you_mean(key, known) or problem.hint.startswith(
        "known settings: "
    )


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)
locale = st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", fullmatch=True)
channel = st.fixed_dictionaries(
    {"name": text, "url": text},
    optional={"description": text, "kind": st.sampled_from(CHANNEL_KINDS)},
)


@settings(deadline=None)  # timings vary on a busy machine
@given(
    top=st.fixed_dictionaries(
        {},
        optional={
            "title": text,
            "base_url": st.from_regex(r"https?://[a-z]{1,8}\.test(/[a-z]{1,5})*/?", fullmatch=True),
            "offline": st.booleans(),
            "broken_links": st.sampled_from(["error", "warn"]),
            "theme": text,
        },
    ),
    languages=st.one_of(
        st.none(),
        locale.map(lambda code: ("language", code)),
        st.lists(locale, min_size=1, max_size=4, unique=True).map(lambda c: ("locales", c)),
    ),
    synonyms=st.none() | st.lists(st.lists(text, min_size=2, max_size=3), max_size=3),
    intro=st.none() | text,
    channels=st.lists(channel, max_size=3),
)
def test_a_valid_config_round_trips(top, languages, synonyms, intro, channels):
    if languages:
        top = {**top, languages[0]: languages[1]}
    lines = [f"{key} = {toml(value)}" for key, value in top.items()]
    if synonyms is not None:
        lines += ["[search]", f"synonyms = {toml(synonyms)}"]
    if intro is not None:
        lines += ["[contact]", f"intro = {toml(intro)}"]
    for entry in channels:
        lines += ["[[contact.channels]]", *(f"{k} = {toml(v)}" for k, v in entry.items())]
    got = parse_config("\n".join(lines) + "\n", SOURCE)
    locales = top.get("locales") or [top.get("language", "en")]
    base_url = top.get("base_url")
    assert got == Config(
        root=SOURCE.parent,
        title=top.get("title", "Help Center"),
        locales=tuple(locales),
        multilingual="locales" in top,
        language_set=bool(languages),
        base_url=base_url.rstrip("/") + "/" if base_url else None,
        offline=top.get("offline", False),
        theme=top.get("theme", "default"),
        synonyms=tuple(tuple(group) for group in synonyms or ()),
        contact_intro=intro or "",
        channels=tuple(Channel(**entry) for entry in channels),
        broken_links=top.get("broken_links", "error"),
    )


# --- the reference ----------------------------------------------------------------------------


def test_reference_lists_every_setting_with_its_default():
    reference = config.reference_markdown().splitlines()
    assert reference[:2] == [
        "| setting | type | default | what it does |",
        "| --- | --- | --- | --- |",
    ]
    names = [row.split(" | ")[0].removeprefix("| ") for row in reference[2:]]
    assert names == [
        "`title`", "`language`", "`locales`", "`base_url`", "`offline`", "`broken_links`",
        "`theme`", "`search.synonyms`", "`contact.intro`", "`contact.channels`",
        "`contact.channels.name`", "`contact.channels.url`", "`contact.channels.description`",
        "`contact.channels.kind`",
    ]  # fmt: skip
    assert '| `title` | a string | `"Help Center"` |' in reference[2]
    assert reference[-1].startswith(
        '| `contact.channels.kind` | "email", "chat", "phone", "form" or "link" | `"link"` |'
    )
    assert "| `contact.channels.url` | a string | required |" in config.reference_markdown()


def test_readme_has_the_reference():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert config.reference_markdown() in readme
    assert frontmatter.reference_markdown() in readme


def test_config_not_in_utf8_is_located(tmp_path):
    (tmp_path / "helpgen.toml").write_bytes(
        'title = "Aide"\n\ntheme = "caf\u00e9"\n'.encode("latin-1")
    )
    with pytest.raises(HelpgenError) as exc:
        load_config(tmp_path)
    [problem] = exc.value.problems
    assert (problem.line, problem.code, problem.message) == (
        3,
        "encoding",
        "file is not valid UTF-8",
    )
