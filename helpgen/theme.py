"""Theme lookup (site override > built-in), the Jinja2 environment, UI strings per locale.

UI strings are flat `key = "text"` in i18n/<locale>.toml. A string with a count has one key per
CLDR plural category the language needs: `key` is "other" and `key_zero`, `key_one`, `key_two`,
`key_few`, `key_many` the others (these suffixes are reserved for plural forms). `t(key, n=5)`
picks `key_<category of 5>`, else `key`, and writes 5 in the locale's digits; search-ui.js picks
the same way in the browser. The forms of one string come from one language's files: a
translation that defines `key` never mixes with English's `key_one`.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .config import read_text
from .errors import HelpgenError
from .locales import (
    PLURAL_CATEGORIES,
    exact_categories,
    format_date,
    format_number,
    language_of,
    locale_tag,
    plural_categories,
    plural_category,
)

PACKAGE_DIR = Path(__file__).parent


def builtin_theme_dir(name: str = "default") -> Path:
    """The installed theme (wheel: helpgen/themes/) or, in a source checkout, ../themes/."""
    for candidate in (PACKAGE_DIR / "themes" / name, PACKAGE_DIR.parent / "themes" / name):
        if (candidate / "templates").is_dir():
            return candidate
    raise HelpgenError.at(f"theme '{name}' not found", hint="the built-in theme is 'default'")


@dataclass(frozen=True)
class Theme:
    """An ordered list of theme folders; the first that has a file wins."""

    dirs: tuple[Path, ...]

    @classmethod
    def for_site(cls, site_root: Path, name: str = "default") -> Theme:
        override = site_root / "themes" / name
        if name != "default" and not (override / "templates").is_dir():
            raise HelpgenError.at(
                f"theme '{name}' not found",
                site_root / "helpgen.toml",
                hint=f"create themes/{name}/templates/ or remove the 'theme' setting",
            )
        # a named theme falls back to the built-in one for every file it does not have
        dirs = [d for d in (override, builtin_theme_dir()) if d.is_dir()]
        unique = tuple(dict.fromkeys(d.resolve() for d in dirs))
        return cls(unique)

    def environment(self, compiled: Path | None = None) -> jinja2.Environment:
        """The theme's Jinja environment; `compiled`: a folder that keeps its templates compiled
        for the next build (each checked against its source)."""
        return jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs]),
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_Compiled(compiled) if compiled is not None else None,
        )

    def static_files(self) -> dict[str, Path]:
        """Relative path below static/ -> file, site overrides first."""
        files: dict[str, Path] = {}
        for d in reversed(self.dirs):
            static = d / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file() and not path.name.startswith("."):
                        files[path.relative_to(static).as_posix()] = path
        return files

    def strings(self, locale: str) -> UIStrings:
        """UI strings for a locale: exact file (zh-CN), then language (zh), then English; within
        one language a site's file overrides the theme's key by key. A locale with no file of
        its own speaks English throughout: English plural rules, numbers and dates."""
        merged: dict[str, str] = {}
        own = False
        for name in dict.fromkeys(("en", language_of(locale), locale)):
            layer: dict[str, str] = {}
            for d in reversed(self.dirs):
                layer.update(_read_strings(d / "i18n" / f"{name}.toml"))
            families = {plural_base(key) for key in layer}
            merged = {k: v for k, v in merged.items() if plural_base(k) not in families} | layer
            own = own or (name != "en" and bool(layer))
        return UIStrings(locale if own or language_of(locale) == "en" else "en", merged)


def plural_base(key: str) -> str:
    """'articles_count_two' -> 'articles_count'; a key without a plural suffix is its own base."""
    stem, _, suffix = key.rpartition("_")
    return stem if stem and suffix in PLURAL_CATEGORIES else key


def translation_problems(
    english: Mapping[str, str], table: Mapping[str, str], locale: str
) -> list[str]:
    """What a locale's UI strings get wrong against English's: a string missing, a key English
    lacks, a plural form the language never picks, placeholders that differ (a form for an exact
    category may leave `{n}` out)."""
    problems = [
        f"missing '{k}'" for k in dict.fromkeys(map(plural_base, english)) if k not in table
    ]
    forms = plural_categories(locale)
    for key, text in table.items():
        base = plural_base(key)
        if base not in english:
            problems.append(f"'{key}': English has no '{base}'")
            continue
        category = key[len(base) + 1 :]
        if category and category not in forms:
            problems.append(f"'{key}': {locale} has no '{category}' form (only {', '.join(forms)})")
        want, have = set(_fields(english[base])) - {None}, set(_fields(text)) - {None}
        if have != want and not (category in exact_categories(locale) and have == want - {"n"}):
            problems.append(f"'{key}': placeholders {sorted(have)}, English has {sorted(want)}")
    return problems


@dataclass(frozen=True, eq=False)
class UIStrings(Mapping[str, str]):
    """A locale's UI strings (key -> text), knowing the locale they are written for (which
    picks plural forms and writes numbers and dates)."""

    locale: str
    table: Mapping[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> str:
        return self.table[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def _read_strings(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return _parse_strings(path, path.stat().st_mtime_ns)


@cache
def _parse_strings(path: Path, mtime: int) -> dict[str, str]:
    """Cached per modification time, so `helpgen serve` sees edited strings."""
    try:
        data: dict[str, Any] = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise HelpgenError.at(f"invalid TOML: {exc}", path) from None
    return {str(k): str(v) for k, v in data.items()}


def _fields(text: str) -> list[str | None]:
    """The placeholder names in `text` ("{n}" -> "n"); "{n.real}" and "{n[0]}" stay whole."""
    return [name for _, name, _, _ in string.Formatter().parse(text)]


class Translator:
    """`t(key, **kwargs)` in templates; `n=` is a count: it picks the plural form and is written
    as the locale writes numbers. Also `t.number(n)`, `t.date(day)`, `t.forms(key)` (every form
    of a string, for scripts) and `t.tag` (the locale for the browser's Intl)."""

    def __init__(self, strings: Mapping[str, str], locale: str | None = None) -> None:
        self.strings = strings
        self.locale = locale or getattr(strings, "locale", None) or "en"
        self.tag = locale_tag(self.locale)

    def __call__(self, key: str, **kwargs: Any) -> str:
        n = kwargs.get("n")
        if isinstance(n, int | float) and not isinstance(n, bool):
            text = self.plural(key, n)
            kwargs["n"] = self.number(n)
        else:
            text = self.strings.get(key, key)
        if kwargs:
            try:
                if all(f is None or f.isidentifier() for f in _fields(text)):
                    return text.format(**kwargs)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError):
                pass
            return text  # a broken placeholder in a translation shows the raw text
        return text

    def plural(self, key: str, n: float) -> str:
        """The raw form of `key` for the count `n`: `key_<category>`, else `key`."""
        form = self.strings.get(f"{key}_{plural_category(self.locale, n)}")
        return form if form is not None else self.strings.get(key, key)

    def forms(self, *keys: str) -> dict[str, str]:
        """Each key with the plural forms this locale has, as written: the strings a script
        needs (search-ui.js picks the form itself)."""
        names = [f"{k}{s}" for k in keys for s in ("", *(f"_{c}" for c in PLURAL_CATEGORIES))]
        return {
            name: self.strings.get(name, name)
            for name in names
            if name in self.strings or name in keys
        }

    def number(self, n: float) -> str:
        return format_number(self.locale, n)

    def date(self, day: dt.date | str) -> str:
        return format_date(self.locale, day)


class _Compiled(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in a folder (made when first needed); one that cannot be read
    or written is compiled again."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            self.folder.mkdir(exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass
