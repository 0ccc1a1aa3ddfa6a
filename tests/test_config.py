import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from helpgen import config, frontmatter
from helpgen.config import (
    CHANNEL_TYPES,
    Audience,
    Channel,
    Config,
    Route,
    Text,
    load_config,
    parse_config,
)
from helpgen.errors import HelpgenError

REPO = Path(__file__).resolve().parent.parent
SOURCE = Path("/site/helpgen.toml")  # parse_config never touches the disk


def found(text: str) -> list:
    """Every problem in `text`, in the order found."""
    with pytest.raises(HelpgenError) as exc:
        parse_config(text, SOURCE)
    assert all(p.path == SOURCE for p in exc.value.problems)
    return exc.value.problems


def problems(text: str) -> list[tuple[int | None, str, str]]:
    """(line, code, message) of every problem in `text`, in the order found."""
    return [(p.line, p.code, p.message) for p in found(text)]


def hinted(text: str) -> list[tuple[int | None, str, str, str | None]]:
    """(line, code, message, hint) of every problem in `text`, in the order found."""
    return [(p.line, p.code, p.message, p.hint) for p in found(text)]


def one(value: str) -> Text:
    """A text written once, for every locale."""
    return Text((("*", value),))


def test_no_file_is_zero_config(tmp_path):
    assert load_config(tmp_path) == Config(root=tmp_path, broken_links="warn")
    config = load_config(tmp_path)
    assert config.locales == ("en",) and config.title == "Help Center"
    assert not config.language_set and not config.multilingual
    assert config.broken_links == "warn"  # someone else's folder: show the site, list the links
    assert config.contact_intro is None and config.audience is None
    assert config.channels == config.routes == config.audiences == config.contact_default == ()


def test_config_fields():
    assert [f.name for f in dataclasses.fields(Config)] == [
        "root", "title", "locales", "multilingual", "language_set", "base_url", "og_image",
        "offline", "precompress", "theme", "synonyms", "audiences", "contact_intro",
        "contact_default", "channels",
        "routes", "broken_links", "feedback_endpoint", "feedback_searches", "notices",
        "symlinks_outside", "raw_html", "max_article_kb", "max_article_seconds", "audience",
        "shard", "source",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Channel)] == [
        "id", "url", "label", "type", "description", "promise", "hours", "timezone", "closed",
        "params", "address",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Route)] == [
        "channels", "topics", "audience", "locales", "tags",
    ]  # fmt: skip
    assert [f.name for f in dataclasses.fields(Audience)] == ["id", "label"]
    assert CHANNEL_TYPES == ("email", "phone", "chat", "form", "community", "messaging", "link")


def test_text_falls_back_to_the_language_then_the_default_locale():
    text = Text((("en", "Chat"), ("he", "צ'אט"), ("zh", "聊天")))
    assert text.get("he", "en") == "צ'אט"
    assert text.get("zh-CN", "en") == "聊天"  # the language without its region
    assert text.get("fr", "en") == "Chat"  # the site's default locale
    assert text.get("fr", "de") == "Chat"  # nothing fits: the first one written
    assert text.locales == {"en", "he", "zh"}
    assert one("Hi").get("he", "en") == "Hi" and one("Hi").locales == set()
    assert Text((("he", "שלום"), ("*", "Hi"))).get("en", "en") == "Hi"


