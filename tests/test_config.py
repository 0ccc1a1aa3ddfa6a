from pathlib import Path

import pytest

from helpgen.config import load_config
from helpgen.errors import HelpgenError


def config_from(tmp_path: Path, text: str):
    (tmp_path / "helpgen.toml").write_text(text, encoding="utf-8")
    return load_config(tmp_path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(HelpgenError) as exc:
        config_from(tmp_path, text)
    return [str(p) for p in exc.value.problems]


def test_no_file_is_zero_config(tmp_path):
    config = load_config(tmp_path)
    assert config.locales == ("en",)
    assert not config.language_set and not config.multilingual
    assert config.broken_links == "warn"  # someone else's folder: show the site, list the links


def test_full_config(tmp_path):
    config = config_from(
        tmp_path,
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
""",
    )
    assert config.title == "Acme Help"
    assert config.locales == ("en", "he", "zh-CN") and config.multilingual
    assert config.base_url == "https://help.acme.test/"
    assert config.offline is True
    assert config.synonyms == (("refund", "money back"),)
    assert config.channels[0].name == "Email" and config.channels[0].kind == "email"
    assert config.broken_links == "error"


def test_unknown_key_is_located_with_suggestion(tmp_path):
    [msg] = problems(tmp_path, 'title = "x"\n\nlanguge = "fa"\n')
    assert (
        msg.startswith("helpgen.toml:3: unknown setting 'languge'") or ":3: unknown setting" in msg
    )
    assert "did you mean 'language'" in msg


def test_wrong_types_all_reported(tmp_path):
    msgs = problems(tmp_path, 'title = 3\noffline = "yes"\n[contact]\nchannels = "x"\n')
    assert len(msgs) == 3
    assert any(":1: 'title' must be a string" in m for m in msgs)
    assert any(":2: 'offline' must be true or false" in m for m in msgs)
    assert any(":4: 'contact.channels' must be" in m for m in msgs)


def test_unknown_key_in_table(tmp_path):
    [msg] = problems(tmp_path, "[search]\nsynonym = []\n")
    assert ":2: unknown setting 'search.synonym'" in msg and "synonyms" in msg


def test_invalid_toml_is_located(tmp_path):
    [msg] = problems(tmp_path, 'title = "x"\nlocales = [en]\n')
    assert "helpgen.toml:2: invalid TOML" in msg


def test_bad_locale_and_both_language_settings(tmp_path):
    msgs = problems(tmp_path, 'language = "en"\nlocales = ["en", "English"]\n')
    assert any("not both" in m for m in msgs)
    assert any("'English' is not a language code" in m for m in msgs)


def test_channel_needs_name_and_url(tmp_path):
    msgs = problems(tmp_path, '[[contact.channels]]\nname = "Chat"\nkind = "pigeon"\n')
    assert any("needs both 'name' and 'url'" in m for m in msgs)


def test_missing_explicit_config(tmp_path):
    with pytest.raises(HelpgenError, match="configuration file not found"):
        load_config(tmp_path, tmp_path / "other.toml")
