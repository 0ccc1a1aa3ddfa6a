"""Theme lookup (site override > built-in), the Jinja2 environment, UI strings per locale."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .config import read_text
from .errors import HelpgenError
from .locales import language_of

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

    def environment(self) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs]),
            autoescape=True,
            auto_reload=False,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        return env

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

    def strings(self, locale: str) -> dict[str, str]:
        """UI strings for a locale: exact file (zh-CN), then language (zh), then English."""
        merged: dict[str, str] = {}
        for name in ("en", language_of(locale), locale):
            for d in reversed(self.dirs):
                merged.update(_read_strings(d / "i18n" / f"{name}.toml"))
        return merged


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


class Translator:
    """`t(key, **kwargs)` in templates."""

    def __init__(self, strings: dict[str, str]) -> None:
        self.strings = strings

    def __call__(self, key: str, **kwargs: Any) -> str:
        text = self.strings.get(key, key)
        if kwargs:
            try:
                return text.format(**kwargs)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError):
                return text  # a broken placeholder in a translation shows the raw text
        return text
