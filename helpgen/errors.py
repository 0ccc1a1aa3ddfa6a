"""The one way a user's mistake leaves the program: located, with a hint, never a traceback."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click


@dataclass(frozen=True)
class Problem:
    """One located mistake: `file:line: message` plus how to fix it."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    hint: str | None = None
    level: str = "error"  # or "warning": reported, fatal only with --strict
    code: str = ""  # a stable name for tools and JSON output, e.g. "link-missing"

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    def stops(self, strict: bool) -> bool:
        """Whether it stops a build (and fails `check`): errors, and warnings with --strict."""
        return self.level == "error" or (strict and self.level == "warning")

    def as_json(self) -> dict[str, object]:
        """{file, line, level, code, message, hint} for `helpgen check --format json`."""
        return {
            "file": display_path(self.path) if self.path is not None else None,
            "line": self.line,
            "level": self.level,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }

    @property
    def where(self) -> str:
        """`FILE:LINE: `, `FILE: ` or nothing."""
        if self.path is None:
            return ""
        shown = display_path(self.path)
        return f"{shown}:{self.line}: " if self.line else f"{shown}: "

    def __str__(self) -> str:
        text = self.where + self.message
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class HelpgenError(click.ClickException):
    """A user error: one or more located problems. The CLI prints them and exits 1."""

    exit_code = 1

    def __init__(self, problems: Problem | Iterable[Problem]):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:  # raised in a worker process
        return (type(self), (self.problems,))

    @classmethod
    def at(
        cls,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str | None = None,
        code: str = "",
    ) -> HelpgenError:
        return cls(Problem(message, path, line, hint, code=code))

    def show(self, file: object = None) -> None:
        for problem in self.problems:
            click.secho("error: ", fg="red", bold=True, nl=False, err=True)
            click.echo(str(problem), err=True)
        if len(self.problems) > 1:
            click.echo(f"{len(self.problems)} errors", err=True)


def display_path(path: Path | str) -> str:
    """Show a path relative to the working folder when it is inside it."""
    p = Path(path)
    try:
        pairs = ((Path.cwd(), p.absolute()), (Path.cwd().resolve(), p.resolve()))
    except (OSError, RuntimeError):  # a symlink loop: shown as written
        pairs = ((Path.cwd(), p.absolute()),)
    for here, there in pairs:
        if there.is_relative_to(here):  # as written first: a symlinked file keeps its name
            return str(there.relative_to(here))
    return str(p)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A 'did you mean X?' hint for a mistyped key, or None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def shorten(value: str, limit: int = 40) -> str:
    """`value` for a message: its first `limit` characters and an ellipsis when longer."""
    return value if len(value) <= limit else value[:limit] + "…"