def test_full_config(tmp_path):
    (tmp_path / "helpgen.toml").write_text(
        """
title = "Acme Help"
locales = ["en", "he", "zh-CN"]
base_url = "https://help.acme.test"
offline = true

[[audiences]]
id = "buyers"
label = { en = "Buying", he = "קונים" }

[[audiences]]
id = "sellers"
label = "Selling"

[search]
synonyms = [["refund", "money back"]]

[contact]
intro = { en = "Hi", zh-CN = "你好" }
default = ["email", "chat"]

[[contact.channels]]
id = "email"
type = "email"
url = "help@acme.test"
label = { en = "Email", he = "מייל" }
promise = "Within a day."

[[contact.channels]]
id = "phone"
type = "phone"
url = " +1 (503) 555.0142 "
label = "Phone"
description = { en = "Call us", he = "התקשרו" }
hours = ["Mon-Fri 09:00-18:00", "Sat 10:00-14:00"]
timezone = "America/New_York"
closed = ["12-25", 2026-01-01]

[[contact.channels]]
id = "chat"
type = "chat"
url = "https://chat.acme.test"
label = "Chat"
hours = "24/7"

[[contact.channels]]
id = "shop_form"
type = "form"
url = "https://acme.test/form"
label = "Seller desk"
params = { topic = "category", question = "q" }

[[contact.channels]]
id = "mail-link"
type = "email"
url = "mailto:sales@acme.test"
label = "Sales"

[[contact.channels]]
id = "forum"
url = "https://forum.acme.test"
label = "Forum"

[[contact.routes]]
topics = ["selling/**"]
audience = ["sellers"]
channels = [" shop_form ", "email"]

[[contact.routes]]
locales = ["he"]
tags = ["urgent"]
channels = ["phone"]
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
        audiences=(
            Audience("buyers", Text((("en", "Buying"), ("he", "קונים")))),
            Audience("sellers", one("Selling")),
        ),
        contact_intro=Text((("en", "Hi"), ("zh-CN", "你好"))),
        contact_default=("email", "chat"),
        channels=(
            Channel(
                "email",
                "mailto:help@acme.test",
                Text((("en", "Email"), ("he", "מייל"))),
                "email",
                promise=one("Within a day."),
                address="help@acme.test",
            ),
            Channel(
                "phone",
                "tel:+15035550142",
                one("Phone"),
                "phone",
                description=Text((("en", "Call us"), ("he", "התקשרו"))),
                hours=("Mon-Fri 09:00-18:00", "Sat 10:00-14:00"),
                timezone="America/New_York",
                closed=("12-25", "2026-01-01"),
                address="+1 (503) 555.0142",
            ),
            Channel("chat", "https://chat.acme.test", one("Chat"), "chat", hours="24/7"),
            Channel(
                "shop_form",
                "https://acme.test/form",
                one("Seller desk"),
                "form",
                params=(("topic", "category"), ("question", "q")),
            ),
            Channel("mail-link", "mailto:sales@acme.test", one("Sales"), "email"),
            Channel("forum", "https://forum.acme.test", one("Forum"), "link"),
        ),
        routes=(
            Route(("shop_form", "email"), topics=("selling/**",), audience=("sellers",)),
            Route(("phone",), locales=("he",), tags=("urgent",)),
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
    assert problems('title = 3\noffline = "yes"\n[contact]\nchannels = "x"\nroutes = 1\n') == [
        (1, "config-type", "'title' must be a string"),
        (2, "config-type", "'offline' must be true or false"),
        (4, "config-type", "'contact.channels' must be a list of [[contact.channels]] tables"),
        (5, "config-type", "'contact.routes' must be a list of [[contact.routes]] tables"),
    ]
    assert problems("search = 1\n") == [(1, "config-type", "'search' must be a table: [search]")]
    assert problems('audiences = [1, { id = "a", label = "A" }]\n') == [
        (1, "config-type", "'audiences' #1 must be a table")
    ]
    assert problems('[contact]\nintro = 1\ndefault = ["a", 2]\n') == [
        (2, "config-type", "'contact.intro' must be a string, or a table of strings by locale"),
        (3, "config-type", "'contact.default' must be a list of strings"),
    ]


# a value of another type, by option.type
WRONG = {
    str: "3",
    bool: '"yes"',
    list: '"x"',
    dict: '"x"',
    (str, dict): "3",
    (str, list): "3",
    int: '"3"',
    (int, float): '"3"',
}


@pytest.mark.parametrize("option", config.OPTIONS, ids=lambda o: o.name)
def test_every_setting_rejects_a_wrong_type_at_its_line(option):
    table, _, key = option.name.rpartition(".")
    text = "# settings\n" + (f"[{table}]\n" if table else "") + f"{key} = {WRONG[option.type]}\n"
    assert problems(text) == [
        (text.count("\n"), "config-type", f"'{option.name}' must be {option.what}")
    ]


# each list of tables with a valid entry: (its name, its options, the keys it needs)
ENTRIES = [
    (
        "contact.channels",
        config.CHANNEL_OPTIONS,
        {"id": '"mail"', "url": '"mailto:a@b.test"', "label": '"Mail"'},
    ),
    ("contact.routes", config.ROUTE_OPTIONS, {"channels": '["mail"]'}),
    ("audiences", config.AUDIENCE_OPTIONS, {"id": '"sellers"', "label": '"Sellers"'}),
]


@pytest.mark.parametrize(
    ("table", "option", "needed"),
    [(table, option, needed) for table, options, needed in ENTRIES for option in options],
    ids=lambda v: v.name if isinstance(v, config.Option) else v if isinstance(v, str) else None,
)
def test_every_entry_key_rejects_a_wrong_type_at_its_line(table, option, needed):
    entry = {**needed, option.name: WRONG[option.type]}
    text = f"[[{table}]]\n" + "".join(f"{k} = {v}\n" for k, v in entry.items())
    line = 2 + list(entry).index(option.name)
    name = f"{table}.{option.name}"
    assert problems(text) == [(line, "config-type", f"'{name}' must be {option.what}")]


@pytest.mark.parametrize(("table", "options", "needed"), ENTRIES, ids=[e[0] for e in ENTRIES])
def test_every_required_entry_key_is_asked_for_at_the_entry(table, options, needed):
    assert [o.name for o in options if o.required] == list(needed)
    for key in needed:
        entry = {k: v for k, v in needed.items() if k != key}
        text = f'title = "x"\n\n[[{table}]]\n' + "".join(f"{k} = {v}\n" for k, v in entry.items())
        assert hinted(text) == [
            (3, "config-value", f"[[{table}]] #1 needs '{key}'", f"add {key} = ...")
        ]


def test_feedback_and_notices():
    got = parse_config(
        '[feedback]\nendpoint = "https://f.test/events"\nsearches = true\n\n'
        '[[notices]]\nid = "returns-45"\ntext = "Returns: 45 days."\n'
        'start = 2026-11-01\nend = "2026-12-31"\ntopics = ["returns/**"]\n',
        SOURCE,
    )
    assert (got.feedback_endpoint, got.feedback_searches) == ("https://f.test/events", True)
    [notice] = got.notices
    assert (notice.id, notice.start, notice.end, notice.topics) == (
        "returns-45",
        "2026-11-01",
        "2026-12-31",
        ("returns/**",),
    )
    assert problems('[feedback]\nendpoint = "ftp://x.test"\n')[0][:2] == (2, "config-value")
    assert problems(
        '[[notices]]\nid = "n"\ntext = "x"\nstart = 2026-12-01\nend = 2026-11-01\n'
    ) == [(5, "config-value", "'notices.end' is before its start")]
    with pytest.raises(HelpgenError) as exc:
        parse_config("[feedbak]\n", SOURCE)
    assert exc.value.problems[0].hint == "did you mean 'feedback'?"


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
    assert hinted('[contact]\nrout = []\nintro = "Hi"\n') == [
        (2, "config-unknown", "unknown setting 'contact.rout'", "did you mean 'routes'?")
    ]


def test_old_channel_keys_are_rejected():
    text = '[[contact.channels]]\nid = "mail"\nurl = "a@b.test"\nname = "Mail"\nkind = "email"\n'
    assert problems(text) == [
        (4, "config-unknown", "unknown setting 'contact.channels.name'"),
        (5, "config-unknown", "unknown setting 'contact.channels.kind'"),
        (1, "config-value", "[[contact.channels]] #1 needs 'label'"),
    ]


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
    assert problems('title = "A"\nraw_html = "clean"\n') == [
        (2, "config-value", '\'raw_html\' must be "allow" or "sanitize", not "clean"')
    ]
    assert problems("raw_html = false\n") == [
        (1, "config-type", '\'raw_html\' must be "allow" or "sanitize"')
    ]
    assert parse_config('raw_html = "sanitize"\n', SOURCE).raw_html == "sanitize"
    assert parse_config("", SOURCE).raw_html == "allow"  # trusted writers, as documented
    assert problems('[search]\nsynonyms = [["refund"]]\n') == [
        (2, "config-type", "'search.synonyms' must be a list of groups of two or more words")
    ]
    assert hinted('[contact]\nintro = { en = "Hi", English = "Hi" }\n') == [
        (
            2,
            "config-type",
            "'contact.intro' must be a string or a table of strings by language code",
            'e.g. { en = "Chat with us", he = "צ\'אט" }',
        )
    ]
    assert problems("[contact]\nintro = {}\n") == [
        (
            2,
            "config-type",
            "'contact.intro' must be a string or a table of strings by language code",
        )
    ]
    assert problems('[contact]\nintro = { en = ["Hi"] }\n') == [
        (
            2,
            "config-type",
            "'contact.intro' must be a string or a table of strings by language code",
        )
    ]


def test_channel_errors_are_located_in_their_entry():
    text = """\
[contact]
intro = "Hi"

[[contact.channels]]
id = "mail"
url = "help@acme.test"
label = "Mail"
type = "email"

[[contact.channels]]
id = "Chat Desk"
type = "pigeon"
colour = "red"
label = { en = "Chat", EN = "Chat" }
params = { topic = "t", page = "p" }
description = 1
"""
    assert hinted(text) == [
        (
            11,
            "config-value",
            "'contact.channels.id' must be lower-case letters, digits, - and _, not \"Chat Desk\"",
            'e.g. "seller-chat"',
        ),
        (
            12,
            "config-value",
            '\'contact.channels.type\' must be "email", "phone", "chat", "form", "community",'
            ' "messaging" or "link", not "pigeon"',
            None,
        ),
        (
            13,
            "config-unknown",
            "unknown setting 'contact.channels.colour'",
            "known settings: closed, description, hours, id, label, params, promise, timezone,"
            " type, url",
        ),
        (
            14,
            "config-type",
            "'contact.channels.label' must be a string or a table of strings by language code",
            'e.g. { en = "Chat with us", he = "צ\'אט" }',
        ),
        (
            15,
            "config-value",
            "'contact.channels.params' has no 'page'",
            "known: topic, article, question",
        ),
        (
            16,
            "config-type",
            "'contact.channels.description' must be a string, or a table of strings by locale",
            None,
        ),
        (10, "config-value", "[[contact.channels]] #2 needs 'url'", "add url = ..."),
    ]
    params = '[[contact.channels]]\nid = "f"\nurl = "https://f.test"\nlabel = "F"\n'
    assert hinted(params + 'params = { topc = "t" }\n') == [
        (5, "config-value", "'contact.channels.params' has no 'topc'", "did you mean 'topic'?")
    ]
    assert hinted(params + 'params = { topic = "" }\n') == [
        (
            5,
            "config-type",
            "'contact.channels.params' 'topic' must be a parameter name",
            'e.g. params = { topic = "category" }',
        )
    ]


def test_route_and_audience_errors_are_located_in_their_entry():
    text = """\
[[audiences]]
id = "sellers"

[[audiences]]
label = { en = "Buyers" }
id = "Buyers"

[[contact.routes]]
topics = ["selling/**", " "]

[[contact.routes]]
channels = "chat"
tags = [1]
colour = "red"
"""
    assert hinted(text) == [
        (1, "config-value", "[[audiences]] #1 needs 'label'", "add label = ..."),
        (
            6,
            "config-value",
            "'audiences.id' must be lower-case letters, digits, - and _, not \"Buyers\"",
            'e.g. "seller-chat"',
        ),
        (9, "config-type", "'contact.routes.topics' must be a list of strings", None),
        (8, "config-value", "[[contact.routes]] #1 needs 'channels'", "add channels = ..."),
        (
            12,
            "config-type",
            "'contact.routes.channels' must be a list of channel ids",
            'e.g. channels = ["seller-chat", "email"]',
        ),
        (13, "config-type", "'contact.routes.tags' must be a list of strings", None),
        (
            14,
            "config-unknown",
            "unknown setting 'contact.routes.colour'",
            "known settings: audience, channels, locales, tags, topics",
        ),
    ]


# --- cross-references: checked once every setting is valid, located where the name is written -


def test_routes_name_channels_audiences_and_languages_that_exist():
    text = """\
locales = ["en", "he"]

[[audiences]]
id = "sellers"
label = "Sellers"

[contact]
default = ["mail", "fax"]

[[contact.channels]]
id = "mail"
type = "email"
url = "help@acme.test"
label = "Mail"

[[contact.channels]]
id = "chat"
url = "https://chat.test"
label = "Chat"

[[contact.routes]]
topics = ["selling/**"]
channels = ["chat", "mial"]
audience = ["seller"]
locales = ["he", "fr"]

[[contact.routes]]
channels = ["mail"]
audience = ["buyers"]
"""
    assert hinted(text) == [
        (8, "config-value", 'no channel has the id "fax"', "known: mail, chat"),
        (23, "config-value", 'no channel has the id "mial"', "did you mean 'mail'?"),
        (24, "config-value", 'no audience has the id "seller"', "did you mean 'sellers'?"),
        (25, "config-value", '"fr" is not one of the site\'s languages', "known: en, he"),
        (29, "config-value", 'no audience has the id "buyers"', "known: sellers"),
    ]
    assert hinted('[[contact.routes]]\naudience = ["sellers"]\nchannels = ["mail"]\n') == [
        (3, "config-value", 'no channel has the id "mail"', "known: none"),
        (2, "config-value", 'no audience has the id "sellers"', "known: none"),
    ]


def test_channel_ids_differ_and_hours_are_checked():
    text = """\
[[contact.channels]]
id = "mail"
url = "help@acme.test"
type = "email"
label = "Mail"

[[contact.channels]]
id = "chat"
url = "https://chat.test"
label = "Chat"
hours = "Mon-Fry 09:00-18:00"
timezone = "Europe/Lisbon"

[[contact.channels]]
label = "Mail again"
url = "https://mail.test"
id = "mail"

[[contact.channels]]
id = "desk"
url = "https://desk.test"
label = "Desk"
hours = ["Mon-Fri 09:00-18:00"]
"""
    assert hinted(text) == [
        (
            11,
            "config-value",
            "'contact.channels.hours' 'Mon-Fry 09:00-18:00': 'Fry' is not a day; use Mon, Tue,"
            " Wed, Thu, Fri, Sat, Sun",
            "did you mean 'Fri'?",
        ),
        (17, "config-value", 'two channels have the id "mail"', "ids must differ"),
        (
            23,
            "config-value",
            "'contact.channels.hours' a timezone is required with hours: the same clock time is"
            " a different moment in every zone",
            'add timezone = "Europe/Lisbon" (an IANA name: Area/City)',
        ),
    ]


def test_texts_by_locale_are_for_the_sites_languages():
    text = """\
locales = ["en", "he"]

[[audiences]]
id = "sellers"
label = { en = "Selling", fr = "Vendre" }

[contact]
intro = { en = "Hi", de = "Hallo" }

[[contact.channels]]
id = "mail"
url = "mailto:help@acme.test"
label = { en = "Mail", he = "מייל" }
description = { ar = "بريد" }
promise = { ja = "x", en = "y", fa = "z" }

[[contact.channels]]
id = "chat"
url = "https://chat.test"
label = { he = "צ'אט", zh-CN = "聊天" }
"""

    def not_here(name: str, code: str) -> str:
        return f"'{name}' has a text for \"{code}\", which is not one of the site's languages"

    hint = "languages here: en, he"
    assert hinted(text) == [
        (8, "config-value", not_here("contact.intro", "de"), hint),
        (20, "config-value", not_here("contact.channels.label", "zh-CN"), hint),
        (14, "config-value", not_here("contact.channels.description", "ar"), hint),
        (15, "config-value", not_here("contact.channels.promise", "fa"), hint),
        (15, "config-value", not_here("contact.channels.promise", "ja"), hint),
        (5, "config-value", not_here("audiences.label", "fr"), hint),
    ]
    # a site that names no language is in English
    assert hinted('title = "x"\n[contact]\nintro = { he = "שלום" }\n') == [
        (3, "config-value", not_here("contact.intro", "he"), "languages here: en")
    ]
    assert hinted('language = "he"\n[contact]\nintro = { he = "שלום", en = "Hi" }\n') == [
        (3, "config-value", not_here("contact.intro", "en"), "languages here: he")
    ]


def test_cross_references_wait_for_valid_settings():
    """A mistake in a setting is reported alone: its cross-references are checked once it is
    fixed (they would only repeat it)."""
    text = '[contact]\ndefault = ["x"]\n[[contact.channels]]\nid = "Mail"\nurl = "u"\nlabel = "M"\n'
    assert problems(text) == [
        (
            4,
            "config-value",
            "'contact.channels.id' must be lower-case letters, digits, - and _, not \"Mail\"",
        )
    ]


def test_audience_ids_differ():
    text = """\
[[audiences]]
id = "sellers"
label = "Sellers"

[[audiences]]
id = "sellers"
label = "Shops"
"""
    [(line, code, message)] = problems(text)
    assert (line, code) == (6, "config-value") and '"sellers"' in message


def test_closed_dates_are_checked_without_hours():
    text = '[[contact.channels]]\nid = "c"\nurl = "https://c.test"\nlabel = "C"\nclosed = [1]\n'
    [(line, code, _)] = problems(text)
    assert (line, code) == (5, "config-value")


def test_a_timezone_mistake_is_located_at_the_timezone():
    text = """\
[[contact.channels]]
id = "chat"
url = "https://chat.test"
label = "Chat"
hours = "Mon-Fri 09:00-18:00"
timezone = "Europe/Lisbn"
"""
    [(line, _, message)] = problems(text)
    assert line == 6 and message.startswith("'contact.channels.timezone' ")


def test_missing_explicit_config(tmp_path):
    with pytest.raises(HelpgenError, match="configuration file not found") as exc:
        load_config(tmp_path, tmp_path / "other.toml")
    assert exc.value.problems[0].code == "config-missing"


# --- properties -------------------------------------------------------------------------------

BASE = [
    'title = "Acme"',
    'locales = ["en", "he"]',
    "",
    "[[audiences]]",
    'id = "sellers"',
    'label = { en = "Selling", he = "מוכרים" }',
    "",
    "[search]",
    'synonyms = [["a", "b"]]',
    "",
    "[contact]",
    'intro = "Hi"',
    'default = ["mail"]',
    "",
    "[[contact.channels]]",
    'id = "mail"',
    'type = "email"',
    'url = "help@acme.test"',
    'label = "Mail"',
    "",
    "[[contact.channels]]",
    'id = "chat"',
    'url = "https://chat.test"',
    'label = { en = "Chat", he = "צ\'אט" }',
    'hours = "Mon-Fri 09:00-18:00"',
    'timezone = "Europe/Lisbon"',
    "",
    "[[contact.routes]]",
    'topics = ["selling/**"]',
    'audience = ["sellers"]',
    'channels = ["chat", "mail"]',
]
# where a new key can go in BASE: (index to insert at, its table, the keys known there)
TOP = (
    "title", "language", "locales", "base_url", "og_image", "offline", "precompress",
    "broken_links", "theme", "symlinks_outside", "raw_html", "max_article_kb", "max_article_seconds",
)  # fmt: skip
CHANNEL = ("id", "type", "url", "label", "description", "promise", "hours", "timezone")
CHANNEL_KEYS = (*CHANNEL, "closed", "params")
ROUTE_KEYS = ("channels", "topics", "audience", "locales", "tags")
SECTIONS = [
    (2, "", (*TOP, "audiences", "search", "contact", "feedback", "notices")),
    (6, "audiences.", ("id", "label")),
    (9, "search.", ("synonyms",)),
    (13, "contact.", ("intro", "default", "channels", "routes")),
    (19, "contact.channels.", CHANNEL_KEYS),
    (26, "contact.channels.", CHANNEL_KEYS),
    (31, "contact.routes.", ROUTE_KEYS),
]


def test_the_base_config_is_valid():
    got = parse_config("\n".join(BASE) + "\n", SOURCE)
    assert [c.id for c in got.channels] == ["mail", "chat"] and len(got.routes) == 1
    assert [a.id for a in got.audiences] == ["sellers"]


@settings(deadline=None)  # timings vary on a busy machine
@given(
    key=st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,15}", fullmatch=True),
    section=st.sampled_from(SECTIONS),
)
@example(key="feedbak", section=SECTIONS[0])
@example(key="endpoint", section=SECTIONS[3])
@example(key="kind", section=SECTIONS[4])
@example(key="name", section=SECTIONS[5])
@example(key="topic", section=SECTIONS[6])
@example(key="labels", section=SECTIONS[1])
def test_any_unknown_key_is_located(key, section):
    index, table, known = section
    assume(key not in known)
    lines = [*BASE[:index], f"{key} = 1", *BASE[index:]]
    with pytest.raises(HelpgenError) as exc:
        parse_config("\n".join(lines) + "\n", SOURCE)
    [problem] = exc.value.problems
    assert (problem.line, problem.code) == (index + 1, "config-unknown")
    assert problem.message == f"unknown setting '{table}{key}'"
    known = sorted(known)
    assert problem.hint == (
        config.did_you_mean(key, known) or f"known settings: {', '.join(known)}"
    )


def toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, dict):  # an inline table; the keys here are bare keys
        return "{ " + ", ".join(f"{k} = {toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def as_text(value: str | dict[str, str]) -> Text:
    """The Text of a string or a table of strings by locale, as written."""
    return one(value) if isinstance(value, str) else Text(tuple(value.items()))


def as_link(kind: str, url: str) -> tuple[str, str]:
    """(url, address) of a channel: an email address or phone number written bare becomes a
    mailto: or tel: link (a number without its spaces, brackets and dots), and is shown."""
    url = url.strip()
    if kind in ("email", "phone") and ":" not in url:
        number = re.sub(r"[\s().]", "", url)
        return ("mailto:" + url if kind == "email" else "tel:" + number), url
    return url, ""


text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=20)
words = st.lists(text.filter(str.strip), max_size=3)  # route conditions: not blank
locale = st.from_regex(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})?", fullmatch=True)
ident = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,11}", fullmatch=True)
HOURS = [  # (hours, timezone, closed) that hours.py accepts
    {"hours": "24/7"},
    {"hours": "Mon-Fri 09:00-18:00", "timezone": "Europe/Lisbon"},
    {"hours": ["Mon,Wed,Fri 08:00-16:00", "Fri 22:00-02:00"], "timezone": "America/New_York"},
    {"hours": "24/7", "timezone": "Asia/Tokyo", "closed": ["12-25", dt.date(2026, 1, 1)]},
    {"timezone": "Europe/Lisbon", "hours": "Sat 10:00-14:00", "closed": ["2026-12-24"]},
]


@st.composite
def sites(draw):
    """The parts of a valid helpgen.toml: every per-locale text is for the site's languages,
    every route names channels, audiences and languages that exist."""
    languages = draw(
        st.one_of(
            st.none(),
            locale.map(lambda code: ("language", code)),
            st.lists(locale, min_size=1, max_size=4, unique=True).map(lambda c: ("locales", c)),
        )
    )
    site_locales = [languages[1]] if languages and languages[0] == "language" else ["en"]
    if languages and languages[0] == "locales":
        site_locales = languages[1]
    by_locale = st.lists(st.sampled_from(site_locales), min_size=1, unique=True).flatmap(
        lambda codes: st.fixed_dictionaries({code: text for code in codes})
    )
    localized = text | by_locale
    audiences = draw(
        st.lists(
            st.fixed_dictionaries({"id": ident, "label": localized}),
            max_size=3,
            unique_by=lambda a: a["id"],
        )
    )
    kinds = st.sampled_from(CHANNEL_TYPES)
    channel = st.fixed_dictionaries(
        {"id": ident, "url": text, "label": localized},
        optional={
            "type": kinds,
            "description": localized,
            "promise": localized,
            "params": st.dictionaries(st.sampled_from(["topic", "article", "question"]), ident),
        },
    )
    bare = st.fixed_dictionaries(  # an address or number written without mailto:/tel:
        {
            "id": ident,
            "type": st.sampled_from(["email", "phone"]),
            "url": st.sampled_from(["help@acme.test", " +1 (503) 555 0142", "+351 21.000.0000 "]),
            "label": localized,
        }
    )
    hours = st.sampled_from(HOURS)
    channels = draw(
        st.lists(
            st.tuples(channel | bare, st.none() | hours).map(lambda c: {**c[0], **(c[1] or {})}),
            max_size=4,
            unique_by=lambda c: c["id"],
        )
    )
    ids = [c["id"] for c in channels]
    routes = []
    if ids:
        routes = draw(
            st.lists(
                st.fixed_dictionaries(
                    {"channels": st.lists(st.sampled_from(ids), min_size=1, max_size=3)},
                    optional={
                        "topics": words,
                        "audience": st.lists(
                            st.sampled_from([a["id"] for a in audiences]), max_size=2
                        )
                        if audiences
                        else st.just([]),
                        "locales": st.lists(st.sampled_from(site_locales), max_size=2),
                        "tags": words,
                    },
                ),
                max_size=3,
            )
        )
    default = draw(st.none() | st.lists(st.sampled_from(ids), max_size=3)) if ids else None
    return {
        "languages": languages,
        "intro": draw(st.none() | localized),
        "audiences": audiences,
        "channels": channels,
        "routes": routes,
        "default": default,
    }


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
    synonyms=st.none() | st.lists(st.lists(text, min_size=2, max_size=3), max_size=3),
    site=sites(),
)
def test_a_valid_config_round_trips(top, synonyms, site):
    languages, intro, default = site["languages"], site["intro"], site["default"]
    if languages:
        top = {**top, languages[0]: languages[1]}
    lines = [f"{key} = {toml(value)}" for key, value in top.items()]
    for entry in site["audiences"]:
        lines += ["[[audiences]]", *(f"{k} = {toml(v)}" for k, v in entry.items())]
    if synonyms is not None:
        lines += ["[search]", f"synonyms = {toml(synonyms)}"]
    if intro is not None or default is not None:
        lines += ["[contact]"]
        lines += [f"intro = {toml(intro)}"] if intro is not None else []
        lines += [f"default = {toml(default)}"] if default is not None else []
    for entry in site["channels"]:
        lines += ["[[contact.channels]]", *(f"{k} = {toml(v)}" for k, v in entry.items())]
    for entry in site["routes"]:
        lines += ["[[contact.routes]]", *(f"{k} = {toml(v)}" for k, v in entry.items())]
    got = parse_config("\n".join(lines) + "\n", SOURCE)
    locales = top.get("locales") or [top.get("language", "en")]
    base_url = top.get("base_url")
    channels = []
    for c in site["channels"]:
        kind, hours = c.get("type", "link"), c.get("hours")
        url, address = as_link(kind, c["url"])
        channels.append(
            Channel(
                id=c["id"],
                url=url,
                label=as_text(c["label"]),
                type=kind,
                description=as_text(c["description"]) if "description" in c else None,
                promise=as_text(c["promise"]) if "promise" in c else None,
                hours=tuple(hours) if isinstance(hours, list) else hours,
                timezone=c.get("timezone"),
                closed=tuple(str(day) for day in c.get("closed", ())),
                params=tuple(c["params"].items()) if "params" in c else None,
                address=address,
            )
        )
    routes = [
        Route(
            channels=tuple(r["channels"]),
            topics=tuple(t.strip() for t in r.get("topics", ())),
            audience=tuple(r.get("audience", ())),
            locales=tuple(r.get("locales", ())),
            tags=tuple(t.strip() for t in r.get("tags", ())),
        )
        for r in site["routes"]
    ]
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
        audiences=tuple(Audience(a["id"], as_text(a["label"])) for a in site["audiences"]),
        contact_intro=as_text(intro) if intro is not None else None,
        contact_default=tuple(default or ()),
        channels=tuple(channels),
        routes=tuple(routes),
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
        "`title`", "`language`", "`locales`", "`base_url`", "`og_image`", "`offline`",
        "`precompress`", "`broken_links`",
        "`theme`", "`symlinks_outside`", "`raw_html`", "`max_article_kb`", "`max_article_seconds`", "`audiences`", "`audiences.id`", "`audiences.label`", "`search.synonyms`",
        "`contact.intro`", "`contact.default`", "`contact.channels`", "`contact.channels.id`",
        "`contact.channels.type`", "`contact.channels.url`", "`contact.channels.label`",
        "`contact.channels.description`", "`contact.channels.promise`",
        "`contact.channels.hours`", "`contact.channels.timezone`", "`contact.channels.closed`",
        "`contact.channels.params`", "`contact.routes`", "`contact.routes.channels`",
        "`contact.routes.topics`", "`contact.routes.audience`", "`contact.routes.locales`",
        "`contact.routes.tags`", "`feedback.endpoint`", "`feedback.searches`", "`notices`",
        "`notices.id`", "`notices.text`", "`notices.link`", "`notices.start`", "`notices.end`",
        "`notices.topics`",
    ]  # fmt: skip
    assert '| `title` | a string | `"Help Center"` |' in reference[2]
    rows = config.reference_markdown()
    assert (
        '| `contact.channels.type` | "email", "phone", "chat", "form", "community", "messaging"'
        ' or "link" | `"link"` |'
    ) in rows
    assert "| `contact.channels.url` | a string | required |" in rows
    assert (
        "| `contact.channels.label` | a string, or a table of strings by locale | required |"
        in rows
    )
    assert "| `contact.intro` | a string, or a table of strings by locale | none |" in rows
    assert "| `audiences` | a list of [[audiences]] tables | `[]` |" in rows
    assert "| `contact.routes.channels` | a list of channel ids | required |" in rows
    assert reference[-1].startswith("| `notices.topics` | a list of topic paths | `[]` |")


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
